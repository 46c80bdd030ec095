// Conformance through @cloudbase/node-sdk used on its own (the direct dependency, 3.18, beside
// wx-server-sdk's own 3.17.2): the emulator answers it, and its errors reject the way CloudBase's
// replies make node-sdk reject — a TcbError with `code`, `message` and `requestId` — so a failed
// write inside a transaction fails the transaction and nothing of it is written.
import tcb from '@cloudbase/node-sdk'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../../emulator'

type NodeDb = ReturnType<ReturnType<typeof tcb.init>['database']>
/** The transaction runTransaction hands its callback (the typings leave it implicit). */
type NodeTransaction = { collection(name: string): ReturnType<NodeDb['collection']> }
/** Exported by node-sdk (its compatibility switch) but missing from its typings. */
const { setThrowOnCode } = tcb as unknown as { setThrowOnCode(value: boolean): void }

let local: LocalCloud
let db: NodeDb

beforeEach(() => {
  local = startLocalCloud({
    collectionsDir: '/nonexistent',
    collections: [
      { collection: 'accounts', indexes: [] },
      {
        collection: 'codes',
        indexes: [{ name: 'code', unique: true, keys: [{ field: 'code', direction: 1 }] }],
      },
    ],
  })
  db = tcb.init({ env: 'local' }).database()
})
afterEach(() => local.close())

/** What a rejected node-sdk call rejected with. */
async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (e) {
    return e as { code: string; message: string }
  }
  throw new Error('expected the node-sdk call to reject')
}

it('is the node-sdk 3.18 installed as a dependency of its own', () => {
  const pkg = JSON.parse(
    readFileSync(
      path.join(path.dirname(require.resolve('@cloudbase/node-sdk')), '..', 'package.json'),
      'utf8',
    ),
  ) as { version: string }
  expect(pkg.version).toMatch(/^3\.(1[8-9]|[2-9]\d)\./)
  const wxServerSdkCopy = require.resolve('@cloudbase/node-sdk', {
    paths: [path.dirname(require.resolve('wx-server-sdk'))],
  })
  expect(wxServerSdkCopy).not.toBe(require.resolve('@cloudbase/node-sdk'))
})

it('reads and writes the local database, not the network', async () => {
  const added = await db.collection('accounts').add({ _id: 'a', balance: 5 })
  expect(added).toMatchObject({ id: 'a' })
  const res = await db.collection('accounts').doc('a').get()
  expect(res.data).toEqual([{ _id: 'a', balance: 5 }])
  // the store saw it: the same document is there for the local cloud's other clients
  expect(local.store.find('accounts', { _id: 'a' })).toHaveLength(1)
})

it('rejects a write to a missing collection with DATABASE_COLLECTION_NOT_EXIST', async () => {
  const err = await rejection(db.collection('nowhere').add({ x: 1 }))
  expect(err).toBeInstanceOf(Error)
  expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
  expect(err.message).toMatch(/nowhere/)
  const read = await rejection(db.collection('nowhere').where({ x: 1 }).get())
  expect(read.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
})

it('rejects a duplicate key with CloudBase’s E11000 message', async () => {
  await db.collection('codes').add({ code: 'A1' })
  const err = await rejection(db.collection('codes').add({ code: 'A1' }))
  expect(err.code).toBe('DATABASE_REQUEST_FAILED')
  expect(err.message).toMatch(/^E11000 duplicate key error collection: codes index: code/)
  expect((await db.collection('codes').count()).total).toBe(1)
})

it('rejects an unsupported operator', async () => {
  const err = await rejection(
    db
      .collection('accounts')
      .where({ balance: { $where: 'this.balance > 1' } })
      .get(),
  )
  expect(err.code).toMatch(/^DATABASE_/)
  expect(err.message).toBeTruthy()
})

it('rolls a transaction back when one of its writes fails: nothing is half-written', async () => {
  await db.collection('codes').add({ _id: 'taken', code: 'DUP' })
  await db.collection('accounts').add({ _id: 'a', balance: 100 })
  const err = await rejection(
    db.runTransaction(async (t: NodeTransaction) => {
      await t.collection('accounts').doc('a').update({ balance: 0 })
      // the second write breaks the unique index; its rejection ends the callback
      await t.collection('codes').add({ _id: 'mine', code: 'DUP' })
    }),
  )
  expect(err.message).toMatch(/E11000|duplicate/)
  const a = await db.collection('accounts').doc('a').get()
  expect(a.data).toEqual([{ _id: 'a', balance: 100 }])
  expect((await db.collection('codes').count()).total).toBe(1)
})

it('rolls back a transaction whose write goes to a missing collection', async () => {
  await db.collection('accounts').add({ _id: 'a', balance: 100 })
  await rejection(
    db.runTransaction(async (t: NodeTransaction) => {
      await t.collection('accounts').doc('a').update({ balance: 1 })
      await t.collection('nowhere').add({ x: 1 })
    }),
  )
  expect((await db.collection('accounts').doc('a').get()).data).toEqual([
    { _id: 'a', balance: 100 },
  ])
})

it('keeps node-sdk’s compatibility switch: setThrowOnCode(false) resolves the reply', async () => {
  setThrowOnCode(false)
  try {
    const res = (await db.collection('nowhere').add({ x: 1 })) as { code?: string }
    expect(res.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
  } finally {
    setThrowOnCode(true)
  }
})

it('reads the web caller through auth().getUserInfo() inside a request', async () => {
  const app = tcb.init({ env: 'local' })
  const seen = await local.runAs({ openid: '', webUid: 'desk-0001' }, async () =>
    app.auth().getUserInfo(),
  )
  expect(seen).toMatchObject({ uid: 'desk-0001', customUserId: 'desk-0001', openId: '' })
  const wechat = await local.runAs({ openid: 'o-someone' }, async () => app.auth().getUserInfo())
  expect(wechat).toMatchObject({ uid: '', customUserId: '', openId: 'o-someone' })
})
