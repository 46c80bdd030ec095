// Personal information use cases (PIPL): what is held about a person, deleting their personal
// information at their request, and the retention job that pseudonymises a campaign's responses
// once its retention period has passed. A pseudonym is a keyed hash of the openid (HMAC-SHA256
// with WAL_PSEUDONYM_KEY): without the key it cannot be linked back, and the same person gets the
// same pseudonym in every campaign, so counts stay right.
import { createHmac } from 'node:crypto'
import {
  isPseudonym,
  maskName,
  pseudonymiseAfter,
  retentionDue,
  type CampaignConfig,
  type DeleteReply,
  type MyData,
  type RetentionPolicy,
} from 'wal-core'
import { getDb, queryDocs, readDoc, runTransaction, type Transaction } from './db'
import { runOnce } from './idempotency'
import { POINT_ACCOUNTS, POINT_ENTRIES, type PointAccountDoc } from './ledger'
import { CAMPAIGNS_COLLECTION } from './records/campaigns'
import {
  ORG_MEMBERS,
  VOLUNTEER_IDENTITIES,
  membershipsOf,
  type VolunteerIdentityDoc,
} from './records/org'
import { RESPONSES, responseId, type ResponseDoc } from './records/responses'
import { RESERVATIONS, type ReservationDoc } from './records/store'

export const RETENTION_POLICIES = 'retentionPolicies'
export const PRIVACY_RUNS = 'privacyRuns'
const CHANCE_ACCOUNTS = 'chanceAccounts'

/** What a member's display name becomes after deletion. */
export const DELETED_NAME = '已注销用户'

/** The local cloud's key when none is set: never used by a deployment (the deploy requires one). */
const DEV_KEY = 'wal-local-development-pseudonym-key'
let warned = false

function pseudonymKey(): string {
  const key = process.env.WAL_PSEUDONYM_KEY
  if (key) return key
  if (!warned) {
    warned = true
    console.warn(
      'WAL_PSEUDONYM_KEY is not set: pseudonyms use the local development key (set the variable in a deployment)',
    )
  }
  return DEV_KEY
}

/** A person's pseudonym: `p-` and 32 hex characters of HMAC-SHA256(key, openid). */
export function pseudonymOf(openid: string): string {
  return `p-${createHmac('sha256', pseudonymKey()).update(openid).digest('hex').slice(0, 32)}`
}

type ResponseRecord = Omit<ResponseDoc, '_id'> & { _id: string; pseudonymisedAt?: Date }

/**
 * Moves one response to its pseudonymous id (`<campaignId>:p-…`, openid the pseudonym, answers,
 * sections and counts as they were) and marks its chance account, in `tx`. False if there was
 * nothing to move. Draws, chance spends and payouts keep their openid: they are the prize ledger.
 */
async function pseudonymiseResponse(
  tx: Transaction,
  campaignId: string,
  openid: string,
  now: Date,
): Promise<boolean> {
  if (isPseudonym(openid)) return false
  const ref = tx.collection(RESPONSES).doc(responseId(campaignId, openid))
  const doc = await readDoc<ResponseRecord>(ref)
  if (!doc) return false
  const pseudonym = pseudonymOf(openid)
  const { _id: _old, ...rest } = doc
  await tx
    .collection(RESPONSES)
    .doc(responseId(campaignId, pseudonym))
    .set({ data: { ...rest, openid: pseudonym, pseudonymisedAt: now } })
  await ref.remove()
  const chances = tx.collection(CHANCE_ACCOUNTS).doc(responseId(campaignId, openid))
  if (await readDoc(chances))
    await chances.update({ data: { responsePseudonymised: true, updatedAt: now } })
  return true
}

/** Removes a person's nickname and real name, in `tx`; returns what went. */
async function removeNames(tx: Transaction, openid: string, now: Date): Promise<string[]> {
  const removed: string[] = []
  const account = await readDoc<PointAccountDoc>(tx.collection(POINT_ACCOUNTS).doc(openid))
  if (account?.nickname) {
    await tx
      .collection(POINT_ACCOUNTS)
      .doc(openid)
      .update({ data: { nickname: null, updatedAt: now } })
    removed.push('昵称')
  }
  const identity = tx.collection(VOLUNTEER_IDENTITIES).doc(openid)
  if (await readDoc(identity)) {
    await identity.remove()
    removed.push('真实姓名（志愿者证书用）')
  }
  return removed
}

async function campaignIds(): Promise<string[]> {
  const docs = await queryDocs<{ _id: string }>(
    getDb().collection(CAMPAIGNS_COLLECTION).field({ _id: true }).limit(100),
  )
  return docs.map((d) => d._id)
}

async function policies(): Promise<RetentionPolicy[]> {
  return queryDocs<RetentionPolicy>(getDb().collection(RETENTION_POLICIES).limit(100))
}

export async function myData(openid: string): Promise<MyData> {
  const db = getDb()
  const [ids, rules] = await Promise.all([campaignIds(), policies()])
  const campaigns = new Map(
    (
      await queryDocs<CampaignConfig & { _id: string }>(
        db.collection(CAMPAIGNS_COLLECTION).limit(100),
      )
    ).map((c) => [c._id, c]),
  )
  const responses: MyData['responses'] = []
  for (const id of ids) {
    const r = await readDoc<ResponseRecord>(db.collection(RESPONSES).doc(responseId(id, openid)))
    if (!r) continue
    const rule = rules.find((p) => p.campaignId === id)
    const endsAt = campaigns.get(id)?.window.endsAt
    responses.push({
      campaignId: id,
      version: r.version,
      startedAt: new Date(r.startedAt).toISOString(),
      sectionsSubmitted: Object.keys(r.sections ?? {}).length,
      validSample: r.sample ? r.sample.valid : null,
      chancesGranted: r.chancesGranted ?? 0,
      pseudonymiseAfter: rule && endsAt ? pseudonymiseAfter(endsAt, rule.days).toISOString() : null,
    })
  }
  const account = await readDoc<PointAccountDoc>(db.collection(POINT_ACCOUNTS).doc(openid))
  const entries = account
    ? ((await db.collection(POINT_ENTRIES).where({ openid }).count()) as { total: number }).total
    : 0
  const identity = await readDoc<VolunteerIdentityDoc>(
    db.collection(VOLUNTEER_IDENTITIES).doc(openid),
  )
  const reservations = await queryDocs<ReservationDoc>(
    db.collection(RESERVATIONS).where({ openid }).orderBy('createdAt', 'desc').limit(100),
  )
  return {
    responses,
    points: account
      ? {
          balance: account.balance,
          entries,
          userCode: account.userCode,
          nickname: account.nickname,
        }
      : null,
    memberships: (await membershipsOf(openid)).map((m) => ({
      nodeId: m.nodeId,
      role: m.role,
      status: m.status,
      displayName: m.displayName,
    })),
    reservations: reservations.map((r) => ({
      id: r._id,
      itemTitle: r.itemTitle,
      status: r.status,
    })),
    identity: identity
      ? { maskedName: maskName(identity.realName), purpose: identity.purpose }
      : null,
    purposes: [...new Set(rules.flatMap((p) => p.purposes))],
  }
}

/**
 * The caller's personal information, at once: nickname and real name removed, display names on
 * memberships replaced, responses pseudonymised. Balances and ledger entries stay (they are the
 * other side of others' transfers, of stock and of prizes) and the reply says so.
 */
export async function deleteMe(
  input: { requestId: string },
  openid: string,
  now: Date,
): Promise<DeleteReply> {
  const ids = await campaignIds()
  const memberships = await membershipsOf(openid)
  const reply = await runOnce<DeleteReply>(
    { scope: 'privacy.deleteMe', requestId: input.requestId, input },
    async (tx) => {
      const removed = await removeNames(tx, openid, now)
      let renamed = 0
      for (const m of memberships) {
        const ref = tx.collection(ORG_MEMBERS).doc(m._id)
        const current = await readDoc<{ displayName: string }>(ref)
        if (current && current.displayName !== DELETED_NAME) {
          await ref.update({ data: { displayName: DELETED_NAME, updatedAt: now } })
          renamed += 1
        }
      }
      if (renamed > 0) removed.push(`志愿者显示名（${renamed} 个组织）`)
      let moved = 0
      for (const id of ids) if (await pseudonymiseResponse(tx, id, openid, now)) moved += 1
      if (moved > 0) removed.push(`问卷答卷与您微信身份的关联（${moved} 份，答案以假名保留）`)
      const account = await readDoc<PointAccountDoc>(tx.collection(POINT_ACCOUNTS).doc(openid))
      const kept: DeleteReply['kept'] = []
      if (account)
        kept.push({
          what: `积分账户（余额 ${account.balance}）与积分流水`,
          why: '余额仍归您所有、可继续使用；每一笔已花出或转出的积分都是他人到账、库存和兑换的另一半，须保留对账。流水中只有账户标识，没有昵称或姓名。',
        })
      kept.push(
        {
          what: '抽奖、红包发放与兑换记录',
          why: '奖品和资金的发放须留存备查（财务审计）；这些记录不含昵称或姓名。',
        },
        {
          what: '问卷答案与统计数',
          why: '以假名保存，用于调查统计；无法再与您的微信身份关联。',
        },
      )
      return { removed, kept }
    },
  )
  // Stored first results of the caller's other actions may repeat a nickname: they go too.
  await getDb()
    .collection('requests')
    .where({ openid, scope: getDb().command.neq('privacy.deleteMe') })
    .remove()
  console.log(JSON.stringify({ event: 'privacy.deleteMe', removed: reply.removed.length }))
  return reply
}

function logLine(fields: Record<string, unknown>): void {
  console.log(JSON.stringify(fields))
}

interface PrivacyRun {
  _id: string
  cursor: string
  pseudonymised: number
  identitiesRemoved: number
  startedAt: Date
  finishedAt: Date | null
}

const BATCH = 100

/**
 * The retention job: every campaign whose window ended more than its retention days ago has its
 * responses pseudonymised and its respondents' nicknames and real names removed, `BATCH` at a
 * time in `_id` order from the stored cursor, until `maxBatches` (the function's time) — the next
 * run resumes there. Each response moves in its own transaction, so a run stopped anywhere leaves
 * nothing half done; running it again changes nothing more.
 */
export async function retentionRun(now: Date, maxBatches = 20, batchSize = BATCH) {
  const db = getDb()
  const _ = db.command
  const out: Array<{
    campaignId: string
    pseudonymised: number
    identitiesRemoved: number
    finished: boolean
  }> = []
  let batches = 0
  for (const policy of await policies()) {
    const campaign = await readDoc<CampaignConfig>(
      db.collection(CAMPAIGNS_COLLECTION).doc(policy.campaignId),
    )
    if (!campaign || !retentionDue(campaign.window.endsAt, policy.days, now)) continue
    const runRef = db.collection(PRIVACY_RUNS).doc(policy.campaignId)
    const run: PrivacyRun = (await readDoc<PrivacyRun>(runRef)) ?? {
      _id: policy.campaignId,
      cursor: '',
      pseudonymised: 0,
      identitiesRemoved: 0,
      startedAt: now,
      finishedAt: null,
    }
    if (run.finishedAt === null) {
      while (batches < maxBatches) {
        batches += 1
        const page = await queryDocs<{ _id: string; openid: string }>(
          db
            .collection(RESPONSES)
            .where({ campaignId: policy.campaignId, _id: _.gt(run.cursor) })
            .orderBy('_id', 'asc')
            .field({ _id: true, openid: true })
            .limit(batchSize),
        )
        let moved = 0
        let identities = 0
        for (const r of page) {
          if (isPseudonym(r.openid)) continue
          await runTransaction(async (tx) => {
            const gone = await removeNames(tx, r.openid, now)
            if (gone.some((g) => g.startsWith('真实姓名'))) identities += 1
            if (await pseudonymiseResponse(tx, policy.campaignId, r.openid, now)) moved += 1
          })
        }
        run.pseudonymised += moved
        run.identitiesRemoved += identities
        if (page.length > 0) run.cursor = page[page.length - 1]!._id
        if (page.length < batchSize) run.finishedAt = now
        const { _id: _runId, ...data } = run
        await runRef.set({ data })
        // One line per batch: what a run did can be read back from the function's logs.
        logLine({
          event: 'privacy.retention',
          campaignId: policy.campaignId,
          batch: page.length,
          pseudonymised: moved,
          cursor: run.cursor,
          finished: run.finishedAt !== null,
        })
        if (run.finishedAt !== null) break
      }
    }
    out.push({
      campaignId: policy.campaignId,
      pseudonymised: run.pseudonymised,
      identitiesRemoved: run.identitiesRemoved,
      finished: run.finishedAt !== null,
    })
  }
  return { campaigns: out }
}
