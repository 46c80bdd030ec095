// The scheduled payout function on the local cloud: due payouts are claimed in a transaction, paid
// through the open API after the claim commits, and recorded; a failure is retried after a backoff
// and pays exactly once; a crashed claim is taken over once stale; retries end after the maximum.
import { getDb, readDoc } from '../../server/db'
import { PAYOUT_RULES } from 'wal-core'
import { billNoOf, type PayoutDoc } from '../../server/records/payouts'
import {
  certainTable,
  closeRewardWorld,
  grantChances,
  makeOrganiser,
  openRewardWorld,
  rid,
  type LooseReply,
  type RewardWorld,
} from './reward-fixture'

let w: RewardWorld
beforeEach(async () => {
  // Every nine-grid draw wins a ¥0.2 red envelope.
  w = await openRewardWorld({
    table: certainTable('cash', { points: 2, cashFen: 20 }),
    rewards: { cash: { dailyBudgetFen: 100_000, perUserDailyCapFen: 1_000, budgetShards: 4 } },
  })
})
afterEach(() => closeRewardWorld(w))

/** What the timer trigger sends (no WeChat caller). */
const tick = () =>
  w.host.invoke(
    'payout',
    { Type: 'Timer', TriggerName: 'everyMinute', Time: new Date(w.clock.now).toISOString() },
    { openid: '' },
  ) as Promise<LooseReply>

async function cashDraw(openid: string): Promise<{ drawId: string; payoutKey: string }> {
  await grantChances(openid, 1)
  const reply = await w.call('draw', openid, {
    action: 'draw',
    kind: 'nine_grid',
    requestId: rid('d'),
  })
  expect(reply.data.prize).toMatchObject({ form: 'cash', cashFen: 20, payoutStatus: 'pending' })
  const payouts = (await getDb().collection('payouts').where({ openid }).get()).data as PayoutDoc[]
  return { drawId: reply.data.drawId, payoutKey: payouts[0]!._id }
}

const payout = (key: string) => readDoc<PayoutDoc>(getDb().collection('payouts').doc(key))

async function historyStatus(openid: string): Promise<string> {
  const reply = await w.call('draw', openid, { action: 'history' })
  return reply.data.items[0].prize.payoutStatus
}

test('a failed transfer is retried after the backoff and pays exactly once', async () => {
  const { payoutKey } = await cashDraw('o-1')
  w.cloud.openapi.failNextTransfer.add(payoutKey)

  expect((await tick()).data).toMatchObject({ due: 1, paid: 0, failed: 1 })
  expect(await payout(payoutKey)).toMatchObject({
    status: 'failed',
    attempts: 1,
    lastError: 'FAKE_TRANSIENT_FAILURE',
    nextAttemptAt: new Date(w.clock.now + PAYOUT_RULES.backoffBaseMs),
  })
  expect(await historyStatus('o-1')).toBe('pending') // still on its way, as far as the user knows

  expect((await tick()).data).toMatchObject({ due: 0 }) // not before the backoff
  w.clock.now += PAYOUT_RULES.backoffBaseMs
  expect((await tick()).data).toMatchObject({ due: 1, paid: 1 })
  expect(await payout(payoutKey)).toMatchObject({
    status: 'paid',
    attempts: 2,
    transferId: `fake-${payoutKey}`,
    nextAttemptAt: null,
  })
  expect(w.cloud.openapi.log.transfers).toEqual([
    { billNo: payoutKey, openid: 'o-1', amountFen: 20 },
  ])
  expect(await historyStatus('o-1')).toBe('paid')

  w.clock.now += 3_600_000
  expect((await tick()).data).toMatchObject({ due: 0 })
  expect(w.cloud.openapi.log.transfers).toHaveLength(1)
})

test('two runs at once claim each payout once', async () => {
  const keys = [(await cashDraw('o-1')).payoutKey, (await cashDraw('o-2')).payoutKey]
  const runs = await Promise.all([tick(), tick(), tick()])
  const paid = runs.reduce((n, r) => n + r.data.paid, 0)
  expect(paid).toBe(2)
  expect(w.cloud.openapi.log.transfers.map((t) => t.billNo).sort()).toEqual([...keys].sort())
})

test('a claim left by a crashed run is taken over once stale, and WeChat’s dedup keeps it one payment', async () => {
  const { payoutKey } = await cashDraw('o-1')
  // The crashed run had claimed it and even paid it, but never recorded the outcome.
  await getDb()
    .collection('payouts')
    .doc(payoutKey)
    .update({
      data: {
        status: 'paying',
        attempts: 1,
        claimedAt: new Date(w.clock.now),
        nextAttemptAt: new Date(w.clock.now + PAYOUT_RULES.staleClaimMs),
      },
    })
  await w.cloud.openapi.transfer({
    billNo: payoutKey,
    openid: 'o-1',
    amountFen: 20,
    remark: 'x',
    activityName: 'x',
  })

  w.clock.now += PAYOUT_RULES.staleClaimMs / 2
  expect((await tick()).data).toMatchObject({ due: 0 })
  w.clock.now += PAYOUT_RULES.staleClaimMs / 2
  expect((await tick()).data).toMatchObject({ due: 1, paid: 1 })
  expect(await payout(payoutKey)).toMatchObject({ status: 'paid', attempts: 2 })
  expect(w.cloud.openapi.log.transfers).toHaveLength(1)
})

test('after the maximum attempts the payout is given up and shows as failed', async () => {
  const { payoutKey } = await cashDraw('o-1')
  for (let attempt = 1; attempt <= PAYOUT_RULES.maxAttempts; attempt++) {
    w.cloud.openapi.failNextTransfer.add(payoutKey)
    const run = await tick()
    expect(run.data.due).toBe(1)
    w.clock.now += PAYOUT_RULES.backoffMaxMs
  }
  expect(await payout(payoutKey)).toMatchObject({
    status: 'failed',
    attempts: PAYOUT_RULES.maxAttempts,
    nextAttemptAt: null,
  })
  expect((await tick()).data).toMatchObject({ due: 0 })
  expect(await historyStatus('o-1')).toBe('failed')
  expect(w.cloud.openapi.log.transfers).toHaveLength(0)
})

test('only the timer or an organiser may run payouts', async () => {
  await cashDraw('o-1')
  expect(await w.call('payout', 'o-1', { action: 'run' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  })
  expect(w.cloud.openapi.log.transfers).toHaveLength(0)
  await makeOrganiser('o-org')
  expect(await w.call('payout', 'o-org', { action: 'run' })).toMatchObject({
    ok: true,
    data: { paid: 1 },
  })
})

test('while WeChat Pay is not configured, payouts stay queued without using up attempts', async () => {
  const { payoutKey } = await cashDraw('o-1')
  const notConfigured = jest
    .spyOn(w.cloud.openapi, 'transfer')
    .mockResolvedValue({ status: 'not_configured', reason: 'PAYOUT_NOT_CONFIGURED' })
  for (let hour = 0; hour < PAYOUT_RULES.maxAttempts + 2; hour++) {
    expect((await tick()).data).toMatchObject({ due: 1, skipped: 1, failed: 0, gaveUp: 0 })
    expect(await payout(payoutKey)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: 'PAYOUT_NOT_CONFIGURED',
      nextAttemptAt: new Date(w.clock.now + PAYOUT_RULES.backoffMaxMs),
    })
    w.clock.now += PAYOUT_RULES.backoffMaxMs
  }
  notConfigured.mockRestore()
  expect((await tick()).data).toMatchObject({ paid: 1 })
  expect(await payout(payoutKey)).toMatchObject({ status: 'paid', attempts: 1 })
})

test('the local fake can make winners confirm: in `never` mode the bill closes after its window and the winner claims it again', async () => {
  const fake = w.cloud.openapi
  fake.transferMode = 'never'
  const { payoutKey } = await cashDraw('o-1')
  expect((await tick()).data).toMatchObject({ awaiting: 1 })
  const listed = await w.call('payout', 'o-1', { action: 'mine' })
  expect(listed.data.items).toMatchObject([
    {
      payoutKey,
      state: 'awaiting_user',
      confirm: { package: `fake-package-${payoutKey}`, mchId: '1900000001' },
    },
  ])
  expect(await historyStatus('o-1')).toBe('awaiting_user')

  w.clock.now += fake.confirmWindowMs
  expect((await tick()).data).toMatchObject({ expired: 1 })
  expect(await payout(payoutKey)).toMatchObject({
    status: 'expired',
    lastError: 'FAIL:OVERDUE_CLOSE',
  })

  // This time the winner confirms: the check right after finds the new bill paid.
  fake.transferMode = 'confirm'
  const reclaimed = await w.call('payout', 'o-1', { action: 'reclaim', payoutKey })
  expect(reclaimed.data).toMatchObject({ status: 'awaiting_user' })
  w.clock.now += PAYOUT_RULES.callerCheckMinMs
  const checked = await w.call('payout', 'o-1', { action: 'check', payoutKey })
  expect(checked.data).toEqual({ payoutKey, status: 'paid', item: null })
  expect(w.cloud.openapi.log.transfers.map((t) => t.billNo)).toEqual([
    payoutKey,
    billNoOf(payoutKey, 1),
  ])
  expect(await historyStatus('o-1')).toBe('paid')
})
