// Exactly-once mutations: a client-generated requestId makes a retried call return the first
// result without a second effect (conventions: every mutating action takes a requestId).
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
  result: T
  createdAt: Date
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
 * Runs `fn` in one transaction (re-run by the SDK on conflicts, `retries` times) and turns a
 * conflict that outlasted the retries into CONFLICT: nothing was committed, and the caller may
 * retry with the same requestId. For actions that keep their requestId in a document they read
 * anyway (survey.submitSection keeps it in the response) instead of a `requests` record.
 */
export async function inTransaction<T>(
  fn: (tx: Transaction) => Promise<T>,
  retries?: number,
): Promise<T> {
  try {
    return await runTransaction(fn, retries)
  } catch (err) {
    if (isTransactionConflict(err)) throw conflictError()
    throw err
  }
}

function conflictError(): AppError {
  return new AppError('CONFLICT', 'a concurrent change won; retry with the same requestId')
}

/**
 * Runs `txnFn` at most once per (scope, caller, requestId) and returns its result; a repeat
 * returns the stored result of the first run.
 *
 * The check, the caller's writes and the stored result share ONE transaction, so they commit
 * together or not at all. Two rules for `txnFn` follow from how transactions behave:
 * - CloudBase re-runs the transaction callback on a conflict (the SDK's runTransaction retries
 *   DATABASE_TRANSACTION_CONFLICT), so `txnFn` may run more than once. It must only read and
 *   write through `tx` and compute its result from what it read — no open API calls, no
 *   payouts, no module state. Do those after `runOnce` resolves, i.e. after the commit.
 * - If `txnFn` throws (e.g. an AppError), nothing is committed and nothing is remembered: a retry
 *   with the same requestId runs again and may succeed.
 *
 * The caller is the WeChat identity of the request (getWXContext), as everywhere in server/.
 */
export async function runOnce<T>(
  requestId: string,
  scope: string,
  txnFn: (tx: Transaction) => Promise<T>,
  options: RunOnceOptions = {},
): Promise<T> {
  if (!requestIdSchema.safeParse(requestId).success) {
    throw new AppError('BAD_REQUEST', 'requestId must be 8–64 characters of A–Z, a–z, 0–9, _ or -')
  }
  if (!scopeSchema.safeParse(scope).success) throw new Error(`runOnce: bad scope ${scope}`)
  const { OPENID } = cloud.getWXContext()
  if (OPENID === undefined || OPENID === '') {
    throw new AppError('UNAUTHENTICATED', 'this action needs a WeChat caller')
  }
  const openid = String(OPENID)
  const key = `${scope}:${openid}:${requestId}`

  try {
    return await runTransaction(async (tx) => {
      const stored = await readDoc<RequestRecord<T>>(tx.collection(REQUESTS_COLLECTION).doc(key))
      if (stored) return stored.result
      const result = await txnFn(tx)
      const record: RequestRecord<T> & { _id: string } = {
        _id: key,
        scope,
        openid,
        requestId,
        result,
        createdAt: now(),
      }
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
      if (winner) return winner.result
    }
    // Lost to concurrent changes more often than the retries allow: nothing was committed, and
    // the caller may retry with the same requestId (docs/api.md, CONFLICT).
    if (isTransactionConflict(err)) throw conflictError()
    throw err
  }
}
