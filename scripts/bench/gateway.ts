// `npm run bench:gateway`: what the local gateway costs over a bare fastify route. Each server
// runs in a child process (fork), so the load generator here never shares its event loop; all
// traffic stays on 127.0.0.1 and every run is bounded in requests and in time.
import { fork, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import { z } from 'zod'
import { startLocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { createGateway } from '../../emulator/gateway'
import { action, defineFunction } from '../../server/define-function'
import { buildFunctions } from '../build/functions'
import { seed } from '../seed'

const REQUESTS = Number(process.env.BENCH_REQUESTS || 20_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3)
const WARMUP = 2_000
const TIME_LIMIT_MS = 60_000 // per timed run; a run stops issuing requests after it

type Target = 'bare' | 'gateway-ping' | 'gateway-campaign'

interface TargetSpec {
  label: string
  path: string
  body: string
}

const TARGETS: Record<Target, TargetSpec> = {
  bare: {
    label: 'bare fastify, constant JSON',
    path: '/bare',
    body: JSON.stringify({ action: 'ping' }),
  },
  'gateway-ping': {
    label: 'gateway, trivial function',
    path: '/functions/ping',
    body: JSON.stringify({ action: 'ping' }),
  },
  'gateway-campaign': {
    label: 'gateway, campaign.getCurrent (bundle + DB read)',
    path: '/functions/campaign',
    body: JSON.stringify({ action: 'getCurrent' }),
  },
}

// ------------------------------------------------------------------------------ server side

/** Child process: serve one target on an ephemeral loopback port, report it, wait for 'stop'. */
async function serve(target: Target): Promise<void> {
  let close: () => Promise<void>
  let port: number
  if (target === 'bare') {
    const app = Fastify({ logger: false })
    app.post('/bare', async () => ({ ok: true, data: { pong: true } }))
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
    close = () => app.close()
  } else {
    const cloud = startLocalCloud()
    await seed()
    // A trivial function through the same kit as the real ones: routing, zod, identity, envelope.
    const ping = defineFunction({
      name: 'ping',
      actions: { ping: action({ input: z.object({}), handler: () => ({ pong: true }) }) },
    })
    const host = createFunctionHost({ cloud, from: 'bundle', extra: { ping } })
    const app = createGateway({ host }) // logs one line per call, to the child's stdout (ignored)
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
    close = async () => {
      await app.close()
      cloud.close()
    }
  }
  process.send!({ port })
  process.on('message', (msg) => {
    if (msg === 'stop') void close().then(() => process.exit(0))
  })
}

// ------------------------------------------------------------------------------ load side

interface Result {
  target: Target
  completed: number
  failed: number
  seconds: number
  rps: number
  p50: number
  p99: number
}

function startServer(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(__filename, ['--serve', target], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('message', (msg: { port: number }) => resolve({ child, port: msg.port }))
    child.once('exit', (code) => reject(new Error(`${target} server exited early (${code})`)))
  })
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000) // bounded even if it hangs
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.send('stop')
  })
}

function request(agent: http.Agent, port: number, spec: TargetSpec): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: spec.path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(spec.body),
          'x-wx-openid': 'o-bench-user',
        },
      },
      (res) => {
        res.resume() // read and discard the body
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(spec.body)
  })
}

/** `count` requests with `CONCURRENCY` in flight (or until `deadline`); latencies in ms. */
async function load(
  port: number,
  spec: TargetSpec,
  count: number,
  deadline: number,
): Promise<{ latencies: number[]; failed: number; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const latencies: number[] = []
  let issued = 0
  let failed = 0
  const started = process.hrtime.bigint()
  const worker = async () => {
    while (issued < count && Date.now() < deadline) {
      issued += 1
      const t0 = process.hrtime.bigint()
      try {
        const status = await request(agent, port, spec)
        if (status === 200) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        else failed += 1
      } catch {
        failed += 1
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  agent.destroy()
  return { latencies, failed, seconds }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** One timed run of `REQUESTS` against a warm server. */
async function measure(target: Target, port: number): Promise<Result> {
  const spec = TARGETS[target]
  const { latencies, failed, seconds } = await load(
    port,
    spec,
    REQUESTS,
    Date.now() + TIME_LIMIT_MS,
  )
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    target,
    completed: latencies.length,
    failed,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function bench(): Promise<void> {
  await buildFunctions({ only: ['campaign'] }) // the gateway serves the built bundle, as npm start
  const targets = Object.keys(TARGETS) as Target[]
  console.log(
    `gateway benchmark: ${ROUNDS} rounds x ${REQUESTS} requests per target (after ${WARMUP} ` +
      `warm-up), concurrency ${CONCURRENCY}, keep-alive, 127.0.0.1. Each server runs in its ` +
      `own child process (fork), the load generator in this one; the targets alternate within ` +
      `each round so background load hits them alike; medians over rounds. Node ${process.version}`,
  )
  // All servers up at once (an idle server costs nothing), warmed, then measured in rounds.
  const servers = new Map<Target, { child: ChildProcess; port: number }>()
  const runs = new Map<Target, Result[]>(targets.map((t) => [t, []]))
  try {
    for (const target of targets) {
      const server = await startServer(target)
      servers.set(target, server)
      await load(server.port, TARGETS[target], WARMUP, Date.now() + TIME_LIMIT_MS)
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of targets) {
        runs.get(target)!.push(await measure(target, servers.get(target)!.port))
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => stopServer(s.child)))
  }

  const summary = targets.map((target) => {
    const rs = runs.get(target)!
    return {
      target,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      completed: rs.reduce((n, r) => n + r.completed, 0),
      failed: rs.reduce((n, r) => n + r.failed, 0),
      perRound: rs.map((r) => r.rps.toFixed(0)).join('/'),
    }
  })
  const rows = summary.map((r) => [
    TARGETS[r.target].label,
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.perRound,
    `${r.completed}${r.failed ? ` (${r.failed} failed)` : ''}`,
  ])
  const head = ['target', 'req/s', 'p50 ms', 'p99 ms', 'req/s by round', 'requests']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')
  console.log(fmt(head))
  for (const row of rows) console.log(fmt(row))

  const bare = summary.find((r) => r.target === 'bare')!
  for (const r of summary.filter((x) => x !== bare)) {
    console.log(
      `${r.target}/bare: req/s x${(r.rps / bare.rps).toFixed(2)}, ` +
        `p50 x${(r.p50 / bare.p50).toFixed(2)}, p99 x${(r.p99 / bare.p99).toFixed(2)}`,
    )
  }
  if (summary.some((r) => r.failed > 0)) process.exitCode = 1
}

const serveAt = process.argv.indexOf('--serve')
const run = serveAt >= 0 ? serve(process.argv[serveAt + 1] as Target) : bench()
run.catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
