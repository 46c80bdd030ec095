// The contract of the `survey` cloud function: inputs the server validates and replies it checks
// before sending them (the mini-program imports their types only).
import { z } from 'zod'
import { versionIdSchema } from './campaign'
import { SCENE_MAX_LENGTH } from './codes'
import { sectionAnswersSchema, versionSchema } from './questionnaire/model'

export const requestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId: 8–64 of A-Z a-z 0-9 _ -')

/**
 * Share-code scene from a mini-program code (wxacode scene, ≤ 32 visible characters). Bounded
 * far above that, not at it: a longer or malformed scene (a hand-edited link, an old code) must
 * not stop a person from starting — the survey function ignores any scene that is not a code it
 * knows, with an attributionWarning.
 */
export const sceneSchema = z.string().max(SCENE_MAX_LENGTH).optional()

const DAY_MS = 86_400_000
/** At most this many questions in one section's paradata (a section has a few dozen). */
export const PARADATA_MAX_QUESTIONS = 100

const paradataQuestionsSchema = z
  .custom<Record<string, unknown>>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.keys(v).length <= PARADATA_MAX_QUESTIONS,
    { error: `paradata.questions: an object of at most ${PARADATA_MAX_QUESTIONS} questions` },
  )
  .pipe(
    z.record(
      z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
      z.object({
        firstMs: z.number().int().min(0).max(DAY_MS),
        changes: z.number().int().min(0).max(1000),
      }),
    ),
  )

/**
 * What the client measured while a section was on screen (see core/questionnaire/quality.ts
 * Paradata): bounded in size, checked against the server's clock, stored with the section.
 */
export const paradataSchema = z.object({
  visibleMs: z.number().int().min(0).max(DAY_MS),
  questions: paradataQuestionsSchema,
})

export const surveyInputs = {
  getQuestionnaire: z.object({ version: versionIdSchema }),
  start: z.object({ version: versionIdSchema, scene: sceneSchema, requestId: requestIdSchema }),
  submitSection: z.object({
    sectionId: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
    answers: sectionAnswersSchema,
    paradata: paradataSchema.optional(),
    requestId: requestIdSchema,
  }),
  myResponse: z.object({}),
}

export const sectionStatusSchema = z.enum(['todo', 'valid', 'invalid'])
export type SectionStatus = z.infer<typeof sectionStatusSchema>

export const progressSchema = z.object({
  started: z.boolean(),
  campaignId: z.string(),
  version: versionIdSchema.nullable(),
  /** The sections offered to this respondent (display logic applied), in order. */
  sections: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['main', 'topic']),
      title: z.string(),
      status: sectionStatusSchema,
    }),
  ),
  chancesTotal: z.number().int(),
  chancesCap: z.number().int(),
  /** The next section to answer, or null when every offered section is done. */
  nextSectionId: z.string().nullable(),
})
export type Progress = z.infer<typeof progressSchema>

export const questionnaireReplySchema = z.object({
  campaignId: z.string(),
  version: versionSchema,
  chancesCap: z.number().int(),
})
export type QuestionnaireReply = z.infer<typeof questionnaireReplySchema>

export const startReplySchema = z.object({
  progress: progressSchema,
  /** Set when the respondent came through a share code the server did not know (ignored). */
  attributionWarning: z.string().nullable(),
})
export type StartReply = z.infer<typeof startReplySchema>

export const submitReplySchema = z.object({
  sectionId: z.string(),
  valid: z.boolean(),
  flags: z.array(z.string()),
  /** Polite explanation when the section was not counted; null when valid. */
  message: z.string().nullable(),
  /** The kinds of check that failed, in Chinese (作答过快, 选项雷同, 前后矛盾 …); empty when valid. */
  checks: z.array(z.string()),
  chancesGranted: z.number().int(),
  chancesTotal: z.number().int(),
  progress: progressSchema,
})
export type SubmitReply = z.infer<typeof submitReplySchema>
