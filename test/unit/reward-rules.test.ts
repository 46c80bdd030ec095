// Server-side reward rules: budget slices add up to the budget, a cash prize is paid in cash only
// if it fits whole, the hub's notice, payout keys WeChat accepts, the backoff, the shipped files.
import { loadCampaignData, loadCampaigns, loadDrawTable } from '../../campaigns/load'
import { PAYOUT_RULES, awaitingCheckMs, payoutBackoffMs } from 'wal-core'
import { billNoOf, payoutKeyOf } from '../../server/records/payouts'
import { budgetShareFen, cashNotice, decideCash, rewardFileSchema } from '../../server/reward-rules'

test('budget slices are equal to the fen and add up to the daily budget', () => {
  for (const [budget, shards] of [
    [30_000_000, 16],
    [100, 16],
    [7, 3],
    [0, 4],
  ] as const) {
    const slices = Array.from({ length: shards }, (_, i) => budgetShareFen(budget, shards, i))
    expect(slices.reduce((a, b) => a + b, 0)).toBe(budget)
    expect(Math.max(...slices) - Math.min(...slices)).toBeLessThanOrEqual(1)
  }
})

test('a cash prize is paid in cash only if it fits whole in the cap and the budget left', () => {
  const base = { cashFen: 30, budgetLeftFen: 30, userTodayFen: 0, perUserDailyCapFen: 100 }
  expect(decideCash(base)).toEqual({ form: 'cash' })
  expect(decideCash({ ...base, budgetLeftFen: 29 })).toEqual({
    form: 'points',
    fallback: 'budget_exhausted',
  })
  expect(decideCash({ ...base, userTodayFen: 71 })).toEqual({
    form: 'points',
    fallback: 'user_daily_cap',
  })
})

test('the hub notice: none while every prize fits, a warning when some may not, a plain one when none can', () => {
  const base = {
    budgetLeftFen: 1000,
    userTodayFen: 0,
    perUserDailyCapFen: 500,
    minCashFen: 10,
    maxCashFen: 200,
  }
  expect(cashNotice(base)).toBeNull()
  expect(cashNotice({ ...base, budgetLeftFen: 150 })).toMatch(/即将发完.*中奖概率不变/)
  expect(cashNotice({ ...base, budgetLeftFen: 9 })).toMatch(/预算已发完.*中奖概率不变/)
  expect(cashNotice({ ...base, userTodayFen: 495 })).toMatch(/已达上限/)
})

test('payout keys are 32 letters and digits (WeChat Pay out_bill_no) and stable per draw', () => {
  const key = payoutKeyOf('d0123456789abcdef')
  expect(key).toMatch(/^[A-Za-z0-9]{32}$/)
  expect(payoutKeyOf('d0123456789abcdef')).toBe(key)
  expect(payoutKeyOf('d0123456789abcdeg')).not.toBe(key)
})

test('payout backoff doubles from the base up to the cap', () => {
  expect([1, 2, 3, 10].map((n) => payoutBackoffMs(n, PAYOUT_RULES))).toEqual([
    60_000, 120_000, 240_000, 3_600_000,
  ])
})

test('the shipped campaigns have a draw table and rewards; the demo reuses 2024’s', () => {
  const campaigns = loadCampaigns()
  for (const c of campaigns) {
    expect(loadDrawTable(c)?.version).toBe('2024.1')
    const rewards = loadCampaignData(c, 'rewards.json', rewardFileSchema)
    expect(rewards).toMatchObject({ transfer: { minAmount: 1, maxAmount: 500, dailyCap: 1000 } })
    expect(rewards?.cash?.perUserDailyCapFen).toBeGreaterThanOrEqual(450) // 15 chances × ¥0.3
  }
  expect(rewardFileSchema.parse({})).toEqual({
    drawGraceDays: 7,
    transfer: { minAmount: 1, maxAmount: 500, dailyCap: 1000 },
  })
})

test('a re-claimed payout’s bill numbers are deterministic, distinct and what WeChat Pay accepts', () => {
  const key = payoutKeyOf('d0123456789abcdef0123456789abcd')
  expect(billNoOf(key, 0)).toBe(key)
  const numbers = [1, 2, 3].map((g) => billNoOf(key, g))
  expect(numbers).toEqual([1, 2, 3].map((g) => billNoOf(key, g)))
  expect(new Set([key, ...numbers]).size).toBe(4)
  for (const n of numbers) expect(n).toMatch(/^wr[0-9a-f]{30}$/)
})

test('a bill waiting for the user is looked up less and less often, at most hourly', () => {
  expect([0, 1, 2, 3, 4, 10].map((n) => awaitingCheckMs(n, PAYOUT_RULES) / 60_000)).toEqual([
    5, 10, 20, 40, 60, 60,
  ])
})
