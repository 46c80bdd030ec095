// Volunteers (志愿者, cloud function `volunteer`, contract in core/volunteer.ts): joining a node
// through an invite, one's memberships and share code, the code's image, and what node admins
// do on their phone (overview, invites, approvals, pausing a code, settling the override).
import {
  parseScene,
  shareCodeSchema,
  volunteerContract,
  type CodeInfo,
  type InviteInfo,
  type Membership,
  type NodeOverview,
  type VolunteerMe,
} from 'wal-core'
import { callAction, retryableAction, type Retryable } from './call'

/** The volunteer's own code, kept so home and other pages can share with it (转发带码). */
const OWN_CODE_KEY = 'wal.volunteer.ownCode'

export type { CodeInfo, InviteInfo, Membership, NodeOverview, VolunteerMe }

export async function getMe(): Promise<VolunteerMe> {
  const me = await callAction(volunteerContract, 'me', {})
  const own = me.memberships.find((m) => m.code?.active)?.code?.code ?? null
  if (own) wx.setStorageSync(OWN_CODE_KEY, own)
  else wx.removeStorageSync(OWN_CODE_KEY)
  return me
}

/** The code this person collects with, as last seen on the volunteer page (null for none). */
export function ownShareCode(): string | null {
  const raw: unknown = wx.getStorageSync(OWN_CODE_KEY)
  const parsed = shareCodeSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

export function getInviteInfo(code: string): Promise<InviteInfo> {
  return callAction(volunteerContract, 'inviteInfo', { code })
}

/** Apply through an invite; the real name only when the person wants a certificate. */
export function applyToJoin(input: { code: string; displayName: string; realName?: string }) {
  return retryableAction(volunteerContract, 'apply', input)
}

export function leaveNode(nodeId: string) {
  return retryableAction(volunteerContract, 'leave', { nodeId })
}

/** The caller's own share code under a node they belong to (made on first ask). */
export function ensureMyCode(nodeId: string) {
  return retryableAction(volunteerContract, 'ensureCode', { nodeId, forNode: false })
}

export function setCodeActive(code: string, active: boolean): Retryable<CodeInfo> {
  return retryableAction(volunteerContract, 'setCodeActive', { code, active })
}

/** A temporary URL of the code's image (the mini-program code; locally a QR). */
export function getCodeImage(code: string): Promise<{ fileId: string; url: string }> {
  return callAction(volunteerContract, 'codeImage', { code })
}

export function getNodeOverview(nodeId: string): Promise<NodeOverview> {
  return callAction(volunteerContract, 'nodeOverview', { nodeId })
}

export function createInvite(input: {
  nodeId: string
  maxUses: number
  expiresInDays: number
  autoApprove: boolean
}) {
  return retryableAction(volunteerContract, 'createInvite', { role: 'volunteer', ...input })
}

export function closeInvite(code: string) {
  return retryableAction(volunteerContract, 'closeInvite', { code })
}

export function reviewMember(nodeId: string, memberCode: string, decision: 'approve' | 'reject') {
  return retryableAction(volunteerContract, 'review', { nodeId, memberCode, decision })
}

/** Points from the node's account (its overrides) to a member of the node or below. */
export function transferFromNode(nodeId: string, memberCode: string, amount: number) {
  return retryableAction(volunteerContract, 'nodeTransfer', { nodeId, memberCode, amount })
}

export function settleOverride(nodeId: string) {
  return retryableAction(volunteerContract, 'settleOverride', { nodeId })
}

/** An invite code named by a page query or a scanned code's scene (`i=<code>`), or null. */
export function inviteCodeFrom(query: { code?: unknown; scene?: unknown }): string | null {
  if (typeof query.code === 'string') {
    const parsed = shareCodeSchema.safeParse(query.code)
    if (parsed.success) return parsed.data
  }
  const target = typeof query.scene === 'string' ? parseScene(query.scene) : null
  return target?.kind === 'invite' ? target.code : null
}
