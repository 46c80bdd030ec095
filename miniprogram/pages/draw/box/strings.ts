// Every piece of text the treasure-box page shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在准备宝箱…',
  loadFailed: '加载失败',
  retry: '重试',
  backHub: '返回抽奖首页',
  open: '开启宝箱',
  opening: '宝箱开启中…',
  openFailed: '宝箱未能开启',
  retryNote: '重试不会重复扣减抽奖机会',
  closedTitle: '抽奖暂未开放',
  badKind: '没有这种宝箱，请从抽奖首页进入',
  oddsTitle: '可能获得',
}

export const costText = (cost: number): string => `每次消耗 ${cost} 次机会`
