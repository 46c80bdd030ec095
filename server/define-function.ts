// The thin-handler kit: turns a table of actions (zod input + handler) into a CloudBase
// `main(event, context)` that always replies the envelope of core/envelope.ts.
import cloud from 'wx-server-sdk'
import { z } from 'zod'
import { fail, ok, type Envelope } from 'wal-core'
import { AppError } from './app-error'
import { now } from './db'

/** `caller`: the action needs a WeChat identity (default). `none`: anyone may call it. */
export type AuthMode = 'caller' | 'none'

export interface ActionContext<A extends AuthMode = 'caller'> {
  /** The caller's openid, from `cloud.getWXContext()` only — never from the event. */
  openid: A extends 'caller' ? string : string | undefined
  /** Server time, read once per request; pass it into core rules. */
  now: Date
}

export interface ActionSpec<S extends z.ZodType, R, A extends AuthMode> {
  auth?: A
  input: S
  handler: (input: z.output<S>, ctx: ActionContext<A>) => Promise<R> | R
}

/** An action with its types erased, as the router sees it. */
export interface Action {
  auth: AuthMode
  input: z.ZodType
  handler: (input: unknown, ctx: ActionContext<AuthMode>) => Promise<unknown> | unknown
}

/** Declares one action; keeps the handler's input typed from its schema. */
export function action<S extends z.ZodType, R, A extends AuthMode = 'caller'>(
  spec: ActionSpec<S, R, A>,
): Action {
  return {
    auth: spec.auth ?? 'caller',
    input: spec.input,
    handler: spec.handler as Action['handler'],
  }
}

export type CloudFunctionMain = (event: unknown, context?: unknown) => Promise<Envelope<unknown>>

/**
 * Keys that are not input: `action` routes, and `userInfo` is what CloudBase adds to events from
 * the mini-program (appId/openId) — identity is read from getWXContext instead.
 */
const RESERVED_KEYS = new Set(['action', 'userInfo'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function callerOpenid(): string | undefined {
  const { OPENID } = cloud.getWXContext()
  // The SDK turns all-digit context values into numbers; an openid is a string either way.
  return OPENID === undefined || OPENID === null || OPENID === '' ? undefined : String(OPENID)
}

export function defineFunction(spec: {
  /** Function name, for log lines only. */
  name: string
  actions: Record<string, Action>
}): CloudFunctionMain {
  const actions = new Map(Object.entries(spec.actions))
  const known = [...actions.keys()].join(', ')

  return async function main(event) {
    const body: Record<string, unknown> = isRecord(event) ? event : {}
    const name = body.action
    const act = typeof name === 'string' ? actions.get(name) : undefined
    if (!act) {
      return fail(
        'UNKNOWN_ACTION',
        `${spec.name} has no action ${JSON.stringify(name ?? null)}; known: ${known}`,
      )
    }
    try {
      const openid = callerOpenid()
      if (act.auth === 'caller' && !openid) {
        return fail('UNAUTHENTICATED', 'this action needs a WeChat caller')
      }
      const input: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(body))
        if (!RESERVED_KEYS.has(key)) input[key] = value
      const parsed = act.input.safeParse(input)
      if (!parsed.success) {
        return fail('BAD_REQUEST', z.prettifyError(parsed.error), parsed.error.issues)
      }
      // `?? null` so that a handler with nothing to say still replies `data` over JSON.
      return ok((await act.handler(parsed.data, { openid, now: now() })) ?? null)
    } catch (err) {
      // Only the input schema's failure is the caller's fault; a ZodError from deeper down (a
      // stored document that no longer parses) is ours and falls through to INTERNAL.
      if (err instanceof AppError) {
        return fail(err.code, err.message, err.details)
      }
      // Unexpected: log the stack for the operator, tell the caller nothing about internals.
      console.error(`[${spec.name}.${String(name)}] internal error`, err)
      return fail('INTERNAL', 'internal error; retrying with the same requestId is safe')
    }
  }
}
