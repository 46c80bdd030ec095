// Replies shared between requests: built once from cached content, frozen, and parsed by their
// output schema once (define-function.ts sends every reply as its schema parses it).
import type { z } from 'zod'

/**
 * Replies a use case hands out again and again (built once from cached, already validated
 * content, e.g. a questionnaire) are parsed by their output schema once, not on every request:
 * a questionnaire's reply is 29 KB, and parsing it cost 1.4–6.6 ms of CPU per call. A shared reply is
 * frozen, so nobody can change what was checked.
 */
const sharedReplies = new WeakMap<object, { parsed: unknown } | undefined>()

/** Marks `reply` as shared and frozen (see sharedReplies); returns it. */
export function sharedReply<T extends object>(reply: T): T {
  if (!sharedReplies.has(reply)) sharedReplies.set(Object.freeze(reply), undefined)
  return reply
}

/** The reply as `output` parses it, once per shared reply. */
export function parseReply(output: z.ZodType, reply: unknown): z.ZodSafeParseResult<unknown> {
  const shared = typeof reply === 'object' && reply !== null && sharedReplies.has(reply)
  const memo = shared ? sharedReplies.get(reply) : undefined
  if (memo) return { success: true, data: memo.parsed }
  const checked = output.safeParse(reply)
  if (shared && checked.success) sharedReplies.set(reply as object, { parsed: checked.data })
  return checked
}
