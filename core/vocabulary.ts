// The fixed lists of the domain (questionnaire versions, draw kinds, store item kinds, reservation
// statuses, node kinds, member roles), their Chinese names and the checks for them. Zod-free: the
// mini-program ships this module (it bundles no zod), and the zod enums of the domain modules are
// built from these same lists.

/** Both questionnaire versions: public netizen (公共网民版) and industry practitioner (网络从业人员版). */
export const VERSION_IDS = ['public', 'practitioner'] as const
export type VersionId = (typeof VERSION_IDS)[number]

export function isVersionId(v: unknown): v is VersionId {
  return (VERSION_IDS as readonly unknown[]).includes(v)
}

/** 九宫格 nine-grid and the copper/silver/gold treasure boxes (宝箱). */
export const DRAW_KINDS = ['nine_grid', 'copper', 'silver', 'gold'] as const
export type DrawKind = (typeof DRAW_KINDS)[number]

export const DRAW_KIND_NAMES: Readonly<Record<DrawKind, string>> = {
  nine_grid: '九宫格',
  copper: '铜宝箱',
  silver: '银宝箱',
  gold: '金宝箱',
}

export function isDrawKind(v: unknown): v is DrawKind {
  return (DRAW_KINDS as readonly unknown[]).includes(v)
}

/** What the points store (积分商城) offers. */
export const ITEM_KINDS = ['gift', 'cultural', 'certificate', 'report'] as const
export type ItemKind = (typeof ITEM_KINDS)[number]
export const ITEM_KIND_NAMES: Readonly<Record<ItemKind, string>> = {
  gift: '礼品',
  cultural: '文创产品',
  certificate: '志愿者证书',
  report: '调查报告',
}

export const RESERVATION_STATUSES = [
  'reserved',
  'picked_up',
  'cancelled',
  'expired',
  'delivered',
] as const
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number]
export const RESERVATION_STATUS_NAMES: Readonly<Record<ReservationStatus, string>> = {
  reserved: '待自提',
  picked_up: '已领取',
  cancelled: '已取消（积分已退回）',
  expired: '已过期（积分已退回）',
  delivered: '已兑换',
}

export const NODE_KINDS = [
  'committee', // 组委会
  'unit', // 发起单位 (level 1 provincial, level 2 city)
  'joint_unit', // 联合发起单位
  'station', // 志愿服务站/队
  'team', // 采集队
] as const
export type NodeKind = (typeof NODE_KINDS)[number]

export const NODE_KIND_NAMES: Readonly<Record<NodeKind, string>> = {
  committee: '组委会',
  unit: '发起单位',
  joint_unit: '联合发起单位',
  station: '志愿服务站',
  team: '采集队',
}

export const MEMBER_ROLES = ['unit_admin', 'station_admin', 'team_leader', 'volunteer'] as const
export type MemberRole = (typeof MEMBER_ROLES)[number]

export const MEMBER_ROLE_NAMES: Readonly<Record<MemberRole, string>> = {
  unit_admin: '单位管理员',
  station_admin: '服务站管理员',
  team_leader: '队长',
  volunteer: '志愿者',
}
