// The contract of the `survey` cloud function: inputs the server validates and replies the
// mini-program validates. Both sides import these schemas.
import { z } from 'zod'
import { versionIdSchema } from './campaign'
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
export const sceneSchema = z.string().max(512).optional()

export const surveyInputs = {
  getQuestionnaire: z.object({ version: versionIdSchema }),
  start: z.object({ version: versionIdSchema, scene: sceneSchema, requestId: requestIdSchema }),
  submitSection: z.object({
    sectionId: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
    answers: sectionAnswersSchema,
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
  chancesGranted: z.number().int(),
  chancesTotal: z.number().int(),
  progress: progressSchema,
})
export type SubmitReply = z.infer<typeof submitReplySchema>

/** Error codes of the survey function beyond the common ones (docs/api.md). */
export const SURVEY_ERRORS = {
  NOT_STARTED: '请先开始答题',
  VERSION_LOCKED: '你已选择了另一个问卷版本，版本确定后不能更改',
  SECTION_NOT_AVAILABLE: '该部分暂不可作答',
  SECTION_DONE: '该部分已提交，无需重复提交',
  VALIDATION_FAILED: '部分题目需要修改，请检查标红的题目',
} as const
export type SurveyErrorCode = keyof typeof SURVEY_ERRORS
