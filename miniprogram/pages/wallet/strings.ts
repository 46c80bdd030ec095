// Every piece of text the wallet shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载我的积分…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  balanceLabel: '网安联积分',
  balanceUnit: '积分',
  transfer: '转赠积分',
  draw: '去抽奖',
  cashTitle: '待领取的现金红包',
  cashGo: '去领取',
  codeLabel: '我的用户码',
  codeHint: '好友向您转赠积分时，请把用户码告诉对方',
  copy: '复制',
  copied: '用户码已复制',
  nicknameLabel: '我的昵称',
  nicknameNone: '未设置',
  nicknameEdit: '修改',
  nicknameSet: '设置',
  nicknamePlaceholder: '1–20 个字',
  nicknameSave: '保存',
  nicknameCancel: '取消',
  nicknameSaving: '正在保存…',
  nicknameSaved: '昵称已保存',
  nicknameRequired: '请输入昵称',
  nicknameTooLong: '昵称最多 20 个字',
  nicknameRisky: '昵称含有不当内容，请修改后再试',
  nicknameInvalid: '昵称不符合要求，请修改后再试',
  entriesTitle: '积分明细',
  emptyTitle: '还没有积分记录',
  emptyDescription: '抽奖获得的积分、收到的转赠都会记在这里',
  loadingMore: '正在加载更多…',
  moreFailed: '加载失败，点击重试',
  noMore: '没有更多记录了',
  privacy: '我的数据与隐私',
}

/** What others see when they transfer to this user (the nickname is masked). */
export const maskedPreview = (masked: string): string => `好友转赠时看到的名字：${masked}`

export const cashWaitingText = (n: number): string => `${n} 个红包待确认收款，逾期可重新领取`

export const balanceAfterText = (n: number): string => `余额 ${n}`
