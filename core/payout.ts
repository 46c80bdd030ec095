// Cash payouts' state machine (现金红包发放): the statuses and the transitions between them, and
// the two decisions server/payout.ts takes inside its transactions — who may claim a payout for
// one call to WeChat Pay, and what to record of WeChat Pay's answer. Pure: the payout as stored,
// the time and the rules come in; a patch for the stored payout goes out. Zod-free: the
// mini-program ships LOCAL_TRANSFER_PACKAGE_PREFIX from here.

/**
 * package_info of the local cloud's fake merchant transfer (emulator/openapi.ts). It cannot open
 * WeChat's confirmation page, so the mini-program, talking to the local gateway, simulates that
 * page instead. Real packages never start like this.
 */
export const LOCAL_TRANSFER_PACKAGE_PREFIX = 'fake-package-'

/**
 * pending → paying (a run's claim) → paid; or → awaiting_user (WeChat Pay waits for the user to
 * confirm receipt) → paid; or, when the user never confirms and WeChat Pay closes the bill,
 * → expired, from which the user claims it again on a new bill (payout.reclaim). `failed` is
 * retried after a backoff, or given up (nextAttemptAt null) for an operator.
 */
export type PayoutStatus = 'pending' | 'paying' | 'awaiting_user' | 'paid' | 'failed' | 'expired'

/**
 * Every move a payout may make (a status may stay as it is where listed). `paid` is final; a
 * given-up `failed` (nextAttemptAt null) waits for an operator, who may set it pending again.
 */
export const PAYOUT_TRANSITIONS: Readonly<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  // claimed by a run, or given up when a stale claim used the last attempt
  pending: ['paying', 'failed'],
  // WeChat Pay's answer to an attempt: paid, waiting for the user, not final, closed, or no
  // answer; `pending` again when payouts are not configured (nothing was attempted)
  paying: ['paying', 'paid', 'awaiting_user', 'failed', 'expired', 'pending'],
  // a look-up: paid, still waiting, not final, or closed unconfirmed
  awaiting_user: ['awaiting_user', 'paid', 'failed', 'expired'],
  // retried after the backoff, or given up
  failed: ['paying', 'failed'],
  // claimed again by its winner on a new bill
  expired: ['paying'],
  paid: [],
}

export function canMovePayout(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS[from].includes(to)
}

/** A decision whose patch leaves the table is a bug in this file: refuse it loudly. */
function inTable<D extends { patch: PayoutPatch }>(from: PayoutStatus, decided: D): D {
  const to = decided.patch.status
  if (to !== undefined && !canMovePayout(from, to))
    throw new Error(`payout may not move from ${from} to ${to}`)
  return decided
}

/** Payout retries: attempts before giving up, backoff, and when a claim counts as abandoned. */
export interface PayoutRules {
  maxAttempts: number
  /** Backoff after the n-th failed attempt: base × 2^(n-1), capped. */
  backoffBaseMs: number
  backoffMaxMs: number
  /** A claim (`paying`) older than this is treated as crashed and may be claimed again. */
  staleClaimMs: number
  /**
   * While a bill waits for the user (WAIT_USER_CONFIRM), the timer looks it up after this, then
   * twice as long each time, capped: the user's own 领取 asks at once (payout.check), so the
   * timer's look-ups are the safety net and stay few (about 30 in the 24 hours a bill lives).
   */
  awaitingCheckBaseMs: number
  awaitingCheckMaxMs: number
  /** How long WeChat Pay keeps a bill open for the user's confirmation (then closes it). */
  confirmWindowMs: number
  /** A user's own look-up (payout.check) at most this often per payout. */
  callerCheckMinMs: number
}

export const PAYOUT_RULES: PayoutRules = {
  maxAttempts: 6,
  backoffBaseMs: 60_000,
  backoffMaxMs: 3_600_000,
  staleClaimMs: 10 * 60_000,
  awaitingCheckBaseMs: 5 * 60_000,
  awaitingCheckMaxMs: 3_600_000,
  confirmWindowMs: 24 * 3_600_000,
  callerCheckMinMs: 3_000,
}

/** When the timer looks up a bill awaiting the user again, after `checks` look-ups so far. */
export function awaitingCheckMs(checks: number, rules: PayoutRules): number {
  return Math.min(rules.awaitingCheckMaxMs, rules.awaitingCheckBaseMs * 2 ** Math.max(0, checks))
}

/** When to try again after the n-th failed attempt (n ≥ 1). */
export function payoutBackoffMs(attempts: number, rules: PayoutRules): number {
  return Math.min(rules.backoffMaxMs, rules.backoffBaseMs * 2 ** Math.max(0, attempts - 1))
}

// ------------------------------------------------------------- what WeChat Pay says of a bill

/** What wx.requestMerchantTransfer needs to open WeChat's confirmation page. */
export interface PayoutConfirm {
  mchId: string
  appId: string
  packageInfo: string
}

/** Where a bill stands, in the terms the payout use cases act on (the open API port's reply). */
export type TransferResult =
  /** SUCCESS: the money reached the user. */
  | { status: 'paid'; transferId: string }
  /**
   * WAIT_USER_CONFIRM (or TRANSFERING with a package): the user confirms receipt in WeChat with
   * wx.requestMerchantTransfer({ mchId, appId, package: packageInfo }). WeChat Pay closes the bill
   * if that does not happen within 24 hours of `billCreatedAt`.
   */
  | {
      status: 'awaiting_user'
      transferId: string
      state: string
      /** Null when a look-up did not repeat it (the one from creation stays valid). */
      packageInfo: string | null
      mchId: string
      appId: string
      /** create_time of the bill (RFC 3339), when WeChat Pay said it. */
      billCreatedAt: string | null
    }
  /** ACCEPTED, PROCESSING, CANCELING, …: the bill exists and is not final; look again later. */
  | { status: 'in_progress'; transferId: string | null; state: string }
  /** FAIL or CANCELLED: final for this bill number, which will never pay. */
  | { status: 'closed'; transferId: string | null; state: string; failReason: string | null }
  /** Nothing known to exist, or the call failed: try again later with the same bill number. */
  | { status: 'failed'; reason: string }
  /**
   * WeChat Pay's keys are missing or unusable: nothing was sent. Payouts stay queued, without
   * using up an attempt (docs/operations.md, payout configuration). `reason` is for the log.
   */
  | { status: 'not_configured'; reason: string }

/** A look-up also learns that no bill has this number. */
export type TransferLookup = TransferResult | { status: 'not_found' }

// ------------------------------------------------------------------------------ the decisions

/** The stored payout as far as the decisions read and write it (server/records/payouts.ts). */
export interface PayoutState {
  _id: string
  openid: string
  status: PayoutStatus
  attempts: number
  /** When it may be claimed next: now for new ones, after a backoff, or when a claim goes stale. */
  nextAttemptAt: Date | null
  claimedAt: Date | null
  lastError: string | null
  transferId: string | null
  paidAt: Date | null
  updatedAt: Date
  // Fields below came with the user-confirmation flow; payouts stored before lack them (defaults).
  /** Which bill the payout is on: 0 is the payout key itself, n a re-claim's (billNoOf). */
  generation?: number
  /** out_bill_no of the current generation (default: the payout key). */
  billNo?: string
  /** WeChat Pay's state of the current bill as last seen; null until one is known to exist. */
  billState?: string | null
  /** Set while awaiting the user. */
  confirm?: PayoutConfirm | null
  /** When WeChat Pay closes the current bill unconfirmed (its create_time + 24 h). */
  confirmExpiresAt?: Date | null
  /** Claims so far; an outcome is recorded only by the claim that is still the latest. */
  claims?: number
  /** Look-ups of the current bill while awaiting the user (spaces the timer's out). */
  checks?: number
  checkedAt?: Date | null
  /** Set from a claim until its outcome is recorded: nobody else asks WeChat Pay meanwhile. */
  leasedUntil?: Date | null
}

export type PayoutPatch = Partial<Omit<PayoutState, '_id' | 'openid'>>

/** Who takes a payout: the timer (whatever is due), or its winner (check or claim again). */
export type PayoutClaimer =
  { by: 'timer' } | { by: 'caller'; openid: string; intent: 'check' | 'reclaim' }

/** What the timer picks up when it is due (nextAttemptAt ≤ now). */
export const CLAIMABLE_PAYOUT_STATUSES: readonly PayoutStatus[] = [
  'pending',
  'failed',
  'paying',
  'awaiting_user',
]

export type ClaimDecision =
  /** Not this claimer's to take now (someone else's, not due, leased, or asked too recently). */
  | { kind: 'skip' }
  /** A claim went stale on its last attempt: stop, and leave it to an operator. */
  | { kind: 'give_up'; patch: PayoutPatch }
  /** Taken for one call to WeChat Pay: write the patch, then ask once it committed. */
  | { kind: 'take'; patch: PayoutPatch }

function isAfter(date: Date | null | undefined, now: Date): boolean {
  return date !== null && date !== undefined && new Date(date).getTime() > now.getTime()
}

/**
 * Whether `claimer` may take payout `p` now, and how. The lease (`leasedUntil`, also
 * `nextAttemptAt`) ends with the recorded outcome, or goes stale if the run dies, after which the
 * payout may be taken again. `billNoOf(generation)` numbers a re-claim's new bill.
 */
function claimDecision(
  p: PayoutState,
  claimer: PayoutClaimer,
  now: Date,
  rules: PayoutRules,
  billNoOf: (generation: number) => string,
): ClaimDecision {
  const lease = new Date(now.getTime() + rules.staleClaimMs)
  const taken: PayoutPatch = {
    claims: (p.claims ?? 0) + 1,
    claimedAt: now,
    leasedUntil: lease,
    // If this run dies before recording an outcome, the claim goes stale and is retried.
    nextAttemptAt: lease,
    updatedAt: now,
  }
  if (claimer.by === 'timer') {
    if (
      !CLAIMABLE_PAYOUT_STATUSES.includes(p.status) ||
      p.nextAttemptAt === null ||
      isAfter(p.nextAttemptAt, now)
    )
      return { kind: 'skip' }
    // A look-up, not an attempt: the bill exists and waits for the user.
    if (p.status === 'awaiting_user') return { kind: 'take', patch: taken }
    if (p.attempts >= rules.maxAttempts) {
      // Only a claim that went stale on its last attempt gets here (failures past the limit are
      // recorded as given up): stop, and leave it to the operator (docs/operations.md).
      return {
        kind: 'give_up',
        patch: {
          status: 'failed',
          nextAttemptAt: null,
          leasedUntil: null,
          lastError: p.lastError ?? 'STALE_CLAIM',
          updatedAt: now,
        },
      }
    }
    return { kind: 'take', patch: { ...taken, status: 'paying', attempts: p.attempts + 1 } }
  }
  // The winner's own request: only theirs, and never while a run is asking WeChat Pay.
  if (p.openid !== claimer.openid || isAfter(p.leasedUntil, now)) return { kind: 'skip' }
  if (claimer.intent === 'check') {
    if (p.status !== 'awaiting_user') return { kind: 'skip' }
    const last = p.checkedAt ? new Date(p.checkedAt).getTime() : -Infinity
    if (now.getTime() - last < rules.callerCheckMinMs) return { kind: 'skip' }
    return { kind: 'take', patch: taken }
  }
  if (p.status !== 'expired') return { kind: 'skip' }
  // The last bill is final (closed unconfirmed): the next generation's number, never random.
  const generation = (p.generation ?? 0) + 1
  return {
    kind: 'take',
    patch: {
      ...taken,
      status: 'paying',
      attempts: 1,
      generation,
      billNo: billNoOf(generation),
      billState: null,
      transferId: null,
      confirm: null,
      confirmExpiresAt: null,
      checks: 0,
      checkedAt: null,
      lastError: null,
    },
  }
}

export function decideClaim(
  p: PayoutState,
  claimer: PayoutClaimer,
  now: Date,
  rules: PayoutRules,
  billNoOf: (generation: number) => string,
): ClaimDecision {
  const decided = claimDecision(p, claimer, now, rules, billNoOf)
  return decided.kind === 'skip' ? decided : inTable(p.status, decided)
}

/** How one claim ended, as the payout run counts it. */
export type PayoutOutcome = 'paid' | 'awaiting' | 'expired' | 'failed' | 'gaveUp' | 'skipped'

export interface RecordDecision {
  outcome: PayoutOutcome
  patch: PayoutPatch
  /**
   * `any_claim`: written whoever claimed since (paid is the truth, and WeChat deduplicates by
   * the bill number). `own_claim`: only over the claim it answers — a later claim (this one went
   * stale) records its own outcome.
   */
  write: 'any_claim' | 'own_claim'
  /** A line for the operator's log when the payout needs a person, else null. */
  alarm: string | null
}

/**
 * Why WeChat Pay closes a bill the user did not confirm (OVERDUE_CLOSE: 超过系统重试期，系统自动
 * 关闭 — 24 hours) or the merchant cancelled (MCH_CANCEL): the money went back, the prize is still
 * owed, and the winner may claim it again. Other failures (a frozen account, …) go to an operator.
 */
const RECLAIMABLE_FAIL_REASONS = new Set(['OVERDUE_CLOSE', 'MCH_CANCEL'])

/**
 * What to record of WeChat Pay's answer to a claim. `p` is the payout as claimed (its claim
 * count, attempts and generation), `from` its status before the claim.
 */
function recordDecision(
  p: PayoutState,
  from: PayoutStatus,
  result: TransferLookup,
  now: Date,
  rules: PayoutRules,
): RecordDecision {
  const lookUp = from === 'awaiting_user'
  // checkedAt spaces out the winner's own look-ups; making a bill is not one of them.
  const released: PayoutPatch = lookUp
    ? { leasedUntil: null, checkedAt: now, updatedAt: now }
    : { leasedUntil: null, updatedAt: now }
  const after = (ms: number) => new Date(now.getTime() + ms)
  const checks = lookUp ? (p.checks ?? 0) + 1 : 0
  const own = (outcome: PayoutOutcome, patch: PayoutPatch, alarm: string | null = null) =>
    ({ outcome, patch: { ...released, ...patch }, write: 'own_claim', alarm }) as const

  if (result.status === 'paid') {
    return {
      outcome: 'paid',
      write: 'any_claim',
      alarm: null,
      patch: {
        ...released,
        status: 'paid',
        transferId: result.transferId,
        billState: 'SUCCESS',
        paidAt: now,
        nextAttemptAt: null,
        lastError: null,
        confirm: null,
      },
    }
  }

  if (result.status === 'awaiting_user') {
    const packageInfo = result.packageInfo ?? p.confirm?.packageInfo ?? null
    if (packageInfo !== null) {
      const created = result.billCreatedAt ? Date.parse(result.billCreatedAt) : Number.NaN
      return own('awaiting', {
        status: 'awaiting_user',
        transferId: result.transferId,
        billState: result.state,
        confirm: { mchId: result.mchId, appId: result.appId, packageInfo },
        confirmExpiresAt: Number.isFinite(created)
          ? new Date(created + rules.confirmWindowMs)
          : (p.confirmExpiresAt ?? after(rules.confirmWindowMs)),
        checks,
        nextAttemptAt: after(awaitingCheckMs(checks, rules)),
        lastError: null,
      })
    }
    // Waiting for a confirmation nobody can give without the package: look again later.
    result = { status: 'in_progress', transferId: result.transferId, state: result.state }
  }

  if (result.status === 'in_progress') {
    // The bill exists and is not final: the same number is looked up again after a backoff.
    const giveUp = p.attempts >= rules.maxAttempts
    return own(
      giveUp ? 'gaveUp' : 'failed',
      {
        status: 'failed',
        transferId: result.transferId ?? p.transferId,
        billState: result.state,
        confirm: null,
        lastError: result.state,
        nextAttemptAt: giveUp ? null : after(payoutBackoffMs(Math.max(1, p.attempts), rules)),
      },
      giveUp ? `${p._id} gave up while its bill is ${result.state}` : null,
    )
  }

  if (result.status === 'closed') {
    // Final for this bill number. WeChat Pay has returned the money to the merchant.
    const failure = `FAIL:${result.failReason ?? result.state}`
    const reclaimable =
      result.state === 'CANCELLED' || RECLAIMABLE_FAIL_REASONS.has(result.failReason ?? '')
    return own(
      reclaimable ? 'expired' : 'gaveUp',
      {
        status: reclaimable ? 'expired' : 'failed',
        transferId: result.transferId ?? p.transferId,
        billState: result.state,
        confirm: null,
        confirmExpiresAt: null,
        lastError: failure,
        // Expired waits for its winner (payout.reclaim); any other failure for an operator.
        nextAttemptAt: null,
      },
      reclaimable ? null : `${p._id} bill ${p.billNo} closed: ${failure}`,
    )
  }

  const reason = result.status === 'not_found' ? 'NOT_FOUND' : result.reason
  const notConfigured = result.status === 'not_configured'
  if (lookUp) {
    // Only this look-up failed; the bill still waits for the user.
    return own(notConfigured ? 'skipped' : 'failed', {
      status: 'awaiting_user',
      checks,
      lastError: reason,
      nextAttemptAt: after(awaitingCheckMs(checks, rules)),
    })
  }
  if (notConfigured) {
    // Nothing was attempted: the payout stays queued, without using up an attempt, and is
    // looked at again after the longest backoff (docs/operations.md, payout configuration).
    return own('skipped', {
      status: 'pending',
      attempts: p.attempts - 1,
      lastError: reason,
      nextAttemptAt: after(rules.backoffMaxMs),
    })
  }
  const giveUp = p.attempts >= rules.maxAttempts
  return own(
    giveUp ? 'gaveUp' : 'failed',
    {
      status: 'failed',
      lastError: reason,
      nextAttemptAt: giveUp ? null : after(payoutBackoffMs(p.attempts, rules)),
    },
    giveUp ? `${p._id} gave up after ${p.attempts} attempts: ${reason}` : null,
  )
}

export function decideRecord(
  p: PayoutState,
  from: PayoutStatus,
  result: TransferLookup,
  now: Date,
  rules: PayoutRules,
): RecordDecision {
  return inTable(p.status, recordDecision(p, from, result, now, rules))
}

// ------------------------------------------------------------------- as the winner sees it

/**
 * A payout as the user sees it in the draw history: in progress until paid, waiting for the user
 * while WeChat Pay asks them to confirm (or their bill closed and they may claim it again), failed
 * once retries are given up (the operator's turn, docs/operations.md).
 */
export function publicPayoutStatus(
  p: Pick<PayoutState, 'status' | 'nextAttemptAt'> | undefined,
): 'pending' | 'awaiting_user' | 'paid' | 'failed' {
  if (!p) return 'pending'
  if (p.status === 'paid') return 'paid'
  if (p.status === 'awaiting_user' || p.status === 'expired') return 'awaiting_user'
  if (p.status === 'failed' && p.nextAttemptAt === null) return 'failed'
  return 'pending'
}

/** Where a payout waiting for its winner stands (待领取), or null when it does not wait for them. */
export function waitingState(
  p: Pick<PayoutState, 'status' | 'confirm' | 'confirmExpiresAt'>,
  now: Date,
): 'awaiting_user' | 'closing' | 'expired' | null {
  if (p.status === 'expired') return 'expired'
  if (p.status !== 'awaiting_user') return null
  return p.confirm && isAfter(p.confirmExpiresAt, now) ? 'awaiting_user' : 'closing'
}
