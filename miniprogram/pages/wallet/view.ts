// One ledger entry as a row of the wallet list.
import type { Entry } from '../../services/wallet'
import { formatInstant } from '../../utils/china-time'
import { signedPoints } from '../../utils/reward-format'
import { balanceAfterText } from './strings'

export interface EntryRow {
  id: string
  /** The kind in Chinese, as the server names it (积分转入, 抽奖奖励, …). */
  kindName: string
  memo: string
  time: string
  amount: string
  /** Points came in (+) or went out (-): the row is coloured accordingly. */
  credit: boolean
  balanceAfter: string
}

export function toEntryRow(e: Entry): EntryRow {
  return {
    id: e.id,
    kindName: e.kindName,
    memo: e.memo ?? '',
    time: formatInstant(e.createdAt),
    amount: signedPoints(e.amount),
    credit: e.amount > 0,
    balanceAfter: balanceAfterText(e.balanceAfter),
  }
}
