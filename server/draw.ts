// Draw use cases (九宫格 and treasure boxes): spend draw chances, sample a tier on the server, award
// points or queue a cash red envelope — all in one transaction per draw, exactly once per requestId.
import { createHash, randomInt } from 'node:crypto'
import {
  DRAW_KIND_NAMES,
  ERROR_MESSAGES,
  chinaDayKey,
  effectiveWeights,
  pickCurrentCampaign,
  publicPayoutStatus,
  publishedOdds,
  sampleTier,
  type DrawHub,
  type DrawKind,
  type DrawResult,
  type DrawTable,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb, queryDocs, readDoc, type Transaction } from './db'
import { runOnce } from './idempotency'
import { ensurePointAccount, postEntry, readPointAccount } from './ledger'
import { cachedCampaigns } from './records/campaigns'
import { drawCampaign, drawTableFor } from './reward-config'
import { addPayout, newPayout, payoutsByKeys } from './records/payouts'
import { RESPONSES, responseId, type ResponseDoc } from './records/responses'
import {
  budgetShardOf,
  budgetShareFen,
  cashNotice,
  decideCash,
  type CashFallback,
  type CashRules,
} from './reward-rules'

export const DRAWS = 'draws'
export const CASH_BUDGETS = 'cashBudgets'

/**
 * One user's draws race on their chance account by design (a double tap, several pages open).
 * Every conflict re-runs the transaction on the latest balance; each committed draw lets at least
 * one more finish, so this bounds how many can be in flight at once before a CONFLICT reply.
 */
const DRAW_CONFLICT_RETRIES = 16

export const CHANCE_ACCOUNTS = 'chanceAccounts'
export const CHANCE_ENTRIES = 'chanceEntries'

/**
 * What a respondent has spent of their draw chances (_id = the response's). The grants are on the
 * response (`chancesGranted`, one record per accepted section), so a survey submission never
 * touches this document: balance = response.chancesGranted − spent. Created by the first draw.
 */
interface ChanceAccountDoc {
  _id: string
  campaignId: string
  openid: string
  spent: number
  /** Draws made (the next draw's seq is draws + 1). */
  draws?: number
  /** Cash received on `cashDay` (China time), for the per-user daily cap. */
  cashDay?: string
  cashTodayFen?: number
  updatedAt: Date
}

type Prize = { form: 'points'; points: number } | { form: 'cash'; cashFen: number }

interface DrawDoc {
  _id: string
  campaignId: string
  openid: string
  seq: number
  requestId: string
  kind: DrawKind
  cost: number
  tableVersion: string
  tierId: string
  tierIndex: number
  prize: Prize
  fallback: CashFallback | null
  payoutKey: string | null
  chancesLeft: number
  createdAt: Date
}

interface CashBudgetDoc {
  _id: string
  campaignId: string
  day: string
  shard: number
  /** Cash paid from this slice today; its limit is always read from the configuration. */
  spentFen: number
  updatedAt: Date
}

/** A draw's public id: deterministic per (campaign, user, requestId), and no openid in it. */
function drawIdOf(campaignId: string, openid: string, requestId: string): string {
  return `d${createHash('sha256').update(`${campaignId}:${openid}:${requestId}`).digest('hex').slice(0, 30)}`
}

function cashBudgetId(campaignId: string, day: string, shard: number): string {
  return `${campaignId}:${day}:${shard}`
}

function cashRulesOf(table: DrawTable, cash: CashRules | undefined): CashRules | null {
  if (table.prizeForm !== 'cash') return null
  // The seed refuses a cash table without rules; a hand-edited database gets a loud error.
  if (!cash) throw new Error(`draw table ${table.version} pays cash but no cash rules are set`)
  return cash
}

/** A respondent's draw chances: granted by the survey (the response), spent by draws. */
function chancesOf(
  resp: ResponseDoc | null,
  acc: ChanceAccountDoc | null,
): { balance: number; granted: number; spent: number } {
  const granted = resp?.chancesGranted ?? 0
  const spent = acc?.spent ?? 0
  return { balance: granted - spent, granted, spent }
}

function userCashToday(acc: ChanceAccountDoc | null, day: string): number {
  return acc?.cashDay === day ? (acc.cashTodayFen ?? 0) : 0
}

export async function hub(openid: string, now: Date): Promise<DrawHub> {
  const { campaign, config } = await drawCampaign(now)
  const table = await drawTableFor(campaign.id, config.drawTableVersion)
  const id = responseId(campaign.id, openid)
  const [resp, acc] = await Promise.all([
    readDoc<ResponseDoc>(getDb().collection(RESPONSES).doc(id)),
    readDoc<ChanceAccountDoc>(getDb().collection(CHANCE_ACCOUNTS).doc(id)),
  ])
  const chances = chancesOf(resp, acc)
  const balance = chances.balance
  let notice: string | null = null
  const cash = cashRulesOf(table, config.cash)
  const cashPrizes = Object.values(table.kinds).flatMap((k) =>
    k.tiers.map((t) => t.cashFen).filter((f) => f > 0),
  )
  if (cash && cashPrizes.length > 0) {
    const day = chinaDayKey(now.getTime())
    const shard = budgetShardOf(openid, cash)
    const budget = await readDoc<CashBudgetDoc>(
      getDb()
        .collection(CASH_BUDGETS)
        .doc(cashBudgetId(campaign.id, day, shard)),
    )
    notice = cashNotice({
      budgetLeftFen:
        budgetShareFen(cash.dailyBudgetFen, cash.budgetShards, shard) - (budget?.spentFen ?? 0),
      userTodayFen: userCashToday(acc, day),
      perUserDailyCapFen: cash.perUserDailyCapFen,
      minCashFen: Math.min(...cashPrizes),
      maxCashFen: Math.max(...cashPrizes),
    })
  }
  return {
    campaignId: campaign.id,
    tableVersion: table.version,
    prizeForm: table.prizeForm,
    chances,
    kinds: publishedOdds(table).map((k) => ({ ...k, affordable: balance >= k.cost })),
    notice,
  }
}

/** Thrown inside the transaction when points are won by someone without a points account yet. */
class NeedsPointAccount extends Error {}

export async function draw(
  input: { kind: DrawKind; requestId: string },
  openid: string,
  now: Date,
): Promise<DrawResult> {
  const { campaign, config } = await drawCampaign(now)
  const table = await drawTableFor(campaign.id, config.drawTableVersion)
  const cash = cashRulesOf(table, config.cash)
  const kindTable = table.kinds[input.kind]
  const weights = effectiveWeights(kindTable)
  const accountId = responseId(campaign.id, openid)
  const drawId = drawIdOf(campaign.id, openid, input.requestId)
  const day = chinaDayKey(now.getTime())

  const attempt = () =>
    runOnce<DrawResult>(
      { requestId: input.requestId, scope: 'draw.draw', input },
      async (tx) => {
        const resp = await readDoc<ResponseDoc>(tx.collection(RESPONSES).doc(accountId))
        const acc = await readDoc<ChanceAccountDoc>(tx.collection(CHANCE_ACCOUNTS).doc(accountId))
        const { balance, spent } = chancesOf(resp, acc)
        if (balance < kindTable.cost) {
          throw new AppError('INSUFFICIENT_CHANCES', ERROR_MESSAGES.INSUFFICIENT_CHANCES, {
            balance,
            cost: kindTable.cost,
          })
        }
        // Sampled inside the callback: a re-run samples again, and only the committed run counts.
        const tierIndex = sampleTier(weights, randomInt)
        const tier = kindTable.tiers[tierIndex]!

        let prize: Prize = { form: 'points', points: tier.points }
        let fallback: CashFallback | null = null
        const accPatch: Partial<ChanceAccountDoc> = {}
        if (cash && tier.cashFen > 0) {
          const decided = await spendCash(tx, {
            campaignId: campaign.id,
            openid,
            day,
            cash,
            cashFen: tier.cashFen,
            userTodayFen: userCashToday(acc, day),
            now,
          })
          if (decided.form === 'cash') {
            prize = { form: 'cash', cashFen: tier.cashFen }
            accPatch.cashDay = day
            accPatch.cashTodayFen = userCashToday(acc, day) + tier.cashFen
          } else {
            fallback = decided.fallback
          }
        }

        const seq = (acc?.draws ?? 0) + 1
        const chancesLeft = balance - kindTable.cost
        const spend = { spent: spent + kindTable.cost, draws: seq, updatedAt: now, ...accPatch }
        const accRef = tx.collection(CHANCE_ACCOUNTS).doc(accountId)
        if (acc) await accRef.update({ data: spend })
        else await accRef.set({ data: { campaignId: campaign.id, openid, ...spend } })
        await tx.collection(CHANCE_ENTRIES).add({
          data: {
            _id: `${accountId}:draw:${drawId}`,
            campaignId: campaign.id,
            openid,
            amount: -kindTable.cost,
            kind: 'draw_spend',
            ref: drawId,
            requestId: input.requestId,
            createdAt: now,
          },
        })

        if (prize.form === 'points' && prize.points > 0) {
          const points = await readPointAccount(tx, openid)
          if (!points) throw new NeedsPointAccount()
          await postEntry(tx, points, {
            id: `${openid}:draw_prize:${drawId}`,
            kind: 'draw_prize',
            amount: prize.points,
            ref: drawId,
            requestId: input.requestId,
            memo: fallback
              ? `${DRAW_KIND_NAMES[input.kind]}（现金红包按积分发放）`
              : DRAW_KIND_NAMES[input.kind],
            now,
          })
        }
        let payoutKey: string | null = null
        if (prize.form === 'cash') {
          const payout = newPayout({
            campaignId: campaign.id,
            openid,
            drawId,
            amountFen: prize.cashFen,
            now,
          })
          await addPayout(tx, payout)
          payoutKey = payout._id
        }
        const doc: DrawDoc = {
          _id: drawId,
          campaignId: campaign.id,
          openid,
          seq,
          requestId: input.requestId,
          kind: input.kind,
          cost: kindTable.cost,
          tableVersion: table.version,
          tierId: tier.id,
          tierIndex,
          prize,
          fallback,
          payoutKey,
          chancesLeft,
          createdAt: now,
        }
        await tx.collection(DRAWS).add({ data: doc })
        return toResult(doc, prize.form === 'cash' ? 'pending' : null)
      },
      { conflictRetries: DRAW_CONFLICT_RETRIES },
    )

  try {
    return await attempt()
  } catch (err) {
    if (!(err instanceof NeedsPointAccount)) throw err
    // Outside any transaction (a user code must be unique): create the account, draw again.
    await ensurePointAccount(openid, now)
    return attempt()
  }
}

/**
 * Takes a cash prize out of today's budget slice of this user, if it fits it and the user's
 * daily cap; otherwise says why it is paid as points. The slice document is read and written in
 * the draw's transaction, so two draws can never both spend its last fen.
 */
async function spendCash(
  tx: Transaction,
  p: {
    campaignId: string
    openid: string
    day: string
    cash: CashRules
    cashFen: number
    userTodayFen: number
    now: Date
  },
): Promise<ReturnType<typeof decideCash>> {
  const shard = budgetShardOf(p.openid, p.cash)
  const id = cashBudgetId(p.campaignId, p.day, shard)
  const ref = tx.collection(CASH_BUDGETS).doc(id)
  const budget = await readDoc<CashBudgetDoc>(ref)
  // The limit comes from the configuration each time, so a budget raised (or lowered) during the
  // day takes effect within the configuration cache's 30 s.
  const limitFen = budgetShareFen(p.cash.dailyBudgetFen, p.cash.budgetShards, shard)
  const spentFen = budget?.spentFen ?? 0
  const decided = decideCash({
    cashFen: p.cashFen,
    budgetLeftFen: limitFen - spentFen,
    userTodayFen: p.userTodayFen,
    perUserDailyCapFen: p.cash.perUserDailyCapFen,
  })
  if (decided.form !== 'cash') return decided
  if (budget) {
    await ref.update({ data: { spentFen: spentFen + p.cashFen, updatedAt: p.now } })
  } else {
    const fresh: Omit<CashBudgetDoc, '_id'> = {
      campaignId: p.campaignId,
      day: p.day,
      shard,
      spentFen: p.cashFen,
      updatedAt: p.now,
    }
    await ref.set({ data: fresh })
  }
  return decided
}

type DrawPayoutStatus = ReturnType<typeof publicPayoutStatus>

function toResult(doc: DrawDoc, payoutStatus: DrawPayoutStatus | null): DrawResult {
  return {
    drawId: doc._id,
    kind: doc.kind,
    tableVersion: doc.tableVersion,
    tierId: doc.tierId,
    tierIndex: doc.tierIndex,
    prize:
      doc.prize.form === 'cash'
        ? { form: 'cash', cashFen: doc.prize.cashFen, payoutStatus: payoutStatus ?? 'pending' }
        : { form: 'points', points: doc.prize.points },
    fallback: doc.fallback,
    chancesLeft: doc.chancesLeft,
    createdAt: new Date(doc.createdAt).toISOString(),
  }
}

/** The caller's draws in the current campaign, newest first; the cursor is the last seq seen. */
export async function history(
  input: { cursor?: string | undefined; limit: number },
  openid: string,
  now: Date,
): Promise<{ items: DrawResult[]; nextCursor: string | null }> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  const _ = getDb().command
  const before = input.cursor === undefined ? Number.NaN : Number(input.cursor)
  if (input.cursor !== undefined && !Number.isSafeInteger(before))
    throw new AppError('BAD_REQUEST', 'cursor must come from nextCursor')
  const where: Record<string, unknown> = { campaignId: picked.campaign.id, openid }
  if (input.cursor !== undefined) where.seq = _.lt(before)
  const docs = await queryDocs<DrawDoc>(
    getDb().collection(DRAWS).where(where).orderBy('seq', 'desc').limit(input.limit),
  )
  const keys = docs.map((d) => d.payoutKey).filter((k): k is string => k !== null)
  const payouts = await payoutsByKeys(keys)
  return {
    items: docs.map((d) =>
      toResult(d, d.payoutKey ? publicPayoutStatus(payouts.get(d.payoutKey)) : null),
    ),
    nextCursor: docs.length === input.limit ? String(docs[docs.length - 1]!.seq) : null,
  }
}
