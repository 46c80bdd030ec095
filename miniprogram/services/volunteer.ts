// Volunteers (志愿者, cloud function `volunteer`, contract in core/volunteer.ts): joining a node
// through an invite, one's memberships and share code, the code's image, and what node admins
// do on their phone (overview, invites, approvals, pausing a code, settling the override).
import {
  applyReplySchema,
  codeInfoSchema,
  fileReplySchema,
  inviteInfoSchema,
  inviteSchema,
  memberRowSchema,
  nodeOverviewSchema,
  parseScene,
  settleReplySchema,
  shareCodeSchema,
  volunteerMeSchema,
  type CodeInfo,
  type InviteInfo,
  type Membership,
  type NodeOverview,
  type VolunteerMe,
} from 'wal-core'
import { z } from 'zod'
import { call, retryable, type Retryable } from './call'

const FUNCTION = 'volunteer'
/** The volunteer's own code, kept so home and other pages can share with it (转发带码). */
const OWN_CODE_KEY = 'wal.volunteer.ownCode'

export type { CodeInfo, InviteInfo, Membership, NodeOverview, VolunteerMe }
export type ApplyReply = z.infer<typeof applyReplySchema>
export type InviteWithImage = z.infer<typeof inviteSchema> & {
  image: z.infer<typeof fileReplySchema>
}

export async function getMe(): Promise<VolunteerMe> {
  const me = await call(FUNCTION, { action: 'me' }, volunteerMeSchema)
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
  return call(FUNCTION, { action: 'inviteInfo', code }, inviteInfoSchema)
}

/** Apply through an invite; the real name only when the person wants a certificate. */
export function applyToJoin(input: {
  code: string
  displayName: string
  realName?: string
}): Retryable<ApplyReply> {
  const event = input.realName
    ? {
        action: 'apply',
        code: input.code,
        displayName: input.displayName,
        realName: input.realName,
      }
    : { action: 'apply', code: input.code, displayName: input.displayName }
  return retryable(FUNCTION, event, applyReplySchema)
}

export function leaveNode(nodeId: string): Retryable<unknown> {
  return retryable(FUNCTION, { action: 'leave', nodeId }, z.unknown())
}

/** The caller's code under a node they belong to (created on first ask). */
export function ensureMyCode(nodeId: string): Retryable<CodeInfo> {
  return retryable(FUNCTION, { action: 'ensureCode', nodeId, forNode: false }, codeInfoSchema)
}

export function setCodeActive(code: string, active: boolean): Retryable<CodeInfo> {
  return retryable(FUNCTION, { action: 'setCodeActive', code, active }, codeInfoSchema)
}

/** A temporary URL of the code's image (the mini-program code; locally a QR). */
export function getCodeImage(code: string): Promise<{ fileId: string; url: string }> {
  return call(FUNCTION, { action: 'codeImage', code }, fileReplySchema)
}

export function getNodeOverview(nodeId: string): Promise<NodeOverview> {
  return call(FUNCTION, { action: 'nodeOverview', nodeId }, nodeOverviewSchema)
}

export function createInvite(input: {
  nodeId: string
  maxUses: number
  expiresInDays: number
  autoApprove: boolean
}): Retryable<InviteWithImage> {
  return retryable(
    FUNCTION,
    { action: 'createInvite', role: 'volunteer', ...input },
    inviteSchema.extend({ image: fileReplySchema }),
  )
}

export function closeInvite(code: string): Retryable<unknown> {
  return retryable(FUNCTION, { action: 'closeInvite', code }, inviteSchema)
}

export function reviewMember(
  nodeId: string,
  memberCode: string,
  decision: 'approve' | 'reject',
): Retryable<unknown> {
  return retryable(FUNCTION, { action: 'review', nodeId, memberCode, decision }, memberRowSchema)
}

export function settleOverride(nodeId: string): Retryable<z.infer<typeof settleReplySchema>> {
  return retryable(FUNCTION, { action: 'settleOverride', nodeId }, settleReplySchema)
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
