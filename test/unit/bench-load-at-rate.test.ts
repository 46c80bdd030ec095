// The benchmarks' open-loop generator (loadAtRate in scripts/bench/load.ts) against a real fastify
// server: requests go out on schedule whatever the replies, latency counts from when a request
// was due, the settling requests are left out of the latencies but not out of the failures, and
// warmed connections are reused.
import type { AddressInfo, Socket } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { loadAtRate } from '../../scripts/bench/load'

let app: FastifyInstance
let port: number
let connections: number
const seen: number[] = []
/** Told of each request as the server receives it. */
let onArrival: ((i: number) => void) | undefined

beforeAll(async () => {
  app = Fastify({ logger: false })
  app.get('/health', async () => ({ ok: true }))
  app.post('/n/:i', async (req, reply) => {
    const i = Number((req.params as { i: string }).i)
    seen.push(i)
    onArrival?.(i)
    // Request 3 (settling) and request 25 (counted) fail; request 30 is slow.
    if (i === 3 || i === 25) return reply.code(500).send({ ok: false })
    if (i === 30) await new Promise((r) => setTimeout(r, 120))
    return { ok: true }
  })
  app.server.on('connection', (_s: Socket) => void connections++)
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
})

afterAll(() => app.close())

test('settling requests are offered first and left out of the latencies, not the failures', async () => {
  connections = 0
  const counted: number[] = []
  let toldBeforeFirstCounted: number | undefined
  onArrival = (i) => {
    if (i === 10) toldBeforeFirstCounted = counted.length
  }
  const outcome = await loadAtRate({
    port,
    rate: 100,
    settle: 10,
    count: 40,
    deadline: Date.now() + 10_000,
    shot: (i) => ({ path: `/n/${i}`, body: '{}' }),
    warm: { connections: 4, request: { method: 'GET', path: '/health', body: '' } },
    // Told once, as the first counted request goes out: after the 10 settling ones were sent.
    onCounted: () => counted.push(seen.length),
  })
  onArrival = undefined
  expect(counted).toHaveLength(1)
  expect(toldBeforeFirstCounted).toBe(1)
  expect(counted[0]).toBeLessThanOrEqual(10)
  expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  expect(outcome.settle).toHaveLength(9) // 10 settling, one failed
  expect(outcome.latencies).toHaveLength(39) // 40 counted, one failed
  expect(outcome.failures).toEqual({ 'HTTP 500': 2 })
  // Each counted success as a sample: due on the schedule (10 ms apart at 100/s), never sent early.
  expect(outcome.samples).toHaveLength(39)
  expect(Math.min(...outcome.samples.map((x) => x.due))).toBeCloseTo(outcome.countedFrom, 6)
  expect(outcome.samples.every((x) => x.sentLate >= 0 && x.due >= outcome.countedFrom)).toBe(true)
  // 40 requests at 100/s: due over 0.4 s, so one second of p99s, the slow request's among them.
  expect(outcome.p99BySecond).toHaveLength(1)
  expect(outcome.p99BySecond[0]).toBeGreaterThanOrEqual(100)
  // Counted from the first counted request: ~0.4 s of schedule, plus the slow reply at most.
  expect(outcome.seconds).toBeGreaterThan(0.3)
  expect(outcome.seconds).toBeLessThan(2)
  // Warmed connections were reused; the slow request needed at most a few more.
  expect(outcome.connections).toBeGreaterThanOrEqual(4)
  expect(connections).toBe(outcome.connections)
})

test('a request is due on schedule even when earlier replies are slow (open loop)', async () => {
  seen.length = 0
  const outcome = await loadAtRate({
    port,
    rate: 200,
    count: 40,
    deadline: Date.now() + 10_000,
    shot: (i) => ({ path: `/n/${i === 0 ? 30 : 100 + i}`, body: '{}' }),
  })
  // The first request takes 120 ms; the others did not wait for it (a closed loop on one
  // connection would have held them all behind it).
  expect(outcome.latencies).toHaveLength(40)
  const sorted = [...outcome.latencies].sort((a, b) => a - b)
  expect(sorted[20]!).toBeLessThan(60)
  expect(sorted[39]!).toBeGreaterThanOrEqual(100)
  expect(outcome.settle).toEqual([])
})
