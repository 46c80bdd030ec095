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
import {
  CLAIMABLE_PAYOUT_STATUSES,
  PAYOUT_RULES,
  decideClaim,
  decideRecord,
  waitingState,
  type PayoutClaim,
  type PayoutClaimer,
  type PayoutOutcome,
  type PayoutRules,
  type PayoutStatus,
  type PendingPayout,
  type TransferLookup,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb, isTransactionConflict, runTransaction } from './db'
import { getOpenApi } from './openapi'
import { cachedCampaigns } from './records/campaigns'
import {
  billNoOf,
  duePayouts,
  patchPayout,
  payoutsOf,
  readPayout,
  recordOutcome,
  type PayoutDoc,
} from './records/payouts'

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
  const due = await duePayouts(CLAIMABLE_PAYOUT_STATUSES, now, options.limit ?? 20)
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

interface Claim {
  /** The payout as claimed (with its new claim count, attempts, generation). */
  doc: PayoutDoc
  /** Its status before the claim. */
  from: PayoutStatus
}

/**
 * Takes a payout for one call to WeChat Pay, in a transaction: of several runs (and the winner's
 * own check) exactly one gets it (core's decideClaim says whether and how).
 */
async function claim(
  id: string,
  now: Date,
  rules: PayoutRules,
  claimer: PayoutClaimer,
): Promise<Claim | 'gaveUp' | null> {
  return runTransaction(async (tx) => {
    const doc = await readPayout(tx, id)
    if (!doc) return null
    const decided = decideClaim(doc, claimer, now, rules, (g) => billNoOf(doc._id, g))
    if (decided.kind === 'skip') return null
    await patchPayout(tx, id, decided.patch)
    if (decided.kind === 'give_up') return 'gaveUp'
    return { doc: { ...doc, ...decided.patch }, from: doc.status }
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
  claimer: PayoutClaimer,
): Promise<PayoutOutcome> {
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

/** Records WeChat Pay's answer as core's decideRecord says; alarms go to the operator's log. */
async function record(claimed: Claim, result: TransferLookup, now: Date, rules: PayoutRules) {
  const decided = decideRecord(claimed.doc, claimed.from, result, now, rules)
  await recordOutcome(claimed.doc, decided.patch, decided.write)
  if (decided.alarm) console.error(`[payout] ${decided.alarm}`)
  return decided.outcome
}

// ------------------------------------------------------------------ the winner's side (待领取)

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
  const docs = await payoutsOf(openid, ['awaiting_user', 'expired'], MINE_LIMIT)
  return {
    items: docs.map((d) => toPendingPayout(d, now)).filter((p): p is PendingPayout => p !== null),
  }
}

async function ownPayout(payoutKey: string, openid: string): Promise<PayoutDoc> {
  const doc = await readPayout(getDb(), payoutKey)
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
