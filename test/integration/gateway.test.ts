// The local HTTP gateway over real loopback HTTP: envelopes, status codes, CORS, one log line per
// call, and per-request identity when calls from different users interleave.
import type { AddressInfo } from 'node:net'
import cloud from 'wx-server-sdk'
import { z } from 'zod'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { callLog, createGateway } from '../../emulator/gateway'
import { action, defineFunction } from '../../server/define-function'
import { getDb, setClockForTests } from '../../server/db'
import { seed } from '../../scripts/seed'
import type { FastifyInstance } from 'fastify'

// Echoes who the SDK says is calling. Calls wait at a barrier until `groupSize` of them are in
// flight together, then make a database round trip: identities must not bleed across requests.
let groupSize = 1
let waiting: Array<() => void> = []
function barrier(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve)
    if (waiting.length >= groupSize) {
      for (const release of waiting) release()
      waiting = []
    }
  })
}
const echo = defineFunction({
  name: 'echo',
  actions: {
    whoami: action({
      input: z.object({ tag: z.string() }),
      handler: async ({ tag }, ctx) => {
        await barrier()
        await getDb().collection('campaigns').limit(1).get()
        return { tag, openid: ctx.openid, sdkOpenid: cloud.getWXContext().OPENID }
      },
    }),
  },
})

let local: LocalCloud
let app: FastifyInstance
let base: string
const lines: string[] = []

beforeAll(async () => {
  local = startLocalCloud()
  await seed({ nowMs: Date.parse('2025-03-01T10:00:00+08:00') })
  const host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: ['campaign'],
    extra: { echo },
    concurrency: 64, // the identity test holds 40 calls in flight at once
  })
  app = createGateway({ host, log: (line) => lines.push(line) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await app.close()
  local.close()
})
beforeEach(() => {
  lines.length = 0
  setClockForTests(new Date('2025-03-02T10:00:00+08:00'))
})
afterEach(() => setClockForTests(undefined))

function call(name: string, body: string | object, openid: string | null = 'o-user-1') {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (openid !== null) headers['x-wx-openid'] = openid
  return fetch(`${base}/functions/${name}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

test('GET /health lists the functions', async () => {
  const res = await fetch(`${base}/health`)
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({
    ok: true,
    data: { status: 'ok', functions: ['campaign', 'echo'], uptimeMs: expect.any(Number) },
  })
})

test('POST /functions/campaign replies the function envelope and logs one line', async () => {
  const res = await call('campaign', { action: 'getCurrent' })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(await res.json()).toMatchObject({ ok: true, data: { id: 'demo', status: 'open' } })
  expect(lines).toEqual([expect.stringMatching(/^campaign\.getCurrent ok \d+\.\dms$/)])
})

test('a business error is still HTTP 200 with ok:false', async () => {
  const res = await call('campaign', { action: 'nope' })
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } })
  expect(lines).toEqual([expect.stringMatching(/^campaign\.nope UNKNOWN_ACTION /)])
})

test.each([
  ['missing', null],
  ['blank', '   '],
  ['malformed', 'o user;drop'],
])('a %s x-wx-openid is HTTP 401 UNAUTHENTICATED', async (_label, openid) => {
  const res = await call('campaign', { action: 'getCurrent' }, openid)
  expect(res.status).toBe(401)
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
})

test('an unknown function is HTTP 404 UNKNOWN_FUNCTION', async () => {
  const res = await call('payouts', { action: 'run' })
  expect(res.status).toBe(404)
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_FUNCTION' } })
  expect(lines).toEqual([expect.stringMatching(/^payouts\.run UNKNOWN_FUNCTION /)])
})

test.each([
  ['not JSON', '{"action": getCurrent}'],
  ['a JSON array', '[1, 2]'],
])('a body that is %s is HTTP 400 BAD_REQUEST', async (_label, body) => {
  const res = await call('campaign', body)
  expect(res.status).toBe(400)
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
})

test('other routes are 404 envelopes', async () => {
  const res = await fetch(`${base}/nowhere`)
  expect(res.status).toBe(404)
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
})

test('CORS is open for DevTools, including the preflight', async () => {
  const preflight = await fetch(`${base}/functions/campaign`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://127.0.0.1:9527',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-wx-openid',
    },
  })
  expect(preflight.status).toBe(204)
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
  expect(preflight.headers.get('access-control-allow-headers')).toContain('x-wx-openid')
  const res = await call('campaign', { action: 'getCurrent' })
  expect(res.headers.get('access-control-allow-origin')).toBe('*')
})

test('concurrent calls from different users each see their own identity', async () => {
  const users = Array.from({ length: 40 }, (_, i) => `o-user-${i}`)
  groupSize = users.length // all 40 are in flight at once before any answers
  const replies = await Promise.all(
    users.map(async (openid) =>
      (await call('echo', { action: 'whoami', tag: openid }, openid)).json(),
    ),
  )
  replies.forEach((reply, i) =>
    expect(reply).toEqual({
      ok: true,
      data: { tag: users[i], openid: users[i], sdkOpenid: users[i] },
    }),
  )
  expect(lines).toHaveLength(users.length)
})

test('an instance runs at most `concurrency` calls at once; the others wait their turn, in order', async () => {
  let running = 0
  let most = 0
  const started: number[] = []
  const gates: Array<() => void> = []
  const slow = async (event: unknown) => {
    const { n } = event as { n: number }
    started.push(n)
    running++
    most = Math.max(most, running)
    await new Promise<void>((resolve) => gates.push(resolve))
    running--
    return { ok: true, data: n }
  }
  const host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: [],
    extra: { slow },
    concurrency: 3,
  })
  const calls = Array.from({ length: 10 }, (_, n) => host.invoke('slow', { n }, { openid: 'o-1' }))
  // Let every call that can start, start; then open the gates one by one.
  const settle = () => new Promise((resolve) => setImmediate(resolve))
  await settle()
  expect(started).toEqual([0, 1, 2])
  while (gates.length > 0) {
    gates.shift()!()
    await settle()
  }
  expect((await Promise.all(calls)).map((r) => (r.ok ? r.data : null))).toEqual([
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ])
  expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  expect(most).toBe(3)
})

describe('callLog', () => {
  it('writes the call lines together, in order, after a short wait or every 500 lines', async () => {
    const writes: string[] = []
    const out = { write: (text: string) => writes.push(text) } as unknown as NodeJS.WritableStream
    const log = callLog(out)
    log('a.x ok 1.0ms')
    log('a.y ok 2.0ms')
    expect(writes).toEqual([])
    await new Promise((r) => setTimeout(r, 80))
    expect(writes).toEqual(['a.x ok 1.0ms\na.y ok 2.0ms\n'])
    for (let i = 0; i < 500; i++) log(`b.${i} ok`)
    expect(writes).toHaveLength(2)
    expect(writes[1]!.split('\n')).toHaveLength(501)
  })
})
