// Hostile input through the local gateway (issue 14 §3): bodies bounded per function, a refused
// request answered in a small envelope, request content never echoed unbounded nor able to forge
// a log line, prototype keys kept away from use cases, long scenes ignored rather than refused,
// and all-digit openids never merged into one user.
import { connect, type AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { createGateway, DEFAULT_BODY_LIMIT, DEFAULT_BODY_LIMITS } from '../../emulator/gateway'
import { setClockForTests } from '../../server/db'
import { POINT_ACCOUNTS } from '../../server/ledger'
import { seed } from '../../scripts/seed'
import { UNKNOWN_ANSWERS_KEY } from 'wal-core'

const NOW = new Date('2025-03-02T10:00:00+08:00')

let local: LocalCloud
let app: FastifyInstance
let port: number
const lines: string[] = []

beforeAll(async () => {
  local = startLocalCloud()
  await seed({ nowMs: Date.parse('2025-03-01T10:00:00+08:00') })
  const host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: ['campaign', 'survey', 'wallet'],
  })
  app = createGateway({ host, log: (line) => lines.push(line) })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as AddressInfo).port
})
afterAll(async () => {
  await app.close()
  local.close()
})
beforeEach(() => {
  lines.length = 0
  setClockForTests(NOW)
})
afterEach(() => setClockForTests(undefined))

interface Reply {
  status: number
  body: {
    ok: boolean
    data?: unknown
    error?: { code: string; message: string; details?: unknown }
  }
  text: string
}

async function call(name: string, body: string | object, openid = 'o-hostile-1'): Promise<Reply> {
  const res = await fetch(`http://127.0.0.1:${port}/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as Reply['body'], text }
}

/** One request written by hand on a fresh socket (chunked when `chunked`), the reply's text. */
function raw(path: string, body: string, chunked = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' })
    let reply = ''
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('utf8')))
    socket.on('end', () => resolve(reply))
    socket.on('error', reject)
    const head =
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nx-wx-openid: o-raw\r\n`
    if (chunked) {
      socket.write(`${head}Transfer-Encoding: chunked\r\n\r\n`)
      for (let at = 0; at < body.length; at += 16_384) {
        const part = body.slice(at, at + 16_384)
        socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`)
      }
      socket.end('0\r\n\r\n')
    } else {
      socket.end(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
    }
  })
}

const bodyOf = (reply: string) =>
  JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as Reply['body']

/** A submitSection whose answers are `keys` unknown keys (~1 MB at 40,000). */
function hostileSubmit(keys: number): object {
  const answers: Record<string, string> = {}
  for (let i = 0; i < keys; i++) answers[`k${i}`.padEnd(12, 'x')] = 'y'.repeat(8)
  return { action: 'submitSection', sectionId: 'main', answers, requestId: 'req-hostile-1' }
}

describe('body limits', () => {
  it('the survey function takes up to 256 KiB, the others 64 KiB', () => {
    expect(DEFAULT_BODY_LIMITS.survey).toBe(256 * 1024)
    expect(DEFAULT_BODY_LIMIT).toBe(64 * 1024)
  })

  it('a body over a function’s limit is HTTP 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
    const pad = 'x'.repeat(100 * 1024)
    const campaign = await call('campaign', { action: 'getCurrent', pad })
    expect(campaign.status).toBe(413)
    expect(campaign.body).toEqual({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`${64 * 1024}`) },
    })
    // 100 KiB is within the survey function's limit: it reaches the function (and zod drops pad).
    const survey = await call('survey', { action: 'myResponse', pad })
    expect(survey.status).toBe(200)
    expect(survey.body.ok).toBe(true)
    const huge = await call('survey', hostileSubmit(40_000))
    expect(huge.status).toBe(413)
    expect(huge.body.error?.code).toBe('PAYLOAD_TOO_LARGE')
    expect(lines).toContain('"/functions/campaign" PAYLOAD_TOO_LARGE')
  })

  it('a chunked body (no Content-Length) is cut off at the limit too', async () => {
    const reply = await raw(
      '/functions/wallet',
      JSON.stringify({ action: 'balance', pad: 'x'.repeat(300_000) }),
      true,
    )
    expect(reply.startsWith('HTTP/1.1 413')).toBe(true)
    expect(bodyOf(reply)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } })
  })

  it('a hostile submitSection within the limit gets one short error, not one per key', async () => {
    await call('survey', { action: 'start', version: 'public', requestId: 'req-start-1' })
    // 150 unknown keys: within the key cap, so validateSection sees them all.
    const few = await call('survey', hostileSubmit(150))
    expect(few.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const errors = (few.body.error?.details as { errors: Record<string, unknown> }).errors
    expect(errors[UNKNOWN_ANSWERS_KEY]).toEqual({
      code: 'unknown_question',
      message: expect.stringContaining('150'),
      count: 150,
    })
    expect(Object.keys(errors).filter((k) => k.startsWith('k'))).toEqual([])
    // 5,000 keys (~120 KB): refused by the input schema with one issue.
    const many = await call('survey', { ...hostileSubmit(5_000), requestId: 'req-hostile-2' })
    expect(many.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(many.body.error?.details).toHaveLength(1)
    expect(many.text.length).toBeLessThan(2_000)
  })
})

describe('names and actions', () => {
  it.each([101, 5_000])('a function name of %i characters is a 404 envelope', async (n) => {
    const res = await call('f'.repeat(n), { action: 'x' })
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ ok: false, error: { code: 'UNKNOWN_FUNCTION' } })
    expect(res.text.length).toBeLessThan(500)
  })

  it('an unknown function’s name is echoed short and escaped', async () => {
    const res = await call(`${encodeURIComponent('a\nfake.line ok')}${'z'.repeat(20)}`, {
      action: 'x',
    })
    expect(res.status).toBe(404)
    expect(res.body.error?.message).not.toContain('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^"a\\nfake\.line ok/)
  })

  it('an action that forges a log line is BAD_REQUEST and logged escaped, on one line', async () => {
    const res = await call('wallet', { action: 'balance ok 1.0ms\nwallet.transfer' })
    expect(res.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
    expect(lines).toEqual([
      expect.stringMatching(/^wallet\."balance ok 1\.0ms\\nwallet\.transfer" BAD_REQUEST /),
    ])
  })

  it('an action nested 10,000 deep is BAD_REQUEST, with nothing logged as an internal error', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
      const res = await call('wallet', `{"action":${deep}}`)
      expect(res.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
      const array = await call('wallet', { action: ['balance'] })
      expect(array.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
      expect(errors).not.toHaveBeenCalled()
    } finally {
      errors.mockRestore()
    }
  })

  it.each(['__proto__', 'constructor', 'prototype'])(
    'a raw body with a %s key is BAD_REQUEST and nothing is polluted',
    async (key) => {
      const body = `{"action":"start","version":"public","requestId":"req-proto-1","${key}":{"isAdmin":true}}`
      const reply = await raw('/functions/survey', body)
      expect(reply.startsWith('HTTP/1.1 200')).toBe(true)
      expect(bodyOf(reply)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
      const nested = `{"action":"submitSection","sectionId":"main","requestId":"req-proto-2","answers":{"${key}":{"polluted":1}}}`
      expect(bodyOf(await raw('/functions/survey', nested))).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      })
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )
})

describe('scenes', () => {
  it('start with a 40-character scene succeeds, ignoring the scene with a warning', async () => {
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await call(
      'survey',
      { action: 'start', version: 'public', scene: 's'.repeat(40), requestId: 'req-scene-40' },
      'o-scene-40',
    )
    expect(res.body).toMatchObject({
      ok: true,
      data: { progress: { started: true }, attributionWarning: expect.any(String) },
    })
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('ignored: malformed'))
    warned.mockRestore()
  })

  it('a scene past 512 characters is still refused at input validation', async () => {
    const res = await call(
      'survey',
      { action: 'start', version: 'public', scene: 's'.repeat(513), requestId: 'req-scene-513' },
      'o-scene-513',
    )
    expect(res.body).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } })
  })
})

describe('all-digit openids', () => {
  it('0123 and 000123 are two users with two accounts', async () => {
    const a = await call('wallet', { action: 'balance' }, '0123')
    const b = await call('wallet', { action: 'balance' }, '000123')
    const c = await call('wallet', { action: 'balance' }, '123')
    const codes = [a, b, c].map((r) => {
      expect(r.body.ok).toBe(true)
      return (r.body.data as { userCode: string }).userCode
    })
    expect(new Set(codes).size).toBe(3)
    // And each keeps its own account: asking again gives the same code.
    const again = await call('wallet', { action: 'balance' }, '000123')
    expect((again.body.data as { userCode: string }).userCode).toBe(codes[1])
    expect(local.store.count(POINT_ACCOUNTS, { _id: { $in: ['0123', '000123', '123'] } })).toBe(3)
  })
})
