// Reconcile stays clean after personal information is deleted and after the retention job: the
// pseudonymised responses keep their grants, samples and share codes, while the prize ledger
// (chance accounts and spends, share rewards naming the old response id) keeps the openid.
// Reconcile pairs them by the markers the privacy code writes, without the pseudonym key.
import { isPseudonym, orgFileSchema } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { reconcile } from '../../scripts/reconcile'
import { seedOrganisations } from '../../scripts/seed'
import { getDb, setClockForTests } from '../../server/db'
import { RETENTION_POLICIES, pseudonymOf, retentionRun } from '../../server/privacy'
import { CAMPAIGNS_COLLECTION, QUESTIONNAIRES_COLLECTION } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'
import { RESPONSES, responseId } from '../../server/records/responses'
import { TABLE_2024, useRewards, type LooseReply } from './reward-fixture'
import { CAMPAIGN, OPEN_AT, QUESTIONNAIRE, mainAnswers, rid } from './survey-fixture'

const RETENTION_DAYS = 30
const clock = { now: OPEN_AT }
let local: LocalCloud
let host: FunctionHost

const call = async (fn: string, openid: string, event: object): Promise<LooseReply> => {
  const reply = (await host.invoke(fn, event as Record<string, unknown>, { openid })) as LooseReply
  if (!reply.ok) throw new Error(`${fn} ${JSON.stringify(event)}: ${JSON.stringify(reply.error)}`)
  return reply
}

const submit = (openid: string, sectionId: string, answers: object, seconds = 120) => {
  clock.now += seconds * 1000
  return call('survey', openid, { action: 'submitSection', sectionId, answers, requestId: rid() })
}

const differences = () => reconcile(local.store).differences

/** The one who asks for deletion: answered through a share code, drew, won points. */
const ME = 'o-me'

beforeAll(async () => {
  process.env.WAL_PSEUDONYM_KEY = 'reconcile-test-key'
  local = startLocalCloud()
  host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: ['survey', 'draw', 'wallet', 'volunteer', 'review', 'privacy'],
  })
  setClockForTests(() => clock.now)
  clearConfigCache()
  await getDb().collection(CAMPAIGNS_COLLECTION).doc(CAMPAIGN.id).set({ data: CAMPAIGN })
  await getDb().collection(QUESTIONNAIRES_COLLECTION).doc(CAMPAIGN.id).set({ data: QUESTIONNAIRE })
  await getDb()
    .collection(RETENTION_POLICIES)
    .doc(CAMPAIGN.id)
    .set({ data: { campaignId: CAMPAIGN.id, days: RETENTION_DAYS, purposes: ['调查统计'] } })
  await useRewards(TABLE_2024)
  clearConfigCache()

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

  // Four respondents through the code (one with a topic too), one without a code.
  for (const openid of [ME, 'o-s1', 'o-s2', 'o-s3']) {
    await call('survey', openid, {
      action: 'start',
      version: 'public',
      scene: `c=${code}`,
      requestId: rid('start'),
    })
    expect((await submit(openid, 'main', mainAnswers())).data.valid).toBe(true)
  }
  await submit(ME, 't_law', { tl_know: 4, tl_fair: 3 })
  await call('survey', 'o-plain', { action: 'start', version: 'public', requestId: rid('start') })
  await submit('o-plain', 'main', mainAnswers())

  // Chances spent on draws (points prizes), by the one who deletes and by others.
  await call('draw', ME, { action: 'draw', kind: 'copper', requestId: rid('draw') })
  await call('draw', ME, { action: 'draw', kind: 'nine_grid', requestId: rid('draw') })
  await call('draw', 'o-s2', { action: 'draw', kind: 'nine_grid', requestId: rid('draw') })
  await call('draw', 'o-plain', { action: 'draw', kind: 'nine_grid', requestId: rid('draw') })

  // The committee finds one sample invalid: its share reward is reversed (ref: the response id).
  clock.now += 60_000
  await call('review', 'o-committee', {
    action: 'invalidateSample',
    responseId: `${CAMPAIGN.id}:o-s1`,
    reason: '复核发现代答',
    requestId: rid('review'),
  })
})

afterAll(() => {
  delete process.env.WAL_PSEUDONYM_KEY
  setClockForTests(undefined)
  clearConfigCache()
  local.close()
})

it('is clean before anything is deleted', () => {
  expect(differences()).toEqual([])
})

it('is clean after a respondent deletes their personal information', async () => {
  const points = (await call('wallet', ME, { action: 'balance' })).data.balance as number
  expect(points).toBeGreaterThan(0)
  await call('privacy', ME, { action: 'deleteMe', requestId: rid('delete') })
  const db = getDb()
  expect((await db.collection(RESPONSES).doc(responseId(CAMPAIGN.id, ME)).get()).data).toBeNull()
  expect(
    (await db.collection('chanceAccounts').doc(responseId(CAMPAIGN.id, ME)).get()).data,
  ).toMatchObject({ responsePseudonymised: true, spent: 4 })

  const report = reconcile(local.store)
  expect(report.differences).toEqual([])
  // Nothing was lost from the sums: the grants, spends and share rewards are all still counted.
  expect(report).toMatchObject({
    chances: { responses: 5, spent: 6 },
    shareRewards: { rewards: 4, reversed: 1 },
    stats: { samples: 5, topics: 1, codes: 1 },
  })
})

it('is clean after the retention job has pseudonymised every response', async () => {
  const due = new Date(Date.parse(CAMPAIGN.window.endsAt) + (RETENTION_DAYS + 1) * 86_400_000)
  clock.now = due.getTime()
  const run = await retentionRun(due)
  expect(run.campaigns).toEqual([
    { campaignId: CAMPAIGN.id, pseudonymised: 4, identitiesRemoved: 0, finished: true },
  ])
  const all = (await getDb().collection(RESPONSES).where({ campaignId: CAMPAIGN.id }).get())
    .data as Array<{ openid: string }>
  expect(all).toHaveLength(5)
  expect(all.every((r) => isPseudonym(r.openid))).toBe(true)

  const report = reconcile(local.store)
  expect(report.differences).toEqual([])
  expect(report).toMatchObject({
    chances: { responses: 5, spent: 6 },
    shareRewards: { rewards: 4, reversed: 1 },
    stats: { samples: 5, topics: 1, codes: 1 },
  })
})

describe('what reconcile still finds among pseudonymised records', () => {
  it('a chance account that spent more than any pseudonymised response granted', async () => {
    const ref = getDb().collection('chanceAccounts').doc(responseId(CAMPAIGN.id, 'o-s2'))
    const before = (await ref.get()).data as { spent: number }
    await ref.update({ data: { spent: 99 } })
    try {
      expect(differences()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'chances',
            account: responseId(CAMPAIGN.id, 'o-s2'),
            problem: 'spent 99, entries spend 1',
          }),
          expect.objectContaining({
            kind: 'chances',
            account: CAMPAIGN.id,
            problem: expect.stringContaining('pseudonymised'),
          }),
        ]),
      )
    } finally {
      await ref.update({ data: { spent: before.spent } })
    }
    expect(differences()).toEqual([])
  })

  it('a share reward whose pseudonymised sample is gone', async () => {
    const ref = getDb()
      .collection(RESPONSES)
      .doc(responseId(CAMPAIGN.id, pseudonymOf('o-s3')))
    const doc = (await ref.get()).data as Record<string, unknown>
    await ref.remove()
    try {
      expect(differences().filter((d) => d.kind === 'shareRewards')).toEqual([
        expect.objectContaining({
          account: responseId(CAMPAIGN.id, 'o-s3'),
          problem: expect.stringContaining('no valid sample through a code'),
        }),
      ])
    } finally {
      const { _id, ...data } = doc
      await ref.set({ data })
    }
    expect(differences()).toEqual([])
  })
})
