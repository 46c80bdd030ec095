// Ledger storm: 2,000 transfers with random pairs and amounts among 50 users, 40 in flight at a
// time, every CONFLICT retried with the same requestId as the client does. Points are neither made
// nor lost: the total stays what was granted, no balance goes negative, and reconcile is clean.
import { balanceSchema } from 'wal-core'
import { getDb } from '../../server/db'
import { seededRandom } from '../../scripts/bench/answers'
import { reconcile } from '../../scripts/reconcile'
import {
  closeRewardWorld,
  makeOrganiser,
  openRewardWorld,
  type LooseReply,
  type RewardWorld,
} from './reward-fixture'

const USERS = 50
const TRANSFERS = 2_000
const IN_FLIGHT = 40
const START_POINTS = 1_000
const CLIENT_RETRIES = 20

let w: RewardWorld
beforeAll(async () => {
  w = await openRewardWorld({
    rewards: { transfer: { minAmount: 1, maxAmount: 400, dailyCap: 1_000_000 } },
  })
})
afterAll(() => closeRewardWorld(w))

test('2,000 concurrent transfers among 50 users keep the total, no balance below zero, reconcile clean', async () => {
  const users = Array.from({ length: USERS }, (_, i) => `o-storm-${i}`)
  const codes: string[] = []
  for (const u of users) {
    const reply = await w.call('wallet', u, { action: 'balance' })
    codes.push(balanceSchema.parse(reply.data).userCode)
  }
  await makeOrganiser('o-org')
  const funded = await w.call('wallet', 'o-org', {
    action: 'grantActivityReward',
    reason: '压力测试初始积分',
    grants: codes.map((userCode) => ({ userCode, amount: START_POINTS })),
    requestId: 'storm-funding',
  })
  expect(funded.ok).toBe(true)

  const random = seededRandom(4) // mulberry32: the storm is the same on every run
  const plan = Array.from({ length: TRANSFERS }, (_, i) => {
    const from = Math.floor(random() * USERS)
    const to = (from + 1 + Math.floor(random() * (USERS - 1))) % USERS
    return { i, from, to, amount: 1 + Math.floor(random() * 400) }
  })

  const outcomes: Record<string, number> = {}
  let retries = 0
  let next = 0
  const worker = async () => {
    while (next < plan.length) {
      const t = plan[next++]!
      const event = {
        action: 'transfer',
        toCode: codes[t.to],
        amount: t.amount,
        requestId: `storm-${t.i.toString().padStart(5, '0')}`,
      }
      let reply: LooseReply
      for (let attempt = 0; ; attempt++) {
        reply = await w.call('wallet', users[t.from]!, event)
        if (reply.ok || reply.error.code !== 'CONFLICT' || attempt === CLIENT_RETRIES) break
        retries += 1
      }
      const label = reply.ok ? 'ok' : reply.error.code
      outcomes[label] = (outcomes[label] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))

  // Every transfer ended as done or refused for lack of points; nothing lost to conflicts.
  expect(Object.keys(outcomes).sort()).toEqual(
    outcomes.INSUFFICIENT_POINTS ? ['INSUFFICIENT_POINTS', 'ok'] : ['ok'],
  )
  expect(outcomes.ok).toBeGreaterThan(TRANSFERS / 2)
  const accounts = (await getDb().collection('pointAccounts').limit(1000).get()).data as Array<{
    balance: number
  }>
  expect(accounts).toHaveLength(USERS)
  expect(accounts.reduce((n, a) => n + a.balance, 0)).toBe(USERS * START_POINTS)
  expect(Math.min(...accounts.map((a) => a.balance))).toBeGreaterThanOrEqual(0)
  const report = reconcile(w.cloud.store)
  expect(report.differences).toEqual([])
  expect(report.points).toEqual({
    accounts: USERS,
    entries: USERS + 2 * outcomes.ok!,
    total: USERS * START_POINTS,
  })
  console.log(`ledger storm: ${JSON.stringify(outcomes)}, ${retries} client retries on CONFLICT`)
}, 120_000) // a bound, not a speed goal (docs/benchmarks.md has those)
