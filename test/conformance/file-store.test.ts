// Conformance of the store on a file (npm start, benchmarks): processes sharing one file never
// lose an update (gateway instances, emulator/cluster.ts), and WAL checkpoints happen off the
// request path (emulator/db/checkpointer.ts).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DocumentStore } from '../../emulator/db/store'
import { incrementOnce } from './support/increment'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wal-file-store-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const open = (file: string) =>
  new DocumentStore({
    file,
    collectionsDir: '/nonexistent',
    collections: [{ collection: 'counters', indexes: [] }],
  })

/** The other process: resolves `ready` once it has opened the file, `done` with its conflicts. */
function otherProcess(file: string, count: number) {
  const script = path.join(__dirname, 'support', 'increment-worker.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, file, String(count)], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  let exited = false
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.startsWith('ready\n')) resolve()
    }),
  )
  const done = new Promise<{ conflicts: number }>((resolve, reject) =>
    child.on('exit', (code) => {
      exited = true
      if (code !== 0) return reject(new Error(`increment-worker exited with ${code}`))
      resolve(JSON.parse(out.slice('ready\n'.length)) as { conflicts: number })
    }),
  )
  return { ready, done, running: () => !exited }
}

it('two processes in read-modify-write transactions on one document lose nothing', async () => {
  const file = path.join(dir, 'shared.sqlite')
  const store = open(file)
  store.insert('counters', [{ _id: 'c', n: 0 }])
  const other = otherProcess(file, 400)
  await other.ready
  // This process increments for as long as the other runs, yielding inside each transaction so
  // that the other process commits in between (and this one has to detect it).
  let mine = 0
  let conflicts = 0
  while (other.running() || mine < 50) {
    if (await incrementOnce(store, () => new Promise((r) => setImmediate(r)))) mine++
    else conflicts++
  }
  const theirs = await other.done
  expect(store.find('counters', { _id: 'c' })[0]).toEqual({ _id: 'c', n: 400 + mine })
  // The processes did meet (otherwise this proves nothing about sharing the file).
  expect(conflicts + theirs.conflicts).toBeGreaterThan(0)
  store.close()
}, 60_000)

it('checkpoints the WAL into the database file without a commit doing it', async () => {
  const file = path.join(dir, 'wal.sqlite')
  const store = open(file)
  const before = statSync(file).size
  for (let i = 0; i < 50; i++) {
    store.insert(
      'counters',
      Array.from({ length: 100 }, (_, j) => ({ _id: `d${i}-${j}`, text: 'x'.repeat(200) })),
    )
  }
  // Commits checkpoint only far past SQLite's usual threshold: the file grows by the thread.
  const deadline = Date.now() + 5_000
  while (statSync(file).size <= before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
  }
  expect(statSync(file).size).toBeGreaterThan(before + 500_000)
  store.close()
})
