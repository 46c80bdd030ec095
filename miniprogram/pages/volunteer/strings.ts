// Every piece of text 我的志愿服务 shows, in one place.
import { MEMBER_ROLE_NAMES, type MemberRole, type MemberStatus } from 'wal-core'

export const text = {
  loading: '正在加载志愿服务信息…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  emptyTitle: '您还没有加入志愿服务组织',
  emptyDescription:
    '志愿者通过所在志愿服务站（队）的邀请加入。请向站点管理员索取邀请二维码，扫码后按提示申请。',
  scanInvite: '扫描邀请码',
  inviteInputLabel: '或输入邀请码',
  inviteInputPlaceholder: '7 位字母数字',
  openInvite: '查看邀请',
  inviteInvalid: '邀请码为 7 位字母数字，请检查后重新输入',
  scanNotInvite: '这不是志愿者邀请码，请扫描站点管理员出示的邀请二维码',
  myCode: '我的专属分享码',
  codeHint: '网民扫描此码答题，每份有效样本为您记 1 积分',
  codePaused: '已暂停：扫码答题不再计入您的名下',
  today: '今日',
  total: '累计',
  valid: '有效',
  invalid: '无效',
  target: '目标',
  poster: '生成分享海报',
  share: '转发给好友',
  pause: '暂停分享码',
  resume: '恢复分享码',
  pauseConfirmTitle: '暂停分享码',
  pauseConfirm: '暂停后，扫描此码的答题不再计入您的名下，可随时恢复。确定暂停吗？',
  pending: '申请已提交，等待管理员审核',
  manage: '管理',
  pointsLabel: '分享码获得积分',
  wallet: '查看我的积分',
  leave: '退出该组织',
  leaveConfirm: '退出后您的分享码将暂停，已获得的积分保留。确定退出吗？',
  actionFailed: '操作未完成',
  codeImageFailed: '二维码加载失败，点此重试',
  noCodeYet: '您在该组织还没有专属分享码',
  makeCode: '生成我的专属分享码',
}

export const ROLE_NAMES: Readonly<Record<MemberRole, string>> = MEMBER_ROLE_NAMES

export const STATUS_NAMES: Readonly<Record<MemberStatus, string>> = {
  pending: '待审核',
  active: '已加入',
  rejected: '未通过',
  left: '已退出',
  removed: '已移出',
}

export const shareTitle = (slogan: string) => `网民网络安全感满意度调查 · ${slogan}`

export const progressText = (valid: number, target: number) =>
  target > 0 ? `有效样本 ${valid} / 目标 ${target}` : `有效样本 ${valid}`
