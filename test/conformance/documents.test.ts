// Conformance: add, doc get/set/update/remove, serverDate, update operators — through the real SDK.
import { openLocalCloud, sdkError, type SdkDb } from './local-cloud'
import type { LocalCloud } from '../../emulator'

const FIXED_NOW = Date.parse('2024-07-17T08:00:00+08:00')
let local: LocalCloud
let db: SdkDb

beforeEach(() => {
  ;({ local, db } = openLocalCloud([{ collection: 'items' }], () => FIXED_NOW))
})
afterEach(() => local.close())

type Item = Record<string, unknown>
const getItem = async (id: string) => (await db.collection('items').doc(id).get()).data as Item

describe('add', () => {
  it('generates a 32-hex _id and stores the document with its types', async () => {
    const res = await db
      .collection('items')
      .add({ data: { n: 1, s: 'a', d: new Date(0), nested: { x: [1, 2] } } })
    expect(res._id).toMatch(/^[0-9a-f]{32}$/)
    const doc = await getItem(res._id as string)
    expect(doc).toEqual({ _id: res._id, n: 1, s: 'a', d: new Date(0), nested: { x: [1, 2] } })
    expect(doc.d).toBeInstanceOf(Date)
  })

  it('keeps a client-chosen _id and refuses a second document with it', async () => {
    await db.collection('items').add({ data: { _id: 'fixed', n: 1 } })
    const err = await sdkError(db.collection('items').add({ data: { _id: 'fixed', n: 2 } }))
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/E11000 duplicate key error collection: items index: _id_/)
    expect((await getItem('fixed')).n).toBe(1)
  })

  it('replaces db.serverDate() with the server clock, offset included', async () => {
    const { _id } = await db.collection('items').add({
      data: {
        at: db.serverDate(), // The SDK types serverDate without its documented offset option.
        later: (db.serverDate as (o: { offset: number }) => unknown)({ offset: 60_000 }),
      },
    })
    const doc = await getItem(_id as string)
    expect(doc.at).toEqual(new Date(FIXED_NOW))
    expect(doc.later).toEqual(new Date(FIXED_NOW + 60_000))
  })
})

describe('doc get / set / update / remove', () => {
  it('get of a missing document fails like CloudBase', async () => {
    const err = await sdkError(db.collection('items').doc('missing').get())
    expect(err.errMsg).toMatch(/does not exist/)
  })

  it('set creates, then replaces the whole document', async () => {
    const created = await db
      .collection('items')
      .doc('k')
      .set({ data: { a: 1, b: 2 } })
    expect(created.stats).toMatchObject({ updated: 0 })
    expect(created._id).toBe('k')
    await db
      .collection('items')
      .doc('k')
      .set({ data: { c: 3 } })
    expect(await getItem('k')).toEqual({ _id: 'k', c: 3 })
  })

  it('update merges fields, reports what changed, and leaves missing documents alone', async () => {
    await db
      .collection('items')
      .doc('k')
      .set({ data: { a: 1, nested: { x: 1, y: 2 } } })
    const res = await db
      .collection('items')
      .doc('k')
      .update({ data: { nested: { x: 5 }, b: 'new' } })
    expect(res.stats.updated).toBe(1)
    expect(await getItem('k')).toEqual({ _id: 'k', a: 1, nested: { x: 5, y: 2 }, b: 'new' })
    const same = await db
      .collection('items')
      .doc('k')
      .update({ data: { a: 1 } })
    expect(same.stats.updated).toBe(0)
    const missing = await db
      .collection('items')
      .doc('nope')
      .update({ data: { a: 1 } })
    expect(missing.stats.updated).toBe(0)
    expect((await db.collection('items').where({ _id: 'nope' }).count()).total).toBe(0)
  })

  it('remove deletes one document', async () => {
    await db
      .collection('items')
      .doc('k')
      .set({ data: { a: 1 } })
    const res = await db.collection('items').doc('k').remove()
    expect(res.stats.removed).toBe(1)
    expect((await db.collection('items').count()).total).toBe(0)
  })
})

describe('update operators', () => {
  const _ = () => db.command

  beforeEach(async () => {
    await db
      .collection('items')
      .doc('k')
      .set({ data: { n: 10, tags: ['a', 'b'], gone: true, deep: { c: 1 } } })
  })

  it('inc and set (with dot paths)', async () => {
    await db
      .collection('items')
      .doc('k')
      .update({ data: { n: _().inc(-3), 'deep.c': _().set(7) } })
    expect(await getItem('k')).toMatchObject({ n: 7, deep: { c: 7 } })
  })

  it('set replaces an object value instead of merging it', async () => {
    await db
      .collection('items')
      .doc('k')
      .update({ data: { deep: _().set({ z: 1 }) } })
    expect((await getItem('k')).deep).toEqual({ z: 1 })
  })

  it('push, pull, addToSet', async () => {
    await db
      .collection('items')
      .doc('k')
      .update({ data: { tags: _().push(['c', 'd']) } })
    expect((await getItem('k')).tags).toEqual(['a', 'b', 'c', 'd'])
    await db
      .collection('items')
      .doc('k')
      .update({ data: { tags: _().pull('b') } })
    expect((await getItem('k')).tags).toEqual(['a', 'c', 'd'])
    await db
      .collection('items')
      .doc('k')
      .update({ data: { tags: _().addToSet('a') } })
    await db
      .collection('items')
      .doc('k')
      .update({ data: { tags: _().addToSet('e') } })
    expect((await getItem('k')).tags).toEqual(['a', 'c', 'd', 'e'])
  })

  it('remove deletes a field', async () => {
    await db
      .collection('items')
      .doc('k')
      .update({ data: { gone: _().remove() } })
    expect(await getItem('k')).not.toHaveProperty('gone')
  })

  it('serverDate inside an update', async () => {
    await db
      .collection('items')
      .doc('k')
      .update({ data: { touchedAt: db.serverDate() } })
    expect((await getItem('k')).touchedAt).toEqual(new Date(FIXED_NOW))
  })

  it('the op counter sees one request per SDK call', async () => {
    local.store.resetOps()
    await db
      .collection('items')
      .doc('k')
      .update({ data: { n: _().inc(1) } })
    await getItem('k')
    expect(local.store.ops).toEqual({ 'database.modifyDocument': 1, 'database.getDocument': 1 })
  })
})

describe('a document read by its _id is handed over as stored', () => {
  it('gives the same value as a query does: dates, nesting, arrays, counters SQLite added to', async () => {
    const _ = db.command
    await db
      .collection('items')
      .doc('r')
      .set({
        data: {
          at: new Date('2024-07-20T10:00:00.123Z'),
          whole: new Date('2024-07-20T10:00:00Z'),
          answers: { q1: 'a', q2: [1, 2], q3: { provinceCode: '440000' } },
          n: 1.5,
          nil: null,
        },
      })
    await db.runTransaction(async (t) => {
      await t
        .collection('items')
        .doc('r')
        .update({ data: { 'stats.440100.valid': _.inc(2) } })
    })
    const viaQuery = (await db.collection('items').where({ n: 1.5 }).get()).data[0]
    const viaId = await getItem('r')
    const inTxn = await db.runTransaction(
      async (t) => (await t.collection('items').doc('r').get()).data,
    )
    expect(viaId).toEqual(viaQuery)
    expect(inTxn).toEqual(viaQuery)
    expect(viaId).toEqual({
      _id: 'r',
      at: new Date('2024-07-20T10:00:00.123Z'),
      whole: new Date('2024-07-20T10:00:00Z'),
      answers: { q1: 'a', q2: [1, 2], q3: { provinceCode: '440000' } },
      n: 1.5,
      nil: null,
      stats: { '440100': { valid: 2 } },
    })
  })
})
