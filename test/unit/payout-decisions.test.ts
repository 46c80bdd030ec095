// The payout state machine without a database: who may claim a payout, what is recorded of WeChat
// Pay's answer, and that every decision is a move of the transition table.
import {
  PAYOUT_RULES,
  PAYOUT_TRANSITIONS,
  canMovePayout,
  decideClaim,
  decideRecord,
  publicPayoutStatus,
  waitingState,
  type PayoutClaimer,
  type PayoutState,
  type PayoutStatus,
  type TransferLookup,
} from 'wal-core'

const NOW = new Date('2024-07-20T04:00:00Z')
const later = (ms: number) => new Date(NOW.getTime() + ms)
const rules = PAYOUT_RULES
const billNo = (g: number) => `bill-${g}`

function payout(over: Partial<PayoutState> = {}): PayoutState {
  return {
    _id: 'wdkey',
    openid: 'o-1',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
    claimedAt: null,
    lastError: null,
    transferId: null,
    paidAt: null,
    updatedAt: NOW,
    generation: 0,
    billNo: 'wdkey',
    billState: null,
    confirm: null,
    confirmExpiresAt: null,
    claims: 0,
    checks: 0,
    checkedAt: null,
    leasedUntil: null,
    ...over,
  }
}

const timer: PayoutClaimer = { by: 'timer' }
const check: PayoutClaimer = { by: 'caller', openid: 'o-1', intent: 'check' }
const reclaim: PayoutClaimer = { by: 'caller', openid: 'o-1', intent: 'reclaim' }
const CONFIRM = { mchId: 'm', appId: 'a', packageInfo: 'P' }

describe('the transition table', () => {
  test('paid is final and an expired payout only moves when claimed again', () => {
    expect(PAYOUT_TRANSITIONS.paid).toEqual([])
    expect(PAYOUT_TRANSITIONS.expired).toEqual(['paying'])
    expect(canMovePayout('pending', 'paid')).toBe(false)
    expect(canMovePayout('paying', 'paid')).toBe(true)
  })

  test('every claim and every recorded answer is a move of the table', () => {
    const statuses = Object.keys(PAYOUT_TRANSITIONS) as PayoutStatus[]
    const answers: TransferLookup[] = [
      { status: 'paid', transferId: 't' },
      {
        status: 'awaiting_user',
        transferId: 't',
        state: 'WAIT_USER_CONFIRM',
        packageInfo: 'P',
        mchId: 'm',
        appId: 'a',
        billCreatedAt: null,
      },
      { status: 'in_progress', transferId: 't', state: 'PROCESSING' },
      { status: 'closed', transferId: 't', state: 'FAIL', failReason: 'OVERDUE_CLOSE' },
      { status: 'closed', transferId: 't', state: 'FAIL', failReason: 'ACCOUNT_FROZEN' },
      { status: 'failed', reason: 'WXPAY_NETWORK' },
      { status: 'not_configured', reason: 'PAYOUT_NOT_CONFIGURED' },
      { status: 'not_found' },
    ]
    for (const status of statuses) {
      for (const attempts of [0, rules.maxAttempts]) {
        for (const claimer of [timer, check, reclaim]) {
          const p = payout({ status, attempts })
          // Throws when a decision leaves the table.
          const claimed = decideClaim(p, claimer, NOW, rules, billNo)
          if (claimed.kind !== 'take') continue
          const taken = { ...p, ...claimed.patch }
          for (const answer of answers) decideRecord(taken, status, answer, NOW, rules)
        }
      }
    }
  })
})

describe('claiming', () => {
  test('the timer takes a due payout for one attempt, under a lease', () => {
    const decided = decideClaim(payout(), timer, NOW, rules, billNo)
    const lease = later(rules.staleClaimMs)
    expect(decided).toEqual({
      kind: 'take',
      patch: {
        status: 'paying',
        attempts: 1,
        claims: 1,
        claimedAt: NOW,
        leasedUntil: lease,
        nextAttemptAt: lease,
        updatedAt: NOW,
      },
    })
  })

  test('the timer leaves a payout that is not due, given up, or paid', () => {
    for (const p of [
      payout({ nextAttemptAt: later(1) }),
      payout({ status: 'failed', nextAttemptAt: null }),
      payout({ status: 'paid', nextAttemptAt: null }),
      payout({ status: 'expired', nextAttemptAt: null }),
    ])
      expect(decideClaim(p, timer, NOW, rules, billNo)).toEqual({ kind: 'skip' })
  })

  test('a claim gone stale on the last attempt is given up for an operator', () => {
    const p = payout({ status: 'paying', attempts: rules.maxAttempts })
    expect(decideClaim(p, timer, NOW, rules, billNo)).toEqual({
      kind: 'give_up',
      patch: {
        status: 'failed',
        nextAttemptAt: null,
        leasedUntil: null,
        lastError: 'STALE_CLAIM',
        updatedAt: NOW,
      },
    })
  })

  test('a bill awaiting the user is looked up without using an attempt', () => {
    const p = payout({ status: 'awaiting_user', attempts: 1 })
    const decided = decideClaim(p, timer, NOW, rules, billNo)
    expect(decided.kind).toBe('take')
    if (decided.kind === 'take') expect(decided.patch).not.toHaveProperty('attempts')
  })

  test("the winner's check is theirs only, never during a lease, and spaced out", () => {
    const waiting = { status: 'awaiting_user' as const, nextAttemptAt: later(60_000) }
    expect(decideClaim(payout(waiting), check, NOW, rules, billNo).kind).toBe('take')
    const other: PayoutClaimer = { by: 'caller', openid: 'o-2', intent: 'check' }
    expect(decideClaim(payout(waiting), other, NOW, rules, billNo).kind).toBe('skip')
    const leased = payout({ ...waiting, leasedUntil: later(1) })
    expect(decideClaim(leased, check, NOW, rules, billNo).kind).toBe('skip')
    const justChecked = payout({ ...waiting, checkedAt: later(1 - rules.callerCheckMinMs) })
    expect(decideClaim(justChecked, check, NOW, rules, billNo).kind).toBe('skip')
    expect(decideClaim(payout(), check, NOW, rules, billNo).kind).toBe('skip')
  })

  test('an expired payout claimed again goes on the next generation bill', () => {
    const p = payout({
      status: 'expired',
      attempts: 3,
      generation: 1,
      nextAttemptAt: null,
      confirm: CONFIRM,
      lastError: 'FAIL:OVERDUE_CLOSE',
    })
    const decided = decideClaim(p, reclaim, NOW, rules, billNo)
    expect(decided).toMatchObject({
      kind: 'take',
      patch: {
        status: 'paying',
        attempts: 1,
        generation: 2,
        billNo: 'bill-2',
        confirm: null,
        lastError: null,
      },
    })
    expect(decideClaim(payout(), reclaim, NOW, rules, billNo).kind).toBe('skip')
  })
})

describe('recording what WeChat Pay said', () => {
  const paying = payout({ status: 'paying', attempts: 1, claims: 1 })

  test('paid is written whoever claimed since', () => {
    const decided = decideRecord(paying, 'pending', { status: 'paid', transferId: 't' }, NOW, rules)
    expect(decided).toMatchObject({
      outcome: 'paid',
      write: 'any_claim',
      patch: { status: 'paid', transferId: 't', paidAt: NOW, nextAttemptAt: null },
    })
  })

  test('a bill waiting for the user keeps its package and expires 24 h after creation', () => {
    const decided = decideRecord(
      paying,
      'pending',
      {
        status: 'awaiting_user',
        transferId: 't',
        state: 'WAIT_USER_CONFIRM',
        packageInfo: 'P',
        mchId: 'm',
        appId: 'a',
        billCreatedAt: '2024-07-20T03:00:00Z',
      },
      NOW,
      rules,
    )
    expect(decided).toMatchObject({
      outcome: 'awaiting',
      write: 'own_claim',
      patch: {
        status: 'awaiting_user',
        confirm: CONFIRM,
        confirmExpiresAt: new Date(Date.parse('2024-07-20T03:00:00Z') + rules.confirmWindowMs),
        nextAttemptAt: later(rules.awaitingCheckBaseMs),
      },
    })
  })

  test('a bill closed unconfirmed expires for its winner; any other closure alarms', () => {
    const overdue = decideRecord(
      paying,
      'pending',
      { status: 'closed', transferId: 't', state: 'FAIL', failReason: 'OVERDUE_CLOSE' },
      NOW,
      rules,
    )
    expect(overdue).toMatchObject({ outcome: 'expired', alarm: null, patch: { status: 'expired' } })
    const frozen = decideRecord(
      paying,
      'pending',
      { status: 'closed', transferId: 't', state: 'FAIL', failReason: 'ACCOUNT_FROZEN' },
      NOW,
      rules,
    )
    expect(frozen).toMatchObject({
      outcome: 'gaveUp',
      patch: { status: 'failed', nextAttemptAt: null, lastError: 'FAIL:ACCOUNT_FROZEN' },
    })
    expect(frozen.alarm).toMatch(/ACCOUNT_FROZEN/)
  })

  test('not configured keeps the payout queued without using up its attempt', () => {
    const decided = decideRecord(
      paying,
      'pending',
      { status: 'not_configured', reason: 'PAYOUT_NOT_CONFIGURED' },
      NOW,
      rules,
    )
    expect(decided).toMatchObject({
      outcome: 'skipped',
      patch: {
        status: 'pending',
        attempts: 0,
        lastError: 'PAYOUT_NOT_CONFIGURED',
        nextAttemptAt: later(rules.backoffMaxMs),
      },
    })
  })

  test('a failed look-up leaves the bill waiting for the user', () => {
    const waiting = payout({ status: 'awaiting_user', attempts: 1, checks: 2 })
    const decided = decideRecord(
      waiting,
      'awaiting_user',
      { status: 'failed', reason: 'WXPAY_NETWORK' },
      NOW,
      rules,
    )
    expect(decided).toMatchObject({
      outcome: 'failed',
      patch: { status: 'awaiting_user', checks: 3, checkedAt: NOW, lastError: 'WXPAY_NETWORK' },
    })
  })

  test('a failure is retried after the backoff, and given up after the last attempt', () => {
    const failed = { status: 'failed' as const, reason: 'WXPAY_NETWORK' }
    expect(decideRecord(paying, 'pending', failed, NOW, rules)).toMatchObject({
      outcome: 'failed',
      alarm: null,
      patch: { status: 'failed', nextAttemptAt: later(rules.backoffBaseMs) },
    })
    const last = payout({ status: 'paying', attempts: rules.maxAttempts })
    const decided = decideRecord(last, 'failed', failed, NOW, rules)
    expect(decided).toMatchObject({ outcome: 'gaveUp', patch: { nextAttemptAt: null } })
    expect(decided.alarm).toMatch(/gave up after 6 attempts/)
  })
})

describe('as the winner sees it', () => {
  test('the draw history says pending until paid, and failed only once given up', () => {
    expect(publicPayoutStatus(undefined)).toBe('pending')
    expect(publicPayoutStatus(payout({ status: 'failed', nextAttemptAt: later(1) }))).toBe(
      'pending',
    )
    expect(publicPayoutStatus(payout({ status: 'failed', nextAttemptAt: null }))).toBe('failed')
    expect(publicPayoutStatus(payout({ status: 'expired' }))).toBe('awaiting_user')
    expect(publicPayoutStatus(payout({ status: 'paid' }))).toBe('paid')
  })

  test('a waiting envelope is closing once its confirmation window has passed', () => {
    const open = { status: 'awaiting_user' as const, confirm: CONFIRM }
    expect(waitingState(payout({ ...open, confirmExpiresAt: later(1) }), NOW)).toBe('awaiting_user')
    expect(waitingState(payout({ ...open, confirmExpiresAt: NOW }), NOW)).toBe('closing')
    expect(waitingState(payout({ status: 'expired' }), NOW)).toBe('expired')
    expect(waitingState(payout({ status: 'paying' }), NOW)).toBeNull()
  })
})
