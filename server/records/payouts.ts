// Records of the `payouts` collection: one document per cash prize (现金红包), `_id` = the payout
// key derived from its draw. Added by the draw in its transaction; moved by the payout use cases
// (server/payout.ts) as core/payout.ts decides.
import { createHash } from 'node:crypto'
import type { PayoutPatch, PayoutState, PayoutStatus } from 'wal-core'
import { getDb, queryDocs, readDoc, type Database, type Transaction } from '../db'

export const PAYOUTS = 'payouts'

export interface PayoutDoc extends PayoutState {
  campaignId: string
  drawId: string
  amountFen: number
  /** transfer_remark WeChat shows with the transfer. */
  remark: string
  createdAt: Date
}

/** The remark WeChat shows with the transfer (at most 32 characters). */
const PAYOUT_REMARK = '网民网络安全感满意度调查抽奖红包'

/**
 * The payout key, sent to WeChat Pay as out_bill_no: at most 32 letters and digits, unique per
 * merchant, and deterministic per draw so that every retry of a payout is the same bill.
 */
export function payoutKeyOf(drawId: string): string {
  return `wd${createHash('sha256').update(drawId).digest('hex').slice(0, 30)}`
}

/**
 * The out_bill_no of a payout's n-th bill. Generation 0 is the payout key itself; a payout whose
 * bill closed without the user's confirmation is claimed again on a new, equally deterministic
 * number (a closed bill number can never be used again, and a new one must never be random:
 * a retry of the same generation has to be the same bill).
 */
export function billNoOf(payoutKey: string, generation: number): string {
  if (generation === 0) return payoutKey
  return `wr${createHash('sha256').update(`${payoutKey}:${generation}`).digest('hex').slice(0, 30)}`
}

/** A new payout of a cash prize won by draw `drawId`: pending, due now, on its first bill. */
export function newPayout(p: {
  campaignId: string
  openid: string
  drawId: string
  amountFen: number
  now: Date
}): PayoutDoc {
  const key = payoutKeyOf(p.drawId)
  return {
    _id: key,
    campaignId: p.campaignId,
    openid: p.openid,
    drawId: p.drawId,
    amountFen: p.amountFen,
    remark: PAYOUT_REMARK,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: p.now,
    claimedAt: null,
    lastError: null,
    transferId: null,
    paidAt: null,
    createdAt: p.now,
    updatedAt: p.now,
    generation: 0,
    billNo: key,
    billState: null,
    confirm: null,
    confirmExpiresAt: null,
    claims: 0,
    checks: 0,
    checkedAt: null,
    leasedUntil: null,
  }
}

export async function addPayout(tx: Transaction, doc: PayoutDoc): Promise<void> {
  await tx.collection(PAYOUTS).add({ data: doc })
}

export function readPayout(tx: Transaction | Database, key: string): Promise<PayoutDoc | null> {
  return readDoc<PayoutDoc>(tx.collection(PAYOUTS).doc(key))
}

/** Writes `patch` inside `tx` (a claim: the payout was read in the same transaction). */
export async function patchPayout(tx: Transaction, key: string, patch: PayoutPatch): Promise<void> {
  await tx.collection(PAYOUTS).doc(key).update({ data: patch })
}

/**
 * Records a claim's outcome outside a transaction: `any_claim` whoever claimed since, `own_claim`
 * only while `claimed` is still the latest claim (its claim count unchanged).
 */
export async function recordOutcome(
  claimed: PayoutDoc,
  patch: PayoutPatch,
  write: 'any_claim' | 'own_claim',
): Promise<void> {
  const payouts = getDb().collection(PAYOUTS)
  if (write === 'any_claim') await payouts.doc(claimed._id).update({ data: patch })
  else await payouts.where({ _id: claimed._id, claims: claimed.claims }).update({ data: patch })
}

/** Payouts in `statuses` due by `now`, the longest-waiting first. */
export function duePayouts(
  statuses: readonly PayoutStatus[],
  now: Date,
  limit: number,
): Promise<PayoutDoc[]> {
  const _ = getDb().command
  return queryDocs<PayoutDoc>(
    getDb()
      .collection(PAYOUTS)
      .where({ status: _.in([...statuses]), nextAttemptAt: _.lte(now) })
      .orderBy('nextAttemptAt', 'asc')
      .limit(limit),
  )
}

/** One user's payouts in `statuses`, newest first. */
export function payoutsOf(
  openid: string,
  statuses: readonly PayoutStatus[],
  limit: number,
): Promise<PayoutDoc[]> {
  const _ = getDb().command
  return queryDocs<PayoutDoc>(
    getDb()
      .collection(PAYOUTS)
      .where({ openid, status: _.in([...statuses]) })
      .orderBy('createdAt', 'desc')
      .limit(limit),
  )
}

/** The payouts with these keys, by key (one query; missing ones are absent). */
export async function payoutsByKeys(keys: string[]): Promise<Map<string, PayoutDoc>> {
  const out = new Map<string, PayoutDoc>()
  if (keys.length === 0) return out
  const _ = getDb().command
  const found = await queryDocs<PayoutDoc>(
    getDb()
      .collection(PAYOUTS)
      .where({ _id: _.in(keys) })
      .limit(keys.length),
  )
  for (const p of found) out.set(p._id, p)
  return out
}
