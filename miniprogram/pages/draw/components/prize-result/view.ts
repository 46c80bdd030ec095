// What the prize result renders for a draw: plain strings and flags, computed once per result.
import type { DrawResult } from 'wal-core'
import { mascotSrc } from '../../../../utils/mascots'
import { formatYuan } from '../../../../utils/reward-format'
import {
  again,
  cashWon,
  chancesLeft,
  fallbackText,
  headline,
  notEnough,
  payoutText,
  pointsAdded,
  pointsWon,
  thanksDetail,
  thanksHeadline,
} from './strings'

export interface PrizeView {
  /** The draw it shows, so a page can tell one result from another. */
  drawId: string
  /** Something was won (points or cash above zero): the celebration; else the thank-you. */
  won: boolean
  /** The mascot that presents it: 满满 cheers a win, 意意 thanks. */
  mascotSrc: string
  headline: string
  /** '' when nothing was won. */
  amount: string
  /** Where the prize went: the wallet, WeChat Pay, or points instead of cash (and why). */
  detail: string
  /** A cash prize paid as points: the detail explains the fallback. */
  fellBack: boolean
  chancesText: string
  canAgain: boolean
  /** The 再抽一次 label, or why there is none. */
  againText: string
}

/** The view of `result` for a kind that costs `cost` chances per draw. */
export function toPrizeView(result: DrawResult, cost: number): PrizeView {
  const prize = result.prize
  const canAgain = result.chancesLeft >= cost
  const won = prize.form === 'cash' ? prize.cashFen > 0 : prize.points > 0
  let detail: string
  if (!won) detail = thanksDetail
  else if (prize.form === 'cash') detail = payoutText[prize.payoutStatus]
  else if (result.fallback) detail = fallbackText[result.fallback]
  else detail = pointsAdded
  return {
    drawId: result.drawId,
    won,
    mascotSrc: mascotSrc(won ? 'man' : 'yi'),
    headline: won ? headline : thanksHeadline,
    amount: !won
      ? ''
      : prize.form === 'cash'
        ? cashWon(formatYuan(prize.cashFen))
        : pointsWon(prize.points),
    detail,
    fellBack: won && prize.form === 'points' && result.fallback !== null,
    chancesText: chancesLeft(result.chancesLeft),
    canAgain,
    againText: canAgain ? again(cost) : notEnough(cost - result.chancesLeft),
  }
}
