// `npm run bench:gateway`: what the local gateway costs over a bare fastify route. Each server
// runs in a child process (fork), so the load generator here never shares its event loop; all
// traffic stays on 127.0.0.1 and every run is bounded in requests and in time.
import Fastify from 'fastify'
import { z } from 'zod'
import { startLocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { createGateway } from '../../emulator/gateway'
import { action, defineFunction } from '../../server/define-function'
import { buildFunctions } from '../build/functions'
import { seed } from '../seed'
import {
  benchSettings,
  listenAndReport,
  load,
  measureInRounds,
  printComparison,
  runBench,
  serveParent,
  startServer,
  stopServer,
  summariseRun,
  TIME_LIMIT_MS,
  type RunResult,
  type ServerProcess,
} from './load'

const {
  requests: REQUESTS,
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
} = benchSettings({ requests: 20_000, warmup: 2_000 })
const WARMUP = 2_000 // fixed here: BENCH_WARMUP applies to the draw and submit benchmarks only

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
  if (target === 'bare') {
    const app = Fastify({ logger: false })
    app.post('/bare', async () => ({ ok: true, data: { pong: true } }))
    await listenAndReport(app)
    serveParent({}, () => app.close())
    return
  }
  const cloud = startLocalCloud()
  await seed()
  // A trivial function through the same kit as the real ones: routing, zod, identity, envelope.
  const ping = defineFunction({
    name: 'ping',
    actions: { ping: action({ input: z.object({}), handler: () => ({ pong: true }) }) },
  })
  const host = createFunctionHost({
    cloud,
    from: 'bundle',
    only: ['campaign'], // the one bundle built for this benchmark
    extra: { ping },
  })
  const app = createGateway({ host }) // logs one line per call, to the child's stdout (ignored)
  await listenAndReport(app)
  serveParent({}, async () => {
    await app.close()
    cloud.close()
  })
}

// ------------------------------------------------------------------------------ load side

/** One timed run of `count` requests (`REQUESTS` when measuring, `WARMUP` when warming). */
async function measure(target: Target, port: number, count = REQUESTS): Promise<RunResult> {
  const spec = TARGETS[target]
  const outcome = await load({
    port,
    count,
    concurrency: CONCURRENCY,
    deadline: Date.now() + TIME_LIMIT_MS,
    shot: () => ({ path: spec.path, body: spec.body, headers: { 'x-wx-openid': 'o-bench-user' } }),
  })
  return summariseRun(outcome)
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
  const servers = new Map<Target, ServerProcess>()
  let runs: Map<Target, RunResult[]>
  try {
    for (const target of targets) {
      const server = await startServer(__filename, ['--serve', target], target)
      servers.set(target, server)
      await measure(target, server.port, WARMUP) // warm-up, not recorded
    }
    runs = await measureInRounds(targets, ROUNDS, (t) => measure(t, servers.get(t)!.port))
  } finally {
    await Promise.all([...servers.values()].map((s) => stopServer(s.child)))
  }

  const summary = printComparison(targets, runs, (t) => TARGETS[t].label)
  if (summary.some((r) => r.summary.failed > 0)) process.exitCode = 1
}

runBench(serve, bench)
