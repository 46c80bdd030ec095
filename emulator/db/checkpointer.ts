// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold, and with synchronous=NORMAL it syncs the file there: the event loop
// stops for the whole copy and fsync (measured: ~40 % of a commit's time on average). Here a
// worker thread with its own connection checkpoints every `intervalMs` instead (PASSIVE: it never
// blocks a writer, and copies what it can), so durability is unchanged and requests never wait.
import { Worker } from 'node:worker_threads'

/** The worker's code (plain CommonJS: it runs without the TypeScript loader of the parent). */
const SOURCE = `
const { workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.file, { timeout: 5000 })
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (e) { /* busy: next time */ }
}, workerData.intervalMs)
`

export interface Checkpointer {
  /** Ends the thread (a checkpoint cut short is safe: SQLite resumes it next time). */
  stop(): void
}

/** Checkpoint `file`'s WAL every `intervalMs` from a worker thread. */
export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { file, intervalMs, module: require.resolve('better-sqlite3') },
  })
  worker.unref() // never what keeps a process alive
  worker.on('error', (err) => console.error('[local cloud] checkpointer failed', err))
  return { stop: () => void worker.terminate() }
}
