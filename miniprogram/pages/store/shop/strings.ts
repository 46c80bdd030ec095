// Every piece of text a pickup store's page shows, in one place.
export const text = {
  loading: '正在加载自提点…',
  loadFailed: '加载失败',
  retry: '重试',
  back: '返回',
  noStore: '没有指定自提点，请从自提点列表进入',
  address: '地址',
  hours: '营业时间',
  phone: '电话',
  call: '拨打电话',
  navigate: '导航',
  reserve: '在此兑换',
  reserving: '正在兑换…',
  soldOut: '此店已兑完，请选择其他自提点',
  confirmTitle: '确认兑换',
  confirm: '确认兑换',
  cancel: '再想想',
  sendFailed: '兑换未完成',
  retryNote: '重试不会重复扣除积分',
  notEnough: '积分不足',
}

export const stockLine = (title: string, stock: number) => `${title} · 本店库存 ${stock}`

export const confirmText = (
  title: string,
  price: number,
  balance: number,
  store: string,
  days: number,
) =>
  `用 ${price} 积分兑换「${title}」，兑换后余额 ${balance - price} 积分。请在 ${days} 天内到「${store}」凭取货码自提，逾期积分自动退回。`

export const shortText = (price: number, balance: number) =>
  `需要 ${price} 积分，当前余额 ${balance}，还差 ${price - balance} 积分`
