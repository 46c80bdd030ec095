// The services seam: what goes over the wire in each mode, how replies are checked, how
// failures are named, and that a retried mutation carries the same requestId.
import { contractRef, defineContract, ok, fail } from 'wal-core'
import { z } from 'zod'
import { config } from '../../../miniprogram/config'
import {
  AUTO_RETRY,
  callAction,
  retryable,
  retryableAction,
} from '../../../miniprogram/services/call'
import { getCurrentCampaign } from '../../../miniprogram/services/campaign'
import { ServiceError } from '../../../miniprogram/services/service-error'
import { initBackend } from '../../../miniprogram/services/transport'
import { campaign2024 } from '../support/campaigns'
import { FakeCloud, FakeGateway } from '../support/fake-wx'

const pointsSchema = z.object({ points: z.number().int() })
type Points = z.infer<typeof pointsSchema>
const original = { ...config }

afterEach(() => {
  Object.assign(config, original)
})

/** The ServiceError a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  const err: unknown = await promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ServiceError)
  return err as ServiceError
}

describe('local mode (wx.request to the gateway)', () => {
  let gateway: FakeGateway

  beforeEach(() => {
    config.backend = 'local'
    gateway = new FakeGateway().install()
  })
  afterEach(() => gateway.uninstall())

  test('initBackend leaves wx.cloud alone', () => {
    const cloud = new FakeCloud().install()
    initBackend()
    expect(cloud.init).not.toHaveBeenCalled()
    cloud.uninstall()
  })

  test('POSTs the event as JSON to /functions/<name> with the dev openid header', async () => {
    const pending = getCurrentCampaign()
    gateway.reply(ok(campaign2024))
    await pending

    const [sent] = gateway.sent
    expect(sent!.url).toBe(`${config.localGatewayUrl}/functions/campaign`)
    expect(sent!.method).toBe('POST')
    expect(sent!.event).toEqual({ action: 'getCurrent' })
    expect(sent!.header['content-type']).toBe('application/json')
    expect(sent!.header['x-wx-openid']).toMatch(/^dev-[a-z0-9]+$/)
  })

  test('keeps one dev openid per device across calls', async () => {
    const storage = new Map<string, unknown>()
    const get = jest
      .spyOn(wx, 'getStorageSync')
      .mockImplementation((key: string) => storage.get(key) ?? '')
    const set = jest
      .spyOn(wx, 'setStorageSync')
      .mockImplementation((key: string, value: unknown) => void storage.set(key, value))
    for (let i = 0; i < 2; i++) {
      const pending = getCurrentCampaign()
      gateway.reply(ok(campaign2024))
      await pending
    }
    const [first, second] = gateway.sent.map((s) => s.header['x-wx-openid'])
    expect(first).toBe(second)
    expect(storage.get('wal.devOpenid')).toBe(first)
    get.mockRestore()
    set.mockRestore()
  })

  test('returns the data of an ok reply once it matches the schema', async () => {
    const pending = getCurrentCampaign()
    gateway.reply(ok(campaign2024))
    await expect(pending).resolves.toEqual(campaign2024)
  })

  test('an error reply becomes a ServiceError with its code and a Chinese message', async () => {
    const pending = getCurrentCampaign()
    gateway.reply(fail('NO_CAMPAIGN', 'no campaign is configured'), 404)
    const err = await rejection(pending)
    expect(err.code).toBe('NO_CAMPAIGN')
    expect(err.message).toBe('暂无调查活动，请稍后再来')
    expect(err.detail).toBe('no campaign is configured')
  })

  test("the server's own Chinese sentence reaches the screen (a closed draw says 抽奖已结束)", async () => {
    const pending = getCurrentCampaign()
    gateway.reply(fail('CAMPAIGN_CLOSED', '本次活动抽奖已结束，感谢参与'), 409)
    const err = await rejection(pending)
    expect(err.code).toBe('CAMPAIGN_CLOSED')
    expect(err.message).toBe('本次活动抽奖已结束，感谢参与')
  })

  test('an error code the client does not know keeps the code and gets a general message', async () => {
    const pending = getCurrentCampaign()
    gateway.reply({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } }, 429)
    const err = await rejection(pending)
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.message).toBe('服务暂时不可用，请稍后重试')
  })

  test.each([
    ['not an envelope', '<html>502 Bad Gateway</html>'],
    ['an envelope without ok', { data: campaign2024 }],
    ['an ok envelope without data', { ok: true }],
    ['an error without a code', { ok: false, error: { message: 'boom' } }],
    ['an error whose message is not a string', { ok: false, error: { code: 'X', message: 7 } }],
  ])('a reply that is %s is refused as BAD_REPLY', async (_what, body) => {
    const pending = getCurrentCampaign()
    gateway.reply(body)
    const err = await rejection(pending)
    expect(err.code).toBe('BAD_REPLY')
    expect(err.message).toBe('服务返回的数据有误，请稍后重试')
  })

  test('a request that times out becomes TIMEOUT', async () => {
    const pending = getCurrentCampaign()
    gateway.fail('request:fail timeout')
    const err = await rejection(pending)
    expect(err.code).toBe('TIMEOUT')
    expect(err.message).toBe('网络请求超时，请稍后重试')
  })

  test('a request that cannot reach the gateway becomes NETWORK', async () => {
    const pending = getCurrentCampaign()
    gateway.fail('request:fail net::ERR_CONNECTION_REFUSED')
    const err = await rejection(pending)
    expect(err.code).toBe('NETWORK')
    expect(err.message).toBe('网络连接失败，请检查网络后重试')
  })

  test('a mutation that meets CONFLICT or a lost connection is re-sent by itself, same requestId', async () => {
    jest.useFakeTimers()
    try {
      const transfer = retryable<Points>('wallet', { action: 'transfer', amount: 5 })
      const pending = transfer.run()
      gateway.reply(fail('CONFLICT', 'a concurrent change won'))
      await jest.advanceTimersByTimeAsync(AUTO_RETRY.baseDelayMs - 1)
      expect(gateway.sent).toHaveLength(1) // it pauses first
      await jest.advanceTimersByTimeAsync(AUTO_RETRY.baseDelayMs + 1)
      expect(gateway.sent).toHaveLength(2)

      gateway.fail('request:fail net::ERR_CONNECTION_RESET')
      await jest.advanceTimersByTimeAsync(4 * AUTO_RETRY.baseDelayMs)
      expect(gateway.sent).toHaveLength(3)
      gateway.reply(ok({ points: 7 }))
      await expect(pending).resolves.toEqual({ points: 7 })

      const events = gateway.sent.map((s) => s.event)
      expect(events[0]).toEqual({ action: 'transfer', amount: 5, requestId: transfer.requestId })
      expect(events.every((e) => JSON.stringify(e) === JSON.stringify(events[0]))).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })

  test('after AUTO_RETRY.attempts sends it reports the failure; run() again re-sends the same requestId', async () => {
    jest.useFakeTimers()
    try {
      const redeem = retryable<Points>('points', { action: 'redeem', itemId: 'mug' })
      const first = redeem.run()
      const failed = rejection(first)
      for (let i = 0; i < AUTO_RETRY.attempts; i++) {
        gateway.fail('request:fail timeout')
        await jest.advanceTimersByTimeAsync(2 ** i * 2 * AUTO_RETRY.baseDelayMs)
      }
      expect((await failed).code).toBe('TIMEOUT')
      expect(gateway.sent).toHaveLength(AUTO_RETRY.attempts)
      expect(gateway.unanswered).toBe(0)

      const second = redeem.run() // e.g. from the page's 重试 button
      gateway.reply(ok({ points: 7 }))
      await expect(second).resolves.toEqual({ points: 7 })
      const events = gateway.sent.map((s) => s.event)
      expect(events).toHaveLength(AUTO_RETRY.attempts + 1)
      for (const e of events)
        expect(e).toEqual({ action: 'redeem', itemId: 'mug', requestId: redeem.requestId })
      expect(redeem.requestId).not.toBe('')
    } finally {
      jest.useRealTimers()
    }
  })

  test.each([['INSUFFICIENT_POINTS'], ['IDEMPOTENCY_MISMATCH'], ['BAD_REQUEST']])(
    'a reply that would be the same again (%s) is not re-sent',
    async (code) => {
      const transfer = retryable<Points>('wallet', { action: 'transfer', amount: 5 })
      const pending = transfer.run()
      gateway.reply(fail(code as 'BAD_REQUEST', 'refused'))
      expect((await rejection(pending)).code).toBe(code)
      expect(gateway.sent).toHaveLength(1)
    },
  )

  test('two separate mutations get different requestIds', () => {
    const one = retryable<Points>('points', { action: 'redeem' })
    const two = retryable<Points>('points', { action: 'redeem' })
    expect(one.requestId).not.toBe(two.requestId)
  })
})

describe('calls through a contract', () => {
  const points = defineContract('points', {
    balance: { input: z.object({ of: z.string() }), output: pointsSchema },
    redeem: {
      input: z.object({ itemId: z.string(), requestId: z.string() }),
      output: pointsSchema,
      mutating: true,
    },
  })
  // What a service holds: the name, and the contract's type (no schema at run time).
  const pointsFn = contractRef<typeof points>('points')
  let gateway: FakeGateway

  beforeEach(() => {
    config.backend = 'local'
    gateway = new FakeGateway().install()
  })
  afterEach(() => gateway.uninstall())

  test('the handle holds the function name only', () => {
    expect(pointsFn).toEqual({ name: points.name })
  })

  test("sends the action with its input to the contract's function and checks the reply", async () => {
    const pending = callAction(pointsFn, 'balance', { of: 'me' })
    gateway.reply(ok({ points: 7 }))
    await expect(pending).resolves.toEqual({ points: 7 })
    expect(gateway.sent[0]!.url).toBe(`${config.localGatewayUrl}/functions/points`)
    expect(gateway.sent[0]!.event).toEqual({ action: 'balance', of: 'me' })
  })

  test("the data is the function's: sent as its output schema parsed it, not parsed again", async () => {
    // server/define-function.ts parses each reply with the action's output schema before it is
    // sent (test/unit/define-function.test.ts), so the mini-program ships no zod to do it twice.
    const pending = callAction(pointsFn, 'balance', { of: 'me' })
    gateway.reply(ok({ points: 7, extra: true }))
    await expect(pending).resolves.toEqual({ points: 7, extra: true })
  })

  test('a mutation gets its requestId once, from retryableAction', async () => {
    const redeem = retryableAction(pointsFn, 'redeem', { itemId: 'mug' })
    const pending = redeem.run()
    gateway.reply(ok({ points: 3 }))
    await pending
    expect(gateway.sent[0]!.event).toEqual({
      action: 'redeem',
      itemId: 'mug',
      requestId: redeem.requestId,
    })
  })

  test('another name, an action the contract lacks, a query sent as a mutation or a wrong reply type does not compile', () => {
    // Checked by the typecheck (npm test), never sent.
    const compileOnly = async () => {
      // @ts-expect-error: not the contract's function name
      contractRef<typeof points>('point')
      // @ts-expect-error: the reply is { points: number }, not a string
      const wrong: string = await callAction(pointsFn, 'balance', { of: 'me' })
      void wrong
      // @ts-expect-error: balance takes { of: string }
      void callAction(pointsFn, 'balance', { of: 1 })
      // @ts-expect-error: not an action of the contract
      void callAction(pointsFn, 'spend', {})
      // @ts-expect-error: balance is not a mutation (it takes no requestId)
      retryableAction(pointsFn, 'balance', { of: 'me' })
    }
    expect(compileOnly).toBeInstanceOf(Function)
  })
})

describe('cloud mode (wx.cloud.callFunction)', () => {
  let cloud: FakeCloud

  beforeEach(() => {
    config.backend = 'cloud'
    cloud = new FakeCloud().install()
  })
  afterEach(() => {
    cloud.uninstall()
    jest.useRealTimers()
  })

  test('initBackend initialises wx.cloud with the configured environment', () => {
    config.cloudEnvId = 'wal-test-env'
    initBackend()
    expect(cloud.init).toHaveBeenCalledWith({ env: 'wal-test-env', traceUser: true })
  })

  test('calls the function by name with the event as data and checks res.result', async () => {
    const pending = getCurrentCampaign()
    cloud.reply(ok(campaign2024))
    await expect(pending).resolves.toEqual(campaign2024)
    expect(cloud.calls).toEqual([{ name: 'campaign', data: { action: 'getCurrent' } }])
  })

  test('an error envelope in res.result becomes a ServiceError', async () => {
    const pending = getCurrentCampaign()
    cloud.reply(fail('CAMPAIGN_CLOSED', 'outside the window'))
    const err = await rejection(pending)
    expect(err.code).toBe('CAMPAIGN_CLOSED')
    expect(err.message).toBe('本次调查已结束')
  })

  test('a function that timed out in CloudBase (-504003) becomes TIMEOUT', async () => {
    const pending = getCurrentCampaign()
    cloud.fail('cloud.callFunction:fail errCode: -504003 functions invoke timeout')
    expect((await rejection(pending)).code).toBe('TIMEOUT')
  })

  test('a function that threw in CloudBase (-504002) becomes INTERNAL', async () => {
    const pending = getCurrentCampaign()
    cloud.fail('cloud.callFunction:fail errCode: -504002 functions execute fail')
    expect((await rejection(pending)).code).toBe('INTERNAL')
  })

  test('a call with no answer within callTimeoutMs becomes TIMEOUT', async () => {
    jest.useFakeTimers()
    const pending = getCurrentCampaign()
    jest.advanceTimersByTime(config.callTimeoutMs)
    const err = await rejection(pending)
    expect(err.code).toBe('TIMEOUT')
    expect(cloud.calls).toHaveLength(1)
  })
})
