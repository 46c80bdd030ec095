// Every piece of text the node admin page (组织管理) shows, in one place.
import { NODE_KIND_NAMES, type NodeKind } from 'wal-core'

export const text = {
  loading: '正在加载组织数据…',
  loadFailed: '加载失败',
  retry: '重试',
  back: '返回',
  noNode: '没有指定组织，请从“我的志愿服务”进入',
  today: '今日有效',
  todayInvalid: '今日无效',
  total: '累计有效',
  totalInvalid: '累计无效',
  children: '下级组织',
  topCodes: '分享码排行（累计有效，每分钟更新）',
  topCodesEmpty: '还没有分享码带来有效样本',
  refreshHint: '下拉刷新数据',
  members: '成员',
  membersEmpty: '还没有成员，创建邀请码请志愿者加入',
  pending: '待审核',
  approve: '通过',
  reject: '拒绝',
  invites: '邀请码',
  invitesEmpty: '还没有邀请码',
  createInvite: '创建邀请码（14 天，200 人，需审核）',
  creating: '正在创建…',
  closeInvite: '关闭',
  override: '服务站奖励',
  settle: '结算积分',
  pause: '暂停',
  resume: '恢复',
  noCode: '未生成分享码',
  actionFailed: '操作未完成',
  signals: '异常提示',
  done: '已完成',
  transfer: '转积分',
  transferPlaceholder: '转给该成员的积分数',
  transferBadAmount: '请输入正整数积分',
}

export const transferTitle = (name: string, balance: number) =>
  `转给 ${name}（本组织余额 ${balance}）`

/** A sub-unit's line under its name: today's and total valid samples against its target. */
export const childText = (kind: string, todayValid: number, progress: string, invalid: number) =>
  `${kind} · 今日有效 ${todayValid} · 累计有效 ${progress} · 无效 ${invalid}`

/** A ranked share code: total valid samples, today's in brackets. */
export const codeCountText = (valid: number, todayValid: number) =>
  `有效 ${valid}（今日 ${todayValid}）`

export const kindName = (kind: NodeKind) => NODE_KIND_NAMES[kind]

export const INVITE_STATE_NAMES = {
  open: '有效',
  expired: '已过期',
  full: '名额已满',
  closed: '已关闭',
} as const

export const SIGNAL_NAMES: Readonly<Record<string, string>> = {
  velocity: '采集过快',
  invalid_share: '无效样本偏多',
  similar_paradata: '答题轨迹相似',
}

export const progressText = (valid: number, target: number) =>
  target > 0 ? `${valid} / ${target}` : `${valid}`

export const overrideText = (
  rate: number | null,
  samples: number,
  hundredths: number,
  settled: number,
) =>
  rate === null
    ? '本组织不计服务站奖励'
    : `比例 ${rate}% · ${samples} 份有效样本 · 累计 ${(hundredths / 100).toFixed(2)} 积分 · 已结算 ${settled} 积分`

export const inviteText = (uses: number, maxUses: number, expiresAt: string) =>
  `已用 ${uses}/${maxUses} · ${expiresAt} 到期`
