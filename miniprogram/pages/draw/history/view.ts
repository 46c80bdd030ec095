// One draw as a row of the history list.
import { DRAW_KIND_NAMES, type DrawResult } from 'wal-core'
import { formatInstant } from '../../../utils/china-time'
import { formatYuan } from '../../../utils/reward-format'
import { cashPrize, fallbackLabel, payoutLabel, pointsPrize } from './strings'

export interface HistoryRow {
  id: string
  kindName: string
  prize: string
  /** Payout status or fallback, '' when there is nothing to add. */
  note: string
  time: string
}

export function toHistoryRow(d: DrawResult): HistoryRow {
  const prize = d.prize
  return {
    id: d.drawId,
    kindName: DRAW_KIND_NAMES[d.kind],
    prize: prize.form === 'cash' ? cashPrize(formatYuan(prize.cashFen)) : pointsPrize(prize.points),
    note: prize.form === 'cash' ? payoutLabel[prize.payoutStatus] : d.fallback ? fallbackLabel : '',
    time: formatInstant(d.createdAt),
  }
}
