// Conformance: the management surface a deploy and the data export use — a fresh local cloud with
// no collections refuses what CloudBase refuses before a deploy, and creating collections and
// indexes, dropping an index, and moving documents in and out as EJSON behave like the
// corresponding CloudBase operations (CreateIndexes/DropIndexes, import/export).
import { cloud, openLocalCloud, sdkError, type SdkDb } from './local-cloud'
import type { LocalCloud } from '../../emulator'
import type { IndexDeclaration } from '../../emulator/db/collections'

let local: LocalCloud
let db: SdkDb

const GEO: IndexDeclaration = {
  name: 'location_2dsphere',
  unique: false,
  keys: [{ field: 'location', direction: '2dsphere' }],
}
const CODE: IndexDeclaration = {
  name: 'code',
  unique: true,
  keys: [{ field: 'code', direction: 1 }],
}

beforeEach(() => {
  ;({ local, db } = openLocalCloud([]))
})
afterEach(() => local.close())

describe('a fresh local cloud, before any deploy', () => {
  it('has no collections, and reads and writes of one fail as CloudBase fails them', async () => {
    expect(local.store.collectionNames()).toEqual([])
    const write = await sdkError(db.collection('stores').add({ data: { code: 'a' } }))
    expect(write.errCode).toBe(-502005)
    const read = await sdkError(db.collection('stores').where({ code: 'a' }).get())
    expect(read.errCode).toBe(-502005)
  })
})

describe('indexes by name', () => {
  beforeEach(() => local.store.createCollection('stores'))

  it('lists what was created, unique and 2dsphere included', () => {
    local.store.addIndex('stores', CODE)
    local.store.addIndex('stores', GEO)
    expect(local.store.listIndexes('stores')).toEqual([CODE, GEO])
  })

  it('a unique index refuses a duplicate until it is dropped', async () => {
    local.store.addIndex('stores', CODE)
    await db.collection('stores').add({ data: { code: 'a' } })
    const dup = await sdkError(db.collection('stores').add({ data: { code: 'a' } }))
    expect(dup.errMsg).toMatch(/E11000 duplicate key error collection: stores index: code/)
    local.store.dropIndex('stores', 'code')
    expect(local.store.listIndexes('stores')).toEqual([])
    await db.collection('stores').add({ data: { code: 'a' } })
    expect((await db.collection('stores').where({ code: 'a' }).count()).total).toBe(2)
  })

  it('creating a unique index over duplicates fails, as CloudBase’s CreateIndexes does', async () => {
    await db.collection('stores').add({ data: { code: 'a' } })
    await db.collection('stores').add({ data: { code: 'a' } })
    expect(() => local.store.addIndex('stores', CODE)).toThrow(/E11000/)
    expect(local.store.listIndexes('stores')).toEqual([])
  })

  it('a geo query needs the 2dsphere index: answered with it, refused once it is dropped', async () => {
    local.store.addIndex('stores', GEO)
    await db.collection('stores').add({ data: { location: new db.Geo.Point(113.3, 23.1) } })
    const near = () =>
      db
        .collection('stores')
        .where({
          location: db.command.geoNear({
            geometry: new db.Geo.Point(113.3, 23.1),
            maxDistance: 1000,
          }),
        })
        .get()
    expect((await near()).data).toHaveLength(1)
    local.store.dropIndex('stores', GEO.name)
    expect((await sdkError(near())).errMsg).toMatch(/unable to find index for \$geoNear query/)
  })

  it('dropping an index that does not exist fails', () => {
    expect(() => local.store.dropIndex('stores', 'nope')).toThrow(/has no index nope/)
  })
})

describe('documents out and in as EJSON text', () => {
  beforeEach(() => {
    local.store.createCollection('stores')
    local.store.addIndex('stores', CODE)
    local.store.addIndex('stores', GEO)
  })

  it('exports ordered by _id and imports byte for byte: dates and Points survive', async () => {
    await db
      .collection('stores')
      .doc('b')
      .set({
        data: {
          code: 'b',
          at: new Date('2025-03-01T02:00:00Z'),
          location: new db.Geo.Point(113, 23),
        },
      })
    await db
      .collection('stores')
      .doc('a')
      .set({ data: { code: 'a', n: 1.5, tags: ['x'] } })
    const texts = [...local.store.exportDocuments('stores')]
    expect(texts.map((t) => JSON.parse(t)._id)).toEqual(['a', 'b'])

    const { local: other, db: otherDb } = openLocalCloud([
      { collection: 'stores', indexes: [CODE, GEO] },
    ])
    expect(other.store.importDocuments('stores', texts)).toBe(2)
    expect([...other.store.exportDocuments('stores')]).toEqual(texts)
    const b = (await otherDb.collection('stores').doc('b').get()).data as Record<string, unknown>
    expect(b.at).toEqual(new Date('2025-03-01T02:00:00Z'))
    const near = await otherDb
      .collection('stores')
      .where({ location: otherDb.command.geoNear({ geometry: new otherDb.Geo.Point(113, 23) }) })
      .get()
    expect(near.data.map((d) => d._id)).toEqual(['b'])
    other.close()
  })

  it('an import replaces a document with the same _id and checks unique indexes', async () => {
    await db
      .collection('stores')
      .doc('a')
      .set({ data: { code: 'a' } })
    await db
      .collection('stores')
      .doc('b')
      .set({ data: { code: 'b' } })
    local.store.importDocuments('stores', [JSON.stringify({ _id: 'a', code: 'a2' })])
    expect((await db.collection('stores').doc('a').get()).data).toEqual({ _id: 'a', code: 'a2' })
    expect(() =>
      local.store.importDocuments('stores', [JSON.stringify({ _id: 'c', code: 'b' })]),
    ).toThrow(/E11000/)
    // One transaction: nothing of a refused import is written.
    expect(() =>
      local.store.importDocuments('stores', [
        JSON.stringify({ _id: 'd', code: 'd' }),
        JSON.stringify({ _id: 'e', code: 'b' }),
      ]),
    ).toThrow(/E11000/)
    expect((await db.collection('stores').where({ _id: 'd' }).count()).total).toBe(0)
  })
})

describe('what a deploy records beside the data', () => {
  it('keeps security rules and function manifests by name', () => {
    local.store.setManagement('rule', 'stores', '{"read":false,"write":false}')
    local.store.setManagement('function', 'store', '{"bundleSha256":"ab"}')
    expect(local.store.management('rule')).toEqual({ stores: '{"read":false,"write":false}' })
    local.store.setManagement('rule', 'stores', null)
    expect(local.store.management('rule')).toEqual({})
    expect(Object.keys(local.store.management('function'))).toEqual(['store'])
  })
})

void cloud
