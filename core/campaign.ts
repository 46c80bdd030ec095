// Campaign configuration (data in campaigns/<id>/campaign.json) and window rules.
import { z } from 'zod'
import { VERSION_IDS } from './vocabulary'

export const versionIdSchema = z.enum(VERSION_IDS)

const isoInstant = z.iso.datetime({ offset: true })

export const campaignWindowSchema = z
  .object({
    /** First instant of collection (inclusive), ISO 8601 with offset, e.g. 2024-07-17T00:00:00+08:00. */
    startsAt: isoInstant,
    /** End of collection (exclusive): "07-26 24:00" is written 2024-07-27T00:00:00+08:00. */
    endsAt: isoInstant,
    timeZone: z.literal('Asia/Shanghai'),
  })
  .refine((w) => Date.parse(w.startsAt) < Date.parse(w.endsAt), {
    message: 'window must start before it ends',
  })
export type CampaignWindow = z.infer<typeof campaignWindowSchema>

export const campaignVersionSchema = z.object({
  id: versionIdSchema,
  title: z.string().min(1),
  audience: z.string().min(1),
})

export const campaignConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  year: z.number().int().min(2018).max(2100),
  name: z.string().min(1),
  organiser: z.string().min(1),
  slogan: z.string().min(1),
  window: campaignWindowSchema,
  versions: z.array(campaignVersionSchema).min(1),
  /** Data only: the campaigns/ folder whose questionnaire.json this campaign reuses (the demo uses 2024's). */
  questionnaireFrom: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
})
export type CampaignConfig = z.infer<typeof campaignConfigSchema>

export type WindowStatus = 'upcoming' | 'open' | 'closed'

/** Where `nowMs` falls relative to the window (start inclusive, end exclusive). */
export function windowStatus(window: CampaignWindow, nowMs: number): WindowStatus {
  if (nowMs < Date.parse(window.startsAt)) return 'upcoming'
  if (nowMs < Date.parse(window.endsAt)) return 'open'
  return 'closed'
}

/**
 * Which campaign the app shows: the open one; else the next to open; else the one that closed last.
 * Pure so that the function and tests agree on the choice.
 */
export function pickCurrentCampaign<T extends { window: CampaignWindow }>(
  campaigns: readonly T[],
  nowMs: number,
): { campaign: T; status: WindowStatus } | null {
  const open = campaigns.filter((c) => windowStatus(c.window, nowMs) === 'open')
  if (open.length > 0) {
    const latest = [...open].sort(
      (a, b) => Date.parse(b.window.startsAt) - Date.parse(a.window.startsAt),
    )[0]!
    return { campaign: latest, status: 'open' }
  }
  const upcoming = campaigns
    .filter((c) => windowStatus(c.window, nowMs) === 'upcoming')
    .sort((a, b) => Date.parse(a.window.startsAt) - Date.parse(b.window.startsAt))
  if (upcoming[0]) return { campaign: upcoming[0], status: 'upcoming' }
  const closed = [...campaigns].sort(
    (a, b) => Date.parse(b.window.endsAt) - Date.parse(a.window.endsAt),
  )
  return closed[0] ? { campaign: closed[0], status: 'closed' } : null
}

/** Reply of campaign.getCurrent. */
export const currentCampaignSchema = z.object({
  id: z.string(),
  year: z.number(),
  name: z.string(),
  organiser: z.string(),
  slogan: z.string(),
  window: z.object({ startsAt: z.string(), endsAt: z.string(), timeZone: z.string() }),
  versions: z.array(campaignVersionSchema),
  status: z.enum(['upcoming', 'open', 'closed']),
  serverTime: z.string(),
})
export type CurrentCampaign = z.infer<typeof currentCampaignSchema>
