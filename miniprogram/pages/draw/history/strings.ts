// Every piece of text the draw history shows, in one place.
import type { DrawResult } from 'wal-core'

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载抽奖记录…',
  loadFailed: '加载失败',
  retry: '重试',
  backHub: '返回抽奖首页',
  emptyTitle: '还没有抽奖记录',
  emptyDescription: '完成问卷获得抽奖机会后，就可以去抽奖了',
  goDraw: '去抽奖',
  loadingMore: '正在加载更多…',
  moreFailed: '加载失败，点击重试',
  noMore: '没有更多记录了',
  wallet: '查看我的积分',
}

export const pointsPrize = (points: number): string => `${points}积分`
export const cashPrize = (yuan: string): string => `${yuan}元现金红包`

type Payout = Extract<DrawResult['prize'], { form: 'cash' }>['payoutStatus']

export const payoutLabel: Record<Payout, string> = {
  pending: '发放中',
  awaiting_user: '待领取',
  paid: '已发放',
  failed: '待重新发放',
}

/** A cash prize paid as points (the draw page explained why at the time). */
export const fallbackLabel = '红包已按积分发放'
