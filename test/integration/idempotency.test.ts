// runOnce: a retried mutating call has one effect and the first result — also when CloudBase
// re-runs the transaction callback after conflicts — and open API side effects follow the commit.
import { z } from 'zod'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { AppError } from '../../server/app-error'
import { action, defineFunction } from '../../server/define-function'
import { getDb, readDoc } from '../../server/db'
import {
  CONFLICT_ROUNDS,
  REQUESTS_COLLECTION,
  fingerprintOf,
  requestIdSchema,
  runOnce,
} from '../../server/idempotency'
import { getOpenApi } from '../../server/openapi'

let cloud: LocalCloud
/** How many times the transaction callback ran (CloudBase may run it more than once). */
let callbackRuns = 0

beforeEach(() => {
  callbackRuns = 0
  cloud = startLocalCloud({
    collections: [
      { collection: 'ledger', indexes: [] },
      { collection: 'balances', indexes: [] },
    ],
  })
})
afterEach(() => cloud.close())

// A small "award points, then pay a red envelope" action in the shape real ones take.
const main = defineFunction({
  name: 'wallet',
  actions: {
    award: action({
      input: z.object({ requestId: requestIdSchema, points: z.number().int().positive() }),
      handler: async (input, ctx) => {
        const { requestId, points } = input
        const result = await runOnce({ requestId, scope: 'wallet.award', input }, async (tx) => {
          callbackRuns += 1
          const balances = tx.collection('balances')
          const current = await readDoc<{ points: number }>(balances.doc(ctx.openid))
          if (points > 1000) throw new AppError('FORBIDDEN', 'too many points at once')
          const balance = (current?.points ?? 0) + points
          await balances.doc(ctx.openid).set({ data: { points: balance } })
          await tx.collection('ledger').add({ data: { openid: ctx.openid, points, balance } })
          return { balance }
        })
        // Outside the database: only after the commit, and idempotent by its own key.
        await getOpenApi().transfer({
          billNo: `award:${ctx.openid}:${requestId}`,
          openid: ctx.openid,
          amountFen: points * 10,
          remark: '积分红包',
          activityName: '测试活动',
        })
        return result
      },
    }),
  },
})

const award = (openid: string, event: Record<string, unknown>) =>
  cloud.runAs({ openid }, () => main({ action: 'award', ...event }))

async function count(collection: string): Promise<number> {
  const res = (await getDb().collection(collection).count()) as { total: number }
  return res.total
}

test('the same requestId twice has one effect and returns the same result', async () => {
  const first = await award('o-a', { requestId: 'req-00000001', points: 5 })
  const again = await award('o-a', { requestId: 'req-00000001', points: 5 })
  expect(first).toEqual({ ok: true, data: { balance: 5 } })
  expect(again).toEqual(first)
  expect(callbackRuns).toBe(1)
  expect(await count('ledger')).toBe(1)
  expect(await count(REQUESTS_COLLECTION)).toBe(1)
  await expect(readDoc(getDb().collection('balances').doc('o-a'))).resolves.toMatchObject({
    points: 5,
  })
})

test('a new requestId is a new effect; the same requestId of another caller is too', async () => {
  await award('o-a', { requestId: 'req-00000001', points: 5 })
  await expect(award('o-a', { requestId: 'req-00000002', points: 3 })).resolves.toEqual({
    ok: true,
    data: { balance: 8 },
  })
  await expect(award('o-b', { requestId: 'req-00000001', points: 2 })).resolves.toEqual({
    ok: true,
    data: { balance: 2 },
  })
  expect(await count('ledger')).toBe(3)
})

test.each([['short'], ['has space 123'], ['x'.repeat(65)], [42]])(
  'a bad requestId (%p) replies BAD_REQUEST and writes nothing',
  async (requestId) => {
    const reply = await award('o-a', { requestId, points: 5 })
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(callbackRuns).toBe(0)
    expect(await count('ledger')).toBe(0)
    expect(await count(REQUESTS_COLLECTION)).toBe(0)
    expect(cloud.openapi.log.transfers).toHaveLength(0)
  },
)

test('runOnce itself refuses a bad requestId before touching the database', async () => {
  cloud.store.resetOps()
  await expect(
    cloud.runAs({ openid: 'o-a' }, () =>
      runOnce({ requestId: 'bad id', scope: 'wallet.award', input: {} }, async () => 1),
    ),
  ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  expect(cloud.store.ops).toEqual({})
})

test('a business error rolls everything back and is not remembered: a retry runs again', async () => {
  const refused = await award('o-a', { requestId: 'req-00000009', points: 5000 })
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  expect(await count('balances')).toBe(0)
  expect(await count(REQUESTS_COLLECTION)).toBe(0)
  await expect(award('o-a', { requestId: 'req-00000009', points: 5000 })).resolves.toEqual(refused)
  expect(callbackRuns).toBe(2)
})

test('under transaction conflicts the callback re-runs, yet one effect commits and the payout follows the commit once', async () => {
  const conflicts = 2
  cloud.store.injectTransactionConflicts(conflicts)
  // When the payout is made, the award must already be committed (visible outside the transaction).
  const committedAtPayout: number[] = []
  const realTransfer = cloud.openapi.transfer.bind(cloud.openapi)
  jest.spyOn(cloud.openapi, 'transfer').mockImplementation(async (input) => {
    committedAtPayout.push(await count('ledger'))
    return realTransfer(input)
  })

  const reply = await award('o-a', { requestId: 'req-conflict1', points: 7 })

  expect(reply).toEqual({ ok: true, data: { balance: 7 } })
  expect(callbackRuns).toBe(conflicts + 1)
  expect(await count('ledger')).toBe(1)
  expect(await count(REQUESTS_COLLECTION)).toBe(1)
  await expect(readDoc(getDb().collection('balances').doc('o-a'))).resolves.toMatchObject({
    points: 7,
  })
  expect(cloud.openapi.log.transfers).toEqual([
    { billNo: 'award:o-a:req-conflict1', openid: 'o-a', amountFen: 70 },
  ])
  expect(committedAtPayout).toEqual([1])

  // The client retries (say its network dropped the reply): same result, no new effect.
  await expect(award('o-a', { requestId: 'req-conflict1', points: 7 })).resolves.toEqual(reply)
  expect(callbackRuns).toBe(conflicts + 1) // the stored result answered; the writes did not run
  expect(await count('ledger')).toBe(1)
  expect(cloud.openapi.log.transfers).toHaveLength(1) // WeChat Pay deduplicates by out_bill_no
})

test('the same requestId sent twice at once has one effect and both get the same result', async () => {
  const [a, b] = await Promise.all([
    award('o-a', { requestId: 'req-parallel', points: 4 }),
    award('o-a', { requestId: 'req-parallel', points: 4 }),
  ])
  expect(a).toEqual({ ok: true, data: { balance: 4 } })
  expect(b).toEqual(a)
  expect(await count('ledger')).toBe(1)
  expect(await count(REQUESTS_COLLECTION)).toBe(1)
})

test('when a parallel call commits the same requestId between the check and the insert, its result wins', async () => {
  const key = 'wallet.award:o-a:req-raced01'
  const reply = await cloud.runAs({ openid: 'o-a' }, () =>
    runOnce({ requestId: 'req-raced01', scope: 'wallet.award', input: {} }, async (tx) => {
      callbackRuns += 1
      if (callbackRuns === 1) {
        // The other call's whole transaction lands right now, outside ours.
        await getDb()
          .collection(REQUESTS_COLLECTION)
          .add({ data: { _id: key, result: { balance: 99 }, createdAt: new Date() } })
      }
      await tx.collection('ledger').add({ data: { openid: 'o-a', points: 1 } })
      return { balance: 1 }
    }),
  )
  expect(reply).toEqual({ balance: 99 })
  expect(await count('ledger')).toBe(0)
})

test('conflicts beyond the SDK re-runs are absorbed by further rounds after a pause', async () => {
  cloud.store.injectTransactionConflicts(10) // the SDK's default is 1 run + 3 re-runs
  const reply = await award('o-a', { requestId: 'req-conflict3', points: 3 })
  expect(reply).toEqual({ ok: true, data: { balance: 3 } })
  expect(callbackRuns).toBe(11)
  expect(await count('ledger')).toBe(1)
})

test('more conflicts than every round allows reply CONFLICT with nothing written; the same requestId then succeeds', async () => {
  const runsPerRound = 4 // the SDK's default: 1 run + 3 re-runs
  cloud.store.injectTransactionConflicts(CONFLICT_ROUNDS * runsPerRound)
  const reply = await award('o-a', { requestId: 'req-conflict2', points: 3 })
  expect(reply).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  expect(callbackRuns).toBeLessThanOrEqual(CONFLICT_ROUNDS * runsPerRound)
  expect(await count('ledger')).toBe(0)
  expect(await count(REQUESTS_COLLECTION)).toBe(0)
  expect(cloud.openapi.log.transfers).toHaveLength(0)

  await expect(award('o-a', { requestId: 'req-conflict2', points: 3 })).resolves.toEqual({
    ok: true,
    data: { balance: 3 },
  })
})

test('conflictRetries lets a hot transaction re-run more often', async () => {
  cloud.store.injectTransactionConflicts(6)
  const result = await cloud.runAs({ openid: 'o-a' }, () =>
    runOnce(
      { requestId: 'req-hot00001', scope: 'wallet.award', input: {} },
      async (tx) => {
        callbackRuns += 1
        await tx.collection('ledger').add({ data: { openid: 'o-a', points: 1 } })
        return { runs: callbackRuns }
      },
      { conflictRetries: 6 },
    ),
  )
  expect(result).toEqual({ runs: 7 })
  expect(await count('ledger')).toBe(1)
})

test('the same requestId with a different input is IDEMPOTENCY_MISMATCH and changes nothing', async () => {
  const first = await award('o-a', { requestId: 'req-mismatch', points: 5 })
  expect(first).toEqual({ ok: true, data: { balance: 5 } })
  const other = await award('o-a', { requestId: 'req-mismatch', points: 7 })
  expect(other).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_MISMATCH' } })
  expect(callbackRuns).toBe(1)
  expect(await count('ledger')).toBe(1)
  expect(cloud.openapi.log.transfers).toHaveLength(1)
  await expect(readDoc(getDb().collection('balances').doc('o-a'))).resolves.toMatchObject({
    points: 5,
  })
  // The first input still gets its first result.
  await expect(award('o-a', { requestId: 'req-mismatch', points: 5 })).resolves.toEqual(first)
})

test('a record stored before fingerprints answers any input with its result', async () => {
  const key = 'wallet.award:o-a:req-legacy01'
  await getDb()
    .collection(REQUESTS_COLLECTION)
    .add({ data: { _id: key, result: { balance: 42 }, createdAt: new Date() } })
  await expect(award('o-a', { requestId: 'req-legacy01', points: 9 })).resolves.toEqual({
    ok: true,
    data: { balance: 42 },
  })
  expect(callbackRuns).toBe(0)
})

test('fingerprintOf ignores key order and the requestId, not values or array order', () => {
  const a = fingerprintOf({ requestId: 'r-00000001', b: [1, { y: 2, x: 1 }], a: 'x' })
  expect(fingerprintOf({ a: 'x', b: [1, { x: 1, y: 2 }], requestId: 'r-00000002' })).toBe(a)
  expect(fingerprintOf({ a: 'x', b: [1, { x: 1, y: 2 }] })).toBe(a)
  expect(fingerprintOf({ a: 'x', b: [1, { x: 1, y: 2 }], c: undefined })).toBe(a)
  expect(fingerprintOf({ a: 'x', b: [{ x: 1, y: 2 }, 1] })).not.toBe(a)
  expect(fingerprintOf({ a: 'x', b: [1, { x: 1, y: 3 }] })).not.toBe(a)
  expect(a).toMatch(/^[0-9a-f]{64}$/)
})
