// The thin-handler kit: turns a function's contract (core/contracts.ts) and one handler per action
// into a CloudBase `main(event, context)` that always replies the envelope of core/envelope.ts.
import cloud from 'wx-server-sdk'
import { z } from 'zod'
import {
  fail,
  ok,
  type ActionName,
  type ActionReply,
  type Envelope,
  type FunctionContract,
  type ParsedInput,
} from 'wal-core'
import { AppError } from './app-error'
import { now } from './db'
import { logValue } from './log'
import { parseReply } from './shared-reply'

/**
 * `caller`: the action needs a WeChat identity (default). `signedIn`: a WeChat caller or a web
 * caller signed in with a CloudBase account (the console). `none`: anyone may call it.
 */
export type AuthMode = 'caller' | 'signedIn' | 'none'

/** Who calls, as the platform says: a WeChat user, or a CloudBase account of the web console. */
export type Caller = { kind: 'wechat'; openid: string } | { kind: 'web'; uid: string }

export interface ActionContext<A extends AuthMode = 'caller'> {
  /** The caller's openid, from `cloud.getWXContext()` only — never from the event. */
  openid: A extends 'caller' ? string : string | undefined
  /** The caller of either kind, from the platform only (getWXContext, node-sdk's getUserInfo). */
  caller: A extends 'none' ? Caller | undefined : Caller
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
  /**
   * The reply's schema (a contract's actions have one): the reply is sent as it parsed, and a
   * reply it refuses is the server's bug, sent as INTERNAL (the mini-program trusts the shape).
   */
  output?: z.ZodType
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

/**
 * The handler of one contract action: a function, for actions that need a WeChat caller (the
 * default), or `{ auth: 'none', handler }` for actions anyone may call (the timer has no caller).
 */
export type ContractHandler<In, Out> =
  | ((input: In, ctx: ActionContext<'caller'>) => Promise<Out> | Out)
  | { auth: 'none'; handler: (input: In, ctx: ActionContext<'none'>) => Promise<Out> | Out }
  | {
      auth: 'signedIn'
      handler: (input: In, ctx: ActionContext<'signedIn'>) => Promise<Out> | Out
    }

/**
 * An action a desk may call too: a WeChat caller or a signed-in console account (`signedIn`).
 * The handler checks the caller's roles itself (server/records/caller-roles.ts).
 */
export function desk<In, Out>(
  handler: (input: In, ctx: ActionContext<'signedIn'>) => Promise<Out> | Out,
): {
  auth: 'signedIn'
  handler: (input: In, ctx: ActionContext<'signedIn'>) => Promise<Out> | Out
} {
  return { auth: 'signedIn', handler }
}

/**
 * One handler per action of contract C, no more, no fewer: an action the contract does not name,
 * or a reply its output schema would not accept, does not compile.
 */
export type Handlers<C extends FunctionContract> = {
  [K in ActionName<C>]: ContractHandler<ParsedInput<C, K>, ActionReply<C, K>>
}

function contractActions<C extends FunctionContract>(
  contract: C,
  handlers: Handlers<C>,
): Record<string, Action> {
  const actions: Record<string, Action> = {}
  for (const [name, spec] of Object.entries(contract.actions)) {
    const h = handlers[name as ActionName<C>] as ContractHandler<unknown, unknown> | undefined
    if (h === undefined) throw new Error(`${contract.name}: no handler for action ${name}`)
    const { input, output } = spec
    actions[name] =
      typeof h === 'function'
        ? { auth: 'caller', input, output, handler: h as Action['handler'] }
        : { auth: h.auth, input, output, handler: h.handler as Action['handler'] }
  }
  return actions
}

export type CloudFunctionMain = (event: unknown, context?: unknown) => Promise<Envelope<unknown>>

/**
 * Keys that are not input: `action` routes, and `userInfo` is what CloudBase adds to events from
 * the mini-program (appId/openId) — identity is read from getWXContext instead.
 */
const RESERVED_KEYS = new Set(['action', 'userInfo'])

/** An action name: a short identifier, checked before the event is looked at any further. */
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/

/**
 * How deep an event may nest. The deepest real input is a matrix answer (event → answers →
 * question → row: 4 levels); anything far deeper is hostile, and would overflow the stack of
 * whatever walks it recursively (zod, JSON.stringify).
 */
export const MAX_EVENT_DEPTH = 32

/**
 * Keys refused anywhere in an event. JSON.parse makes `__proto__` an own property, and code that
 * copies it with `obj[key] = value` (a record schema, a spread into a fresh object) sets the copy's
 * prototype instead; `constructor` and `prototype` are the other halves of prototype pollution.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Zod issues a BAD_REQUEST reply carries at most, and the most characters of its message. */
const MAX_ISSUES = 20
const MAX_MESSAGE = 1_000

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * What is wrong with the shape of an event (too deep, a forbidden key), or null. Walked with an
 * explicit stack, not recursion, so a 10,000-deep event is refused rather than overflowing.
 */
export function eventShapeProblem(event: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: event, depth: 0 }]
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth > MAX_EVENT_DEPTH) return `the event nests deeper than ${MAX_EVENT_DEPTH} levels`
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 })
      continue
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `the key ${JSON.stringify(key)} is not allowed`
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 })
    }
  }
  return null
}

/**
 * The caller's openid as the platform gave it. The SDK's getWXContext turns every all-digit
 * context value into a number (parseInt: '0123' and '000123' both become 123), so when it did,
 * the string it parsed is read from where it read it (process.env.WX_OPENID, set per instance by
 * CloudBase and per request by the local cloud): two callers never alias.
 */
export function callerOpenid(): string | undefined {
  const { OPENID } = cloud.getWXContext()
  if (OPENID === undefined || OPENID === null || OPENID === '') return undefined
  if (typeof OPENID === 'string') return OPENID
  const raw = process.env.WX_OPENID
  return typeof raw === 'string' && raw !== '' ? raw : String(OPENID)
}

/**
 * A web caller's CloudBase account: `@cloudbase/node-sdk`'s auth().getUserInfo(), which reads the
 * context CloudBase gives a function called through @cloudbase/js-sdk by a signed-in account
 * (TCB_UUID; TCB_CUSTOM_USER_ID for custom-login tickets) — the local cloud sets the same per
 * request (emulator/wx-context.ts). The custom user id wins: it is the stable id the committee
 * binds roles to (`consoleUsers`).
 */
export function callerWebUid(): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tcb = require('@cloudbase/node-sdk') as {
    init(config: { env: unknown }): {
      auth(): { getUserInfo(): { uid: string; customUserId: string } }
    }
    SYMBOL_CURRENT_ENV: unknown
  }
  const info = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV }).auth().getUserInfo()
  const id = info.customUserId || info.uid
  return id ? id : undefined
}

/** A zod failure as a bounded BAD_REQUEST: the first issues only, the message cut short. */
function badInput(error: z.ZodError) {
  const message = z.prettifyError(error)
  return fail(
    'BAD_REQUEST',
    message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
    error.issues.slice(0, MAX_ISSUES),
  )
}

/** A function from its contract (core/contracts.ts) and a typed handler per action. */
export function defineFunction<C extends FunctionContract>(
  contract: C,
  handlers: NoInfer<Handlers<C>>,
): CloudFunctionMain
/** A function from a table of actions made with action(): ad-hoc functions in tests; deployed functions use a contract. */
export function defineFunction(spec: {
  /** Function name, for log lines only. */
  name: string
  actions: Record<string, Action>
}): CloudFunctionMain
export function defineFunction<C extends FunctionContract>(
  specOrContract: C | { name: string; actions: Record<string, Action> },
  handlers?: Handlers<C>,
): CloudFunctionMain {
  const spec =
    handlers === undefined
      ? (specOrContract as { name: string; actions: Record<string, Action> })
      : { name: specOrContract.name, actions: contractActions(specOrContract as C, handlers) }
  const actions = new Map(Object.entries(spec.actions))
  const known = [...actions.keys()].join(', ')

  return async function main(event) {
    const body: Record<string, unknown> = isRecord(event) ? event : {}
    const name = body.action
    if (name === undefined) {
      return fail('UNKNOWN_ACTION', `${spec.name} needs an action; known: ${known}`)
    }
    // Before anything else looks at the event: the name is a short identifier, or the request
    // is refused without echoing it (it may be an object 10,000 levels deep, or a megabyte).
    if (typeof name !== 'string' || !ACTION_NAME.test(name)) {
      return fail('BAD_REQUEST', 'action must be a short identifier (letters, digits, _)')
    }
    const act = actions.get(name)
    if (!act) {
      return fail('UNKNOWN_ACTION', `${spec.name} has no action ${logValue(name)}; known: ${known}`)
    }
    const shape = eventShapeProblem(body)
    if (shape) return fail('BAD_REQUEST', shape)
    try {
      const openid = callerOpenid()
      if (act.auth === 'caller' && !openid) {
        return fail('UNAUTHENTICATED', 'this action needs a WeChat caller')
      }
      let caller: Caller | undefined = openid ? { kind: 'wechat', openid } : undefined
      if (!caller && act.auth !== 'caller') {
        const uid = callerWebUid()
        if (uid) caller = { kind: 'web', uid }
      }
      if (act.auth === 'signedIn' && !caller) {
        return fail('UNAUTHENTICATED', 'this action needs a signed-in caller')
      }
      const input: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(body))
        if (!RESERVED_KEYS.has(key)) input[key] = value
      const parsed = act.input.safeParse(input)
      if (!parsed.success) return badInput(parsed.error)
      // `?? null` so that a handler with nothing to say still replies `data` over JSON.
      const reply = (await act.handler(parsed.data, { openid, caller, now: now() })) ?? null
      if (!act.output) return ok(reply)
      // The reply as its schema parses it (defaults, transforms, unknown keys dropped): the
      // mini-program takes it as the action's output without parsing it again.
      const checked = parseReply(act.output, reply)
      if (checked.success) return ok(checked.data ?? null)
      console.error(
        `[${spec.name}.${name}] reply refused by its output schema`,
        z.prettifyError(checked.error).slice(0, MAX_MESSAGE),
      )
      return fail('INTERNAL', 'internal error; retrying with the same requestId is safe')
    } catch (err) {
      // Only the input schema's failure is the caller's fault; a ZodError from deeper down (a
      // stored document that no longer parses) is ours and falls through to INTERNAL.
      if (err instanceof AppError) {
        return fail(err.code, err.message, err.details)
      }
      // Unexpected: log the stack for the operator, tell the caller nothing about internals.
      console.error(`[${spec.name}.${name}] internal error`, err)
      return fail('INTERNAL', 'internal error; retrying with the same requestId is safe')
    }
  }
}
