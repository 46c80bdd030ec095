// Conformance of the store on a file (npm start, benchmarks): processes sharing one file never
// lose an update (gateway instances, emulator/cluster.ts), and WAL checkpoints happen off the
// request path (emulator/db/checkpointer.ts).
import { spawn } from 'node:child_process'
import Database from 'better-sqlite3'
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
    stdio: ['pipe', 'pipe', 'inherit'],
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
  const go = () => child.stdin.end('go\n')
  return { ready, go, done, running: () => !exited }
}

it('two processes in read-modify-write transactions on one document lose nothing', async () => {
  const file = path.join(dir, 'shared.sqlite')
  const store = open(file)
  store.insert('counters', [{ _id: 'c', n: 0 }])
  const other = otherProcess(file, 400)
  await other.ready
  other.go()
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

it('reads pages into its own cache unless a memory map is asked for, and refuses a bad size', () => {
  const file = path.join(dir, 'map.sqlite')
  const plain = open(file)
  expect(plain.sqlite.pragma('mmap_size', { simple: true })).toBe(0)
  plain.close()
  const mapped = new DocumentStore({ file, collectionsDir: '/nonexistent', mmapBytes: 2 ** 20 })
  expect(mapped.sqlite.pragma('mmap_size', { simple: true })).toBe(2 ** 20)
  mapped.close()
  for (const mmapBytes of [-1, 1.5, Number.NaN])
    expect(() => new DocumentStore({ file, collectionsDir: '/nonexistent', mmapBytes })).toThrow(
      RangeError,
    )
})

describe('indexes on key columns', () => {
  const people = {
    collection: 'people',
    indexes: [
      {
        name: 'province',
        unique: false,
        keys: [{ field: 'city.province', direction: 1 as const }],
      },
      { name: 'email', unique: true, keys: [{ field: 'email', direction: 1 as const }] },
    ],
  }
  const openPeople = (file: string) =>
    new DocumentStore({ file, collectionsDir: '/nonexistent', collections: [people] })

  it('follow every kind of write, and queries on them stay exact', () => {
    const store = openPeople(path.join(dir, 'keys.sqlite'))
    store.insert('people', [
      { _id: 'a', email: 'a@x', city: { province: '广东' } },
      { _id: 'b', email: 'b@x', city: { province: '北京' } },
      { _id: 'c', email: 'c@x' },
    ])
    const ids = (q: Record<string, unknown>) => store.find('people', q).map((d) => d._id)
    // An update that leaves the keys alone, one that moves one, a replacement, a transaction.
    store.modify(
      'people',
      { _id: 'a' },
      { $set: { name: '甲' } },
      { multi: false, merge: true, upsert: false },
    )
    store.modify(
      'people',
      { _id: 'b' },
      { $set: { 'city.province': '广东' } },
      { multi: false, merge: true, upsert: false },
    )
    store.modify(
      'people',
      { _id: 'c' },
      { email: 'c2@x', city: { province: '四川' } },
      { multi: false, merge: false, upsert: false },
    )
    const tx = store.startTransaction()
    store.modify(
      'people',
      { _id: 'a' },
      { $unset: { city: '' } },
      { multi: false, merge: true, upsert: false },
      tx,
    )
    store.commit(tx)
    expect(ids({ 'city.province': '广东' })).toEqual(['b'])
    expect(ids({ 'city.province': '北京' })).toEqual([])
    expect(ids({ 'city.province': '四川' })).toEqual(['c'])
    expect(ids({ 'city.province': null })).toEqual(['a'])
    expect(ids({ email: 'c@x' })).toEqual([])
    expect(ids({ email: 'c2@x' })).toEqual(['c'])
    // Unique on the column: the index is named in MongoDB's error, in and out of transactions.
    expect(() => store.insert('people', [{ _id: 'd', email: 'b@x' }])).toThrow(
      /E11000 duplicate key error collection: people index: email dup key: \{ email: "b@x" \}/,
    )
    expect(() =>
      store.modify(
        'people',
        { _id: 'a' },
        { $set: { email: 'c2@x' } },
        { multi: false, merge: true, upsert: false },
      ),
    ).toThrow(/index: email/)
    expect(store.explain('people', { 'city.province': '广东' }).join(' ')).toMatch(
      /USING INDEX ix_people_province \(k.city.province=\?\)/,
    )
    store.close()
  })

  it('a file with expression indexes (before key columns) is moved onto columns when opened', () => {
    const file = path.join(dir, 'old.sqlite')
    // The layout the store wrote before: expression indexes over the text, no key columns.
    const old = new Database(file)
    old.exec(`CREATE TABLE _collections (name TEXT PRIMARY KEY)`)
    old.exec(
      'CREATE TABLE _indexes (coll TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (coll, name))',
    )
    old.exec(`INSERT INTO _collections VALUES ('people')`)
    for (const idx of people.indexes)
      old
        .prepare('INSERT INTO _indexes VALUES (?, ?, ?)')
        .run('people', idx.name, JSON.stringify(idx))
    old.exec(
      `CREATE TABLE "c_people" (id TEXT PRIMARY KEY, doc TEXT NOT NULL, ver INTEGER NOT NULL)`,
    )
    old.exec(
      `CREATE INDEX "ix_people_province" ON "c_people" (ifnull(json_extract(doc, '$.city.province'), x'00') ASC)`,
    )
    old.exec(
      `CREATE UNIQUE INDEX "ix_people_email" ON "c_people" (ifnull(json_extract(doc, '$.email'), x'00') ASC)`,
    )
    const row = old.prepare('INSERT INTO "c_people" VALUES (?, ?, 1)')
    row.run('a', JSON.stringify({ _id: 'a', email: 'a@x', city: { province: '广东' } }))
    row.run('b', JSON.stringify({ _id: 'b', email: 'b@x' }))
    old.close()

    const store = openPeople(file)
    const indexSql = store.sqlite
      .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_people_%'`)
      .pluck()
      .all() as string[]
    expect(indexSql).toHaveLength(2)
    for (const sql of indexSql) expect(sql).not.toMatch(/json_extract/)
    expect(store.find('people', { 'city.province': '广东' }).map((d) => d._id)).toEqual(['a'])
    expect(store.find('people', { 'city.province': null }).map((d) => d._id)).toEqual(['b'])
    expect(() => store.insert('people', [{ _id: 'c', email: 'a@x' }])).toThrow(/index: email/)
    store.close()
    // Opened again (and by a second process at once, as a cluster does): nothing to move.
    const again = [openPeople(file), openPeople(file)]
    expect(again[1]!.find('people', { email: 'b@x' }).map((d) => d._id)).toEqual(['b'])
    for (const s of again) s.close()
  })
})
