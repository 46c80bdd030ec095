// Exactly-once mutations: a client-generated requestId makes a retried call return the first
// result without a second effect (conventions: every mutating action takes a requestId).
import { createHash, randomInt } from 'node:crypto'
import cloud from 'wx-server-sdk'
import { z } from 'zod'
import { requestIdSchema } from 'wal-core'
import { AppError } from './app-error'
import {
  getDb,
  isDuplicateKeyError,
  isTransactionConflict,
  now,
  readDoc,
  runTransaction,
  type Transaction,
} from './db'

/** Where first results are kept, one document per `${scope}:${openid}:${requestId}`. */
export const REQUESTS_COLLECTION = 'requests'

/** The requestId every mutating action's input schema includes (one definition, in core). */
export { requestIdSchema }

const scopeSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/)

interface RequestRecord<T> {
  scope: string
  openid: string
  requestId: string
  /** fingerprintOf(input) of the first call; absent on records stored before fingerprints. */
  fingerprint?: string
  result: T
  createdAt: Date
}

/**
 * The fingerprint of an action's validated input: sha256 of its canonical JSON (object keys
 * sorted at every depth, `undefined` fields dropped as JSON does), the top-level `requestId`
 * left out. The same requestId with another fingerprint is another intent: IDEMPOTENCY_MISMATCH.
 */
export function fingerprintOf(input: unknown): string {
  let body = input
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const { requestId: _requestId, ...rest } = body as Record<string, unknown>
    body = rest
  }
  return createHash('sha256').update(canonicalJson(body)).digest('hex')
}

function canonicalJson(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical)
    if (v instanceof Date) return v.toISOString()
    if (v === null || typeof v !== 'object') return v
    const obj = v as Record<string, unknown>
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .filter((k) => obj[k] !== undefined)
        .map((k) => [k, canonical(obj[k])]),
    )
  }
  return JSON.stringify(canonical(value)) ?? 'null'
}

function mismatchError(): AppError {
  return new AppError(
    'IDEMPOTENCY_MISMATCH',
    'this requestId was already used with a different input; use a new requestId for a new intent',
  )
}

/** A stored record answers this call: its result, or a refusal if the input changed. */
function answerFrom<T>(stored: RequestRecord<T>, fingerprint: string): T {
  if (stored.fingerprint !== undefined && stored.fingerprint !== fingerprint) throw mismatchError()
  return stored.result
}

export interface RunOnceOptions {
  /**
   * How often the SDK re-runs the transaction after a conflict (default: the SDK's 3). Actions
   * whose callers race on one document by design (one user's rapid draws, transfers between the
   * same accounts) ask for more; each re-run reads the latest committed state.
   */
  conflictRetries?: number
}

/**
 * Rounds of the whole transaction (each with the SDK's own re-runs) before a conflict reaches
 * the caller, and the time they may take. The SDK re-runs at once, so on a hot document (one
 * account hundreds of people send to) the same crowd collides again; a round after a random
 * 5–50 ms pause spreads them out. The budget stays well inside CloudBase's default function
 * timeout (3 s).
 */
export const CONFLICT_ROUNDS = 20
export const CONFLICT_BUDGET_MS = 2_000
const PAUSE_MIN_MS = 5
const PAUSE_MAX_MS = 50

/**
 * runTransaction, and after a conflict that outlasted the SDK's re-runs, again after a jittered
 * pause, within CONFLICT_ROUNDS and CONFLICT_BUDGET_MS. Every round starts from the latest
 * committed state, and nothing of a lost round was written.
 */
async function runPatiently<T>(fn: (tx: Transaction) => Promise<T>, retries?: number): Promise<T> {
  const started = Date.now()
  for (let round = 1; ; round++) {
    try {
      return await runTransaction(fn, retries)
    } catch (err) {
      const pause = randomInt(PAUSE_MIN_MS, PAUSE_MAX_MS + 1)
      const last = round >= CONFLICT_ROUNDS || Date.now() - started + pause > CONFLICT_BUDGET_MS
      if (!isTransactionConflict(err) || last) throw err
      await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
}

/**
 * Runs `fn` in one transaction (re-run on conflicts: `retries` times by the SDK, then in jittered
 * rounds) and turns a conflict that outlasted them all into CONFLICT: nothing was committed, and
 * the caller may retry with the same requestId. For actions that keep their requestId in a
 * document they read anyway (survey.submitSection keeps it in the response) instead of a
 * `requests` record.
 */
export async function inTransaction<T>(
  fn: (tx: Transaction) => Promise<T>,
  retries?: number,
): Promise<T> {
  try {
    return await runPatiently(fn, retries)
  } catch (err) {
    if (isTransactionConflict(err)) throw conflictError()
    throw err
  }
}

function conflictError(): AppError {
  return new AppError('CONFLICT', 'a concurrent change won; retry with the same requestId')
}

/** One call of a mutating action: its requestId, its scope (e.g. `wallet.transfer`), its input. */
export interface OnceRequest {
  requestId: string
  scope: string
  /** The action's validated input (the requestId in it is ignored): fingerprinted. */
  input: unknown
  /**
   * The caller's key when it is not the WeChat context's openid: `web:<uid>` for a console
   * account (define-function's ctx.caller, read from the platform — never from the event).
   */
  caller?: string
}

/** The checked key of a request and the fingerprint of its input. */
function keyOf(request: OnceRequest): { key: string; openid: string; fingerprint: string } {
  const { requestId, scope } = request
  if (!requestIdSchema.safeParse(requestId).success) {
    throw new AppError('BAD_REQUEST', 'requestId must be 8–64 characters of A–Z, a–z, 0–9, _ or -')
  }
  if (!scopeSchema.safeParse(scope).success) throw new Error(`runOnce: bad scope ${scope}`)
  if (request.caller) {
    return {
      key: `${scope}:${request.caller}:${requestId}`,
      openid: request.caller,
      fingerprint: fingerprintOf(request.input),
    }
  }
  const { OPENID } = cloud.getWXContext()
  if (OPENID === undefined || OPENID === '') {
    throw new AppError('UNAUTHENTICATED', 'this action needs a WeChat caller')
  }
  const openid = String(OPENID)
  return {
    key: `${scope}:${openid}:${requestId}`,
    openid,
    fingerprint: fingerprintOf(request.input),
  }
}

/** The `requests` record that remembers a first result (and what input it answered). */
function requestRecord<T>(
  key: string,
  request: OnceRequest,
  openid: string,
  fingerprint: string,
  result: T,
): RequestRecord<T> & { _id: string } {
  return {
    _id: key,
    scope: request.scope,
    openid,
    requestId: request.requestId,
    fingerprint,
    result,
    createdAt: now(),
  }
}

/**
 * Runs `txnFn` at most once per (scope, caller, requestId) and returns its result; a repeat with
 * the same input returns the stored result of the first run, a repeat with another input is
 * refused with IDEMPOTENCY_MISMATCH (nothing written).
 *
 * The check, the caller's writes and the stored result share ONE transaction, so they commit
 * together or not at all. Two rules for `txnFn` follow from how transactions behave:
 * - CloudBase re-runs the transaction callback on a conflict (the SDK's runTransaction retries
 *   DATABASE_TRANSACTION_CONFLICT, and runOnce runs further rounds), so `txnFn` may run more than
 *   once. It must only read and write through `tx` and compute its result from what it read — no
 *   open API calls, no payouts, no module state. Do those after `runOnce` resolves, i.e. after
 *   the commit (or, for a check that must come first, through `outsideOnce`).
 * - If `txnFn` throws (e.g. an AppError), nothing is committed and nothing is remembered: a retry
 *   with the same requestId runs again and may succeed.
 *
 * The caller is the WeChat identity of the request (getWXContext), as everywhere in server/.
 */
export async function runOnce<T>(
  request: OnceRequest,
  txnFn: (tx: Transaction) => Promise<T>,
  options: RunOnceOptions = {},
): Promise<T> {
  const { key, openid, fingerprint } = keyOf(request)
  try {
    return await runPatiently(async (tx) => {
      const stored = await readDoc<RequestRecord<T>>(tx.collection(REQUESTS_COLLECTION).doc(key))
      if (stored) return answerFrom(stored, fingerprint)
      const result = await txnFn(tx)
      const record = requestRecord(key, request, openid, fingerprint, result)
      // add (insert), not set (upsert): a concurrent first run that committed in between makes
      // this fail instead of silently overwriting its record.
      await tx.collection(REQUESTS_COLLECTION).add({ data: record })
      return result
    }, options.conflictRetries)
  } catch (err) {
    // The same requestId raced in from a parallel call and won the insert: answer its result.
    if (isDuplicateKeyError(err)) {
      const winner = await readDoc<RequestRecord<T>>(
        getDb().collection(REQUESTS_COLLECTION).doc(key),
      )
      if (winner) return answerFrom(winner, fingerprint)
    }
    // Lost to concurrent changes more often than the retries allow: nothing was committed, and
    // the caller may retry with the same requestId (docs/api.md, CONFLICT).
    if (isTransactionConflict(err)) throw conflictError()
    throw err
  }
}

/**
 * Runs `effect` — a call outside the database that must come before the action's transaction,
 * such as a content check — once per (scope, caller, requestId), and keeps its result in a
 * `requests` record: a sequential retry reuses it instead of calling again, a retry with another
 * input is IDEMPOTENCY_MISMATCH. If `effect` throws, nothing is kept and a retry calls again.
 * Two calls with one requestId at the same instant may both call `effect`; the first record
 * stored answers both. Use a scope of its own (e.g. `wallet.setNickname.check`).
 */
export async function outsideOnce<T>(request: OnceRequest, effect: () => Promise<T>): Promise<T> {
  const { key, openid, fingerprint } = keyOf(request)
  const ref = getDb().collection(REQUESTS_COLLECTION).doc(key)
  const stored = await readDoc<RequestRecord<T>>(ref)
  if (stored) return answerFrom(stored, fingerprint)
  const result = await effect()
  const record = requestRecord(key, request, openid, fingerprint, result)
  try {
    await getDb().collection(REQUESTS_COLLECTION).add({ data: record })
    return result
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    const winner = await readDoc<RequestRecord<T>>(ref)
    if (!winner) throw err
    return answerFrom(winner, fingerprint)
  }
}
