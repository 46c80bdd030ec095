// The share-code ranking pass (the volunteer function's `rankCodes` timer, every minute): the codes
// whose counters moved since the last pass (their codeStats shards carry `at`), their totals, and
// each node of their chains gets its ranking merged (core's mergeRanking) into `codeRanks`.
//
// A timer, not the submission's transaction: ranking a code needs its total (its 8 shards read)
// and a write to every node of its chain — 4–5 documents that every sample of a unit would write,
// the top unit's one by all of them at once — so each submission through a code would grow by a
// dozen operations and queue on one hot document. A pass reads only what moved in the last
// minute; the ranking is at most a minute and a bit behind the counters, which 我的单位 says.
import { chinaDayKey, mergeRanking, type RankedCode } from 'wal-core'
import { getDb, queryDocs, readDoc } from './db'
import { inTransaction } from './idempotency'
import { currentCampaign } from './records/campaigns'
import {
  CODE_RANKS,
  codeRankId,
  rankPassId,
  type CodeRankDoc,
  type RankPassDoc,
} from './records/code-ranks'
import { SHARE_CODES, type ShareCodeDoc } from './records/share-codes'
import { CODE_STATS, readCodesTotals } from './records/stats'

/**
 * How far before the last pass's start a pass looks: a transaction stamps `at` with its clock
 * and commits later (within the functions' seconds), so a code stamped just before the last pass
 * began may have been invisible to it.
 */
const OVERLAP_MS = 60_000

/** Codes whose counters moved at or after `since` (a minute's worth: usually one query). */
async function movedCodes(campaignId: string, since: Date): Promise<string[]> {
  const _ = getDb().command
  const moved = new Set<string>()
  for (let skip = 0; ; skip += 1000) {
    const page = await queryDocs<{ code: string }>(
      getDb()
        .collection(CODE_STATS)
        .where({ campaignId, at: _.gte(since) })
        .field({ code: true })
        .orderBy('_id', 'asc')
        .skip(skip)
        .limit(1000),
    )
    for (const p of page) moved.add(p.code)
    if (page.length < 1000) return [...moved]
  }
}

/**
 * One pass: re-rank every node on the chain of a code that moved. The first pass of a campaign
 * (no mark yet) reads every code once — the same as a rebuild.
 */
export async function rankCodes(now: Date): Promise<{ codes: number; nodes: number }> {
  const { campaign } = await currentCampaign(now)
  const db = getDb()
  const _ = db.command
  const pass = await readDoc<RankPassDoc>(db.collection(CODE_RANKS).doc(rankPassId(campaign.id)))
  const since = new Date(pass ? new Date(pass.startedAt).getTime() - OVERLAP_MS : 0)
  const codes = await movedCodes(campaign.id, since)
  const day = chinaDayKey(now.getTime())

  const byNode = new Map<string, RankedCode[]>()
  for (let i = 0; i < codes.length; i += 100) {
    const batch = codes.slice(i, i + 100)
    const [counts, docs] = await Promise.all([
      readCodesTotals(campaign.id, batch, day),
      queryDocs<Pick<ShareCodeDoc, '_id' | 'label' | 'chain'>>(
        db
          .collection(SHARE_CODES)
          .where({ _id: _.in(batch) })
          .field({ label: true, chain: true })
          .limit(100),
      ),
    ])
    for (const doc of docs) {
      const c = counts.get(doc._id)
      if (!c) continue
      const ranked: RankedCode = {
        code: doc._id,
        label: doc.label ?? null,
        valid: c.total.valid,
        invalid: c.total.invalid,
        day,
        today: c.today,
      }
      for (const nodeId of doc.chain?.nodePath ?? [])
        byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), ranked])
    }
  }

  // Each node's ranking in a transaction of its own: two passes that overlap merge, never lose.
  for (const [nodeId, moved] of byNode) {
    await inTransaction(async (tx) => {
      const ref = tx.collection(CODE_RANKS).doc(codeRankId(campaign.id, nodeId))
      const doc = await readDoc<CodeRankDoc>(ref)
      await ref.set({
        data: {
          campaignId: campaign.id,
          nodeId,
          codes: mergeRanking(doc?.codes ?? [], moved),
          updatedAt: now,
        },
      })
    })
  }
  await db
    .collection(CODE_RANKS)
    .doc(rankPassId(campaign.id))
    .set({
      data: { campaignId: campaign.id, startedAt: now, codes: codes.length, nodes: byNode.size },
    })
  return { codes: codes.length, nodes: byNode.size }
}
