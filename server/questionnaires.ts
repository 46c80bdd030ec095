// Questionnaires as the functions see them: one document per campaign in `questionnaires`
// (seeded from campaigns/<folder>/questionnaire.json), validated once and kept per instance.
import { questionnaireSchema, type CampaignConfig, type Questionnaire } from 'wal-core'
import { AppError } from './app-error'
import { listCampaigns } from './campaigns'
import { getDb, readDoc } from './db'

export const QUESTIONNAIRES_COLLECTION = 'questionnaires'

/**
 * Configuration changes rarely and every submission needs it, so a function instance keeps it for
 * a short while: reads (billed) drop from two per call to two per instance per TTL. Window checks
 * still use the request's own clock.
 */
const CONFIG_TTL_MS = 30_000

interface Cached<T> {
  value: T
  at: number
}
let campaignsCache: Cached<CampaignConfig[]> | undefined
const questionnaireCache = new Map<string, Cached<Questionnaire>>()

/** Forget cached configuration (tests that re-seed; an operator's change reaches within the TTL). */
export function clearConfigCache(): void {
  campaignsCache = undefined
  questionnaireCache.clear()
}

export async function cachedCampaigns(): Promise<CampaignConfig[]> {
  const t = Date.now()
  if (!campaignsCache || t - campaignsCache.at > CONFIG_TTL_MS) {
    campaignsCache = { value: await listCampaigns(), at: t }
  }
  return campaignsCache.value
}

export async function questionnaireFor(campaignId: string): Promise<Questionnaire> {
  const t = Date.now()
  const hit = questionnaireCache.get(campaignId)
  if (hit && t - hit.at <= CONFIG_TTL_MS) return hit.value
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
  questionnaireCache.set(campaignId, { value: parsed.data, at: t })
  return parsed.data
}
