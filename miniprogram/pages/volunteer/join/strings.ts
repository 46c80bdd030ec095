// Every piece of text the invite page (加入志愿服务) shows, in one place.
export const text = {
  loading: '正在查看邀请…',
  loadFailed: '无法打开邀请',
  retry: '重试',
  backHome: '返回首页',
  noCode: '没有找到邀请码，请重新扫描管理员出示的邀请二维码',
  inviteTitle: '邀请您加入',
  roleLabel: '身份',
  autoApprove: '提交后即可加入',
  needsApproval: '提交后由管理员审核',
  nameLabel: '称呼',
  namePlaceholder: '站内成员看到的名字，如 小李',
  certificate: '我需要志愿者证书',
  realNameLabel: '真实姓名',
  realNamePlaceholder: '与身份证件一致',
  privacy:
    '真实姓名仅用于制作您的志愿者证书，单独保存，不对外展示，不随数据导出；不需要证书可不填写。',
  submit: '申请加入',
  submitting: '正在提交…',
  sendFailed: '提交未完成',
  retryNote: '重试不会重复提交',
  doneActive: '加入成功',
  donePending: '申请已提交',
  toVolunteer: '查看我的志愿服务',
  alreadyTitle: '您已申请或加入该组织',
  nameRequired: '请填写称呼',
  realNameRequired: '需要证书时请填写真实姓名',
}

export const pathText = (path: string[]) => path.join(' › ')
