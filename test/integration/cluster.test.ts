// The gateway as a cluster of instances on one database file (emulator/cluster.ts): calls are
// spread over the instances, each reaches the shared data, and close() stops them all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startLocalCloud } from '../../emulator'
import { startGatewayCluster, sumOps, type GatewayCluster } from '../../emulator/cluster'
import { seed } from '../../scripts/seed'

let dir: string
let gateway: GatewayCluster | undefined
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wal-cluster-'))
})
afterEach(async () => {
  await gateway?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Two instances serving `campaign` from source on a seeded file in `dir`. */
async function startTwo(options: { trace?: boolean } = {}): Promise<GatewayCluster> {
  const file = path.join(dir, 'local.sqlite')
  const cloud = startLocalCloud({ file })
  await seed() // the demo campaign, written before the instances start
  cloud.close()
  return startGatewayCluster({
    workers: 2,
    file,
    port: 0,
    host: '127.0.0.1',
    functions: { from: 'source', only: ['campaign'] },
    log: false,
    execArgv: ['--import', 'tsx'],
    ...options,
  })
}

it('two instances share the port and the database; every call is answered', async () => {
  gateway = await startTwo()
  // Separate connections (no keep-alive), so the primary hands them out round robin.
  const replies = await Promise.all(
    Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${gateway!.port}/functions/campaign`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-wx-openid': 'o-cluster',
          connection: 'close',
        },
        body: JSON.stringify({ action: 'getCurrent' }),
      }).then((r) => r.json() as Promise<{ ok: boolean; data?: { id?: string } }>),
    ),
  )
  for (const r of replies) expect(r).toMatchObject({ ok: true, data: { id: 'demo' } })
  const stats = await gateway.stats()
  expect(new Set(stats.map((s) => s.pid)).size).toBe(2)
  expect(stats.every((s) => (s.ops['database.getDocument'] ?? 0) > 0)).toBe(true)
  expect(sumOps(stats)['database.getDocument']).toBeGreaterThanOrEqual(2)
  // Started without `trace`: no timeline is kept.
  expect(await gateway.trace(0)).toEqual([])
}, 60_000)

it('instances started with trace keep their timeline: 10 ms ticks of CPU, delay and store counters', async () => {
  gateway = await startTwo({ trace: true })
  const since = Date.now()
  await new Promise((r) => setTimeout(r, 200))
  const traces = await gateway.trace(since)
  expect(traces).toHaveLength(2)
  const stats = await gateway.stats()
  expect(new Set(traces.map((t) => t.pid))).toEqual(new Set(stats.map((s) => s.pid)))
  for (const t of traces) {
    // ~20 ticks in 200 ms; a loaded machine may delay a few.
    expect(t.ticks.length).toBeGreaterThanOrEqual(5)
    for (const tick of t.ticks) {
      expect(tick.at).toBeGreaterThanOrEqual(since)
      expect(tick.cpuMs).toBeGreaterThanOrEqual(0)
      expect(tick.lateMs).toBeGreaterThanOrEqual(0)
      expect(tick).toMatchObject({ transactions: 0, lockWaits: 0 })
    }
    expect(Array.isArray(t.gc)).toBe(true)
  }
  // Only what happened since the time asked for.
  expect((await gateway.trace(Date.now() + 60_000)).every((t) => t.ticks.length === 0)).toBe(true)
}, 60_000)
