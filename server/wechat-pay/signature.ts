// WeChat Pay API v3 signatures: each request is signed with the merchant's private key
// (WECHATPAY2-SHA256-RSA2048), and each reply is checked against WeChat Pay's public key before
// anything in it is believed.
import { createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto'

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048'

/** How far a reply's timestamp may be from our clock (WeChat Pay's own guidance: 5 minutes). */
export const MAX_REPLY_SKEW_MS = 5 * 60_000

export interface RequestToSign {
  method: string
  /** Path with its query string, exactly as sent: `/v3/…?a=b`. */
  pathWithQuery: string
  /** The body exactly as sent; '' for a GET. */
  body: string
  /** Unix time in seconds. */
  timestamp: number
  nonce: string
}

/** METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n — the message a request signature covers. */
export function requestMessage(r: RequestToSign): string {
  return `${r.method.toUpperCase()}\n${r.pathWithQuery}\n${r.timestamp}\n${r.nonce}\n${r.body}\n`
}

/** TIMESTAMP\nNONCE\nBODY\n — the message a reply signature covers. */
export function replyMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`
}

export function signSha256Rsa(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64')
}

export function verifySha256Rsa(message: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

/** 32 random letters and digits. */
export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase()
}

/** The Authorization header of one request. */
export function authorizationHeader(
  merchant: { mchId: string; certSerialNo: string; privateKey: KeyObject },
  request: RequestToSign,
): string {
  const signature = signSha256Rsa(requestMessage(request), merchant.privateKey)
  return (
    `${AUTH_SCHEMA} mchid="${merchant.mchId}",nonce_str="${request.nonce}",` +
    `signature="${signature}",timestamp="${request.timestamp}",serial_no="${merchant.certSerialNo}"`
  )
}

/** The fields of an Authorization header (the fake WeChat Pay server checks ours with it). */
export function parseAuthorization(header: string): Record<string, string> | null {
  if (!header.startsWith(`${AUTH_SCHEMA} `)) return null
  const fields: Record<string, string> = {}
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    fields[m[1]!] = m[2]!
  }
  return fields
}

export type ReplyCheck = { ok: true } | { ok: false; reason: string }

/** Headers as node's http module gives them (lower-case names). */
export type ReplyHeaders = Record<string, string | string[] | undefined>

function header(headers: ReplyHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Whether a reply really comes from WeChat Pay: signed by the key whose id we hold, over this very
 * body, recently. A reply that fails here is treated as no reply at all.
 */
export function verifyReply(
  reply: { headers: ReplyHeaders; body: string },
  platform: { publicKeyId: string; publicKey: KeyObject },
  nowMs: number,
): ReplyCheck {
  const timestamp = header(reply.headers, 'Wechatpay-Timestamp')
  const nonce = header(reply.headers, 'Wechatpay-Nonce')
  const signature = header(reply.headers, 'Wechatpay-Signature')
  const serial = header(reply.headers, 'Wechatpay-Serial')
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'UNSIGNED_REPLY' }
  if (serial !== platform.publicKeyId) return { ok: false, reason: `UNKNOWN_SERIAL:${serial}` }
  const seconds = Number(timestamp)
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs - seconds * 1000) > MAX_REPLY_SKEW_MS)
    return { ok: false, reason: 'STALE_REPLY' }
  if (!verifySha256Rsa(replyMessage(timestamp, nonce, reply.body), signature, platform.publicKey))
    return { ok: false, reason: 'BAD_SIGNATURE' }
  return { ok: true }
}
