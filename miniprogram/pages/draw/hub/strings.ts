// Every piece of text the draw hub shows, in one place (the navigation bar title is in
// index.json, where WeChat reads it).

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载抽奖信息…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  chancesLabel: '我的抽奖机会',
  chancesUnit: '次',
  oddsTitle: '奖项与概率',
  go: '去抽奖',
  history: '抽奖记录',
  wallet: '我的积分',
  noChances: '完成问卷可获得抽奖机会：主问卷和每个专题都会增加机会',
  answer: '去答题',
  learn: '去学习与问答',
  probabilityNote: '概率为活动公布的中奖概率，每次抽奖结果由服务器随机产生',
}

export const chancesSummary = (granted: number, spent: number): string =>
  `共获得 ${granted} 次，已使用 ${spent} 次`

export const costText = (cost: number): string => `每次消耗 ${cost} 次机会`

/** Already wrote to the cap: answering earns no more chances, so 去答题 would lead nowhere. */
export const capReachedText = (cap: number): string =>
  `您已获得本次调查的全部 ${cap} 次抽奖机会（每人最多 ${cap} 次），继续答题不再增加机会。已得积分可在「我的积分」中转赠或兑换礼品，学习与问答也能赚积分`

/** Every section offered is answered, below the cap (a section not counted): no more to earn. */
export const allAnsweredText =
  '您已答完本次调查的全部问卷，没有更多抽奖机会可获得。已得积分可在「我的积分」中转赠或兑换礼品，学习与问答也能赚积分'
