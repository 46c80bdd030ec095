// Wallet use cases: the caller's points balance and entries, a nickname for transfer previews,
// transfers between users (积分转赠), and organisers' activity rewards in idempotent batches.
import { createHash } from 'node:crypto'
import {
  ENTRY_KIND_NAMES,
  ERROR_MESSAGES,
  checkTransfer,
  chinaDayKey,
  maskNickname,
  type Balance,
} from 'wal-core'
import { z } from 'zod'
import { AppError } from './app-error'
import { getDb, isDuplicateKeyError, queryDocs, readDoc, type Transaction } from './db'
import { fingerprintOf, inTransaction, outsideOnce, runOnce } from './idempotency'
import {
  POINT_ACCOUNTS,
  POINT_ENTRIES,
  accountByUserCode,
  accountsByUserCodes,
  ensurePointAccount,
  postEntry,
  readPointAccount,
  type PointAccountDoc,
  type PointEntryDoc,
} from './ledger'
import { getOpenApi } from './openapi'
import { isCommittee } from './records/caller-roles'
import { currentTransferLimits } from './reward-config'

export const GRANT_BATCHES = 'grantBatches'

/**
 * Grants per transaction. A batch (≤ 500 grants) is written in chunks: each grant is 3 document
 * operations, and a CloudBase transaction is meant to stay small and short (every operation is a
 * round trip, and a transaction has a lifetime limit). Each chunk commits once, marked by a
 * document the next run sees; entry ids are deterministic per (recipient, batch).
 */
export const GRANT_CHUNK = 50

/** Transfers between the same accounts race (an event where people swap codes): re-run more. */
const TRANSFER_CONFLICT_RETRIES = 10

async function toBalance(acc: PointAccountDoc, now: Date): Promise<Balance> {
  const limits = await currentTransferLimits(now)
  const day = chinaDayKey(now.getTime())
  return {
    balance: acc.balance,
    userCode: acc.userCode,
    nickname: acc.nickname,
    transfer: {
      minAmount: limits.minAmount,
      maxAmount: limits.maxAmount,
      dailyCap: limits.dailyCap,
      sentToday: acc.transferDay === day ? (acc.sentToday ?? 0) : 0,
    },
  }
}

export async function balance(openid: string, now: Date): Promise<Balance> {
  return toBalance(await ensurePointAccount(openid, now), now)
}

export async function entries(
  input: { cursor?: string | undefined; limit: number },
  openid: string,
) {
  const _ = getDb().command
  const where: Record<string, unknown> = { openid }
  if (input.cursor !== undefined) {
    const before = Number(input.cursor)
    if (!Number.isSafeInteger(before))
      throw new AppError('BAD_REQUEST', 'cursor must come from nextCursor')
    where.seq = _.lt(before)
  }
  const docs = await queryDocs<PointEntryDoc>(
    getDb().collection(POINT_ENTRIES).where(where).orderBy('seq', 'desc').limit(input.limit),
  )
  return {
    items: docs.map((e) => ({
      // The entry's position in the account, not its internal _id (which names the cause).
      id: `e${e.seq}`,
      kind: e.kind,
      kindName: ENTRY_KIND_NAMES[e.kind],
      amount: e.amount,
      balanceAfter: e.balanceAfter,
      memo: e.memo,
      createdAt: new Date(e.createdAt).toISOString(),
    })),
    nextCursor: docs.length === input.limit ? String(docs[docs.length - 1]!.seq) : null,
  }
}

/**
 * Checked BEFORE anything is stored: a risky nickname is refused (BAD_REQUEST, details.reason
 * CONTENT_RISKY) and never reaches the account, so there is nothing to clean up afterwards.
 * The check is an open API call outside the transaction; its verdict is kept per requestId
 * (outsideOnce), so retries of one request — also after the commit — reuse it instead of asking
 * WeChat again. Others only ever see the nickname masked (first and last character).
 */
export async function setNickname(
  input: { nickname: string; requestId: string },
  openid: string,
  now: Date,
): Promise<Balance> {
  const check = await outsideOnce(
    { requestId: input.requestId, scope: 'wallet.setNickname.check', input },
    () => getOpenApi().checkContent({ content: input.nickname, openid }),
  )
  if (check.suggest === 'risky') {
    throw new AppError('BAD_REQUEST', '昵称含有不当内容，请修改后再试', {
      reason: 'CONTENT_RISKY',
    })
  }
  await ensurePointAccount(openid, now)
  return runOnce({ requestId: input.requestId, scope: 'wallet.setNickname', input }, async (tx) => {
    const acc = await readPointAccount(tx, openid)
    if (!acc) throw new Error(`points account ${openid} vanished`)
    await tx
      .collection(POINT_ACCOUNTS)
      .doc(openid)
      .update({ data: { nickname: input.nickname, updatedAt: now } })
    return toBalance({ ...acc, nickname: input.nickname }, now)
  })
}

async function recipientOf(toCode: string, openid: string): Promise<PointAccountDoc> {
  const to = await accountByUserCode(toCode)
  if (!to) throw new AppError('RECIPIENT_NOT_FOUND', ERROR_MESSAGES.RECIPIENT_NOT_FOUND)
  if (to._id === openid) throw new AppError('SELF_TRANSFER', ERROR_MESSAGES.SELF_TRANSFER)
  return to
}

export async function previewTransfer(input: { toCode: string }, openid: string) {
  const to = await recipientOf(input.toCode, openid)
  return { toCode: to.userCode, maskedNickname: maskNickname(to.nickname) }
}

/** The recipient's entry id names the sender only through a hash (ids stay server-side anyway). */
function transferInId(to: string, from: string, requestId: string): string {
  const cause = createHash('sha256').update(`${from}:${requestId}`).digest('hex').slice(0, 24)
  return `${to}:transfer_in:${cause}`
}

export async function transfer(
  input: { toCode: string; amount: number; requestId: string },
  openid: string,
  now: Date,
) {
  const limits = await currentTransferLimits(now)
  const to = await recipientOf(input.toCode, openid)
  const day = chinaDayKey(now.getTime())
  return runOnce(
    { requestId: input.requestId, scope: 'wallet.transfer', input },
    async (tx) => {
      const from = await readPointAccount(tx, openid)
      const sentToday = from?.transferDay === day ? (from.sentToday ?? 0) : 0
      const check = checkTransfer(limits, input.amount, sentToday, openid, to._id)
      if (!check.ok) throw new AppError(check.code, check.message)
      if (!from) throw new AppError('INSUFFICIENT_POINTS', ERROR_MESSAGES.INSUFFICIENT_POINTS)
      const recipient = await readPointAccount(tx, to._id)
      if (!recipient) throw new AppError('RECIPIENT_NOT_FOUND', ERROR_MESSAGES.RECIPIENT_NOT_FOUND)
      const after = await postEntry(
        tx,
        from,
        {
          id: `${openid}:transfer_out:${input.requestId}`,
          kind: 'transfer_out',
          amount: -input.amount,
          ref: recipient.userCode,
          requestId: input.requestId,
          memo: `转赠给 ${maskNickname(recipient.nickname)}（${recipient.userCode}）`,
          now,
        },
        { transferDay: day, sentToday: sentToday + input.amount },
      )
      await postEntry(tx, recipient, {
        id: transferInId(recipient._id, openid, input.requestId),
        kind: 'transfer_in',
        amount: input.amount,
        ref: from.userCode,
        requestId: input.requestId,
        memo: `来自 ${maskNickname(from.nickname)}（${from.userCode}）`,
        now,
      })
      return {
        amount: input.amount,
        toCode: recipient.userCode,
        maskedNickname: maskNickname(recipient.nickname),
        balance: after.balance,
        sentToday: sentToday + input.amount,
      }
    },
    { conflictRetries: TRANSFER_CONFLICT_RETRIES },
  )
}

// ------------------------------------------------------------------------------ organiser grants

interface GrantResult {
  batchId: string
  granted: number
  totalPoints: number
}

const batchHeaderSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(['open', 'done']),
  recipients: z.array(z.object({ userCode: z.string(), openid: z.string(), amount: z.number() })),
  result: z
    .object({ batchId: z.string(), granted: z.number(), totalPoints: z.number() })
    .nullable(),
})
type BatchHeader = z.infer<typeof batchHeaderSchema>

export async function grantActivityReward(
  input: { reason: string; grants: Array<{ userCode: string; amount: number }>; requestId: string },
  openid: string,
  now: Date,
): Promise<GrantResult> {
  // WeChat only: the console grants through organiser.grantRewards (the same batch below).
  if (!(await isCommittee({ kind: 'wechat', openid })))
    throw new AppError('FORBIDDEN', 'only organisers may grant activity rewards')
  return grantRewardBatch(input, openid, now)
}

/**
 * The batch itself, for a granter whose committee role the caller checked: `openid` keys the
 * batch (a WeChat organiser's openid, or `web:<uid>` for a console account).
 */
export async function grantRewardBatch(
  input: { reason: string; grants: Array<{ userCode: string; amount: number }>; requestId: string },
  openid: string,
  now: Date,
): Promise<GrantResult> {
  const codes = input.grants.map((g) => g.userCode)
  const duplicates = [...new Set(codes.filter((c, i) => codes.indexOf(c) !== i))]
  if (duplicates.length > 0) {
    throw new AppError('BAD_REQUEST', 'a user code appears more than once in the batch', {
      duplicates,
    })
  }
  const batchKey = `${openid}:${input.requestId}`
  const fingerprint = fingerprintOf(input)
  const headers = getDb().collection(GRANT_BATCHES)

  let header = await readBatchHeader(batchKey)
  if (!header) {
    const accounts = await accountsByUserCodes(codes)
    const unknown = codes.filter((c) => !accounts.has(c))
    if (unknown.length > 0) {
      throw new AppError('RECIPIENT_NOT_FOUND', ERROR_MESSAGES.RECIPIENT_NOT_FOUND, {
        userCodes: unknown,
      })
    }
    const fresh: BatchHeader = {
      fingerprint,
      status: 'open',
      recipients: input.grants.map((g) => ({
        userCode: g.userCode,
        openid: accounts.get(g.userCode)!._id,
        amount: g.amount,
      })),
      result: null,
    }
    try {
      await headers.add({
        data: {
          _id: batchKey,
          type: 'batch',
          organiser: openid,
          requestId: input.requestId,
          reason: input.reason,
          chunks: Math.ceil(fresh.recipients.length / GRANT_CHUNK),
          createdAt: now,
          ...fresh,
        },
      })
      header = fresh
    } catch (err) {
      // A concurrent call with the same requestId stored it first: continue with its header.
      header = await readBatchHeader(batchKey)
      if (!header) throw err
    }
  }
  if (header.fingerprint !== fingerprint) {
    throw new AppError(
      'IDEMPOTENCY_MISMATCH',
      'this requestId was already used for a different batch; nothing was granted',
    )
  }
  if (header.status === 'done' && header.result) return header.result

  const recipients = header.recipients
  for (let chunk = 0; chunk * GRANT_CHUNK < recipients.length; chunk++) {
    const part = recipients.slice(chunk * GRANT_CHUNK, (chunk + 1) * GRANT_CHUNK)
    const markerId = `${batchKey}#${chunk}`
    await grantChunk(markerId, async (tx) => {
      for (const r of part) {
        const acc = await readPointAccount(tx, r.openid)
        if (!acc) throw new Error(`points account ${r.openid} vanished`)
        await postEntry(tx, acc, {
          id: `${r.openid}:activity_reward:${batchKey}`,
          kind: 'activity_reward',
          amount: r.amount,
          ref: input.requestId,
          requestId: input.requestId,
          memo: input.reason,
          now,
        })
      }
      await tx.collection(GRANT_BATCHES).add({
        data: { _id: markerId, type: 'chunk', batch: batchKey, chunk, createdAt: now },
      })
    })
  }
  const result: GrantResult = {
    batchId: input.requestId,
    granted: recipients.length,
    totalPoints: recipients.reduce((n, r) => n + r.amount, 0),
  }
  await headers.doc(batchKey).update({ data: { status: 'done', result, doneAt: now } })
  return result
}

/**
 * Commits one chunk unless its marker says it is in. A concurrent run of the same batch that
 * commits the chunk first makes ours hit its deterministic entry ids (a duplicate key, not a
 * conflict): run again, and the marker — committed with those entries — says it is done.
 */
async function grantChunk(markerId: string, grant: (tx: Transaction) => Promise<void>) {
  for (let attempt = 1; ; attempt++) {
    try {
      await inTransaction(async (tx) => {
        if (await readDoc(tx.collection(GRANT_BATCHES).doc(markerId))) return // done earlier
        await grant(tx)
      }, TRANSFER_CONFLICT_RETRIES)
      return
    } catch (err) {
      if (isDuplicateKeyError(err) && attempt < 3) continue
      throw err
    }
  }
}

async function readBatchHeader(batchKey: string): Promise<BatchHeader | null> {
  const doc = await readDoc<unknown>(getDb().collection(GRANT_BATCHES).doc(batchKey))
  return doc ? batchHeaderSchema.parse(doc) : null
}
