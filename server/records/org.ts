// Records of the volunteer organisations: `orgNodes` (the tree, `_id` = node id, with its path
// root first), `orgMembers` (one per node and person, `_id` = `<nodeId>:<openid>`, roles and
// history), `orgInvites` (`_id` = invite code) and `volunteerIdentities` (real names for
// certificates only, `_id` = openid, stored apart from everything else — PIPL).
import type { MemberEvent, MemberRole, MemberStatus, NodeKind, OrgNode } from 'wal-core'
import { getDb, queryDocs, readDoc, type Transaction } from '../db'
import { cachedLoader } from './config-cache'

export const ORG_NODES = 'orgNodes'
export const ORG_MEMBERS = 'orgMembers'
export const ORG_INVITES = 'orgInvites'
export const VOLUNTEER_IDENTITIES = 'volunteerIdentities'
/** The committee's own node: every tree hangs under it. */
export const COMMITTEE_NODE = 'committee'

export interface OrgNodeDoc {
  _id: string
  name: string
  kind: NodeKind
  level: 1 | 2 | null
  parent: string | null
  /** Ids root first, ending with this node (the committee included). */
  path: string[]
  region: OrgNode['region']
  overrideRate: number | null
  targets: Record<string, number>
  active: boolean
}

export interface MemberHistoryItem {
  at: Date
  event: MemberEvent | 'grant'
  /** Who did it: the member, or the admin's user code. */
  by: string
  role: MemberRole
}

export interface OrgMemberDoc {
  _id: string
  nodeId: string
  openid: string
  /** The member's wallet user code: how admins name a member (never the openid). */
  userCode: string
  role: MemberRole
  status: MemberStatus
  displayName: string
  inviteCode: string | null
  history: MemberHistoryItem[]
  createdAt: Date
  updatedAt: Date
}

export interface OrgInviteDoc {
  _id: string
  nodeId: string
  role: MemberRole
  createdBy: string
  createdAt: Date
  expiresAt: Date
  maxUses: number
  uses: number
  autoApprove: boolean
  active: boolean
}

export interface VolunteerIdentityDoc {
  _id: string
  realName: string
  purpose: 'volunteer_certificate'
  consentedAt: Date
}

export const memberId = (nodeId: string, openid: string) => `${nodeId}:${openid}`

/** A node as stored from the organisation data: its path computed from the parents. */
export function nodeDoc(node: OrgNode, path: string[]): OrgNodeDoc {
  return {
    _id: node.id,
    name: node.name,
    kind: node.kind,
    level: node.level ?? null,
    parent: node.parent,
    path,
    region: node.region,
    overrideRate: node.overrideRate ?? null,
    targets: node.targets,
    active: node.active,
  }
}

/**
 * A node, from the config cache: nodes change rarely (an organiser renames one or sets a target)
 * and every submission through a code and every admin page reads a few.
 */
export const cachedNode = cachedLoader((id: string): Promise<OrgNodeDoc | null> =>
  readDoc<OrgNodeDoc>(getDb().collection(ORG_NODES).doc(id)),
)

/** Nodes by id, from the cache (missing ones left out). */
export async function cachedNodes(ids: readonly string[]): Promise<Map<string, OrgNodeDoc>> {
  const out = new Map<string, OrgNodeDoc>()
  for (const n of await Promise.all(ids.map((id) => cachedNode(id)))) if (n) out.set(n._id, n)
  return out
}

export function childrenOf(nodeId: string): Promise<OrgNodeDoc[]> {
  return queryDocs<OrgNodeDoc>(getDb().collection(ORG_NODES).where({ parent: nodeId }).limit(200))
}

export function readMember(
  tx: Transaction | ReturnType<typeof getDb>,
  nodeId: string,
  openid: string,
): Promise<OrgMemberDoc | null> {
  return readDoc<OrgMemberDoc>(tx.collection(ORG_MEMBERS).doc(memberId(nodeId, openid)))
}

/** Every membership of a person (any status), newest first. */
export function membershipsOf(openid: string): Promise<OrgMemberDoc[]> {
  return queryDocs<OrgMemberDoc>(
    getDb().collection(ORG_MEMBERS).where({ openid }).orderBy('createdAt', 'desc').limit(50),
  )
}

/** The members of a node (every status), for its admin page. */
export function membersOf(nodeId: string): Promise<OrgMemberDoc[]> {
  return queryDocs<OrgMemberDoc>(
    getDb().collection(ORG_MEMBERS).where({ nodeId }).orderBy('createdAt', 'asc').limit(500),
  )
}

export async function memberByUserCode(
  nodeId: string,
  userCode: string,
): Promise<OrgMemberDoc | null> {
  const found = await queryDocs<OrgMemberDoc>(
    getDb().collection(ORG_MEMBERS).where({ nodeId, userCode }).limit(1),
  )
  return found[0] ?? null
}

export function invitesOf(nodeId: string): Promise<OrgInviteDoc[]> {
  return queryDocs<OrgInviteDoc>(
    getDb().collection(ORG_INVITES).where({ nodeId }).orderBy('createdAt', 'desc').limit(50),
  )
}
