// The thin-handler kit: routing, input validation, identity from the WeChat context only, and
// error replies that never leak internals.
import { defineContract } from 'wal-core'
import { z } from 'zod'
import { runAsCaller } from '../../emulator/wx-context'
import { AppError } from '../../server/app-error'
import { action, defineFunction, MAX_EVENT_DEPTH } from '../../server/define-function'
import { sharedReply } from '../../server/shared-reply'
import { LOG_VALUE_MAX, logValue } from '../../server/log'
import { setClockForTests } from '../../server/db'

const main = defineFunction({
  name: 'kit',
  actions: {
    whoami: action({
      input: z.object({}),
      handler: (_input, ctx) => ({ openid: ctx.openid }),
    }),
    add: action({
      input: z.object({ a: z.number().int(), b: z.number().int() }),
      handler: ({ a, b }) => ({ sum: a + b }),
    }),
    clock: action({
      auth: 'none',
      input: z.object({}),
      handler: (_input, ctx) => ({ now: ctx.now.toISOString(), openid: ctx.openid ?? null }),
    }),
    closed: action({
      input: z.object({}),
      handler: () => {
        throw new AppError('CAMPAIGN_CLOSED', 'the collection window has ended', { endsAt: 'x' })
      },
    }),
    crash: action({
      input: z.object({}),
      handler: async () => {
        throw new Error('secret table users_v2 is missing')
      },
    }),
    badStoredData: action({
      input: z.object({}),
      handler: () => z.object({ n: z.number() }).parse({ n: 'not a number' }),
    }),
  },
})

const asCaller = <T>(fn: () => T) => runAsCaller({ openid: 'o-caller-1' }, fn)

afterEach(() => setClockForTests(undefined))

test('routes on event.action and replies ok with the handler result', async () => {
  await expect(asCaller(() => main({ action: 'add', a: 2, b: 3 }))).resolves.toEqual({
    ok: true,
    data: { sum: 5 },
  })
})

test('invalid input replies BAD_REQUEST with the zod issues as details', async () => {
  const reply = await asCaller(() => main({ action: 'add', a: 2, b: 'three' }))
  expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
  if (reply.ok) throw new Error('expected an error')
  expect(reply.error.message).toContain('b')
  expect(reply.error.details).toEqual([
    expect.objectContaining({ path: ['b'], code: 'invalid_type' }),
  ])
})

test('an unknown or missing action replies UNKNOWN_ACTION naming the known ones', async () => {
  const unknown = await asCaller(() => main({ action: 'drop' }))
  expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } })
  if (unknown.ok) throw new Error('expected an error')
  expect(unknown.error.message).toContain('whoami')
  await expect(asCaller(() => main({}))).resolves.toMatchObject({
    error: { code: 'UNKNOWN_ACTION' },
  })
  await expect(asCaller(() => main(null))).resolves.toMatchObject({
    error: { code: 'UNKNOWN_ACTION' },
  })
})

test('an action that needs a caller replies UNAUTHENTICATED without an openid', async () => {
  await expect(main({ action: 'whoami' })).resolves.toEqual({
    ok: false,
    error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
  })
})

test('identity comes from the WeChat context, never from the event', async () => {
  const reply = await asCaller(() =>
    main({ action: 'whoami', openid: 'o-forged', userInfo: { openId: 'o-forged', appId: 'x' } }),
  )
  expect(reply).toEqual({ ok: true, data: { openid: 'o-caller-1' } })
})

test('a public action runs without a caller and gets the server clock', async () => {
  setClockForTests(new Date('2024-07-20T04:00:00Z'))
  await expect(main({ action: 'clock' })).resolves.toEqual({
    ok: true,
    data: { now: '2024-07-20T04:00:00.000Z', openid: null },
  })
})

test('an AppError from a use case replies its own code, message and details', async () => {
  await expect(asCaller(() => main({ action: 'closed' }))).resolves.toEqual({
    ok: false,
    error: {
      code: 'CAMPAIGN_CLOSED',
      message: 'the collection window has ended',
      details: { endsAt: 'x' },
    },
  })
})

test('an unexpected error replies INTERNAL with a generic message and logs the stack', async () => {
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {})
  try {
    const reply = await asCaller(() => main({ action: 'crash' }))
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(reply)).not.toContain('users_v2')
    expect(logged).toHaveBeenCalledWith('[kit.crash] internal error', expect.any(Error))
  } finally {
    logged.mockRestore()
  }
})

test('a zod failure inside a use case is INTERNAL, not the caller’s BAD_REQUEST', async () => {
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {})
  try {
    await expect(asCaller(() => main({ action: 'badStoredData' }))).resolves.toMatchObject({
      error: { code: 'INTERNAL' },
    })
  } finally {
    logged.mockRestore()
  }
})

describe('hostile events', () => {
  const deep = (n: number): unknown => {
    let v: unknown = 1
    for (let i = 0; i < n; i++) v = { a: v }
    return v
  }

  it.each([
    ['an object 10,000 levels deep', deep(10_000)],
    ['an array', ['add']],
    ['a number', 7],
    ['null', null],
    ['a name with a newline (a forged log line)', 'add\n[kit.add] ok'],
    ['a long name', 'a'.repeat(41)],
    ['a name with punctuation', 'add;drop'],
  ])('an action that is %s replies BAD_REQUEST without echoing it', async (_label, name) => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const reply = await asCaller(() => main({ action: name, a: 1, b: 2 }))
      expect(reply).toEqual({
        ok: false,
        error: { code: 'BAD_REQUEST', message: expect.any(String) },
      })
      if (reply.ok) throw new Error('expected an error')
      expect(reply.error.message).not.toContain('drop')
      expect(reply.error.message).not.toContain('\n')
      expect(logged).not.toHaveBeenCalled()
    } finally {
      logged.mockRestore()
    }
  })

  it('an unknown but well-formed action is still UNKNOWN_ACTION, named as a JSON string', async () => {
    const reply = await asCaller(() => main({ action: 'drop_all' }))
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } })
    if (reply.ok) throw new Error('expected an error')
    expect(reply.error.message).toContain('"drop_all"')
  })

  it('an input nested deeper than MAX_EVENT_DEPTH is BAD_REQUEST, at any size', async () => {
    for (const depth of [MAX_EVENT_DEPTH + 1, 10_000]) {
      await expect(
        asCaller(() => main({ action: 'add', a: 1, b: 2, extra: deep(depth) })),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: expect.stringContaining('deeper') },
      })
    }
    // A few levels, as a matrix answer has, are fine (and unknown keys are dropped by zod).
    await expect(
      asCaller(() => main({ action: 'add', a: 1, b: 2, extra: deep(6) })),
    ).resolves.toEqual({
      ok: true,
      data: { sum: 3 },
    })
  })

  it.each(['__proto__', 'constructor', 'prototype'])(
    'a %s key anywhere in the event is refused before any use case sees it',
    async (key) => {
      // As JSON.parse makes it: an own property, not the prototype.
      const event = JSON.parse(
        `{"action":"add","a":1,"b":2,"x":[{"y":{"${key}":{"polluted":true}}}]}`,
      )
      const top = JSON.parse(`{"action":"add","a":1,"b":2,"${key}":{"polluted":true}}`)
      for (const e of [event, top]) {
        await expect(asCaller(() => main(e))).resolves.toMatchObject({
          ok: false,
          error: { code: 'BAD_REQUEST', message: expect.stringContaining(key) },
        })
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )

  it('a BAD_REQUEST reply is bounded however many issues the input has', async () => {
    const wide = defineFunction({
      name: 'wide',
      actions: {
        many: action({ input: z.object({ xs: z.array(z.number()) }), handler: () => null }),
      },
    })
    const reply = await asCaller(() =>
      wide({ action: 'many', xs: Array.from({ length: 5_000 }, () => 'x') }),
    )
    if (reply.ok) throw new Error('expected an error')
    expect(reply.error.code).toBe('BAD_REQUEST')
    expect(reply.error.details).toHaveLength(20)
    expect(reply.error.message.length).toBeLessThanOrEqual(1_001)
  })
})

describe('all-digit openids', () => {
  it.each(['0123', '000123', '123', '-5', '99999999999999999999'])(
    'the openid %s reaches the handler exactly as the platform gave it',
    async (openid) => {
      await expect(runAsCaller({ openid }, () => main({ action: 'whoami' }))).resolves.toEqual({
        ok: true,
        data: { openid },
      })
    },
  )
})

describe('logValue', () => {
  it('writes a request value as one short JSON string', () => {
    expect(logValue('add')).toBe('"add"')
    expect(logValue('a\nb\r\u0000\u2028')).toBe('"a\\nb\\r\\u0000\\u2028"')
    expect(logValue('x'.repeat(1_000))).toBe(`"${'x'.repeat(LOG_VALUE_MAX)}…"`)
    expect(logValue({ a: { a: {} } })).toBe('<object>')
    expect(logValue([1])).toBe('<array>')
    expect(logValue(undefined)).toBe('undefined')
  })
})

describe('a function from its contract', () => {
  const sums = defineContract('sums', {
    add: { input: z.object({ a: z.number().int(), b: z.number().int() }), output: z.number() },
    open: { input: z.object({}), output: z.object({ openid: z.string().nullable() }) },
  })
  const fromContract = defineFunction(sums, {
    add: ({ a, b }) => a + b,
    open: { auth: 'none', handler: (_input, ctx) => ({ openid: ctx.openid ?? null }) },
  })

  it("validates the contract's input and routes to the handler", async () => {
    await expect(asCaller(() => fromContract({ action: 'add', a: 2, b: 3 }))).resolves.toEqual({
      ok: true,
      data: 5,
    })
    const bad = await asCaller(() => fromContract({ action: 'add', a: 2, b: 'three' }))
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    await expect(fromContract({ action: 'open' })).resolves.toEqual({
      ok: true,
      data: { openid: null },
    })
    await expect(fromContract({ action: 'add', a: 1, b: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
  })

  it('sends the reply as its output schema parses it: defaults applied, unknown keys dropped', async () => {
    const shaped = defineContract('shaped', {
      me: {
        input: z.object({}),
        output: z.object({ name: z.string(), tags: z.array(z.string()).default([]) }),
      },
    })
    const main = defineFunction(shaped, {
      me: () => ({ name: 'li', openid: 'o-secret' }) as { name: string },
    })
    await expect(asCaller(() => main({ action: 'me' }))).resolves.toEqual({
      ok: true,
      data: { name: 'li', tags: [] },
    })
  })

  it('a reply its output schema refuses is never sent: INTERNAL, logged on the server', async () => {
    const drifted = defineContract('drifted', {
      count: { input: z.object({}), output: z.object({ n: z.number().int() }) },
    })
    // A handler that drifted from its contract (the cast stands in for a stored document).
    const main = defineFunction(drifted, {
      count: () => ({ n: 'seven' }) as unknown as { n: number },
    })
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const reply = await asCaller(() => main({ action: 'count' }))
      expect(reply).toEqual({
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'internal error; retrying with the same requestId is safe',
        },
      })
      expect(JSON.stringify(reply)).not.toContain('seven')
      expect(log).toHaveBeenCalledWith(
        '[drifted.count] reply refused by its output schema',
        expect.stringContaining('n'),
      )
    } finally {
      log.mockRestore()
    }
  })

  it('parses a shared reply once (frozen), and every other reply on each call', async () => {
    const output = z.object({ title: z.string(), n: z.number().default(1) })
    const parse = jest.spyOn(output, 'safeParse')
    const cached = sharedReply({ title: '公共网民版' })
    const repeat = defineContract('repeat', {
      shared: { input: z.object({}), output },
      fresh: { input: z.object({}), output },
    })
    const main = defineFunction(repeat, {
      shared: () => cached,
      fresh: () => ({ title: '从业人员版' }),
    })
    for (let i = 0; i < 3; i++) {
      await expect(asCaller(() => main({ action: 'shared' }))).resolves.toEqual({
        ok: true,
        data: { title: '公共网民版', n: 1 },
      })
    }
    expect(parse).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 2; i++) await asCaller(() => main({ action: 'fresh' }))
    expect(parse).toHaveBeenCalledTimes(3)
    expect(Object.isFrozen(cached)).toBe(true)
    parse.mockRestore()
  })

  it('does not compile with an action the contract lacks, or a reply it would refuse', () => {
    defineFunction(sums, {
      add: ({ a, b }) => a + b,
      open: { auth: 'none', handler: () => ({ openid: null }) },
      // @ts-expect-error: not an action of the contract
      subtract: ({ a, b }: { a: number; b: number }) => a - b,
    })
    defineFunction(sums, {
      // @ts-expect-error: the output schema wants a number
      add: ({ a, b }) => `${a + b}`,
      open: { auth: 'none', handler: () => ({ openid: null }) },
    })
    // @ts-expect-error: every action of the contract needs its handler
    expect(() => defineFunction(sums, { add: ({ a, b }) => a + b })).toThrow(
      'sums: no handler for action open',
    )
  })
})
