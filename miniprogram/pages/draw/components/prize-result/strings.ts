// Every piece of text the prize result shows, in one place.
import type { DrawResult } from 'wal-core'

/** Static text, handed to the template as `text`. */
export const text = {
  wallet: '查看我的积分',
  back: '返回抽奖首页',
  close: '关闭',
}

export const headline = '恭喜您获得'

/** A tier that awards nothing (0 points, ¥0): thanks, not congratulations. */
export const thanksHeadline = '谢谢参与'
export const thanksDetail = '这次没有抽中奖品，感谢您参与调查，祝您下次好运'

export const pointsWon = (points: number): string => `${points} 积分`
export const cashWon = (yuan: string): string => `${yuan} 元现金红包`

type Payout = Extract<DrawResult['prize'], { form: 'cash' }>['payoutStatus']

/** What happens to a red envelope now. */
export const payoutText: Record<Payout, string> = {
  pending: '红包将发放到您的微信零钱，如需确认收款，请到「我的积分」页领取',
  awaiting_user: '红包待领取，请到「我的积分」页确认收款',
  paid: '红包已发放到您的微信零钱',
  failed: '红包暂未发放成功，系统会自动重新发放，无需再次抽奖',
}

/** Why a red envelope was paid as points instead (the points were added to the wallet). */
export const fallbackText: Record<NonNullable<DrawResult['fallback']>, string> = {
  budget_exhausted: '今日现金红包已发完，本次奖品已按对应积分发放到“我的积分”',
  user_daily_cap: '您今日领取的现金红包已达上限，本次奖品已按对应积分发放到“我的积分”',
}

export const pointsAdded = '积分已存入“我的积分”'

export const chancesLeft = (n: number): string => `剩余 ${n} 次抽奖机会`

export const again = (cost: number): string => `再抽一次（消耗 ${cost} 次机会）`

export const notEnough = (missing: number): string => `再抽一次还差 ${missing} 次机会`
