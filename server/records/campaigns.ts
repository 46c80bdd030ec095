// Records of campaign configuration: `campaigns` (one per campaign, seeded from
// campaigns/<folder>/campaign.json) and `questionnaires` (one per campaign), validated on read and
// kept in the config cache; and the one way a use case finds the campaign of now.
import {
  campaignConfigSchema,
  pickCurrentCampaign,
  questionnaireSchema,
  type CampaignConfig,
  type Questionnaire,
  type WindowStatus,
} from 'wal-core'
import { AppError } from '../app-error'
import { getDb, readDoc } from '../db'
import { cachedLoader } from './config-cache'

/** One document per campaign, `_id` = campaign id. */
export const CAMPAIGNS_COLLECTION = 'campaigns'
/** One document per campaign, `_id` = campaign id. */
export const QUESTIONNAIRES_COLLECTION = 'questionnaires'

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

const cachedList = cachedLoader(() => listCampaigns())

/** Every configured campaign, from the config cache. */
export function cachedCampaigns(): Promise<CampaignConfig[]> {
  return cachedList('all')
}

/**
 * The campaign of `now` and where `now` stands in its collection window: the one place this is
 * decided (core's pickCurrentCampaign over the cached records). NO_CAMPAIGN when none is configured.
 */
export async function currentCampaign(
  now: Date,
): Promise<{ campaign: CampaignConfig; status: WindowStatus }> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  return picked
}

/** The current campaign, which must be collecting now (survey actions). */
export async function openCampaign(now: Date): Promise<CampaignConfig> {
  const { campaign, status } = await currentCampaign(now)
  if (status === 'upcoming') {
    throw new AppError('CAMPAIGN_NOT_STARTED', `collection opens at ${campaign.window.startsAt}`)
  }
  if (status === 'closed') {
    throw new AppError('CAMPAIGN_CLOSED', `collection closed at ${campaign.window.endsAt}`)
  }
  return campaign
}

export const questionnaireFor = cachedLoader(async (campaignId: string): Promise<Questionnaire> => {
  const doc = await readDoc<Record<string, unknown>>(
    getDb().collection(QUESTIONNAIRES_COLLECTION).doc(campaignId),
  )
  if (!doc) throw new AppError('NOT_FOUND', `campaign ${campaignId} has no questionnaire`)
  const { _id: _ignored, ...rest } = doc
  const parsed = questionnaireSchema.safeParse(rest)
  if (!parsed.success) {
    // Stored configuration that no longer parses is an operator's problem, not the caller's.
    throw new Error(`questionnaire of ${campaignId} is invalid: ${parsed.error.message}`)
  }
  return parsed.data
})
