// The points ledger (网安联积分) on the database: one account per WeChat user (`pointAccounts`,
// `_id` = openid) and append-only entries (`pointEntries`), always written together in the
// caller's transaction. Core's applyEntry decides every balance; nothing else changes one.
import { randomInt } from 'node:crypto'
import { ERROR_MESSAGES, LedgerRuleError, applyEntry, newUserCode, type EntryKind } from 'wal-core'
import { AppError } from './app-error'
import { getDb, isDuplicateKeyError, queryDocs, readDoc, type Transaction } from './db'

export const POINT_ACCOUNTS = 'pointAccounts'
export const POINT_ENTRIES = 'pointEntries'

export interface PointAccountDoc {
  _id: string
  balance: number
  /** Number of entries posted to this account; the next entry gets seq + 1. */
  seq: number
  /** Short code others use to send points (never the openid); unique index. */
  userCode: string
  /** Shown to others only masked (maskNickname); checked by content security when set. */
  nickname: string | null
  /** China-time day (`d20240720`) of `sentToday`: the transfer daily cap's counter. */
  transferDay?: string
  sentToday?: number
  /** Node accounts: whole override points settled so far, per campaign (server/overrides.ts). */
  overrideSettled?: Record<string, number>
  createdAt: Date
  updatedAt: Date
}

export interface PointEntryDoc {
  _id: string
  openid: string
  /** Signed: credits positive, debits negative. */
  amount: number
  kind: EntryKind
  /** What caused it (draw id, counterpart's user code, batch id …). */
  ref: string
  requestId: string
  memo: string | null
  balanceAfter: number
  seq: number
  createdAt: Date
}

/** One posting: the entry's deterministic id makes a second posting of the same cause fail. */
export interface Posting {
  id: string
  kind: EntryKind
  amount: number
  ref: string
  requestId: string
  memo: string | null
  now: Date
}

/** Core's ledger refusals, as the envelope codes the caller sees. */
function asAppError(err: unknown): unknown {
  if (!(err instanceof LedgerRuleError)) return err
  return new AppError(
    err.code,
    err.code === 'INSUFFICIENT_POINTS' ? ERROR_MESSAGES.INSUFFICIENT_POINTS : err.message,
  )
}

/**
 * Posts one entry and the balance it changes, inside `tx`. `account` is the account as read in
 * this transaction (reading it is what makes a concurrent change a conflict); the returned copy
 * is the account after the posting, for a second posting to the same account in one transaction.
 * `patch` adds fields to the same account write (e.g. the transfer counter).
 */
export async function postEntry(
  tx: Transaction,
  account: PointAccountDoc,
  posting: Posting,
  patch: Partial<Pick<PointAccountDoc, 'transferDay' | 'sentToday' | 'overrideSettled'>> = {},
): Promise<PointAccountDoc> {
  let balance: number
  try {
    balance = applyEntry(account.balance, posting.kind, posting.amount)
  } catch (err) {
    throw asAppError(err)
  }
  const seq = account.seq + 1
  const entry: PointEntryDoc = {
    _id: posting.id,
    openid: account._id,
    amount: posting.amount,
    kind: posting.kind,
    ref: posting.ref,
    requestId: posting.requestId,
    memo: posting.memo,
    balanceAfter: balance,
    seq,
    createdAt: posting.now,
  }
  await tx.collection(POINT_ENTRIES).add({ data: entry })
  await tx
    .collection(POINT_ACCOUNTS)
    .doc(account._id)
    .update({ data: { balance, seq, updatedAt: posting.now, ...patch } })
  return { ...account, ...patch, balance, seq, updatedAt: posting.now }
}

export function readPointAccount(
  tx: Transaction | ReturnType<typeof getDb>,
  openid: string,
): Promise<PointAccountDoc | null> {
  return readDoc<PointAccountDoc>(tx.collection(POINT_ACCOUNTS).doc(openid))
}

/**
 * An account read inside `tx`, created there if it does not exist yet (a share reward to an
 * account made before the code's owner ever opened the wallet).
 */
export async function accountInTx(
  tx: Transaction,
  id: string,
  now: Date,
): Promise<PointAccountDoc> {
  const found = await readPointAccount(tx, id)
  if (found) return found
  const fresh: PointAccountDoc = {
    _id: id,
    balance: 0,
    seq: 0,
    userCode: newUserCode(randomInt),
    nickname: null,
    createdAt: now,
    updatedAt: now,
  }
  const { _id: _ignored, ...data } = fresh
  await tx.collection(POINT_ACCOUNTS).doc(id).set({ data })
  return fresh
}

/** Collisions of 8 characters from 31 are rare (~3×10⁻⁶ per new user at 3 M users): a few tries. */
const USER_CODE_ATTEMPTS = 5

/**
 * The caller's points account, created on first need with a fresh user code. Safe to race: the
 * `_id` is the openid, so concurrent first calls create one account; a user-code collision (the
 * unique index) just draws another code.
 */
export async function ensurePointAccount(openid: string, now: Date): Promise<PointAccountDoc> {
  const coll = getDb().collection(POINT_ACCOUNTS)
  const existing = await readDoc<PointAccountDoc>(coll.doc(openid))
  if (existing) return existing
  for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt++) {
    const fresh: PointAccountDoc = {
      _id: openid,
      balance: 0,
      seq: 0,
      userCode: newUserCode(randomInt),
      nickname: null,
      createdAt: now,
      updatedAt: now,
    }
    try {
      await coll.add({ data: fresh })
      return fresh
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      // Either someone created this account meanwhile (then use it) or the code was taken.
      const winner = await readDoc<PointAccountDoc>(coll.doc(openid))
      if (winner) return winner
    }
  }
  throw new Error(`no free user code after ${USER_CODE_ATTEMPTS} attempts`)
}

/** The account holding a user code, or null. */
export async function accountByUserCode(userCode: string): Promise<PointAccountDoc | null> {
  const found = await queryDocs<PointAccountDoc>(
    getDb().collection(POINT_ACCOUNTS).where({ userCode }).limit(1),
  )
  return found[0] ?? null
}

/** Accounts by user code, for a batch (≤ 500 codes: one query). */
export async function accountsByUserCodes(codes: string[]): Promise<Map<string, PointAccountDoc>> {
  const out = new Map<string, PointAccountDoc>()
  if (codes.length === 0) return out
  const _ = getDb().command
  const found = await queryDocs<PointAccountDoc>(
    getDb()
      .collection(POINT_ACCOUNTS)
      .where({ userCode: _.in(codes) })
      .limit(1000),
  )
  for (const acc of found) out.set(acc.userCode, acc)
  return out
}
