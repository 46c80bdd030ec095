// The seam between pages and cloud functions: send, check the reply's envelope, name the failure.
// Services call an action through a contract's handle (contractRef): callAction, retryableAction.
// The data inside an ok envelope is taken as the action's output type without a second parse:
// the function parsed it with the action's output schema before sending it (so the mini-program
// ships no zod), and the component tests' fake functions parse it too, so drift fails a test.
import {
  CLIENT_RETRY,
  envelopeProblem,
  type ActionInput,
  type ActionName,
  type ActionOutput,
  type ContractRef,
  type Envelope,
  type FunctionContract,
  type MutatingAction,
} from 'wal-core'
import { ServiceError, toServiceError } from './service-error'
import { send, type FunctionEvent } from './transport'

/**
 * Call cloud function `name` with `event` and return the data of its reply, once the reply has
 * been checked to be an envelope. `T` is what the function promises (its action's output).
 * Rejects only with ServiceError.
 */
export async function call<T>(name: string, event: FunctionEvent): Promise<T> {
  let reply: unknown
  try {
    reply = await send(name, event)
  } catch (err) {
    throw toServiceError(err)
  }
  const problem = envelopeProblem(reply)
  if (problem) throw new ServiceError('BAD_REPLY', `${name}: ${problem}`)
  const envelope = reply as Envelope<T>
  if (!envelope.ok) {
    const { code, message, details } = envelope.error
    throw new ServiceError(code, message, details)
  }
  return envelope.data
}

/**
 * Call `action` of the function `contract` names with `input`; resolves with the reply as the
 * action's output schema parsed it (on the server). Rejects only with ServiceError.
 */
export function callAction<C extends FunctionContract, K extends ActionName<C>>(
  contract: ContractRef<C>,
  action: K,
  input: ActionInput<C, K>,
): Promise<ActionOutput<C, K>> {
  return call(contract.name, { action, ...(input as object) })
}

/** A mutating call bound to one requestId, so that sending it again has no second effect. */
export interface Retryable<T> {
  readonly requestId: string
  /**
   * Send the call, re-sending it by itself after a failure worth retrying (AUTO_RETRY); after a
   * failure it gives up on, call again (e.g. from a 重试 button) to re-send it as is.
   */
  run(): Promise<T>
}

/** The client's automatic re-sends (core/envelope.ts CLIENT_RETRY says when and how often). */
export const AUTO_RETRY = CLIENT_RETRY

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function callWithRetries<T>(name: string, event: FunctionEvent): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call<T>(name, event)
    } catch (err) {
      const code = err instanceof ServiceError ? err.code : ''
      if (attempt >= AUTO_RETRY.attempts || !AUTO_RETRY.codes.includes(code)) throw err
      const base = AUTO_RETRY.baseDelayMs * 2 ** (attempt - 1)
      await pause(base + Math.floor(Math.random() * base))
    }
  }
}

let requestCounter = 0

function createRequestId(): string {
  requestCounter += 1
  const random = Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}-${requestCounter.toString(36)}-${random}`
}

/**
 * Prepare a mutating call: the requestId is generated here, once. Every run() — and every
 * automatic re-send within it — sends the same event with the same requestId, and the server
 * returns the first result for a repeat.
 */
export function retryable<T>(name: string, event: FunctionEvent): Retryable<T> {
  const requestId = createRequestId()
  const sealed: FunctionEvent = { ...event, requestId }
  return { requestId, run: () => callWithRetries<T>(name, sealed) }
}

/** Prepare a mutation of the contract (one intent, one requestId; see retryable). */
export function retryableAction<C extends FunctionContract, K extends MutatingAction<C>>(
  contract: ContractRef<C>,
  action: K,
  input: Omit<ActionInput<C, K>, 'requestId'>,
): Retryable<ActionOutput<C, K>> {
  return retryable(contract.name, { action, ...(input as object) })
}
