// Who an organiser is and what they may see: the committee (组委会) everything, a unit or station
// admin their subtree only. Roles come from the database only — `roles` (WeChat organisers),
// `consoleUsers` (console accounts), `orgMembers` (admins of nodes) — never from the request.
// Also the audit log every mutation writes in its own transaction, and pseudonymous respondent
// ids (a keyed hash, never the openid) shared by exports and offline draws.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { canManage } from 'wal-core'
import { AppError } from '../app-error'
import type { Caller } from '../define-function'
import { getDb, isDuplicateKeyError, queryDocs, readDoc, type Transaction } from '../db'
import { runOnce } from '../idempotency'
import {
  callerKey,
  callerRoles,
  consoleUser,
  consoleUserRoles,
  roleMap,
  type AdminNode,
} from '../records/caller-roles'
import { ORG_NODES, cachedNode, type OrgNodeDoc } from '../records/org'

export { CONSOLE_USERS, type ConsoleUserDoc } from '../records/caller-roles'
export const AUDIT_LOG = 'auditLog'
export const ORGANISER_KEYS = 'organiserKeys'

export interface Access {
  who: { kind: 'wechat' | 'web'; id: string }
  /** The requestId key of the caller: the openid, or `web:<uid>`. */
  key: string
  /** For runOnce: set for web callers (WeChat callers are keyed by their context's openid). */
  caller?: string
  committee: boolean
  /** Nodes the caller administers, with the role. */
  admin: AdminNode[]
}

/** The caller's access, from the database; FORBIDDEN for someone with no organiser role at all. */
export async function accessOf(caller: Caller): Promise<Access> {
  if (caller.kind === 'web') {
    const user = await consoleUser(caller.uid)
    if (!user) throw new AppError('FORBIDDEN', '该账号不是控制台用户或已停用')
    const { committee, admin } = await consoleUserRoles(user)
    const key = callerKey(caller)
    return { who: { kind: 'web', id: caller.uid }, key, caller: key, committee, admin }
  }
  const { committee, admin } = await callerRoles(caller)
  if (!committee && admin.length === 0) throw new AppError('FORBIDDEN', '您没有组织管理权限')
  return { who: { kind: 'wechat', id: caller.openid }, key: caller.openid, committee, admin }
}

export function requireCommittee(access: Access): void {
  if (!access.committee) throw new AppError('FORBIDDEN', '只有组委会可以进行此操作')
}

/** Whether the caller may see or act on the node at the end of `path`. */
export function mayManage(access: Access, path: readonly string[]): boolean {
  if (access.committee) return true
  return canManage(roleMap(access.admin), path)
}

/**
 * The scope a read or export covers: a node of the caller's (FORBIDDEN for any other), or — no
 * nodeId — the committee's whole campaign (null) or the caller's first administered node.
 */
export async function scopeOf(access: Access, nodeId?: string): Promise<OrgNodeDoc | null> {
  if (nodeId === undefined) {
    if (access.committee) return null
    return access.admin[0]!.node
  }
  const node = await cachedNode(nodeId)
  if (!node || !node.active) throw new AppError('NODE_NOT_FOUND', '组织不存在或已停用')
  if (!mayManage(access, node.path)) throw new AppError('FORBIDDEN', '该单位不在您管理的范围内')
  return node
}

/** The nodes below `node` (its subtree, without it): one query by path. */
export async function subtreeOf(node: OrgNodeDoc): Promise<OrgNodeDoc[]> {
  const out: OrgNodeDoc[] = []
  let last = ''
  for (;;) {
    const _ = getDb().command
    const page = await queryDocs<OrgNodeDoc>(
      getDb()
        .collection(ORG_NODES)
        .where({ path: node._id, _id: _.gt(last) })
        .orderBy('_id', 'asc')
        .limit(1000),
    )
    out.push(...page.filter((n) => n._id !== node._id))
    if (page.length < 1000) return out
    last = page[page.length - 1]!._id
  }
}

export interface AuditInput {
  scope: string
  requestId: string
  action: string
  target: string | null
  before: unknown
  after: unknown
  at: Date
}

/** The audit entry of a mutation, written in its transaction (a retry finds it written). */
export async function writeAudit(tx: Transaction, access: Access, a: AuditInput): Promise<void> {
  await tx
    .collection(AUDIT_LOG)
    .doc(`${a.scope}:${access.key}:${a.requestId}`)
    .set({
      data: {
        at: a.at,
        who: access.who,
        action: a.action,
        target: a.target,
        before: a.before ?? null,
        after: a.after ?? null,
      },
    })
}

/** runOnce for an organiser mutation, keyed by the caller, with its audit entry in the same transaction. */
export function auditedOnce<T>(
  access: Access,
  request: { scope: string; requestId: string; input: unknown },
  now: Date,
  fn: (tx: Transaction) => Promise<T>,
  audit: {
    action: string
    target: (r: T) => string | null
    before: (r: T) => unknown
    after: (r: T) => unknown
  },
): Promise<T> {
  return runOnce(
    { ...request, ...(access.caller ? { caller: access.caller } : {}) },
    async (tx) => {
      const result = await fn(tx)
      await writeAudit(tx, access, {
        scope: request.scope,
        requestId: request.requestId,
        action: audit.action,
        target: audit.target(result),
        before: audit.before(result),
        after: audit.after(result),
        at: now,
      })
      return result
    },
  )
}

let pseudonymKey: string | undefined

/** The HMAC key of pseudonymous ids: made once at random, kept where only functions read. */
async function keyOfPseudonyms(): Promise<string> {
  if (pseudonymKey) return pseudonymKey
  const ref = getDb().collection(ORGANISER_KEYS).doc('pseudonym')
  let doc = await readDoc<{ key: string }>(ref)
  if (!doc) {
    try {
      await getDb()
        .collection(ORGANISER_KEYS)
        .add({ data: { _id: 'pseudonym', key: randomBytes(32).toString('hex') } })
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    doc = await readDoc<{ key: string }>(ref)
  }
  pseudonymKey = doc!.key
  return pseudonymKey
}

/** A respondent's pseudonymous id in a campaign: `R` + 20 hex of HMAC-SHA256(key, campaign:openid). */
export async function pseudonymizer(campaignId: string): Promise<(openid: string) => string> {
  const key = await keyOfPseudonyms()
  return (openid) =>
    `R${createHmac('sha256', key).update(`${campaignId}:${openid}`).digest('hex').slice(0, 20)}`
}

/**
 * A response's id as the console sees it: the id holds the openid (`<campaign>:<openid>`), so
 * the console gets it sealed (AES-256-GCM under a key derived from the pseudonym key) and hands
 * it back to review actions, which open it. `h.` + base64url(iv ‖ tag ‖ ciphertext).
 */
export async function sealResponseId(id: string): Promise<string> {
  const key = createHmac('sha256', await keyOfPseudonyms())
    .update('response-handle')
    .digest()
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([c.update(id, 'utf8'), c.final()])
  return `h.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`
}

/** The response id of a sealed handle (a raw id, known only to operators, passes as it is). */
export async function openResponseId(handle: string): Promise<string> {
  if (!handle.startsWith('h.')) return handle
  try {
    const raw = Buffer.from(handle.slice(2), 'base64url')
    const key = createHmac('sha256', await keyOfPseudonyms())
      .update('response-handle')
      .digest()
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
    d.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
  } catch {
    throw new AppError('NOT_FOUND', '没有这份样本')
  }
}

/** Forget the cached key (tests that start a fresh cloud). */
export function clearPseudonymKey(): void {
  pseudonymKey = undefined
}
