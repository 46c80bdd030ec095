// The gateway scaled out like CloudBase scales a function out: several instances (worker
// processes, node:cluster) share one HTTP port and one SQLite database file. As in the cloud,
// module state (caches, counters) is per instance and the database is the only shared state; the
// store makes that safe across processes (every write transaction is BEGIN IMMEDIATE, and a
// commit checks versions under the write lock).
//
// The primary prepares the database (schema, seed, bulk fills) BEFORE starting the cluster, then
// only supervises: it forks the workers, answers for them (stats), restarts one that dies, and
// stops them — and runs the file's one WAL checkpoint thread. Workers run
// emulator/gateway-worker.ts.
import cluster, { type Worker } from 'node:cluster'
import path from 'node:path'
import { startCheckpointer } from './db/checkpointer'
import type { DocumentStore } from './db/store'
import type { InstanceTrace } from './trace'

/** A store's group commits: SQLite commits, the transactions in them, waits for another's lock. */
export type GroupCommits = DocumentStore['groupCommits']

/** What a worker needs to serve (passed in its environment as JSON). */
export interface GatewayWorkerConfig {
  file: string
  port: number
  host: string
  functions: {
    from: 'source' | 'bundle'
    only?: string[]
    functionsDir?: string
    bundleDir?: string
  }
  /** One line per call on the worker's stdout (default true). */
  log?: boolean
  /** Largest body by function name, and for the others (default: the gateway's, emulator/gateway.ts). */
  bodyLimits?: Record<string, number>
  bodyLimit?: number
  /** Run the timer triggers of this folder's functions (worker 0 only). */
  timersDir?: string
  /** Record the instance's timeline (emulator/trace.ts), for `trace()`. */
  trace?: boolean
}

export interface WorkerStats {
  pid: number
  /** SDK requests by action since the worker started. */
  ops: Record<string, number>
  /** CPU time of the worker (user + system), µs. */
  cpuMicros: number
  rssMiB: number
  /** The store's group commits since the worker started. */
  groupCommits: GroupCommits
}

export type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'stats'; id: number; stats: WorkerStats }
  | { type: 'trace'; id: number; trace: InstanceTrace | null }

export type PrimaryMessage =
  { type: 'stats'; id: number } | { type: 'trace'; id: number; sinceMs: number } | { type: 'stop' }

export interface GatewayClusterOptions extends Omit<GatewayWorkerConfig, 'timersDir'> {
  workers: number
  /** Timer triggers run in worker 0 only (once per schedule, as in CloudBase). */
  timersDir?: string
  /** node options of the workers (default: the primary's, e.g. tsx's loader). */
  execArgv?: string[]
}

export interface GatewayCluster {
  port: number
  workers: number
  /** Each worker's counters (SDK requests, CPU, memory). */
  stats(): Promise<WorkerStats[]>
  /** Each worker's timeline since `sinceMs` (epoch ms); empty unless started with `trace`. */
  trace(sinceMs: number): Promise<InstanceTrace[]>
  close(): Promise<void>
}

const WORKER_SCRIPT = path.join(__dirname, `gateway-worker${path.extname(__filename)}`)
export const WORKER_CONFIG_ENV = 'WAL_GATEWAY_WORKER'

/** Fork `workers` gateway instances on one port and database file; resolves when all listen. */
export async function startGatewayCluster(options: GatewayClusterOptions): Promise<GatewayCluster> {
  if (!cluster.isPrimary) throw new Error('startGatewayCluster runs in the primary process')
  const { workers: count, timersDir, execArgv, ...config } = options
  // Connections are handed to the workers round robin by the primary (set before the first fork).
  cluster.schedulingPolicy = cluster.SCHED_RR
  cluster.setupPrimary({ exec: WORKER_SCRIPT, execArgv: execArgv ?? process.execArgv })

  let port = config.port
  let stopping = false
  let nextQuestion = 1
  /** Answers awaited from the workers, by question id. */
  const waiting = new Map<number, (answer: WorkerStats | InstanceTrace | null) => void>()
  const slots: Worker[] = []

  const fork = (slot: number): Promise<void> => {
    const worker = cluster.fork({
      [WORKER_CONFIG_ENV]: JSON.stringify({
        ...config,
        ...(slot === 0 && timersDir ? { timersDir } : {}),
      } satisfies GatewayWorkerConfig),
    })
    slots[slot] = worker
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'stats') waiting.get(msg.id)?.(msg.stats)
      else if (msg.type === 'trace') waiting.get(msg.id)?.(msg.trace)
    })
    worker.on('exit', (code, signal) => {
      if (stopping) return
      // A function instance died (an uncaught error, OOM): CloudBase starts a new one.
      console.error(`[cluster] worker ${slot} exited (${signal ?? code}); starting another`)
      void fork(slot)
    })
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`gateway worker ${slot} exited before listening (${code})`))
      worker.once('exit', onExit)
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type !== 'listening') return
        worker.off('exit', onExit)
        // Port 0: the primary picks a random port once and every worker's listen(0) shares it.
        port = msg.port
        resolve()
      })
    })
  }

  // One checkpoint thread for the file, here, rather than one per instance competing for it.
  const checkpointer = startCheckpointer(config.file)

  // The first worker alone, then the others (a shared handle is created once).
  await fork(0)
  await Promise.all(Array.from({ length: count - 1 }, (_, i) => fork(i + 1)))

  const ask = <T extends WorkerStats | InstanceTrace | null>(
    worker: Worker,
    question: (id: number) => PrimaryMessage,
  ): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextQuestion++
      const timer = setTimeout(() => {
        waiting.delete(id)
        reject(new Error(`worker ${worker.process.pid} did not answer`))
      }, 5_000)
      waiting.set(id, (answer) => {
        clearTimeout(timer)
        waiting.delete(id)
        resolve(answer as T)
      })
      worker.send(question(id))
    })

  return {
    port,
    workers: count,
    stats: () =>
      Promise.all(slots.map((w) => ask<WorkerStats>(w, (id) => ({ type: 'stats', id })))),
    async trace(sinceMs) {
      const traces = await Promise.all(
        slots.map((w) => ask<InstanceTrace | null>(w, (id) => ({ type: 'trace', id, sinceMs }))),
      )
      return traces.filter((t): t is InstanceTrace => t !== null)
    },
    async close() {
      stopping = true
      checkpointer.stop()
      await Promise.all(
        slots.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve()
              const timer = setTimeout(() => worker.kill('SIGKILL'), 5_000)
              worker.once('exit', () => {
                clearTimeout(timer)
                resolve()
              })
              worker.send({ type: 'stop' } satisfies PrimaryMessage)
            }),
        ),
      )
    },
  }
}

/** The workers' group commits added up. */
export function sumGroupCommits(stats: readonly WorkerStats[]): GroupCommits {
  const out: GroupCommits = { batches: 0, transactions: 0, lockWaits: 0 }
  for (const s of stats) for (const k of GROUP_COMMIT_KEYS) out[k] += s.groupCommits[k]
  return out
}

/** What `after` counted beyond `before`. */
export function groupCommitsSince(after: GroupCommits, before: GroupCommits): GroupCommits {
  const out: GroupCommits = { batches: 0, transactions: 0, lockWaits: 0 }
  for (const k of GROUP_COMMIT_KEYS) out[k] = after[k] - before[k]
  return out
}

const GROUP_COMMIT_KEYS = ['batches', 'transactions', 'lockWaits'] as const

/** The sum of the workers' SDK requests by action. */
export function sumOps(stats: readonly WorkerStats[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const s of stats) for (const [k, n] of Object.entries(s.ops)) out[k] = (out[k] ?? 0) + n
  return out
}
