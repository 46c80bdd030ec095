// Volunteers (志愿者, cloud function `volunteer`, contract in core/volunteer.ts): joining a node
// through an invite, one's memberships and share code, the code's image, and what node admins
// do on their phone (overview, invites, approvals, pausing a code, settling the override).
import {
  contractRef,
  parseScene,
  parseShareCode,
  type CodeInfo,
  type InviteInfo,
  type Membership,
  type NodeOverview,
  type VolunteerMe,
  type volunteerContract,
} from 'wal-core'
import { callAction, retryableAction, type Retryable } from './call'

const volunteerFn = contractRef<typeof volunteerContract>('volunteer')

/** The volunteer's own code, kept so home and other pages can share with it (转发带码). */
const OWN_CODE_KEY = 'wal.volunteer.ownCode'

export type { CodeInfo, InviteInfo, Membership, NodeOverview, VolunteerMe }

export async function getMe(): Promise<VolunteerMe> {
  const me = await callAction(volunteerFn, 'me', {})
  const own = me.memberships.find((m) => m.code?.active)?.code?.code ?? null
  if (own) wx.setStorageSync(OWN_CODE_KEY, own)
  else wx.removeStorageSync(OWN_CODE_KEY)
  return me
}

/** The code this person collects with, as last seen on the volunteer page (null for none). */
export function ownShareCode(): string | null {
  return parseShareCode(wx.getStorageSync(OWN_CODE_KEY))
}

export function getInviteInfo(code: string): Promise<InviteInfo> {
  return callAction(volunteerFn, 'inviteInfo', { code })
}

/** Apply through an invite; the real name only when the person wants a certificate. */
export function applyToJoin(input: { code: string; displayName: string; realName?: string }) {
  return retryableAction(volunteerFn, 'apply', input)
}

export function leaveNode(nodeId: string) {
  return retryableAction(volunteerFn, 'leave', { nodeId })
}

/** The caller's own share code under a node they belong to (made on first ask). */
export function ensureMyCode(nodeId: string) {
  return retryableAction(volunteerFn, 'ensureCode', { nodeId, forNode: false })
}

export function setCodeActive(code: string, active: boolean): Retryable<CodeInfo> {
  return retryableAction(volunteerFn, 'setCodeActive', { code, active })
}

/** A temporary URL of the code's image (the mini-program code; locally a QR). */
export function getCodeImage(code: string): Promise<{ fileId: string; url: string }> {
  return callAction(volunteerFn, 'codeImage', { code })
}

export function getNodeOverview(nodeId: string): Promise<NodeOverview> {
  return callAction(volunteerFn, 'nodeOverview', { nodeId })
}

export function createInvite(input: {
  nodeId: string
  maxUses: number
  expiresInDays: number
  autoApprove: boolean
}) {
  return retryableAction(volunteerFn, 'createInvite', { role: 'volunteer', ...input })
}

export function closeInvite(code: string) {
  return retryableAction(volunteerFn, 'closeInvite', { code })
}

export function reviewMember(nodeId: string, memberCode: string, decision: 'approve' | 'reject') {
  return retryableAction(volunteerFn, 'review', { nodeId, memberCode, decision })
}

/** Points from the node's account (its overrides) to a member of the node or below. */
export function transferFromNode(nodeId: string, memberCode: string, amount: number) {
  return retryableAction(volunteerFn, 'nodeTransfer', { nodeId, memberCode, amount })
}

export function settleOverride(nodeId: string) {
  return retryableAction(volunteerFn, 'settleOverride', { nodeId })
}

/** An invite code named by a page query or a scanned code's scene (`i=<code>`), or null. */
export function inviteCodeFrom(query: { code?: unknown; scene?: unknown }): string | null {
  const code = parseShareCode(query.code)
  if (code) return code
  const target = typeof query.scene === 'string' ? parseScene(query.scene) : null
  return target?.kind === 'invite' ? target.code : null
}
