// The benchmarks' HTTP client (scripts/bench/http-client.ts) against a real fastify server:
// replies arrive whole and in UTF-8, connections are kept and bounded, and a connection the
// server closes, or drops mid-request, fails only that request.
import type { AddressInfo, Socket } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { HttpPool } from '../../scripts/bench/http-client'

let app: FastifyInstance
let port: number
let connections: number
let sockets: Socket[]

beforeAll(async () => {
  app = Fastify({ logger: false })
  app.post('/echo', async (req) => ({
    body: req.body,
    openid: req.headers['x-wx-openid'] ?? null,
    // Larger than one TCP segment on loopback, so the reply arrives in several chunks.
    padding: '网安'.repeat(40_000),
  }))
  app.post('/status/:code', async (req, reply) =>
    reply.code(Number((req.params as { code: string }).code)).send({ ok: false }),
  )
  app.get('/health', async (req) => ({
    method: req.method,
    length: req.headers['content-length'] ?? null,
  }))
  app.post('/whoami', async (req) => ({ port: req.raw.socket.remotePort }))
  app.post('/close', async (_req, reply) => reply.header('connection', 'close').send({ bye: 1 }))
  app.post('/drop', async (req) => {
    req.raw.socket.destroy()
    return new Promise(() => {})
  })
  app.post('/slow', async () => {
    await new Promise((r) => setTimeout(r, 20))
    return { slow: true }
  })
  app.server.on('connection', (s: Socket) => {
    connections++
    sockets.push(s)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
})

beforeEach(() => {
  connections = 0
  sockets = []
})

afterAll(() => app.close())

test('a reply arrives whole, in UTF-8, with the headers that were sent', async () => {
  const pool = new HttpPool(port, 4)
  const body = JSON.stringify({ answer: '个人信息保护', n: 1 })
  const reply = await pool.post({ path: '/echo', body, headers: { 'x-wx-openid': 'o-1' } })
  pool.destroy()
  expect(reply.status).toBe(200)
  const parsed = JSON.parse(reply.body) as { body: unknown; openid: string; padding: string }
  expect(parsed.body).toEqual({ answer: '个人信息保护', n: 1 })
  expect(parsed.openid).toBe('o-1')
  expect(parsed.padding).toHaveLength(80_000)
})

test('status codes other than 200 are reported with their body', async () => {
  const pool = new HttpPool(port, 1)
  const reply = await pool.post({ path: '/status/429', body: '{}' })
  pool.destroy()
  expect(reply).toEqual({ status: 429, body: '{"ok":false}' })
})

test('sequential requests reuse one keep-alive connection', async () => {
  const pool = new HttpPool(port, 8)
  for (let i = 0; i < 20; i++) {
    expect((await pool.post({ path: '/status/200', body: '{}' })).status).toBe(200)
  }
  pool.destroy()
  expect(connections).toBe(1)
})

test('concurrent requests beyond the limit wait for a connection', async () => {
  const pool = new HttpPool(port, 2)
  const replies = await Promise.all(
    Array.from({ length: 10 }, () => pool.post({ path: '/slow', body: '{}' })),
  )
  pool.destroy()
  expect(replies.every((r) => r.status === 200 && r.body === '{"slow":true}')).toBe(true)
  expect(connections).toBe(2)
})

test('a connection the server closes after its reply is replaced by a new one', async () => {
  const pool = new HttpPool(port, 1)
  expect(JSON.parse((await pool.post({ path: '/close', body: '{}' })).body)).toEqual({ bye: 1 })
  expect((await pool.post({ path: '/status/200', body: '{}' })).status).toBe(200)
  pool.destroy()
  expect(connections).toBe(2)
})

test('a connection dropped mid-request fails that request only', async () => {
  const pool = new HttpPool(port, 1)
  await expect(pool.post({ path: '/drop', body: '{}' })).rejects.toThrow(/closed|ECONNRESET/)
  expect((await pool.post({ path: '/status/200', body: '{}' })).status).toBe(200)
  pool.destroy()
})

test('a GET goes out without a body', async () => {
  const pool = new HttpPool(port, 1)
  const reply = await pool.post({ method: 'GET', path: '/health', body: '' })
  // The connection stays usable: nothing of a body was left in it.
  expect((await pool.post({ path: '/status/200', body: '{}' })).status).toBe(200)
  pool.destroy()
  expect(JSON.parse(reply.body)).toEqual({ method: 'GET', length: null })
  expect(connections).toBe(1)
})

test('warm opens the connections ahead, each used once, and the requests after reuse them', async () => {
  const pool = new HttpPool(port, 16)
  await pool.warm(6, { method: 'GET', path: '/health', body: '' })
  expect(connections).toBe(6)
  expect(pool.size).toBe(6)
  const replies = await Promise.all(
    Array.from({ length: 6 }, () => pool.post({ path: '/slow', body: '{}' })),
  )
  pool.destroy()
  expect(replies.every((r) => r.status === 200)).toBe(true)
  expect(connections).toBe(6)
})

test('picking at random spreads requests over the idle connections; by default the last one freed carries them', async () => {
  const ports = async (pick: 'last' | 'random') => {
    const pool = new HttpPool(port, 8, { pick })
    await pool.warm(4, { method: 'GET', path: '/health', body: '' })
    const seen = new Set<number>()
    for (let i = 0; i < 80; i++) {
      const reply = await pool.post({ path: '/whoami', body: '{}' })
      seen.add((JSON.parse(reply.body) as { port: number }).port)
    }
    pool.destroy()
    return seen.size
  }
  expect(await ports('last')).toBe(1)
  // 80 picks among 4: all four are used unless chance is very unkind (4 × (3/4)^80 ≈ 4e-10).
  expect(await ports('random')).toBe(4)
})
