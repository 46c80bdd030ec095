// Reconcile on a data file the real functions wrote: surveys through a share code (valid and
// invalid mains, topics after each, two China days, both versions), draws paying points and cash,
// a transfer. Clean as written; each broken invariant (a transfer's other half, a draw's prize, a
// statistics counter, a share code's counter) is reported with the record it concerns.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { balanceSchema, orgFileSchema, type DrawTable } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { getDb, setClockForTests } from '../../server/db'
import { CAMPAIGNS_COLLECTION, QUESTIONNAIRES_COLLECTION } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'
import type { RewardConfig } from '../../server/reward-rules'
import { reconcile, type ReconcileReport } from '../../scripts/reconcile'
import { seedOrganisations } from '../../scripts/seed'
import { TABLE_2024, certainTable, useRewards, type LooseReply } from './reward-fixture'
import { CAMPAIGN, OPEN_AT, QUESTIONNAIRE, mainAnswers, rid } from './survey-fixture'

const CASH_TABLE = certainTable('cash', { points: 1, cashFen: 10 })

let dir: string
let file: string
let cloud: LocalCloud
let host: FunctionHost
const clock = { now: OPEN_AT }

const call = async (fn: string, openid: string, event: object): Promise<LooseReply> => {
  const reply = (await host.invoke(fn, event as Record<string, unknown>, { openid })) as LooseReply
  if (!reply.ok) throw new Error(`${fn} ${JSON.stringify(event)}: ${JSON.stringify(reply.error)}`)
  return reply
}

/** Submit a section after `seconds` on it (the server's clock measures the pace). */
const submit = (openid: string, sectionId: string, answers: object, seconds = 120) => {
  clock.now += seconds * 1000
  return call('survey', openid, { action: 'submitSection', sectionId, answers, requestId: rid() })
}

async function useTable(table: DrawTable, cash?: RewardConfig['cash']): Promise<void> {
  await useRewards(table, cash ? { cash } : {})
  clearConfigCache()
}

/** Reconcile the data file as `npm run reconcile` reads it: its own read-only connection. */
function reconcileFile(): ReconcileReport {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return reconcile(db)
  } finally {
    db.close()
  }
}

const differencesOf = (kind: string) => reconcileFile().differences.filter((d) => d.kind === kind)

let transferOutId: string
let pointsDraw: { id: string; openid: string; points: number }

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wal-reconcile-'))
  file = path.join(dir, 'data.sqlite')
  cloud = startLocalCloud({ file })
  host = createFunctionHost({
    cloud,
    from: 'source',
    only: ['survey', 'draw', 'wallet', 'volunteer', 'review'],
  })
  setClockForTests(() => clock.now)
  await getDb().collection(CAMPAIGNS_COLLECTION).doc(CAMPAIGN.id).set({ data: CAMPAIGN })
  await getDb().collection(QUESTIONNAIRES_COLLECTION).doc(CAMPAIGN.id).set({ data: QUESTIONNAIRE })
  await getDb()
    .collection('shareCodes')
    .doc('V001')
    .set({ data: { campaignId: CAMPAIGN.id, unitId: 'gd-assoc', active: true } })
  await useTable(TABLE_2024)

  const start = (openid: string, version: string, scene?: string) =>
    call('survey', openid, {
      action: 'start',
      version,
      requestId: rid('start'),
      ...(scene ? { scene } : {}),
    })
  // o-a: a valid sample through V001 with two topics (7 chances, the cap).
  await start('o-a', 'public', 'V001')
  await submit('o-a', 'main', mainAnswers())
  await submit('o-a', 't_law', { tl_know: 4, tl_fair: 3 })
  await submit('o-a', 't_shop', { ts_sat: 4 })
  // o-c: a speeder through V001: an invalid sample, and its topic stored invalid (main_invalid).
  await start('o-c', 'public', 'V001')
  expect((await submit('o-c', 'main', mainAnswers(), 5)).data.valid).toBe(false)
  expect((await submit('o-c', 't_law', { tl_know: 4, tl_fair: 3 })).data.valid).toBe(false)
  // The next China day begins at 16:00 UTC: o-b's and o-d's samples count on 21 July.
  clock.now = Date.parse('2024-07-21T00:30:00+08:00')
  await start('o-b', 'public')
  await submit('o-b', 'main', mainAnswers())
  await submit('o-b', 't_gov', { tg_sat: 5 })
  await start('o-d', 'practitioner')
  await submit('o-d', 'main', { p_region: mainAnswers().m_region, p_rating: 4 })

  // Points draws, then a transfer of some of them.
  for (const kind of ['copper', 'nine_grid']) {
    await call('draw', 'o-a', { action: 'draw', kind, requestId: rid('draw') })
  }
  const won = await call('draw', 'o-b', { action: 'draw', kind: 'copper', requestId: rid('draw') })
  pointsDraw = { id: won.data.drawId, openid: 'o-b', points: won.data.prize.points }
  const toCode = balanceSchema.parse(
    (await call('wallet', 'o-b', { action: 'balance' })).data,
  ).userCode
  const requestId = rid('transfer')
  await call('wallet', 'o-a', { action: 'transfer', toCode, amount: 2, requestId })
  transferOutId = `o-a:transfer_out:${requestId}`
  // A cash table from now on (tables are versioned; old draws keep theirs): a payout.
  clock.now += 60_000
  await useTable(CASH_TABLE, { dailyBudgetFen: 100_000, perUserDailyCapFen: 500, budgetShards: 4 })
  const cash = await call('draw', 'o-d', { action: 'draw', kind: 'nine_grid', requestId: rid() })
  expect(cash.data.prize).toMatchObject({ form: 'cash', cashFen: 10 })

  // A volunteer's code on 22 July: seven valid samples (1.05 points of a 15% override, settled
  // as 1), then the committee finds one invalid (its share reward reversed, the accrual back to
  // 0.90 with the settled point awaiting the next settlement's reversal).
  clock.now = Date.parse('2024-07-22T10:00:00+08:00')
  const region = { provinceCode: '440000', cityCode: '440100' }
  await seedOrganisations(
    orgFileSchema.parse({
      nodes: [
        { id: 'committee', name: '组委会', kind: 'committee', parent: null, region },
        { id: 'u1', name: '测试单位', kind: 'unit', parent: 'committee', region },
        { id: 's1', name: '测试服务站', kind: 'station', parent: 'u1', region, overrideRate: 15 },
        { id: 't1', name: '测试队', kind: 'team', parent: 's1', region },
      ],
      members: [
        { node: 's1', openid: 'o-admin', role: 'station_admin', displayName: '站长' },
        { node: 't1', openid: 'o-vol', role: 'volunteer', displayName: '小安' },
      ],
    }),
    new Date(clock.now),
  )
  await getDb()
    .collection('roles')
    .doc('o-committee')
    .set({ data: { roles: ['organiser'] } })
  const code = (
    await call('volunteer', 'o-vol', { action: 'ensureCode', nodeId: 't1', requestId: rid() })
  ).data.code as string
  for (let i = 0; i < 7; i++) {
    await start(`o-s${i}`, 'public', `c=${code}`)
    expect((await submit(`o-s${i}`, 'main', mainAnswers())).data.valid).toBe(true)
  }
  const settle = { action: 'settleOverride', nodeId: 's1', requestId: rid('settle') }
  expect((await call('volunteer', 'o-admin', settle)).data).toMatchObject({ posted: 1 })
  // The volunteer gives their 7 points away before the review: the reversal leaves a debt of 1.
  await call('wallet', 'o-vol', { action: 'transfer', toCode, amount: 7, requestId: rid() })
  clock.now += 60_000
  await call('review', 'o-committee', {
    action: 'invalidateSample',
    responseId: `${CAMPAIGN.id}:o-s0`,
    reason: '复核发现代答',
    requestId: rid('review'),
  })
})

afterAll(() => {
  setClockForTests(undefined)
  clearConfigCache()
  cloud.close()
  rmSync(dir, { recursive: true, force: true })
})

it('is clean on what the functions wrote, and says what it checked', () => {
  const report = reconcileFile()
  expect(report.differences).toEqual([])
  expect(report).toMatchObject({
    transfers: { paired: 2 },
    draws: { draws: 4, payouts: 1 },
    stats: { campaigns: 1, samples: 11, topics: 4, codes: 2 },
    shareRewards: { rewards: 7, reversed: 1 },
    overrides: { nodes: 1, accruedHundredths: 90, settled: 1 },
  })
})

it('a transfer_out without its transfer_in', async () => {
  const coll = getDb().collection('pointEntries')
  const entry = (await coll.where({ kind: 'transfer_in' }).get()).data[0] as { _id: string }
  await coll.doc(entry._id).remove()
  try {
    expect(differencesOf('transfers')).toEqual([
      {
        kind: 'transfers',
        account: transferOutId,
        problem: `transfer_out ${transferOutId} (-2): no matching transfer_in`,
      },
    ])
    // The recipient's balance no longer replays either.
    expect(differencesOf('points')).not.toEqual([])
  } finally {
    await coll.add({ data: entry })
  }
  expect(reconcileFile().differences).toEqual([])
})

it("a draw without its prize's points entry", async () => {
  const coll = getDb().collection('pointEntries')
  const id = `${pointsDraw.openid}:draw_prize:${pointsDraw.id}`
  const entry = (await coll.doc(id).get()).data as Record<string, unknown>
  await coll.doc(id).remove()
  try {
    expect(differencesOf('draws')).toEqual([
      {
        kind: 'draws',
        account: pointsDraw.id,
        problem: `won ${pointsDraw.points} points but has no draw_prize entry`,
      },
    ])
  } finally {
    await coll.add({ data: entry })
  }
  expect(reconcileFile().differences).toEqual([])
})

it('a chance spend and a payout without their draw', async () => {
  const coll = getDb().collection('draws')
  const draw = (await coll.where({ openid: 'o-d' }).get()).data[0] as {
    _id: string
    payoutKey: string
  }
  await coll.doc(draw._id).remove()
  try {
    expect(differencesOf('draws')).toEqual([
      {
        kind: 'draws',
        account: `${CAMPAIGN.id}:o-d:draw:${draw._id}`,
        problem: `chance spend of 1 but no draw ${draw._id} of ${CAMPAIGN.id}:o-d`,
      },
      { kind: 'draws', account: draw.payoutKey, problem: `payout but no draw ${draw._id}` },
    ])
  } finally {
    await coll.add({ data: draw })
  }
  expect(reconcileFile().differences).toEqual([])
})

it('a statistics shard counter one above the responses', async () => {
  const _ = getDb().command
  const coll = getDb().collection('statShards')
  const [shard] = (await coll.where({ campaignId: CAMPAIGN.id }).limit(1).get()).data as Array<{
    _id: string
  }>
  await coll.doc(shard!._id).update({ data: { days: { d20240721: { valid: _.inc(1) } } } })
  try {
    // o-b and o-d: the China day of their submissions, not the UTC one (20 July).
    expect(reconcileFile().differences).toEqual([
      {
        kind: 'stats',
        account: CAMPAIGN.id,
        problem: 'days.d20240721.valid: shards sum to 3, responses count 2',
      },
    ])
  } finally {
    await coll.doc(shard!._id).update({ data: { days: { d20240721: { valid: _.inc(-1) } } } })
  }
  expect(reconcileFile().differences).toEqual([])
})

it("a share code's counter one above its responses, and the command exits 1 saying so", async () => {
  const _ = getDb().command
  const coll = getDb().collection('codeStats')
  const [shard] = (await coll.where({ code: 'V001' }).limit(1).get()).data as Array<{ _id: string }>
  await coll.doc(shard!._id).update({ data: { invalid: _.inc(1) } })
  try {
    expect(reconcileFile().differences).toEqual([
      {
        kind: 'codeStats',
        account: `${CAMPAIGN.id}:V001`,
        problem: 'invalid: shards sum to 2, responses count 1',
      },
    ])
    const cli = spawnSync(
      path.join('node_modules', '.bin', 'tsx'),
      ['scripts/reconcile.ts', '--file', file],
      { encoding: 'utf8' },
    )
    expect(cli.status).toBe(1)
    expect(cli.stdout).toContain(
      `codeStats ${CAMPAIGN.id}:V001: invalid: shards sum to 2, responses count 1`,
    )
  } finally {
    await coll.doc(shard!._id).update({ data: { invalid: _.inc(-1) } })
  }
  expect(reconcileFile().differences).toEqual([])
})

describe('share rewards and node accounts', () => {
  const entries = () => getDb().collection('pointEntries')
  const reversalId = `rv:sr:${CAMPAIGN.id}:o-s0`

  it('a reviewed sample whose share reward has no reversal', async () => {
    const entry = (await entries().doc(reversalId).get()).data as Record<string, unknown>
    await entries().doc(reversalId).remove()
    try {
      expect(differencesOf('shareRewards')).toEqual([
        {
          kind: 'shareRewards',
          account: `${CAMPAIGN.id}:o-s0`,
          problem: `found invalid by review but share_reward sr:${CAMPAIGN.id}:o-s0 has no reversal`,
        },
      ])
    } finally {
      await entries().add({ data: entry })
    }
    expect(reconcileFile().differences).toEqual([])
  })

  it('a second share reward for one response, and one for a response through no code', async () => {
    const first = (await entries().doc(`sr:${CAMPAIGN.id}:o-s1`).get()).data as Record<
      string,
      unknown
    >
    const extra = [
      { ...first, _id: 'sr-dup', seq: 100 },
      { ...first, _id: 'sr-nocode', ref: `${CAMPAIGN.id}:o-b`, seq: 101 },
    ]
    for (const e of extra) await entries().add({ data: e })
    try {
      expect(differencesOf('shareRewards')).toEqual([
        {
          kind: 'shareRewards',
          account: `${CAMPAIGN.id}:o-s1`,
          problem: `second share_reward sr-dup (first sr:${CAMPAIGN.id}:o-s1)`,
        },
        {
          kind: 'shareRewards',
          account: `${CAMPAIGN.id}:o-b`,
          problem: 'share_reward sr-nocode but no valid sample through a code',
        },
      ])
    } finally {
      for (const e of extra) await entries().doc(e._id).remove()
    }
    expect(reconcileFile().differences).toEqual([])
  })

  it("a node account's settled points above its entries and its accrual", async () => {
    const _ = getDb().command
    const accounts = getDb().collection('pointAccounts')
    await accounts.doc('node:s1').update({ data: { overrideSettled: { [CAMPAIGN.id]: _.inc(1) } } })
    try {
      expect(differencesOf('overrides')).toEqual([
        {
          kind: 'overrides',
          account: `${CAMPAIGN.id}:s1`,
          problem: 'overrideSettled 2, settlement entries sum to 1',
        },
        {
          kind: 'overrides',
          account: `${CAMPAIGN.id}:s1`,
          problem: 'overrideSettled 2, more than the 90 hundredths accrued make',
        },
      ])
    } finally {
      await accounts
        .doc('node:s1')
        .update({ data: { overrideSettled: { [CAMPAIGN.id]: _.inc(-1) } } })
    }
    expect(reconcileFile().differences).toEqual([])
  })

  it("a node's accrual counter above what its samples accrue", async () => {
    const _ = getDb().command
    const coll = getDb().collection('nodeStats')
    // A top unit's shards count every node under it (nodes.n<nodeId>); one that counts s1.
    const shards = (await coll.where({ campaignId: CAMPAIGN.id }).limit(100).get()).data as Array<{
      _id: string
      nodes?: Record<string, unknown>
    }>
    const shard = shards.find((s) => s.nodes?.ns1)
    const path = 'nodes.ns1.overrideHundredths'
    await coll.doc(shard!._id).update({ data: { [path]: _.inc(15) } })
    try {
      expect(differencesOf('overrides')).toEqual([
        {
          kind: 'overrides',
          account: `${CAMPAIGN.id}:s1`,
          problem: 'overrideHundredths: shards sum to 105, samples accrue 90',
        },
      ])
    } finally {
      await coll.doc(shard!._id).update({ data: { [path]: _.inc(-15) } })
    }
    expect(reconcileFile().differences).toEqual([])
  })

  it('a settlement after the review posts the reversal; a debt is no difference', async () => {
    const reply = await call('volunteer', 'o-admin', {
      action: 'settleOverride',
      nodeId: 's1',
      requestId: rid('settle'),
    })
    expect(reply.data).toMatchObject({ posted: -1, settled: 0 })
    const report = reconcileFile()
    expect(report.differences).toEqual([])
    expect(report.overrides).toEqual({ nodes: 1, accruedHundredths: 90, settled: 0 })
    const debt = (await getDb().collection('pointAccounts').doc('o-vol').get()).data as {
      balance: number
    }
    expect(debt.balance).toBe(-1)
  })
})
