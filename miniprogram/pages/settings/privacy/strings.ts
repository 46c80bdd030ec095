// Every piece of text 我的数据与隐私 shows, in one place.
import { MEMBER_ROLE_NAMES, RESERVATION_STATUS_NAMES } from 'wal-core'

export const text = {
  title: '我的数据与隐私',
  loading: '正在查询我们保存的您的信息…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  intro: '以下是本调查为您保存的全部个人信息。您可以随时删除其中的个人信息。',
  emptyTitle: '我们没有保存您的个人信息',
  emptyDescription: '您还没有参与调查、抽奖、积分或志愿服务，这里没有需要删除的内容。',
  responsesTitle: '问卷答卷',
  pointsTitle: '积分账户',
  balance: '积分余额',
  entries: '积分流水',
  userCode: '用户码',
  nickname: '昵称',
  nicknameNone: '未设置',
  membershipsTitle: '志愿服务组织',
  reservationsTitle: '兑换记录',
  identityTitle: '实名信息',
  purposesTitle: '使用目的与保存期限',
  retentionNone: '答卷在调查结束并经过保存期限后转为假名保存，不再与您的微信身份关联。',
  deleteTitle: '删除我的个人信息',
  deleteHint: '昵称、真实姓名立即删除，答卷与您微信身份的关联立即解除；积分余额仍归您所有。',
  deleteButton: '删除我的个人信息',
  deleting: '正在删除…',
  confirmTitle: '确定删除个人信息？',
  confirmGoesTitle: '立即删除',
  confirmGoes: '昵称、真实姓名（志愿者证书用）、志愿者显示名，以及问卷答卷与您微信身份的关联。',
  confirmKeptTitle: '会保留，原因是',
  confirmKept: [
    '积分余额与流水：余额仍归您所有、可继续使用；已转出或花出的积分是他人到账和兑换的另一半，须保留对账。',
    '抽奖、红包和兑换记录：奖品和资金的发放须留存备查，记录中不含昵称或姓名。',
    '问卷答案：以假名保存用于调查统计，不能再与您关联。',
  ],
  confirmFinal: '删除后无法恢复。',
  confirm: '确定删除',
  cancel: '再想想',
  sendFailed: '删除未完成',
  retryNote: '重试不会重复删除，也不会影响您的积分',
  deletedTitle: '已删除您的个人信息',
  removedTitle: '已删除',
  removedNone: '没有需要删除的个人信息',
  keptTitle: '仍保留的信息及原因',
  viewAgain: '查看现在保存的信息',
}

export const ROLE_NAMES: Readonly<Record<string, string>> = MEMBER_ROLE_NAMES

export const MEMBER_STATUS_NAMES: Readonly<Record<string, string>> = {
  pending: '待审核',
  active: '已加入',
  rejected: '未通过',
  left: '已退出',
  removed: '已移出',
}

export const RESERVATION_NAMES: Readonly<Record<string, string>> = RESERVATION_STATUS_NAMES

export const VERSION_NAMES: Readonly<Record<string, string>> = {
  public: '公共网民版',
  practitioner: '网络从业人员版',
}

export const IDENTITY_PURPOSES: Readonly<Record<string, string>> = {
  volunteer_certificate: '用于志愿者证书',
}

export const responseTitle = (campaignId: string, version: string) =>
  `调查 ${campaignId} · ${VERSION_NAMES[version] ?? version}`

export const responseLine = (startedAt: string, sections: number, chances: number) =>
  `${startedAt} 开始答题，已提交 ${sections} 部分，获得 ${chances} 次抽奖机会`

export const sampleText = (valid: boolean | null) =>
  valid === null ? '' : valid ? '有效样本' : '未计为有效样本'

export const retentionLine = (date: string) => `${date} 起答卷转为假名保存，不再与您关联`

export const entriesText = (n: number) => `${n} 笔`

export const membershipLine = (displayName: string, role: string, status: string) =>
  `${displayName} · ${ROLE_NAMES[role] ?? role} · ${MEMBER_STATUS_NAMES[status] ?? status}`

export const identityLine = (maskedName: string, purpose: string) =>
  `${maskedName}（${IDENTITY_PURPOSES[purpose] ?? purpose}）`
