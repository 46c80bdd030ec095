// The campaign use case: what the app shows now (campaign.getCurrent).
import type { CurrentCampaign } from 'wal-core'
import { currentCampaign } from './records/campaigns'

/** The campaign the app shows now, with its window status; NO_CAMPAIGN when none is configured. */
export async function getCurrentCampaign(now: Date): Promise<CurrentCampaign> {
  const { campaign, status } = await currentCampaign(now)
  const { id, year, name, organiser, slogan, window, versions } = campaign
  return {
    id,
    year,
    name,
    organiser,
    slogan,
    window,
    versions,
    status,
    serverTime: now.toISOString(),
  }
}
