// Volunteer use cases: joining a node through an invite, one's memberships and share code, and
// what node admins do (invites, approvals, roles, pausing codes, transfers from the node's
// account). Every read and write checks the caller's role, from the database, on the node or an
// ancestor; the committee may act everywhere. Admin actions take a caller of either kind (a node
// admin in WeChat, or a console account: server/records/caller-roles.ts). Rules: core/org.ts.
import {
  INVITE_STATE_MESSAGES,
  MEMBER_ROLE_NAMES,
  ERROR_MESSAGES,
  canGrant,
  canManage,
  chinaDayKey,
  codeChain,
  codeSignalRulesSchema,
  codeSignals,
  inviteScene,
  inviteState,
  isAdminRole,
  memberTransition,
  paradataKeyOf,
  shareScene,
  checkTransfer,
  maskNickname,
  type CodeInfo,
  type InviteInfo,
  type MemberEvent,
  type MemberRole,
  type Membership,
  type MemberRow,
  type NodeOverview,
  type VolunteerMe,
} from 'wal-core'
import { AppError } from './app-error'
import type { Caller } from './define-function'
import { getDb, queryDocs, readDoc, type Transaction } from './db'
import { outsideOnce, runOnce } from './idempotency'
import {
  POINT_ENTRIES,
  accountInTx,
  ensurePointAccount,
  postEntry,
  readPointAccount,
} from './ledger'
import { getOpenApi } from './openapi'
import { currentCampaign } from './records/campaigns'
import {
  callerKey,
  callerRoles,
  isCommittee,
  roleMap,
  type CallerRoles,
} from './records/caller-roles'
import {
  ORG_INVITES,
  ORG_MEMBERS,
  VOLUNTEER_IDENTITIES,
  cachedNode,
  cachedNodes,
  childrenOf,
  invitesOf,
  memberByUserCode,
  memberId,
  membersOf,
  membershipsOf,
  readMember,
  type OrgInviteDoc,
  type OrgMemberDoc,
  type OrgNodeDoc,
} from './records/org'
import { RESPONSES, type ResponseDoc } from './records/responses'
import {
  SHARE_CODES,
  codeOfVolunteer,
  derivedCode,
  nodeAccountId,
  readCode,
  type ShareCodeDoc,
} from './records/share-codes'
import { readTopCodes } from './records/code-ranks'
import { readCodeTotals, readTreeTotals, topOfPath } from './records/stats'
import { currentTransferLimits } from './reward-config'
import { codeImageUrl } from './code-images'
import { createChannelCodes, exportChannelCodes, readBatch } from './channel-codes'
import { settleAllOverrides, settleOverrideIn } from './overrides'

const DAY_MS = 86_400_000
const CODE_ATTEMPTS = 5
const E = { ...ERROR_MESSAGES, FORBIDDEN: '您没有管理该组织的权限' }

// ------------------------------------------------------------------------------- access

/** Whether the caller's roles let them give `role` on the node (core's canGrant). */
function mayGrant(roles: CallerRoles, node: OrgNodeDoc, role: MemberRole): boolean {
  return canGrant(roleMap(roles.admin), node.path, role, roles.committee)
}

/**
 * Who did it, in a membership's history or an invite's `createdBy`: a WeChat admin's wallet user
 * code (their account made if missing), or `web:<uid>` for a console account (which has none).
 */
async function actorCode(caller: Caller, now: Date): Promise<string> {
  if (caller.kind === 'web') return callerKey(caller)
  return (await ensurePointAccount(caller.openid, now)).userCode
}

async function activeNode(nodeId: string): Promise<OrgNodeDoc> {
  const node = await cachedNode(nodeId)
  if (!node || !node.active) throw new AppError('NODE_NOT_FOUND', E.NODE_NOT_FOUND)
  return node
}

/** The node, if the caller may manage it (an admin role on it or above, or the committee). */
async function managedNode(nodeId: string, caller: Caller): Promise<OrgNodeDoc> {
  const node = await activeNode(nodeId)
  const roles = await callerRoles(caller)
  if (roles.committee || canManage(roleMap(roles.admin), node.path)) return node
  throw new AppError('FORBIDDEN', E.FORBIDDEN)
}

// ------------------------------------------------------------------------------- share codes

/**
 * The share code of an owner in a campaign, created in `tx` when missing: its chain is fixed now
 * from the node's path and never changes (a later move of the volunteer gets a new code).
 */
async function ensureCodeIn(
  tx: Transaction,
  owner:
    { kind: 'volunteer'; openid: string; node: OrgNodeDoc } | { kind: 'node'; node: OrgNodeDoc },
  campaignId: string,
  now: Date,
): Promise<ShareCodeDoc> {
  const pathNodes = await cachedNodes(owner.node.path)
  const chainPath = owner.node.path.map((id) => pathNodes.get(id)).filter((n) => n !== undefined)
  const chain = codeChain(
    chainPath.map((n) => ({
      id: n._id,
      kind: n.kind,
      region: n.region,
      ...(n.overrideRate !== null ? { overrideRate: n.overrideRate } : {}),
    })),
    owner.kind === 'node',
    10,
  )
  const ownerKey =
    owner.kind === 'volunteer'
      ? `${campaignId}|volunteer|${owner.openid}|${owner.node._id}`
      : `${campaignId}|node|${owner.node._id}`
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = derivedCode(ownerKey, attempt)
    const existing = await readCode(tx, code)
    if (existing) {
      if ((existing as { ownerKey?: string }).ownerKey === ownerKey) return existing
      continue // another owner's code: the next attempt
    }
    const doc: ShareCodeDoc & { ownerKey: string } = {
      _id: code,
      ownerKey,
      campaignId,
      ownerKind: owner.kind,
      ownerOpenid: owner.kind === 'volunteer' ? owner.openid : null,
      ownerNodeId: owner.node._id,
      label: owner.kind === 'node' ? owner.node.name : null,
      batchId: null,
      target: owner.node.targets[campaignId] ?? 0,
      chain,
      unitId: chain.unitId,
      stationId: chain.stationId,
      active: true,
      createdAt: now,
      updatedAt: now,
    }
    const { _id, ...data } = doc
    await tx.collection(SHARE_CODES).doc(_id).set({ data })
    return doc
  }
  throw new Error(`no free share code for ${ownerKey}`)
}

async function codeInfo(doc: ShareCodeDoc, campaignId: string, now: Date): Promise<CodeInfo> {
  const totals = await readCodeTotals(campaignId, doc._id)
  const today = totals.days[chinaDayKey(now.getTime()).slice(1)] ?? { valid: 0, invalid: 0 }
  return {
    code: doc._id,
    scene: shareScene(doc._id),
    active: doc.active !== false,
    label: doc.label ?? null,
    today,
    total: { valid: totals.valid, invalid: totals.invalid },
    target: doc.target ?? 0,
    signals: await signalsOf(doc._id, campaignId, totals),
  }
}

/** The code's fraud signals from its last 200 samples and its totals (flags, never blocks). */
async function signalsOf(
  code: string,
  campaignId: string,
  totals: { valid: number; invalid: number },
): Promise<string[]> {
  if (totals.valid + totals.invalid === 0) return []
  const recent = await queryDocs<ResponseDoc>(
    getDb()
      .collection(RESPONSES)
      .where({ campaignId, 'attribution.code': code })
      .orderBy('lastSubmittedAt', 'desc')
      .limit(200),
  )
  const samples = recent
    .filter((r) => r.sample)
    .map((r) => {
      const main = Object.values(r.sections).sort(
        (a, b) => new Date(a.submittedAt).getTime() - new Date(b.submittedAt).getTime(),
      )[0]
      return {
        submittedAtMs: main ? new Date(main.submittedAt).getTime() : 0,
        valid: r.sample!.valid,
        paradataKey: paradataKeyOf(main?.paradata ?? null),
      }
    })
  return codeSignals(samples, totals, codeSignalRulesSchema.parse({})).flags
}

// ------------------------------------------------------------------------------- volunteer side

async function pathNames(node: OrgNodeDoc): Promise<string[]> {
  const nodes = await cachedNodes(node.path)
  return node.path
    .map((id) => nodes.get(id))
    .filter((n): n is OrgNodeDoc => n !== undefined && n.kind !== 'committee')
    .map((n) => n.name)
}

const nodeRef = (n: OrgNodeDoc) => ({ id: n._id, name: n.name, kind: n.kind })

export async function me(openid: string, now: Date): Promise<VolunteerMe> {
  const { campaign } = await currentCampaign(now)
  const memberships: Membership[] = []
  for (const m of await membershipsOf(openid)) {
    const node = await cachedNode(m.nodeId)
    if (!node) continue
    const code = m.status === 'active' ? await codeOfVolunteer(campaign.id, openid, node._id) : null
    memberships.push({
      node: nodeRef(node),
      path: await pathNames(node),
      role: m.role,
      status: m.status,
      displayName: m.displayName,
      manages: m.status === 'active' && isAdminRole(m.role),
      code: code ? await codeInfo(code, campaign.id, now) : null,
    })
  }
  const _ = getDb().command
  const rewards = await queryDocs<{ amount: number }>(
    getDb()
      .collection(POINT_ENTRIES)
      .where({ openid, kind: _.in(['share_reward', 'reversal']) })
      .field({ amount: true })
      .limit(1000),
  )
  const identity = await readDoc(getDb().collection(VOLUNTEER_IDENTITIES).doc(openid))
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    slogan: campaign.slogan,
    memberships,
    pointsFromSharing: rewards.reduce((sum, e) => sum + e.amount, 0),
    hasRealName: identity !== null,
  }
}

async function readInvite(code: string): Promise<OrgInviteDoc> {
  const invite = await readDoc<OrgInviteDoc>(getDb().collection(ORG_INVITES).doc(code))
  if (!invite) throw new AppError('INVITE_NOT_FOUND', E.INVITE_NOT_FOUND)
  return invite
}

export async function inviteInfo(
  input: { code: string },
  openid: string,
  now: Date,
): Promise<InviteInfo> {
  const invite = await readInvite(input.code)
  const node = await activeNode(invite.nodeId)
  const state = inviteState(invite, now.getTime())
  const mine = await readMember(getDb(), node._id, openid)
  return {
    node: nodeRef(node),
    path: await pathNames(node),
    role: invite.role,
    state,
    message: state === 'open' ? null : INVITE_STATE_MESSAGES[state],
    autoApprove: invite.autoApprove,
    myStatus: mine?.status ?? null,
  }
}

function historyItem(event: MemberEvent | 'grant', by: string, role: MemberRole, now: Date) {
  return { at: now, event, by, role }
}

/** Writes a membership's new status with its history item (the document is never deleted). */
async function moveMember(
  tx: Transaction,
  member: OrgMemberDoc,
  event: MemberEvent,
  by: string,
  now: Date,
): Promise<OrgMemberDoc> {
  const status = memberTransition(member.status, event)
  if (!status) throw new AppError('NO_TRANSITION', E.NO_TRANSITION)
  const history = [...member.history, historyItem(event, by, member.role, now)]
  await tx
    .collection(ORG_MEMBERS)
    .doc(member._id)
    .update({ data: { status, history: getDb().command.set(history), updatedAt: now } })
  return { ...member, status, history }
}

/** Pause every code of a member under a node (they left or were removed). */
async function pauseCodesOf(tx: Transaction, campaignId: string, member: OrgMemberDoc, now: Date) {
  const code = await codeOfVolunteer(campaignId, member.openid, member.nodeId)
  if (code && code.active !== false)
    await tx
      .collection(SHARE_CODES)
      .doc(code._id)
      .update({ data: { active: false, updatedAt: now } })
}

export async function apply(
  input: { code: string; displayName: string; realName?: string | undefined; requestId: string },
  openid: string,
  now: Date,
) {
  const check = await outsideOnce(
    { requestId: input.requestId, scope: 'volunteer.apply.check', input },
    () => getOpenApi().checkContent({ content: input.displayName, openid }),
  )
  if (check.suggest === 'risky')
    throw new AppError('BAD_REQUEST', '称呼含有不当内容，请修改后再试', { reason: 'CONTENT_RISKY' })
  const { campaign } = await currentCampaign(now)
  const account = await ensurePointAccount(openid, now)
  const invite0 = await readInvite(input.code)
  const node = await activeNode(invite0.nodeId)
  return runOnce({ requestId: input.requestId, scope: 'volunteer.apply', input }, async (tx) => {
    const invite = await readDoc<OrgInviteDoc>(tx.collection(ORG_INVITES).doc(input.code))
    if (!invite) throw new AppError('INVITE_NOT_FOUND', E.INVITE_NOT_FOUND)
    const state = inviteState(invite, now.getTime())
    if (state !== 'open')
      throw new AppError(
        state === 'expired' ? 'INVITE_EXPIRED' : state === 'full' ? 'INVITE_FULL' : 'INVITE_CLOSED',
        INVITE_STATE_MESSAGES[state],
      )
    const existing = await readMember(tx, node._id, openid)
    const status = memberTransition(existing?.status ?? null, 'apply', invite.autoApprove)
    if (!status) throw new AppError('ALREADY_MEMBER', E.ALREADY_MEMBER)
    const member: OrgMemberDoc = {
      _id: memberId(node._id, openid),
      nodeId: node._id,
      openid,
      userCode: account.userCode,
      role: invite.role,
      status,
      displayName: input.displayName,
      inviteCode: invite._id,
      history: [
        ...(existing?.history ?? []),
        historyItem('apply', account.userCode, invite.role, now),
      ],
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    }
    const { _id, ...data } = member
    await tx.collection(ORG_MEMBERS).doc(_id).set({ data })
    await tx
      .collection(ORG_INVITES)
      .doc(invite._id)
      .update({ data: { uses: invite.uses + 1 } })
    if (input.realName) {
      await tx
        .collection(VOLUNTEER_IDENTITIES)
        .doc(openid)
        .set({
          data: { realName: input.realName, purpose: 'volunteer_certificate', consentedAt: now },
        })
    }
    if (status === 'active')
      await ensureCodeIn(tx, { kind: 'volunteer', openid, node }, campaign.id, now)
    return {
      nodeId: node._id,
      status,
      message:
        status === 'active'
          ? `已加入${node.name}，您的专属分享码已生成`
          : `已提交申请，等待${node.name}管理员审核`,
    }
  })
}

export async function leave(
  input: { nodeId: string; requestId: string },
  openid: string,
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  return runOnce({ requestId: input.requestId, scope: 'volunteer.leave', input }, async (tx) => {
    const member = await readMember(tx, input.nodeId, openid)
    if (!member) throw new AppError('NOT_A_MEMBER', E.NOT_A_MEMBER)
    const after = await moveMember(tx, member, 'leave', member.userCode, now)
    await pauseCodesOf(tx, campaign.id, member, now)
    return { nodeId: input.nodeId, status: after.status }
  })
}

/** The caller's own code under a node they belong to, or (`forNode`, admins) the node's own code. */
export async function ensureCode(
  input: { nodeId: string; forNode: boolean; requestId: string },
  openid: string,
  now: Date,
): Promise<CodeInfo> {
  const { campaign } = await currentCampaign(now)
  const node = input.forNode
    ? await managedNode(input.nodeId, { kind: 'wechat', openid })
    : await activeNode(input.nodeId)
  const doc = await runOnce(
    { requestId: input.requestId, scope: 'volunteer.ensureCode', input },
    async (tx) => {
      if (input.forNode) return ensureCodeIn(tx, { kind: 'node', node }, campaign.id, now)
      const member = await readMember(tx, node._id, openid)
      if (!member || member.status !== 'active') throw new AppError('NOT_A_MEMBER', E.NOT_A_MEMBER)
      return ensureCodeIn(tx, { kind: 'volunteer', openid, node }, campaign.id, now)
    },
  )
  return codeInfo(doc, campaign.id, now)
}

/** Who may see and pause a code: its volunteer, or an admin of the node it hangs under. */
async function mayControl(code: ShareCodeDoc, caller: Caller): Promise<boolean> {
  if (
    caller.kind === 'wechat' &&
    code.ownerKind === 'volunteer' &&
    code.ownerOpenid === caller.openid
  )
    return true
  if (!code.ownerNodeId) return isCommittee(caller)
  try {
    await managedNode(code.ownerNodeId, caller)
    return true
  } catch {
    return false
  }
}

async function controlledCode(code: string, caller: Caller): Promise<ShareCodeDoc> {
  const doc = await readCode(getDb(), code)
  if (!doc) throw new AppError('CODE_NOT_FOUND', E.CODE_NOT_FOUND)
  if (!(await mayControl(doc, caller))) throw new AppError('FORBIDDEN', E.FORBIDDEN)
  return doc
}

export async function setCodeActive(
  input: { code: string; active: boolean; requestId: string },
  caller: Caller,
  now: Date,
): Promise<CodeInfo> {
  const doc = await controlledCode(input.code, caller)
  await runOnce(
    {
      requestId: input.requestId,
      scope: 'volunteer.setCodeActive',
      input,
      caller: callerKey(caller),
    },
    async (tx) => {
      await tx
        .collection(SHARE_CODES)
        .doc(doc._id)
        .update({ data: { active: input.active, updatedAt: now } })
      return { code: doc._id, active: input.active }
    },
  )
  return codeInfo({ ...doc, active: input.active }, doc.campaignId ?? '', now)
}

export async function codeImage(input: { code: string }, caller: Caller) {
  const doc = await controlledCode(input.code, caller)
  return codeImageUrl(shareScene(doc._id))
}

// ------------------------------------------------------------------------------- admin side

function memberRow(m: OrgMemberDoc, nodeName: string, code: CodeInfo | null): MemberRow {
  return {
    memberCode: m.userCode,
    displayName: m.displayName,
    role: m.role,
    status: m.status,
    nodeName,
    code,
  }
}

function inviteView(i: OrgInviteDoc, now: Date) {
  return {
    code: i._id,
    scene: inviteScene(i._id),
    role: i.role,
    expiresAt: new Date(i.expiresAt).toISOString(),
    maxUses: i.maxUses,
    uses: i.uses,
    autoApprove: i.autoApprove,
    state: inviteState(i, now.getTime()),
  }
}

/** How many share codes 我的单位 ranks. */
const TOP_CODES = 5

export async function nodeOverview(
  input: { nodeId: string },
  caller: Caller,
  now: Date,
): Promise<NodeOverview> {
  const node = await managedNode(input.nodeId, caller)
  const { campaign } = await currentCampaign(now)
  const day = chinaDayKey(now.getTime()).slice(1)
  // The node and its sub-units are counted in the same shards of their top unit: read them once.
  const subUnits = await childrenOf(node._id)
  const [totals, ...childTotals] = await readTreeTotals(
    getDb(),
    campaign.id,
    topOfPath(node.path),
    [node._id, ...subUnits.map((c) => c._id)],
    `d${day}`,
  )
  const children = subUnits.map((c, i) => {
    const t = childTotals[i]!
    return {
      ...nodeRef(c),
      total: { valid: t.valid, invalid: t.invalid },
      today: t.days[day] ?? { valid: 0, invalid: 0 },
      target: c.targets[campaign.id] ?? 0,
    }
  })
  const members: MemberRow[] = []
  const pending: MemberRow[] = []
  for (const m of await membersOf(node._id)) {
    if (m.status === 'pending') {
      pending.push(memberRow(m, node.name, null))
      continue
    }
    const code =
      m.status === 'active' ? await codeOfVolunteer(campaign.id, m.openid, node._id) : null
    members.push(memberRow(m, node.name, code ? await codeInfo(code, campaign.id, now) : null))
  }
  const account = await readPointAccount(getDb(), nodeAccountId(node._id))
  return {
    node: { ...nodeRef(node), overrideRate: node.overrideRate },
    path: await pathNames(node),
    today: totals!.days[day] ?? { valid: 0, invalid: 0 },
    total: { valid: totals!.valid, invalid: totals!.invalid },
    target: node.targets[campaign.id] ?? 0,
    children,
    // The ranking pass's list (codeRanks: one read), not every code of the subtree's counters.
    topCodes: (await readTopCodes(campaign.id, node._id, `d${day}`, TOP_CODES)).codes,
    members,
    pending,
    invites: (await invitesOf(node._id)).map((i) => inviteView(i, now)),
    override: {
      samples: totals!.overrideSamples,
      accruedHundredths: totals!.overrideHundredths,
      settled: account?.overrideSettled?.[campaign.id] ?? 0,
      balance: account?.balance ?? 0,
    },
  }
}

export async function createInvite(
  input: {
    nodeId: string
    role: MemberRole
    maxUses: number
    expiresInDays: number
    autoApprove: boolean
    requestId: string
  },
  caller: Caller,
  now: Date,
) {
  const node = await activeNode(input.nodeId)
  if (!mayGrant(await callerRoles(caller), node, input.role))
    throw new AppError('FORBIDDEN', E.FORBIDDEN)
  const creator = await actorCode(caller, now)
  const key = callerKey(caller)
  const invite = await runOnce(
    { requestId: input.requestId, scope: 'volunteer.createInvite', input, caller: key },
    async (tx) => {
      for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
        const code = derivedCode(`invite|${key}|${input.requestId}`, attempt)
        if (await readDoc(tx.collection(ORG_INVITES).doc(code))) continue
        const doc: OrgInviteDoc = {
          _id: code,
          nodeId: node._id,
          role: input.role,
          createdBy: creator,
          createdAt: now,
          expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
          maxUses: input.maxUses,
          uses: 0,
          autoApprove: input.autoApprove,
          active: true,
        }
        const { _id, ...data } = doc
        await tx.collection(ORG_INVITES).doc(_id).set({ data })
        return inviteView(doc, now)
      }
      throw new Error('no free invite code')
    },
  )
  return { ...invite, image: await codeImageUrl(invite.scene) }
}

export async function closeInvite(
  input: { code: string; requestId: string },
  caller: Caller,
  now: Date,
) {
  const invite = await readInvite(input.code)
  await managedNode(invite.nodeId, caller)
  return runOnce(
    {
      requestId: input.requestId,
      scope: 'volunteer.closeInvite',
      input,
      caller: callerKey(caller),
    },
    async (tx) => {
      await tx
        .collection(ORG_INVITES)
        .doc(invite._id)
        .update({ data: { active: false } })
      return inviteView({ ...invite, active: false }, now)
    },
  )
}

async function memberOf(nodeId: string, memberCode: string): Promise<OrgMemberDoc> {
  const m = await memberByUserCode(nodeId, memberCode)
  if (!m) throw new AppError('MEMBER_NOT_FOUND', E.MEMBER_NOT_FOUND)
  return m
}

export async function review(
  input: { nodeId: string; memberCode: string; decision: 'approve' | 'reject'; requestId: string },
  caller: Caller,
  now: Date,
) {
  const node = await managedNode(input.nodeId, caller)
  const { campaign } = await currentCampaign(now)
  const admin = await actorCode(caller, now)
  const found = await memberOf(node._id, input.memberCode)
  const request = { requestId: input.requestId, scope: 'volunteer.review', input }
  return runOnce({ ...request, caller: callerKey(caller) }, async (tx) => {
    const member = await readMember(tx, node._id, found.openid)
    if (!member) throw new AppError('MEMBER_NOT_FOUND', E.MEMBER_NOT_FOUND)
    const after = await moveMember(tx, member, input.decision, admin, now)
    if (after.status === 'active')
      await ensureCodeIn(tx, { kind: 'volunteer', openid: member.openid, node }, campaign.id, now)
    return memberRow(after, node.name, null)
  })
}

export async function removeMember(
  input: { nodeId: string; memberCode: string; requestId: string },
  caller: Caller,
  now: Date,
) {
  const node = await managedNode(input.nodeId, caller)
  const { campaign } = await currentCampaign(now)
  const admin = await actorCode(caller, now)
  const found = await memberOf(node._id, input.memberCode)
  if (caller.kind === 'wechat' && found.openid === caller.openid)
    throw new AppError('NO_TRANSITION', '请使用“退出”离开组织')
  return runOnce(
    {
      requestId: input.requestId,
      scope: 'volunteer.removeMember',
      input,
      caller: callerKey(caller),
    },
    async (tx) => {
      const member = await readMember(tx, node._id, found.openid)
      if (!member) throw new AppError('MEMBER_NOT_FOUND', E.MEMBER_NOT_FOUND)
      const after = await moveMember(tx, member, 'remove', admin, now)
      await pauseCodesOf(tx, campaign.id, member, now)
      return memberRow(after, node.name, null)
    },
  )
}

/**
 * Gives a person (named by their wallet user code) a role on a node: admin roles only from the
 * node above or the committee (core's canGrant). Their membership becomes active with that role.
 */
export async function grantRole(
  input: {
    nodeId: string
    memberCode: string
    role: MemberRole
    displayName: string
    requestId: string
  },
  caller: Caller,
  now: Date,
) {
  const node = await activeNode(input.nodeId)
  if (!mayGrant(await callerRoles(caller), node, input.role))
    throw new AppError('FORBIDDEN', E.FORBIDDEN)
  const admin = await actorCode(caller, now)
  const accounts = await queryDocs<{ _id: string; userCode: string }>(
    getDb().collection('pointAccounts').where({ userCode: input.memberCode }).limit(1),
  )
  const person = accounts[0]
  if (!person || person._id.startsWith('node:'))
    throw new AppError('MEMBER_NOT_FOUND', '没有找到这个用户码，请对方在“我的积分”中查看')
  return runOnce(
    { requestId: input.requestId, scope: 'volunteer.grantRole', input, caller: callerKey(caller) },
    async (tx) => {
      const existing = await readMember(tx, node._id, person._id)
      const member: OrgMemberDoc = {
        _id: memberId(node._id, person._id),
        nodeId: node._id,
        openid: person._id,
        userCode: person.userCode,
        role: input.role,
        status: 'active',
        displayName: existing?.displayName ?? input.displayName,
        inviteCode: existing?.inviteCode ?? null,
        history: [...(existing?.history ?? []), historyItem('grant', admin, input.role, now)],
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      }
      const { _id, ...data } = member
      await tx.collection(ORG_MEMBERS).doc(_id).set({ data })
      return { ...memberRow(member, node.name, null), roleName: MEMBER_ROLE_NAMES[input.role] }
    },
  )
}

/**
 * Points from a node's account (its overrides) to one of the people under it, with the wallet's
 * limits and records: a transfer_out of the node account and a transfer_in of the member's.
 */
export async function nodeTransfer(
  input: { nodeId: string; memberCode: string; amount: number; requestId: string },
  caller: Caller,
  now: Date,
) {
  const node = await managedNode(input.nodeId, caller)
  const limits = await currentTransferLimits(now)
  const candidates = await queryDocs<OrgMemberDoc>(
    getDb()
      .collection(ORG_MEMBERS)
      .where({ userCode: input.memberCode, status: 'active' })
      .limit(20),
  )
  const nodes = await cachedNodes(candidates.map((m) => m.nodeId))
  const member = candidates.find((m) => nodes.get(m.nodeId)?.path.includes(node._id))
  if (!member) throw new AppError('MEMBER_NOT_FOUND', '只能转给本组织及下级组织的成员')
  const day = chinaDayKey(now.getTime())
  return runOnce(
    {
      requestId: input.requestId,
      scope: 'volunteer.nodeTransfer',
      input,
      caller: callerKey(caller),
    },
    async (tx) => {
      const from = await accountInTx(tx, nodeAccountId(node._id), now)
      const sentToday = from.transferDay === day ? (from.sentToday ?? 0) : 0
      const check = checkTransfer(limits, input.amount, sentToday, from._id, member.openid)
      if (!check.ok) throw new AppError(check.code, check.message)
      const to = await accountInTx(tx, member.openid, now)
      const after = await postEntry(
        tx,
        from,
        {
          id: `${from._id}:transfer_out:${input.requestId}`,
          kind: 'transfer_out',
          amount: -input.amount,
          ref: to.userCode,
          requestId: input.requestId,
          memo: `转给 ${member.displayName}（${to.userCode}）`,
          now,
        },
        { transferDay: day, sentToday: sentToday + input.amount },
      )
      await postEntry(tx, to, {
        id: `${to._id}:transfer_in:${from._id}:${input.requestId}`,
        kind: 'transfer_in',
        amount: input.amount,
        ref: from.userCode,
        requestId: input.requestId,
        memo: `来自 ${node.name}（${from.userCode}）`,
        now,
      })
      return {
        amount: input.amount,
        toCode: to.userCode,
        maskedNickname: maskNickname(member.displayName),
        balance: after.balance,
      }
    },
    { conflictRetries: 10 },
  )
}

// ------------------------------------------------------------------------------- channel codes, overrides

export async function issueChannelCodes(
  input: Parameters<typeof createChannelCodes>[0],
  caller: Caller,
  now: Date,
) {
  const node = await managedNode(input.nodeId, caller)
  return createChannelCodes(input, node, callerKey(caller), now)
}

export async function downloadChannelCodes(
  input: { batchId: string; format: 'csv' | 'xlsx' },
  caller: Caller,
  now: Date,
) {
  const batch = await readBatch(input.batchId)
  await managedNode(batch.nodeId, caller)
  return exportChannelCodes(batch, input.format, now)
}

export async function settleNode(
  input: { nodeId: string; requestId: string },
  caller: Caller,
  now: Date,
) {
  const node = await managedNode(input.nodeId, caller)
  const { campaign } = await currentCampaign(now)
  return runOnce(
    {
      requestId: input.requestId,
      scope: 'volunteer.settleOverride',
      input,
      caller: callerKey(caller),
    },
    (tx) => settleOverrideIn(tx, campaign.id, node._id, input.requestId, now),
    { conflictRetries: 10 },
  )
}

/** The timer's run: every rated node of the current campaign. */
export async function settleAll(now: Date) {
  const { campaign } = await currentCampaign(now)
  const settled = await settleAllOverrides(campaign.id, now)
  return { nodes: settled.length, posted: settled.reduce((s, x) => s + x.posted, 0) }
}
