// Per-request WeChat identity for the real wx-server-sdk `getWXContext()`.
//
// In CloudBase one function instance serves one request at a time, so the SDK reads the caller
// from process.env (WX_CONTEXT_KEYS, WX_OPENID, ...). Locally many requests interleave in one
// process, so process.env is replaced once by a proxy that answers those keys from the
// AsyncLocalStorage of the request being served. The SDK code path stays the real one.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface CallerIdentity {
  /** The WeChat caller; '' for a web caller (the console), who has none. */
  openid: string
  appid?: string
  unionid?: string
  /**
   * A web caller signed in with a CloudBase account (the console): what CloudBase puts in the
   * function's context as TCB_UUID / TCB_CUSTOM_USER_ID, read by node-sdk's auth().getUserInfo().
   */
  webUid?: string
}

const storage = new AsyncLocalStorage<Record<string, string>>()
let installed = false

function contextEnv(caller: CallerIdentity): Record<string, string> {
  const env: Record<string, string> = {
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
    WX_OPENID: caller.openid,
    WX_APPID: caller.appid ?? 'wx-local-appid',
    WX_CLIENTIP: '127.0.0.1',
    TCB_ENV: 'local',
    // Every request names its web identity, empty for WeChat callers, so nothing leaks from the
    // process environment into a request that has none.
    TCB_CONTEXT_KEYS: 'TCB_UUID,TCB_CUSTOM_USER_ID,TCB_ISANONYMOUS_USER',
    TCB_UUID: caller.webUid ?? '',
    TCB_CUSTOM_USER_ID: caller.webUid ?? '',
    TCB_ISANONYMOUS_USER: 'false',
  }
  if (caller.unionid) env.WX_UNIONID = caller.unionid
  return env
}

function install(): void {
  if (installed) return
  installed = true
  const real = process.env
  process.env = new Proxy(real, {
    get(target, key) {
      const ctx = storage.getStore()
      if (ctx && typeof key === 'string' && key in ctx) return ctx[key]
      return Reflect.get(target, key)
    },
    has(target, key) {
      const ctx = storage.getStore()
      if (ctx && typeof key === 'string' && key in ctx) return true
      return Reflect.has(target, key)
    },
  })
}

/** Run `fn` as a request from `caller`: `cloud.getWXContext()` inside it returns that caller. */
export function runAsCaller<T>(caller: CallerIdentity, fn: () => T): T {
  install()
  return storage.run(contextEnv(caller), fn)
}
