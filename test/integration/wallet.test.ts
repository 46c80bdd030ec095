// The wallet function on the local cloud: accounts and user codes created on first need, entries
// page by page, nicknames checked before they are stored, transfers (both entries in one
// transaction, limits and the daily cap, exactly once per requestId), and organisers' batches.
import { balanceSchema, entriesPageSchema } from 'wal-core'
import { getDb } from '../../server/db'
import { GRANT_CHUNK } from '../../server/wallet'
import { reconcile } from '../../scripts/reconcile'
import {
  closeRewardWorld,
  makeOrganiser,
  openRewardWorld,
  rid,
  snapshot,
  type RewardWorld,
} from './reward-fixture'

let w: RewardWorld
beforeEach(async () => {
  w = await openRewardWorld({
    rewards: { transfer: { minAmount: 1, maxAmount: 500, dailyCap: 1000 } },
  })
})
afterEach(() => closeRewardWorld(w))

const WALLET_COLLECTIONS = ['pointAccounts', 'pointEntries', 'requests', 'grantBatches']

const wallet = (openid: string, event: object) => w.call('wallet', openid, event)

async function codeOf(openid: string): Promise<string> {
  const reply = await wallet(openid, { action: 'balance' })
  return balanceSchema.parse(reply.data).userCode
}

async function balanceOf(openid: string): Promise<number> {
  return balanceSchema.parse((await wallet(openid, { action: 'balance' })).data).balance
}

/** Points the way an organiser grants them (an activity_reward entry beside the balance). */
async function fund(amounts: Record<string, number>): Promise<void> {
  await makeOrganiser('o-organiser')
  const grants = []
  for (const [openid, amount] of Object.entries(amounts))
    grants.push({ userCode: await codeOf(openid), amount })
  const reply = await wallet('o-organiser', {
    action: 'grantActivityReward',
    reason: '测试发放',
    grants,
    requestId: rid('fund'),
  })
  if (!reply.ok) throw new Error(JSON.stringify(reply.error))
}

describe('balance and entries', () => {
  it('creates the account with a user code on first need; concurrent first calls make one', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => wallet('o-1', { action: 'balance' })),
    )
    const codes = new Set(replies.map((r) => balanceSchema.parse(r.data).userCode))
    expect(codes.size).toBe(1)
    expect([...codes][0]).toMatch(/^[23456789A-HJKMNP-Z]{8}$/)
    expect(replies[0]!.data).toMatchObject({ balance: 0, nickname: null })
    expect((await getDb().collection('pointAccounts').count()).total).toBe(1)
  })

  it('lists entries newest first with Chinese kind names, page by page', async () => {
    await fund({ 'o-1': 100, 'o-2': 0 + 1 })
    const to = await codeOf('o-2')
    for (const amount of [10, 20, 30])
      await wallet('o-1', { action: 'transfer', toCode: to, amount, requestId: rid('t') })
    const page1 = entriesPageSchema.parse(
      (await wallet('o-1', { action: 'entries', limit: 2 })).data,
    )
    expect(page1.items.map((e) => [e.kind, e.kindName, e.amount, e.balanceAfter])).toEqual([
      ['transfer_out', '积分转出', -30, 40],
      ['transfer_out', '积分转出', -20, 70],
    ])
    expect(page1.items[0]!.memo).toMatch(new RegExp(`转赠给 .*（${to}）`))
    const page2 = entriesPageSchema.parse(
      (await wallet('o-1', { action: 'entries', limit: 2, cursor: page1.nextCursor })).data,
    )
    expect(page2.items.map((e) => [e.kindName, e.amount])).toEqual([
      ['积分转出', -10],
      ['活动奖励', 100],
    ])
  })
})

describe('nickname', () => {
  it('is stored and shown to others masked; the same requestId is one change', async () => {
    const event = { action: 'setNickname', nickname: '张三丰', requestId: 'nick-00000001' }
    const first = await wallet('o-1', event)
    expect(first.data).toMatchObject({ nickname: '张三丰' })
    expect(await wallet('o-1', event)).toEqual(first)
    const preview = await wallet('o-2', {
      action: 'previewTransfer',
      toCode: (await codeOf('o-1')).toLowerCase(), // codes are case-insensitive
    })
    expect(preview.data).toEqual({ toCode: await codeOf('o-1'), maskedNickname: '张*丰' })
  })

  it('a risky nickname is refused before anything is stored', async () => {
    const before = await snapshot(WALLET_COLLECTIONS)
    const event = { action: 'setNickname', nickname: '赌博大王', requestId: rid('nick') }
    const reply = await wallet('o-1', event)
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', details: { reason: 'CONTENT_RISKY' } },
    })
    // Only the check's verdict is kept (for retries); no account, no nickname, no result.
    const after = await snapshot(WALLET_COLLECTIONS)
    expect({ ...after, requests: [] }).toEqual(before)
    expect(after.requests).toEqual([
      expect.objectContaining({
        scope: 'wallet.setNickname.check',
        result: expect.objectContaining({ suggest: 'risky' }),
      }),
    ])
    expect(w.cloud.openapi.log.contentChecks).toEqual([{ content: '赌博大王', openid: 'o-1' }])
    // A retry gets the same refusal from the kept verdict, without asking WeChat again.
    expect(await wallet('o-1', event)).toEqual(reply)
    expect(w.cloud.openapi.log.contentChecks).toHaveLength(1)
  })

  it('5 sequential retries of one requestId make exactly one content check', async () => {
    const event = { action: 'setNickname', nickname: '李小龙', requestId: rid('nick') }
    const replies = []
    for (let i = 0; i < 5; i++) replies.push(await wallet('o-1', event))
    expect(replies[0]).toMatchObject({ ok: true, data: { nickname: '李小龙' } })
    for (const r of replies) expect(r).toEqual(replies[0])
    expect(w.cloud.openapi.log.contentChecks).toEqual([{ content: '李小龙', openid: 'o-1' }])
  })

  it('a failing check is not remembered: the retry checks again', async () => {
    const event = { action: 'setNickname', nickname: '王五', requestId: rid('nick') }
    const realCheck = w.cloud.openapi.checkContent.bind(w.cloud.openapi)
    const spy = jest
      .spyOn(w.cloud.openapi, 'checkContent')
      .mockRejectedValueOnce(new Error('msgSecCheck: system busy'))
      .mockImplementation(realCheck)
    expect(await wallet('o-1', event)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(await wallet('o-1', event)).toMatchObject({ ok: true, data: { nickname: '王五' } })
    expect(await wallet('o-1', event)).toMatchObject({ ok: true, data: { nickname: '王五' } })
    expect(spy).toHaveBeenCalledTimes(2)
    spy.mockRestore()
  })

  it('the same requestId with another nickname is IDEMPOTENCY_MISMATCH: no check, no change', async () => {
    const requestId = rid('nick')
    const first = await wallet('o-1', { action: 'setNickname', nickname: '张三丰', requestId })
    expect(first.ok).toBe(true)
    const before = await snapshot(WALLET_COLLECTIONS)
    const other = await wallet('o-1', { action: 'setNickname', nickname: '张无忌', requestId })
    expect(other).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_MISMATCH' } })
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
    expect(w.cloud.openapi.log.contentChecks).toHaveLength(1)
    expect((await wallet('o-1', { action: 'balance' })).data.nickname).toBe('张三丰')
  })
})

describe('transfer', () => {
  beforeEach(async () => {
    await fund({ 'o-1': 800, 'o-2': 100 })
  })

  it('moves points with both entries in one go and is exactly once per requestId', async () => {
    const to = await codeOf('o-2')
    const event = { action: 'transfer', toCode: to, amount: 300, requestId: 'transfer-0001' }
    const first = await wallet('o-1', event)
    expect(first.data).toMatchObject({ amount: 300, toCode: to, balance: 500, sentToday: 300 })
    const again = await Promise.all(Array.from({ length: 10 }, () => wallet('o-1', event)))
    for (const r of again) expect(r).toEqual(first)
    expect(await balanceOf('o-1')).toBe(500)
    expect(await balanceOf('o-2')).toBe(400)
    const inEntry = (await getDb().collection('pointEntries').where({ openid: 'o-2' }).get()).data
    expect(inEntry.map((e) => e.kind).sort()).toEqual(['activity_reward', 'transfer_in'])
    expect(reconcile(w.cloud.store).differences).toEqual([])
  })

  it('refuses what the rules forbid, writing nothing', async () => {
    const to = await codeOf('o-2')
    const before = await snapshot(WALLET_COLLECTIONS)
    const cases: Array<[object, string]> = [
      [{ toCode: await codeOf('o-1'), amount: 5 }, 'SELF_TRANSFER'],
      [{ toCode: 'ZZZZZZZZ', amount: 5 }, 'RECIPIENT_NOT_FOUND'],
      [{ toCode: to, amount: 501 }, 'BAD_AMOUNT'],
      [{ toCode: to, amount: 0 }, 'BAD_REQUEST'],
      [{ toCode: 'O0O0', amount: 5 }, 'BAD_REQUEST'],
    ]
    for (const [input, code] of cases) {
      const reply = await wallet('o-1', { action: 'transfer', ...input, requestId: rid('bad') })
      expect([code, reply.error?.code]).toEqual([code, code])
    }
    const poor = await wallet('o-2', {
      action: 'transfer',
      toCode: await codeOf('o-1'),
      amount: 101,
      requestId: rid('poor'),
    })
    expect(poor).toMatchObject({ error: { code: 'INSUFFICIENT_POINTS' } })
    // Someone without an account has nothing to give (only balance reads created accounts).
    expect(
      await wallet('o-3', { action: 'transfer', toCode: to, amount: 1, requestId: rid('none') }),
    ).toMatchObject({ error: { code: 'INSUFFICIENT_POINTS' } })
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
  })

  it('caps what one sends per China-time day', async () => {
    await fund({ 'o-1': 1000 })
    const to = await codeOf('o-2')
    const send = (amount: number) =>
      wallet('o-1', { action: 'transfer', toCode: to, amount, requestId: rid('cap') })
    expect((await send(500)).ok).toBe(true)
    expect((await send(400)).ok).toBe(true)
    expect(await send(101)).toMatchObject({
      error: { code: 'DAILY_CAP', message: '今日最多还可转赠 100 积分' },
    })
    expect((await send(100)).data.sentToday).toBe(1000)
    w.clock.now += 86_400_000
    expect((await send(500)).data.sentToday).toBe(500)
  })

  it('the same requestId with another amount or recipient is IDEMPOTENCY_MISMATCH, moving nothing', async () => {
    const to = await codeOf('o-2')
    const elsewhere = await codeOf('o-3')
    const event = { action: 'transfer', toCode: to, amount: 5, requestId: rid('t') }
    const first = await wallet('o-1', event)
    expect(first).toMatchObject({ ok: true, data: { amount: 5 } })
    const before = await snapshot(WALLET_COLLECTIONS)
    for (const changed of [{ amount: 7 }, { toCode: elsewhere }]) {
      expect(await wallet('o-1', { ...event, ...changed })).toMatchObject({
        ok: false,
        error: { code: 'IDEMPOTENCY_MISMATCH' },
      })
    }
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
    expect([await balanceOf('o-1'), await balanceOf('o-2')]).toEqual([795, 105])
    // The same intent (the code in lower case is the same code) still gets its first result.
    expect(await wallet('o-1', { ...event, toCode: to.toLowerCase() })).toEqual(first)
  })

  it('under injected conflicts a transfer commits once', async () => {
    const to = await codeOf('o-2')
    w.cloud.store.injectTransactionConflicts(5)
    const reply = await wallet('o-1', {
      action: 'transfer',
      toCode: to,
      amount: 50,
      requestId: rid('c'),
    })
    expect(reply.ok).toBe(true)
    expect([await balanceOf('o-1'), await balanceOf('o-2')]).toEqual([750, 150])
    expect(reconcile(w.cloud.store).differences).toEqual([])
  })
})

describe('grantActivityReward', () => {
  it('is for organisers only (role from the database, not the request)', async () => {
    const grants = [{ userCode: await codeOf('o-1'), amount: 10 }]
    const before = await snapshot(WALLET_COLLECTIONS)
    for (const extra of [{}, { role: 'organiser', roles: ['organiser'] }]) {
      const reply = await wallet('o-1', {
        action: 'grantActivityReward',
        reason: '志愿服务奖励',
        grants,
        requestId: rid('g'),
        ...extra,
      })
      expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
  })

  it('a batch retried (also concurrently, also after a crash mid-batch) grants once', async () => {
    await makeOrganiser('o-org')
    const users = Array.from({ length: GRANT_CHUNK * 2 + 20 }, (_, i) => `o-u${i}`)
    const grants = []
    for (const [i, u] of users.entries()) grants.push({ userCode: await codeOf(u), amount: i + 1 })
    const event = {
      action: 'grantActivityReward',
      reason: '志愿服务奖励',
      grants,
      requestId: 'grant-batch-01',
    }

    // The second chunk's commit fails once (the function dies): the first chunk is in.
    const store = w.cloud.store
    const realCommit = store.commit.bind(store)
    let commits = 0
    const spy = jest.spyOn(store, 'commit').mockImplementation((id: string) => {
      commits += 1
      if (commits === 2) throw new Error('instance crashed')
      realCommit(id)
    })
    expect(await wallet('o-org', event)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    spy.mockRestore()
    expect(await balanceOf('o-u0')).toBe(1)
    expect(await balanceOf(users[GRANT_CHUNK]!)).toBe(0)

    const replies = await Promise.all(Array.from({ length: 3 }, () => wallet('o-org', event)))
    const expected = {
      batchId: 'grant-batch-01',
      granted: users.length,
      totalPoints: (users.length * (users.length + 1)) / 2,
    }
    for (const r of replies) expect(r).toEqual({ ok: true, data: expected })
    expect(await wallet('o-org', event)).toEqual({ ok: true, data: expected })
    for (const [i, u] of users.entries()) expect(await balanceOf(u)).toBe(i + 1)
    expect(
      (await getDb().collection('pointEntries').where({ kind: 'activity_reward' }).count()).total,
    ).toBe(users.length)
    expect(reconcile(w.cloud.store).differences).toEqual([])

    // The same requestId with other grants (or another reason) is a mistake, not a new batch.
    const before = await snapshot(WALLET_COLLECTIONS)
    for (const changed of [
      { grants: [{ userCode: grants[0]!.userCode, amount: 5 }] },
      { reason: '另一项活动奖励' },
    ]) {
      expect(await wallet('o-org', { ...event, ...changed })).toMatchObject({
        ok: false,
        error: { code: 'IDEMPOTENCY_MISMATCH' },
      })
    }
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
  })

  it('refuses unknown or repeated user codes, writing nothing', async () => {
    await makeOrganiser('o-org')
    const code = await codeOf('o-1')
    const before = await snapshot(WALLET_COLLECTIONS)
    const unknown = await wallet('o-org', {
      action: 'grantActivityReward',
      reason: '志愿服务奖励',
      grants: [
        { userCode: code, amount: 5 },
        { userCode: 'ZZZZZZZZ', amount: 5 },
      ],
      requestId: rid('g'),
    })
    expect(unknown).toMatchObject({
      error: { code: 'RECIPIENT_NOT_FOUND', details: { userCodes: ['ZZZZZZZZ'] } },
    })
    const repeated = await wallet('o-org', {
      action: 'grantActivityReward',
      reason: '志愿服务奖励',
      grants: [
        { userCode: code, amount: 5 },
        { userCode: code, amount: 6 },
      ],
      requestId: rid('g'),
    })
    expect(repeated).toMatchObject({
      error: { code: 'BAD_REQUEST', details: { duplicates: [code] } },
    })
    expect(await snapshot(WALLET_COLLECTIONS)).toEqual(before)
  })
})
