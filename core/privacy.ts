// Personal information (PIPL): a campaign's retention period (the committee's number, from
// campaigns/<folder>/retention.json), when its responses are due for pseudonymisation, and the
// privacy function's contract — what a person can see of what is held about them, and deleting
// their personal information.
import { z } from 'zod'
import { defineContract } from './contract-kit'
import { requestIdSchema as requestId } from './survey'

/** campaigns/<folder>/retention.json: what the privacy notice promises. */
export const retentionFileSchema = z
  .object({
    /** Days after the collection window closes until responses are pseudonymised. */
    days: z.number().int().min(1).max(3650),
    /** The purposes the privacy notice names (shown to the person in 我的数据与隐私). */
    purposes: z.array(z.string().min(1)).min(1),
  })
  .strict()
export type RetentionFile = z.infer<typeof retentionFileSchema>

/** The `retentionPolicies` document of a campaign (_id = campaign id). */
export interface RetentionPolicy extends RetentionFile {
  campaignId: string
}

const DAY_MS = 86_400_000

/** When a campaign's responses are pseudonymised: the window's end plus the retention days. */
export function pseudonymiseAfter(windowEndsAt: string, days: number): Date {
  return new Date(Date.parse(windowEndsAt) + days * DAY_MS)
}

/** Whether the retention job should work on a campaign now. */
export function retentionDue(windowEndsAt: string, days: number, now: Date): boolean {
  return now.getTime() >= pseudonymiseAfter(windowEndsAt, days).getTime()
}

/** A pseudonym's form: `p-` and 32 hex characters (a keyed hash of the openid, server/privacy.ts). */
export const PSEUDONYM = /^p-[0-9a-f]{32}$/

export function isPseudonym(openid: string): boolean {
  return PSEUDONYM.test(openid)
}

/** A real name as shown back to its owner: first character and the rest masked. */
export function maskName(name: string): string {
  const chars = [...name]
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`
}

const kept = z.object({ what: z.string(), why: z.string() })

export const myDataSchema = z.object({
  responses: z.array(
    z.object({
      campaignId: z.string(),
      version: z.string(),
      startedAt: z.string(),
      sectionsSubmitted: z.number().int(),
      validSample: z.boolean().nullable(),
      chancesGranted: z.number().int(),
      /** When these answers lose their link to you (null: no retention set for the campaign). */
      pseudonymiseAfter: z.string().nullable(),
    }),
  ),
  points: z
    .object({
      balance: z.number().int(),
      entries: z.number().int(),
      userCode: z.string(),
      nickname: z.string().nullable(),
    })
    .nullable(),
  memberships: z.array(
    z.object({ nodeId: z.string(), role: z.string(), status: z.string(), displayName: z.string() }),
  ),
  reservations: z.array(z.object({ id: z.string(), itemTitle: z.string(), status: z.string() })),
  /** The real name given for a volunteer certificate, masked. */
  identity: z.object({ maskedName: z.string(), purpose: z.string() }).nullable(),
  purposes: z.array(z.string()),
})
export type MyData = z.infer<typeof myDataSchema>

export const deleteReplySchema = z.object({
  /** What went at once. */
  removed: z.array(z.string()),
  /** What stays, and why. */
  kept: z.array(kept),
})
export type DeleteReply = z.infer<typeof deleteReplySchema>

export const retentionRunSchema = z.object({
  campaigns: z.array(
    z.object({
      campaignId: z.string(),
      pseudonymised: z.number().int(),
      identitiesRemoved: z.number().int(),
      finished: z.boolean(),
    }),
  ),
})

export const privacyContract = defineContract('privacy', {
  /** What is held about the caller. */
  myData: { input: z.object({}), output: myDataSchema },
  /** The caller's personal information removed or pseudonymised at once; the reply says what stays. */
  deleteMe: {
    input: z.object({ requestId }),
    output: deleteReplySchema,
    mutating: true,
  },
  /** The timer's run (or an organiser's): campaigns past their retention pseudonymised, in batches. */
  retentionRun: { input: z.object({}), output: retentionRunSchema },
})
