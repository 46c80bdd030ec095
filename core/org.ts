// Volunteer organisations (志愿者组织) as pure rules: the tree of committee → initiating units →
// stations → teams, the chain a share code fixes, who may manage whom, the override each valid
// sample accrues to the developing station or unit, and the fraud signals of a code.
import { z } from 'zod'
import {
  SHARE_CODE_ALPHABET,
  SHARE_CODE_LENGTH,
  SHARE_CODE_PATTERN,
  canonicalCode,
  parseScene,
} from './codes'
import { MEMBER_ROLES, NODE_KINDS, type MemberRole, type NodeKind } from './vocabulary'

/** Kinds a node of each kind may hang under (the tree's shape, checked when data is loaded). */
const PARENT_KINDS: Readonly<Record<NodeKind, readonly NodeKind[]>> = {
  committee: [],
  unit: ['committee', 'unit'],
  joint_unit: ['committee', 'unit'],
  station: ['unit', 'joint_unit', 'station'],
  team: ['unit', 'joint_unit', 'station', 'team'],
}

/** Kinds that develop collectors and so earn an override (the rules page: stations and units). */
const OVERRIDE_KINDS: ReadonlySet<NodeKind> = new Set(['unit', 'joint_unit', 'station'])

export const memberRoleSchema = z.enum(MEMBER_ROLES)

/** Roles that manage their node and everything under it. */
export function isAdminRole(role: MemberRole): boolean {
  return role !== 'volunteer'
}

const regionCode = z.string().regex(/^\d{6}$/, '6 位行政区划代码')
const nodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '节点编号：小写字母、数字和 -')
export const nodeIdSchema = nodeId

/** Override rate in percent of a point per valid sample: the rules page says 10–20%. */
export const overrideRateSchema = z.number().int().min(10).max(20)

export const orgNodeSchema = z.object({
  id: nodeId,
  name: z.string().min(2).max(40),
  kind: z.enum(NODE_KINDS),
  /** Initiating units: 1 provincial, 2 city. */
  level: z.union([z.literal(1), z.literal(2)]).optional(),
  parent: nodeId.nullable(),
  region: z.object({ provinceCode: regionCode, cityCode: regionCode.nullable().default(null) }),
  /** Stations and units only; the file's default applies when absent. */
  overrideRate: overrideRateSchema.optional(),
  /** Valid-sample collection target per campaign id. */
  targets: z.record(z.string(), z.number().int().min(0)).default({}),
  active: z.boolean().default(true),
})
export type OrgNode = z.infer<typeof orgNodeSchema>

export const orgFileSchema = z
  .object({
    defaultOverrideRate: overrideRateSchema.default(10),
    nodes: z.array(orgNodeSchema).min(1),
    /** Demo data only: people who already hold a role (their openids are the demo's personas). */
    members: z
      .array(
        z.object({
          node: nodeId,
          openid: z.string().min(1).max(64),
          role: memberRoleSchema,
          displayName: z.string().min(1).max(20),
        }),
      )
      .default([]),
  })
  .superRefine((file, ctx) => {
    const problem = treeProblem(file.nodes)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
    const ids = new Set(file.nodes.map((n) => n.id))
    for (const m of file.members)
      if (!ids.has(m.node))
        ctx.addIssue({ code: 'custom', message: `member ${m.openid}: no node ${m.node}` })
  })
export type OrgFile = z.infer<typeof orgFileSchema>

/** What is wrong with a set of nodes as a tree (ids, parents, kinds, cycles), or null. */
export function treeProblem(
  nodes: readonly Pick<OrgNode, 'id' | 'kind' | 'parent'>[],
): string | null {
  const byId = new Map<string, Pick<OrgNode, 'id' | 'kind' | 'parent'>>()
  for (const n of nodes) {
    if (byId.has(n.id)) return `node ${n.id} appears twice`
    byId.set(n.id, n)
  }
  for (const n of nodes) {
    if (n.parent === null) {
      if (n.kind !== 'committee') return `node ${n.id} has no parent but is not the committee`
      continue
    }
    const parent = byId.get(n.parent)
    if (!parent) return `node ${n.id}: parent ${n.parent} does not exist`
    if (!PARENT_KINDS[n.kind].includes(parent.kind))
      return `node ${n.id}: a ${n.kind} cannot hang under a ${parent.kind}`
    const seen = new Set<string>([n.id])
    // A missing parent further up stops the walk: that node's own check reports it.
    for (let at = byId.get(n.parent); at && at.parent !== null; at = byId.get(at.parent)) {
      if (seen.has(at.id)) return `node ${n.id} is in a cycle`
      seen.add(at.id)
    }
  }
  return null
}

/** Ids of a node's ancestors and itself, root first, from a parent look-up. */
export function pathOf(id: string, parentOf: (id: string) => string | null | undefined): string[] {
  const path: string[] = []
  for (let at: string | null | undefined = id; at; at = parentOf(at)) {
    if (path.includes(at)) throw new Error(`cycle at ${at}`)
    path.unshift(at)
  }
  return path
}

/** The node a share code attributes to, as it is fixed in the code's document at creation. */
export interface CodeChain {
  /** Ids root first, from the top initiating unit down to the owner's node (no committee). */
  nodePath: string[]
  teamId: string | null
  stationId: string | null
  /** The nearest initiating unit (or joint unit) of the chain. */
  unitId: string | null
  provinceCode: string | null
  cityCode: string | null
  /** Where the override goes (one per sample), and its rate in percent; null: nobody. */
  overrideNodeId: string | null
  overrideRate: number
}

type ChainNode = Pick<OrgNode, 'id' | 'kind' | 'region' | 'overrideRate'>

/**
 * The chain of a code whose owner sits at the end of `path` (root first). `ownerIsNode`: the
 * code belongs to that node itself (a station's own code), so the override goes to the nearest
 * rated node strictly above it; a volunteer's code belongs to a person under the last node.
 */
export function codeChain(
  path: readonly ChainNode[],
  ownerIsNode: boolean,
  defaultRate: number,
): CodeChain {
  const nearest = (kinds: readonly NodeKind[]) =>
    [...path].reverse().find((n) => kinds.includes(n.kind))?.id ?? null
  const above = ownerIsNode ? path.slice(0, -1) : path
  const rated = [...above].reverse().find((n) => OVERRIDE_KINDS.has(n.kind))
  const leaf = path[path.length - 1]
  return {
    nodePath: path.filter((n) => n.kind !== 'committee').map((n) => n.id),
    teamId: nearest(['team']),
    stationId: nearest(['station']),
    unitId: nearest(['unit', 'joint_unit']),
    provinceCode: leaf?.region.provinceCode ?? null,
    cityCode: [...path].reverse().find((n) => n.region.cityCode)?.region.cityCode ?? null,
    overrideNodeId: rated?.id ?? null,
    overrideRate: rated ? (rated.overrideRate ?? defaultRate) : 0,
  }
}

/**
 * Whole override points still owed to a node: what its accrued hundredths of a point make, less
 * what was already settled. Negative after a reversal took accrual back (then a reversal entry).
 */
export function overrideOwed(accruedHundredths: number, settledPoints: number): number {
  return Math.floor(accruedHundredths / 100) - settledPoints
}

/** Whether `memberships` (node id → the caller's role there) let the caller manage the node at the end of `path`. */
export function canManage(
  memberships: ReadonlyMap<string, MemberRole>,
  path: readonly string[],
): boolean {
  return path.some((id) => {
    const role = memberships.get(id)
    return role !== undefined && isAdminRole(role)
  })
}

/**
 * Whether the caller may give `role` on the node at the end of `path`: an admin role only from
 * the admin of a node above it (a station admin does not appoint a second one beside them), a
 * volunteer from any admin of the node or above. The committee (organiser) may give any.
 */
export function canGrant(
  memberships: ReadonlyMap<string, MemberRole>,
  path: readonly string[],
  role: MemberRole,
  isCommittee: boolean,
): boolean {
  if (isCommittee) return true
  return canManage(memberships, isAdminRole(role) ? path.slice(0, -1) : path)
}

/** A share (or invite) code as typed, in its canonical form (codes.ts parseShareCode). */
export const shareCodeSchema = z
  .string()
  .transform(canonicalCode)
  .pipe(z.string().regex(SHARE_CODE_PATTERN, '分享码为 7 位字母数字'))

/** A code from bytes (a digest the server computes): stable for the same bytes. */
export function codeFromBytes(bytes: ArrayLike<number>, length = SHARE_CODE_LENGTH): string {
  if (bytes.length < length) throw new Error('not enough bytes for a code')
  let out = ''
  for (let i = 0; i < length; i++)
    out += SHARE_CODE_ALPHABET[bytes[i]! % SHARE_CODE_ALPHABET.length]
  return out
}

export type InviteState = 'open' | 'expired' | 'full' | 'closed'

export function inviteState(
  invite: { active: boolean; expiresAt: Date | string; maxUses: number; uses: number },
  nowMs: number,
): InviteState {
  if (!invite.active) return 'closed'
  if (new Date(invite.expiresAt).getTime() <= nowMs) return 'expired'
  if (invite.uses >= invite.maxUses) return 'full'
  return 'open'
}

export const INVITE_STATE_MESSAGES: Readonly<Record<Exclude<InviteState, 'open'>, string>> = {
  expired: '邀请已过期，请联系管理员重新邀请',
  full: '邀请名额已满，请联系管理员',
  closed: '邀请已关闭，请联系管理员',
}

export const MEMBER_STATUSES = ['pending', 'active', 'rejected', 'left', 'removed'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]
export type MemberEvent = 'apply' | 'approve' | 'reject' | 'leave' | 'remove'

/** The membership state machine: the next status, or null when the event does not apply. */
export function memberTransition(
  from: MemberStatus | null,
  event: MemberEvent,
  autoApprove = false,
): MemberStatus | null {
  switch (event) {
    case 'apply':
      // Someone who left, was removed or rejected may apply again; history stays.
      return from === null || from === 'left' || from === 'removed' || from === 'rejected'
        ? autoApprove
          ? 'active'
          : 'pending'
        : null
    case 'approve':
      return from === 'pending' ? 'active' : null
    case 'reject':
      return from === 'pending' ? 'rejected' : null
    case 'leave':
      return from === 'active' || from === 'pending' ? 'left' : null
    case 'remove':
      return from === 'active' || from === 'pending' ? 'removed' : null
  }
}

/** Thresholds of a code's fraud signals (config; the defaults the issue names). */
export const codeSignalRulesSchema = z.object({
  maxValidPerMinute: z.number().int().min(1).default(20),
  maxInvalidShare: z.number().min(0).max(1).default(0.5),
  /** Below this many samples the shares say nothing. */
  minSamples: z.number().int().min(1).default(10),
  maxSimilarParadataShare: z.number().min(0).max(1).default(0.3),
})
export type CodeSignalRules = z.infer<typeof codeSignalRulesSchema>

export type CodeSignalFlag = 'velocity' | 'invalid_share' | 'similar_paradata'

export const CODE_SIGNAL_LABELS: Readonly<Record<CodeSignalFlag, string>> = {
  velocity: '短时间内有效样本过多',
  invalid_share: '无效样本占比偏高',
  similar_paradata: '多份作答过程高度相似',
}

export interface CodeSample {
  submittedAtMs: number
  valid: boolean
  /** A coarse fingerprint of how the sample was answered (timings rounded, change counts). */
  paradataKey: string | null
}

export interface CodeSignals {
  maxValidPerMinute: number
  invalidShare: number
  similarParadataShare: number
  flags: CodeSignalFlag[]
}

/**
 * Signals of one code from its recent samples and its totals. Flags are for an admin to look at;
 * nothing is blocked on them (honest stands at a school take bursts too).
 */
export function codeSignals(
  recent: readonly CodeSample[],
  totals: { valid: number; invalid: number },
  rules: CodeSignalRules,
): CodeSignals {
  const valid = recent
    .filter((s) => s.valid)
    .map((s) => s.submittedAtMs)
    .sort((a, b) => a - b)
  let maxValidPerMinute = 0
  for (let lo = 0, hi = 0; hi < valid.length; hi++) {
    while (valid[hi]! - valid[lo]! >= 60_000) lo++
    maxValidPerMinute = Math.max(maxValidPerMinute, hi - lo + 1)
  }
  const all = totals.valid + totals.invalid
  const invalidShare = all === 0 ? 0 : totals.invalid / all
  const keyed = recent.filter((s) => s.paradataKey !== null)
  const counts = new Map<string, number>()
  for (const s of keyed) counts.set(s.paradataKey!, (counts.get(s.paradataKey!) ?? 0) + 1)
  const repeated = [...counts.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0)
  const similarParadataShare = keyed.length === 0 ? 0 : repeated / keyed.length
  const flags: CodeSignalFlag[] = []
  if (maxValidPerMinute > rules.maxValidPerMinute) flags.push('velocity')
  if (all >= rules.minSamples && invalidShare > rules.maxInvalidShare) flags.push('invalid_share')
  if (keyed.length >= rules.minSamples && similarParadataShare > rules.maxSimilarParadataShare)
    flags.push('similar_paradata')
  return { maxValidPerMinute, invalidShare, similarParadataShare, flags }
}

/** A coarse key of a sample's paradata: per-question first-answer times to 5 s and change counts. */
export function paradataKeyOf(
  paradata:
    { questions?: Record<string, { firstMs?: number; changes?: number }> } | null | undefined,
): string | null {
  const qs = paradata?.questions
  if (!qs || Object.keys(qs).length === 0) return null
  return Object.keys(qs)
    .sort()
    .map((id) => `${id}:${Math.round((qs[id]!.firstMs ?? -1) / 5000)}:${qs[id]!.changes ?? 0}`)
    .join('|')
}

/** What a scanned code means for a respondent's attribution (table-tested in test/unit/org.test.ts). */
export type AttributionDecision =
  | { attributed: true; selfReferral: boolean }
  | { attributed: false; reason: 'none' | 'malformed' | 'unknown' | 'paused' | 'foreign' }

export function decideAttribution(
  scene: string | null | undefined,
  code: {
    campaignId?: string | undefined
    active?: boolean | undefined
    ownerOpenid?: string | null | undefined
  } | null,
  campaignId: string,
  respondentOpenid: string,
): AttributionDecision {
  if (!scene) return { attributed: false, reason: 'none' }
  const target = parseScene(scene)
  if (!target || target.kind !== 'share') return { attributed: false, reason: 'malformed' }
  if (!code) return { attributed: false, reason: 'unknown' }
  if (code.campaignId && code.campaignId !== campaignId)
    return { attributed: false, reason: 'foreign' }
  if (code.active === false) return { attributed: false, reason: 'paused' }
  return {
    attributed: true,
    selfReferral: !!code.ownerOpenid && code.ownerOpenid === respondentOpenid,
  }
}

export const ATTRIBUTION_WARNINGS: Readonly<
  Record<'malformed' | 'unknown' | 'paused' | 'foreign', string>
> = {
  malformed: '未识别的分享码，已按普通方式参与',
  unknown: '未识别的分享码，已按普通方式参与',
  paused: '该分享码已暂停使用，已按普通方式参与',
  foreign: '该分享码不属于本次调查，已按普通方式参与',
}

/** Rewards of one sample that became valid through a code: who gets the point, who the override. */
export function sampleRewards(a: {
  code: string | null
  selfReferral?: boolean | undefined
  rewardAccount?: string | null | undefined
  overrideNodeId?: string | null | undefined
  overrideRate?: number | undefined
}): { shareRewardTo: string | null; overrideTo: string | null; overrideRate: number } {
  if (!a.code || a.selfReferral) return { shareRewardTo: null, overrideTo: null, overrideRate: 0 }
  const rate = a.overrideNodeId ? (a.overrideRate ?? 0) : 0
  return {
    shareRewardTo: a.rewardAccount ?? null,
    overrideTo: rate > 0 ? a.overrideNodeId! : null,
    overrideRate: rate,
  }
}
