// Every piece of text 我的兑换 shows, in one place.

export const text = {
  loading: '正在加载我的兑换…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  emptyTitle: '还没有兑换记录',
  emptyDescription: '在积分商城用积分兑换礼品、文创产品和调查报告',
  toStore: '去积分商城',
  tabEmpty: '这里暂时没有记录',
  pickupCode: '取货码',
  showClerk: '到店后向店员出示二维码或报出取货码',
  qrFailed: '二维码加载失败，点此重试',
  navigate: '导航',
  call: '电话',
  openReport: '打开报告',
  opening: '正在打开…',
  openFailed: '报告打开失败，请稍后重试',
  certificateNote: '电子证书已发放，编号',
  viewCertificate: '查看证书',
  cancel: '取消兑换',
  cancelling: '正在取消…',
  cancelTitle: '取消兑换',
  cancelConfirm: '取消后积分将退回您的账户。确定取消吗？',
  cancelOk: '确定取消',
  cancelKeep: '保留',
  cancelled: '已取消，积分已退回',
}

export const GROUP_NAMES = {
  pending: '待自提',
  done: '已完成',
  closed: '已取消或过期',
} as const

export const tabLabel = (name: string, count: number): string =>
  count > 0 ? `${name}（${count}）` : name

export const priceText = (points: number): string => `${points} 积分`

export const createdText = (when: string): string => `兑换于 ${when}`

export const expiresText = (when: string): string => `请于 ${when} 前到店领取，逾期积分自动退回`
