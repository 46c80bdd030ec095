// The database and clock seams of every cloud function: one SDK init, one database handle, and a
// server clock that tests (and the local cloud) can pin. Core rules receive time from here.
import cloud from 'wx-server-sdk'

/**
 * The SDK's transaction object (typed `any` by the SDK). Inside a transaction CloudBase supports
 * `collection(c).doc(id).get/set/update/remove` and `collection(c).add` — no queries by filter.
 */
export interface Transaction {
  collection(name: string): ReturnType<Database['collection']>
}

export type Database = ReturnType<typeof cloud.database>

let db: Database | undefined

/**
 * The database of the environment the function runs in. `DYNAMIC_CURRENT_ENV` makes a deployed
 * function use its own environment (no env id in code); locally the emulator answers.
 * `throwOnNotFound: false` makes `doc(id).get()` resolve `{ data: null }` for a missing document
 * (also inside transactions), so "not there yet" is a value, not an exception.
 */
export function getDb(): Database {
  if (!db) {
    // The SDK types `env` as a string, but documents DYNAMIC_CURRENT_ENV (a symbol) for it.
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
    db = cloud.database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0])
  }
  return db
}

/**
 * Runs `fn` in one database transaction; the SDK re-runs it on a transaction conflict, up to
 * `retries` times (the SDK's default is 3) — only on a conflict, never after another error.
 */
export function runTransaction<T>(
  fn: (tx: Transaction) => Promise<T>,
  retries?: number,
): Promise<T> {
  return (
    retries === undefined ? getDb().runTransaction(fn) : getDb().runTransaction(fn, retries)
  ) as Promise<T>
}

/** True when a transaction lost to a concurrent change (after the SDK's own retries). */
export function isTransactionConflict(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === 'DATABASE_TRANSACTION_CONFLICT'
  )
}

/**
 * The data of one document, or null when it does not exist. (The SDK's typings describe the
 * callback style, `Promise<R> | void | string`; without a callback it always returns the promise.)
 */
export async function readDoc<T>(ref: { get(): unknown }): Promise<T | null> {
  const res = (await ref.get()) as { data: T | null }
  return res.data ?? null
}

/** The documents a query returns (the SDK types them as loose records). */
export async function queryDocs<T>(query: { get(): unknown }): Promise<T[]> {
  const res = (await query.get()) as { data: T[] }
  return res.data
}

/**
 * True for a unique-index violation. CloudBase and the local database both report it as an SDK
 * error with errCode -502001 (DATABASE_REQUEST_FAILED) whose errMsg carries MongoDB's E11000.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { errCode, errMsg, message } = err as {
    errCode?: unknown
    errMsg?: unknown
    message?: unknown
  }
  const text = typeof errMsg === 'string' ? errMsg : typeof message === 'string' ? message : ''
  return (
    (errCode === undefined || errCode === -502001) && text.includes('E11000 duplicate key error')
  )
}

// The clock lives on globalThis (like the open API registration) so that a pinned time reaches
// every copy of this module: TypeScript sources in tests and each esbuild bundle alike.
const CLOCK = Symbol.for('wal-survey.clock')
type Clock = () => number

/** The server's current time. Functions read it once per request and pass it into core rules. */
export function now(): Date {
  const pinned = (globalThis as Record<symbol, unknown>)[CLOCK] as Clock | undefined
  return new Date(pinned ? pinned() : Date.now())
}

/** Pins the server clock (a fixed instant, or a function of the real time); `undefined` unpins. */
export function setClockForTests(clock: Date | Clock | undefined): void {
  const value = clock instanceof Date ? () => clock.getTime() : clock
  ;(globalThis as Record<symbol, unknown>)[CLOCK] = value
}
