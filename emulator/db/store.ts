// The local CloudBase document database: one SQLite table per collection (id, EJSON text, version),
// MongoDB-style semantics from mingo, indexes from the collection declarations (on key columns the
// store keeps beside the text), and optimistic transactions whose writes stay private until an
// atomic commit.
//
// Every method here is synchronous, except commitQueued, whose work (the group commit) runs in one
// later macrotask, synchronously too. Requests interleave only between SDK calls (at the `await`s
// in function code), never inside one, so a SQLite transaction is never open while another
// request runs: that is what keeps one request's rollback from touching another request's writes.
// Several processes may open one file (emulator/cluster.ts): every write runs in a BEGIN
// IMMEDIATE transaction, so reads-then-writes (version checks, mingo updates) are atomic.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { Aggregator, Query } from 'mingo'
import {
  collectionNameSchema,
  indexDeclarationSchema,
  loadCollectionDeclarations,
  type CollectionDeclaration,
  type IndexDeclaration,
} from './collections'
import { startCheckpointer, type Checkpointer } from './checkpointer'
import { DbError, unsupported } from './errors'
import {
  EARTH_RADIUS_M,
  angleBetween,
  asPoint,
  assertGeoValue,
  capBoxes,
  extractGeo,
  parseGeoNearStage,
  setPath,
  shapeBoxes,
  shapeContains,
  type Box,
  type GeoCondition,
  type LngLat,
} from './geo'
import { applyUpdate, integerIncrements } from './update'
import {
  AGGREGATE_STAGES,
  checkQuery,
  checkUpdate,
  encode,
  getPath,
  isOperatorDoc,
  parseEJSON,
  type Doc,
} from './wire'

export interface DocumentStoreOptions {
  /** SQLite file; ':memory:' (the default) for tests. */
  file?: string
  /** Folder of collection declarations; defaults to database/collections in this repository. */
  collectionsDir?: string
  /** Extra declarations (tests). */
  collections?: CollectionDeclaration[]
  /** Server clock for db.serverDate(); tests pass a fixed one. */
  clock?: () => number
  /**
   * Checkpoint a file's WAL from a thread of this process (default true). Off where another
   * process sharing the file runs the one checkpointer (the gateway cluster's primary).
   */
  checkpointThread?: boolean
  /**
   * Bytes of the file SQLite reads through a memory map (`mmap_size`; default 0: none). Left off:
   * with two processes on one file, each connection drops its page cache whenever the other has
   * committed, and a transaction after that cost ~100 µs more with the map than without (248
   * against 141 µs at 1M documents: `npm run bench:emulator`, docs/emulator.md). Kept as an
   * option for that comparison.
   */
  mmapBytes?: number
}

export interface FindOptions {
  order?: Record<string, 1 | -1>
  offset?: number
  limit?: number
  projection?: Record<string, unknown>
}

export interface ModifyOptions {
  multi: boolean
  /** true: `data` holds update operators; false: `data` replaces the document (doc.set). */
  merge: boolean
  upsert: boolean
}

/** A 2dsphere index: an R*Tree of the Points' lng/lat boxes, keyed by the row's rowid. */
interface GeoIndex {
  name: string
  field: string
  /** The R*Tree table (quoted): rid, lng0, lng1, lat0, lat1. */
  rtree: string
}

interface Table {
  name: string
  sql: string
  indexes: IndexDeclaration[]
  /** The 2dsphere indexes (also in `indexes`); their paths are not in `indexedPaths`. */
  geoIndexes: GeoIndex[]
  /** Paths whose values must be scalars (every key of every index). */
  indexedPaths: Set<string>
  /** The paths with a key column, in column order (the writes' parameters follow it). */
  keyPaths: string[]
  /** Deferred increments: the version-and-shape reads by the paths' depths, the writes by count. */
  incrementChecks: Map<string, Database.Statement>
  incrementWrites: Map<number, Database.Statement>
  stmts: {
    byId: Database.Statement<[string], { id: string; doc: string; ver: number }>
    verById: Database.Statement<[string], { ver: number }>
    /** id, text, then the key columns' values. */
    insert: Database.Statement<unknown[]>
    /** text, id, then the key columns' values: changes nothing if one of them differs. */
    update: Database.Statement<unknown[]>
    /** text, the key columns' values, id. */
    updateKeys: Database.Statement<unknown[]>
    remove: Database.Statement<[string]>
  }
}

interface Row {
  id: string
  doc: string
  ver: number
}

interface PendingWrite {
  coll: string
  id: string
  /** The document after the transaction; null = deleted (or not materialised: `increments`). */
  doc: Doc | null
  /** Its stored text, checked and encoded when the write was made (commit reuses it). */
  text: string | null
  /**
   * Instead of a document: integer increments SQLite applies to the stored text at commit.
   * Counter documents (statistics shards) grow to many kilobytes of small objects; parsing and
   * re-encoding them in JavaScript for every `$inc` cost more than the rest of a submission.
   */
  increments?: Increments
}

/** A commit waiting for the next group commit (commitQueued). */
interface QueuedCommit {
  txnId: string
  resolve: () => void
  reject: (error: unknown) => void
  /** Set when this transaction failed on its own (its savepoint was rolled back). */
  failure?: { error: unknown }
}

interface Transaction {
  id: string
  startedAt: number
  /** Version of every document the transaction read or wrote, as first seen (0 = absent). */
  seen: Map<string, number>
  writes: Map<string, PendingWrite>
}

const TRANSACTION_TTL_MS = 60_000
/** better-sqlite3's default: how long a synchronous write waits for another process's lock. */
const BUSY_TIMEOUT_MS = 5000
const MAX_DOC_BYTES = 16 * 1024 * 1024

const DEFAULT_COLLECTIONS_DIR = join(__dirname, '..', '..', 'database', 'collections')

// CloudBase ids are 32 lowercase hex characters. Random bytes are drawn in blocks: one syscall
// per 256 ids instead of one per id.
let idPool = Buffer.alloc(0)
let idOffset = 0
function newId(): string {
  if (idOffset + 16 > idPool.length) {
    idPool = randomBytes(16 * 256)
    idOffset = 0
  }
  idOffset += 16
  return idPool.toString('hex', idOffset - 16, idOffset)
}

function key(coll: string, id: string): string {
  return `${coll}\u0000${id}`
}

function quote(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`
}

/** SQLite's value of an indexed path read from the stored text; missing and null are one value. */
function pathExpr(path: string): string {
  return `ifnull(json_extract(doc, '$.${path}'), x'00')`
}

/**
 * The column that holds an indexed path's value. Indexes are on these columns, not on
 * expressions over the text: an expression index makes SQLite parse the document on every
 * update (and rewrite the index entry), while a column the update leaves alone costs nothing.
 */
function keyColumn(path: string): string {
  return quote(`k.${path}`)
}

const MISSING_KEY = Buffer.from([0])

/** What pathExpr gives for `path` of `doc`, computed from the document (the key column's value). */
function keyValue(doc: Doc, path: string): string | number | Buffer {
  const v = getPath(doc, path)
  if (v === undefined || v === null) return MISSING_KEY
  if (isScalar(v)) return sqlValue(v)
  return encode(v)
}

function isScalar(v: unknown): v is string | number | boolean {
  return (
    typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean'
  )
}

function sqlValue(v: string | number | boolean): string | number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v
}

/** SQLite's JSON path of field names, each quoted (digits-only names are keys, not indexes). */
function jsonPath(parts: string[]): string {
  return `$${parts.map((p) => `."${p}"`).join('')}`
}

type Increments = Array<{ parts: string[]; by: number }>

/** The depths of the increments' paths: the SQL of their shape check depends on nothing else. */
function depthsOf(increments: Increments): string {
  let sig = ''
  for (const { parts } of increments) sig += `${parts.length},`
  return sig
}

/**
 * The SQL condition that every increment's path meets objects or nothing on its way and an
 * integer or nothing at its end (where `$inc` means exactly "add to the number, or start at 0"),
 * for paths of these depths; its parameters are incrementableParams'. An integer at the end
 * proves the way there, so the way is looked at only when the end is missing (a new counter).
 */
function incrementableSql(increments: Increments): string {
  const checks: string[] = []
  for (const { parts } of increments) {
    const way: string[] = []
    for (let i = 1; i < parts.length; i++)
      way.push(`ifnull(json_type(doc, ?), 'object') = 'object'`)
    checks.push(
      `(json_type(doc, ?) = 'integer' OR (json_type(doc, ?) IS NULL${way.map((w) => ` AND ${w}`).join('')}))`,
    )
  }
  return checks.join(' AND ')
}

function incrementableParams(increments: Increments): string[] {
  const params: string[] = []
  for (const { parts } of increments) {
    const end = jsonPath(parts)
    params.push(end, end)
    for (let i = 1; i < parts.length; i++) params.push(jsonPath(parts.slice(0, i)))
  }
  return params
}

function incrementSpec(increments: Increments): Doc {
  const spec: Doc = {}
  for (const { parts, by } of increments) spec[parts.join('.')] = by
  return spec
}

function isGeoIndex(index: IndexDeclaration): boolean {
  return index.keys.some((k) => k.direction === '2dsphere')
}

/** How far from the centre a row's R*Tree box may put it beyond its true place (float32 boxes). */
const BOX_SLACK = 20 / EARTH_RADIUS_M

/** A nearest-first search's first radius (then grown until it holds enough matches). */
const NEAR_START = 1000 / EARTH_RADIUS_M

interface GeoRow extends Row {
  lng0: number
  lng1: number
  lat0: number
  lat1: number
}

function conflict(): DbError {
  return new DbError('DATABASE_TRANSACTION_CONFLICT', 'database transaction conflict')
}

function parseStored(text: string): Doc {
  return parseEJSON(text, 0) as Doc
}

export class DocumentStore {
  private readonly db: Database.Database
  private readonly tables = new Map<string, Table>()
  private readonly transactions = new Map<string, Transaction>()
  private readonly clock: () => number
  /** Runs a function inside one SQLite transaction (created once: better-sqlite3 wrappers are costly). */
  private readonly atomic: <T>(fn: () => T) => T
  private injectedConflicts = 0
  private readonly checkpointer: Checkpointer | undefined
  /** Requests served, by SDK action: what CloudBase would bill as reads and writes. */
  readonly ops: Record<string, number> = {}
  /** Commits waiting for the flush scheduled by the first of them (group commit). */
  private queuedCommits: QueuedCommit[] = []
  /** The next attempt of a flush that found the write lock taken by another process. */
  private flushRetry: NodeJS.Timeout | undefined
  private readonly batchStmts: Record<'begin' | 'commit' | 'rollback', Database.Statement>
  /** Group commits: SQLite transactions committed by flushes, and the transactions they held. */
  readonly groupCommits = { batches: 0, transactions: 0, lockWaits: 0 }

  constructor(options: DocumentStoreOptions = {}) {
    this.clock = options.clock ?? Date.now
    const mmap = options.mmapBytes ?? 0
    if (!Number.isSafeInteger(mmap) || mmap < 0) throw new RangeError(`mmapBytes: ${mmap}`)
    this.db = new Database(options.file ?? ':memory:')
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    if (options.file && options.file !== ':memory:') {
      // Checkpoints in a worker thread, not inside whichever commit crosses SQLite's threshold
      // (1,000 pages). A commit still checkpoints if the thread falls far behind (bulk loads:
      // 8,192 pages, 32 MiB), and a WAL file that grew is cut back to 64 MiB when it restarts.
      this.db.pragma('wal_autocheckpoint = 8192')
      this.db.pragma('journal_size_limit = 67108864')
      // Pages are read into the connection's cache, not through a memory map: see mmapBytes.
      this.db.pragma(`mmap_size = ${mmap}`)
      if (options.checkpointThread !== false) this.checkpointer = startCheckpointer(options.file)
    }
    // BEGIN IMMEDIATE: the write lock is taken before anything is read, so a commit's version
    // check and its writes are one step also when other processes (gateway instances) write the
    // same file; a process that finds the lock taken waits (better-sqlite3's 5 s busy timeout),
    // except the group commit, which tries again later instead of stopping the event loop.
    const run = this.db.transaction((fn: () => unknown) => fn())
    this.atomic = <T>(fn: () => T) => run.immediate(fn) as T
    this.batchStmts = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY)')
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS _indexes (coll TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (coll, name))',
    )
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS _management (kind TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, name))',
    )
    for (const row of this.db.prepare('SELECT name FROM _collections').all() as Array<{
      name: string
    }>) {
      this.openTable(row.name, [])
    }
    const declared = [
      ...loadCollectionDeclarations(options.collectionsDir ?? DEFAULT_COLLECTIONS_DIR),
      ...(options.collections ?? []),
    ]
    for (const decl of declared) this.declareCollection(decl)
  }

  now(): number {
    return this.clock()
  }

  close(): void {
    // Commits already requested are applied, not dropped (their flush would find the file closed).
    clearTimeout(this.flushRetry)
    if (this.db.open) this.flushCommits(true)
    this.checkpointer?.stop()
    if (this.db.open) this.db.close()
  }

  /** Prepared statements by SQL text: queries repeat their shape, and preparing costs more than running. */
  private readonly statements = new Map<string, Database.Statement>()

  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql)
    if (!st) {
      if (this.statements.size >= 500) this.statements.clear()
      st = this.db.prepare(sql)
      this.statements.set(sql, st)
    }
    return st
  }

  countOp(action: string): void {
    this.ops[action] = (this.ops[action] ?? 0) + 1
  }

  resetOps(): void {
    for (const k of Object.keys(this.ops)) delete this.ops[k]
  }

  /** Make the next `n` commits fail with DATABASE_TRANSACTION_CONFLICT (the SDK then retries). */
  injectTransactionConflicts(n: number): void {
    this.injectedConflicts += n
  }

  // ---------------------------------------------------------------- collections and indexes

  /** Create a collection (and its indexes) if it does not exist yet; idempotent. */
  declareCollection(decl: CollectionDeclaration): void {
    const existing = this.tables.get(decl.collection)
    if (!existing) this.createTable(decl.collection)
    const table = this.tables.get(decl.collection)!
    for (const index of decl.indexes) this.createIndex(table, index)
  }

  /** db.createCollection(): fails if it exists, as CloudBase does. */
  createCollection(name: string): void {
    if (this.tables.has(name)) {
      throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`)
    }
    this.createTable(name)
  }

  collectionNames(): string[] {
    return [...this.tables.keys()].sort()
  }

  // ---------------------------------------------------------------- management (deploy, export)
  //
  // What CloudBase's management API offers and `npm run deploy -- --local` / `data:export` use:
  // list a collection's indexes, create and drop one by name, and move documents in and out as
  // their stored EJSON text.

  /** A collection's indexes as declared (from a declaration file, a deploy, or kept in the file). */
  listIndexes(coll: string): IndexDeclaration[] {
    return this.table(coll).indexes.map((i) => structuredClone(i))
  }

  /**
   * Creates one index (a same-named index with other keys is replaced, as a deploy's update
   * does); fails like any write when the stored documents break it (a duplicate for a unique
   * index, a value that is not a Point for a 2dsphere one).
   */
  addIndex(coll: string, index: IndexDeclaration): void {
    this.createIndex(this.table(coll), indexDeclarationSchema.parse(index))
  }

  /** Drops an index by name (CloudBase's DropIndexes); an unknown name fails. */
  dropIndex(coll: string, name: string): void {
    const t = this.table(coll)
    const index = t.indexes.find((i) => i.name === name)
    if (!index) throw new DbError('INVALID_PARAM', `collection ${coll} has no index ${name}`)
    if (isGeoIndex(index)) this.dropGeoIndex(t, name)
    else this.db.exec(`DROP INDEX IF EXISTS ${quote(`ix_${t.name}_${name}`)}`)
    this.db.prepare('DELETE FROM _indexes WHERE coll = ? AND name = ?').run(coll, name)
    t.indexes = t.indexes.filter((i) => i.name !== name)
    // Key columns stay (kept up to date for good); only the paths that must hold scalars shrink.
    t.indexedPaths = new Set(
      t.indexes.filter((i) => !isGeoIndex(i)).flatMap((i) => i.keys.map((k) => k.field)),
    )
  }

  /**
   * What a deploy recorded beside the data (kind `rule`: a collection's security rule; kind
   * `function`: a deployed function's manifest), by name; `null` removes it.
   */
  setManagement(kind: string, name: string, value: string | null): void {
    if (value === null)
      this.db.prepare('DELETE FROM _management WHERE kind = ? AND name = ?').run(kind, name)
    else
      this.db
        .prepare('INSERT OR REPLACE INTO _management (kind, name, value) VALUES (?, ?, ?)')
        .run(kind, name, value)
  }

  /** The records of one kind, by name (see setManagement). */
  management(kind: string): Record<string, string> {
    const rows = this.db
      .prepare('SELECT name, value FROM _management WHERE kind = ? ORDER BY name')
      .all(kind) as Array<{ name: string; value: string }>
    return Object.fromEntries(rows.map((r) => [r.name, r.value]))
  }

  /** Every document of a collection as its stored EJSON text, ordered by `_id` (export). */
  exportDocuments(coll: string): IterableIterator<string> {
    const t = this.table(coll)
    return this.db
      .prepare(`SELECT doc FROM ${t.sql} ORDER BY id`)
      .pluck()
      .iterate() as IterableIterator<string>
  }

  /**
   * Writes documents given as EJSON text, each under its own `_id`, replacing a stored document
   * with that id: one SQLite transaction, every check of an ordinary write (unique and geo
   * indexes, indexed paths). Returns how many were written.
   */
  importDocuments(coll: string, texts: Iterable<string>): number {
    const t = this.table(coll)
    let n = 0
    this.atomic(() => {
      for (const text of texts) {
        const doc = parseStored(text)
        if (typeof doc._id !== 'string' || doc._id === '')
          throw new DbError('INVALID_PARAM', `${coll}: a document without a string _id`)
        t.stmts.remove.run(doc._id)
        this.writeInsert(t, doc)
        n += 1
      }
    })
    return n
  }

  private createTable(name: string): void {
    const parsed = collectionNameSchema.safeParse(name)
    if (!parsed.success) throw new DbError('INVALID_PARAM', `invalid collection name: ${name}`)
    const sql = quote(`c_${name}`)
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${sql} (id TEXT PRIMARY KEY, doc TEXT NOT NULL, ver INTEGER NOT NULL)`,
    )
    this.db.prepare('INSERT OR IGNORE INTO _collections (name) VALUES (?)').run(name)
    this.openTable(name, [])
  }

  private openTable(name: string, indexes: IndexDeclaration[]): void {
    const sql = quote(`c_${name}`)
    const table: Table = {
      name,
      sql,
      indexes: [...indexes],
      geoIndexes: [],
      indexedPaths: new Set(),
      keyPaths: [],
      incrementChecks: new Map(),
      incrementWrites: new Map(),
      stmts: {
        byId: this.db.prepare(`SELECT id, doc, ver FROM ${sql} WHERE id = ?`),
        verById: this.db.prepare(`SELECT ver FROM ${sql} WHERE id = ?`),
        ...this.writeStatements(sql, []),
        remove: this.db.prepare(`DELETE FROM ${sql} WHERE id = ?`),
      },
    }
    // Indexes already in the file (from an earlier run) keep being enforced.
    const stored = this.db
      .prepare(`SELECT value FROM _indexes WHERE coll = ?`)
      .pluck()
      .all(name) as string[]
    for (const text of stored) {
      const idx = JSON.parse(text) as IndexDeclaration
      if (!table.indexes.some((i) => i.name === idx.name)) table.indexes.push(idx)
    }
    for (const idx of table.indexes) {
      if (isGeoIndex(idx)) table.geoIndexes.push(this.ensureGeoIndex(table, idx))
      else for (const k of idx.keys) table.indexedPaths.add(k.field)
    }
    this.syncKeyColumns(table, table.indexedPaths)
    // Files from before key columns have expression indexes: rebuilt on the columns.
    for (const idx of table.indexes) if (!isGeoIndex(idx)) this.ensureIndex(table, idx)
    this.tables.set(name, table)
  }

  /** The statements that write a row: they keep the key columns in step with the text. */
  private writeStatements(
    sql: string,
    keyPaths: string[],
  ): Pick<Table['stmts'], 'insert' | 'update' | 'updateKeys'> {
    const cols = keyPaths.map(keyColumn)
    return {
      insert: this.db.prepare(
        `INSERT INTO ${sql} (id, doc, ver${cols.map((c) => `, ${c}`).join('')}) ` +
          `VALUES (?, ?, 1${cols.map(() => ', ?').join('')})`,
      ),
      update: this.db.prepare(
        `UPDATE ${sql} SET doc = ?, ver = ver + 1 WHERE id = ?${cols.map((c) => ` AND ${c} IS ?`).join('')}`,
      ),
      updateKeys: this.db.prepare(
        `UPDATE ${sql} SET doc = ?, ver = ver + 1${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ?`,
      ),
    }
  }

  /**
   * Gives every path in `paths` a key column (a new one is filled from the stored text) and
   * makes the table's writes keep them all. A column, once added, is kept up to date for good,
   * so that an index declared again later never finds stale values. Under BEGIN IMMEDIATE:
   * processes opening one file at once (a cluster) add each column once.
   */
  private syncKeyColumns(table: Table, paths: Iterable<string>): void {
    this.atomic(() => {
      const have = new Set(
        (
          this.db
            .prepare('SELECT name FROM pragma_table_info(?)')
            .pluck()
            .all(`c_${table.name}`) as string[]
        )
          .filter((n) => n.startsWith('k.'))
          .map((n) => n.slice(2)),
      )
      for (const path of paths) {
        if (have.has(path)) continue
        this.db.exec(`ALTER TABLE ${table.sql} ADD COLUMN ${keyColumn(path)}`)
        this.db.exec(`UPDATE ${table.sql} SET ${keyColumn(path)} = ${pathExpr(path)}`)
        have.add(path)
      }
      const keyPaths = [...have].sort()
      if (keyPaths.join('\u0000') === table.keyPaths.join('\u0000')) return
      table.keyPaths = keyPaths
      Object.assign(table.stmts, this.writeStatements(table.sql, keyPaths))
    })
  }

  /** The index on its key columns (an expression index of the same name is replaced). */
  private ensureIndex(table: Table, index: IndexDeclaration): void {
    const name = `ix_${table.name}_${index.name}`
    this.atomic(() => {
      const current = this.db
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`)
        .pluck()
        .get(name) as string | undefined
      if (current?.includes('json_extract')) this.db.exec(`DROP INDEX ${quote(name)}`)
      this.db.exec(this.indexSql(table, index))
    })
  }

  private createIndex(table: Table, index: IndexDeclaration): void {
    const current = table.indexes.find((i) => i.name === index.name)
    if (current && JSON.stringify(current) === JSON.stringify(index)) {
      if (!isGeoIndex(index)) this.ensureIndex(table, index)
      return
    }
    if (current) {
      if (isGeoIndex(current)) {
        this.dropGeoIndex(table, current.name)
      } else {
        this.db.exec(`DROP INDEX IF EXISTS ${quote(`ix_${table.name}_${index.name}`)}`)
      }
      table.indexes = table.indexes.filter((i) => i.name !== index.name)
    }
    if (isGeoIndex(index)) {
      this.createGeoIndex(table, index)
      return
    }
    this.assertIndexable(table, index)
    this.syncKeyColumns(
      table,
      index.keys.map((k) => k.field),
    )
    try {
      this.ensureIndex(table, index)
    } catch (e) {
      throw this.mapSqliteError(e, table, undefined)
    }
    this.db
      .prepare('INSERT OR REPLACE INTO _indexes (coll, name, value) VALUES (?, ?, ?)')
      .run(table.name, index.name, JSON.stringify(index))
    table.indexes.push(index)
    for (const k of index.keys) table.indexedPaths.add(k.field)
  }

  // ---------------------------------------------------------------- 2dsphere indexes
  //
  // Each 2dsphere index is an R*Tree (SQLite's rtree module) of one box per document with a
  // Point on the field: [lng, lng] × [lat, lat], stored as 32-bit floats rounded outwards, keyed
  // by the collection row's rowid. Triggers on the collection's table keep it in step with every
  // insert, update (only when the field's value changes) and delete, inside the same SQLite
  // transaction or savepoint as the write — so a rolled-back write or a failed commit leaves the
  // index as it was, and every write path (group commits, other processes on the file) is
  // covered. Queries take candidates from the boxes and decide exactly on the stored
  // coordinates (store.geoMatching).

  private geoNames(table: Table, indexName: string) {
    const base = `g_${table.name}_${indexName}`
    return {
      rtree: quote(base),
      triggers: ['ins', 'upd', 'del'].map((t) => quote(`${base}_${t}`)),
    }
  }

  /** The R*Tree and its triggers (created and filled if missing). */
  private ensureGeoIndex(table: Table, index: IndexDeclaration): GeoIndex {
    const field = index.keys[0]!.field
    const { rtree, triggers } = this.geoNames(table, index.name)
    const path = `$.${field}`
    // A write has checked the value (assertGeoValue): a Point, or missing/null (not indexed).
    const point = (row: string) => ({
      is: `json_extract(${row}.doc, '${path}.type') = 'Point'`,
      lng: `json_extract(${row}.doc, '${path}.coordinates[0]')`,
      lat: `json_extract(${row}.doc, '${path}.coordinates[1]')`,
    })
    const n = point('NEW')
    const insertNew = `INSERT INTO ${rtree} (rid, lng0, lng1, lat0, lat1) SELECT NEW.rowid, ${n.lng}, ${n.lng}, ${n.lat}, ${n.lat} WHERE ${n.is};`
    this.atomic(() => {
      const exists = this.db
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(`g_${table.name}_${index.name}`)
      this.db.exec(
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${rtree} USING rtree(rid, lng0, lng1, lat0, lat1)`,
      )
      this.db.exec(
        `CREATE TRIGGER IF NOT EXISTS ${triggers[0]} AFTER INSERT ON ${table.sql} BEGIN ${insertNew} END`,
      )
      this.db.exec(
        `CREATE TRIGGER IF NOT EXISTS ${triggers[1]} AFTER UPDATE OF doc ON ${table.sql} ` +
          `WHEN json_extract(OLD.doc, '${path}') IS NOT json_extract(NEW.doc, '${path}') BEGIN ` +
          `DELETE FROM ${rtree} WHERE rid = OLD.rowid; ${insertNew} END`,
      )
      this.db.exec(
        `CREATE TRIGGER IF NOT EXISTS ${triggers[2]} AFTER DELETE ON ${table.sql} BEGIN ` +
          `DELETE FROM ${rtree} WHERE rid = OLD.rowid; END`,
      )
      if (!exists) {
        const c = point('c')
        this.db.exec(
          `INSERT INTO ${rtree} (rid, lng0, lng1, lat0, lat1) SELECT c.rowid, ${c.lng}, ${c.lng}, ${c.lat}, ${c.lat} FROM ${table.sql} AS c WHERE ${c.is}`,
        )
      }
    })
    return { name: index.name, field, rtree }
  }

  private createGeoIndex(table: Table, index: IndexDeclaration): void {
    const field = index.keys[0]!.field
    if (table.indexedPaths.has(field))
      throw unsupported(`a 2dsphere index on "${field}", which has an ordinary index too`)
    const rows = this.db
      .prepare(`SELECT doc FROM ${table.sql}`)
      .pluck()
      .iterate() as IterableIterator<string>
    for (const text of rows) assertGeoValue(parseStored(text), field)
    table.geoIndexes.push(this.ensureGeoIndex(table, index))
    this.db
      .prepare('INSERT OR REPLACE INTO _indexes (coll, name, value) VALUES (?, ?, ?)')
      .run(table.name, index.name, JSON.stringify(index))
    table.indexes.push(index)
  }

  private dropGeoIndex(table: Table, name: string): void {
    const { rtree, triggers } = this.geoNames(table, name)
    this.atomic(() => {
      for (const t of triggers) this.db.exec(`DROP TRIGGER IF EXISTS ${t}`)
      this.db.exec(`DROP TABLE IF EXISTS ${rtree}`)
    })
    table.geoIndexes = table.geoIndexes.filter((g) => g.name !== name)
  }

  private indexSql(table: Table, index: IndexDeclaration): string {
    const cols = index.keys.map(
      (k) => `${keyColumn(k.field)} ${k.direction === -1 ? 'DESC' : 'ASC'}`,
    )
    return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(
      `ix_${table.name}_${index.name}`,
    )} ON ${table.sql} (${cols.join(', ')})`
  }

  private assertIndexable(table: Table, index: IndexDeclaration): void {
    const rows = this.db
      .prepare(`SELECT doc FROM ${table.sql}`)
      .pluck()
      .iterate() as IterableIterator<string>
    for (const text of rows) {
      const doc = parseStored(text)
      for (const k of index.keys) this.assertScalarPath(doc, k.field)
    }
  }

  /** Indexed paths must not hold or pass through arrays: multikey indexes are not emulated. */
  private assertScalarPath(doc: Doc, path: string): void {
    let cur: unknown = doc
    for (const part of path.split('.')) {
      if (Array.isArray(cur))
        throw unsupported(`an array on indexed path "${path}" (multikey index)`)
      if (cur === null || typeof cur !== 'object') return
      cur = (cur as Doc)[part]
    }
    if (Array.isArray(cur)) throw unsupported(`an array on indexed path "${path}" (multikey index)`)
  }

  private table(name: string): Table {
    const t = this.tables.get(name)
    if (!t) {
      throw new DbError(
        'DATABASE_COLLECTION_NOT_EXIST',
        `collection ${name} does not exist (declare it in database/collections/${name}.json)`,
      )
    }
    return t
  }

  // ---------------------------------------------------------------- reading

  /** SQLite's query plan for the candidate scan of `query` (tests prove indexes are used). */
  explain(coll: string, query: Doc): string[] {
    const t = this.table(coll)
    const geo = extractGeo(query)
    if (geo) {
      const driver = geo.conditions.find((c) => c.kind === 'near') ?? geo.conditions[0]!
      const gi = this.geoIndexFor(t, driver)
      const { where, params } = this.narrowing(t, geo.rest)
      const sql =
        `EXPLAIN QUERY PLAN SELECT c.id, c.doc, c.ver FROM ${gi.rtree} AS g JOIN ${t.sql} AS c ` +
        `ON c.rowid = g.rid WHERE g.lng0 <= 0 AND g.lng1 >= 0 AND g.lat0 <= 0 AND g.lat1 >= 0` +
        where.map((w) => ` AND ${w}`).join('')
      const rows = this.db.prepare(sql).all(...params) as Array<{ detail: string }>
      return rows.map((r) => r.detail)
    }
    const { sql, params } = this.candidateSql(t, query)
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{
      detail: string
    }>
    return rows.map((r) => r.detail)
  }

  /**
   * The scan of rows that may match `query`: narrowed in SQL by _id and by indexed paths, then
   * checked exactly by mingo. The SQL part only ever drops rows that cannot match.
   */
  private candidateSql(
    t: Table,
    query: Doc,
    idOrder = false,
  ): { sql: string; params: Array<string | number> } {
    const { where, params } = this.narrowing(t, query, idOrder)
    const sql = `SELECT id, doc, ver FROM ${t.sql}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
    return { sql, params }
  }

  /** The SQL terms (necessary conditions) that _id and indexed paths give for `query`. */
  private narrowing(
    t: Table,
    query: Doc,
    idOrder = false,
  ): { where: string[]; params: Array<string | number> } {
    const where: string[] = []
    const params: Array<string | number> = []
    const visit = (q: Doc) => {
      for (const [field, cond] of Object.entries(q)) {
        if (field === '$and' && Array.isArray(cond)) {
          for (const sub of cond) if (sub && typeof sub === 'object') visit(sub as Doc)
          continue
        }
        // Walking in _id order, the other terms still filter but must not pick an index: SQLite
        // would then sort every remaining match before handing over the first (`+` keeps a
        // column's value and hides its index).
        const expr =
          field === '_id'
            ? 'id'
            : t.indexedPaths.has(field)
              ? `${idOrder ? '+' : ''}${keyColumn(field)}`
              : undefined
        if (!expr) continue
        if (field === '_id' && !(typeof cond === 'string' || (cond && typeof cond === 'object')))
          continue
        if (isScalar(cond)) {
          if (field === '_id' && typeof cond !== 'string') continue
          where.push(`${expr} = ?`)
          params.push(sqlValue(cond))
          continue
        }
        if (!cond || typeof cond !== 'object' || cond instanceof Date || cond instanceof RegExp)
          continue
        for (const [op, v] of Object.entries(cond as Doc)) {
          if (op === '$eq' && isScalar(v)) {
            where.push(`${expr} = ?`)
            params.push(sqlValue(v))
          } else if (op === '$in' && Array.isArray(v) && v.length > 0 && v.every(isScalar)) {
            where.push(`${expr} IN (${v.map(() => '?').join(', ')})`)
            params.push(...(v as Array<string | number | boolean>).map(sqlValue))
          } else if (
            ['$gt', '$gte', '$lt', '$lte'].includes(op) &&
            (typeof v === 'string' || (field !== '_id' && typeof v === 'number'))
          ) {
            // SQLite orders numbers < text < blob; MongoDB only compares within a type. Ranges on
            // numbers/strings are therefore supersets of the matches, which mingo then narrows.
            // Every _id is a string, compared bytewise (UTF-8) like MongoDB's: `_id > last`, a
            // keyset page, starts at `last` in the primary key instead of the collection's start.
            const sqlOp = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op]
            where.push(`${expr} ${sqlOp} ?`)
            params.push(v)
          }
        }
      }
    }
    visit(query)
    return { where, params }
  }

  /**
   * The documents matching `query`. A geoNear query gives them nearest first, and needs only
   * the first `needed` of that order (the rest may be left out).
   */
  private matching(
    t: Table,
    query: Doc,
    needed = Infinity,
    idOrder = false,
  ): Array<{ row: Row; doc: Doc }> {
    const out: Array<{ row: Row; doc: Doc }> = []
    this.eachMatch(t, query, needed, idOrder, (row, doc) => out.push({ row, doc }))
    return out
  }

  /**
   * `matching`, one match at a time: a caller that needs only the stored rows (findEncoded) lets
   * each parsed document go as soon as it is tested, so a page of 1,000 large documents is not
   * held twice (parsed here, and again by the SDK that receives the texts).
   */
  private eachMatch(
    t: Table,
    query: Doc,
    needed: number,
    idOrder: boolean,
    visit: (row: Row, doc: Doc) => void,
  ): void {
    // doc(id): the row itself, without compiling a query.
    const keys = Object.keys(query)
    if (keys.length === 1 && typeof query._id === 'string') {
      const row = t.stmts.byId.get(query._id)
      if (row) visit(row, parseStored(row.doc))
      return
    }
    const geo = extractGeo(query)
    if (geo) {
      for (const m of this.geoMatching(t, geo.conditions, geo.rest, needed)) visit(m.row, m.doc)
      return
    }
    checkQuery(query)
    const q = new Query(query, {})
    if (idOrder) {
      // In _id order SQLite hands the candidates over one by one, and the first `needed` that
      // match are the answer: a page of a walk by _id (an export's) costs its page, not the rest
      // of the collection, as MongoDB's _id index gives it.
      if (needed <= 0) return
      const { sql, params } = this.candidateSql(t, query, true)
      let found = 0
      for (const row of this.statement(`${sql} ORDER BY id`).iterate(...params) as Iterable<Row>) {
        const doc = parseStored(row.doc)
        if (!q.test(doc)) continue
        visit(row, doc)
        if (++found >= needed) break
      }
      return
    }
    const { sql, params } = this.candidateSql(t, query)
    for (const row of this.statement(sql).iterate(...params) as Iterable<Row>) {
      const doc = parseStored(row.doc)
      if (q.test(doc)) visit(row, doc)
    }
  }

  // ---------------------------------------------------------------- geo queries

  /** The 2dsphere index on `field`; CloudBase (MongoDB's planner) refuses a geo query without one. */
  private geoIndexFor(t: Table, cond: GeoCondition): GeoIndex {
    const gi = t.geoIndexes.find((g) => g.field === cond.field)
    if (gi) return gi
    const op = cond.kind === 'near' ? '$geoNear' : '$geoWithin'
    throw new DbError(
      'DATABASE_REQUEST_FAILED',
      `[FailedOperation.Query] (BadValue) error processing query: ns=${t.name} ` +
        `${cond.kind === 'near' ? 'GEONEAR' : 'GEO'} field=${cond.field} planner returned error: ` +
        `unable to find index for ${op} query (declare a 2dsphere index on "${cond.field}" in ` +
        `database/collections/${t.name}.json)`,
    )
  }

  /** Candidate rows whose R*Tree box meets one of `boxes`, with the SQL narrowing of `rest`. */
  private geoCandidates(t: Table, gi: GeoIndex, boxes: Box[], rest: Doc): GeoRow[] {
    const { where, params } = this.narrowing(t, rest)
    const sql =
      `SELECT c.id AS id, c.doc AS doc, c.ver AS ver, g.lng0, g.lng1, g.lat0, g.lat1 ` +
      `FROM ${gi.rtree} AS g JOIN ${t.sql} AS c ON c.rowid = g.rid ` +
      `WHERE g.lng0 <= ? AND g.lng1 >= ? AND g.lat0 <= ? AND g.lat1 >= ?` +
      where.map((w) => ` AND ${w}`).join('')
    const st = this.statement(sql)
    this.geoStats.rounds++
    const out: GeoRow[] = []
    for (const b of boxes) {
      for (const row of st.iterate(b.lng1, b.lng0, b.lat1, b.lat0, ...params) as Iterable<GeoRow>)
        out.push(row)
    }
    this.geoStats.rows += out.length
    return out
  }

  /**
   * Geo conditions (at most one geoNear) and the rest of the query, through the 2dsphere index.
   * geoWithin: the shape's boxes give the candidates. geoNear: a growing circle — the boxes of a
   * cap of radius r hold every document within r, so once `needed` matches lie within r they are
   * the nearest; r starts at 1 km (or minDistance + 1 km) and grows by what the last round found,
   * up to maxDistance or the whole sphere. Exact distances come from the stored coordinates.
   */
  private geoMatching(
    t: Table,
    conditions: GeoCondition[],
    rest: Doc,
    needed: number,
  ): Array<{ row: Row; doc: Doc; angle?: number }> {
    checkQuery(rest)
    const near = conditions.filter((c) => c.kind === 'near')
    if (near.length > 1)
      throw new DbError('DATABASE_REQUEST_FAILED', 'Too many geoNear expressions')
    for (const c of conditions) this.geoIndexFor(t, c)
    const q = Object.keys(rest).length > 0 ? new Query(rest, {}) : undefined
    const holds = (doc: Doc, skip?: GeoCondition) =>
      conditions.every((c) => {
        if (c === skip) return true
        const p = asPoint(getPath(doc, c.field))
        if (!p) return false
        if (c.kind === 'within') return shapeContains(c.shape, p)
        const a = angleBetween(c.center, p)
        return a >= c.minAngle && a <= c.maxAngle
      }) &&
      (!q || q.test(doc))
    this.geoStats.queries++
    const driver = near[0] ?? conditions[0]!
    const gi = this.geoIndexFor(t, driver)
    if (driver.kind === 'within') {
      const out: Array<{ row: Row; doc: Doc }> = []
      const seen = new Set<string>()
      for (const row of this.geoCandidates(t, gi, shapeBoxes(driver.shape), rest)) {
        if (seen.has(row.id)) continue // a document in two boxes (MultiPolygon)
        seen.add(row.id)
        const doc = parseStored(row.doc)
        if (holds(doc)) out.push({ row, doc })
      }
      return out
    }
    return this.nearest(t, gi, driver, rest, needed, (doc) => holds(doc, driver))
  }

  /** Nearest first within [minAngle, maxAngle] of `cond.center`, at least `needed` if there are. */
  private nearest(
    t: Table,
    gi: GeoIndex,
    cond: { center: LngLat; minAngle: number; maxAngle: number },
    rest: Doc,
    needed: number,
    holds: (doc: Doc) => boolean,
  ): Array<{ row: Row; doc: Doc; angle: number }> {
    const { center, minAngle, maxAngle } = cond
    const field = gi.field
    /** Documents looked at: their exact angle, and whether they match (null: they do not). */
    const looked = new Map<string, { row: Row; doc: Doc; angle: number } | null>()
    let r = Math.min(maxAngle, minAngle + NEAR_START)
    for (;;) {
      let within = 0
      for (const row of this.geoCandidates(t, gi, capBoxes(center, r), rest)) {
        const prior = looked.get(row.id)
        if (prior !== undefined) {
          if (prior && prior.angle <= r) within++
          continue
        }
        // The box's centre is within BOX_SLACK of the Point: skip what is surely beyond r.
        const approx = angleBetween(center, {
          lng: (row.lng0 + row.lng1) / 2,
          lat: (row.lat0 + row.lat1) / 2,
        })
        if (approx > r + BOX_SLACK) continue
        const doc = parseStored(row.doc)
        const p = asPoint(getPath(doc, field))
        const angle = p ? angleBetween(center, p) : Infinity
        const ok = angle >= minAngle && angle <= maxAngle && holds(doc)
        looked.set(row.id, ok ? { row, doc, angle } : null)
        if (ok && angle <= r) within++
      }
      if (within >= needed || r >= maxAngle || r >= Math.PI) break
      // Grow by the density seen so far (matches grow with the area, r²), at least ×1.5.
      const factor =
        within === 0 ? 8 : Math.min(8, Math.max(1.5, Math.sqrt(needed / within) * 1.25))
      r = Math.min(maxAngle, Math.PI, minAngle + (r - minAngle) * factor)
    }
    const out: Array<{ row: Row; doc: Doc; angle: number }> = []
    for (const m of looked.values()) if (m && m.angle <= r) out.push(m)
    out.sort(
      (a, b) => a.angle - b.angle || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0),
    )
    return out
  }

  /** Geo queries served: queries, index rounds (a geoNear's growing circle), rows fetched. */
  readonly geoStats = { queries: 0, rounds: 0, rows: 0 }

  find(coll: string, query: Doc, options: FindOptions = {}, txnId?: string): Doc[] {
    const t = this.table(coll)
    if (txnId) {
      const id = this.docIdOf(query, 'a query inside a transaction')
      const doc = this.txnRead(this.txn(txnId), t, id)
      return doc ? [this.project([doc], options.projection)[0]!] : []
    }
    return this.project(
      this.selected(t, query, options).map((m) => m.doc),
      options.projection,
    )
  }

  /**
   * The matches of a query outside a transaction, in order and cut to offset and limit; with
   * `rowsOnly`, their stored rows alone where the order needs no parsed document (the documents
   * are then left out: `doc` is undefined).
   */
  private selected(t: Table, query: Doc, options: FindOptions): Array<{ row: Row; doc: Doc }>
  private selected(
    t: Table,
    query: Doc,
    options: FindOptions,
    rowsOnly: true,
  ): Array<{ row: Row; doc?: Doc }>
  private selected(
    t: Table,
    query: Doc,
    options: FindOptions,
    rowsOnly = false,
  ): Array<{ row: Row; doc?: Doc }> {
    const ordered = options.order && Object.keys(options.order).length > 0
    const offset = options.offset ?? 0
    // A geoNear query's matches come nearest first: only the first offset + limit are needed,
    // unless an orderBy sorts them again (then distance only breaks its ties).
    const orderKeys = ordered ? Object.keys(options.order!) : []
    // Ordered by _id ascending alone (and no geo query): matches come in that order already.
    const idOrder =
      orderKeys.length === 1 &&
      orderKeys[0] === '_id' &&
      options.order!._id === 1 &&
      extractGeo(query) === undefined
    const needed = ordered && !idOrder ? Infinity : offset + (options.limit ?? Infinity)
    let matches: Array<{ row: Row; doc?: Doc }>
    if (ordered && !idOrder) {
      const found = this.matching(t, query, needed, idOrder)
      const rowOf = new Map(found.map((m) => [m.doc, m.row]))
      matches = new Query({}, {})
        .find<Doc>(found.map((m) => m.doc))
        .sort(options.order!)
        .all()
        .map((doc) => ({ row: rowOf.get(doc)!, doc }))
    } else if (rowsOnly) {
      const rows: Array<{ row: Row }> = []
      this.eachMatch(t, query, needed, idOrder, (row) => rows.push({ row }))
      matches = rows
    } else {
      matches = this.matching(t, query, needed, idOrder)
    }
    const limit = options.limit ?? matches.length
    return matches.slice(offset, offset + limit)
  }

  /**
   * `find` as EJSON texts, the form the SDK receives. Without a projection the documents are
   * handed over as stored — already EJSON, written by encode() or by SQLite's json_set — and
   * not encoded again: a page of an export is 1,000 documents of ~100 answers each.
   */
  findEncoded(coll: string, query: Doc, options: FindOptions = {}, txnId?: string): string[] {
    const projected = options.projection && Object.keys(options.projection).length > 0
    if (projected) return this.find(coll, query, options, txnId).map(encode)
    const t = this.table(coll)
    if (txnId) {
      const text = this.txnReadText(
        this.txn(txnId),
        t,
        this.docIdOf(query, 'a query inside a transaction'),
      )
      return text === null ? [] : [text]
    }
    const keys = Object.keys(query)
    if (
      keys.length === 1 &&
      typeof query._id === 'string' &&
      !options.offset &&
      options.limit !== 0
    ) {
      // doc(id).get(): the row itself, not even parsed.
      const row = t.stmts.byId.get(query._id)
      return row ? [row.doc] : []
    }
    return this.selected(t, query, options, true).map((m) => m.row.doc)
  }

  private project(docs: Doc[], projection: Record<string, unknown> | undefined): Doc[] {
    if (!projection || Object.keys(projection).length === 0) return docs
    return new Query({}, {}).find<Doc>(docs, projection).all()
  }

  count(coll: string, query: Doc): number {
    // One match at a time: a count over a million documents must not hold them all.
    let n = 0
    this.eachMatch(this.table(coll), query, Infinity, false, () => (n += 1))
    return n
  }

  aggregate(coll: string, stages: Doc[]): Doc[] {
    const t = this.table(coll)
    stages.forEach((stage, i) => {
      const [name, spec] = Object.entries(stage)[0] ?? []
      if (name === '$geoNear' && i === 0) return
      if (name === '$geoNear')
        throw new DbError(
          'DATABASE_REQUEST_FAILED',
          '$geoNear is only valid as the first stage in a pipeline',
        )
      if (!name || !AGGREGATE_STAGES.has(name))
        throw unsupported(`aggregate stage ${name ?? '(empty)'}`)
      if (name === '$match') checkQuery(spec)
    })
    const first = stages[0]
    if (first && '$geoNear' in first) {
      const source = this.geoNearStage(t, first.$geoNear, stages[1], stages[2])
      return new Aggregator(stages.slice(1), {}).run(source) as Doc[]
    }
    const source =
      first && '$match' in first
        ? this.matching(t, first.$match as Doc).map((m) => m.doc)
        : (this.db.prepare(`SELECT doc FROM ${t.sql}`).pluck().all() as string[]).map(parseStored)
    const pipeline = first && '$match' in first ? stages.slice(1) : stages
    return new Aggregator(pipeline, {}).run(source) as Doc[]
  }

  /**
   * The aggregate `$geoNear` stage: the documents matching `query`, nearest first, each with its
   * distance in metres (× distanceMultiplier) at distanceField. Its own limit, or a `$limit`
   * (after an optional `$skip`) right behind it, bounds how far the search goes.
   */
  private geoNearStage(t: Table, spec: unknown, next?: Doc, after?: Doc): Doc[] {
    const stage = parseGeoNearStage(spec)
    checkQuery(stage.query)
    let gi: GeoIndex | undefined
    if (stage.key !== undefined) {
      gi = t.geoIndexes.find((g) => g.field === stage.key)
      if (!gi)
        throw new DbError(
          'DATABASE_REQUEST_FAILED',
          `$geoNear: no 2dsphere index on key "${stage.key}" in collection ${t.name}`,
        )
    } else if (t.geoIndexes.length > 1) {
      throw new DbError(
        'DATABASE_REQUEST_FAILED',
        `$geoNear: more than one 2dsphere index on ${t.name}, say which with key`,
      )
    } else {
      gi = t.geoIndexes[0]
      if (!gi)
        throw new DbError(
          'DATABASE_REQUEST_FAILED',
          `$geoNear requires a 2d or 2dsphere index, but none were found (declare a 2dsphere ` +
            `index in database/collections/${t.name}.json)`,
        )
    }
    let needed = stage.limit ?? Infinity
    const skip = next && typeof next.$skip === 'number' ? next.$skip : 0
    const limitStage = skip > 0 ? after : next
    if (limitStage && typeof limitStage.$limit === 'number')
      needed = Math.min(needed, skip + limitStage.$limit)
    const q = Object.keys(stage.query).length > 0 ? new Query(stage.query, {}) : undefined
    this.geoStats.queries++
    let found = this.nearest(
      t,
      gi,
      { center: stage.near, minAngle: stage.minAngle, maxAngle: stage.maxAngle },
      stage.query,
      needed,
      (doc) => !q || q.test(doc),
    )
    if (stage.limit !== undefined) found = found.slice(0, stage.limit)
    return found.map(({ doc, angle }) => {
      setPath(doc, stage.distanceField, angle * EARTH_RADIUS_M * stage.distanceMultiplier)
      if (stage.includeLocs) setPath(doc, stage.includeLocs, getPath(doc, gi.field))
      return doc
    })
  }

  // ---------------------------------------------------------------- writing

  private prepareForWrite(t: Table, doc: Doc): string {
    for (const path of t.indexedPaths) this.assertScalarPath(doc, path)
    for (const gi of t.geoIndexes) assertGeoValue(doc, gi.field)
    const text = encode(doc)
    if (text.length > MAX_DOC_BYTES)
      throw new DbError('DATABASE_REQUEST_FAILED', 'document too large')
    return text
  }

  private mapSqliteError(e: unknown, t: Table, doc: Doc | undefined): unknown {
    const err = e as { code?: string; message?: string }
    if (err.code !== 'SQLITE_CONSTRAINT_UNIQUE' && err.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY')
      return e
    const message = err.message ?? ''
    const m = /index '([^']+)'/.exec(message)
    // A unique index on key columns is reported by its columns: "…failed: c_t.k.a, c_t.k.b".
    const columns = message.replace(/^.*constraint failed: /, '')
    const indexName =
      m?.[1]?.replace(`ix_${t.name}_`, '') ??
      t.indexes.find(
        (i) => i.unique && i.keys.map((k) => `c_${t.name}.k.${k.field}`).join(', ') === columns,
      )?.name ??
      '_id_'
    const index = t.indexes.find((i) => i.name === indexName)
    const dup = index
      ? index.keys
          .map((k) => `${k.field}: ${JSON.stringify(doc ? (getPath(doc, k.field) ?? null) : null)}`)
          .join(', ')
      : `_id: ${JSON.stringify(doc?._id ?? null)}`
    return new DbError(
      'DATABASE_REQUEST_FAILED',
      `E11000 duplicate key error collection: ${t.name} index: ${indexName} dup key: { ${dup} }`,
    )
  }

  private writeInsert(t: Table, doc: Doc, text = this.prepareForWrite(t, doc)): void {
    try {
      t.stmts.insert.run(doc._id as string, text, ...t.keyPaths.map((p) => keyValue(doc, p)))
    } catch (e) {
      throw this.mapSqliteError(e, t, doc)
    }
  }

  /** The text, and the key columns only if their values changed (the index is left alone). */
  private writeUpdate(t: Table, doc: Doc, text = this.prepareForWrite(t, doc)): void {
    const id = doc._id as string
    try {
      if (t.keyPaths.length === 0) {
        t.stmts.update.run(text, id)
        return
      }
      const keys = t.keyPaths.map((p) => keyValue(doc, p))
      if (t.stmts.update.run(text, id, ...keys).changes === 0)
        t.stmts.updateKeys.run(text, ...keys, id)
    } catch (e) {
      throw this.mapSqliteError(e, t, doc)
    }
  }

  private withId(doc: Doc): Doc {
    if (doc._id === undefined) return { _id: newId(), ...doc }
    if (typeof doc._id !== 'string' || doc._id === '') throw unsupported('a non-string _id')
    return doc
  }

  insert(coll: string, docs: Doc[], txnId?: string): string[] {
    const t = this.table(coll)
    const prepared = docs.map((d) => this.withId(d))
    if (txnId) {
      const txn = this.txn(txnId)
      for (const doc of prepared) {
        const id = doc._id as string
        if (this.txnRead(txn, t, id))
          throw this.mapSqliteError({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, t, doc)
        const text = this.prepareForWrite(t, doc)
        this.assertUniqueOutside(t, doc)
        txn.writes.set(key(coll, id), { coll, id, doc, text })
      }
      return prepared.map((d) => d._id as string)
    }
    this.atomic(() => {
      for (const doc of prepared) this.writeInsert(t, doc)
    })
    return prepared.map((d) => d._id as string)
  }

  /** Transactions see unique-index clashes with committed data at once, as CloudBase reports them. */
  private assertUniqueOutside(t: Table, doc: Doc): void {
    for (const index of t.indexes) {
      if (!index.unique) continue
      const values = index.keys.map((k) => keyValue(doc, k.field))
      const where = index.keys.map((k) => `${keyColumn(k.field)} = ?`).join(' AND ')
      const hit = this.statement(`SELECT id FROM ${t.sql} WHERE ${where} AND id != ?`).get(
        ...values,
        doc._id,
      )
      if (hit)
        throw this.mapSqliteError(
          { code: 'SQLITE_CONSTRAINT_UNIQUE', message: `index 'ix_${t.name}_${index.name}'` },
          t,
          doc,
        )
    }
  }

  /**
   * Apply an update (operators) or a replacement to `doc`; returns the new doc or null if
   * unchanged. `owned`: the caller discards `doc` afterwards, so it may be changed in place.
   */
  private applyModification(
    doc: Doc | null,
    id: string,
    data: Doc,
    merge: boolean,
    owned = false,
  ): Doc | null {
    if (!merge) {
      if (isOperatorDoc(data))
        throw new DbError('DATABASE_REQUEST_FAILED', 'update operator complicit')
      const next = { ...data, _id: id }
      return doc && encode(doc) === encode(next) ? null : next
    }
    checkUpdate(data)
    const next = doc && owned ? doc : structuredClone(doc ?? { _id: id })
    const changed = applyUpdate(next, data)
    if (next._id !== id) throw new DbError('DATABASE_REQUEST_FAILED', 'cannot change _id')
    return changed ? next : null
  }

  modify(
    coll: string,
    query: Doc,
    data: Doc,
    options: ModifyOptions,
    txnId?: string,
  ): { updated: number; upsertedId?: string } {
    const t = this.table(coll)
    if (txnId) {
      const txn = this.txn(txnId)
      const id = this.docIdOf(query, 'a where-update inside a transaction')
      if (options.merge && this.deferIncrements(txn, t, id, data)) return { updated: 1 }
      const current = this.txnRead(txn, t, id)
      if (!current && !options.upsert) return { updated: 0 }
      // txnRead hands out a private copy: the update may work on it in place.
      const next = this.applyModification(current, id, data, options.merge, true)
      if (!next) return { updated: 0 }
      const text = this.prepareForWrite(t, next)
      txn.writes.set(key(coll, id), { coll, id, doc: next, text })
      return current ? { updated: 1 } : { updated: 0, upsertedId: id }
    }
    return this.atomic(() => {
      const matches = this.matching(t, query)
      if (matches.length === 0) {
        if (!options.upsert) return { updated: 0 }
        const id = typeof query._id === 'string' ? query._id : newId()
        const next = this.applyModification(null, id, data, options.merge) ?? { _id: id }
        this.writeInsert(t, next)
        return { updated: 0, upsertedId: id }
      }
      let updated = 0
      for (const { row, doc } of options.multi ? matches : matches.slice(0, 1)) {
        const next = this.applyModification(doc, row.id, data, options.merge, true)
        if (!next) continue
        this.writeUpdate(t, next)
        updated++
      }
      return { updated }
    })
  }

  /** Update one document and return it after the update (updateAndReturn). */
  modifyAndReturn(
    coll: string,
    query: Doc,
    data: Doc,
    txnId?: string,
  ): { updated: number; doc: Doc | null } {
    const t = this.table(coll)
    if (txnId) {
      const id = this.docIdOf(query, 'updateAndReturn with a where query inside a transaction')
      const res = this.modify(
        coll,
        { _id: id },
        data,
        { multi: false, merge: true, upsert: false },
        txnId,
      )
      return { updated: res.updated, doc: this.txnRead(this.txn(txnId), t, id) }
    }
    return this.atomic(() => {
      const first = this.matching(t, query)[0]
      if (!first) return { updated: 0, doc: null }
      const next = this.applyModification(first.doc, first.row.id, data, true)
      if (!next) return { updated: 0, doc: first.doc }
      this.writeUpdate(t, next)
      return { updated: 1, doc: next }
    })
  }

  remove(coll: string, query: Doc, options: { multi: boolean }, txnId?: string): number {
    const t = this.table(coll)
    if (txnId) {
      const txn = this.txn(txnId)
      const id = this.docIdOf(query, 'a where-remove inside a transaction')
      if (!this.txnRead(txn, t, id)) return 0
      txn.writes.set(key(coll, id), { coll, id, doc: null, text: null })
      return 1
    }
    return this.atomic(() => {
      const matches = this.matching(t, query)
      const victims = options.multi ? matches : matches.slice(0, 1)
      for (const { row } of victims) t.stmts.remove.run(row.id)
      return victims.length
    })
  }

  // ---------------------------------------------------------------- transactions

  startTransaction(): string {
    const now = this.clock()
    for (const [id, txn] of this.transactions) {
      if (now - txn.startedAt > TRANSACTION_TTL_MS) this.transactions.delete(id)
    }
    const id = newId()
    this.transactions.set(id, { id, startedAt: now, seen: new Map(), writes: new Map() })
    return id
  }

  private txn(id: string): Transaction {
    const txn = this.transactions.get(id)
    if (!txn)
      throw new DbError('DATABASE_TRANSACTION_FAIL', `transaction ${id} not found or expired`)
    return txn
  }

  /** Transactions in CloudBase address single documents by _id; anything else fails loudly. */
  private docIdOf(query: Doc, what: string): string {
    const keys = Object.keys(query)
    if (keys.length === 1 && typeof query._id === 'string') return query._id
    throw unsupported(`${what} (transactions support doc operations and add only)`)
  }

  /**
   * An update of only integer `$inc`s on an existing document the transaction has not written
   * yet, away from indexed paths: remembered as increments for commit (true), or false when it
   * must go the ordinary way (read, apply, encode).
   */
  private deferIncrements(txn: Transaction, t: Table, id: string, data: Doc): boolean {
    const k = key(t.name, id)
    if (txn.writes.has(k)) return false
    const increments = integerIncrements(data)
    if (!increments) return false
    for (const { parts } of increments) {
      const path = parts.join('.')
      for (const indexed of t.indexedPaths) {
        if (path === indexed || path.startsWith(`${indexed}.`) || indexed.startsWith(`${path}.`))
          return false
      }
      // Points must be checked on write (a geo index's triggers would index what json_set left).
      for (const { field } of t.geoIndexes) {
        if (path === field || path.startsWith(`${field}.`) || field.startsWith(`${path}.`))
          return false
      }
    }
    // The version, and whether the stored shape takes the increments, in one statement (one
    // per table and depths of the paths, prepared once).
    const depths = depthsOf(increments)
    let shapeStmt = t.incrementChecks.get(depths)
    if (!shapeStmt) {
      shapeStmt = this.db.prepare(
        `SELECT ver, (${incrementableSql(increments)}) AS fits FROM ${t.sql} WHERE id = ?`,
      )
      if (t.incrementChecks.size >= 100) t.incrementChecks.clear() // odd callers: stay bounded
      t.incrementChecks.set(depths, shapeStmt)
    }
    const row = shapeStmt.get(...incrementableParams(increments), id) as
      { ver: number; fits: number } | undefined
    if (!txn.seen.has(k)) txn.seen.set(k, row?.ver ?? 0)
    // Missing (update reports 0, upsert inserts), or a shape $inc refuses (a string, a null, an
    // array on the way): the ordinary way, which reports that at this update as CloudBase does.
    if (!row || txn.seen.get(k) === 0 || row.fits !== 1) return false
    txn.writes.set(k, { coll: t.name, id, doc: null, text: null, increments })
    return true
  }

  /** txnRead as stored EJSON text (what a get hands the SDK), without parsing what is stored. */
  private txnReadText(txn: Transaction, t: Table, id: string): string | null {
    const k = key(t.name, id)
    const pending = txn.writes.get(k)
    if (pending) {
      const doc = this.txnRead(txn, t, id) // materialises deferred increments
      return doc === null ? null : (txn.writes.get(k)?.text ?? encode(doc))
    }
    const row = t.stmts.byId.get(id)
    if (!txn.seen.has(k)) txn.seen.set(k, row?.ver ?? 0)
    return row ? row.doc : null
  }

  /** Read through the transaction's own writes, remembering the committed version first seen. */
  private txnRead(txn: Transaction, t: Table, id: string): Doc | null {
    const k = key(t.name, id)
    let pending = txn.writes.get(k)
    if (pending?.increments) {
      // Read back after deferred increments: apply them here, and write the document instead.
      const row = t.stmts.byId.get(id)
      const doc = row ? parseStored(row.doc) : { _id: id }
      applyUpdate(doc, { $inc: incrementSpec(pending.increments) })
      pending = { coll: t.name, id, doc, text: this.prepareForWrite(t, doc) }
      txn.writes.set(k, pending)
    }
    if (pending) return pending.doc ? structuredClone(pending.doc) : null
    const row = t.stmts.byId.get(id)
    // A later change by someone else is caught at commit (the SDK retries only conflicts that
    // commit reports), so reads just remember the first version seen.
    if (!txn.seen.has(k)) txn.seen.set(k, row?.ver ?? 0)
    return row ? parseStored(row.doc) : null
  }

  /**
   * Commit a transaction together with the others whose commit arrives in the same event-loop
   * turn (group commit): one flush, one macrotask later, applies them all in one SQLite
   * transaction, each in its own savepoint, so that the fixed cost of a SQLite commit is paid
   * once per batch. Each transaction succeeds or fails exactly as `commit` alone would, in
   * arrival order (its version checks see the batch's earlier transactions); the promise settles
   * only after the SQLite COMMIT, and if that COMMIT fails, every transaction of the batch fails.
   */
  commitQueued(txnId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queuedCommits.length === 0) setImmediate(() => this.flushCommits())
      this.queuedCommits.push({ txnId, resolve, reject })
    })
  }

  /**
   * Apply every queued commit in one SQLite transaction. When another process holds the write
   * lock, the flush does not wait for it (SQLite's busy handler would sleep, and with it the event
   * loop and every request in flight): it tries again a millisecond later, and the commits that
   * arrive meanwhile join the batch. `wait` (closing) takes the lock the ordinary way.
   */
  private flushCommits(wait = false): void {
    if (this.queuedCommits.length === 0) return
    let begun: boolean
    try {
      begun = this.beginBatch(wait)
    } catch (e) {
      const failed = this.queuedCommits
      this.queuedCommits = []
      for (const queued of failed) queued.reject(e)
      return
    }
    if (!begun) {
      this.groupCommits.lockWaits++
      this.flushRetry ??= setTimeout(() => {
        this.flushRetry = undefined
        this.flushCommits()
      }, 1)
      return
    }
    const batch = this.queuedCommits
    this.queuedCommits = []
    let committed = 0
    try {
      for (const queued of batch) {
        try {
          // Inside the open SQLite transaction, commit's own atomic() is a savepoint: a failure
          // (conflict, duplicate key, anything) rolls back this transaction's writes only.
          this.commit(queued.txnId)
          committed++
        } catch (e) {
          // Some errors (I/O, disk full) end the whole SQLite transaction: nothing of the batch
          // stands, and what follows must not commit on its own.
          if (!this.db.inTransaction) throw e
          queued.failure = { error: e }
        }
      }
      this.batchStmts.commit.run()
    } catch (e) {
      if (this.db.inTransaction) this.batchStmts.rollback.run()
      for (const queued of batch) queued.reject(queued.failure ? queued.failure.error : e)
      return
    }
    this.groupCommits.batches++
    this.groupCommits.transactions += committed
    for (const queued of batch) {
      if (queued.failure) queued.reject(queued.failure.error)
      else queued.resolve()
    }
  }

  /** BEGIN IMMEDIATE; false if another connection holds the write lock and `wait` is off. */
  private beginBatch(wait: boolean): boolean {
    if (wait) {
      this.batchStmts.begin.run()
      return true
    }
    // exec, not pragma(): the same statement without a result object, ~6× cheaper (this pragma
    // acts when it is prepared, so a prepared statement cannot be kept for it).
    this.db.exec('PRAGMA busy_timeout = 0')
    try {
      this.batchStmts.begin.run()
      return true
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return false
      throw e
    } finally {
      this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
    }
  }

  /** Commit one transaction now, in its own SQLite transaction (or savepoint, in a group commit). */
  commit(txnId: string): void {
    const txn = this.txn(txnId)
    this.transactions.delete(txnId)
    if (this.injectedConflicts > 0) {
      this.injectedConflicts--
      throw conflict()
    }
    this.atomic(() => {
      for (const [k, ver] of txn.seen) {
        const [coll, id] = k.split('\u0000') as [string, string]
        const current = this.table(coll).stmts.verById.get(id)?.ver ?? 0
        if (current !== ver) throw conflict()
      }
      for (const [k, w] of txn.writes) {
        const t = this.table(w.coll)
        // Every write read its document first, and the versions above still hold: whether it
        // exists is known. The text was checked and encoded when the write was made.
        const exists = (txn.seen.get(k) ?? 0) !== 0
        if (w.increments) this.writeIncrements(t, w.id, w.increments)
        else if (w.doc === null) t.stmts.remove.run(w.id)
        else if (exists) this.writeUpdate(t, w.doc, w.text ?? undefined)
        else this.writeInsert(t, w.doc, w.text ?? undefined)
      }
    })
  }

  /**
   * Integer increments applied by SQLite (json_set) to the stored text. deferIncrements checked
   * that the document's shape takes them (objects or nothing on the way, an integer or nothing at
   * the end), and commit has just checked that the document is still the version it checked.
   */
  private writeIncrements(t: Table, id: string, increments: Increments) {
    let stmt = t.incrementWrites.get(increments.length)
    if (!stmt) {
      const sets = increments.map(() => '?, ifnull(json_extract(doc, ?), 0) + CAST(? AS INTEGER)')
      stmt = this.db.prepare(
        `UPDATE ${t.sql} SET doc = json_set(doc, ${sets.join(', ')}), ver = ver + 1 WHERE id = ?`,
      )
      if (t.incrementWrites.size >= 100) t.incrementWrites.clear()
      t.incrementWrites.set(increments.length, stmt)
    }
    const params: Array<string | number> = []
    for (const { parts, by } of increments) {
      const path = jsonPath(parts)
      params.push(path, path, by)
    }
    if (stmt.run(...params, id).changes !== 1) {
      throw new Error(`increments of ${t.name}/${id}: the document is gone after its version check`)
    }
  }

  abort(txnId: string): void {
    // Aborting an unknown or finished transaction is harmless, as CloudBase's rollback is.
    this.transactions.delete(txnId)
  }

  openTransactions(): number {
    return this.transactions.size
  }

  /** Raw access for scripts and benchmarks (e.g. bulk seeding), bypassing the SDK. */
  get sqlite(): Database.Database {
    return this.db
  }
}
