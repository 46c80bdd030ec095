// Settling overrides (服务站奖励): the hundredths of a point a node accrued on its counters
// (records/stats.ts countAttributedSample) become whole points in its account exactly once. The
// account remembers the points settled per campaign; each settlement posts the difference
// between what the accrual makes and that — never paid twice, never lost to rounding.
import { overrideOwed } from 'wal-core'
import { getDb, queryDocs, type Transaction } from './db'
import { inTransaction } from './idempotency'
import { accountInTx, postEntry } from './ledger'
import { ORG_NODES, cachedNode, type OrgNodeDoc } from './records/org'
import { nodeAccountId } from './records/share-codes'
import { readNodeTotals } from './records/stats'

export interface Settlement {
  nodeId: string
  /** Points posted now (negative: a reversal after a review took accrual back). */
  posted: number
  settled: number
  accruedHundredths: number
}

/** One node's settlement in one transaction (its counter shards and its account). */
export async function settleOverride(
  campaignId: string,
  nodeId: string,
  requestId: string,
  now: Date,
): Promise<Settlement> {
  return inTransaction((tx) => settleOverrideIn(tx, campaignId, nodeId, requestId, now), 10)
}

/**
 * The settlement inside `tx` (an admin's settleOverride runs it in runOnce, so a retry with the
 * same requestId answers the first result and another input under it is refused).
 */
export async function settleOverrideIn(
  tx: Transaction,
  campaignId: string,
  nodeId: string,
  requestId: string,
  now: Date,
): Promise<Settlement> {
  // The node's path names its top unit, whose counter shards hold the node's accrual (cached:
  // a node's place in the tree does not change).
  const path = (await cachedNode(nodeId))?.path ?? []
  const totals = await readNodeTotals(tx, campaignId, { _id: nodeId, path })
  const account = await accountInTx(tx, nodeAccountId(nodeId), now)
  const settled = account.overrideSettled?.[campaignId] ?? 0
  const owed = overrideOwed(totals.overrideHundredths, settled)
  const result = { nodeId, settled: settled + owed, accruedHundredths: totals.overrideHundredths }
  if (owed === 0) return { ...result, posted: 0 }
  await postEntry(
    tx,
    account,
    {
      // The account's next sequence number: unique per account, the same on a re-run.
      id: `${account._id}:override:${account.seq + 1}`,
      kind: owed > 0 ? 'station_override' : 'reversal',
      amount: owed,
      ref: `${campaignId}:${nodeId}`,
      requestId,
      memo: `${totals.overrideSamples} 份有效样本的服务站奖励`,
      now,
    },
    { overrideSettled: { ...account.overrideSettled, [campaignId]: settled + owed } },
  )
  return { ...result, posted: owed }
}

/** Every rated node of the tree (the timer's run): stations and units, one settlement each. */
export async function settleAllOverrides(campaignId: string, now: Date): Promise<Settlement[]> {
  const _ = getDb().command
  const out: Settlement[] = []
  for (let skip = 0; ; skip += 100) {
    const nodes = await queryDocs<OrgNodeDoc>(
      getDb()
        .collection(ORG_NODES)
        .where({ kind: _.in(['unit', 'joint_unit', 'station']) })
        .orderBy('_id', 'asc')
        .skip(skip)
        .limit(100),
    )
    for (const n of nodes)
      out.push(await settleOverride(campaignId, n._id, `timer-${now.getTime()}`, now))
    if (nodes.length < 100) return out
  }
}
