// Personal information: a respondent sees what is held and deletes their personal information
// (names go, the response is pseudonymised, balances and the ledger stay, the reply says why);
// the retention job pseudonymises a campaign's responses after its retention period — keyed,
// idempotent, resumable in batches.
import { isPseudonym, pseudonymiseAfter } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { seed } from '../../scripts/seed'
import { getDb, setClockForTests } from '../../server/db'
import { ensurePointAccount } from '../../server/ledger'
import { DELETED_NAME, pseudonymOf, retentionRun } from '../../server/privacy'
import { clearConfigCache } from '../../server/records/config-cache'
import { RESPONSES, newResponse, responseId } from '../../server/records/responses'

const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const clock = { now: SEEDED_AT + 3_600_000 }
let local: LocalCloud
let host: FunctionHost
let endsAt: string

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string } }
const call = (openid: string, event: object) =>
  host.invoke('privacy', event as Record<string, unknown>, { openid }) as Promise<Reply>

async function respondent(
  openid: string,
  answers: Record<string, unknown> = { m_age: 'age_25_34' },
) {
  const { _id, ...data } = newResponse('demo', openid, 'public', new Date(clock.now))
  await getDb()
    .collection(RESPONSES)
    .doc(_id)
    .set({ data: { ...data, answers, chancesGranted: 5 } })
}

beforeAll(async () => {
  process.env.WAL_PSEUDONYM_KEY = 'test-key-1'
  local = startLocalCloud()
  setClockForTests(() => clock.now)
  clearConfigCache()
  await seed({ nowMs: SEEDED_AT })
  host = createFunctionHost({ cloud: local, from: 'source', only: ['privacy'] })
  endsAt = (
    (await getDb().collection('campaigns').doc('demo').get()).data as { window: { endsAt: string } }
  ).window.endsAt
})
afterAll(() => {
  delete process.env.WAL_PSEUDONYM_KEY
  setClockForTests(undefined)
  local.close()
})

describe('我的数据与隐私', () => {
  const me = 'o-privacy-me'

  beforeAll(async () => {
    await respondent(me)
    await ensurePointAccount(me, new Date(clock.now))
    await getDb()
      .collection('pointAccounts')
      .doc(me)
      .update({ data: { nickname: '小明同学' } })
    await getDb()
      .collection('volunteerIdentities')
      .doc(me)
      .set({
        data: { realName: '王小明', purpose: 'volunteer_certificate', consentedAt: new Date() },
      })
    await getDb()
      .collection('orgMembers')
      .doc(`gz-tianhe:${me}`)
      .set({
        data: {
          nodeId: 'gz-tianhe',
          openid: me,
          userCode: 'U1',
          role: 'volunteer',
          status: 'active',
          displayName: '小明',
          history: [],
          createdAt: new Date(),
          updatedAt: new Date(),
        },
      })
  })

  it('shows what is held: the response, points, memberships, the real name masked, the purposes', async () => {
    const reply = await call(me, { action: 'myData' })
    expect(reply.ok).toBe(true)
    expect(reply.data.responses).toEqual([
      expect.objectContaining({
        campaignId: 'demo',
        chancesGranted: 5,
        pseudonymiseAfter: pseudonymiseAfter(endsAt, 180).toISOString(),
      }),
    ])
    expect(reply.data.points).toMatchObject({ balance: 0, nickname: '小明同学' })
    expect(reply.data.memberships).toEqual([
      { nodeId: 'gz-tianhe', role: 'volunteer', status: 'active', displayName: '小明' },
    ])
    expect(reply.data.identity).toEqual({ maskedName: '王**', purpose: 'volunteer_certificate' })
    expect(reply.data.purposes.length).toBeGreaterThan(0)
  })

  it('deletes personal fields at once, pseudonymises the response, keeps balances and says why', async () => {
    const reply = await call(me, { action: 'deleteMe', requestId: 'delete-me-0001' })
    expect(reply.ok).toBe(true)
    expect(reply.data.removed).toEqual([
      '昵称',
      '真实姓名（志愿者证书用）',
      '志愿者显示名（1 个组织）',
      '问卷答卷与您微信身份的关联（1 份，答案以假名保留）',
    ])
    expect(reply.data.kept.map((k: { what: string }) => k.what)).toEqual([
      '积分账户（余额 0）与积分流水',
      '抽奖、红包发放与兑换记录',
      '问卷答案与统计数',
    ])
    const db = getDb()
    expect((await db.collection(RESPONSES).doc(responseId('demo', me)).get()).data).toBeNull()
    const moved = (
      await db
        .collection(RESPONSES)
        .doc(responseId('demo', pseudonymOf(me)))
        .get()
    ).data as { openid: string; answers: object; chancesGranted: number }
    expect(moved).toMatchObject({ answers: { m_age: 'age_25_34' }, chancesGranted: 5 })
    expect(isPseudonym(moved.openid)).toBe(true)
    expect(
      ((await db.collection('pointAccounts').doc(me).get()).data as { nickname: null }).nickname,
    ).toBeNull()
    expect((await db.collection('volunteerIdentities').doc(me).get()).data).toBeNull()
    expect(
      (
        (await db.collection('orgMembers').doc(`gz-tianhe:${me}`).get()).data as {
          displayName: string
        }
      ).displayName,
    ).toBe(DELETED_NAME)

    // A lost reply re-sent: the same answer, nothing more done.
    expect(await call(me, { action: 'deleteMe', requestId: 'delete-me-0001' })).toEqual(reply)
    const after = await call(me, { action: 'myData' })
    expect(after.data).toMatchObject({ responses: [], identity: null, points: { nickname: null } })
  })
})

describe('retention', () => {
  const people = ['o-ret-1', 'o-ret-2', 'o-ret-3', 'o-ret-4', 'o-ret-5']

  beforeAll(async () => {
    for (const p of people) await respondent(p, { m_age: 'age_35_44' })
  })

  it('does nothing before the window end plus the retention days', async () => {
    const run = await retentionRun(new Date(Date.parse(endsAt) + 179 * 86_400_000))
    // (wal-2024 ended long ago: it is due, and has no responses.)
    expect(run.campaigns.map((c) => c.campaignId)).not.toContain('demo')
    expect(
      (await getDb().collection(RESPONSES).doc(responseId('demo', people[0]!)).get()).data,
    ).not.toBeNull()
  })

  it('pseudonymises in batches from a cursor, resumes, and then changes nothing more', async () => {
    const due = new Date(Date.parse(endsAt) + 181 * 86_400_000)
    const first = await retentionRun(due, 1, 2)
    expect(first.campaigns.filter((c) => c.campaignId === 'demo')).toEqual([
      { campaignId: 'demo', pseudonymised: 2, identitiesRemoved: 0, finished: false },
    ])
    const stored = (await getDb().collection('privacyRuns').doc('demo').get()).data as {
      cursor: string
    }
    expect(stored.cursor).toBe(responseId('demo', 'o-ret-2'))

    // The timer's event goes through the function; it runs until the campaign is done.
    clock.now = due.getTime()
    const timer = await host.invoke(
      'privacy',
      { Type: 'Timer', TriggerName: 'dailyRetention' },
      { openid: '' },
    )
    expect(timer).toMatchObject({
      ok: true,
      data: {
        campaigns: expect.arrayContaining([
          { campaignId: 'demo', pseudonymised: 5, identitiesRemoved: 0, finished: true },
        ]),
      },
    })
    const all = (await getDb().collection(RESPONSES).where({ campaignId: 'demo' }).get())
      .data as Array<{
      openid: string
      answers: object
    }>
    expect(all).toHaveLength(people.length + 1)
    expect(all.every((r) => isPseudonym(r.openid))).toBe(true)
    expect(all.filter((r) => JSON.stringify(r.answers).includes('age_35_44'))).toHaveLength(5)

    const again = await retentionRun(due)
    expect(again.campaigns.filter((c) => c.campaignId === 'demo')).toEqual([
      { campaignId: 'demo', pseudonymised: 5, identitiesRemoved: 0, finished: true },
    ])
  })

  it('the pseudonym is keyed: another key gives another one, and none is the openid', () => {
    const a = pseudonymOf('o-ret-1')
    process.env.WAL_PSEUDONYM_KEY = 'another-key'
    const b = pseudonymOf('o-ret-1')
    process.env.WAL_PSEUDONYM_KEY = 'test-key-1'
    expect(a).not.toBe(b)
    expect(a).not.toContain('o-ret-1')
  })

  it('only the timer or an organiser runs retention', async () => {
    expect((await call('o-nobody', { action: 'retentionRun' })).error?.code).toBe('FORBIDDEN')
  })
})
