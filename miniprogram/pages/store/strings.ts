// Every piece of text 积分商城 shows, in one place.
import type { ItemKind } from 'wal-core'

export const text = {
  loading: '正在加载积分商城…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  balanceLabel: '可用积分',
  balanceUnit: '积分',
  wallet: '我的积分',
  mine: '我的兑换',
  all: '全部',
  emptyTitle: '这一类暂时没有可兑换的商品',
  emptyDescription: '看看其他分类，或稍后再来',
  soldOut: '已兑完',
  digital: '电子版',
  shareTitle: '网安联积分商城：积分兑换礼品、文创和调查报告',
}

export const priceText = (points: number): string => `${points} 积分`

export const stockText = (stock: number): string => `剩余 ${stock} 件`

export const providerText = (provider: string): string => `${provider} 提供`

/** The tab that shows every kind. */
export const ALL = 'all'
export type KindTab = ItemKind | typeof ALL
