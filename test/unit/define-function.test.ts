// The thin-handler kit: routing, input validation, identity from the WeChat context only, and
// error replies that never leak internals.
import { z } from 'zod'
import { runAsCaller } from '../../emulator/wx-context'
import { AppError } from '../../server/app-error'
import { action, defineFunction } from '../../server/define-function'
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
