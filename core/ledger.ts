// The points ledger (网安联积分): append-only entries, each changing one balance in the same
// transaction; a balance never goes negative. Every source and use on the rules page is a kind,
// so later features only add entries, never a second mechanism. Zod-free: the mini-program ships
// the transfer check and the nickname mask (rewards.ts holds the ledger's schemas).
import { USER_CODE_ALPHABET, USER_CODE_LENGTH } from './codes'

export const ENTRY_KINDS = [
  'draw_prize', // own answers, through draws and boxes
  'share_reward', // valid samples collected by one's own share code
  'station_override', // a station's or unit's share of its teams' samples
  'transfer_in', // 积分转赠, received
  'transfer_out', // 积分转赠, given
  'activity_reward', // other campaign activities, granted by an organiser
  'redemption', // gifts, certificates, reports, store goods
  'refund', // a redemption given back
  'correction', // an organiser's correction, with a reason
  'reversal', // a reward taken back after review found its sample invalid (may leave a debt)
  'publicity_subsidy', // 宣传补贴 in points, settled by the committee to an initiating unit's account
] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]

/** How each kind reads in the wallet (Chinese UI). */
export const ENTRY_KIND_NAMES: Readonly<Record<EntryKind, string>> = {
  draw_prize: '抽奖奖励',
  share_reward: '分享码样本奖励',
  station_override: '服务站奖励',
  transfer_in: '积分转入',
  transfer_out: '积分转出',
  activity_reward: '活动奖励',
  redemption: '兑换礼品',
  refund: '兑换退回',
  correction: '积分更正',
  reversal: '样本复核扣回',
  publicity_subsidy: '宣传补贴',
}

/** Kinds that may only add, and kinds that may only take away. */
const CREDIT_ONLY: ReadonlySet<EntryKind> = new Set([
  'draw_prize',
  'share_reward',
  'station_override',
  'transfer_in',
  'activity_reward',
  'refund',
  'publicity_subsidy',
])
const DEBIT_ONLY: ReadonlySet<EntryKind> = new Set(['transfer_out', 'redemption', 'reversal'])
/**
 * Kinds that may take a balance below zero. A reversal takes back a reward already given, which
 * may have been spent: the negative balance is the debt (docs/data-model.md), shown as such, and
 * the next rewards pay it off because they simply add to it. Spending needs a positive balance.
 */
const MAY_OWE: ReadonlySet<EntryKind> = new Set(['reversal'])

export class LedgerRuleError extends Error {
  constructor(
    readonly code: 'INSUFFICIENT_POINTS' | 'BAD_AMOUNT',
    message: string,
  ) {
    super(message)
  }
}

/** The balance after an entry; throws if the amount's sign is wrong for its kind or funds lack. */
export function applyEntry(balance: number, kind: EntryKind, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount === 0)
    throw new LedgerRuleError('BAD_AMOUNT', 'amount must be a non-zero whole number')
  if (CREDIT_ONLY.has(kind) && amount < 0)
    throw new LedgerRuleError('BAD_AMOUNT', `${kind} only adds points`)
  if (DEBIT_ONLY.has(kind) && amount > 0)
    throw new LedgerRuleError('BAD_AMOUNT', `${kind} only takes points`)
  const next = balance + amount
  if (next < 0 && !MAY_OWE.has(kind))
    throw new LedgerRuleError('INSUFFICIENT_POINTS', '积分余额不足')
  return next
}

/** Transfer limits (config per campaign year; rewards.ts transferLimitsSchema reads them). */
export interface TransferLimits {
  minAmount: number
  maxAmount: number
  dailyCap: number
}

export type TransferCheck =
  { ok: true } | { ok: false; code: 'BAD_AMOUNT' | 'DAILY_CAP' | 'SELF_TRANSFER'; message: string }

export function checkTransfer(
  limits: TransferLimits,
  amount: number,
  sentToday: number,
  fromAccount: string,
  toAccount: string,
): TransferCheck {
  if (fromAccount === toAccount)
    return { ok: false, code: 'SELF_TRANSFER', message: '不能转赠给自己' }
  return checkTransferAmount(limits, amount, sentToday)
}

/** The amount's part of checkTransfer: the transfer page asks it before calling the server. */
export function checkTransferAmount(
  limits: TransferLimits,
  amount: number,
  sentToday: number,
): TransferCheck {
  if (!Number.isInteger(amount) || amount < limits.minAmount || amount > limits.maxAmount) {
    return {
      ok: false,
      code: 'BAD_AMOUNT',
      message: `每次可转赠 ${limits.minAmount}–${limits.maxAmount} 积分`,
    }
  }
  if (sentToday + amount > limits.dailyCap) {
    return {
      ok: false,
      code: 'DAILY_CAP',
      message: `今日最多还可转赠 ${Math.max(0, limits.dailyCap - sentToday)} 积分`,
    }
  }
  return { ok: true }
}

/** A user code from injected randomness (`randomInt(n)` uniform in [0, n)). */
export function newUserCode(randomInt: (maxExclusive: number) => number): string {
  let out = ''
  for (let i = 0; i < USER_CODE_LENGTH; i++)
    out += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]
  return out
}

/** 张三丰 → 张*丰, 李四 → 李*, 王 → 王*, '' → 微信用户. */
export function maskNickname(nickname: string | null | undefined): string {
  const chars = [...(nickname ?? '').trim()]
  if (chars.length === 0) return '微信用户'
  if (chars.length <= 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`
}
