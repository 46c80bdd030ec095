// The volunteer rules through the real functions on the seeded demo tree (plus two stations of the
// test's own): the share reward written once under concurrent and retried submissions, override
// accrual settled exactly whatever the settlements' interleaving, the committee's reversal, roles,
// bulk channel codes and their tables, attribution at start, bad input, and every mutating action
// refusing a requestId reused for another input.
import ExcelJS from 'exceljs'
import {
  ATTRIBUTION_WARNINGS,
  orgFileSchema,
  questionnaireSchema,
  type Questionnaire,
} from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { getDb, readDoc, setClockForTests } from '../../server/db'
import { REQUESTS_COLLECTION } from '../../server/idempotency'
import { questionnaireFor } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'
import { seed, seedOrganisations } from '../../scripts/seed'
import { reconcile } from '../../scripts/reconcile'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { loadCampaignData, loadCampaigns } from '../../campaigns/load'

const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const clock = { now: SEEDED_AT + 3_600_000 }
let local: LocalCloud
let host: FunctionHost
let questionnaire: Questionnaire

const COMMITTEE = 'o-committee'
const STATION_ADMIN = 'o-demo-station-admin' // gz-tianhe (15%)
const UNIT_ADMIN = 'o-demo-unit-admin' // gd, the province
const VOLUNTEER = 'o-demo-volunteer' // gz-tianhe-t1
const ACC_ADMIN = 'o-acc-admin'
const ACC_VOLUNTEER = 'o-acc-volunteer'
const RV_VOLUNTEER = 'o-rv-volunteer'

let seq = 0
const rid = (label = 'r') => `${label}-${String(++seq).padStart(6, '0')}`

interface Reply {
  ok: boolean
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any
  error?: { code: string; message: string }
}
const call = (fn: string, openid: string, event: object) =>
  host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<Reply>

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(fn: string, openid: string, event: object): Promise<any> {
  const reply = await call(fn, openid, event)
  if (!reply.ok) throw new Error(`${fn} ${JSON.stringify(event)}: ${JSON.stringify(reply.error)}`)
  return reply.data
}

async function errorCode(fn: string, openid: string, event: object): Promise<string | undefined> {
  const reply = await call(fn, openid, event)
  return reply.ok ? undefined : reply.error?.code
}

async function count(collection: string, where: object = {}): Promise<number> {
  const res = (await getDb().collection(collection).where(where).count()) as { total: number }
  return res.total
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const entriesOf = async (where: object): Promise<any[]> =>
  (await getDb().collection('pointEntries').where(where).limit(1000).get()).data

const balanceOf = async (account: string): Promise<number> =>
  ((await readDoc<{ balance: number }>(getDb().collection('pointAccounts').doc(account)))
    ?.balance ?? 0) as number

const mainAnswers = (openid: string) =>
  validMainAnswers(
    questionnaire,
    'public',
    seededRandom(openid.length * 7919 + openid.charCodeAt(2)),
  )

const start = (openid: string, scene?: string) =>
  ok('survey', openid, {
    action: 'start',
    version: 'public',
    requestId: rid('start'),
    ...(scene ? { scene } : {}),
  })

const submitMain = (openid: string, requestId = rid('submit')) =>
  call('survey', openid, {
    action: 'submitSection',
    sectionId: 'main',
    answers: mainAnswers(openid),
    requestId,
  })

/** `openids` start through `scene`, ten minutes pass, and each submits its main part (valid). */
async function answerAll(openids: string[], scene: string): Promise<void> {
  for (let i = 0; i < openids.length; i += 12)
    await Promise.all(openids.slice(i, i + 12).map((o) => start(o, scene)))
  clock.now += 600_000
  for (let i = 0; i < openids.length; i += 12) {
    const replies = await Promise.all(openids.slice(i, i + 12).map((o) => submitMain(o)))
    for (const r of replies) expect(r).toMatchObject({ ok: true, data: { valid: true } })
  }
}

async function codeOf(openid: string, nodeId: string): Promise<string> {
  return (await ok('volunteer', openid, { action: 'ensureCode', nodeId, requestId: rid('code') }))
    .code
}

async function userCode(openid: string): Promise<string> {
  return (await ok('wallet', openid, { action: 'balance' })).userCode
}

beforeAll(async () => {
  local = startLocalCloud()
  setClockForTests(() => clock.now)
  clearConfigCache()
  await seed({ nowMs: SEEDED_AT })
  // Two stations of the test's own under Shenzhen, so their accruals start from nothing.
  const demo = loadCampaigns().find((c) => c.id === 'demo')!
  const org = loadCampaignData(demo, 'org.json', orgFileSchema)!
  const region = { provinceCode: '440000', cityCode: '440300' }
  const extra = orgFileSchema.parse({
    ...org,
    nodes: [
      ...org.nodes,
      {
        id: 'acc-station',
        name: '累计测试服务站',
        kind: 'station',
        parent: 'gd-sz',
        region,
        overrideRate: 15,
      },
      { id: 'acc-team', name: '累计测试队', kind: 'team', parent: 'acc-station', region },
      {
        id: 'rv-station',
        name: '复核测试服务站',
        kind: 'station',
        parent: 'gd-sz',
        region,
        overrideRate: 15,
      },
      { id: 'rv-team', name: '复核测试队', kind: 'team', parent: 'rv-station', region },
    ],
    members: [
      ...org.members,
      { node: 'acc-station', openid: ACC_ADMIN, role: 'station_admin', displayName: '累计站长' },
      { node: 'acc-team', openid: ACC_VOLUNTEER, role: 'volunteer', displayName: '小累' },
      { node: 'rv-team', openid: RV_VOLUNTEER, role: 'volunteer', displayName: '小复' },
    ],
  })
  await seedOrganisations(extra, new Date(SEEDED_AT))
  await getDb()
    .collection('roles')
    .doc(COMMITTEE)
    .set({ data: { roles: ['organiser'] } })
  questionnaire = questionnaireSchema.parse(await questionnaireFor('demo'))
  host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: ['survey', 'volunteer', 'wallet', 'review'],
  })
})

afterAll(() => {
  setClockForTests(undefined)
  clearConfigCache()
  local.close()
})

describe('the share reward is written once', () => {
  test('under 50 concurrent submissions of the main part that makes the sample valid, and retries', async () => {
    const code = await codeOf(VOLUNTEER, 'gz-tianhe-t1')
    const before = await balanceOf(VOLUNTEER)
    const station0 = await ok('volunteer', STATION_ADMIN, {
      action: 'nodeOverview',
      nodeId: 'gz-tianhe',
    })
    await start('o-burst', `c=${code}`)
    clock.now += 600_000
    // 50 taps at once, each with its own requestId: one is accepted, the rest find it done.
    const ids = Array.from({ length: 50 }, () => rid('burst'))
    const replies = await Promise.all(ids.map((id) => submitMain('o-burst', id)))
    const accepted = replies.filter((r) => r.ok)
    expect(accepted).toHaveLength(1)
    expect(accepted[0]!.data.valid).toBe(true)
    expect(new Set(replies.filter((r) => !r.ok).map((r) => r.error!.code))).toEqual(
      new Set(['SECTION_DONE']),
    )
    // Retries of the accepted one, concurrent too: the first reply each time, nothing more.
    const winner = ids[replies.findIndex((r) => r.ok)]!
    const retries = await Promise.all(
      Array.from({ length: 10 }, () => submitMain('o-burst', winner)),
    )
    for (const r of retries) expect(r).toEqual(accepted[0])

    // 50 at once with one requestId (a client retrying in a loop): one effect, one reply.
    await start('o-burst-2', `c=${code}`)
    clock.now += 600_000
    const same = rid('same')
    const sameReplies = await Promise.all(
      Array.from({ length: 50 }, () => submitMain('o-burst-2', same)),
    )
    for (const r of sameReplies) expect(r).toEqual(sameReplies[0])
    expect(sameReplies[0]).toMatchObject({ ok: true, data: { valid: true } })

    for (const resp of ['demo:o-burst', 'demo:o-burst-2'])
      expect(await entriesOf({ kind: 'share_reward', ref: resp })).toHaveLength(1)
    expect(await balanceOf(VOLUNTEER)).toBe(before + 2)
    const station = await ok('volunteer', STATION_ADMIN, {
      action: 'nodeOverview',
      nodeId: 'gz-tianhe',
    })
    expect(station.total.valid - station0.total.valid).toBe(2)
    expect(station.override.samples - station0.override.samples).toBe(2)
    expect(station.override.accruedHundredths - station0.override.accruedHundredths).toBe(30)
    const me = await ok('volunteer', VOLUNTEER, { action: 'me' })
    const mine = me.memberships.find((m: { node: { id: string } }) => m.node.id === 'gz-tianhe-t1')
    expect(mine.code.total.valid).toBeGreaterThanOrEqual(2)
  })
})

describe('override accrual', () => {
  test('207 samples at 15% settle to exactly 31 points however settlements interleave', async () => {
    const code = await codeOf(ACC_VOLUNTEER, 'acc-team')
    const random = seededRandom(15)
    const people = Array.from({ length: 207 }, (_, i) => `o-acc-${i}`)
    const settle = (who: string) =>
      who === COMMITTEE
        ? ok('volunteer', COMMITTEE, { action: 'settleAll' })
        : ok('volunteer', who, {
            action: 'settleOverride',
            nodeId: 'acc-station',
            requestId: rid('settle'),
          })
    // Batches of random size, settlements by the admin, the committee and the timer in between
    // and alongside the submissions.
    for (let at = 0; at < people.length;) {
      const size = 1 + Math.floor(random() * 60)
      const batch = people.slice(at, at + size)
      at += size
      await Promise.all([
        answerAll(batch, `c=${code}`),
        settle(ACC_ADMIN),
        random() < 0.5 ? settle(COMMITTEE) : local.runAs({ openid: '' }, async () => null),
      ])
      if (random() < 0.3) await call('volunteer', '', { Type: 'Timer' })
    }
    const last = await settle(ACC_ADMIN)
    expect(last).toMatchObject({ nodeId: 'acc-station', settled: 31, accruedHundredths: 3105 })
    const overview = await ok('volunteer', ACC_ADMIN, {
      action: 'nodeOverview',
      nodeId: 'acc-station',
    })
    expect(overview.override).toEqual({
      samples: 207,
      accruedHundredths: 3105,
      settled: 31,
      balance: 31,
    })
    const postings = await entriesOf({ openid: 'node:acc-station' })
    expect(postings.every((e) => e.kind === 'station_override' && e.amount > 0)).toBe(true)
    expect(postings.reduce((s, e) => s + e.amount, 0)).toBe(31)
    // The volunteer: one point per sample; the unit above counts them but takes no override.
    expect(await balanceOf(ACC_VOLUNTEER)).toBe(207)
    const city = await ok('volunteer', UNIT_ADMIN, { action: 'nodeOverview', nodeId: 'gd-sz' })
    expect(city.override.samples).toBe(0)
    expect(city.total.valid).toBeGreaterThanOrEqual(207)
    // Settling again changes nothing.
    expect(await settle(ACC_ADMIN)).toMatchObject({ posted: 0, settled: 31 })
  }, 60_000)
})

describe('reversal by the committee', () => {
  test('takes back the share reward (a debt when spent) and the override, moves the counters, pays nothing twice', async () => {
    const code = await codeOf(RV_VOLUNTEER, 'rv-team')
    const people = Array.from({ length: 7 }, (_, i) => `o-rv-${i}`)
    await answerAll(people, `c=${code}`)
    const settle = () =>
      ok('volunteer', COMMITTEE, {
        action: 'settleOverride',
        nodeId: 'rv-station',
        requestId: rid('settle'),
      })
    expect(await settle()).toMatchObject({ posted: 1, settled: 1, accruedHundredths: 105 })
    // The volunteer spends their 7 points (a transfer): the reversal will leave a debt.
    expect(await balanceOf(RV_VOLUNTEER)).toBe(7)
    await ok('wallet', RV_VOLUNTEER, {
      action: 'transfer',
      toCode: await userCode('o-rv-friend'),
      amount: 7,
      requestId: rid('transfer'),
    })
    const stats0 = await ok('volunteer', COMMITTEE, {
      action: 'nodeOverview',
      nodeId: 'rv-station',
    })
    expect(stats0.total).toEqual({ valid: 7, invalid: 0 })

    const input = { action: 'invalidateSample', responseId: 'demo:o-rv-0', reason: '复核发现代答' }
    // Only the committee reviews samples.
    expect(await errorCode('review', STATION_ADMIN, { ...input, requestId: rid() })).toBe(
      'FORBIDDEN',
    )
    const requestId = rid('invalidate')
    const reversed = await ok('review', COMMITTEE, { ...input, requestId })
    expect(reversed).toEqual({
      responseId: 'demo:o-rv-0',
      reversed: { shareReward: true, overrideNodeId: 'rv-station' },
    })
    expect(await ok('review', COMMITTEE, { ...input, requestId })).toEqual(reversed)
    expect(await errorCode('review', COMMITTEE, { ...input, requestId: rid() })).toBe(
      'NO_TRANSITION',
    )

    const reversal = await entriesOf({ openid: RV_VOLUNTEER, kind: 'reversal' })
    expect(reversal).toEqual([
      expect.objectContaining({ _id: 'rv:sr:demo:o-rv-0', amount: -1, ref: 'demo:o-rv-0' }),
    ])
    // The share reward stays as written: reversed by an entry, never deleted.
    expect(await entriesOf({ kind: 'share_reward', ref: 'demo:o-rv-0' })).toHaveLength(1)
    expect(await balanceOf(RV_VOLUNTEER)).toBe(-1) // the debt
    const resp = await readDoc<{ sample: { valid: boolean } }>(
      getDb().collection('responses').doc('demo:o-rv-0'),
    )
    expect(resp?.sample.valid).toBe(false)

    const stats = await ok('volunteer', COMMITTEE, { action: 'nodeOverview', nodeId: 'rv-station' })
    expect(stats.total).toEqual({ valid: 6, invalid: 1 })
    expect(stats.override).toMatchObject({ samples: 6, accruedHundredths: 90, settled: 1 })
    const team = stats.children.find((c: { id: string }) => c.id === 'rv-team')
    expect(team.total).toEqual({ valid: 6, invalid: 1 })
    const me = await ok('volunteer', RV_VOLUNTEER, { action: 'me' })
    expect(me.memberships[0].code.total).toEqual({ valid: 6, invalid: 1 })
    expect(me.pointsFromSharing).toBe(6)

    // The next settlement takes the point back (a reversal entry), once.
    expect(await settle()).toMatchObject({ posted: -1, settled: 0, accruedHundredths: 90 })
    expect(await settle()).toMatchObject({ posted: 0, settled: 0 })
    const node = (await entriesOf({ openid: 'node:rv-station' })).sort((x, y) => x.seq - y.seq)
    expect(node.map((e) => [e.kind, e.amount])).toEqual([
      ['station_override', 1],
      ['reversal', -1],
    ])

    // A new valid sample pays the debt off and brings the override back, exactly once.
    await answerAll(['o-rv-7'], `c=${code}`)
    expect(await balanceOf(RV_VOLUNTEER)).toBe(0)
    expect(await settle()).toMatchObject({ posted: 1, settled: 1, accruedHundredths: 105 })
    expect(await balanceOf('node:rv-station')).toBe(1)
  })
})

describe('roles', () => {
  test('a station admin cannot act on another station', async () => {
    const other = await ok('volunteer', COMMITTEE, {
      action: 'ensureCode',
      nodeId: 'sz-nanshan',
      forNode: true,
      requestId: rid(),
    })
    const attempts: Array<[string, object]> = [
      ['nodeOverview', { nodeId: 'sz-nanshan' }],
      ['nodeOverview', { nodeId: 'sz-nanshan-t1' }],
      ['createInvite', { nodeId: 'sz-nanshan-t1', requestId: rid() }],
      ['setCodeActive', { code: other.code, active: false, requestId: rid() }],
      ['codeImage', { code: other.code }],
      ['ensureCode', { nodeId: 'sz-nanshan', forNode: true, requestId: rid() }],
      [
        'createChannelCodes',
        { nodeId: 'sz-nanshan', batchLabel: '学校', codes: [{ label: '一中' }], requestId: rid() },
      ],
      ['settleOverride', { nodeId: 'sz-nanshan', requestId: rid() }],
      [
        'grantRole',
        {
          nodeId: 'sz-nanshan',
          memberCode: await userCode(VOLUNTEER),
          role: 'station_admin',
          displayName: '夺权',
          requestId: rid(),
        },
      ],
      [
        'nodeTransfer',
        {
          nodeId: 'sz-nanshan',
          memberCode: await userCode(VOLUNTEER),
          amount: 1,
          requestId: rid(),
        },
      ],
      // Nor above their own: the city unit.
      ['nodeOverview', { nodeId: 'gd-gz' }],
    ]
    const requests = await count(REQUESTS_COLLECTION)
    for (const [action, input] of attempts)
      expect([action, await errorCode('volunteer', STATION_ADMIN, { action, ...input })]).toEqual([
        action,
        'FORBIDDEN',
      ])
    expect(await count(REQUESTS_COLLECTION)).toBe(requests)
    const code = await readDoc<{ active: boolean }>(
      getDb().collection('shareCodes').doc(other.code),
    )
    expect(code?.active).toBe(true)
    // Their own station works.
    await ok('volunteer', STATION_ADMIN, { action: 'nodeOverview', nodeId: 'gz-tianhe' })
  })

  test('a volunteer cannot make codes for others, manage, or grant', async () => {
    const codes = await count('shareCodes')
    const attempts: Array<[string, object]> = [
      ['ensureCode', { nodeId: 'gz-tianhe-t1', forNode: true, requestId: rid() }],
      [
        'createChannelCodes',
        {
          nodeId: 'gz-tianhe-t1',
          batchLabel: '学校',
          codes: [{ label: '一中' }],
          requestId: rid(),
        },
      ],
      ['nodeOverview', { nodeId: 'gz-tianhe-t1' }],
      ['createInvite', { nodeId: 'gz-tianhe-t1', requestId: rid() }],
      [
        'grantRole',
        {
          nodeId: 'gz-tianhe-t1',
          memberCode: await userCode('o-someone'),
          role: 'volunteer',
          displayName: '朋友',
          requestId: rid(),
        },
      ],
    ]
    for (const [action, input] of attempts)
      expect([action, await errorCode('volunteer', VOLUNTEER, { action, ...input })]).toEqual([
        action,
        'FORBIDDEN',
      ])
    expect(await count('shareCodes')).toBe(codes)
    // The settlement of every node is the timer's or the committee's.
    expect(await errorCode('volunteer', VOLUNTEER, { action: 'settleAll' })).toBe('FORBIDDEN')
  })
})

describe('channel codes in bulk', () => {
  const rows = [
    { label: '第一中学', target: 300 },
    { label: '=HYPERLINK("x")', target: 50 },
    { label: '科技公司, 南区', target: 0 },
  ]

  test('one batch per requestId: the same request twice makes no second code, another input is refused', async () => {
    const requestId = rid('batch')
    const input = {
      action: 'createChannelCodes',
      nodeId: 'gz-tianhe',
      batchLabel: '天河高校',
      codes: rows,
      requestId,
    }
    const first = await ok('volunteer', STATION_ADMIN, input)
    expect(first.codes).toHaveLength(3)
    expect(first.codes.map((c: { label: string }) => c.label)).toEqual(rows.map((r) => r.label))
    const again = await ok('volunteer', STATION_ADMIN, input)
    expect(again).toEqual(first)
    expect(await count('shareCodes', { batchId: first.batchId })).toBe(3)
    expect(
      await errorCode('volunteer', STATION_ADMIN, {
        ...input,
        codes: [...rows, { label: '第二中学' }],
      }),
    ).toBe('IDEMPOTENCY_MISMATCH')
    expect(await count('shareCodes', { batchId: first.batchId })).toBe(3)
    expect(await count('channelBatches')).toBe(1)
    // The codes attribute to the station's chain, their share rewards to the station's account.
    const doc = await readDoc<{ chain: { overrideNodeId: string; stationId: string } }>(
      getDb().collection('shareCodes').doc(first.codes[0].code),
    )
    expect(doc?.chain).toMatchObject({ stationId: 'gz-tianhe', overrideNodeId: 'gd-gz' })
  })

  test('exported as CSV and XLSX, each code with its label and target (a 64-character requestId too)', async () => {
    const batch = await ok('volunteer', STATION_ADMIN, {
      action: 'createChannelCodes',
      nodeId: 'gz-tianhe',
      batchLabel: '天河企业',
      codes: rows,
      requestId: `long-${'x'.repeat(59)}`,
    })
    const csvFile = await ok('volunteer', STATION_ADMIN, {
      action: 'exportChannelCodes',
      batchId: batch.batchId,
      format: 'csv',
    })
    const csv = local.storage.readFileId(csvFile.fileId)!.toString('utf8')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    const lines = csv.slice(1).trim().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toContain('分享码')
    const parsed = lines.slice(1).map(parseCsvLine)
    for (const [i, c] of batch.codes.entries()) {
      const row = parsed[i]!
      expect(row[2]).toBe(c.code)
      expect(row[3]).toBe(String(rows[i]!.target))
    }
    expect(parsed.map((r) => r[1])).toEqual(['第一中学', `'=HYPERLINK("x")`, '科技公司, 南区'])

    const xlsxFile = await ok('volunteer', STATION_ADMIN, {
      action: 'exportChannelCodes',
      batchId: batch.batchId,
      format: 'xlsx',
    })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(local.storage.readFileId(xlsxFile.fileId)! as unknown as ExcelJS.Buffer)
    const sheet = book.worksheets[0]!
    expect(sheet.rowCount).toBe(4)
    for (const [i, c] of batch.codes.entries()) {
      const row = sheet.getRow(i + 2)
      expect([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]).toEqual([
        rows[i]!.label,
        c.code,
        rows[i]!.target,
      ])
    }
    expect(sheet.getImages()).toHaveLength(3)
    // Only the node's admins download it.
    expect(
      await errorCode('volunteer', VOLUNTEER, {
        action: 'exportChannelCodes',
        batchId: batch.batchId,
        format: 'csv',
      }),
    ).toBe('FORBIDDEN')
  }, 30_000)
})

/** One CSV line (quoted fields with "" inside) as its fields. */
function parseCsvLine(line: string): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      out.push(field)
      field = ''
    } else field += ch
  }
  out.push(field)
  return out
}

describe('attribution at start', () => {
  test('a paused code is ignored with a warning and earns nothing; resumed, it counts again', async () => {
    const code = await codeOf(VOLUNTEER, 'gz-tianhe-t1')
    await ok('volunteer', VOLUNTEER, {
      action: 'setCodeActive',
      code,
      active: false,
      requestId: rid(),
    })
    const before = await balanceOf(VOLUNTEER)
    const started = await start('o-paused', `c=${code}`)
    expect(started.attributionWarning).toBe(ATTRIBUTION_WARNINGS.paused)
    clock.now += 600_000
    expect((await submitMain('o-paused')).data.valid).toBe(true)
    expect(await balanceOf(VOLUNTEER)).toBe(before)
    const unknown = await start('o-unknown', 'c=ZZZZZZZ')
    expect(unknown.attributionWarning).toBe(ATTRIBUTION_WARNINGS.unknown)
    await ok('volunteer', VOLUNTEER, {
      action: 'setCodeActive',
      code,
      active: true,
      requestId: rid(),
    })
    await answerAll(['o-resumed'], `c=${code}`)
    expect(await balanceOf(VOLUNTEER)).toBe(before + 1)
  })

  test("a code cannot change after start, and a volunteer's own answer earns them nothing", async () => {
    const first = await codeOf(VOLUNTEER, 'gz-tianhe-t1')
    const second = await codeOf(ACC_VOLUNTEER, 'acc-team')
    await start('o-switch', `c=${first}`)
    const again = await start('o-switch', `c=${second}`)
    expect(again.attributionWarning).toBeNull()
    const resp = await readDoc<{ attribution: { code: string } }>(
      getDb().collection('responses').doc('demo:o-switch'),
    )
    expect(resp?.attribution.code).toBe(first)

    const own = await balanceOf(VOLUNTEER)
    await answerAll([VOLUNTEER], `c=${first}`)
    expect(await balanceOf(VOLUNTEER)).toBe(own)
    expect(await entriesOf({ kind: 'share_reward', ref: `demo:${VOLUNTEER}` })).toHaveLength(0)
  })
})

describe('bad input', () => {
  test('is refused by the schema with nothing written', async () => {
    const counts = async () =>
      Promise.all(
        [
          'shareCodes',
          'channelBatches',
          'orgInvites',
          'orgMembers',
          REQUESTS_COLLECTION,
          'pointEntries',
        ].map((c) => count(c)),
      )
    const before = await counts()
    const bad: Array<[string, string, object]> = [
      [
        STATION_ADMIN,
        'createChannelCodes',
        { nodeId: 'gz-tianhe', batchLabel: '空', codes: [], requestId: rid() },
      ],
      [
        STATION_ADMIN,
        'createChannelCodes',
        {
          nodeId: 'gz-tianhe',
          batchLabel: '学校',
          codes: [{ label: 'x'.repeat(41) }],
          requestId: rid(),
        },
      ],
      [
        STATION_ADMIN,
        'createChannelCodes',
        {
          nodeId: 'gz-tianhe',
          batchLabel: '学校',
          codes: [{ label: '一中', target: -1 }],
          requestId: rid(),
        },
      ],
      [
        STATION_ADMIN,
        'createChannelCodes',
        {
          nodeId: 'gz-tianhe',
          batchLabel: '学校',
          codes: Array.from({ length: 501 }, (_, i) => ({ label: `${i}` })),
          requestId: rid(),
        },
      ],
      [STATION_ADMIN, 'createInvite', { nodeId: 'gz-tianhe-t1', maxUses: 0, requestId: rid() }],
      [STATION_ADMIN, 'createInvite', { nodeId: 'gz-tianhe-t1', role: 'king', requestId: rid() }],
      [STATION_ADMIN, 'createInvite', { nodeId: 'GZ TIANHE', requestId: rid() }],
      [STATION_ADMIN, 'createInvite', { nodeId: 'gz-tianhe-t1', requestId: 'short' }],
      ['o-bad', 'apply', { code: 'ABCDEFG', displayName: '', requestId: rid() }],
      [
        'o-bad',
        'apply',
        { code: 'ABCDEFG', displayName: '甲', realName: '1234', requestId: rid() },
      ],
      [VOLUNTEER, 'setCodeActive', { code: 'ABC', active: false, requestId: rid() }],
      [
        STATION_ADMIN,
        'nodeTransfer',
        { nodeId: 'gz-tianhe', memberCode: 'XXXXXXXX', amount: 0, requestId: rid() },
      ],
      [STATION_ADMIN, 'settleOverride', { nodeId: 'gz-tianhe' }],
      [STATION_ADMIN, 'exportChannelCodes', { batchId: '../../etc', format: 'csv' }],
      [STATION_ADMIN, 'exportChannelCodes', { batchId: 'gz-tianhe-abcdefgh', format: 'pdf' }],
    ]
    for (const [openid, action, input] of bad)
      expect([action, await errorCode('volunteer', openid, { action, ...input })]).toEqual([
        action,
        'BAD_REQUEST',
      ])
    expect(
      await errorCode('review', COMMITTEE, {
        action: 'invalidateSample',
        responseId: 'nope',
        reason: '无效',
        requestId: rid(),
      }),
    ).toBe('BAD_REQUEST')
    expect(await counts()).toEqual(before)
  })
})

describe('a requestId reused with another input is refused', () => {
  test('by every mutating volunteer action, and the review', async () => {
    const mismatch = async (openid: string, fn: string, first: object, second: object) => {
      const requestId = rid('mm')
      await ok(fn, openid, { ...first, requestId })
      const label = (first as { action: string }).action
      expect([label, await errorCode(fn, openid, { ...second, requestId })]).toEqual([
        label,
        'IDEMPOTENCY_MISMATCH',
      ])
    }
    const T1 = 'gz-tianhe-t1'
    const T2 = 'gz-tianhe-t2'
    const invite = { action: 'createInvite', nodeId: T2, maxUses: 10 }
    await mismatch(STATION_ADMIN, 'volunteer', invite, { ...invite, maxUses: 11 })
    const inviteA = await ok('volunteer', STATION_ADMIN, { ...invite, requestId: rid() })
    const inviteB = await ok('volunteer', STATION_ADMIN, { ...invite, requestId: rid() })

    const apply = { action: 'apply', code: inviteA.code, displayName: '小甲' }
    await mismatch('o-mm-a', 'volunteer', apply, { ...apply, displayName: '小乙' })
    await ok('volunteer', 'o-mm-b', { ...apply, displayName: '小丙', requestId: rid() })
    const a = await userCode('o-mm-a')
    const b = await userCode('o-mm-b')

    const review = { action: 'review', nodeId: T2, memberCode: a, decision: 'approve' }
    await mismatch(STATION_ADMIN, 'volunteer', review, { ...review, decision: 'reject' })
    await ok('volunteer', STATION_ADMIN, { ...review, memberCode: b, requestId: rid() })

    const code = await codeOf('o-mm-a', T2)
    const pause = { action: 'setCodeActive', code, active: false }
    await mismatch('o-mm-a', 'volunteer', pause, { ...pause, active: true })

    await mismatch(
      STATION_ADMIN,
      'volunteer',
      { action: 'ensureCode', nodeId: T1, forNode: true },
      { action: 'ensureCode', nodeId: T2, forNode: true },
    )
    await mismatch(
      STATION_ADMIN,
      'volunteer',
      { action: 'closeInvite', code: inviteA.code },
      { action: 'closeInvite', code: inviteB.code },
    )
    const grant = {
      action: 'grantRole',
      nodeId: T2,
      memberCode: a,
      role: 'team_leader',
      displayName: '小甲',
    }
    await mismatch(STATION_ADMIN, 'volunteer', grant, { ...grant, role: 'volunteer' })
    await mismatch(
      'o-mm-b',
      'volunteer',
      { action: 'leave', nodeId: T2 },
      { action: 'leave', nodeId: T1 },
    )
    await ok('volunteer', STATION_ADMIN, {
      action: 'grantRole',
      nodeId: T1,
      memberCode: b,
      role: 'volunteer',
      displayName: '小丙',
      requestId: rid(),
    })
    await mismatch(
      STATION_ADMIN,
      'volunteer',
      { action: 'removeMember', nodeId: T1, memberCode: b },
      { action: 'removeMember', nodeId: T2, memberCode: a },
    )
    await mismatch(
      UNIT_ADMIN,
      'volunteer',
      { action: 'settleOverride', nodeId: 'gd-gz' },
      { action: 'settleOverride', nodeId: 'gd' },
    )
    const channels = {
      action: 'createChannelCodes',
      nodeId: T1,
      batchLabel: '社区',
      codes: [{ label: '一区' }],
    }
    await mismatch(STATION_ADMIN, 'volunteer', channels, { ...channels, batchLabel: '社区二' })
    // The accrual station has 31 points to give by now.
    const transfer = {
      action: 'nodeTransfer',
      nodeId: 'acc-station',
      memberCode: await userCode(ACC_VOLUNTEER),
      amount: 1,
    }
    await mismatch(ACC_ADMIN, 'volunteer', transfer, { ...transfer, amount: 2 })
    expect(await balanceOf('node:acc-station')).toBe(30)

    await answerAll(['o-mm-r1', 'o-mm-r2'], `c=${await codeOf(VOLUNTEER, T1)}`)
    const invalidate = {
      action: 'invalidateSample',
      responseId: 'demo:o-mm-r1',
      reason: '复核无效',
    }
    await mismatch(COMMITTEE, 'review', invalidate, { ...invalidate, responseId: 'demo:o-mm-r2' })
  })

  test('a settlement retried with its requestId answers the first result, once', async () => {
    const requestId = rid('settle')
    const input = { action: 'settleOverride', nodeId: 'acc-station', requestId }
    const first = await ok('volunteer', ACC_ADMIN, input)
    const entries = await count('pointEntries', { openid: 'node:acc-station' })
    expect(await ok('volunteer', ACC_ADMIN, input)).toEqual(first)
    expect(await count('pointEntries', { openid: 'node:acc-station' })).toBe(entries)
  })
})

test('reconcile finds every account, counter and share reward consistent after all of it', () => {
  const report = reconcile(local.store)
  expect(report.differences).toEqual([])
})
