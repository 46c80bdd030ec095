// Fakes for the two ways the services reach the backend: wx.request to the local gateway and
// wx.cloud.callFunction. They record what was sent and answer only when the test says so.
import 'miniprogram-simulate' // installs the global `wx` that the fakes patch

export interface SentRequest {
  url: string
  method: string | undefined
  header: Record<string, string>
  event: Record<string, unknown>
}

/** Stands in for the local gateway behind wx.request. */
export class FakeGateway {
  readonly sent: SentRequest[] = []
  private readonly waiting: WechatMiniprogram.RequestOption[] = []
  private spy: jest.SpyInstance | undefined

  install(): this {
    const request = (options: WechatMiniprogram.RequestOption) => {
      this.sent.push({
        url: options.url,
        method: options.method,
        header: (options.header ?? {}) as Record<string, string>,
        event: options.data as Record<string, unknown>,
      })
      this.waiting.push(options)
      return { abort() {} } as WechatMiniprogram.RequestTask
    }
    this.spy = jest.spyOn(wx, 'request').mockImplementation(request as typeof wx.request)
    return this
  }

  uninstall(): void {
    this.spy?.mockRestore()
  }

  /** How many requests have been sent and not yet answered. */
  get unanswered(): number {
    return this.waiting.length
  }

  /** Answer the oldest unanswered request with an HTTP response. */
  reply(body: unknown, statusCode = 200): void {
    const options = this.take()
    options.success?.({
      data: body as WechatMiniprogram.IAnyObject,
      statusCode,
      header: {},
      cookies: [],
      errMsg: 'request:ok',
    } as unknown as WechatMiniprogram.RequestSuccessCallbackResult)
  }

  /** Fail the oldest unanswered request the way wx.request fails (no HTTP response at all). */
  fail(errMsg: string): void {
    this.take().fail?.({ errMsg, errno: 0 } as WechatMiniprogram.RequestFailCallbackErr)
  }

  private take(): WechatMiniprogram.RequestOption {
    const options = this.waiting.shift()
    if (!options) throw new Error('no request is waiting for an answer')
    return options
  }
}

export interface CloudCall {
  name: string
  data: Record<string, unknown>
}

/** Stands in for wx.cloud: callFunction returns a promise the test settles. */
export class FakeCloud {
  readonly calls: CloudCall[] = []
  readonly init = jest.fn()
  private readonly waiting: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }> =
    []

  install(): this {
    const callFunction = (options: { name: string; data?: Record<string, unknown> }) => {
      this.calls.push({ name: options.name, data: options.data ?? {} })
      return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }))
    }
    Object.assign(wx, { cloud: { init: this.init, callFunction } })
    return this
  }

  uninstall(): void {
    Object.assign(wx, { cloud: undefined })
  }

  /** Settle the oldest call with the function's return value. */
  reply(result: unknown): void {
    this.take().resolve({ result, errMsg: 'cloud.callFunction:ok', requestID: 'fake' })
  }

  /** Reject the oldest call as wx.cloud does. */
  fail(errMsg: string): void {
    this.take().reject({ errMsg })
  }

  private take() {
    const pending = this.waiting.shift()
    if (!pending) throw new Error('no cloud call is waiting for an answer')
    return pending
  }
}
