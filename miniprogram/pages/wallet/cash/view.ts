// One red envelope to claim as a row of the page.
import type { PendingPayout } from '../../../services/payout'
import { formatYuan } from '../../../utils/reward-format'
import { amountText, deadlineText, text, wonAtText } from './strings'

export interface CashRow {
  key: string
  amount: string
  wonAt: string
  /** The deadline to confirm, or why there is nothing to confirm now. */
  note: string
  /** The button: 领取, 重新领取, or none while WeChat Pay closes an overdue transfer. */
  action: string
}

export function toCashRow(p: PendingPayout): CashRow {
  const base = {
    key: p.payoutKey,
    amount: amountText(formatYuan(p.amountFen)),
    wonAt: wonAtText(p.wonAt),
  }
  if (p.state === 'awaiting_user') {
    return { ...base, note: p.expiresAt ? deadlineText(p.expiresAt) : '', action: text.claim }
  }
  if (p.state === 'expired') return { ...base, note: text.expired, action: text.reclaim }
  return { ...base, note: text.closing, action: '' }
}
