// Every piece of text the nine-grid page shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在准备九宫格…',
  loadFailed: '加载失败',
  retry: '重试',
  backHub: '返回抽奖首页',
  start: '开始抽奖',
  spinning: '抽奖中…',
  drawFailed: '抽奖未完成',
  retryNote: '重试不会重复扣减抽奖机会',
  closedTitle: '抽奖暂未开放',
  rules: '奖品以服务器抽取结果为准，中奖积分自动存入“我的积分”',
}

export const costText = (cost: number): string => `每次消耗 ${cost} 次`
