// A minimal WeChat Pay API v3 HTTP client: signs each request, sends it with node's http(s), and
// returns the reply only once its signature checks out. No SDK: two endpoints do not need one.
import http from 'node:http'
import https from 'node:https'
import type { WechatPayConfig } from './config'
import { authorizationHeader, newNonce, verifyReply, type ReplyHeaders } from './signature'

/** One call may take this long; the payout run stops claiming after 2 s and times out at 20 s. */
export const REQUEST_TIMEOUT_MS = 5_000

export class WechatPayTransportError extends Error {
  override readonly name = 'WechatPayTransportError'
  constructor(
    /** network: no complete reply (refused, reset, timed out); unverified: a reply we cannot trust. */
    readonly kind: 'network' | 'unverified',
    message: string,
  ) {
    super(message)
  }
}

export interface WechatPayReply {
  status: number
  /** The JSON body, or null when it is empty or not JSON. */
  data: unknown
}

interface RawReply {
  status: number
  headers: ReplyHeaders
  body: string
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<RawReply> {
  const transport = url.protocol === 'http:' ? http : https
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) =>
      reject(
        new WechatPayTransportError('network', err instanceof Error ? err.message : String(err)),
      )
    const req = transport.request(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', fail)
      res.on('end', () => {
        // A connection cut half-way through a reply ends it too: only a complete one counts.
        if (!res.complete) return fail(new Error('reply cut short'))
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`no reply in ${timeoutMs} ms`)))
    req.on('error', fail)
    req.end(body)
  })
}

/**
 * Sends one signed request to WeChat Pay and returns its verified reply (any HTTP status).
 * Rejects with WechatPayTransportError when there is no complete reply or it fails verification.
 */
export async function wechatPayRequest(
  config: WechatPayConfig,
  method: 'GET' | 'POST',
  pathWithQuery: string,
  payload?: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<WechatPayReply> {
  const body = payload === undefined ? '' : JSON.stringify(payload)
  const authorization = authorizationHeader(config, {
    method,
    pathWithQuery,
    body,
    timestamp: Math.floor(Date.now() / 1000),
    nonce: newNonce(),
  })
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Authorization: authorization,
    'User-Agent': 'wal-survey-payout/1.0',
    // Which of WeChat Pay's keys we verify with (and would encrypt with).
    'Wechatpay-Serial': config.publicKeyId,
  }
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json'
    headers['Content-Length'] = String(Buffer.byteLength(body))
  }
  const reply = await send(
    new URL(config.baseUrl + pathWithQuery),
    method,
    headers,
    body,
    timeoutMs,
  )
  const check = verifyReply(reply, config, Date.now())
  if (!check.ok) {
    throw new WechatPayTransportError('unverified', `HTTP ${reply.status}: ${check.reason}`)
  }
  let data: unknown = null
  if (reply.body !== '') {
    try {
      data = JSON.parse(reply.body)
    } catch {
      data = null
    }
  }
  return { status: reply.status, data }
}
