// What a caller of either kind may administer, from the database only — one resolver for the
// organiser, volunteer and store functions. The committee (组委会) is `roles/<openid>` with
// `organiser` (WeChat) or an active `consoleUsers/<uid>` with `committee: true` (web); node admins
// are active unit_admin/station_admin/team_leader memberships (WeChat) or the console account's
// `nodeIds` (web, unit admin of each). Also `consoleUsers`, written by an operator only.
import { isAdminRole, type MemberRole } from 'wal-core'
import type { Caller } from '../define-function'
import { getDb, readDoc } from '../db'
import { cachedNode, membershipsOf, type OrgNodeDoc } from './org'
import { hasRole } from './roles'

export const CONSOLE_USERS = 'consoleUsers'

export interface ConsoleUserDoc {
  _id: string
  name: string
  /** The committee: everything, everywhere. */
  committee: boolean
  /** Unit admin of these nodes (and their subtrees). */
  nodeIds: string[]
  active: boolean
}

/** A node the caller administers, with the role they hold on it. */
export interface AdminNode {
  node: OrgNodeDoc
  role: MemberRole
}

export interface CallerRoles {
  committee: boolean
  admin: AdminNode[]
}

/** The active console account of a web caller, or null (unknown or deactivated). */
export async function consoleUser(uid: string): Promise<ConsoleUserDoc | null> {
  const user = await readDoc<ConsoleUserDoc>(getDb().collection(CONSOLE_USERS).doc(uid))
  return user && user.active ? user : null
}

async function activeNodes(
  entries: Array<{ nodeId: string; role: MemberRole }>,
): Promise<AdminNode[]> {
  const nodes = await Promise.all(entries.map((e) => cachedNode(e.nodeId)))
  const out: AdminNode[] = []
  for (const [i, node] of nodes.entries())
    if (node?.active) out.push({ node, role: entries[i]!.role })
  return out
}

/** A console account's roles: the committee flag, and unit admin of each of its nodes. */
export async function consoleUserRoles(user: ConsoleUserDoc): Promise<CallerRoles> {
  return {
    committee: user.committee === true,
    admin: await activeNodes(
      (user.nodeIds ?? []).map((nodeId) => ({ nodeId, role: 'unit_admin' as const })),
    ),
  }
}

/** The caller's committee flag and administered nodes (one read of their account or roles). */
export async function callerRoles(caller: Caller): Promise<CallerRoles> {
  if (caller.kind === 'web') {
    const user = await consoleUser(caller.uid)
    return user ? consoleUserRoles(user) : { committee: false, admin: [] }
  }
  const [committee, memberships] = await Promise.all([
    hasRole(caller.openid, 'organiser'),
    membershipsOf(caller.openid),
  ])
  return {
    committee,
    admin: await activeNodes(
      memberships.filter((m) => m.status === 'active' && isAdminRole(m.role)),
    ),
  }
}

/** Whether the caller is the committee. */
export async function isCommittee(caller: Caller): Promise<boolean> {
  if (caller.kind === 'web') return (await consoleUser(caller.uid))?.committee === true
  return hasRole(caller.openid, 'organiser')
}

/** The active nodes the caller administers, with their roles. */
export async function adminNodes(caller: Caller): Promise<AdminNode[]> {
  return (await callerRoles(caller)).admin
}

/** Administered node ids → role, the shape core's canManage / canGrant take. */
export function roleMap(admin: readonly AdminNode[]): Map<string, MemberRole> {
  return new Map(admin.map((a) => [a.node._id, a.role]))
}

/**
 * The caller's key for requestIds and for who did what: the openid (as runOnce keys a WeChat
 * caller anyway), or `web:<uid>` for a console account.
 */
export function callerKey(caller: Caller): string {
  return caller.kind === 'web' ? `web:${caller.uid}` : caller.openid
}
