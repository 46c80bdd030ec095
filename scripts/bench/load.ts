// The HTTP benchmarks' shared parts: servers in forked child processes (so the load generator
// never shares their event loop), a keep-alive load generator (./http-client) bounded in requests
// and time, and the summary (medians over rounds) and table, and the settings and entry point
// every HTTP benchmark shares. All traffic stays on 127.0.0.1.
import { fork, type ChildProcess } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import type { FastifyInstance } from 'fastify'
import {
  startGatewayCluster,
  sumGroupCommits,
  sumOps,
  type GroupCommits,
} from '../../emulator/cluster'
import { HttpPool, type HttpRequest } from './http-client'
import { percentile, percentileOf } from './stats'

// ------------------------------------------------------------------------------ settings

/** Per timed run; a run stops issuing requests after it. */
export const TIME_LIMIT_MS = 60_000

/** BENCH_QUICK=1: small sizes and short runs, for a check in a minute (not figures to record). */
export const QUICK = Boolean(process.env.BENCH_QUICK)

/** Requests per round, concurrency, rounds and warm-up, from BENCH_* or the bench's defaults. */
export function benchSettings(defaults: { requests: number; warmup: number }) {
  return {
    requests: Number(process.env.BENCH_REQUESTS || (QUICK ? 1_000 : defaults.requests)),
    concurrency: Number(process.env.BENCH_CONCURRENCY || 32),
    rounds: Number(process.env.BENCH_ROUNDS || (QUICK ? 2 : 3)),
    warmup: Number(process.env.BENCH_WARMUP || (QUICK ? 300 : defaults.warmup)),
  }
}

/** One judged figure: a ratio or a count against its goal (at most, or at least, the goal). */
export interface Verdict {
  figure: string
  value: number
  goal: number
  /** 'max': met when value ≤ goal; 'min': when value ≥ goal. */
  kind: 'max' | 'min'
}

/** Prints each figure against its goal; true when every goal is met. */
export function printVerdicts(verdicts: readonly Verdict[]): boolean {
  console.log('\ngoals (judged in this run):')
  let all = true
  for (const v of verdicts) {
    const met = v.kind === 'max' ? v.value <= v.goal : v.value >= v.goal
    all &&= met
    console.log(
      `  ${met ? 'met    ' : 'NOT met'} ${v.figure}: ${v.value.toFixed(2)} ` +
        `(goal ${v.kind === 'max' ? '≤' : '≥'} ${v.goal})`,
    )
  }
  return all
}

/**
 * The script's entry point: a server child when forked with `--serve <target>` (by
 * startServer), otherwise the benchmark itself. Any failure ends the process with code 1.
 */
export function runBench<T extends string>(
  serve: (target: T) => Promise<void>,
  bench: () => Promise<void>,
): void {
  const serveAt = process.argv.indexOf('--serve')
  const run = serveAt >= 0 ? serve(process.argv[serveAt + 1] as T) : bench()
  run.catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}

// ------------------------------------------------------------------------------ servers

export interface ServerProcess {
  child: ChildProcess
  port: number
}

/** Messages a server child sends its parent; `ready` once it listens. */
export type ServerMessage = { type: 'ready'; port: number } | { type: 'reply'; value: unknown }

/**
 * Forks `script` with `args` and resolves when it reports `ready`. The child's stdout is dropped
 * (a gateway logs a line per call), its stderr shown.
 */
export function startServer(
  script: string,
  args: string[],
  label: string,
  execArgv: string[] = process.execArgv,
): Promise<ServerProcess> {
  const child = fork(script, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv })
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`${label} server exited early (${code})`))
    child.once('exit', onExit)
    child.on('message', (msg: ServerMessage) => {
      if (msg.type !== 'ready') return
      child.off('exit', onExit)
      resolve({ child, port: msg.port })
    })
  })
}

/** Asks a server child something over IPC (`{ ask }`) and resolves its `reply`. */
export function ask<T>(child: ChildProcess, question: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: ServerMessage) => {
      if (msg.type !== 'reply') return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(msg.value as T)
    }
    const onExit = () => reject(new Error(`server exited before answering ${question}`))
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send({ ask: question })
  })
}

/** In the server child: answer the parent's questions; `stop` closes and exits. */
export function serveParent(answers: Record<string, () => unknown>, close: () => Promise<void>) {
  process.on('message', (msg: { ask?: string } | 'stop') => {
    if (msg === 'stop' || msg.ask === 'stop') {
      void close().then(() => process.exit(0))
      return
    }
    const answer = msg.ask ? answers[msg.ask] : undefined
    void Promise.resolve(answer ? answer() : null).then((value) =>
      process.send!({ type: 'reply', value } satisfies ServerMessage),
    )
  })
}

/** In the server child: listen on an ephemeral loopback port and tell the parent which. */
export async function listenAndReport(app: FastifyInstance): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  process.send!({ type: 'ready', port } satisfies ServerMessage)
}

/**
 * Gateway instances a bench server runs (BENCH_WORKERS, default one per core). They share the
 * SQLite file like CloudBase's function instances share the database; since commits are grouped
 * and never wait on another instance's lock, a second instance adds capacity even beside the load
 * generator on a 2-core machine (docs/benchmarks.md).
 */
export const WORKERS = Number(process.env.BENCH_WORKERS || availableParallelism())

/** What a server child has done so far: SDK requests by action, CPU time and memory of all its processes. */
export interface Meter {
  ops: Record<string, number>
  cpuMicros: number
  rssMiB: number
  /** Group commits of the store(s) (absent for servers without one). */
  groupCommits?: GroupCommits
}

/**
 * In the server child: serve the functions `only` from their bundles through a cluster of
 * WORKERS gateway instances on the database `file` (prepared beforehand), report the port, and
 * answer `meter` (summed over the instances) and the extra `answers`. `stop` ends it all.
 */
export async function serveGatewayCluster(
  file: string,
  only: string[],
  answers: Record<string, () => unknown>,
  cleanup: () => void,
): Promise<void> {
  const gateway = await startGatewayCluster({
    workers: WORKERS,
    file,
    port: 0,
    host: '127.0.0.1',
    functions: { from: 'bundle', only },
    trace: Boolean(process.env.BENCH_TRACE),
  })
  process.send!({ type: 'ready', port: gateway.port } satisfies ServerMessage)
  const meter = async (): Promise<Meter> => {
    const stats = await gateway.stats()
    const own = process.cpuUsage()
    return {
      ops: sumOps(stats),
      groupCommits: sumGroupCommits(stats),
      cpuMicros: stats.reduce((n, s) => n + s.cpuMicros, own.user + own.system),
      rssMiB: stats.reduce((n, s) => n + s.rssMiB, process.memoryUsage().rss / 2 ** 20),
    }
  }
  // The instances' timelines of the last 30 s (BENCH_TRACE; empty otherwise).
  const trace = () => gateway.trace(Date.now() - 30_000)
  serveParent({ ...answers, meter, trace }, async () => {
    await gateway.close()
    cleanup()
  })
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000) // bounded even if it hangs
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.send('stop')
  })
}

// ------------------------------------------------------------------------------ load

/** One request (a POST of `body` to `path` unless its method says GET). */
export type Shot = HttpRequest

/**
 * Judges a reply: null when it counts as a success, otherwise a short label of the failure
 * (e.g. an error code). Without a judge any 200 succeeds.
 */
export type Judge = (status: number, body: string) => string | null

export interface LoadOptions {
  port: number
  /** Requests to issue (fewer if `deadline` passes first). */
  count: number
  concurrency: number
  /** Date.now() after which no new request is issued. */
  deadline: number
  /** The i-th request of this run. */
  shot: (i: number) => Shot
  judge?: Judge
}

export interface LoadOutcome {
  /** Latencies of the successful requests, in ms. */
  latencies: number[]
  /** Failed requests by label. */
  failures: Record<string, number>
  seconds: number
}

/** `count` requests with `concurrency` in flight (or until `deadline`), over keep-alive. */
export async function load(options: LoadOptions): Promise<LoadOutcome> {
  const { port, count, concurrency, deadline, shot, judge } = options
  const pool = new HttpPool(port, concurrency)
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  const fail = (label: string) => (failures[label] = (failures[label] ?? 0) + 1)
  let issued = 0
  const started = process.hrtime.bigint()
  const worker = async () => {
    while (issued < count && Date.now() < deadline) {
      const next = shot(issued)
      issued += 1
      const t0 = process.hrtime.bigint()
      try {
        const { status, body } = await pool.post(next)
        const ms = Number(process.hrtime.bigint() - t0) / 1e6
        const failure = judge ? judge(status, body) : status === 200 ? null : `HTTP ${status}`
        if (failure === null) latencies.push(ms)
        else fail(failure)
      } catch (err) {
        fail((err as NodeJS.ErrnoException).code ?? 'network error')
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  pool.destroy()
  return { latencies, failures, seconds }
}

export interface RateOptions extends Omit<LoadOptions, 'concurrency'> {
  /** Requests per second offered, whatever the replies do (an open loop, as phones are). */
  rate: number
  /**
   * Requests offered first, on the same schedule, and left out of the latencies (their failures
   * still count): the open loop's settling time. A server that has just been run closed-loop, or
   * has just been started, is not in the regime the rate puts it in (wrk2 leaves out its first
   * 10 s for the same reason). Their latencies are reported apart (`settle`).
   */
  settle?: number
  /** Connections opened and used once with this request before the first request is due. */
  warm?: { connections: number; request: HttpRequest }
  /** Called once, as the first counted request (the first after the settling ones) goes out. */
  onCounted?: () => void
}

export interface RateOutcome extends LoadOutcome {
  /** Latencies of the settling requests, in ms (not in `latencies`). */
  settle: number[]
  /** When the first counted request was due (epoch ms). */
  countedFrom: number
  /**
   * Every successful counted request: when it was due (epoch ms), its latency (ms), and how late
   * the generator sent it (ms; its own event loop or its share of the CPU).
   */
  samples: Array<{ due: number; ms: number; sentLate: number }>
  /** p99 of the counted requests by second of their due time, in ms. */
  p99BySecond: number[]
  /** Connections the run used (opened ahead and on demand). */
  connections: number
}

/**
 * `count` requests offered at a fixed `rate` (an open loop: request i is due at i / rate seconds,
 * however slow earlier replies are). Latency counts from when a request was DUE, so a server (or
 * a generator) that falls behind shows it in the percentiles instead of hiding it.
 */
export async function loadAtRate(options: RateOptions): Promise<RateOutcome> {
  const { port, count, rate, deadline, shot, judge, settle = 0, warm, onCounted } = options
  // Requests go out on any idle connection, as many phones' would, so they spread over the
  // instances the connections were dealt to (on the one freed last, a few connections carry
  // everything and one instance can sit at a full core while the other has room).
  const pool = new HttpPool(port, 512, { pick: 'random' })
  if (warm) await pool.warm(warm.connections, warm.request)
  let connections = pool.size
  const latencies: number[] = []
  const settleLatencies: number[] = []
  const bySecond: number[][] = []
  const samples: RateOutcome['samples'] = []
  const failures: Record<string, number> = {}
  const fail = (label: string) => (failures[label] = (failures[label] ?? 0) + 1)
  const total = settle + count
  const started = performance.now()
  /** When request i is due; the counted ones start `settle` requests in. */
  const dueAt = (i: number) => started + (i * 1000) / rate
  const countedFrom = dueAt(settle)
  const inFlight: Array<Promise<void>> = []
  const fire = (i: number, firedAt: number) =>
    pool.post(shot(i)).then(
      ({ status, body }) => {
        const failure = judge ? judge(status, body) : status === 200 ? null : `HTTP ${status}`
        if (failure !== null) return void fail(failure)
        const ms = performance.now() - dueAt(i)
        if (i < settle) return void settleLatencies.push(ms)
        latencies.push(ms)
        samples.push({ due: performance.timeOrigin + dueAt(i), ms, sentLate: firedAt - dueAt(i) })
        ;(bySecond[Math.floor((dueAt(i) - countedFrom) / 1000)] ??= []).push(ms)
      },
      (err: NodeJS.ErrnoException) => void fail(err.code ?? 'network error'),
    )
  let issued = 0
  while (issued < total && Date.now() < deadline) {
    const now = performance.now()
    // Everything due by now goes out; then sleep until the next one is due (timers are ~1 ms).
    while (issued < total && dueAt(issued) <= now) {
      if (issued === settle) onCounted?.()
      inFlight.push(fire(issued, now))
      issued += 1
    }
    connections = Math.max(connections, pool.size)
    const wait = dueAt(issued) - performance.now()
    await new Promise((r) => setTimeout(r, Math.max(0, wait)))
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - countedFrom) / 1000
  pool.destroy()
  const p99BySecond = bySecond.map((ms) => percentileOf(ms, 99))
  return {
    latencies,
    failures,
    seconds,
    settle: settleLatencies,
    countedFrom: performance.timeOrigin + countedFrom,
    samples,
    p99BySecond,
    connections,
  }
}

/** Each target measured once per round, the targets alternating within a round. */
export async function measureInRounds<T>(
  targets: readonly T[],
  rounds: number,
  measure: (target: T) => Promise<RunResult>,
): Promise<Map<T, RunResult[]>> {
  const runs = new Map<T, RunResult[]>(targets.map((t) => [t, []]))
  for (let round = 0; round < rounds; round += 1) {
    for (const target of targets) runs.get(target)!.push(await measure(target))
  }
  return runs
}

// ------------------------------------------------------------------------------ summary

export interface RunResult {
  completed: number
  failed: number
  failures: Record<string, number>
  seconds: number
  rps: number
  p50: number
  p99: number
}

/** Successful requests per second and their latency percentiles for one timed run. */
export function summariseRun(outcome: LoadOutcome): RunResult {
  const sorted = [...outcome.latencies].sort((a, b) => a - b)
  const failed = Object.values(outcome.failures).reduce((n, k) => n + k, 0)
  return {
    completed: sorted.length,
    failed,
    failures: outcome.failures,
    seconds: outcome.seconds,
    rps: sorted.length / outcome.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export interface TargetSummary {
  rps: number
  p50: number
  p99: number
  completed: number
  failed: number
  failures: Record<string, number>
  perRound: string
}

/** Medians over rounds (each figure on its own), totals of requests and failures. */
function summariseRounds(runs: readonly RunResult[]): TargetSummary {
  const failures: Record<string, number> = {}
  for (const r of runs)
    for (const [k, n] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + n
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    completed: runs.reduce((n, r) => n + r.completed, 0),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    failures,
    perRound: runs.map((r) => r.rps.toFixed(0)).join('/'),
  }
}

/** The benchmark table: req/s, p50, p99, req/s by round, requests (and failures). */
function printTable(rows: ReadonlyArray<{ label: string; summary: TargetSummary }>): void {
  const cells = rows.map(({ label, summary: r }) => [
    label,
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.perRound,
    `${r.completed}${r.failed ? ` (${r.failed} failed)` : ''}`,
  ])
  const head = ['target', 'req/s', 'p50 ms', 'p99 ms', 'req/s by round', 'requests']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)))
  const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')
  console.log(fmt(head))
  for (const row of cells) console.log(fmt(row))
}

/** `name/bare: req/s x…, p50 x…, p99 x…` for each target against the bare baseline. */
function printRatios(
  bare: TargetSummary,
  others: ReadonlyArray<{ name: string; summary: TargetSummary }>,
): void {
  for (const { name, summary: r } of others) {
    console.log(
      `${name}/bare: req/s x${(r.rps / bare.rps).toFixed(2)}, ` +
        `p50 x${(r.p50 / bare.p50).toFixed(2)}, p99 x${(r.p99 / bare.p99).toFixed(2)}`,
    )
  }
}

/**
 * Each target's rounds summarised, printed as the table and as ratios to the target named
 * `bare` (the baseline every benchmark has), with any failures by label.
 */
export function printComparison<T extends string>(
  targets: readonly T[],
  runs: ReadonlyMap<T, readonly RunResult[]>,
  label: (target: T) => string,
  { failures = false } = {},
): Array<{ target: T; summary: TargetSummary }> {
  const summary = targets.map((target) => ({ target, summary: summariseRounds(runs.get(target)!) }))
  printTable(summary.map((r) => ({ label: label(r.target), summary: r.summary })))
  const bare = summary.find((r) => r.target === 'bare')!
  printRatios(
    bare.summary,
    summary.filter((r) => r !== bare).map((r) => ({ name: r.target, summary: r.summary })),
  )
  if (failures) {
    for (const r of summary) {
      if (r.summary.failed > 0) {
        const by = Object.entries(r.summary.failures).map(([k, n]) => `${k} ${n}`)
        console.log(`${r.target} failures: ${by.join(', ')}`)
      }
    }
  }
  return summary
}

// ------------------------------------------------------------------------------ database operations

/** What a server's store counted between two readings (actions that did not move are left out). */
export function opsDelta(after: Record<string, number>, before: Record<string, number>) {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after))
    if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0)
  return out
}

/** SDK requests per request over these runs, all actions together. */
export function opsTotalPerRequest(
  runs: ReadonlyArray<{ ops: Record<string, number>; requests: number }>,
): number {
  const requests = runs.reduce((n, o) => n + o.requests, 0)
  const ops = runs.reduce((n, o) => n + Object.values(o.ops).reduce((a, b) => a + b, 0), 0)
  return ops / Math.max(1, requests)
}

/** `get 1.00, update 2.00; total 3.00`: SDK requests by action per request, over these runs. */
export function opsPerRequest(
  runs: ReadonlyArray<{ ops: Record<string, number>; requests: number }>,
): string {
  const requests = runs.reduce((n, o) => n + o.requests, 0)
  const total: Record<string, number> = {}
  for (const o of runs) for (const [k, v] of Object.entries(o.ops)) total[k] = (total[k] ?? 0) + v
  const per = Object.entries(total)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k.replace('database.', '')} ${(v / requests).toFixed(2)}`)
  const sum = Object.values(total).reduce((n, v) => n + v, 0) / requests
  return `${per.join(', ')}; total ${sum.toFixed(2)}`
}
