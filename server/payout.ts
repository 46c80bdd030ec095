// Cash payouts of draw prizes, run by the scheduled `payout` function: pick what is due, claim it
// in a transaction, call WeChat Pay AFTER the claim commits, record the outcome. The payout key is
// WeChat's out_bill_no, so a repeated transfer of one payout is never a second payment.
import { getDb, isTransactionConflict, queryDocs, readDoc, runTransaction } from './db'
import { PAYOUTS, type PayoutDoc } from './draw'
import { getOpenApi } from './openapi'
import { PAYOUT_RULES, payoutBackoffMs, type PayoutRules } from './reward-rules'

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

const CLAIMABLE = ['pending', 'failed', 'paying']

/** What the production adapter replies until WeChat Pay is configured (server/openapi.ts). */
const NOT_CONFIGURED = 'PAYOUT_NOT_CONFIGURED'

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
  const summary: PayoutRunSummary = { due: due.length, paid: 0, failed: 0, gaveUp: 0, skipped: 0 }
  for (const p of due) {
    if (performance.now() - started > (options.budgetMs ?? 2_000)) break
    summary[await payOne(p._id, now, rules)] += 1
  }
  return summary
}

type Outcome = 'paid' | 'failed' | 'gaveUp' | 'skipped'

async function payOne(id: string, now: Date, rules: PayoutRules): Promise<Outcome> {
  let claimed: PayoutDoc | 'gaveUp' | null
  try {
    claimed = await runTransaction(async (tx) => {
      const doc = await readDoc<PayoutDoc>(tx.collection(PAYOUTS).doc(id))
      if (
        !doc ||
        !CLAIMABLE.includes(doc.status) ||
        doc.nextAttemptAt === null ||
        new Date(doc.nextAttemptAt).getTime() > now.getTime()
      )
        return null
      if (doc.attempts >= rules.maxAttempts) {
        // Only a claim that went stale on its last attempt gets here (failures past the limit are
        // recorded as given up): stop, and leave it to the operator (docs/operations.md).
        await tx
          .collection(PAYOUTS)
          .doc(id)
          .update({
            data: {
              status: 'failed',
              nextAttemptAt: null,
              lastError: doc.lastError ?? 'STALE_CLAIM',
              updatedAt: now,
            },
          })
        return 'gaveUp'
      }
      const attempts = doc.attempts + 1
      await tx
        .collection(PAYOUTS)
        .doc(id)
        .update({
          data: {
            status: 'paying',
            attempts,
            claimedAt: now,
            // If this run dies before recording an outcome, the claim goes stale and is retried.
            nextAttemptAt: new Date(now.getTime() + rules.staleClaimMs),
            updatedAt: now,
          },
        })
      return { ...doc, attempts }
    })
  } catch (err) {
    if (isTransactionConflict(err)) return 'skipped' // another run claimed it
    throw err
  }
  if (claimed === null) return 'skipped'
  if (claimed === 'gaveUp') return 'gaveUp'

  // After the claim committed: the one side effect outside the database.
  let result: Awaited<ReturnType<ReturnType<typeof getOpenApi>['transfer']>>
  try {
    result = await getOpenApi().transfer({
      payoutKey: claimed._id,
      openid: claimed.openid,
      amountFen: claimed.amountFen,
      remark: claimed.remark,
    })
  } catch (err) {
    result = { status: 'failed', reason: err instanceof Error ? err.message : String(err) }
  }

  if (result.status === 'paid') {
    // Paid is the truth whoever recorded what before (WeChat deduplicates by the payout key).
    await getDb()
      .collection(PAYOUTS)
      .doc(id)
      .update({
        data: {
          status: 'paid',
          transferId: result.transferId,
          paidAt: now,
          nextAttemptAt: null,
          lastError: null,
          updatedAt: now,
        },
      })
    return 'paid'
  }
  // Only our own claim is overwritten: a later claim (ours went stale) records its own outcome.
  const ours = getDb()
    .collection(PAYOUTS)
    .where({ _id: id, status: 'paying', attempts: claimed.attempts })
  if (result.reason === NOT_CONFIGURED) {
    // Nothing was attempted: the payout stays queued, without using up an attempt, and is
    // looked at again after the longest backoff (docs/operations.md, payout configuration).
    await ours.update({
      data: {
        status: 'pending',
        attempts: claimed.attempts - 1,
        lastError: result.reason,
        nextAttemptAt: new Date(now.getTime() + rules.backoffMaxMs),
        updatedAt: now,
      },
    })
    return 'skipped'
  }
  const giveUp = claimed.attempts >= rules.maxAttempts
  await ours.update({
    data: {
      status: 'failed',
      lastError: result.reason,
      nextAttemptAt: giveUp
        ? null
        : new Date(now.getTime() + payoutBackoffMs(claimed.attempts, rules)),
      updatedAt: now,
    },
  })
  if (giveUp)
    console.error(`[payout] ${id} gave up after ${claimed.attempts} attempts: ${result.reason}`)
  return giveUp ? 'gaveUp' : 'failed'
}
