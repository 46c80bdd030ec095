// Reading the sample statistics: one query over a campaign's stats shards (a fixed number of
// documents, whatever the number of samples), summed by core.
import { STAT_SHARDS, sumShards, type CampaignStats } from 'wal-core'
import { getDb } from './db'
import { STAT_SHARDS_COLLECTION } from './survey'

export async function readStats(campaignId: string): Promise<CampaignStats> {
  const res = await getDb()
    .collection(STAT_SHARDS_COLLECTION)
    .where({ campaignId })
    .limit(STAT_SHARDS)
    .get()
  return sumShards(res.data as Array<Record<string, unknown>>)
}
