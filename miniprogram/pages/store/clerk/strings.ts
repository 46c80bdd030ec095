// Every piece of text the clerk's desk (店员核销) shows, in one place.
export const text = {
  loading: '正在加载核销台…',
  loadFailed: '无法打开核销台',
  retry: '重试',
  backHome: '返回首页',
  notClerk: '您还不是任何自提点的店员',
  notClerkHint: '店员由推荐该自提点的发起单位或组委会指定，请把“我的积分”中的用户码告诉管理员',
  chooseStore: '请选择自提点',
  scan: '扫描取货二维码',
  codeLabel: '取货码',
  codePlaceholder: '6 位数字',
  lookup: '查询',
  codeInvalid: '取货码为 6 位数字',
  scanNotPickup: '这不是取货二维码，请扫描用户“我的兑换”中的二维码',
  found: '待核销',
  person: '兑换人',
  confirm: '确认交付',
  confirming: '正在核销…',
  confirmed: '已交付',
  pending: '待自提',
  pendingEmpty: '暂无待自提的兑换',
  today: '今日已领取',
  todayEmpty: '今日还没有领取记录',
}

export const personText = (masked: string, code: string) => `${masked}（${code}）`
