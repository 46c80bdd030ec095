// npm run bench:emulator — indexed equality query latency at 1k / 100k / 1M documents and insert
// rate, all through the real wx-server-sdk client on the local cloud (SQLite file in a temp dir);
// then what a transaction costs when two connections commit in turn, as two gateway instances do,
// with and without SQLite's memory map.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cloud from 'wx-server-sdk'
import { startLocalCloud } from '../../emulator'
import { DocumentStore } from '../../emulator/db/store'
import { percentile, percentileOf } from './stats'

const QUICK = Boolean(process.env.BENCH_QUICK)
const SIZES = QUICK ? [1_000, 100_000] : [1_000, 100_000, 1_000_000]
const QUERIES = QUICK ? 500 : 2_000
/** Untimed queries per size before the timed ones, which then alternate between sizes. */
const WARMUP = 200
const ROUND = 100
const collectionOf = (size: number) => `samples${size}`
const SDK_INSERTS = 5_000

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-bench-'))
  const file = join(dir, 'bench.sqlite')
  const local = startLocalCloud({
    file,
    collectionsDir: '/nonexistent',
    // One collection per size, all filled before any query: the sizes are then queried in
    // turn, after a warm-up, so that none is measured first and cold.
    collections: ['samples', ...SIZES.map(collectionOf)].map((collection) => ({
      collection,
      indexes: [{ name: 'code', unique: false, keys: [{ field: 'code', direction: 1 }] }],
    })),
  })
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
  const db = cloud.database()
  const coll = db.collection('samples')
  const doc = (i: number) => ({
    code: `code-${i}`,
    region: { province: `${11 + (i % 34)}0000`, city: `${11 + (i % 34)}0100` },
    valid: i % 10 !== 0,
    answers: { q1: i % 5, q2: 'B', q3: [1, 3] },
    submittedAt: new Date(1_721_145_600_000 + i * 1000),
  })

  console.log(`local cloud bench — SQLite file ${file}`)
  console.log(`node ${process.version}, ${QUERIES} queries per size, ${SDK_INSERTS} SDK inserts\n`)

  // Insert rate through the SDK: one add() per request, 16 in flight.
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < SDK_INSERTS) {
        const i = next++
        await coll.add({ data: doc(i) })
      }
    }),
  )
  const sdkInsertRate = SDK_INSERTS / ((performance.now() - t0) / 1000)
  console.log(`insert via SDK (add, 16 concurrent): ${sdkInsertRate.toFixed(0)} docs/s`)

  const rows: string[] = []
  let bulkRate = 0
  for (const size of SIZES) {
    // Bulk fill through the store in batches of 10k (one SQLite transaction each).
    const tb = performance.now()
    for (let from = 0; from < size; from += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, size - from) }, (_, k) => doc(from + k))
      local.store.insert(collectionOf(size), batch)
    }
    if (size > 50_000) bulkRate = size / ((performance.now() - tb) / 1000)
  }
  const lat = new Map<number, number[]>(SIZES.map((size) => [size, []]))
  const query = async (size: number, q: number) => {
    const target = Math.floor((q * 7919) % size)
    const s = performance.now()
    const res = await db
      .collection(collectionOf(size))
      .where({ code: `code-${target}` })
      .get()
    const ms = performance.now() - s
    if (res.data.length !== 1) throw new Error(`expected one match for code-${target}`)
    return ms
  }
  for (let q = 0; q < WARMUP; q++) for (const size of SIZES) await query(size, q + 1)
  for (let from = 0; from < QUERIES; from += ROUND) {
    // Each round in another order of the sizes.
    const order = (from / ROUND) % 2 === 0 ? SIZES : [...SIZES].reverse()
    for (const size of order)
      for (let q = from; q < Math.min(QUERIES, from + ROUND); q++)
        lat.get(size)!.push(await query(size, q))
  }
  for (const size of SIZES) {
    const l = lat.get(size)!.sort((a, b) => a - b)
    const mean = l.reduce((a, b) => a + b, 0) / l.length
    rows.push(
      `| ${size.toLocaleString('en')} | ${percentile(l, 50).toFixed(3)} | ${percentile(l, 99).toFixed(3)} | ${mean.toFixed(3)} |`,
    )
    console.log(
      `${size.toLocaleString('en').padStart(9)} docs: p50 ${percentile(l, 50).toFixed(3)} ms, p99 ${percentile(l, 99).toFixed(3)} ms, mean ${mean.toFixed(3)} ms`,
    )
  }
  const p50 = (size: number) => percentileOf(lat.get(size)!, 50)
  const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!]
  console.log(
    `p50 at ${large.toLocaleString('en')} / at ${small.toLocaleString('en')}: ` +
      `×${(p50(large) / p50(small)).toFixed(2)} (${WARMUP} warm-up queries per size, then ` +
      `rounds of ${ROUND} alternating between sizes)`,
  )
  console.log(`bulk insert via store (10k per transaction): ${bulkRate.toFixed(0)} docs/s`)
  console.log('\n| documents | p50 ms | p99 ms | mean ms |\n|---|---|---|---|\n' + rows.join('\n'))
  const plan = local.store.explain(collectionOf(large), { code: 'code-1' }).join('; ')
  console.log(`\nplan: ${plan}`)
  const mem = process.memoryUsage()
  console.log(
    `rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
  )
  local.close()

  console.log(
    `\ntwo connections committing in turn (two gateway instances), ${large.toLocaleString('en')} docs, CPU per transaction:`,
  )
  for (const mmapBytes of [0, 2 ** 30]) {
    const { one, two } = turns(file, mmapBytes, collectionOf(large), large)
    console.log(
      `  memory map ${mmapBytes ? '1 GiB' : 'off'}: one connection ${one} µs, two in turn ${two} µs`,
    )
  }
  rmSync(dir, { recursive: true, force: true })
}

const TURN_TRANSACTIONS = 5_000
const TURN_PASSES = 3

/**
 * A submission's shape straight on the store (no SDK): read a document, rewrite it and increment
 * a counter on one of 128 shared documents, committed one transaction at a time. First on one
 * connection, then alternating between two on the same file: each then finds the file changed by
 * the other since its last transaction and drops its page cache. Medians of CPU µs over passes.
 */
function turns(
  file: string,
  mmapBytes: number,
  collection: string,
  size: number,
): { one: number; two: number } {
  const first = new DocumentStore({ file, collectionsDir: '/nonexistent', mmapBytes })
  if (!first.collectionNames().includes('tallies')) first.createCollection('tallies')
  const second = new DocumentStore({
    file,
    collectionsDir: '/nonexistent',
    mmapBytes,
    checkpointThread: false,
  })
  const stores = [first, second]
  // Documents spread over the file, looked up before the clock starts.
  const ids = Array.from({ length: TURN_TRANSACTIONS }, (_, i) => {
    const [doc] = first.find(collection, { code: `code-${(i * 7919) % size}` })
    return String(doc!._id)
  })
  const upsert = { multi: false, merge: true, upsert: true }
  let next = 0
  const transaction = (store: DocumentStore) => {
    const id = ids[next++ % ids.length]!
    const txn = store.startTransaction()
    const [doc] = store.find(collection, { _id: id }, {}, txn)
    store.modify(
      collection,
      { _id: id },
      { $set: { seen: Number(doc?.seen ?? 0) + 1 } },
      upsert,
      txn,
    )
    store.modify('tallies', { _id: `t${next % 128}` }, { $inc: { 'all.valid': 1 } }, upsert, txn)
    store.commit(txn)
  }
  const cpu = (pick: (i: number) => DocumentStore) => {
    const c0 = process.cpuUsage()
    for (let i = 0; i < TURN_TRANSACTIONS; i++) transaction(pick(i))
    const c = process.cpuUsage(c0)
    return (c.user + c.system) / TURN_TRANSACTIONS
  }
  const ones: number[] = []
  const twos: number[] = []
  for (let pass = 0; pass < TURN_PASSES; pass++) {
    ones.push(cpu(() => first))
    twos.push(cpu((i) => stores[i % 2]!))
  }
  for (const store of stores) store.close()
  const median = (xs: number[]) => Math.round(percentileOf(xs, 50))
  return { one: median(ones), two: median(twos) }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
