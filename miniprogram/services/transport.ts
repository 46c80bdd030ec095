// How an event reaches a cloud function: wx.cloud in 'cloud' mode, the local gateway in 'local'.
// Both resolve with the function's raw reply; validating it is call.ts's job.
import { config } from '../config'
import { ServiceError } from './service-error'

export type FunctionEvent = Record<string, unknown>

const DEV_OPENID_KEY = 'wal.devOpenid'

/** Called once from app.ts: cloud mode needs wx.cloud.init before the first call. */
export function initBackend(): void {
  if (config.backend === 'cloud') {
    wx.cloud.init({ env: config.cloudEnvId, traceUser: true })
  }
}

/**
 * The local gateway trusts the x-wx-openid header as the caller (local only; CloudBase takes
 * the identity from WeChat). One stable id per device keeps "one response per user" testable.
 */
function devOpenid(): string {
  const stored: unknown = wx.getStorageSync(DEV_OPENID_KEY)
  if (typeof stored === 'string' && stored !== '') return stored
  const id = `dev-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
  wx.setStorageSync(DEV_OPENID_KEY, id)
  return id
}

function sendLocal(name: string, event: FunctionEvent): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${config.localGatewayUrl}/functions/${name}`,
      method: 'POST',
      data: event,
      header: { 'content-type': 'application/json', 'x-wx-openid': devOpenid() },
      timeout: config.callTimeoutMs,
      // The gateway answers errors with an envelope too, whatever the HTTP status.
      success: (res) => resolve(res.data),
      fail: (err) => {
        const timedOut = /time ?out/i.test(err.errMsg)
        reject(new ServiceError(timedOut ? 'TIMEOUT' : 'NETWORK', err.errMsg))
      },
    })
  })
}

// wx.cloud error codes: -504003 the function timed out, -504002 it threw.
function cloudFailure(err: unknown): ServiceError {
  const text = err instanceof Error ? err.message : String((err as { errMsg?: unknown })?.errMsg)
  if (/-504003|time ?out/i.test(text)) return new ServiceError('TIMEOUT', text)
  if (/-504002/.test(text)) return new ServiceError('INTERNAL', text)
  return new ServiceError('NETWORK', text)
}

function sendCloud(name: string, event: FunctionEvent): Promise<unknown> {
  const sent = wx.cloud.callFunction({ name, data: event }).then(
    (res) => res.result,
    (err: unknown) => Promise.reject(cloudFailure(err)),
  )
  // wx.cloud has no per-call timeout; give up waiting (the function may still finish).
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ServiceError('TIMEOUT', `${name}: no reply in ${config.callTimeoutMs} ms`)),
      config.callTimeoutMs,
    )
    sent.then(
      (result) => {
        clearTimeout(timer)
        resolve(result)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}

/** Send `event` to cloud function `name` in the configured mode; resolves with the raw reply. */
export function send(name: string, event: FunctionEvent): Promise<unknown> {
  return config.backend === 'cloud' ? sendCloud(name, event) : sendLocal(name, event)
}
