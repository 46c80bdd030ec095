// The draw (cloud function `draw`, contract in core/contracts.ts): the hub with one's chances and
// the published odds, a draw, and the history of one's draws. Randomness is the server's: the
// pages only show what it decided.
import {
  contractRef,
  type DrawHub,
  type DrawKind,
  type DrawResult,
  type drawHistorySchema,
  type drawContract,
} from 'wal-core'
import type { z } from 'zod'
import { callAction, retryableAction, type Retryable } from './call'

const drawFn = contractRef<typeof drawContract>('draw')

const PAGE_SIZE = 20

export type DrawHistory = z.infer<typeof drawHistorySchema>

/** Chances left (抽奖机会), the four kinds with their cost and odds, and any notice. */
export function getDrawHub(): Promise<DrawHub> {
  return callAction(drawFn, 'hub', {})
}

/**
 * One draw of `kind`, as one intent: the requestId is fixed here, so run() after a failure
 * (重试) can never draw twice. A new draw (再抽一次) is a new call to this function.
 */
export function drawOnce(kind: DrawKind): Retryable<DrawResult> {
  return retryableAction(drawFn, 'draw', { kind })
}

/** One page of the caller's draws, newest first; pass the previous page's nextCursor for more. */
export function drawHistory(cursor: string | null = null): Promise<DrawHistory> {
  const input = cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE }
  return callAction(drawFn, 'history', input)
}
