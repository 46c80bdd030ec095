// Records of the statistics counters: `statShards` (STAT_SHARDS documents per campaign, every
// counter of a sample in one of them) and `codeStats` (CODE_STAT_SHARDS per share code). Counters
// only ever move by $inc inside the transaction that stores the sample; reads sum the shards.
import {
  CODE_STAT_SHARDS,
  STAT_SHARDS,
  countInto,
  shardOf,
  statShardId,
  sumShards,
  type CampaignStats,
} from 'wal-core'
import { getDb, type Transaction } from '../db'

export const STAT_SHARDS_COLLECTION = 'statShards'
export const CODE_STATS = 'codeStats'

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
  // One command for every path: the SDK copies it per field anyway, and each one it builds costs.
  const one = getDb().command.inc(1)
  const data: Record<string, unknown> = {}
  for (const p of paths) data[p] = one
  const res = (await tx.collection(collection).doc(id).update({ data })) as {
    stats: { updated: number }
  }
  if (res.stats.updated > 0) return
  const doc: Record<string, unknown> = { ...initial }
  countInto(doc, paths)
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

/** Count a sample valid or invalid for the share code it came through. */
export async function countCodeSample(
  tx: Transaction,
  campaignId: string,
  code: string,
  openid: string,
  valid: boolean,
): Promise<void> {
  const shard = shardOf(openid, CODE_STAT_SHARDS)
  await bump(tx, CODE_STATS, codeStatId(campaignId, code, shard), [valid ? 'valid' : 'invalid'], {
    campaignId,
    code,
    shard,
    valid: 0,
    invalid: 0,
  })
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
