// The one error type pages see from services: a stable code and a message fit to show a person.
import { REWARD_ERRORS, SURVEY_ERRORS, type ErrorCode } from 'wal-core'

/** Server codes (core/envelope.ts) plus what can go wrong before a reply arrives. */
export type ServiceErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'BAD_REPLY'

const MESSAGES: Record<ServiceErrorCode, string> = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '网络请求超时，请稍后重试',
  BAD_REPLY: '服务返回的数据有误，请稍后重试',
  BAD_REQUEST: '提交的内容有误，请检查后重试',
  UNKNOWN_ACTION: '当前版本暂不支持此操作，请更新小程序后重试',
  UNAUTHENTICATED: '登录状态已失效，请重新进入小程序',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '要找的内容不存在',
  NO_CAMPAIGN: '暂无调查活动，请稍后再来',
  CAMPAIGN_CLOSED: '本次调查已结束',
  CAMPAIGN_NOT_STARTED: '调查尚未开始，敬请期待',
  CONFLICT: '操作未完成，请重试',
  INTERNAL: '服务繁忙，请稍后重试',
  ...SURVEY_ERRORS,
  ...REWARD_ERRORS,
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

  constructor(code: string, detail = '', details?: unknown) {
    super(isKnownCode(code) ? MESSAGES[code] : FALLBACK_MESSAGE)
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
