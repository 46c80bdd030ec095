// npm run bench:geo — the nearest 10 pickup stores among 10,000 against the same query among 100,
// through the real wx-server-sdk on the local cloud (2dsphere index, SQLite file in a temp dir).
// Both collections are in one store and queried in alternating rounds after a warm-up, so the
// machine's drift hits both alike. Two query shapes: `where({ location: _.geoNear(…) }).limit(10)`
// and the aggregate `geoNear` stage with `limit: 10` and a distance field (the store list's).
// The issue's bar: the 10,000-store query within 3× of the 100-store one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cloud from 'wx-server-sdk'
import { startLocalCloud } from '../../emulator'
import { percentileOf } from './stats'

const SIZES = [100, 10_000] as const
const ROUNDS = 12
const WARMUP_ROUNDS = 2
const QUERIES_PER_ROUND = 150
const BAR = 3

// Stores spread around 20 city centres (normal, σ ≈ 8 km), users around the same cities (σ ≈ 15 km).
const CITIES: Array<[number, number]> = [
  [113.26, 23.13],
  [114.06, 22.54],
  [116.4, 39.9],
  [121.47, 31.23],
  [104.07, 30.57],
  [120.15, 30.28],
  [114.3, 30.59],
  [108.94, 34.34],
  [118.8, 32.06],
  [117.2, 39.13],
  [106.55, 29.56],
  [112.94, 28.23],
  [113.62, 34.75],
  [123.43, 41.8],
  [126.53, 45.8],
  [102.71, 25.04],
  [119.3, 26.08],
  [110.35, 20.02],
  [87.62, 43.83],
  [91.11, 29.65],
]

function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
}

/** A point about `sigmaKm` around a random city. */
function around(rand: () => number, sigmaKm: number): [number, number] {
  const [lng, lat] = CITIES[Math.floor(rand() * CITIES.length)]!
  const dLat = (gaussian(rand) * sigmaKm) / 111.2
  const dLng = (gaussian(rand) * sigmaKm) / (111.2 * Math.cos((lat * Math.PI) / 180))
  return [lng + dLng, lat + dLat]
}

function storeDoc(i: number, at: [number, number]) {
  return {
    _id: `store-${i}`,
    name: `礼品自提店 ${i}`,
    address: `某区某路 ${i} 号`,
    location: { type: 'Point', coordinates: at },
    hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '21:00' }],
    phone: `020-8${String(i).padStart(7, '0')}`,
    region: { province: '440000', city: '440100' },
    recommendedBy: `unit-${i % 37}`,
    clerks: [`openid-${i}`],
    active: i % 10 !== 0,
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-bench-geo-'))
  const file = join(dir, 'geo.sqlite')
  const geoIndex = {
    name: 'location_2dsphere',
    unique: false,
    keys: [{ field: 'location', direction: '2dsphere' as const }],
  }
  const local = startLocalCloud({
    file,
    collectionsDir: '/nonexistent',
    collections: SIZES.map((n) => ({ collection: `stores${n}`, indexes: [geoIndex] })),
  })
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
  const db = cloud.database()
  const _ = db.command

  for (const n of SIZES) {
    const rand = prng(n)
    const docs = Array.from({ length: n }, (_x, i) => storeDoc(i, around(rand, 8)))
    for (let i = 0; i < docs.length; i += 5_000)
      local.store.insert(`stores${n}`, docs.slice(i, i + 5_000))
  }

  const users = (() => {
    const rand = prng(99)
    return Array.from({ length: QUERIES_PER_ROUND }, () => around(rand, 15))
  })()

  const shapes = {
    where: (coll: string, at: [number, number]) =>
      db
        .collection(coll)
        .where({ location: _.geoNear({ geometry: db.Geo.Point(at[0], at[1]) }), active: true })
        .limit(10)
        .get()
        .then((r) => r.data.length),
    aggregate: (coll: string, at: [number, number]) =>
      db
        .collection(coll)
        .aggregate()
        .geoNear({
          near: db.Geo.Point(at[0], at[1]),
          spherical: true,
          distanceField: 'distance',
          query: { active: true },
          limit: 10,
        })
        .end()
        .then((r) => r.list.length),
  }
  type Shape = keyof typeof shapes

  // Per shape and size: the median query time of each measured round, and rows fetched per query.
  const medians: Record<string, number[]> = {}
  const rows: Record<string, number> = {}
  const runRound = async (shape: Shape, n: number, measured: boolean) => {
    const coll = `stores${n}`
    const times: number[] = []
    const before = local.store.geoStats.rows
    for (const at of users) {
      const t0 = performance.now()
      const got = await shapes[shape](coll, at)
      times.push(performance.now() - t0)
      if (got !== 10) throw new Error(`${shape} on ${coll}: ${got} stores, expected 10`)
    }
    if (!measured) return
    const k = `${shape} ${n}`
    ;(medians[k] ??= []).push(percentileOf(times, 50))
    rows[k] = (local.store.geoStats.rows - before) / users.length
  }

  console.log(`geo bench — nearest 10 active stores, SQLite file ${file}`)
  console.log(
    `node ${process.version}; ${ROUNDS} rounds (first ${WARMUP_ROUNDS} warm-up) × ` +
      `${QUERIES_PER_ROUND} queries per shape and size, sizes alternating\n`,
  )
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [...SIZES] : [...SIZES].reverse()
    for (const shape of Object.keys(shapes) as Shape[]) {
      for (const n of order) await runRound(shape, n, round >= WARMUP_ROUNDS)
    }
  }

  const med = (xs: number[]) => percentileOf(xs, 50)
  let pass = true
  console.log(
    '| query | 100 stores, ms | 10,000 stores, ms | ratio | rows fetched (100 / 10,000) |',
  )
  console.log('|---|---|---|---|---|')
  for (const shape of Object.keys(shapes) as Shape[]) {
    const small = medians[`${shape} 100`]!
    const large = medians[`${shape} 10000`]!
    // The ratio of each round's pair, then their median (both sizes ran in the same round).
    const ratios = small.map((s, i) => large[i]! / s)
    const ratio = med(ratios)
    if (ratio > BAR) pass = false
    console.log(
      `| ${shape} | ${med(small).toFixed(3)} | ${med(large).toFixed(3)} | ` +
        `${ratio.toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ` +
        `${rows[`${shape} 100`]!.toFixed(0)} / ${rows[`${shape} 10000`]!.toFixed(0)} |`,
    )
  }
  console.log(
    `\n${pass ? 'PASS' : 'FAIL'}: nearest-10 among 10,000 stores ${pass ? 'within' : 'beyond'} ${BAR}× the same query among 100`,
  )
  local.close()
  rmSync(dir, { recursive: true, force: true })
  if (!pass) process.exitCode = 1
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
