// Reads every campaigns/<folder>/campaign.json and validates it against core's schema, so a typo
// in the data fails loudly (file and field named) before anything is seeded.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { campaignConfigSchema, type CampaignConfig } from 'wal-core'

export const CAMPAIGNS_DIR = __dirname

export class CampaignDataError extends Error {
  override readonly name = 'CampaignDataError'
}

/** Parses one campaign file; throws CampaignDataError naming the file and the failing field. */
export function loadCampaignFile(file: string): CampaignConfig {
  const shown = path.relative(process.cwd(), file) || file
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new CampaignDataError(`${shown}: not readable JSON (${(err as Error).message})`)
  }
  const parsed = campaignConfigSchema.safeParse(json)
  if (!parsed.success) {
    throw new CampaignDataError(
      `${shown}: invalid campaign config\n${z.prettifyError(parsed.error)}`,
    )
  }
  return parsed.data
}

/** All campaigns under `dir` (one folder each), in folder order; ids must be unique. */
export function loadCampaigns(dir: string = CAMPAIGNS_DIR): CampaignConfig[] {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const campaigns: CampaignConfig[] = []
  const seen = new Map<string, string>()
  for (const folder of folders) {
    const file = path.join(dir, folder, 'campaign.json')
    if (!existsSync(file)) {
      throw new CampaignDataError(
        `${path.relative(process.cwd(), file)}: missing (every campaign folder needs one)`,
      )
    }
    const campaign = loadCampaignFile(file)
    const other = seen.get(campaign.id)
    if (other) {
      throw new CampaignDataError(
        `campaign id ${campaign.id} is used by both ${other} and ${folder}`,
      )
    }
    seen.set(campaign.id, folder)
    campaigns.push(campaign)
  }
  return campaigns
}
