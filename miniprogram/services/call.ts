// The seam between pages and cloud functions: send, check the reply's shape, name the failure.
import { envelopeSchema } from 'wal-core'
import type { z } from 'zod'
import { ServiceError, toServiceError } from './service-error'
import { send, type FunctionEvent } from './transport'

/**
 * Call cloud function `name` with `event` and return its data once the reply has been checked
 * against `dataSchema`. Rejects only with ServiceError.
 */
export async function call<T>(
  name: string,
  event: FunctionEvent,
  dataSchema: z.ZodType<T>,
): Promise<T> {
  let reply: unknown
  try {
    reply = await send(name, event)
  } catch (err) {
    throw toServiceError(err)
  }
  const parsed = envelopeSchema(dataSchema).safeParse(reply)
  if (!parsed.success) {
    throw new ServiceError('BAD_REPLY', `${name}: ${parsed.error.message}`)
  }
  const envelope = parsed.data
  if (!envelope.ok) {
    const { code, message, details } = envelope.error
    throw new ServiceError(code, message, details)
  }
  return envelope.data as T
}

/** A mutating call bound to one requestId, so that sending it again has no second effect. */
export interface Retryable<T> {
  readonly requestId: string
  /** Send the call; after a failure, call again (e.g. from a 重试 button) to re-send it as is. */
  run(): Promise<T>
}

let requestCounter = 0

function createRequestId(): string {
  requestCounter += 1
  const random = Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}-${requestCounter.toString(36)}-${random}`
}

/**
 * Prepare a mutating call: the requestId is generated here, once. Every run() sends the same
 * event with the same requestId, and the server returns the first result for a repeat.
 */
export function retryable<T>(
  name: string,
  event: FunctionEvent,
  dataSchema: z.ZodType<T>,
): Retryable<T> {
  const requestId = createRequestId()
  const sealed: FunctionEvent = { ...event, requestId }
  return { requestId, run: () => call(name, sealed, dataSchema) }
}
