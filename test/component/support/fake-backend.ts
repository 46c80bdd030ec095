// What the fake backends behind wx.request share: the spy on wx.request, the record of what was
// sent, and the queue of test-scripted answers for the next calls (a network failure, or an
// envelope of the test's choosing). Each backend decides how and when it answers.
import { ok, type Envelope, type FunctionContract } from 'wal-core'
import 'miniprogram-simulate'

export interface Sent {
  name: string
  event: Record<string, unknown>
}

/** Answers the test scripts for the next call, before the fake's own. */
export type ScriptedAnswer = { networkError: string } | { envelope: Envelope<unknown> }

/** The two ways a wx.request ends. */
export interface Reply {
  succeed(data: Envelope<unknown>): void
  fail(errMsg: string): void
}

/** An error reply with any code (each function has codes of its own). */
export function failWith(code: string, message: string, details?: unknown): Envelope<never> {
  return {
    ok: false,
    error: details === undefined ? { code, message } : { code, message, details },
  }
}

export abstract class FakeBackend<Override = never> {
  readonly sent: Sent[] = []
  protected readonly overrides: Array<ScriptedAnswer | Override> = []
  private spy: jest.SpyInstance | undefined

  /** Answer a call to function `name` (sent after `override`, if the test scripted one). */
  protected abstract answer(
    name: string,
    event: Record<string, unknown>,
    override: ScriptedAnswer | Override | undefined,
    reply: Reply,
  ): void

  install(): this {
    this.spy = jest.spyOn(wx, 'request').mockImplementation(((
      options: WechatMiniprogram.RequestOption,
    ) => {
      const name = options.url.replace(/^.*\/functions\//, '')
      const event = options.data as Record<string, unknown>
      this.sent.push({ name, event })
      this.answer(name, event, this.overrides.shift(), {
        fail: (errMsg) =>
          options.fail?.({
            errMsg,
            errno: 0,
          } as unknown as WechatMiniprogram.RequestFailCallbackErr),
        succeed: (data) =>
          options.success?.({
            data: data as unknown as WechatMiniprogram.IAnyObject,
            statusCode: 200,
            header: {},
            cookies: [],
            errMsg: 'request:ok',
          } as unknown as WechatMiniprogram.RequestSuccessCallbackResult),
      })
      return { abort() {} } as WechatMiniprogram.RequestTask
    }) as typeof wx.request)
    return this
  }

  uninstall(): void {
    this.spy?.mockRestore()
  }

  /** Answers a scripted override if there is one (true), so the fake's own answer is skipped. */
  protected answeredByScript(
    override: ScriptedAnswer | Override | undefined,
    reply: Reply,
  ): boolean {
    if (!override || typeof override !== 'object') return false
    if ('networkError' in override) reply.fail(override.networkError)
    else if ('envelope' in override) reply.succeed(override.envelope)
    else return false
    return true
  }

  private readonly firstReplies = new Map<string, Envelope<unknown>>()

  /** The server's idempotency: a repeated requestId gets the first successful reply again. */
  protected once(
    event: Record<string, unknown>,
    handle: () => Envelope<unknown>,
  ): Envelope<unknown> {
    const requestId = typeof event.requestId === 'string' ? event.requestId : undefined
    const first = requestId ? this.firstReplies.get(requestId) : undefined
    if (first) return first
    const envelope = handle()
    if (requestId && envelope.ok) this.firstReplies.set(requestId, envelope)
    return envelope
  }

  /** The next call fails as wx.request does when the network is down (nothing reaches us). */
  failNext(errMsg = 'request:fail net::ERR_INTERNET_DISCONNECTED'): this {
    this.overrides.push({ networkError: errMsg })
    return this
  }

  /** The next call is answered with `envelope` instead of the fake's own answer. */
  replyNext(envelope: Envelope<unknown>): this {
    this.overrides.push({ envelope })
    return this
  }
}

/**
 * A fake of one cloud function behind its contract (core/contracts): scripted answers first, then
 * the fake's own `handle`, each success parsed with the action's output schema — a fake that
 * drifts from what the real function promises fails loudly — and a repeated requestId answered
 * with its first reply, as the server does.
 */
export abstract class ContractBackend<C extends FunctionContract> extends FakeBackend {
  protected abstract readonly contract: C

  /** The fake function's answer to one event (before the contract check). */
  protected abstract handle(event: Record<string, unknown>): Envelope<unknown>

  /** The events sent for one action, in order. */
  actions(action: string): Array<Record<string, unknown>> {
    return this.sent.filter((s) => s.event.action === action).map((s) => s.event)
  }

  protected answer(
    name: string,
    event: Record<string, unknown>,
    override: ScriptedAnswer | undefined,
    reply: Reply,
  ): void {
    if (this.answeredByScript(override, reply)) return
    if (name !== this.contract.name) return reply.succeed(failWith('UNKNOWN_ACTION', name))
    reply.succeed(
      this.once(event, () => {
        const envelope = this.handle(event)
        if (!envelope.ok) return envelope
        const action = String(event.action)
        const parsed = this.contract.actions[action]!.output.safeParse(envelope.data)
        if (!parsed.success)
          throw new Error(
            `fake ${name} reply for ${action} breaks the contract: ${parsed.error.message}`,
          )
        return ok(parsed.data)
      }),
    )
  }
}
