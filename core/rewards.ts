// Contracts of the `draw`, `wallet` and `payout` cloud functions: inputs the server validates,
// replies the server checks before sending them. Rules live in core/draw.ts and core/ledger.ts.
import { z } from 'zod'
import { drawKindSchema } from './draw'
import { USER_CODE_PATTERN, canonicalCode } from './codes'
import { ENTRY_KINDS } from './ledger'
import { requestIdSchema } from './survey'

export const entryKindSchema = z.enum(ENTRY_KINDS)

/** Transfer limits (config per campaign year), with their defaults. */
export const transferLimitsSchema = z.object({
  minAmount: z.number().int().min(1).default(1),
  maxAmount: z.number().int().min(1).default(500),
  dailyCap: z.number().int().min(1).default(1000),
})

/** A user code as typed (spaces, lower case), in its canonical form (codes.ts parseUserCode). */
export const userCodeSchema = z
  .string()
  .transform(canonicalCode)
  .pipe(z.string().regex(USER_CODE_PATTERN, '用户码为 8 位字母数字'))

const cursorSchema = z.string().max(64).optional()
const pageLimit = z.number().int().min(1).max(50).default(20)

export const drawInputs = {
  hub: z.object({}),
  draw: z.object({ kind: drawKindSchema, requestId: requestIdSchema }),
  history: z.object({ cursor: cursorSchema, limit: pageLimit }),
}

export const walletInputs = {
  balance: z.object({}),
  entries: z.object({ cursor: cursorSchema, limit: pageLimit }),
  setNickname: z.object({ nickname: z.string().trim().min(1).max(20), requestId: requestIdSchema }),
  previewTransfer: z.object({ toCode: userCodeSchema }),
  transfer: z.object({
    toCode: userCodeSchema,
    amount: z.number().int().min(1),
    requestId: requestIdSchema,
  }),
  /** Organiser only (role from the database): one idempotent batch; the requestId is the batch id. */
  grantActivityReward: z.object({
    reason: z.string().trim().min(2).max(100),
    grants: z
      .array(z.object({ userCode: userCodeSchema, amount: z.number().int().min(1).max(10_000) }))
      .min(1)
      .max(500),
    requestId: requestIdSchema,
  }),
}

export const kindOddsSchema = z.object({
  kind: drawKindSchema,
  name: z.string(),
  cost: z.number().int(),
  affordable: z.boolean(),
  tiers: z.array(
    z.object({
      id: z.string(),
      points: z.number().int(),
      cashFen: z.number().int(),
      probabilityBp: z.number().int(),
    }),
  ),
})

export const drawHubSchema = z.object({
  campaignId: z.string(),
  tableVersion: z.string(),
  prizeForm: z.enum(['points', 'cash']),
  chances: z.object({
    balance: z.number().int(),
    granted: z.number().int(),
    spent: z.number().int(),
  }),
  kinds: z.array(kindOddsSchema),
  /** Shown before drawing when today's cash budget is spent: prizes are then paid as points. */
  notice: z.string().nullable(),
})
export type DrawHub = z.infer<typeof drawHubSchema>

export const drawResultSchema = z.object({
  drawId: z.string(),
  kind: drawKindSchema,
  tableVersion: z.string(),
  tierId: z.string(),
  /** Position of the tier in the kind's table (the nine-grid animation stops on it). */
  tierIndex: z.number().int(),
  /** What was actually awarded: points, or a cash red envelope queued for payout. */
  prize: z.discriminatedUnion('form', [
    z.object({ form: z.literal('points'), points: z.number().int() }),
    z.object({
      form: z.literal('cash'),
      cashFen: z.number().int(),
      /** awaiting_user: the user has to confirm receipt in WeChat (待领取, payout.mine). */
      payoutStatus: z.enum(['pending', 'awaiting_user', 'paid', 'failed']),
    }),
  ]),
  /** Set when a cash prize was paid as points (budget or daily cap reached). */
  fallback: z.enum(['budget_exhausted', 'user_daily_cap']).nullable(),
  chancesLeft: z.number().int(),
  createdAt: z.string(),
})
export type DrawResult = z.infer<typeof drawResultSchema>

export const drawHistorySchema = z.object({
  items: z.array(drawResultSchema),
  nextCursor: z.string().nullable(),
})

export const balanceSchema = z.object({
  balance: z.number().int(),
  /** Short shareable code for receiving transfers (never the openid). */
  userCode: z.string(),
  nickname: z.string().nullable(),
  /** So the transfer form can say the rules up front (每次可转赠 … 今日还可转赠 …). */
  transfer: z.object({
    minAmount: z.number().int(),
    maxAmount: z.number().int(),
    dailyCap: z.number().int(),
    /** Points sent today (China time); the form offers at most dailyCap − sentToday. */
    sentToday: z.number().int(),
  }),
})
export type Balance = z.infer<typeof balanceSchema>

export const entrySchema = z.object({
  id: z.string(),
  kind: entryKindSchema,
  kindName: z.string(),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  memo: z.string().nullable(),
  createdAt: z.string(),
})
export const entriesPageSchema = z.object({
  items: z.array(entrySchema),
  nextCursor: z.string().nullable(),
})

export const transferPreviewSchema = z.object({ toCode: z.string(), maskedNickname: z.string() })
export const transferResultSchema = z.object({
  amount: z.number().int(),
  toCode: z.string(),
  maskedNickname: z.string(),
  balance: z.number().int(),
  sentToday: z.number().int(),
})
export const grantResultSchema = z.object({
  batchId: z.string(),
  granted: z.number().int(),
  totalPoints: z.number().int(),
})

// ------------------------------------------------------------------------------ cash payouts

/** A payout key (WeChat Pay out_bill_no of the first bill): letters and digits, at most 32. */
export const payoutKeySchema = z.string().regex(/^[A-Za-z0-9]{1,32}$/)

export const payoutInputs = {
  /** The caller's red envelopes waiting for them (待领取的现金红包). */
  mine: z.object({}),
  /** After wx.requestMerchantTransfer: ask WeChat Pay now instead of waiting for the timer. */
  check: z.object({ payoutKey: payoutKeySchema }),
  /** An expired envelope (the bill closed unconfirmed): a new transfer to confirm. */
  reclaim: z.object({ payoutKey: payoutKeySchema }),
}

/**
 * A red envelope waiting for its winner. `awaiting_user`: confirm receipt in WeChat with
 * `confirm` (wx.requestMerchantTransfer) before `expiresAt`; `closing`: that time has passed and
 * WeChat Pay is closing the bill (the money goes back; it can be claimed again once closed);
 * `expired`: closed unconfirmed — claim it again (payout.reclaim) for a new transfer.
 */
export const pendingPayoutSchema = z.object({
  payoutKey: z.string(),
  amountFen: z.number().int(),
  state: z.enum(['awaiting_user', 'closing', 'expired']),
  confirm: z.object({ mchId: z.string(), appId: z.string(), package: z.string() }).nullable(),
  expiresAt: z.string().nullable(),
  /** When the prize was won. */
  wonAt: z.string(),
})
export type PendingPayout = z.infer<typeof pendingPayoutSchema>

export const pendingPayoutsSchema = z.object({ items: z.array(pendingPayoutSchema) })

/**
 * One payout after check or reclaim. `item` is set while it still waits for the user; otherwise
 * `status` says where it went: paid, processing (WeChat Pay is on it), or failed (an operator's).
 */

export const payoutClaimSchema = z.object({
  payoutKey: z.string(),
  status: z.enum(['awaiting_user', 'closing', 'expired', 'processing', 'paid', 'failed']),
  item: pendingPayoutSchema.nullable(),
})
export type PayoutClaim = z.infer<typeof payoutClaimSchema>
