// Reward configuration as the functions see it: `rewardConfigs` (one per campaign: the active draw
// table version, cash rules, transfer limits) and `drawTables` (`<campaignId>:<version>`, never
// edited — a new table is a new version), both seeded from campaigns/ and kept per instance.
import { drawTableSchema, pickCurrentCampaign, type CampaignConfig, type DrawTable } from 'wal-core'
import { AppError } from './app-error'
import { readDoc, getDb } from './db'
import { cachedCampaigns } from './questionnaires'
import {
  drawTableId,
  rewardConfigSchema,
  rewardFileSchema,
  type RewardConfig,
} from './reward-rules'

export const REWARD_CONFIGS = 'rewardConfigs'
export const DRAW_TABLES = 'drawTables'

/** Like the questionnaire: configuration changes rarely, every draw needs it (server/questionnaires.ts). */
const CONFIG_TTL_MS = 30_000

const configCache = new Map<string, { value: RewardConfig; at: number }>()
/** Tables are immutable per version: once read, an instance keeps them. */
const tableCache = new Map<string, DrawTable>()

/** Forget cached reward configuration (tests that re-seed). */
export function clearRewardConfigCache(): void {
  configCache.clear()
  tableCache.clear()
}

async function rewardConfigFor(campaignId: string): Promise<RewardConfig> {
  const t = Date.now()
  const hit = configCache.get(campaignId)
  if (hit && t - hit.at <= CONFIG_TTL_MS) return hit.value
  const doc = await readDoc<Record<string, unknown>>(
    getDb().collection(REWARD_CONFIGS).doc(campaignId),
  )
  if (!doc) throw new AppError('NOT_FOUND', `campaign ${campaignId} has no reward configuration`)
  const { _id: _ignored, ...stored } = doc
  const parsed = rewardConfigSchema.safeParse(stored)
  if (!parsed.success) {
    throw new Error(`reward configuration of ${campaignId} is invalid: ${parsed.error.message}`)
  }
  configCache.set(campaignId, { value: parsed.data, at: t })
  return parsed.data
}

export async function drawTableFor(campaignId: string, version: string): Promise<DrawTable> {
  const id = drawTableId(campaignId, version)
  const hit = tableCache.get(id)
  if (hit) return hit
  const doc = await readDoc<{ table?: unknown }>(getDb().collection(DRAW_TABLES).doc(id))
  if (!doc) throw new Error(`draw table ${id} is missing`)
  const parsed = drawTableSchema.safeParse(doc.table)
  if (!parsed.success) throw new Error(`draw table ${id} is invalid: ${parsed.error.message}`)
  tableCache.set(id, parsed.data)
  return parsed.data
}

const DAY_MS = 86_400_000

/**
 * The campaign whose draws are open now: from the start of its collection window to
 * `drawGraceDays` after its end (chances earned are not voided when collection closes).
 */
export async function drawCampaign(
  now: Date,
): Promise<{ campaign: CampaignConfig; config: RewardConfig }> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  const config = await rewardConfigFor(picked.campaign.id)
  const t = now.getTime()
  const closesAt = Date.parse(picked.campaign.window.endsAt) + config.drawGraceDays * DAY_MS
  if (t < Date.parse(picked.campaign.window.startsAt))
    throw new AppError('CAMPAIGN_NOT_STARTED', '活动尚未开始，敬请期待')
  if (t >= closesAt) throw new AppError('CAMPAIGN_CLOSED', '本次活动抽奖已结束，感谢参与')
  return { campaign: picked.campaign, config }
}

/** Transfer limits in force: the current campaign's, or the defaults when there is none. */
export async function currentTransferLimits(now: Date): Promise<RewardConfig['transfer']> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (picked) {
    try {
      return (await rewardConfigFor(picked.campaign.id)).transfer
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err
    }
  }
  return rewardFileSchema.parse({}).transfer
}
