// server/db.ts against the real SDK on the local cloud: how a unique-index violation is
// recognised, and the pinned server clock.
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { getDb, isDuplicateKeyError, now, readDoc, setClockForTests } from '../../server/db'

let cloud: LocalCloud
beforeEach(() => {
  cloud = startLocalCloud()
})
afterEach(() => {
  setClockForTests(undefined)
  cloud.close()
})

async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

test('a second insert of the same _id is recognised as a duplicate key error', async () => {
  const campaigns = getDb().collection('campaigns')
  await campaigns.add({ data: { _id: 'dup' } })
  const err = await caught(async () => campaigns.add({ data: { _id: 'dup' } }))
  expect(err).toMatchObject({ errCode: -502001 })
  expect(isDuplicateKeyError(err)).toBe(true)
})

test('other database errors and non-errors are not duplicate key errors', async () => {
  const missing = await caught(async () => getDb().collection('no_such_thing').add({ data: {} }))
  expect(isDuplicateKeyError(missing)).toBe(false)
  expect(isDuplicateKeyError(new Error('boom'))).toBe(false)
  expect(isDuplicateKeyError({ errCode: -1, errMsg: 'E11000 duplicate key error' })).toBe(false)
  expect(isDuplicateKeyError(null)).toBe(false)
  expect(isDuplicateKeyError('E11000 duplicate key error')).toBe(false)
})

test('readDoc gives null for a missing document instead of throwing', async () => {
  await expect(readDoc(getDb().collection('campaigns').doc('nope'))).resolves.toBeNull()
})

test('the server clock can be pinned to an instant or a function, and unpinned', () => {
  setClockForTests(new Date('2024-07-17T00:00:00+08:00'))
  expect(now().toISOString()).toBe('2024-07-16T16:00:00.000Z')
  let t = 0
  setClockForTests(() => (t += 1000))
  expect(now().getTime()).toBe(1000)
  expect(now().getTime()).toBe(2000)
  setClockForTests(undefined)
  expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(60_000)
})
