// Records of the statistics counters: `statShards` (STAT_SHARDS documents per campaign, every
// counter of a sample in one of them) and `codeStats` (CODE_STAT_SHARDS per share code). Counters
// only ever move by $inc inside the transaction that stores the sample; reads sum the shards.
import {
  CODE_STAT_SHARDS,
  NODE_STAT_SHARDS,
  STAT_SHARDS,
  countInto,
  shardOf,
  statShardId,
  sumNodeShards,
  sumShards,
  type CampaignStats,
  type NodeTotals,
  type Tally,
} from 'wal-core'
import { getDb, readDoc, type Transaction } from '../db'

export const STAT_SHARDS_COLLECTION = 'statShards'
export const CODE_STATS = 'codeStats'
export const NODE_STATS = 'nodeStats'

/** The id of one share code's counter shard. */
export function codeStatId(campaignId: string, code: string, shard: number): string {
  return `${campaignId}:${code}:${shard}`
}

/** Increment a counter document, creating it on first use (update reports 0 when it is missing). */
export async function bump(
  tx: Transaction,
  collection: string,
  id: string,
  paths: string[],
  initial: Record<string, unknown>,
): Promise<void> {
  await bumpBy(tx, collection, id, Object.fromEntries(paths.map((p) => [p, 1])), initial)
}

/** bump with an amount per path (an override's hundredths, or −1 when a review moves a sample). */
export async function bumpBy(
  tx: Transaction,
  collection: string,
  id: string,
  amounts: Record<string, number>,
  initial: Record<string, unknown>,
): Promise<void> {
  // One command per distinct amount: the SDK copies it per field anyway, and each one it builds costs.
  const commands = new Map<number, unknown>()
  const data: Record<string, unknown> = {}
  for (const [p, n] of Object.entries(amounts)) {
    if (!commands.has(n)) commands.set(n, getDb().command.inc(n))
    data[p] = commands.get(n)
  }
  const res = (await tx.collection(collection).doc(id).update({ data })) as {
    stats: { updated: number }
  }
  if (res.stats.updated > 0) return
  const doc: Record<string, unknown> = { ...initial }
  for (const [p, n] of Object.entries(amounts)) countInto(doc, [p], n)
  await tx.collection(collection).doc(id).set({ data: doc })
}

/**
 * Move a sample's counters (core's counterPaths) in the respondent's shard. Call it last in the
 * transaction: a shard is shared by many respondents, and the fewer requests between touching it
 * and the commit, the fewer concurrent submissions conflict on it and run again.
 */
export async function countSample(
  tx: Transaction,
  campaignId: string,
  openid: string,
  paths: string[],
): Promise<void> {
  const shard = shardOf(openid, STAT_SHARDS)
  await bump(tx, STAT_SHARDS_COLLECTION, statShardId(campaignId, shard), paths, {
    campaignId,
    shard,
  })
}

/** Count a sample valid or invalid (or move it: `by` −1) for the share code it came through. */
export async function countCodeSample(
  tx: Transaction,
  campaignId: string,
  code: string,
  openid: string,
  valid: boolean,
  day?: string,
  by = 1,
): Promise<void> {
  const shard = shardOf(openid, CODE_STAT_SHARDS)
  const outcome = valid ? 'valid' : 'invalid'
  const amounts: Record<string, number> = { [outcome]: by }
  if (day) amounts[`days.${day}.${outcome}`] = by
  await bumpBy(tx, CODE_STATS, codeStatId(campaignId, code, shard), amounts, {
    campaignId,
    code,
    shard,
    valid: 0,
    invalid: 0,
  })
}

export function nodeStatId(campaignId: string, nodeId: string, shard: number): string {
  return `${campaignId}:${nodeId}:${shard}`
}

/**
 * Count a sample for one node of a code's chain (each node counts its whole subtree this way), and
 * when the node takes the sample's override, accrue it in the same write: `overrideHundredths`
 * grows by the rate (hundredths of a point), settled in whole points by server/overrides.ts.
 */
export async function countNodeSample(
  tx: Transaction,
  campaignId: string,
  nodeId: string,
  openid: string,
  sample: { valid: boolean; day: string; overrideRate: number; by?: number },
): Promise<void> {
  const by = sample.by ?? 1
  const outcome = sample.valid ? 'valid' : 'invalid'
  const amounts: Record<string, number> = { [outcome]: by, [`days.${sample.day}.${outcome}`]: by }
  if (sample.overrideRate > 0) {
    amounts.overrideSamples = by
    amounts.overrideHundredths = by * sample.overrideRate
  }
  const shard = shardOf(openid, NODE_STAT_SHARDS)
  await bumpBy(tx, NODE_STATS, nodeStatId(campaignId, nodeId, shard), amounts, {
    campaignId,
    nodeId,
    shard,
    valid: 0,
    invalid: 0,
  })
}

/** A node's totals: one query of its NODE_STAT_SHARDS documents (O(1) in samples and codes). */
export async function readNodeTotals(
  db: Transaction | ReturnType<typeof getDb>,
  campaignId: string,
  nodeId: string,
): Promise<NodeTotals> {
  // doc reads, not a query: they also work inside a transaction (the settlement reads them there).
  const docs = await Promise.all(
    Array.from({ length: NODE_STAT_SHARDS }, (_, i) =>
      readDoc<Record<string, unknown>>(
        db.collection(NODE_STATS).doc(nodeStatId(campaignId, nodeId, i)),
      ),
    ),
  )
  return sumNodeShards(docs.filter((d): d is Record<string, unknown> => d !== null))
}

/** A share code's totals and days: one query of its CODE_STAT_SHARDS documents. */
export async function readCodeTotals(
  campaignId: string,
  code: string,
): Promise<Tally & { days: Record<string, Tally> }> {
  const res = await getDb()
    .collection(CODE_STATS)
    .where({ campaignId, code })
    .limit(CODE_STAT_SHARDS)
    .get()
  const t = sumNodeShards(res.data as Array<Record<string, unknown>>)
  return { valid: t.valid, invalid: t.invalid, days: t.days }
}

/** A campaign's statistics: one query over its shards (a fixed number of documents), summed by core. */
export async function readStats(campaignId: string): Promise<CampaignStats> {
  const res = await getDb()
    .collection(STAT_SHARDS_COLLECTION)
    .where({ campaignId })
    .limit(STAT_SHARDS)
    .get()
  return sumShards(res.data as Array<Record<string, unknown>>)
}
