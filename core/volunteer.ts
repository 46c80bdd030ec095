// Contract of the `volunteer` cloud function: inputs the server validates, replies the
// server checks before sending them. Rules live in core/org.ts.
import { z } from 'zod'
import {
  MEMBER_STATUSES,
  memberRoleSchema,
  nodeIdSchema,
  shareCodeSchema,
  type CodeSignalFlag,
} from './org'
import { defineContract } from './contract-kit'
import { userCodeSchema } from './rewards'
import { requestIdSchema } from './survey'
import { NODE_KINDS } from './vocabulary'

const inviteCodeSchema = shareCodeSchema
const displayName = z.string().trim().min(1, '请填写称呼').max(20, '称呼最多 20 个字')
/** Only for a volunteer certificate, only if the person wants one (PIPL: minimal, stored apart). */
const realName = z
  .string()
  .trim()
  .regex(/^[\u4e00-\u9fa5·]{2,15}$|^[A-Za-z][A-Za-z .'-]{1,39}$/, '请填写身份证件上的姓名')

export const volunteerInputs = {
  me: z.object({}),
  inviteInfo: z.object({ code: inviteCodeSchema }),
  apply: z.object({
    code: inviteCodeSchema,
    displayName,
    realName: realName.optional(),
    requestId: requestIdSchema,
  }),
  leave: z.object({ nodeId: nodeIdSchema, requestId: requestIdSchema }),
  /** The caller's own code under a node they belong to; `forNode` (admins): the node's own code. */
  ensureCode: z.object({
    nodeId: nodeIdSchema,
    forNode: z.boolean().default(false),
    requestId: requestIdSchema,
  }),
  setCodeActive: z.object({
    code: shareCodeSchema,
    active: z.boolean(),
    requestId: requestIdSchema,
  }),
  codeImage: z.object({ code: shareCodeSchema }),
  nodeOverview: z.object({ nodeId: nodeIdSchema }),
  createInvite: z.object({
    nodeId: nodeIdSchema,
    role: memberRoleSchema.default('volunteer'),
    maxUses: z.number().int().min(1).max(10_000).default(200),
    expiresInDays: z.number().int().min(1).max(90).default(14),
    autoApprove: z.boolean().default(false),
    requestId: requestIdSchema,
  }),
  closeInvite: z.object({ code: inviteCodeSchema, requestId: requestIdSchema }),
  review: z.object({
    nodeId: nodeIdSchema,
    memberCode: userCodeSchema,
    decision: z.enum(['approve', 'reject']),
    requestId: requestIdSchema,
  }),
  removeMember: z.object({
    nodeId: nodeIdSchema,
    memberCode: userCodeSchema,
    requestId: requestIdSchema,
  }),
  grantRole: z.object({
    nodeId: nodeIdSchema,
    memberCode: userCodeSchema,
    role: memberRoleSchema,
    displayName,
    requestId: requestIdSchema,
  }),
  createChannelCodes: z.object({
    nodeId: nodeIdSchema,
    batchLabel: z.string().trim().min(2).max(40),
    codes: z
      .array(
        z.object({
          label: z.string().trim().min(1).max(40),
          target: z.number().int().min(0).max(10_000_000).default(0),
        }),
      )
      .min(1)
      .max(500),
    requestId: requestIdSchema,
  }),
  exportChannelCodes: z.object({
    // A node id (≤ 40), a dash and the requestId (≤ 64): createChannelCodes makes it so.
    batchId: z.string().regex(/^[A-Za-z0-9_-]{8,105}$/),
    format: z.enum(['csv', 'xlsx']),
  }),
  settleOverride: z.object({ nodeId: nodeIdSchema, requestId: requestIdSchema }),
  nodeTransfer: z.object({
    nodeId: nodeIdSchema,
    memberCode: userCodeSchema,
    amount: z.number().int().min(1),
    requestId: requestIdSchema,
  }),
}

/** The committee's review of samples (the `review` function; screens in the organiser console). */
export const reviewInputs = {
  invalidateSample: z.object({
    responseId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9_-]{1,64}$/, '样本编号为 <调查>:<用户>'),
    reason: z.string().trim().min(2).max(200),
    requestId: requestIdSchema,
  }),
}

const tally = z.object({ valid: z.number().int(), invalid: z.number().int() })
export type VolunteerTally = z.infer<typeof tally>

const nodeRef = z.object({ id: z.string(), name: z.string(), kind: z.enum(NODE_KINDS) })

export const codeInfoSchema = z.object({
  code: z.string(),
  scene: z.string(),
  active: z.boolean(),
  label: z.string().nullable(),
  today: tally,
  total: tally,
  target: z.number().int(),
  signals: z.array(z.string()),
})
export type CodeInfo = z.infer<typeof codeInfoSchema>

export const membershipSchema = z.object({
  node: nodeRef,
  /** Names from the top unit down to the node, for "my team and station". */
  path: z.array(z.string()),
  role: memberRoleSchema,
  status: z.enum(MEMBER_STATUSES),
  displayName: z.string(),
  manages: z.boolean(),
  code: codeInfoSchema.nullable(),
})
export type Membership = z.infer<typeof membershipSchema>

export const volunteerMeSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  slogan: z.string(),
  memberships: z.array(membershipSchema),
  /** share_reward points this campaign (the wallet holds them). */
  pointsFromSharing: z.number().int(),
  hasRealName: z.boolean(),
})
export type VolunteerMe = z.infer<typeof volunteerMeSchema>

export const inviteInfoSchema = z.object({
  node: nodeRef,
  path: z.array(z.string()),
  role: memberRoleSchema,
  state: z.enum(['open', 'expired', 'full', 'closed']),
  message: z.string().nullable(),
  autoApprove: z.boolean(),
  myStatus: z.enum(MEMBER_STATUSES).nullable(),
})
export type InviteInfo = z.infer<typeof inviteInfoSchema>

export const applyReplySchema = z.object({
  nodeId: z.string(),
  status: z.enum(MEMBER_STATUSES),
  message: z.string(),
})

export const inviteSchema = z.object({
  code: z.string(),
  scene: z.string(),
  role: memberRoleSchema,
  expiresAt: z.string(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  autoApprove: z.boolean(),
  state: z.enum(['open', 'expired', 'full', 'closed']),
})
export type Invite = z.infer<typeof inviteSchema>

export const memberRowSchema = z.object({
  memberCode: z.string(),
  displayName: z.string(),
  role: memberRoleSchema,
  status: z.enum(MEMBER_STATUSES),
  nodeName: z.string(),
  code: codeInfoSchema.nullable(),
})
export type MemberRow = z.infer<typeof memberRowSchema>

export const nodeOverviewSchema = z.object({
  node: nodeRef.extend({ overrideRate: z.number().int().nullable() }),
  path: z.array(z.string()),
  today: tally,
  total: tally,
  target: z.number().int(),
  /** Sub-units with their subtree's totals and today's counts (China time). */
  children: z.array(nodeRef.extend({ total: tally, today: tally, target: z.number().int() })),
  /** The subtree's share codes with the most valid samples (at most 5), most first. */
  topCodes: z.array(
    z.object({ code: z.string(), label: z.string().nullable(), total: tally, today: tally }),
  ),
  members: z.array(memberRowSchema),
  pending: z.array(memberRowSchema),
  invites: z.array(inviteSchema),
  override: z.object({
    samples: z.number().int(),
    accruedHundredths: z.number().int(),
    settled: z.number().int(),
    balance: z.number().int(),
  }),
})
export type NodeOverview = z.infer<typeof nodeOverviewSchema>

export const channelBatchSchema = z.object({
  batchId: z.string(),
  nodeId: z.string(),
  batchLabel: z.string(),
  codes: z.array(
    z.object({ code: z.string(), scene: z.string(), label: z.string(), target: z.number().int() }),
  ),
})
export type ChannelBatch = z.infer<typeof channelBatchSchema>

export const fileReplySchema = z.object({ fileId: z.string(), url: z.string() })

export const settleReplySchema = z.object({
  nodeId: z.string(),
  posted: z.number().int(),
  settled: z.number().int(),
  accruedHundredths: z.number().int(),
})

export type { CodeSignalFlag }

/** The `volunteer` function's contract (core/contracts.ts explains the shape). */
export const volunteerContract = defineContract('volunteer', {
  me: { input: volunteerInputs.me, output: volunteerMeSchema },
  inviteInfo: { input: volunteerInputs.inviteInfo, output: inviteInfoSchema },
  apply: { input: volunteerInputs.apply, output: applyReplySchema, mutating: true },
  leave: {
    input: volunteerInputs.leave,
    output: z.object({ nodeId: z.string(), status: z.enum(MEMBER_STATUSES) }),
    mutating: true,
  },
  ensureCode: { input: volunteerInputs.ensureCode, output: codeInfoSchema, mutating: true },
  setCodeActive: { input: volunteerInputs.setCodeActive, output: codeInfoSchema, mutating: true },
  codeImage: { input: volunteerInputs.codeImage, output: fileReplySchema },
  nodeOverview: { input: volunteerInputs.nodeOverview, output: nodeOverviewSchema },
  createInvite: {
    input: volunteerInputs.createInvite,
    output: inviteSchema.extend({ image: fileReplySchema }),
    mutating: true,
  },
  closeInvite: { input: volunteerInputs.closeInvite, output: inviteSchema, mutating: true },
  review: { input: volunteerInputs.review, output: memberRowSchema, mutating: true },
  removeMember: { input: volunteerInputs.removeMember, output: memberRowSchema, mutating: true },
  grantRole: {
    input: volunteerInputs.grantRole,
    output: memberRowSchema.extend({ roleName: z.string() }),
    mutating: true,
  },
  createChannelCodes: {
    input: volunteerInputs.createChannelCodes,
    output: channelBatchSchema,
    mutating: true,
  },
  exportChannelCodes: { input: volunteerInputs.exportChannelCodes, output: fileReplySchema },
  settleOverride: {
    input: volunteerInputs.settleOverride,
    output: settleReplySchema,
    mutating: true,
  },
  nodeTransfer: {
    input: volunteerInputs.nodeTransfer,
    output: z.object({
      amount: z.number().int(),
      toCode: z.string(),
      maskedNickname: z.string(),
      balance: z.number().int(),
    }),
    mutating: true,
  },
  /** The timer's run (or an organiser's): every rated node settled. */
  settleAll: {
    input: z.object({}),
    output: z.object({ nodes: z.number().int(), posted: z.number().int() }),
  },
  /** The ranking timer's pass (or an organiser's): nodes re-ranked by the codes that moved. */
  rankCodes: {
    input: z.object({}),
    output: z.object({ codes: z.number().int(), nodes: z.number().int() }),
  },
})
