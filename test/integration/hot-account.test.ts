// A hot account: hundreds of people send points to one user code at the same moment (a prize
// desk's code on a screen). Every transfer writes that one account, so the transactions conflict;
// the server absorbs it (SDK re-runs, then jittered rounds in runOnce) and nobody sees CONFLICT.
import { CLIENT_RETRY as AUTO_RETRY, balanceSchema } from 'wal-core'
import { reconcile } from '../../scripts/reconcile'
import {
  closeRewardWorld,
  makeOrganiser,
  openRewardWorld,
  type RewardWorld,
} from './reward-fixture'

const SENDERS = 500
const START_POINTS = 10
const AMOUNT = 3

let w: RewardWorld
beforeAll(async () => {
  w = await openRewardWorld({
    rewards: { transfer: { minAmount: 1, maxAmount: 400, dailyCap: 1_000_000 } },
  })
})
afterAll(() => closeRewardWorld(w))

test(`${SENDERS} concurrent transfers into one account: clients see no CONFLICT, exact balances, reconcile clean`, async () => {
  const senders = Array.from({ length: SENDERS }, (_, i) => `o-hot-${i}`)
  const codes: string[] = []
  for (const u of senders) {
    codes.push(
      balanceSchema.parse((await w.call('wallet', u, { action: 'balance' })).data).userCode,
    )
  }
  const sink = balanceSchema.parse((await w.call('wallet', 'o-sink', { action: 'balance' })).data)
  await makeOrganiser('o-org')
  for (let b = 0; b * 500 < codes.length; b++) {
    const funded = await w.call('wallet', 'o-org', {
      action: 'grantActivityReward',
      reason: '热点账户初始积分',
      grants: codes
        .slice(b * 500, (b + 1) * 500)
        .map((userCode) => ({ userCode, amount: START_POINTS })),
      requestId: `hot-funding-${b}`,
    })
    expect(funded.ok).toBe(true)
  }

  // All at once, each client as the mini-program's retryable().run() behaves: the same requestId
  // re-sent after CONFLICT with its growing pauses (core's CLIENT_RETRY, which miniprogram/services/call.ts uses). The
  // server absorbs almost every conflict itself; the count it could not is logged, and what a user
  // sees is the client's final reply.
  let serverConflicts = 0
  const send = async (u: string, i: number) => {
    const event = {
      action: 'transfer',
      toCode: sink.userCode,
      amount: AMOUNT,
      requestId: `hot-${i.toString().padStart(5, '0')}`,
    }
    for (let attempt = 1; ; attempt++) {
      const reply = await w.call('wallet', u, event)
      if (reply.ok || reply.error.code !== 'CONFLICT' || attempt >= AUTO_RETRY.attempts)
        return reply
      serverConflicts += 1
      const base = AUTO_RETRY.baseDelayMs * 2 ** (attempt - 1)
      await new Promise((resolve) => setTimeout(resolve, base + Math.floor(Math.random() * base)))
    }
  }
  const replies = await Promise.all(senders.map(send))
  const outcomes: Record<string, number> = {}
  for (const r of replies) {
    const label = r.ok ? 'ok' : String(r.error.code)
    outcomes[label] = (outcomes[label] ?? 0) + 1
  }
  console.log(
    `hot account: ${SENDERS} concurrent transfers → ${JSON.stringify(outcomes)} (${serverConflicts} CONFLICT replies re-sent by the client)`,
  )

  expect(outcomes).toEqual({ ok: SENDERS })
  const after = balanceSchema.parse((await w.call('wallet', 'o-sink', { action: 'balance' })).data)
  expect(after.balance).toBe(SENDERS * AMOUNT)
  for (const u of senders.slice(0, 5)) {
    const b = balanceSchema.parse((await w.call('wallet', u, { action: 'balance' })).data)
    expect(b.balance).toBe(START_POINTS - AMOUNT)
  }
  const report = reconcile(w.cloud.store)
  expect(report.differences).toEqual([])
  expect(report.points).toEqual({
    accounts: SENDERS + 1,
    entries: SENDERS + 2 * SENDERS,
    total: SENDERS * START_POINTS,
  })
}, 60_000) // a bound, not a speed goal
