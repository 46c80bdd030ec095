// npm run bench:emulator — indexed equality query latency at 1k / 100k / 1M documents and insert
// rate, all through the real wx-server-sdk client on the local cloud (SQLite file in a temp dir).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cloud from 'wx-server-sdk'
import { startLocalCloud } from '../../emulator'
import { percentile } from './stats'

const SIZES = [1_000, 100_000, 1_000_000]
const QUERIES = 2_000
const SDK_INSERTS = 5_000

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wal-bench-'))
  const file = join(dir, 'bench.sqlite')
  const local = startLocalCloud({
    file,
    collectionsDir: '/nonexistent',
    collections: [
      {
        collection: 'samples',
        indexes: [{ name: 'code', unique: false, keys: [{ field: 'code', direction: 1 }] }],
      },
    ],
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

  let count = SDK_INSERTS
  const rows: string[] = []
  let bulkRate = 0
  for (const size of SIZES) {
    // Bulk fill through the store in batches of 10k (one SQLite transaction each).
    const tb = performance.now()
    const filled = size - count
    while (count < size) {
      const batch = Array.from({ length: Math.min(10_000, size - count) }, (_, k) => doc(count + k))
      local.store.insert('samples', batch)
      count += batch.length
    }
    if (filled > 50_000) bulkRate = filled / ((performance.now() - tb) / 1000)

    const lat: number[] = []
    for (let q = 0; q < QUERIES; q++) {
      const target = Math.floor((q * 7919) % size)
      const s = performance.now()
      const res = await coll.where({ code: `code-${target}` }).get()
      lat.push(performance.now() - s)
      if (res.data.length !== 1) throw new Error(`expected one match for code-${target}`)
    }
    lat.sort((a, b) => a - b)
    const mean = lat.reduce((a, b) => a + b, 0) / lat.length
    rows.push(
      `| ${size.toLocaleString('en')} | ${percentile(lat, 50).toFixed(3)} | ${percentile(lat, 99).toFixed(3)} | ${mean.toFixed(3)} |`,
    )
    console.log(
      `${size.toLocaleString('en').padStart(9)} docs: p50 ${percentile(lat, 50).toFixed(3)} ms, p99 ${percentile(lat, 99).toFixed(3)} ms, mean ${mean.toFixed(3)} ms`,
    )
  }
  console.log(`bulk insert via store (10k per transaction): ${bulkRate.toFixed(0)} docs/s`)
  console.log('\n| documents | p50 ms | p99 ms | mean ms |\n|---|---|---|---|\n' + rows.join('\n'))
  const plan = local.store.explain('samples', { code: 'code-1' }).join('; ')
  console.log(`\nplan: ${plan}`)
  const mem = process.memoryUsage()
  console.log(
    `rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
  )
  local.close()
  rmSync(dir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
