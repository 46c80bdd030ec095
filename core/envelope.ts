// The one reply shape of every cloud function, and the stable error codes (see docs/api.md).
import { z } from 'zod'

export const ERROR_CODES = [
  'BAD_REQUEST', // input failed validation; nothing was written
  'UNKNOWN_ACTION', // the event's action is not one this function offers
  'UNAUTHENTICATED', // no caller identity (no openid in the WeChat context)
  'FORBIDDEN', // the caller's role (from the database) does not allow this
  'NOT_FOUND',
  'NO_CAMPAIGN', // no campaign is configured
  'CAMPAIGN_CLOSED', // the collection window has ended
  'CAMPAIGN_NOT_STARTED', // the collection window has not opened yet
  'CONFLICT', // a concurrent change won; retrying with the same requestId is safe
  'INTERNAL', // unexpected failure; safe to retry with the same requestId
  'IDEMPOTENCY_MISMATCH', // this requestId was used before for a different input; nothing moved
  // survey
  'NOT_STARTED', // submitSection before start
  'VERSION_LOCKED', // start with the other version after the version was fixed
  'SECTION_NOT_AVAILABLE', // unknown section, hidden by display logic, or a topic before the main part
  'SECTION_DONE', // the section was already accepted (under another requestId)
  'VALIDATION_FAILED', // answers failed validation; details.errors: question id → { code, message }
  // draw and wallet
  'INSUFFICIENT_CHANCES', // not enough draw chances for this kind; nothing spent
  'INSUFFICIENT_POINTS', // the balance would go negative; nothing moved
  'DAILY_CAP', // today's transfer cap reached
  'SELF_TRANSFER', // a transfer to one's own user code
  'BAD_AMOUNT', // amount outside the configured limits
  'RECIPIENT_NOT_FOUND', // no user has this user code
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
})
export type ErrorBody = z.infer<typeof errorSchema>

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

/** A zod schema for the envelope around a given data schema (used by the client to check replies). */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: errorSchema }),
  ])
}

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data }
}

export function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } }
}
