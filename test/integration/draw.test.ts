// The draw function on the local cloud: the hub shows chances and the published odds; a draw
// spends chances, records the draw and credits its prize in one transaction; one user's concurrent
// draws never spend more than they have; a requestId has one effect; cash prizes respect the
// daily budget and cap, falling back to the tier's points with the flag (and the hub says so).
import { drawHubSchema, drawResultSchema, type DrawKind } from 'wal-core'
import { getDb } from '../../server/db'
import { reconcile } from '../../scripts/reconcile'
import {
  CAMPAIGN,
  certainTable,
  closeRewardWorld,
  grantChances,
  openRewardWorld,
  rid,
  snapshot,
  type RewardWorld,
} from './reward-fixture'

let w: RewardWorld
afterEach(() => closeRewardWorld(w))

const DRAW_COLLECTIONS = [
  'chanceAccounts',
  'chanceEntries',
  'draws',
  'pointAccounts',
  'pointEntries',
  'payouts',
  'cashBudgets',
  'requests',
]

const drawAs = (openid: string, kind: DrawKind, requestId = rid('draw')) =>
  w.call('draw', openid, { action: 'draw', kind, requestId })

/** A user's chances as stored: granted on the response, spent on the chance account. */
async function chances(openid: string) {
  const id = `${CAMPAIGN.id}:${openid}`
  const resp = (await getDb().collection('responses').doc(id).get()).data as {
    chancesGranted: number
  } | null
  const acc = (await getDb().collection('chanceAccounts').doc(id).get()).data as {
    spent: number
    draws: number
  } | null
  const granted = resp?.chancesGranted ?? 0
  const spent = acc?.spent ?? 0
  return { balance: granted - spent, granted, spent, draws: acc?.draws ?? 0 }
}

async function pointBalance(openid: string): Promise<number> {
  const acc = (await getDb().collection('pointAccounts').doc(openid).get()).data as {
    balance: number
  } | null
  return acc?.balance ?? 0
}

describe('with the 2024 table (points)', () => {
  beforeEach(async () => {
    w = await openRewardWorld()
  })

  it('the hub shows chances, the published odds (remainders resolved) and what is affordable', async () => {
    await grantChances('o-1', 5)
    const reply = await w.call('draw', 'o-1', { action: 'hub' })
    expect(reply.ok).toBe(true)
    const hub = drawHubSchema.parse(reply.data)
    expect(hub).toMatchObject({
      campaignId: CAMPAIGN.id,
      tableVersion: '2024.1',
      prizeForm: 'points',
      chances: { balance: 5, granted: 5, spent: 0 },
      notice: null,
    })
    expect(hub.kinds.map((k) => [k.kind, k.cost, k.affordable])).toEqual([
      ['nine_grid', 1, true],
      ['copper', 3, true],
      ['silver', 6, false],
      ['gold', 9, false],
    ])
    expect(hub.kinds[3]!.tiers.map((t) => t.probabilityBp)).toEqual([9600, 200, 200])
  })

  it('a draw spends the cost, records the draw and credits its points, all consistent', async () => {
    await grantChances('o-1', 10)
    const reply = await drawAs('o-1', 'copper')
    expect(reply.ok).toBe(true)
    const result = drawResultSchema.parse(reply.data)
    expect(result).toMatchObject({ kind: 'copper', tableVersion: '2024.1', chancesLeft: 7 })
    expect(result.fallback).toBeNull()
    expect([3, 5, 7]).toContain(result.prize.form === 'points' && result.prize.points)
    expect(['t1', 't2', 't3'][result.tierIndex]).toBe(result.tierId)
    expect(await chances('o-1')).toMatchObject({ balance: 7, granted: 10, spent: 3 })
    const points = result.prize.form === 'points' ? result.prize.points : -1
    expect(await pointBalance('o-1')).toBe(points)
    const draws = (await getDb().collection('draws').get()).data
    expect(draws).toEqual([
      expect.objectContaining({ _id: result.drawId, kind: 'copper', tierId: result.tierId }),
    ])
    expect((await getDb().collection('pointEntries').get()).data).toEqual([
      expect.objectContaining({ kind: 'draw_prize', amount: points, balanceAfter: points, seq: 1 }),
    ])
    expect(await reconcile(w.cloud.store)).toMatchObject({ differences: [] })
  })

  it('reconcile finds chances granted, spent or drawn beyond their records', async () => {
    await grantChances('o-1', 10)
    await grantChances('o-2', 10)
    for (let i = 0; i < 3; i++) expect((await drawAs('o-1', 'copper')).ok).toBe(true)
    expect(reconcile(w.cloud.store)).toMatchObject({
      differences: [],
      chances: { responses: 2, accounts: 1, entries: 3, granted: 20, spent: 9, balance: 11 },
    })
    const _ = getDb().command
    const id = (openid: string) => `${CAMPAIGN.id}:${openid}`
    // A grant without its section record, a spend without its entry, a draw no one made.
    await getDb()
      .collection('responses')
      .doc(id('o-2'))
      .update({ data: { chancesGranted: 12 } })
    await getDb()
      .collection('chanceAccounts')
      .doc(id('o-1'))
      .update({ data: { spent: _.inc(-1) } })
    await getDb()
      .collection('chanceEntries')
      .add({ data: { campaignId: CAMPAIGN.id, openid: 'o-3', amount: -20 } })
    expect(reconcile(w.cloud.store).differences).toEqual([
      { kind: 'draws', account: expect.any(String), problem: 'chance spend of 20 names no draw' },
      { kind: 'chances', account: id('o-1'), problem: 'spent 8, entries spend 9' },
      {
        kind: 'chances',
        account: id('o-3'),
        problem: '1 spend entries (20) but no chance account',
      },
      { kind: 'chances', account: id('o-2'), problem: 'chancesGranted 12, sections grant 10' },
    ])
  })

  it('too few chances: INSUFFICIENT_CHANCES and nothing written', async () => {
    await grantChances('o-1', 5)
    const before = await snapshot(DRAW_COLLECTIONS)
    const reply = await drawAs('o-1', 'silver')
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'INSUFFICIENT_CHANCES', details: { balance: 5, cost: 6 } },
    })
    expect(await drawAs('o-2', 'nine_grid')).toMatchObject({
      error: { code: 'INSUFFICIENT_CHANCES' },
    })
    expect(await snapshot(DRAW_COLLECTIONS)).toEqual(before)
  })

  it('30 concurrent nine-grid draws on 10 chances: exactly 10 win, the rest are refused', async () => {
    await grantChances('o-1', 10)
    const replies = await Promise.all(Array.from({ length: 30 }, () => drawAs('o-1', 'nine_grid')))
    const won = replies.filter((r) => r.ok)
    expect(won).toHaveLength(10)
    expect(replies.filter((r) => !r.ok).map((r) => r.error.code)).toEqual(
      Array(20).fill('INSUFFICIENT_CHANCES'),
    )
    expect(await chances('o-1')).toMatchObject({ balance: 0, spent: 10, draws: 10 })
    expect(won.map((r) => r.data.chancesLeft).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ])
    const total = won.reduce((n, r) => n + r.data.prize.points, 0)
    expect(await pointBalance('o-1')).toBe(total)
    expect((await getDb().collection('chanceEntries').count()).total).toBe(10) // one spend per draw
    expect(await reconcile(w.cloud.store)).toMatchObject({ differences: [] })
  })

  it('the same requestId — again and 20 times at once — is one draw with one prize', async () => {
    await grantChances('o-1', 10)
    const first = await drawAs('o-1', 'nine_grid', 'draw-same-0001')
    const again = await Promise.all(
      Array.from({ length: 20 }, () => drawAs('o-1', 'nine_grid', 'draw-same-0001')),
    )
    for (const r of again) expect(r).toEqual(first)
    expect(await chances('o-1')).toMatchObject({ balance: 9, spent: 1 })
    expect((await getDb().collection('draws').count()).total).toBe(1)

    // Concurrent first calls of one requestId: one of them draws, all answer its prize.
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => drawAs('o-1', 'copper', 'draw-race-0001')),
    )
    for (const r of racing) expect(r).toEqual(racing[0])
    expect(await chances('o-1')).toMatchObject({ balance: 6, spent: 4 })
  })

  it('the same requestId with another kind is IDEMPOTENCY_MISMATCH: no draw, nothing spent', async () => {
    await grantChances('o-1', 20)
    const requestId = rid('draw')
    const first = await drawAs('o-1', 'nine_grid', requestId)
    expect(first).toMatchObject({ ok: true, data: { kind: 'nine_grid', chancesLeft: 19 } })
    const before = await snapshot(DRAW_COLLECTIONS)
    expect(await drawAs('o-1', 'gold', requestId)).toMatchObject({
      ok: false,
      error: { code: 'IDEMPOTENCY_MISMATCH' },
    })
    expect(await snapshot(DRAW_COLLECTIONS)).toEqual(before)
    expect(await chances('o-1')).toMatchObject({ balance: 19, spent: 1, draws: 1 })
    expect(await drawAs('o-1', 'nine_grid', requestId)).toEqual(first)
  })

  it('under injected transaction conflicts a draw still commits once', async () => {
    await grantChances('o-1', 10)
    w.cloud.store.injectTransactionConflicts(3)
    const reply = await drawAs('o-1', 'gold')
    expect(reply.ok).toBe(true)
    expect(await chances('o-1')).toMatchObject({ balance: 1, spent: 9 })
    expect((await getDb().collection('draws').count()).total).toBe(1)
    expect((await getDb().collection('pointEntries').count()).total).toBe(1)
  })

  it('history lists the draws newest first, page by page', async () => {
    await grantChances('o-1', 10)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await drawAs('o-1', 'nine_grid')).data.drawId)
    const page1 = await w.call('draw', 'o-1', { action: 'history', limit: 3 })
    expect(page1.data.items.map((d: { drawId: string }) => d.drawId)).toEqual(
      ids.slice(2).reverse(),
    )
    const page2 = await w.call('draw', 'o-1', {
      action: 'history',
      limit: 3,
      cursor: page1.data.nextCursor,
    })
    expect(page2.data.items.map((d: { drawId: string }) => d.drawId)).toEqual(
      ids.slice(0, 2).reverse(),
    )
    expect(page2.data.nextCursor).toBeNull()
    expect((await w.call('draw', 'o-2', { action: 'history' })).data).toEqual({
      items: [],
      nextCursor: null,
    })
  })
})

describe('with a cash table', () => {
  it('pays cash into the payout queue until the budget slice is spent, then the tier’s points with the flag', async () => {
    // Every draw wins ¥0.2 per chance spent (or 2 points per chance); the day's budget is ¥4.
    w = await openRewardWorld({
      table: certainTable('cash', { points: 2, cashFen: 20 }),
      rewards: { cash: { dailyBudgetFen: 400, perUserDailyCapFen: 1000, budgetShards: 1 } },
    })
    await grantChances('o-1', 9)
    await grantChances('o-2', 13)
    const notice = async () => (await w.call('draw', 'o-2', { action: 'hub' })).data.notice

    expect(await notice()).toBeNull()
    expect((await drawAs('o-1', 'gold')).data).toMatchObject({
      prize: { form: 'cash', cashFen: 180, payoutStatus: 'pending' },
      fallback: null,
    })
    expect(await notice()).toBeNull() // 220 fen left: even a gold box fits
    expect((await drawAs('o-2', 'gold')).data.prize).toMatchObject({ form: 'cash' })
    expect(await notice()).toMatch(/即将发完/) // 40 fen left: a box would not fit
    for (let i = 0; i < 2; i++)
      expect((await drawAs('o-2', 'nine_grid')).data.prize).toMatchObject({ form: 'cash' })
    expect((await getDb().collection('payouts').count()).total).toBe(4)

    // Nothing left: the hub says so before the next draw, which is paid as points.
    expect(await notice()).toMatch(/预算已发完/)
    const fallback = await drawAs('o-2', 'nine_grid')
    expect(fallback.data).toMatchObject({
      prize: { form: 'points', points: 2 },
      fallback: 'budget_exhausted',
    })
    expect(await pointBalance('o-2')).toBe(2)
    expect((await getDb().collection('payouts').count()).total).toBe(4)
    expect((await getDb().collection('cashBudgets').get()).data).toEqual([
      expect.objectContaining({ day: 'd20240720', shard: 0, spentFen: 400 }),
    ])

    // The next China-time day has a fresh budget.
    w.clock.now += 86_400_000
    expect(await notice()).toBeNull()
    expect((await drawAs('o-2', 'nine_grid')).data.prize).toMatchObject({ form: 'cash' })
    expect(await reconcile(w.cloud.store)).toMatchObject({ differences: [] })
  })

  it('a user past the daily cash cap gets points, flagged user_daily_cap', async () => {
    w = await openRewardWorld({
      table: certainTable('cash', { points: 1, cashFen: 10 }),
      rewards: { cash: { dailyBudgetFen: 100_000, perUserDailyCapFen: 30, budgetShards: 4 } },
    })
    await grantChances('o-1', 10)
    expect((await drawAs('o-1', 'copper')).data.prize).toEqual({
      form: 'cash',
      cashFen: 30,
      payoutStatus: 'pending',
    })
    expect((await w.call('draw', 'o-1', { action: 'hub' })).data.notice).toMatch(/已达上限/)
    expect((await drawAs('o-1', 'nine_grid')).data).toMatchObject({
      prize: { form: 'points', points: 1 },
      fallback: 'user_daily_cap',
    })
  })
})

describe('campaign window', () => {
  it('draws open with the window and close drawGraceDays after it', async () => {
    w = await openRewardWorld({ rewards: { drawGraceDays: 2 } })
    await grantChances('o-1', 10)
    w.clock.now = Date.parse(CAMPAIGN.window.startsAt) - 1
    expect(await drawAs('o-1', 'nine_grid')).toMatchObject({
      error: { code: 'CAMPAIGN_NOT_STARTED' },
    })
    w.clock.now = Date.parse(CAMPAIGN.window.endsAt) + 86_400_000
    expect((await drawAs('o-1', 'nine_grid')).ok).toBe(true)
    w.clock.now = Date.parse(CAMPAIGN.window.endsAt) + 2 * 86_400_000
    expect(await drawAs('o-1', 'nine_grid')).toMatchObject({
      error: { code: 'CAMPAIGN_CLOSED' },
    })
  })
})
