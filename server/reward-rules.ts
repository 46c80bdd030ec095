// Reward configuration per campaign (campaigns/<folder>/rewards.json → `rewardConfigs`) and the
// server-side rules around cash prizes (payout rules: core/payout.ts). Pure: no SDK, no clock, no randomness, so the
// seed, the reports and the functions read the same schema and the rules are unit-tested.
import { z } from 'zod'
import { shardOf, transferLimitsSchema } from 'wal-core'

/** Cash red envelopes (现金红包): only used when the draw table's prizeForm is `cash`. */
const cashRulesSchema = z
  .object({
    /** What the campaign may pay in cash per China-time day, in fen (分). */
    dailyBudgetFen: z.number().int().min(0),
    /** What one user may receive in cash per China-time day, in fen. */
    perUserDailyCapFen: z.number().int().min(0),
    /**
     * The daily budget is split into this many equal slices, one per group of users (by a hash
     * of the openid, like the statistics shards), so that cash draws never queue on one
     * document. The slices add up to the budget exactly.
     */
    budgetShards: z.number().int().min(1).max(256).default(16),
  })
  .strict()
export type CashRules = z.infer<typeof cashRulesSchema>

/** campaigns/<folder>/rewards.json; every field has a default, so the file is optional. */
export const rewardFileSchema = z
  .object({
    /** Draws stay open this many days after the collection window (chances are not voided). */
    drawGraceDays: z.number().int().min(0).max(90).default(7),
    cash: cashRulesSchema.optional(),
    transfer: transferLimitsSchema.prefault({}),
  })
  .strict()
export type RewardFile = z.infer<typeof rewardFileSchema>

/** The stored configuration (`rewardConfigs`, `_id` = campaign id): the file plus the active table. */
export const rewardConfigSchema = rewardFileSchema.extend({
  campaignId: z.string(),
  /** The draw table version in force; `drawTables/<campaignId>:<version>` holds it. */
  drawTableVersion: z.string(),
})
export type RewardConfig = z.infer<typeof rewardConfigSchema>

export function drawTableId(campaignId: string, version: string): string {
  return `${campaignId}:${version}`
}

/** The budget slice of one shard: equal parts, the first `budget % shards` get one fen more. */
export function budgetShareFen(dailyBudgetFen: number, shards: number, shard: number): number {
  return Math.floor(dailyBudgetFen / shards) + (shard < dailyBudgetFen % shards ? 1 : 0)
}

export function budgetShardOf(openid: string, rules: CashRules): number {
  return shardOf(openid, rules.budgetShards)
}

export type CashFallback = 'budget_exhausted' | 'user_daily_cap'

/**
 * Whether a won cash prize is paid in cash or — the odds having been drawn as published — as the
 * tier's points. Paid in cash only if the whole amount fits both the user's daily cap and what is
 * left of the budget slice; never a partial envelope.
 */
export function decideCash(input: {
  cashFen: number
  budgetLeftFen: number
  userTodayFen: number
  perUserDailyCapFen: number
}): { form: 'cash' } | { form: 'points'; fallback: CashFallback } {
  if (input.userTodayFen + input.cashFen > input.perUserDailyCapFen)
    return { form: 'points', fallback: 'user_daily_cap' }
  if (input.cashFen > input.budgetLeftFen) return { form: 'points', fallback: 'budget_exhausted' }
  return { form: 'cash' }
}

/** What the draw hub tells users before they draw, when a cash prize may be paid as points. */
export function cashNotice(input: {
  budgetLeftFen: number
  userTodayFen: number
  perUserDailyCapFen: number
  /** Smallest and largest cash prize of the table. */
  minCashFen: number
  maxCashFen: number
}): string | null {
  const userLeft = input.perUserDailyCapFen - input.userTodayFen
  if (userLeft < input.minCashFen)
    return '您今日的现金红包已达上限，现在抽奖所得按奖项对应积分发放，中奖概率不变'
  if (input.budgetLeftFen < input.minCashFen)
    return '今日现金红包预算已发完，现在抽奖所得按奖项对应积分发放，中奖概率不变'
  if (input.budgetLeftFen < input.maxCashFen || userLeft < input.maxCashFen)
    return '今日现金红包即将发完，部分奖项可能按对应积分发放，中奖概率不变'
  return null
}
