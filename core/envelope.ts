// The one reply shape of every cloud function, and the stable error codes (see docs/api.md).
// Zod-free: the mini-program ships it and checks each reply's envelope with envelopeProblem.

export const ERROR_CODES = [
  'BAD_REQUEST', // input failed validation; nothing was written
  'UNKNOWN_ACTION', // the event's action is not one this function offers
  'UNAUTHENTICATED', // no caller identity (no openid in the WeChat context)
  'FORBIDDEN', // the caller's role (from the database) does not allow this
  'NOT_FOUND',
  'NO_CAMPAIGN', // no campaign is configured
  'CAMPAIGN_CLOSED', // the collection window has ended
  'CAMPAIGN_NOT_STARTED', // the collection window has not opened yet
  'CONFLICT', // a concurrent change won; retrying with the same requestId is safe
  'INTERNAL', // unexpected failure; safe to retry with the same requestId
  'IDEMPOTENCY_MISMATCH', // this requestId was used before for a different input; nothing moved
  // survey
  'NOT_STARTED', // submitSection before start
  'VERSION_LOCKED', // start with the other version after the version was fixed
  'SECTION_NOT_AVAILABLE', // unknown section, hidden by display logic, or a topic before the main part
  'SECTION_DONE', // the section was already accepted (under another requestId)
  'VALIDATION_FAILED', // answers failed validation; details.errors: question id → { code, message }
  // draw and wallet
  'INSUFFICIENT_CHANCES', // not enough draw chances for this kind; nothing spent
  'INSUFFICIENT_POINTS', // the balance would go negative; nothing moved
  'DAILY_CAP', // today's transfer cap reached
  'SELF_TRANSFER', // a transfer to one's own user code
  'BAD_AMOUNT', // amount outside the configured limits
  'RECIPIENT_NOT_FOUND', // no user has this user code
  // volunteers and organisations
  'NODE_NOT_FOUND', // no active organisation node with this id
  'INVITE_NOT_FOUND', // no invite with this code
  'INVITE_EXPIRED', // the invite's expiry has passed
  'INVITE_FULL', // the invite's uses are used up
  'INVITE_CLOSED', // an admin closed the invite
  'ALREADY_MEMBER', // applying to a node one already belongs to (or has applied to)
  'NOT_A_MEMBER', // an action on a node the caller is not an active member of
  'MEMBER_NOT_FOUND', // no member with this user code on the node
  'NO_TRANSITION', // the membership's status does not allow this (e.g. approving an active member)
  'CODE_NOT_FOUND', // no share code with this code
  // points store and pickup
  'ITEM_UNAVAILABLE', // the item is inactive or outside its availability window
  'OUT_OF_STOCK', // no stock left at the chosen store; nothing moved
  'STORE_CLOSED', // the store is inactive or does not hold the item
  'REGION_RESTRICTED', // the item is for respondents of other regions only
  'LIMIT_REACHED', // the per-person limit of the item is used up
  'RESERVATIONS_PAUSED', // repeated no-shows paused this person's reservations for a while
  'NOT_ELIGIBLE', // a certificate needs more valid samples collected
  // learning content and quizzes
  'QUIZ_INCOMPLETE', // a quiz was submitted with questions unanswered (or answered with no such option)
  // organiser
  'SEED_MISMATCH', // an offline draw's revealed seed does not hash to the committed seedHash
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * The one error vocabulary: each code with the Chinese text a person sees. The server sends the
 * text with the code; the client shows the server's text when it is Chinese (a use case may say
 * more, e.g. 抽奖已结束) and this text otherwise (docs/api.md, "Errors").
 */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
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
  IDEMPOTENCY_MISMATCH: '这次提交与之前的提交不一致，请刷新后重试',
  NOT_STARTED: '请先开始答题',
  VERSION_LOCKED: '你已选择了另一个问卷版本，版本确定后不能更改',
  SECTION_NOT_AVAILABLE: '该部分暂不可作答',
  SECTION_DONE: '该部分已提交，无需重复提交',
  VALIDATION_FAILED: '部分题目需要修改，请检查标红的题目',
  INSUFFICIENT_CHANCES: '抽奖机会不足',
  INSUFFICIENT_POINTS: '积分余额不足',
  DAILY_CAP: '已达到今日转赠上限',
  SELF_TRANSFER: '不能转赠给自己',
  BAD_AMOUNT: '转赠积分数量不符合规则',
  RECIPIENT_NOT_FOUND: '未找到该用户码对应的用户',
  NODE_NOT_FOUND: '组织不存在或已停用',
  INVITE_NOT_FOUND: '邀请码不存在',
  INVITE_EXPIRED: '邀请已过期，请联系管理员重新邀请',
  INVITE_FULL: '邀请名额已满，请联系管理员',
  INVITE_CLOSED: '邀请已关闭，请联系管理员',
  ALREADY_MEMBER: '您已是该组织成员或已提交申请',
  NOT_A_MEMBER: '您还不是该组织的成员',
  MEMBER_NOT_FOUND: '成员不存在',
  NO_TRANSITION: '当前状态下不能这样操作',
  CODE_NOT_FOUND: '分享码不存在',
  ITEM_UNAVAILABLE: '该商品当前不可兑换',
  OUT_OF_STOCK: '该自提点库存不足，请选择其他自提点',
  STORE_CLOSED: '该自提点暂停营业或不提供此商品',
  REGION_RESTRICTED: '该商品仅限本地参与调查的网民兑换',
  LIMIT_REACHED: '已达到该商品的每人兑换上限',
  RESERVATIONS_PAUSED: '多次预约未领取，预约功能暂停使用',
  NOT_ELIGIBLE: '暂不符合兑换条件',
  QUIZ_INCOMPLETE: '还有题目没有作答，请答完再提交',
  SEED_MISMATCH: '该种子与公布的种子哈希不符',
}

/**
 * Re-sends of a mutation that the mini-program's retryable().run() makes by itself, with the same
 * requestId: after CONFLICT (the server's own retries lost to a crowd on one document) and after
 * transport failures (NETWORK, TIMEOUT: the first send may or may not have committed, and a
 * repeat returns its result). Any other reply would be the same again, so it is the user's to
 * see. Pauses grow and are jittered so that clients who collided do not collide again in step.
 * Here, not in the client, so the server's storm tests send as a client does.
 */
export const CLIENT_RETRY = {
  codes: ['CONFLICT', 'NETWORK', 'TIMEOUT'] as readonly string[],
  /** Sends in all, the first included. */
  attempts: 3,
  /** Pause before re-send n (1-based): baseDelayMs × 2^(n−1), plus up to as much again. */
  baseDelayMs: 200,
}

/** Whether a server's message is meant for people (Chinese) rather than for logs. */
export function isPersonMessage(message: string): boolean {
  return /[\u4e00-\u9fff]/.test(message)
}

export interface ErrorBody {
  code: string
  message: string
  details?: unknown
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

/**
 * What is wrong with a reply as an envelope, or null: `{ ok: true, data }`, or `{ ok: false,
 * error }` with a string code and message. Only the envelope: the data's shape is the server's
 * to keep (server/define-function.ts parses every reply with its action's output schema).
 */
export function envelopeProblem(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
    return 'the reply is not an object'
  }
  const r = reply as Record<string, unknown>
  if (r.ok === true) return 'data' in r ? null : 'an ok reply without data'
  if (r.ok !== false) return 'the reply has no ok: true or false'
  const error = r.error
  if (typeof error !== 'object' || error === null || Array.isArray(error)) {
    return 'a failed reply without an error object'
  }
  const e = error as Record<string, unknown>
  if (typeof e.code !== 'string') return 'the error has no string code'
  if (typeof e.message !== 'string') return 'the error has no string message'
  return null
}

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data }
}

export function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } }
}
