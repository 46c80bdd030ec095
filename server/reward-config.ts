// Reward configuration as the functions see it: `rewardConfigs` (one per campaign: the active draw
// table version, cash rules, transfer limits) and `drawTables` (`<campaignId>:<version>`, never
// edited — a new table is a new version), both seeded from campaigns/ and kept per instance.
import { drawTableSchema, type CampaignConfig, type DrawTable } from 'wal-core'
import { AppError } from './app-error'
import { readDoc, getDb } from './db'
import { currentCampaign } from './records/campaigns'
import { cachedLoader } from './records/config-cache'
import {
  drawTableId,
  rewardConfigSchema,
  rewardFileSchema,
  type RewardConfig,
} from './reward-rules'

export const REWARD_CONFIGS = 'rewardConfigs'
export const DRAW_TABLES = 'drawTables'

const rewardConfigFor = cachedLoader(async (campaignId: string): Promise<RewardConfig> => {
  const doc = await readDoc<Record<string, unknown>>(
    getDb().collection(REWARD_CONFIGS).doc(campaignId),
  )
  if (!doc) throw new AppError('NOT_FOUND', `campaign ${campaignId} has no reward configuration`)
  const { _id: _ignored, ...stored } = doc
  const parsed = rewardConfigSchema.safeParse(stored)
  if (!parsed.success) {
    throw new Error(`reward configuration of ${campaignId} is invalid: ${parsed.error.message}`)
  }
  return parsed.data
})

/** Tables are immutable per version: once read, an instance keeps them. */
const drawTableById = cachedLoader(async (id: string): Promise<DrawTable> => {
  const doc = await readDoc<{ table?: unknown }>(getDb().collection(DRAW_TABLES).doc(id))
  if (!doc) throw new Error(`draw table ${id} is missing`)
  const parsed = drawTableSchema.safeParse(doc.table)
  if (!parsed.success) throw new Error(`draw table ${id} is invalid: ${parsed.error.message}`)
  return parsed.data
}, Number.POSITIVE_INFINITY)

export function drawTableFor(campaignId: string, version: string): Promise<DrawTable> {
  return drawTableById(drawTableId(campaignId, version))
}

const DAY_MS = 86_400_000

/**
 * The campaign whose draws are open now: from the start of its collection window to
 * `drawGraceDays` after its end (chances earned are not voided when collection closes).
 */
export async function drawCampaign(
  now: Date,
): Promise<{ campaign: CampaignConfig; config: RewardConfig }> {
  const { campaign } = await currentCampaign(now)
  const config = await rewardConfigFor(campaign.id)
  const t = now.getTime()
  const closesAt = Date.parse(campaign.window.endsAt) + config.drawGraceDays * DAY_MS
  if (t < Date.parse(campaign.window.startsAt))
    throw new AppError('CAMPAIGN_NOT_STARTED', '活动尚未开始，敬请期待')
  if (t >= closesAt) throw new AppError('CAMPAIGN_CLOSED', '本次活动抽奖已结束，感谢参与')
  return { campaign, config }
}

/** Transfer limits in force: the current campaign's, or the defaults when there is none. */
export async function currentTransferLimits(now: Date): Promise<RewardConfig['transfer']> {
  try {
    const { campaign } = await currentCampaign(now)
    return (await rewardConfigFor(campaign.id)).transfer
  } catch (err) {
    if (!(err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'NO_CAMPAIGN')))
      throw err
  }
  return rewardFileSchema.parse({}).transfer
}
