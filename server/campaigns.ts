// Campaigns as the functions see them: read from the `campaigns` collection (seeded from
// campaigns/<folder>/campaign.json), validated, and picked by the server clock.
import {
  campaignConfigSchema,
  pickCurrentCampaign,
  type CampaignConfig,
  type CurrentCampaign,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb } from './db'

/** One document per campaign, `_id` = campaign id. */
export const CAMPAIGNS_COLLECTION = 'campaigns'

/** Far more than will ever be configured (one per year plus a demo). */
const MAX_CAMPAIGNS = 100

export async function listCampaigns(): Promise<CampaignConfig[]> {
  const res = (await getDb().collection(CAMPAIGNS_COLLECTION).limit(MAX_CAMPAIGNS).get()) as {
    data: unknown[]
  }
  const campaigns: CampaignConfig[] = []
  for (const doc of res.data) {
    const parsed = campaignConfigSchema.safeParse(doc)
    // A document edited by hand into an invalid shape must not take the whole app down: skip it
    // and say so in the function log, where the operator looks.
    if (parsed.success) campaigns.push(parsed.data)
    else
      console.warn(
        `[campaigns] skipping invalid campaign document ${String((doc as { _id?: unknown })?._id)}`,
      )
  }
  return campaigns
}

/** The campaign the app shows now, with its window status; NO_CAMPAIGN when none is configured. */
export async function getCurrentCampaign(now: Date): Promise<CurrentCampaign> {
  const picked = pickCurrentCampaign(await listCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  const { id, year, name, organiser, slogan, window, versions } = picked.campaign
  return {
    id,
    year,
    name,
    organiser,
    slogan,
    window,
    versions,
    status: picked.status,
    serverTime: now.toISOString(),
  }
}
