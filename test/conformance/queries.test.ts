// Conformance: where with every supported operator, dot paths, orderBy/skip/limit/field, count,
// where-update and where-remove, aggregate — through the real SDK.
import { openLocalCloud, sdkError, type SdkDb } from './local-cloud'
import type { LocalCloud } from '../../emulator'

let local: LocalCloud
let db: SdkDb

const PEOPLE = [
  {
    _id: 'p1',
    name: 'Li Lei',
    age: 31,
    city: { province: '广东', code: '440100' },
    tags: ['volunteer'],
  },
  { _id: 'p2', name: 'Han Meimei', age: 25, city: { province: '北京', code: '110100' }, tags: [] },
  { _id: 'p3', name: 'Wang Fang', age: 42, city: { province: '广东', code: '440300' }, note: null },
  {
    _id: 'p4',
    name: 'Zhao Qiang',
    age: 18,
    city: { province: '四川', code: '510100' },
    tags: ['lecturer'],
  },
]

beforeEach(async () => {
  ;({ local, db } = openLocalCloud([
    {
      collection: 'people',
      indexes: [
        { name: 'province', unique: false, keys: [{ field: 'city.province', direction: 1 }] },
      ],
    },
  ]))
  for (const p of PEOPLE) await db.collection('people').add({ data: p })
})
afterEach(() => local.close())

async function ids(where: object): Promise<string[]> {
  const res = await db.collection('people').where(where).get()
  return (res.data as Array<{ _id: string }>).map((d) => d._id).sort()
}

describe('where', () => {
  const _ = () => db.command

  it.each([
    ['eq', () => ({ age: _().eq(25) }), ['p2']],
    ['plain equality', () => ({ name: 'Wang Fang' }), ['p3']],
    ['neq', () => ({ age: _().neq(25) }), ['p1', 'p3', 'p4']],
    ['gt', () => ({ age: _().gt(31) }), ['p3']],
    ['gte', () => ({ age: _().gte(31) }), ['p1', 'p3']],
    ['lt', () => ({ age: _().lt(25) }), ['p4']],
    ['lte', () => ({ age: _().lte(25) }), ['p2', 'p4']],
    ['in', () => ({ age: _().in([18, 42]) }), ['p3', 'p4']],
    ['nin', () => ({ age: _().nin([18, 42]) }), ['p1', 'p2']],
    ['and (chained)', () => ({ age: _().gt(20).and(_().lt(40)) }), ['p1', 'p2']],
    ['or (top level)', () => _().or([{ age: _().lt(20) }, { name: 'Li Lei' }]), ['p1', 'p4']],
    ['exists true', () => ({ note: _().exists(true) }), ['p3']],
    ['exists false', () => ({ tags: _().exists(false) }), ['p3']],
    ['RegExp literal', () => ({ name: /^wang/i }), ['p3']],
    ['db.RegExp', () => ({ name: db.RegExp({ regexp: 'mei', options: 'i' }) }), ['p2']],
    ['dot path', () => ({ 'city.code': '440300' }), ['p3']],
    ['nested object path', () => ({ city: { province: '四川' } }), ['p4']],
    ['array contains', () => ({ tags: 'lecturer' }), ['p4']],
  ])('%s', async (_name, where, expected) => {
    expect(await ids(where())).toEqual(expected)
  })

  it('orderBy, skip, limit and field', async () => {
    const res = await db
      .collection('people')
      .orderBy('age', 'desc')
      .skip(1)
      .limit(2)
      .field({ name: true })
      .get()
    expect(res.data).toEqual([
      { _id: 'p1', name: 'Li Lei' },
      { _id: 'p2', name: 'Han Meimei' },
    ])
  })

  it('orderBy on two fields (strings in code-point order, as MongoDB sorts them)', async () => {
    const res = await db
      .collection('people')
      .orderBy('city.province', 'asc')
      .orderBy('age', 'desc')
      .get()
    expect((res.data as Array<{ _id: string }>).map((d) => d._id)).toEqual(['p2', 'p4', 'p3', 'p1'])
  })

  it('count', async () => {
    expect((await db.collection('people').where({ 'city.province': '广东' }).count()).total).toBe(2)
    expect((await db.collection('people').count()).total).toBe(4)
  })

  it('where().update() changes every match; where().remove() removes every match', async () => {
    const upd = await db
      .collection('people')
      .where({ 'city.province': '广东' })
      .update({ data: { region: 'south' } })
    expect(upd.stats.updated).toBe(2)
    expect(await ids({ region: 'south' })).toEqual(['p1', 'p3'])
    const rem = await db
      .collection('people')
      .where({ age: db.command.lt(30) })
      .remove()
    expect(rem.stats.removed).toBe(2)
    expect(await ids({})).toEqual(['p1', 'p3'])
  })

  it('a query on an indexed field is planned on its index', () => {
    expect(local.store.explain('people', { 'city.province': '广东' }).join(' ')).toMatch(
      /USING INDEX ix_people_province/,
    )
    expect(local.store.explain('people', { _id: 'p1' }).join(' ')).toMatch(
      /USING INDEX sqlite_autoindex/,
    )
    expect(local.store.explain('people', { name: 'x' }).join(' ')).toMatch(/SCAN/)
  })

  it('a keyset page (_id > last, ordered by _id) starts at last in the primary key', async () => {
    const page = async (where: object, limit: number) =>
      (
        (await db.collection('people').where(where).orderBy('_id', 'asc').limit(limit).get())
          .data as Array<{ _id: string }>
      ).map((d) => d._id)
    expect(await page({ _id: _().gt('p1') }, 2)).toEqual(['p2', 'p3'])
    expect(await page({ _id: _().gt('p2'), 'city.province': '广东' }, 1)).toEqual(['p3'])
    expect(await page({ _id: _().gte('p2').and(_().lt('p4')) }, 10)).toEqual(['p2', 'p3'])
    expect(await page({ _id: _().gt('p4') }, 10)).toEqual([])
    expect(await page({ _id: _().gt(1) }, 10)).toEqual([]) // strings never compare with numbers
    // Without this a page of an export read the collection from its start (quadratic export).
    expect(local.store.explain('people', { _id: { $gt: 'p2' } }).join(' ')).toMatch(
      /USING INDEX sqlite_autoindex\S* \(id>\?\)/,
    )
  })

  it('an indexed query still applies full MongoDB semantics to the candidates', async () => {
    expect(await ids({ 'city.province': '广东', age: db.command.gt(40) })).toEqual(['p3'])
    expect(await ids({ 'city.province': db.command.in(['北京', '四川']) })).toEqual(['p2', 'p4'])
  })
})

describe('aggregate', () => {
  it('match, group, sort', async () => {
    const $ = db.command.aggregate
    const res = await db
      .collection('people')
      .aggregate()
      .match({ age: db.command.gte(18) })
      .group({ _id: '$city.province', people: $.sum(1), oldest: $.max('$age') })
      .sort({ people: -1, _id: 1 })
      .end()
    expect(res.list).toEqual([
      { _id: '广东', people: 2, oldest: 42 },
      { _id: '北京', people: 1, oldest: 25 },
      { _id: '四川', people: 1, oldest: 18 },
    ])
  })

  it('count stage', async () => {
    const res = await db
      .collection('people')
      .aggregate()
      .match({ 'city.province': '广东' })
      .count('n')
      .end()
    expect(res.list).toEqual([{ n: 2 }])
  })

  it('an unsupported stage fails loudly instead of answering wrongly', async () => {
    const err = await sdkError(
      db
        .collection('people')
        .aggregate()
        .lookup({ from: 'other', localField: 'a', foreignField: 'b', as: 'c' })
        .end(),
    )
    expect(err.errMsg).toMatch(/aggregate stage \$lookup is not supported/)
  })
})

describe('what the emulator refuses', () => {
  it('geo queries without a 2dsphere index fail as CloudBase fails them (geo.test.ts)', async () => {
    const point = new db.Geo.Point(113.3, 23.1)
    const err = await sdkError(
      db
        .collection('people')
        .where({ loc: db.command.geoNear({ geometry: point }) })
        .get(),
    )
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/unable to find index for \$geoNear query/)
  })

  it('geo operators inside or are not emulated', async () => {
    const point = new db.Geo.Point(113.3, 23.1)
    const err = await sdkError(
      db
        .collection('people')
        .where(db.command.or([{ loc: db.command.geoNear({ geometry: point }) }, { age: 1 }]))
        .get(),
    )
    expect(err.errMsg).toMatch(/query operator \$nearSphere .* is not supported/)
  })

  it('a collection that was never declared does not exist', async () => {
    const err = await sdkError(db.collection('undeclared').add({ data: { a: 1 } }))
    expect(err.errCode).toBe(-502005)
  })

  it('createCollection makes a new one, and refuses an existing one', async () => {
    await db.createCollection('fresh')
    await db.collection('fresh').add({ data: { a: 1 } })
    expect((await db.collection('fresh').count()).total).toBe(1)
    await expect(db.createCollection('fresh')).rejects.toBeTruthy()
  })
})
