// The local HTTP gateway: `POST /functions/:name` runs a cloud function as the caller named in
// the x-wx-openid header (what wx.cloud.callFunction does in CloudBase), for DevTools, scripts
// and tests. Local only: the header is trusted because nothing but this machine can reach it.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import type { Envelope } from 'wal-core'
import type { FunctionHost } from './function-host'

export interface GatewayOptions {
  host: FunctionHost
  /** One line per call; default: buffered to stdout (callLog). Pass `() => {}` to silence (tests). */
  log?: (line: string) => void
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number
}

/** Loose: WeChat openids are ~28 URL-safe characters; local test ids may be shorter. */
const OPENID = /^[A-Za-z0-9_-]{1,128}$/

type ErrorReply = { ok: false; error: { code: string; message: string } }

function error(code: string, message: string): ErrorReply {
  return { ok: false, error: { code, message } }
}

/**
 * Call lines to stdout, written together every 50 ms (and at exit) rather than one write per
 * call: at hundreds of calls per second, a write each costs more than a small function.
 */
export function callLog(out: NodeJS.WritableStream = process.stdout): (line: string) => void {
  let pending: string[] = []
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    timer = undefined
    if (pending.length === 0) return
    out.write(`${pending.join('\n')}\n`)
    pending = []
  }
  process.once('exit', flush)
  return (line) => {
    pending.push(line)
    if (pending.length >= 500) flush()
    else timer ??= setTimeout(flush, 50).unref()
  }
}

function cors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
  reply.header('access-control-allow-methods', 'GET, POST, OPTIONS')
  reply.header('access-control-allow-headers', 'content-type, x-wx-openid')
  reply.header('access-control-max-age', '600')
}

export function createGateway(options: GatewayOptions): FastifyInstance {
  const { host } = options
  const log = options.log ?? callLog()
  const startedAt = Date.now()
  // Fastify's own request logging is off: the one line per call below is the log.
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 1024 * 1024 })

  // Every body is read as JSON whatever its content-type (DevTools and curl differ); a body that
  // is not a JSON object is the caller's mistake: 400.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, {})
    try {
      const value: unknown = JSON.parse(text)
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return done(Object.assign(new Error('the body must be a JSON object'), { statusCode: 400 }))
      }
      done(null, value)
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }))
    }
  })

  app.addHook('onRequest', async (_req, reply) => cors(reply))
  app.options('*', async (_req, reply) => reply.code(204).send())

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) console.error('[gateway] internal error', err)
    reply
      .code(status)
      .send(
        error(
          status === 500 ? 'INTERNAL' : 'BAD_REQUEST',
          status === 500 ? 'internal error' : err.message,
        ),
      )
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(error('NOT_FOUND', `no route ${req.method} ${req.url}`))
  })

  app.get('/health', async () => ({
    ok: true,
    data: { status: 'ok', functions: host.names, uptimeMs: Date.now() - startedAt },
  }))

  app.post<{ Params: { name: string }; Body: Record<string, unknown> | undefined }>(
    '/functions/:name',
    async (req, reply) => {
      const started = process.hrtime.bigint()
      const { name } = req.params
      const body = req.body ?? {}
      const action = typeof body.action === 'string' ? body.action : '-'
      const header = req.headers['x-wx-openid']
      const openid = (Array.isArray(header) ? header[0] : header)?.trim() ?? ''

      let status = 200
      let envelope: Envelope<unknown>
      if (!openid) {
        status = 401
        envelope = error(
          'UNAUTHENTICATED',
          'missing x-wx-openid header (the local caller identity)',
        )
      } else if (!OPENID.test(openid)) {
        status = 401
        envelope = error(
          'UNAUTHENTICATED',
          'x-wx-openid is not an openid (letters, digits, _ and -)',
        )
      } else if (!host.has(name)) {
        status = 404
        envelope = error('UNKNOWN_FUNCTION', `no cloud function named ${JSON.stringify(name)}`)
      } else {
        envelope = await host.invoke(name, body, { openid })
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const outcome = envelope.ok ? 'ok' : envelope.error.code
      log(`${name}.${action} ${outcome} ${ms.toFixed(1)}ms`)
      return reply.code(status).send(envelope)
    },
  )

  return app
}
