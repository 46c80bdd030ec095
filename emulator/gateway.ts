// The local HTTP gateway: `POST /functions/:name` runs a cloud function as the caller named in
// the x-wx-openid header (what wx.cloud.callFunction does in CloudBase), for DevTools, scripts
// and tests. Local only: the header is trusted because nothing but this machine can reach it.
// A web caller (the organiser console) is named by x-cb-uid instead: the CloudBase account that
// @cloudbase/js-sdk's sign-in gives a function in the cloud (TCB_UUID / TCB_CUSTOM_USER_ID);
// `POST /auth/sign-in { uid }` is the local stand-in for that sign-in (docs/console.md).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { getStorage } from '../server/storage'
import { LocalFileStore } from './storage'
import type { Envelope } from 'wal-core'
import { logValue } from '../server/log'
import type { FunctionHost } from './function-host'

export interface GatewayOptions {
  host: FunctionHost
  /** One line per call; default: buffered to stdout (callLog). Pass `() => {}` to silence (tests). */
  log?: (line: string) => void
  /** Largest accepted body in bytes of a function not in `bodyLimits` (default 64 KiB). */
  bodyLimit?: number
  /** Largest accepted body in bytes by function name (default DEFAULT_BODY_LIMITS). */
  bodyLimits?: Record<string, number>
}

/**
 * A body larger than this is refused (HTTP 413) before it is parsed. CloudBase takes events up
 * to ~6 MB, far more than any real call: a survey section (30 answers, a few texts of up to 2,000
 * characters) is under 20 KB, every other call under 1 KB. The limits keep a hostile body from
 * costing the instance (and every caller queued behind it) more than a real one would.
 */
export const DEFAULT_BODY_LIMIT = 64 * 1024
export const DEFAULT_BODY_LIMITS: Readonly<Record<string, number>> = { survey: 256 * 1024 }

/**
 * Content types of stored files by extension. A browser draws an SVG (the learning content's
 * covers, posters, comic panels) only when it is served as image/svg+xml, as CloudBase serves it.
 */
const STORAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** Loose: WeChat openids are ~28 URL-safe characters; local test ids may be shorter. */
const OPENID = /^[A-Za-z0-9_-]{1,128}$/
/** A console account id (CloudBase custom-login user ids: 4–32 of these characters). */
const WEB_UID = /^[A-Za-z0-9_-]{4,32}$/

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

/** A name for the call line: as it is when it is a plain identifier, else as a short JSON string. */
function logLabel(value: string): string {
  return /^[A-Za-z0-9_-]{1,40}$/.test(value) ? value : logValue(value)
}

function cors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
  reply.header('access-control-allow-methods', 'GET, POST, OPTIONS')
  reply.header('access-control-allow-headers', 'content-type, x-wx-openid, x-cb-uid')
  reply.header('access-control-max-age', '600')
}

export function createGateway(options: GatewayOptions): FastifyInstance {
  const { host } = options
  const log = options.log ?? callLog()
  const startedAt = Date.now()
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const bodyLimits = options.bodyLimits ?? DEFAULT_BODY_LIMITS
  // Fastify's own request logging is off: the one line per call below is the log. A URL that
  // fails routing (a function name over maxParamLength, fastify's default 100 said out loud; a
  // broken %-escape) is answered here in the envelope, not by fastify's own 414 or 400 reply.
  const app = Fastify({
    logger: false,
    bodyLimit,
    maxParamLength: 100,
    frameworkErrors: (err, req, rawReply) => {
      const reply = rawReply as FastifyReply
      cors(reply)
      const [status, code, message] =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? [404, 'UNKNOWN_FUNCTION', 'no cloud function by that long a name']
          : [400, 'BAD_REQUEST', 'the URL is malformed']
      log(`${logValue(req.url)} ${code}`)
      return reply.code(status).send(error(code, message))
    },
  })

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

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      log(`${logValue(req.url)} PAYLOAD_TOO_LARGE`)
      const limit = req.routeOptions.bodyLimit ?? bodyLimit
      return reply
        .code(413)
        .send(error('PAYLOAD_TOO_LARGE', `the body is larger than ${limit} bytes`))
    }
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) console.error('[gateway] internal error', err)
    // Fastify's messages may quote the request (its URL): cut short.
    const message = err.message.length > 200 ? `${err.message.slice(0, 200)}…` : err.message
    return reply
      .code(status)
      .send(
        error(
          status === 500 ? 'INTERNAL' : 'BAD_REQUEST',
          status === 500 ? 'internal error' : message,
        ),
      )
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(error('NOT_FOUND', `no route ${req.method} ${logValue(req.url)}`))
  })

  // Local cloud storage's temporary URLs (emulator/storage.ts): share-code images, learning
  // content's pictures, tables.
  app.get('/storage/*', async (req, reply) => {
    const store = getStorage()
    const rel = (req.params as { '*': string })['*']
    const bytes = store instanceof LocalFileStore ? store.read(rel) : null
    if (!bytes) return reply.code(404).send(error('NOT_FOUND', 'no such file'))
    const ext = /\.(\w+)$/.exec(rel)?.[1] ?? ''
    return reply.type(STORAGE_TYPES[ext] ?? 'application/octet-stream').send(bytes)
  })

  app.get('/health', async () => ({
    ok: true,
    data: { status: 'ok', functions: host.names, uptimeMs: Date.now() - startedAt },
  }))

  type CallRequest = FastifyRequest<{
    Params: { name?: string }
    Body: Record<string, unknown> | undefined
  }>
  /** Serves a call of function `fixed`, or of the one named in the URL. */
  const call = (fixed?: string) => async (req: CallRequest, reply: FastifyReply) => {
    const started = process.hrtime.bigint()
    const name = fixed ?? req.params.name ?? ''
    const body = req.body ?? {}
    const action = typeof body.action === 'string' ? body.action : '-'
    const header = req.headers['x-wx-openid']
    const openid = (Array.isArray(header) ? header[0] : header)?.trim() ?? ''
    const uidHeader = req.headers['x-cb-uid']
    const webUid = (Array.isArray(uidHeader) ? uidHeader[0] : uidHeader)?.trim() ?? ''

    let status = 200
    let envelope: Envelope<unknown>
    if (!openid && webUid) {
      if (!WEB_UID.test(webUid)) {
        status = 401
        envelope = error(
          'UNAUTHENTICATED',
          'x-cb-uid is not an account id (4–32 of A-Z a-z 0-9 _ -)',
        )
      } else if (!host.has(name)) {
        status = 404
        envelope = error('UNKNOWN_FUNCTION', `no cloud function named ${logValue(name)}`)
      } else envelope = await host.invoke(name, body, { openid: '', webUid })
    } else if (!openid) {
      status = 401
      envelope = error('UNAUTHENTICATED', 'missing x-wx-openid header (the local caller identity)')
    } else if (!OPENID.test(openid)) {
      status = 401
      envelope = error('UNAUTHENTICATED', 'x-wx-openid is not an openid (letters, digits, _ and -)')
    } else if (!host.has(name)) {
      status = 404
      envelope = error('UNKNOWN_FUNCTION', `no cloud function named ${logValue(name)}`)
    } else {
      envelope = await host.invoke(name, body, { openid })
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const outcome = envelope.ok ? 'ok' : envelope.error.code
    // Both come from the request: escaped and cut short, so they cannot forge a line.
    log(`${logLabel(name)}.${logLabel(action)} ${outcome} ${ms.toFixed(1)}ms`)
    return reply.code(status).send(envelope)
  }
  // A route of its own for each function with a limit of its own (a static route wins over the
  // parametric one), so the body is refused while it is read, before it is parsed.
  for (const [name, limit] of Object.entries(bodyLimits)) {
    app.post(`/functions/${name}`, { bodyLimit: limit }, call(name))
  }
  app.post('/functions/:name', call())

  // The local sign-in of the console: the account must be a console user (consoleUsers, asked
  // through the organiser function's whoami); the reply names the header later calls carry.
  app.post('/auth/sign-in', async (req, reply) => {
    const uid = String((req.body as { uid?: unknown } | undefined)?.uid ?? '').trim()
    if (!WEB_UID.test(uid) || !host.has('organiser')) {
      return reply.code(401).send(error('UNAUTHENTICATED', 'unknown account'))
    }
    const who = await host.invoke('organiser', { action: 'whoami' }, { openid: '', webUid: uid })
    log(`auth.sign-in ${who.ok ? 'ok' : who.error.code}`)
    if (!who.ok) return reply.code(401).send(who)
    return reply.send({ ok: true, data: { uid, header: 'x-cb-uid', ...(who.data as object) } })
  })

  return app
}
