// The draw (cloud function `draw`, contract in core/rewards.ts): the hub with one's chances and
// the published odds, a draw, and the history of one's draws. Randomness is the server's: the
// pages only show what it decided.
import {
  drawHistorySchema,
  drawHubSchema,
  drawResultSchema,
  type DrawHub,
  type DrawKind,
  type DrawResult,
} from 'wal-core'
import type { z } from 'zod'
import { call, retryable, type Retryable } from './call'

const FUNCTION = 'draw'
const PAGE_SIZE = 20

export type DrawHistory = z.infer<typeof drawHistorySchema>

/** Chances left (抽奖机会), the four kinds with their cost and odds, and any notice. */
export function getDrawHub(): Promise<DrawHub> {
  return call(FUNCTION, { action: 'hub' }, drawHubSchema)
}

/**
 * One draw of `kind`, as one intent: the requestId is fixed here, so run() after a failure
 * (重试) can never draw twice. A new draw (再抽一次) is a new call to this function.
 */
export function drawOnce(kind: DrawKind): Retryable<DrawResult> {
  return retryable(FUNCTION, { action: 'draw', kind }, drawResultSchema)
}

/** One page of the caller's draws, newest first; pass the previous page's nextCursor for more. */
export function drawHistory(cursor: string | null = null): Promise<DrawHistory> {
  const event = cursor
    ? { action: 'history', cursor, limit: PAGE_SIZE }
    : { action: 'history', limit: PAGE_SIZE }
  return call(FUNCTION, event, drawHistorySchema)
}
