// Reads every campaigns/<folder>/campaign.json and validates it against core's schema, so a typo
// in the data fails loudly (file and field named) before anything is seeded.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import {
  campaignConfigSchema,
  drawTableSchema,
  questionnaireSchema,
  type CampaignConfig,
  type DrawTable,
  type Questionnaire,
} from 'wal-core'

export const CAMPAIGNS_DIR = __dirname

export class CampaignDataError extends Error {
  override readonly name = 'CampaignDataError'
}

/** Parses one campaign file; throws CampaignDataError naming the file and the failing field. */
function readJsonFile(file: string): { json: unknown; shown: string } {
  const shown = path.relative(process.cwd(), file) || file
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')), shown }
  } catch (err) {
    throw new CampaignDataError(`${shown}: not readable JSON (${(err as Error).message})`)
  }
}

export function loadCampaignFile(file: string): CampaignConfig {
  const { json, shown } = readJsonFile(file)
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

/**
 * The questionnaire of a campaign: campaigns/<folder>/questionnaire.json, or the one of the folder
 * named by `questionnaireFrom`. Its campaignId is the campaign's own; validated like the campaign.
 */
export function loadQuestionnaire(
  campaign: CampaignConfig,
  dir: string = CAMPAIGNS_DIR,
): Questionnaire | null {
  const folder =
    campaign.questionnaireFrom ??
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .find((name) => {
        const file = path.join(dir, name, 'campaign.json')
        return existsSync(file) && loadCampaignFile(file).id === campaign.id
      })
  if (!folder) return null
  const file = path.join(dir, folder, 'questionnaire.json')
  if (!existsSync(file)) {
    if (campaign.questionnaireFrom) {
      throw new CampaignDataError(
        `${path.relative(process.cwd(), file)}: missing (named by ${campaign.id})`,
      )
    }
    return null
  }
  const { json, shown } = readJsonFile(file)
  const parsed = questionnaireSchema.safeParse({ ...(json as object), campaignId: campaign.id })
  if (!parsed.success) {
    throw new CampaignDataError(`${shown}: invalid questionnaire\n${z.prettifyError(parsed.error)}`)
  }
  return parsed.data
}

/**
 * The folders a campaign's data files are looked up in: its own folder first, then the folder its
 * `questionnaireFrom` names (the demo reuses 2024's questionnaire, draw table and rewards).
 */
function dataFolders(campaign: CampaignConfig, dir: string): string[] {
  const own = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .find((name) => {
      const file = path.join(dir, name, 'campaign.json')
      return existsSync(file) && loadCampaignFile(file).id === campaign.id
    })
  return [own, campaign.questionnaireFrom].filter((f): f is string => f !== undefined)
}

/**
 * A campaign data file (`draw-table.json`, `rewards.json`) from the first of the campaign's
 * folders that has it, validated with `schema`; null when none has it.
 */
export function loadCampaignData<S extends z.ZodType>(
  campaign: CampaignConfig,
  fileName: string,
  schema: S,
  dir: string = CAMPAIGNS_DIR,
): z.output<S> | null {
  for (const folder of dataFolders(campaign, dir)) {
    const file = path.join(dir, folder, fileName)
    if (!existsSync(file)) continue
    const { json, shown } = readJsonFile(file)
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      throw new CampaignDataError(`${shown}: invalid ${fileName}\n${z.prettifyError(parsed.error)}`)
    }
    return parsed.data
  }
  return null
}

/** The draw table of a campaign (draw-table.json), validated by core's rules; null if none. */
export function loadDrawTable(
  campaign: CampaignConfig,
  dir: string = CAMPAIGNS_DIR,
): DrawTable | null {
  return loadCampaignData(campaign, 'draw-table.json', drawTableSchema, dir)
}
