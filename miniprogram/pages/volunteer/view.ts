// What 我的志愿服务 shows, from the server's reply (pure: tested without rendering).
import type { CodeInfo, Membership, VolunteerMe } from '../../services/volunteer'
import { ROLE_NAMES, STATUS_NAMES, progressText } from './strings'

export interface CodeView {
  code: string
  active: boolean
  today: { valid: number; invalid: number }
  total: { valid: number; invalid: number }
  /** 0–100, for t-progress; null without a target. */
  percent: number | null
  progressText: string
}

export interface MembershipView {
  nodeId: string
  nodeName: string
  pathText: string
  roleText: string
  statusText: string
  pending: boolean
  active: boolean
  manages: boolean
  displayName: string
  code: CodeView | null
}

export interface VolunteerView {
  slogan: string
  memberships: MembershipView[]
  pointsFromSharing: number
}

export function codeView(c: CodeInfo): CodeView {
  return {
    code: c.code,
    active: c.active,
    today: c.today,
    total: c.total,
    percent: c.target > 0 ? Math.min(100, Math.floor((c.total.valid * 100) / c.target)) : null,
    progressText: progressText(c.total.valid, c.target),
  }
}

function membershipView(m: Membership): MembershipView {
  return {
    nodeId: m.node.id,
    nodeName: m.node.name,
    pathText: m.path.join(' › '),
    roleText: ROLE_NAMES[m.role],
    statusText: STATUS_NAMES[m.status],
    pending: m.status === 'pending',
    active: m.status === 'active',
    manages: m.manages,
    displayName: m.displayName,
    code: m.code ? codeView(m.code) : null,
  }
}

/** Active and pending memberships first; people who left or were refused keep a quiet line. */
export function toVolunteerView(me: VolunteerMe): VolunteerView {
  const rank = (m: Membership) => (m.status === 'active' ? 0 : m.status === 'pending' ? 1 : 2)
  return {
    slogan: me.slogan,
    memberships: [...me.memberships].sort((a, b) => rank(a) - rank(b)).map(membershipView),
    pointsFromSharing: me.pointsFromSharing,
  }
}
