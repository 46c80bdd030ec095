// Every piece of text the item page (商品详情) shows, in one place.

export const text = {
  loading: '正在加载商品…',
  loadFailed: '无法打开商品',
  retry: '重试',
  backStore: '返回积分商城',
  noItem: '没有找到这件商品，请回到积分商城重新选择',
  priceLabel: '兑换价格',
  providerLabel: '提供单位',
  descriptionLabel: '商品说明',
  limitLabel: '兑换限制',
  availabilityLabel: '可兑换情况',
  chooseStore: '选择自提点',
  redeem: '立即兑换',
  redeeming: '正在兑换…',
  soldOut: '已兑完',
  unavailable: '暂不可兑换',
  limitReached: '已达兑换上限',
  notEnough: '积分不足',
  toSurvey: '去答题',
  toDraw: '去抽奖',
  toMine: '查看我的兑换',
  redeemFailed: '兑换未完成',
  retryNote: '重试不会重复扣积分',
  dialogTitle: '确认兑换',
  dialogConfirm: '确认兑换',
  dialogCancel: '再想想',
  doneTitle: '兑换成功',
  doneReport: '报告已解锁，之后也可以在「我的兑换」中打开',
  doneCertificate: '电子证书已发放，可在「我的兑换」中查看',
  openReport: '打开报告',
  opening: '正在打开…',
  openFailed: '报告打开失败，请稍后重试',
  physicalNote: '到店自提：选择自提点后预约，凭取货码到店领取',
  digitalNote: '电子版：兑换后立即可用',
  shareTitle: '网安联积分商城',
}

export const priceText = (points: number): string => `${points} 积分`

export const providerText = (provider: string): string => provider

export const limitText = (limit: number, redeemed: number): string =>
  redeemed > 0 ? `每人限兑 ${limit} 件，您已兑换 ${redeemed} 件` : `每人限兑 ${limit} 件`

export const stockLeftText = (stock: number): string => `各自提点共剩 ${stock} 件`

export const shortText = (missing: number, balance: number): string =>
  `您有 ${balance} 积分，还差 ${missing} 积分。答题、抽奖可以获得积分。`

export const dialogContent = (price: number, title: string, after: number): string =>
  `将使用 ${price} 积分兑换「${title}」，兑换后余额 ${after} 积分。兑换后不能退回。`

export const balanceText = (balance: number): string => `当前积分余额 ${balance}`
