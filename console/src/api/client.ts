// The console's one seam to the backend: call an action of a cloud function through its contract
// and get the reply as the action's zod output schema parsed it. Two adapters send the event —
// the local gateway (fetch POST /functions/<name>, the signed-in account in x-cb-uid) and
// CloudBase (@cloudbase/js-sdk's app.callFunction, the account from its own sign-in). Pages call
// services built on `callAction` / `mutation` only.
import type {
  ActionInput,
  ActionName,
  ActionOutput,
  Envelope,
  FunctionContract,
  MutatingAction,
} from 'wal-core'
import type { z } from 'zod'

/** Sends one event to a cloud function and resolves with its reply envelope (never validated). */
export interface Transport {
  readonly kind: 'local' | 'cloudbase'
  send(name: string, event: Record<string, unknown>): Promise<unknown>
}

/** A failed call, in the function's error code (or NETWORK / BAD_REPLY / UNAUTHENTICATED). */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'CallError'
  }
}

/** The local gateway: `POST {base}/functions/<name>` as the account the gateway signed in. */
export function gatewayTransport(base: string, uid: () => string | null): Transport {
  return {
    kind: 'local',
    async send(name, event) {
      const who = uid()
      if (!who) throw new CallError('UNAUTHENTICATED', '请先登录')
      let res: Response
      try {
        res = await fetch(`${base}/functions/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-cb-uid': who },
          body: JSON.stringify(event),
        })
      } catch (err) {
        throw new CallError('NETWORK', `无法连接本地网关（${String(err)}）`)
      }
      return res.json().catch(() => {
        throw new CallError('BAD_REPLY', `网关返回了非 JSON 内容（HTTP ${res.status}）`)
      })
    },
  }
}

/** The part of @cloudbase/js-sdk's app the console uses. */
export interface CloudBaseApp {
  callFunction(options: { name: string; data: unknown }): Promise<{ result?: unknown }>
}

/** CloudBase: app.callFunction; the caller is whoever signed in through the app's auth. */
export function cloudbaseTransport(app: CloudBaseApp): Transport {
  return {
    kind: 'cloudbase',
    async send(name, event) {
      try {
        const res = await app.callFunction({ name, data: event })
        return res.result
      } catch (err) {
        throw new CallError('NETWORK', `云函数调用失败（${String(err)}）`)
      }
    },
  }
}

let transport: Transport | undefined

export function useTransport(t: Transport | undefined): void {
  transport = t
}

async function call<T>(name: string, event: Record<string, unknown>, schema: z.ZodType<T>) {
  if (!transport) throw new CallError('UNAUTHENTICATED', '请先登录')
  const envelope = (await transport.send(name, event)) as Envelope<unknown> | undefined
  if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
    throw new CallError('BAD_REPLY', '服务器的回复格式不对')
  }
  if (!envelope.ok) {
    const e = envelope.error as { code: string; message: string; details?: unknown }
    throw new CallError(e.code, e.message, e.details)
  }
  const parsed = schema.safeParse(envelope.data)
  if (!parsed.success) {
    throw new CallError('BAD_REPLY', `回复不符合接口约定：${parsed.error.issues[0]?.message ?? ''}`)
  }
  return parsed.data
}

/** Call `action` of `contract` with `input`; the reply parsed by the action's output schema. */
export function callAction<C extends FunctionContract, K extends ActionName<C>>(
  contract: C,
  action: K,
  input: ActionInput<C, K>,
): Promise<ActionOutput<C, K>> {
  const schema = contract.actions[action]!.output as z.ZodType<ActionOutput<C, K>>
  return call(contract.name, { action, ...(input as object) }, schema)
}

function requestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return `c-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * A mutation bound to one requestId, made once per intent: `run()` again after a failure (重试)
 * sends the same requestId, so the server returns the first result and nothing happens twice.
 */
export function mutation<C extends FunctionContract, K extends MutatingAction<C>>(
  contract: C,
  action: K,
  input: Omit<ActionInput<C, K>, 'requestId'>,
): { requestId: string; run(): Promise<ActionOutput<C, K>> } {
  const id = requestId()
  const event = { ...(input as object), requestId: id } as ActionInput<C, K>
  return { requestId: id, run: () => callAction(contract, action, event) }
}
