// Cash payouts of draw prizes, run by the scheduled `payout` function: pick what is due, claim it
// in a transaction, call WeChat Pay AFTER the claim commits, record the outcome. The bill number
// (out_bill_no: the payout key, or a re-claim's billNoOf) makes a repeated transfer of one payout
// the same bill, never a second payment.
//
// With merchant transfer the user confirms receipt in WeChat (WAIT_USER_CONFIRM): the payout then
// waits in `awaiting_user` with what the mini-program needs (payout.mine), and is looked up again
// — never transferred again — until WeChat Pay says SUCCESS, or closes the bill unconfirmed after
// 24 hours. A closed bill's payout becomes `expired`, and its winner can claim it again
// (payout.reclaim) on a new bill number derived from the payout key and a generation counter.
import type { PayoutClaim, PendingPayout } from 'wal-core'
import { AppError } from './app-error'
import { getDb, isTransactionConflict, queryDocs, readDoc, runTransaction } from './db'
import { PAYOUTS, type PayoutDoc, type PayoutStatus } from './draw'
import { getOpenApi, type TransferLookup } from './openapi'
import { cachedCampaigns } from './records/campaigns'
import {
  PAYOUT_RULES,
  awaitingCheckMs,
  billNoOf,
  payoutBackoffMs,
  type PayoutRules,
} from './reward-rules'
import { NOT_CONFIGURED } from './wechat-pay/transfer'

export interface PayoutRunOptions {
  /** Payouts looked at per run (a timer run every minute; CloudBase functions time out). */
  limit?: number
  /** Stop claiming new payouts after this many ms of wall time (the rest wait for the next run). */
  budgetMs?: number
  rules?: PayoutRules
}

export interface PayoutRunSummary {
  due: number
  paid: number
  /** Waiting for their winners to confirm receipt in WeChat (new, or looked up again). */
  awaiting: number
  /** Bills closed unconfirmed: their winners may claim them again. */
  expired: number
  failed: number
  gaveUp: number
  /** Claimed by another run first, no longer due, or payouts not configured (still queued). */
  skipped: number
}

/** A CloudBase timer trigger's event ({ Type: 'Timer', TriggerName, Time }). */
export function isTimerEvent(event: unknown): boolean {
  return (
    typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
  )
}

const CLAIMABLE: PayoutStatus[] = ['pending', 'failed', 'paying', 'awaiting_user']

/**
 * Why WeChat Pay closes a bill the user did not confirm (OVERDUE_CLOSE: 超过系统重试期，系统自动
 * 关闭 — 24 hours) or the merchant cancelled (MCH_CANCEL): the money went back, the prize is still
 * owed, and the winner may claim it again. Other failures (a frozen account, …) go to an operator.
 */
const RECLAIMABLE_FAIL_REASONS = new Set(['OVERDUE_CLOSE', 'MCH_CANCEL'])

/** Used for 活动名称 when the campaign is no longer listed (the deployment may set its own). */
const DEFAULT_ACTIVITY_NAME = '网民网络安全感满意度调查活动'

/** At most this many waiting envelopes are listed (a user wins a handful a day at most). */
const MINE_LIMIT = 50

export async function runPayouts(
  now: Date,
  options: PayoutRunOptions = {},
): Promise<PayoutRunSummary> {
  const rules = options.rules ?? PAYOUT_RULES
  const started = performance.now()
  const _ = getDb().command
  const due = await queryDocs<PayoutDoc>(
    getDb()
      .collection(PAYOUTS)
      .where({ status: _.in(CLAIMABLE), nextAttemptAt: _.lte(now) })
      .orderBy('nextAttemptAt', 'asc')
      .limit(options.limit ?? 20),
  )
  const summary: PayoutRunSummary = {
    due: due.length,
    paid: 0,
    awaiting: 0,
    expired: 0,
    failed: 0,
    gaveUp: 0,
    skipped: 0,
  }
  for (const p of due) {
    if (performance.now() - started > (options.budgetMs ?? 2_000)) break
    summary[await payOne(p._id, now, rules, { by: 'timer' })] += 1
  }
  return summary
}

type Outcome = 'paid' | 'awaiting' | 'expired' | 'failed' | 'gaveUp' | 'skipped'

/** Who takes a payout: the timer (whatever is due), or its winner (check or claim again). */
type Claimer = { by: 'timer' } | { by: 'caller'; openid: string; intent: 'check' | 'reclaim' }

interface Claim {
  /** The payout as claimed (with its new claim count, attempts, generation). */
  doc: PayoutDoc
  /** Its status before the claim. */
  from: PayoutStatus
}

function isAfter(date: Date | null | undefined, now: Date): boolean {
  return date !== null && date !== undefined && new Date(date).getTime() > now.getTime()
}

/**
 * Takes a payout for one call to WeChat Pay, in a transaction: of several runs (and the winner's
 * own check) exactly one gets it. The lease (`leasedUntil`, also `nextAttemptAt`) ends with the
 * recorded outcome, or goes stale if the run dies, after which the payout may be taken again.
 */
async function claim(
  id: string,
  now: Date,
  rules: PayoutRules,
  claimer: Claimer,
): Promise<Claim | 'gaveUp' | null> {
  return runTransaction(async (tx) => {
    const ref = tx.collection(PAYOUTS).doc(id)
    const doc = await readDoc<PayoutDoc>(ref)
    if (!doc) return null
    const lease = new Date(now.getTime() + rules.staleClaimMs)
    const taken = {
      claims: (doc.claims ?? 0) + 1,
      claimedAt: now,
      leasedUntil: lease,
      // If this run dies before recording an outcome, the claim goes stale and is retried.
      nextAttemptAt: lease,
      updatedAt: now,
    }
    let patch: Partial<PayoutDoc>
    if (claimer.by === 'timer') {
      if (
        !CLAIMABLE.includes(doc.status) ||
        doc.nextAttemptAt === null ||
        isAfter(doc.nextAttemptAt, now)
      )
        return null
      if (doc.status === 'awaiting_user') {
        // A look-up, not an attempt: the bill exists and waits for the user.
        patch = taken
      } else if (doc.attempts >= rules.maxAttempts) {
        // Only a claim that went stale on its last attempt gets here (failures past the limit are
        // recorded as given up): stop, and leave it to the operator (docs/operations.md).
        await ref.update({
          data: {
            status: 'failed',
            nextAttemptAt: null,
            leasedUntil: null,
            lastError: doc.lastError ?? 'STALE_CLAIM',
            updatedAt: now,
          },
        })
        return 'gaveUp'
      } else {
        patch = { ...taken, status: 'paying', attempts: doc.attempts + 1 }
      }
    } else {
      // The winner's own request: only theirs, and never while a run is asking WeChat Pay.
      if (doc.openid !== claimer.openid || isAfter(doc.leasedUntil, now)) return null
      if (claimer.intent === 'check') {
        if (doc.status !== 'awaiting_user') return null
        const last = doc.checkedAt ? new Date(doc.checkedAt).getTime() : -Infinity
        if (now.getTime() - last < rules.callerCheckMinMs) return null
        patch = taken
      } else {
        if (doc.status !== 'expired') return null
        // The last bill is final (closed unconfirmed): the next generation's number, never random.
        const generation = (doc.generation ?? 0) + 1
        patch = {
          ...taken,
          status: 'paying',
          attempts: 1,
          generation,
          billNo: billNoOf(doc._id, generation),
          billState: null,
          transferId: null,
          confirm: null,
          confirmExpiresAt: null,
          checks: 0,
          checkedAt: null,
          lastError: null,
        }
      }
    }
    await ref.update({ data: patch })
    return { doc: { ...doc, ...patch }, from: doc.status }
  })
}

async function activityNameOf(campaignId: string): Promise<string> {
  const campaign = (await cachedCampaigns()).find((c) => c.id === campaignId)
  return campaign?.name ?? DEFAULT_ACTIVITY_NAME
}

/** The one side effect outside the database, after the claim committed. */
async function askWechatPay(doc: PayoutDoc): Promise<TransferLookup> {
  const api = getOpenApi()
  const billNo = doc.billNo ?? doc._id
  try {
    // A bill known to exist is looked up, not created again.
    if (doc.billState) {
      const found = await api.queryTransfer({ billNo })
      if (found.status !== 'not_found') return found
    }
    return await api.transfer({
      billNo,
      openid: doc.openid,
      amountFen: doc.amountFen,
      remark: doc.remark,
      activityName: await activityNameOf(doc.campaignId),
    })
  } catch (err) {
    return { status: 'failed', reason: err instanceof Error ? err.message : String(err) }
  }
}

async function payOne(
  id: string,
  now: Date,
  rules: PayoutRules,
  claimer: Claimer,
): Promise<Outcome> {
  let claimed: Claim | 'gaveUp' | null
  try {
    claimed = await claim(id, now, rules, claimer)
  } catch (err) {
    if (isTransactionConflict(err)) return 'skipped' // another run claimed it
    throw err
  }
  if (claimed === null) return 'skipped'
  if (claimed === 'gaveUp') return 'gaveUp'
  return record(claimed, await askWechatPay(claimed.doc), now, rules)
}

async function record(
  { doc, from }: Claim,
  result: TransferLookup,
  now: Date,
  rules: PayoutRules,
): Promise<Outcome> {
  const payouts = getDb().collection(PAYOUTS)
  // Only our own claim is overwritten: a later claim (ours went stale) records its own outcome.
  const ours = payouts.where({ _id: doc._id, claims: doc.claims })
  // checkedAt spaces out the winner's own look-ups; making a bill is not one of them.
  const released =
    from === 'awaiting_user'
      ? { leasedUntil: null, checkedAt: now, updatedAt: now }
      : { leasedUntil: null, updatedAt: now }
  const after = (ms: number) => new Date(now.getTime() + ms)
  const checks = from === 'awaiting_user' ? (doc.checks ?? 0) + 1 : 0

  if (result.status === 'paid') {
    // Paid is the truth whoever recorded what before (WeChat deduplicates by the bill number).
    await payouts.doc(doc._id).update({
      data: {
        ...released,
        status: 'paid',
        transferId: result.transferId,
        billState: 'SUCCESS',
        paidAt: now,
        nextAttemptAt: null,
        lastError: null,
        confirm: null,
      },
    })
    return 'paid'
  }

  if (result.status === 'awaiting_user') {
    const packageInfo = result.packageInfo ?? doc.confirm?.packageInfo ?? null
    if (packageInfo !== null) {
      const created = result.billCreatedAt ? Date.parse(result.billCreatedAt) : Number.NaN
      const expiresAt = Number.isFinite(created)
        ? new Date(created + rules.confirmWindowMs)
        : (doc.confirmExpiresAt ?? after(rules.confirmWindowMs))
      await ours.update({
        data: {
          ...released,
          status: 'awaiting_user',
          transferId: result.transferId,
          billState: result.state,
          confirm: { mchId: result.mchId, appId: result.appId, packageInfo },
          confirmExpiresAt: expiresAt,
          checks,
          nextAttemptAt: after(awaitingCheckMs(checks, rules)),
          lastError: null,
        },
      })
      return 'awaiting'
    }
    // Waiting for a confirmation nobody can give without the package: look again later.
    result = { status: 'in_progress', transferId: result.transferId, state: result.state }
  }

  if (result.status === 'in_progress') {
    // The bill exists and is not final: the same number is looked up again after a backoff.
    const giveUp = doc.attempts >= rules.maxAttempts
    await ours.update({
      data: {
        ...released,
        status: 'failed',
        transferId: result.transferId ?? doc.transferId,
        billState: result.state,
        confirm: null,
        lastError: result.state,
        nextAttemptAt: giveUp ? null : after(payoutBackoffMs(Math.max(1, doc.attempts), rules)),
      },
    })
    if (giveUp) console.error(`[payout] ${doc._id} gave up while its bill is ${result.state}`)
    return giveUp ? 'gaveUp' : 'failed'
  }

  if (result.status === 'closed') {
    // Final for this bill number. WeChat Pay has returned the money to the merchant.
    const failure = `FAIL:${result.failReason ?? result.state}`
    const reclaimable =
      result.state === 'CANCELLED' || RECLAIMABLE_FAIL_REASONS.has(result.failReason ?? '')
    await ours.update({
      data: {
        ...released,
        status: reclaimable ? 'expired' : 'failed',
        transferId: result.transferId ?? doc.transferId,
        billState: result.state,
        confirm: null,
        confirmExpiresAt: null,
        lastError: failure,
        // Expired waits for its winner (payout.reclaim); any other failure for an operator.
        nextAttemptAt: null,
      },
    })
    if (!reclaimable) console.error(`[payout] ${doc._id} bill ${doc.billNo} closed: ${failure}`)
    return reclaimable ? 'expired' : 'gaveUp'
  }

  const reason = result.status === 'not_found' ? 'NOT_FOUND' : result.reason
  const notConfigured = reason.startsWith(NOT_CONFIGURED)
  if (from === 'awaiting_user') {
    // Only this look-up failed; the bill still waits for the user.
    await ours.update({
      data: {
        ...released,
        status: 'awaiting_user',
        checks,
        lastError: reason,
        nextAttemptAt: after(awaitingCheckMs(checks, rules)),
      },
    })
    return notConfigured ? 'skipped' : 'failed'
  }
  if (notConfigured) {
    // Nothing was attempted: the payout stays queued, without using up an attempt, and is
    // looked at again after the longest backoff (docs/operations.md, payout configuration).
    await ours.update({
      data: {
        ...released,
        status: 'pending',
        attempts: doc.attempts - 1,
        lastError: reason,
        nextAttemptAt: after(rules.backoffMaxMs),
      },
    })
    return 'skipped'
  }
  const giveUp = doc.attempts >= rules.maxAttempts
  await ours.update({
    data: {
      ...released,
      status: 'failed',
      lastError: reason,
      nextAttemptAt: giveUp ? null : after(payoutBackoffMs(doc.attempts, rules)),
    },
  })
  if (giveUp) console.error(`[payout] ${doc._id} gave up after ${doc.attempts} attempts: ${reason}`)
  return giveUp ? 'gaveUp' : 'failed'
}

// ------------------------------------------------------------------ the winner's side (待领取)

/** Where a payout waiting for its winner stands, or null when it does not wait for them. */
function waitingState(d: PayoutDoc, now: Date): PendingPayout['state'] | null {
  if (d.status === 'expired') return 'expired'
  if (d.status !== 'awaiting_user') return null
  return d.confirm && isAfter(d.confirmExpiresAt, now) ? 'awaiting_user' : 'closing'
}

function toPendingPayout(d: PayoutDoc, now: Date): PendingPayout | null {
  const state = waitingState(d, now)
  if (state === null) return null
  const open = state === 'awaiting_user' && d.confirm
  return {
    payoutKey: d._id,
    amountFen: d.amountFen,
    state,
    confirm: open
      ? { mchId: d.confirm!.mchId, appId: d.confirm!.appId, package: d.confirm!.packageInfo }
      : null,
    expiresAt: open && d.confirmExpiresAt ? new Date(d.confirmExpiresAt).toISOString() : null,
    wonAt: new Date(d.createdAt).toISOString(),
  }
}

/** The caller's red envelopes that wait for them, newest first. */
export async function myPayouts(openid: string, now: Date): Promise<{ items: PendingPayout[] }> {
  const _ = getDb().command
  const docs = await queryDocs<PayoutDoc>(
    getDb()
      .collection(PAYOUTS)
      .where({ openid, status: _.in(['awaiting_user', 'expired']) })
      .orderBy('createdAt', 'desc')
      .limit(MINE_LIMIT),
  )
  return {
    items: docs.map((d) => toPendingPayout(d, now)).filter((p): p is PendingPayout => p !== null),
  }
}

async function ownPayout(payoutKey: string, openid: string): Promise<PayoutDoc> {
  const doc = await readDoc<PayoutDoc>(getDb().collection(PAYOUTS).doc(payoutKey))
  // Another user's payout looks exactly like a missing one.
  if (!doc || doc.openid !== openid) throw new AppError('NOT_FOUND', 'no such payout')
  return doc
}

function claimReply(d: PayoutDoc, now: Date): PayoutClaim {
  const item = toPendingPayout(d, now)
  let status: PayoutClaim['status']
  if (item) status = item.state
  else if (d.status === 'paid') status = 'paid'
  else if (d.status === 'failed' && d.nextAttemptAt === null) status = 'failed'
  else status = 'processing'
  return { payoutKey: d._id, status, item }
}

/**
 * After the winner confirmed in WeChat: ask WeChat Pay now (at most every few seconds per payout,
 * and never while a run is asking) instead of waiting for the timer. Idempotent by nature: it only
 * records what WeChat Pay says.
 */
export async function checkPayout(
  input: { payoutKey: string },
  openid: string,
  now: Date,
  rules: PayoutRules = PAYOUT_RULES,
): Promise<PayoutClaim> {
  return actAsWinner('check', input.payoutKey, openid, now, rules)
}

/**
 * An expired envelope (its bill closed unconfirmed) claimed again: the next generation's bill is
 * created at once, so the reply carries what wx.requestMerchantTransfer needs. Only an `expired`
 * payout moves; a repeat finds it no longer expired and replies where it stands.
 */
export async function reclaimPayout(
  input: { payoutKey: string },
  openid: string,
  now: Date,
  rules: PayoutRules = PAYOUT_RULES,
): Promise<PayoutClaim> {
  return actAsWinner('reclaim', input.payoutKey, openid, now, rules)
}

/** The winner's own step on their payout (theirs, or NOT_FOUND), then where it stands. */
async function actAsWinner(
  intent: 'check' | 'reclaim',
  payoutKey: string,
  openid: string,
  now: Date,
  rules: PayoutRules,
): Promise<PayoutClaim> {
  await ownPayout(payoutKey, openid)
  await payOne(payoutKey, now, rules, { by: 'caller', openid, intent })
  return claimReply(await ownPayout(payoutKey, openid), now)
}
