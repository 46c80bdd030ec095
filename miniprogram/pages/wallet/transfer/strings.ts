// Every piece of text the transfer flow (积分转赠) shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载…',
  loadFailed: '加载失败',
  retry: '重试',
  backWallet: '返回我的积分',
  codeLabel: '对方用户码',
  codePlaceholder: '8 位字母数字，如 ABCD2345',
  amountLabel: '转赠积分',
  amountPlaceholder: '请输入积分数量',
  amountSuffix: '积分',
  next: '下一步',
  checking: '正在查询用户…',
  previewTitle: '请核对转赠信息',
  toLabel: '转赠给',
  amountRowLabel: '转赠数量',
  confirm: '确认转赠',
  edit: '返回修改',
  sending: '正在转赠…',
  dialogTitle: '确认转赠',
  dialogCancel: '取消',
  doneTitle: '转赠成功',
  again: '继续转赠',
  notice: '转赠成功后积分立即到账，不能撤回，请核对对方用户码',
  sendFailed: '转赠未完成',
  retryNote: '重试不会重复转赠',
  codeInvalid: '用户码为 8 位字母数字，请检查后重新输入',
  amountRequired: '请输入转赠积分数量',
  amountNotWhole: '转赠积分须为正整数',
}

/** Transfer rules from the server's balance reply (per-transfer limits, today's cap and use). */
export interface Limits {
  minAmount: number
  maxAmount: number
  dailyCap: number
  sentToday: number
}

const leftToday = (limits: Limits) => Math.max(0, limits.dailyCap - limits.sentToday)

export const available = (balance: number, limits: Limits | null): string =>
  limits
    ? `可转赠积分 ${balance} · 每次 ${limits.minAmount}–${limits.maxAmount} 积分，今日还可转赠 ${leftToday(limits)} 积分`
    : `可转赠积分 ${balance}`

export const overBalance = (balance: number): string => `积分余额不足，当前可转赠 ${balance} 积分`

export const recipientText = (masked: string, code: string): string => `${masked}（${code}）`

export const pointsText = (amount: number): string => `${amount} 积分`

export const dialogContent = (amount: number, masked: string, code: string): string =>
  `确认将 ${amount} 积分转赠给 ${masked}（${code}）？转赠后不能撤回。`

export const doneText = (amount: number, masked: string): string =>
  `已将 ${amount} 积分转赠给 ${masked}`

export const newBalance = (balance: number): string => `当前积分余额 ${balance}`
