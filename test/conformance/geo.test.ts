// Conformance: geo queries through the real SDK — db.Geo.Point values, db.command.geoNear /
// geoWithin in where, the aggregate geoNear stage — on a collection with a 2dsphere index, and
// CloudBase's refusal without one. Expected answers come from a brute-force haversine here.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import type { IndexDeclaration } from '../../emulator/db/collections'
import { cloud, openLocalCloud, sdkError, type SdkDb } from './local-cloud'

let local: LocalCloud
let db: SdkDb

const R = 6_378_100 // MongoDB's 2dsphere radius, metres
const GEO_INDEX: IndexDeclaration = {
  name: 'location_2dsphere',
  unique: false,
  keys: [{ field: 'location', direction: '2dsphere' }],
}
const STORE_INDEXES: IndexDeclaration[] = [
  GEO_INDEX,
  { name: 'region', unique: false, keys: [{ field: 'region', direction: 1 }] },
  { name: 'code', unique: true, keys: [{ field: 'code', direction: 1 }] },
]

function distance(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLng = (b[0] - a[0]) * rad
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * R * Math.asin(Math.sqrt(h))
}

// A deterministic spread of stores around Guangzhou (about 60 × 60 km).
function prng(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648
    return s / 2_147_483_648
  }
}
interface Store {
  _id: string
  code: string
  region: string
  active: boolean
  at: [number, number]
}
const rand = prng(42)
const STORES: Store[] = Array.from({ length: 200 }, (_, i) => ({
  _id: `s${String(i).padStart(3, '0')}`,
  code: `C${i}`,
  region: i % 3 === 0 ? '440100' : '440300',
  active: i % 4 !== 0,
  at: [113.0 + rand() * 0.6, 22.9 + rand() * 0.6] as [number, number],
}))
const HERE: [number, number] = [113.3, 23.2]

beforeEach(async () => {
  ;({ local, db } = openLocalCloud([
    { collection: 'stores', indexes: STORE_INDEXES },
    { collection: 'plain' },
    {
      collection: 'twoGeo',
      indexes: [
        GEO_INDEX,
        { name: 'home', unique: false, keys: [{ field: 'home', direction: '2dsphere' }] },
      ],
    },
  ]))
  const coll = db.collection('stores')
  for (const s of STORES) {
    await coll.add({
      data: {
        _id: s._id,
        code: s.code,
        region: s.region,
        active: s.active,
        location: db.Geo.Point(s.at[0], s.at[1]),
      },
    })
  }
})
afterEach(() => local.close())

const _ = () => db.command
const point = (at: [number, number]) => db.Geo.Point(at[0], at[1])

/**
 * `_.geoWithin({ centerSphere: [centre, radians] })`: the SDK takes it (a Point or a [lng, lat]
 * pair), but wx-server-sdk's typings only declare `geometry`.
 */
function withinSphere(center: unknown, radians: number) {
  type Options = Parameters<SdkDb['command']['geoWithin']>[0]
  return _().geoWithin({ centerSphere: [center, radians] } as unknown as Options)
}

/** Brute force: ids by distance (ties by _id), within [min, max], passing `keep`. */
function expected(
  from: [number, number],
  opts: { min?: number; max?: number; keep?: (s: Store) => boolean; limit?: number } = {},
): string[] {
  return STORES.map((s) => ({ s, d: distance(from, s.at) }))
    .filter(
      ({ s, d }) =>
        d >= (opts.min ?? 0) && d <= (opts.max ?? Infinity) && (opts.keep ?? (() => true))(s),
    )
    .sort((a, b) => a.d - b.d || (a.s._id < b.s._id ? -1 : 1))
    .slice(0, opts.limit ?? 100)
    .map(({ s }) => s._id)
}

async function nearIds(where: object, limit?: number): Promise<string[]> {
  let q = db.collection('stores').where(where)
  if (limit !== undefined) q = q.limit(limit)
  const res = await q.get()
  return (res.data as Array<{ _id: string }>).map((d) => d._id)
}

/** The R*Tree holds exactly the stored Points, each at its document's row. */
function expectIndexInStep(coll = 'stores', index = 'location_2dsphere', field = 'location'): void {
  const sqlite = local.store.sqlite
  const rows = sqlite
    .prepare(
      `SELECT c.id AS id, json_extract(c.doc, '$.${field}.coordinates[0]') AS lng, ` +
        `json_extract(c.doc, '$.${field}.coordinates[1]') AS lat, g.lng0, g.lng1, g.lat0, g.lat1 ` +
        `FROM "c_${coll}" AS c LEFT JOIN "g_${coll}_${index}" AS g ON g.rid = c.rowid`,
    )
    .all() as Array<{
    id: string
    lng: number | null
    lat: number | null
    lng0: number | null
    lng1: number | null
    lat0: number | null
    lat1: number | null
  }>
  for (const r of rows) {
    if (r.lng === null) {
      expect({ id: r.id, entry: r.lng0 }).toEqual({ id: r.id, entry: null })
      continue
    }
    expect(r.lng0).not.toBeNull()
    expect(r.lng0! <= r.lng && r.lng <= r.lng1! && r.lat0! <= r.lat! && r.lat! <= r.lat1!).toBe(
      true,
    )
  }
  const entries = sqlite.prepare(`SELECT count(*) FROM "g_${coll}_${index}"`).pluck().get()
  expect(entries).toBe(rows.filter((r) => r.lng !== null).length)
}

describe('Geo.Point values', () => {
  it('are stored as GeoJSON and read back as the SDK’s Point', async () => {
    const raw = local.store.find('stores', { _id: 's000' })[0]!
    expect(raw.location).toEqual({ type: 'Point', coordinates: STORES[0]!.at })
    const res = await db.collection('stores').doc('s000').get()
    const loc = (res.data as { location: { longitude: number; latitude: number } }).location
    expect(loc.constructor.name).toBe('Point')
    expect([loc.longitude, loc.latitude]).toEqual(STORES[0]!.at)
    expectIndexInStep()
  })

  it('a value on the indexed path that is not a Point is refused; missing is allowed', async () => {
    const err = await sdkError(
      db.collection('stores').add({
        data: { code: 'bad', location: { type: 'Point', coordinates: [200, 10] } },
      }),
    )
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/Can't extract geo keys/)
    const err2 = await sdkError(
      db
        .collection('stores')
        .doc('s001')
        .update({ data: { location: 'here' } }),
    )
    expect(err2.errMsg).toMatch(/Can't extract geo keys/)
    await db.collection('stores').add({ data: { _id: 'nowhere', code: 'none' } })
    expect(await nearIds({ location: _().geoNear({ geometry: point(HERE) }) }, 1000)).toEqual(
      expected(HERE, { limit: 1000 }),
    )
    expectIndexInStep()
  })
})

describe('where: geoNear', () => {
  it('returns the nearest first; limit applies after the ordering', async () => {
    const where = { location: _().geoNear({ geometry: point(HERE) }) }
    expect(await nearIds(where, 10)).toEqual(expected(HERE, { limit: 10 }))
    expect(await nearIds(where, 1)).toEqual(expected(HERE, { limit: 1 }))
    // the SDK's default limit (100)
    expect(await nearIds(where)).toEqual(expected(HERE, { limit: 100 }))
  })

  it('skip and limit page through the nearest-first order', async () => {
    const res = await db
      .collection('stores')
      .where({ location: _().geoNear({ geometry: point(HERE) }) })
      .skip(5)
      .limit(5)
      .get()
    expect((res.data as Array<{ _id: string }>).map((d) => d._id)).toEqual(
      expected(HERE, { limit: 10 }).slice(5),
    )
  })

  it('maxDistance and minDistance (metres)', async () => {
    const geo = (o: { maxDistance?: number; minDistance?: number }) => ({
      location: _().geoNear({ geometry: point(HERE), ...o }),
    })
    expect(await nearIds(geo({ maxDistance: 5000 }), 1000)).toEqual(
      expected(HERE, { max: 5000, limit: 1000 }),
    )
    expect(await nearIds(geo({ minDistance: 10_000, maxDistance: 20_000 }), 1000)).toEqual(
      expected(HERE, { min: 10_000, max: 20_000, limit: 1000 }),
    )
    expect(await nearIds(geo({ minDistance: 30_000 }), 5)).toEqual(
      expected(HERE, { min: 30_000, limit: 5 }),
    )
    expect(await nearIds(geo({ maxDistance: 1 }), 10)).toEqual(expected(HERE, { max: 1 }))
  })

  it('agrees with brute force from many places, with and without a radius', async () => {
    const r = prng(7)
    for (let i = 0; i < 25; i++) {
      const at: [number, number] = [112.9 + r() * 0.8, 22.8 + r() * 0.8]
      const max = i % 2 === 0 ? undefined : 2000 + r() * 20_000
      const limit = 1 + Math.floor(r() * 30)
      const got = await nearIds(
        {
          location: _().geoNear({ geometry: point(at), ...(max ? { maxDistance: max } : {}) }),
        },
        limit,
      )
      expect(got).toEqual(expected(at, { ...(max ? { max } : {}), limit }))
    }
  })

  it('combines with other conditions (indexed, unindexed, and)', async () => {
    const near = _().geoNear({ geometry: point(HERE), maxDistance: 25_000 })
    expect(await nearIds({ location: near, region: '440100', active: true }, 20)).toEqual(
      expected(HERE, { max: 25_000, limit: 20, keep: (s) => s.region === '440100' && s.active }),
    )
    expect(
      await nearIds(_().and([{ location: near }, { active: false }, { code: _().neq('C0') }]), 20),
    ).toEqual(expected(HERE, { max: 25_000, limit: 20, keep: (s) => !s.active && s.code !== 'C0' }))
  })

  it('an orderBy sorts the matches again', async () => {
    const res = await db
      .collection('stores')
      .where({ location: _().geoNear({ geometry: point(HERE), maxDistance: 8000 }) })
      .orderBy('code', 'asc')
      .limit(1000)
      .get()
    const want = expected(HERE, { max: 8000, limit: 1000 })
      .map((id) => STORES.find((s) => s._id === id)!.code)
      .sort()
    expect((res.data as Array<{ code: string }>).map((d) => d.code)).toEqual(want)
  })

  it('count counts the matches within maxDistance', async () => {
    const res = await db
      .collection('stores')
      .where({ location: _().geoNear({ geometry: point(HERE), maxDistance: 10_000 }) })
      .count()
    expect(res.total).toBe(expected(HERE, { max: 10_000, limit: 1000 }).length)
  })

  it('uses the 2dsphere index (an R*Tree), not a scan', () => {
    const plan = local.store.explain('stores', {
      location: { $nearSphere: { $geometry: { type: 'Point', coordinates: HERE } } },
    })
    expect(plan.join('\n')).toMatch(/VIRTUAL TABLE INDEX/)
  })

  it('across the antimeridian', async () => {
    const coll = db.collection('stores')
    await coll.add({ data: { _id: 'east', code: 'E', location: db.Geo.Point(179.95, 0) } })
    await coll.add({ data: { _id: 'west', code: 'W', location: db.Geo.Point(-179.95, 0) } })
    await coll.add({ data: { _id: 'far', code: 'F', location: db.Geo.Point(179.0, 0) } })
    expect(
      await nearIds({ location: _().geoNear({ geometry: db.Geo.Point(-179.99, 0) }) }, 3),
    ).toEqual(['west', 'east', 'far'])
  })
})

describe('where: geoWithin', () => {
  const square = (lng0: number, lat0: number, lng1: number, lat1: number) =>
    db.Geo.LineString([
      db.Geo.Point(lng0, lat0),
      db.Geo.Point(lng1, lat0),
      db.Geo.Point(lng1, lat1),
      db.Geo.Point(lng0, lat1),
      db.Geo.Point(lng0, lat0),
    ])
  const inBox = (s: Store, b: [number, number, number, number]) =>
    s.at[0] >= b[0] && s.at[0] <= b[2] && s.at[1] >= b[1] && s.at[1] <= b[3]
  const sorted = (ids: string[]) => [...ids].sort()

  it('a Polygon, with a hole, and a MultiPolygon', async () => {
    const outer: [number, number, number, number] = [113.1, 23.0, 113.4, 23.3]
    const hole: [number, number, number, number] = [113.2, 23.1, 113.3, 23.2]
    const poly = db.Geo.Polygon([square(...outer)])
    expect(sorted(await nearIds({ location: _().geoWithin({ geometry: poly }) }, 1000))).toEqual(
      STORES.filter((s) => inBox(s, outer)).map((s) => s._id),
    )
    const holed = db.Geo.Polygon([square(...outer), square(...hole)])
    expect(sorted(await nearIds({ location: _().geoWithin({ geometry: holed }) }, 1000))).toEqual(
      STORES.filter((s) => inBox(s, outer) && !inBox(s, hole)).map((s) => s._id),
    )
    const a: [number, number, number, number] = [113.0, 22.9, 113.1, 23.0]
    const b: [number, number, number, number] = [113.5, 23.4, 113.6, 23.5]
    const multi = db.Geo.MultiPolygon([
      db.Geo.Polygon([square(...a)]),
      db.Geo.Polygon([square(...b)]),
    ])
    expect(
      sorted(await nearIds({ location: _().geoWithin({ geometry: multi }), active: true }, 1000)),
    ).toEqual(STORES.filter((s) => (inBox(s, a) || inBox(s, b)) && s.active).map((s) => s._id))
  })

  it('centerSphere (radius in radians), as a Point or a [lng, lat] pair', async () => {
    const want = sorted(expected(HERE, { max: 12_000, limit: 1000 }))
    expect(
      sorted(await nearIds({ location: withinSphere(point(HERE), 12_000 / R) }, 1000)),
    ).toEqual(want)
    expect(sorted(await nearIds({ location: withinSphere(HERE, 12_000 / R) }, 1000))).toEqual(want)
  })
})

describe('index required, as in CloudBase', () => {
  it('geoNear without a 2dsphere index fails with CloudBase’s planner error', async () => {
    await db.collection('plain').add({ data: { location: db.Geo.Point(113.3, 23.1) } })
    const err = await sdkError(
      db
        .collection('plain')
        .where({ location: _().geoNear({ geometry: point(HERE) }) })
        .get(),
    )
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(/unable to find index for \$geoNear query/)
  })

  it('geoWithin and the aggregate geoNear too; and a geoNear on another field', async () => {
    const within = await sdkError(
      db
        .collection('plain')
        .where({ location: withinSphere(HERE, 0.01) })
        .get(),
    )
    expect(within.errCode).toBe(-502001)
    expect(within.errMsg).toMatch(/unable to find index for \$geoWithin/)
    const agg = await sdkError(
      db
        .collection('plain')
        .aggregate()
        .geoNear({ near: point(HERE), spherical: true, distanceField: 'd' })
        .end(),
    )
    // node-sdk throws CloudBase's error (its TcbError); wx-server-sdk's aggregate, unlike its
    // queries, does not map the code, so a deployed function sees errCode -1 with the message.
    expect(agg.errCode).toBe(-1)
    expect(agg.errMsg).toMatch(/\$geoNear requires a 2d or 2dsphere index/)
    const other = await sdkError(
      db
        .collection('stores')
        .where({ elsewhere: _().geoNear({ geometry: point(HERE) }) })
        .get(),
    )
    expect(other.errMsg).toMatch(/unable to find index for \$geoNear query/)
  })

  it('two geoNear conditions are refused', async () => {
    const err = await sdkError(
      db
        .collection('twoGeo')
        .where({
          location: _().geoNear({ geometry: point(HERE) }),
          home: _().geoNear({ geometry: point(HERE) }),
        })
        .get(),
    )
    expect(err.errMsg).toMatch(/Too many geoNear expressions/)
  })
})

describe('the index follows writes', () => {
  const near = (limit = 1) =>
    nearIds({ location: _().geoNear({ geometry: db.Geo.Point(100, 10) }) }, limit)

  it('update moves a document; set without location, remove and where-remove take it out', async () => {
    const coll = db.collection('stores')
    await coll.doc('s010').update({ data: { location: db.Geo.Point(100, 10) } })
    expect(await near()).toEqual(['s010'])
    await coll.doc('s011').update({ data: { location: db.Geo.Point(100.001, 10) } })
    expect(await near(2)).toEqual(['s010', 's011'])
    // an update elsewhere in the document leaves the entry alone
    await coll.doc('s010').update({ data: { active: false, hours: '9-21' } })
    expect(await near(2)).toEqual(['s010', 's011'])
    await coll.doc('s010').set({ data: { code: 'C10', region: '440100' } })
    expect(await near()).toEqual(['s011'])
    await coll.doc('s011').update({ data: { location: _().remove() } })
    expect(await near()).not.toContain('s011')
    await coll.doc('s012').update({ data: { location: db.Geo.Point(100, 10) } })
    await coll.doc('s012').remove()
    expect(await near()).not.toContain('s012')
    await coll.where({ region: '440300' }).remove()
    expect(await nearIds({ location: _().geoNear({ geometry: point(HERE) }) }, 1000)).toEqual(
      expected(HERE, { limit: 1000, keep: (s) => s.region !== '440300' }).filter(
        (id) => !['s010', 's011', 's012'].includes(id),
      ),
    )
    expectIndexInStep()
  })

  it('where-update of many documents moves them all', async () => {
    await db
      .collection('stores')
      .where({ region: '440100' })
      .update({ data: { location: db.Geo.Point(100, 10) } })
    const ids = await nearIds(
      { location: _().geoNear({ geometry: db.Geo.Point(100, 10), maxDistance: 1 }) },
      1000,
    )
    expect(ids).toEqual(STORES.filter((s) => s.region === '440100').map((s) => s._id))
    expectIndexInStep()
  })

  it('a committed transaction moves the document; a thrown one leaves it where it was', async () => {
    await db.runTransaction(async (t) => {
      await t
        .collection('stores')
        .doc('s020')
        .update({ data: { location: db.Geo.Point(100, 10) } })
    })
    expect(await near()).toEqual(['s020'])
    await expect(
      db.runTransaction(async (t) => {
        await t
          .collection('stores')
          .doc('s021')
          .update({ data: { location: db.Geo.Point(100, 10) } })
        await t.collection('stores').doc('s020').remove()
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    // s020 is still there (the remove was dropped), s021 did not move
    expect(
      await nearIds({
        location: _().geoNear({ geometry: db.Geo.Point(100, 10), maxDistance: 1 }),
      }),
    ).toEqual(['s020'])
    expectIndexInStep()
  })

  it('a commit that fails after moving a document rolls the index back with it', async () => {
    const err = await db
      .runTransaction(async (t) => {
        await t
          .collection('stores')
          .doc('s030')
          .update({ data: { location: db.Geo.Point(100, 10) } })
        await t.collection('stores').add({ data: { _id: 'late', code: 'DUP' } })
        // Someone else takes the code before the commit: the commit's insert fails after the
        // move was written in its savepoint.
        await db.collection('stores').add({ data: { code: 'DUP' } })
      })
      .catch((e: unknown) => e)
    // the commit rejects with CloudBase's error as node-sdk raises it (code + message)
    expect(err).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' })
    expect((err as Error).message).toMatch(
      /E11000 duplicate key error collection: stores index: code/,
    )
    expect(
      await nearIds({
        location: _().geoNear({ geometry: db.Geo.Point(100, 10), maxDistance: 1000 }),
      }),
    ).toEqual([])
    const s030 = STORES.find((s) => s._id === 's030')!
    expect(await nearIds({ location: _().geoNear({ geometry: point(s030.at) }) }, 1)).toEqual([
      's030',
    ])
    expectIndexInStep()
  })
})

describe('aggregate geoNear', () => {
  it('returns the distance in metres at distanceField, nearest first, with query and limit', async () => {
    const res = await db
      .collection('stores')
      .aggregate()
      .geoNear({
        near: point(HERE),
        spherical: true,
        distanceField: 'distance',
        maxDistance: 20_000,
        query: { active: true, region: _().in(['440100', '440300']) },
        limit: 7,
      })
      .end()
    const list = res.list as Array<{ _id: string; distance: number; location: unknown }>
    expect(list.map((d) => d._id)).toEqual(
      expected(HERE, { max: 20_000, limit: 7, keep: (s) => s.active }),
    )
    for (const d of list) {
      const s = STORES.find((x) => x._id === d._id)!
      expect(d.distance).toBeCloseTo(distance(HERE, s.at), 3)
      expect(d.location).toEqual({ type: 'Point', coordinates: s.at })
    }
  })

  it('later stages, a following $limit, distanceMultiplier, includeLocs, a nested distanceField', async () => {
    const res = await db
      .collection('stores')
      .aggregate()
      .geoNear({
        near: point(HERE),
        spherical: true,
        distanceField: 'meta.km',
        distanceMultiplier: 0.001,
        includeLocs: 'where',
      })
      .limit(3)
      .project({ code: 1, meta: 1, where: 1 })
      .end()
    const want = expected(HERE, { limit: 3 })
    expect(res.list).toEqual(
      want.map((id) => {
        const s = STORES.find((x) => x._id === id)!
        return {
          _id: id,
          code: s.code,
          meta: { km: expect.closeTo(distance(HERE, s.at) / 1000, 6) },
          where: { type: 'Point', coordinates: s.at },
        }
      }),
    )
  })

  it('must be the first stage; needs spherical: true; key picks one of several indexes', async () => {
    const notFirst = await sdkError(
      db
        .collection('stores')
        .aggregate()
        .match({ active: true })
        .geoNear({ near: point(HERE), spherical: true, distanceField: 'd' })
        .end(),
    )
    expect(notFirst.errMsg).toMatch(/only valid as the first stage/)
    const notSpherical = await sdkError(
      db
        .collection('stores')
        .aggregate()
        .geoNear({ near: point(HERE), distanceField: 'd' })
        .end(),
    )
    expect(notSpherical.errMsg).toMatch(/spherical must be true/)
    await db.collection('twoGeo').add({
      data: { _id: 'a', location: db.Geo.Point(113.3, 23.2), home: db.Geo.Point(116.4, 39.9) },
    })
    const ambiguous = await sdkError(
      db
        .collection('twoGeo')
        .aggregate()
        .geoNear({ near: point(HERE), spherical: true, distanceField: 'd' })
        .end(),
    )
    expect(ambiguous.errMsg).toMatch(/more than one 2dsphere index/)
    const byHome = await db
      .collection('twoGeo')
      .aggregate()
      .geoNear({ near: point(HERE), spherical: true, distanceField: 'd', key: 'home' })
      .end()
    const d = (byHome.list as Array<{ d: number }>)[0]!.d
    expect(d).toBeCloseTo(distance(HERE, [116.4, 39.9]), 3)
  })
})

describe('a file keeps its geo index', () => {
  it('reopened without the declaration, geoNear still answers from the index', async () => {
    local.close()
    const dir = mkdtempSync(join(tmpdir(), 'wal-geo-'))
    try {
      const file = join(dir, 'geo.sqlite')
      const first = startLocalCloud({
        file,
        collectionsDir: '/nonexistent',
        collections: [{ collection: 'stores', indexes: [GEO_INDEX] }],
      })
      const fdb = cloud.database()
      await fdb.collection('stores').add({ data: { _id: 'x', location: fdb.Geo.Point(1, 1) } })
      await fdb.collection('stores').add({ data: { _id: 'y', location: fdb.Geo.Point(2, 2) } })
      first.close()
      local = startLocalCloud({ file, collectionsDir: '/nonexistent' })
      db = cloud.database()
      expect(
        await nearIds({ location: db.command.geoNear({ geometry: db.Geo.Point(2.1, 2.1) }) }),
      ).toEqual(['y', 'x'])
      expectIndexInStep()
    } finally {
      local.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('declaring the index on a collection with documents indexes them', async () => {
    await db.collection('plain').add({ data: { _id: 'p', location: db.Geo.Point(113.3, 23.2) } })
    local.store.declareCollection({ collection: 'plain', indexes: [GEO_INDEX] })
    const res = await db
      .collection('plain')
      .where({ location: _().geoNear({ geometry: point(HERE) }) })
      .get()
    expect((res.data as Array<{ _id: string }>).map((d) => d._id)).toEqual(['p'])
    expectIndexInStep('plain')
  })
})
