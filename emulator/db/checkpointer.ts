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
const db = new Database(workerData.file, { timeout: workerData.restartWaitMs })
setInterval(() => {
  try {
    const [state] = db.pragma('wal_checkpoint(PASSIVE)')
    // A WAL is rewound to its start only when no reader is using it as a writer begins; with
    // several processes reading all the time that can keep failing, and the WAL grows until the
    // commits' own checkpoint (a stall). RESTART waits a little for the readers so it rewinds.
    // Only once PASSIVE has copied every frame: RESTART holds writers back while it copies and
    // syncs, which for thousands of frames is a stall of its own.
    if (state && state.log > workerData.restartFrames && state.checkpointed === state.log)
      db.pragma('wal_checkpoint(RESTART)')
  } catch (e) { /* busy: next time */ }
}, workerData.intervalMs)
`

/** WAL frames (~4 KiB each) past which a checkpoint also rewinds the WAL (RESTART). */
const RESTART_FRAMES = 4096
/** How long a RESTART checkpoint waits for readers (and holds writers back) at most. */
const RESTART_WAIT_MS = 10

export interface Checkpointer {
  /** Ends the thread (a checkpoint cut short is safe: SQLite resumes it next time). */
  stop(): void
}

/** Checkpoint `file`'s WAL every `intervalMs` from a worker thread. */
export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      file,
      intervalMs,
      restartFrames: RESTART_FRAMES,
      restartWaitMs: RESTART_WAIT_MS,
      module: require.resolve('better-sqlite3'),
    },
  })
  worker.unref() // never what keeps a process alive
  let stopped = false
  // A store closed (and its folder removed) before the thread has opened the file is no failure.
  worker.on('error', (err) => {
    if (!stopped) console.error('[local cloud] checkpointer failed', err)
  })
  return {
    stop: () => {
      stopped = true
      void worker.terminate()
    },
  }
}
