// The one error type pages see from services: a stable code and a message fit to show a person.
import { ERROR_MESSAGES, isPersonMessage, type ErrorCode } from 'wal-core'

/** Server codes (core/envelope.ts) plus what can go wrong before a reply arrives. */
export type ServiceErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'BAD_REPLY'

const MESSAGES: Record<ServiceErrorCode, string> = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '网络请求超时，请稍后重试',
  BAD_REPLY: '服务返回的数据有误，请稍后重试',
  ...ERROR_MESSAGES,
}

const FALLBACK_MESSAGE = '服务暂时不可用，请稍后重试'

function isKnownCode(code: string): code is ServiceErrorCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code)
}

export class ServiceError extends Error {
  /** Stable code to branch on; an unknown server code is kept as sent. */
  readonly code: ServiceErrorCode | string
  /** What the server or the transport said, for logs; never shown to people. */
  readonly detail: string
  /** Structured details the server sent with the error (e.g. VALIDATION_FAILED's field errors). */
  readonly details: unknown

  /**
   * `detail` is what the server or the transport said: shown when it is a Chinese sentence meant
   * for people (the server may say more than the code, e.g. 抽奖已结束), else the code's text.
   */
  constructor(code: string, detail = '', details?: unknown) {
    super(
      isKnownCode(code) && code !== 'INTERNAL' && isPersonMessage(detail)
        ? detail
        : isKnownCode(code)
          ? MESSAGES[code]
          : FALLBACK_MESSAGE,
    )
    // The WeChat toolchain may compile to ES5, where subclassing Error loses the prototype.
    Object.setPrototypeOf(this, ServiceError.prototype)
    this.name = 'ServiceError'
    this.code = code
    this.detail = detail
    this.details = details
  }
}

/** Anything thrown, as a ServiceError (unexpected throws become INTERNAL). */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err
  return new ServiceError('INTERNAL', err instanceof Error ? err.message : String(err))
}

/**
 * Failures where the same request may still succeed: nothing came back, or the server asks for a
 * retry. Re-sending a mutation's requestId is then safe (the server answers a repeat with the
 * first result); any other code will be refused again, so the intent has to change.
 */
const TRANSIENT: ReadonlySet<string> = new Set([
  'NETWORK',
  'TIMEOUT',
  'BAD_REPLY',
  'INTERNAL',
  'CONFLICT',
])

export function isTransient(err: ServiceError): boolean {
  return TRANSIENT.has(err.code)
}

/** The campaign is not running (before, after, or none configured): nothing to retry. */
export function isCampaignUnavailable(err: ServiceError): boolean {
  return (
    err.code === 'CAMPAIGN_CLOSED' ||
    err.code === 'CAMPAIGN_NOT_STARTED' ||
    err.code === 'NO_CAMPAIGN'
  )
}
