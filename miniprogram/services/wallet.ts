// Points (网安联积分, cloud function `wallet`, contract in core/contracts.ts): balance and user code,
// the entries of the ledger, the nickname others see masked, and transfers (积分转赠).
import {
  contractRef,
  parseUserCode,
  type Balance,
  type entriesPageSchema,
  type transferPreviewSchema,
  type transferResultSchema,
  type walletContract,
} from 'wal-core'
import type { z } from 'zod'
import { callAction, retryableAction, type Retryable } from './call'
import type { ServiceError } from './service-error'

const walletFn = contractRef<typeof walletContract>('wallet')

const PAGE_SIZE = 20

export type EntriesPage = z.infer<typeof entriesPageSchema>
export type Entry = EntriesPage['items'][number]
export type TransferPreview = z.infer<typeof transferPreviewSchema>
export type TransferResult = z.infer<typeof transferResultSchema>

/** The caller's balance, user code and nickname (the account is opened on first ask). */
export function getBalance(): Promise<Balance> {
  return callAction(walletFn, 'balance', {})
}

/** One page of entries, newest first; pass the previous page's nextCursor for more. */
export function listEntries(cursor: string | null = null): Promise<EntriesPage> {
  const input = cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE }
  return callAction(walletFn, 'entries', input)
}

/** Set the nickname shown (masked) to people who transfer points to this user. */
export function setNickname(nickname: string): Retryable<Balance> {
  return retryableAction(walletFn, 'setNickname', { nickname: nickname.trim() })
}

/** Who a user code belongs to (masked nickname), before anything moves. */
export function previewTransfer(toCode: string): Promise<TransferPreview> {
  return callAction(walletFn, 'previewTransfer', { toCode })
}

/** Transfer `amount` points to `toCode`, as one intent (a retry re-sends the same requestId). */
export function transferPoints(toCode: string, amount: number): Retryable<TransferResult> {
  return retryableAction(walletFn, 'transfer', { toCode, amount })
}

/** A user code as typed (spaces, lower case) in its canonical form, or null if it is not one. */
export function normaliseUserCode(raw: string): string | null {
  return parseUserCode(raw)
}

/** Why the server refused a nickname: CONTENT_RISKY when content security flagged it. */
export function nicknameRefusal(err: ServiceError): 'CONTENT_RISKY' | null {
  const reason = (err.details as { reason?: unknown } | undefined)?.reason
  return err.code === 'BAD_REQUEST' && reason === 'CONTENT_RISKY' ? 'CONTENT_RISKY' : null
}
