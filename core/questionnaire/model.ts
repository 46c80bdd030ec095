// The questionnaire model: questions, sections (main + topics), versions, and the answers each
// question type takes. Data lives in campaigns/<id>/questionnaire.json and is checked by these schemas.
import { z } from 'zod'
import { versionIdSchema } from '../campaign'
import { ANSWER_LIMITS, boundedObject, sectionAnswersProblem } from './answers'

const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'ids are lower-case letters, digits and _')

/** A display condition on an earlier answer (any section of the same response). */
export const conditionSchema = z.object({
  question: idSchema,
  /**
   * equals / notEquals: single choice value, rating or number; in: one of `values`;
   * includes: a multiple-choice answer contains `value`; answered: any answer given.
   */
  op: z.enum(['equals', 'notEquals', 'in', 'includes', 'answered', 'gte', 'lte']),
  value: z.union([z.string(), z.number()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
})
export type Condition = z.infer<typeof conditionSchema>

/** Shown only when every condition in `all` holds and (if given) at least one in `any` holds. */
export const visibilitySchema = z
  .object({ all: z.array(conditionSchema).optional(), any: z.array(conditionSchema).optional() })
  .refine((v) => (v.all?.length ?? 0) + (v.any?.length ?? 0) > 0, 'visibleIf needs a condition')
export type Visibility = z.infer<typeof visibilitySchema>

export const optionSchema = z.object({
  value: z.string().regex(/^[a-z0-9_]{1,32}$/),
  label: z.string().min(1).max(60),
  /** "Other, please specify" (其他，请注明): choosing it requires a short text. */
  other: z.boolean().optional(),
  /** An option that cannot be combined with others in a multiple choice (e.g. 以上都没有). */
  exclusive: z.boolean().optional(),
})
export type Option = z.infer<typeof optionSchema>

const base = {
  id: idSchema,
  title: z.string().min(2).max(200),
  description: z.string().max(300).optional(),
  required: z.boolean().default(true),
  visibleIf: visibilitySchema.optional(),
}

const fivePointLabels = z.array(z.string().min(1).max(12)).length(5)

export const questionSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('single'), options: z.array(optionSchema).min(2).max(20) }),
  z.object({
    ...base,
    type: z.literal('multiple'),
    options: z.array(optionSchema).min(2).max(20),
    min: z.number().int().min(1).default(1),
    max: z.number().int().min(1).optional(),
  }),
  /** 5-point rating: 1 (worst) … 5 (best), with a label per point. */
  z.object({ ...base, type: z.literal('rating'), labels: fivePointLabels }),
  /** A grid of 5-point ratings, one per row. */
  z.object({
    ...base,
    type: z.literal('matrix'),
    rows: z
      .array(z.object({ id: idSchema, label: z.string().min(1).max(60) }))
      .min(2)
      .max(12),
    labels: fivePointLabels,
  }),
  /** Open text (e.g. suggestions, 意见建议); goes through the content-security check. */
  z.object({
    ...base,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(2000),
    minLength: z.number().int().min(0).default(0),
    placeholder: z.string().max(60).optional(),
  }),
  /** Province and city with administrative codes (from the mini-program region picker). */
  z.object({ ...base, type: z.literal('region') }),
  z.object({
    ...base,
    type: z.literal('number'),
    min: z.number(),
    max: z.number(),
    integer: z.boolean().default(true),
    unit: z.string().max(8).optional(),
  }),
])
export type Question = z.infer<typeof questionSchema>
export type QuestionType = Question['type']

export const sectionSchema = z.object({
  id: idSchema,
  kind: z.enum(['main', 'topic']),
  title: z.string().min(2).max(60),
  intro: z.string().max(300).optional(),
  visibleIf: visibilitySchema.optional(),
  questions: z.array(questionSchema).min(1),
})
export type Section = z.infer<typeof sectionSchema>

export const versionSchema = z
  .object({
    id: versionIdSchema,
    title: z.string().min(2),
    intro: z.string().max(500).optional(),
    sections: z.array(sectionSchema).min(1),
  })
  .superRefine((v, ctx) => {
    const mains = v.sections.filter((s) => s.kind === 'main')
    if (mains.length !== 1 || v.sections[0]?.kind !== 'main') {
      ctx.addIssue({ code: 'custom', message: 'a version starts with exactly one main section' })
    }
    const seen = new Set<string>()
    const sectionIds = new Set<string>()
    for (const s of v.sections) {
      if (sectionIds.has(s.id))
        ctx.addIssue({ code: 'custom', message: `duplicate section id ${s.id}` })
      sectionIds.add(s.id)
      for (const q of s.questions) {
        for (const c of [...(q.visibleIf?.all ?? []), ...(q.visibleIf?.any ?? [])]) {
          if (!seen.has(c.question)) {
            ctx.addIssue({
              code: 'custom',
              message: `${q.id} depends on ${c.question}, which is not asked before it`,
            })
          }
        }
        if (seen.has(q.id))
          ctx.addIssue({ code: 'custom', message: `duplicate question id ${q.id}` })
        seen.add(q.id)
        if (q.type === 'multiple' && q.max !== undefined && q.max < q.min) {
          ctx.addIssue({ code: 'custom', message: `${q.id}: max < min` })
        }
        if (q.type === 'number' && q.max <= q.min)
          ctx.addIssue({ code: 'custom', message: `${q.id}: max <= min` })
      }
    }
    // Section conditions may only refer to the main section (answered first).
    const mainIds = new Set(mains[0]?.questions.map((q) => q.id) ?? [])
    for (const s of v.sections) {
      for (const c of [...(s.visibleIf?.all ?? []), ...(s.visibleIf?.any ?? [])]) {
        if (!mainIds.has(c.question)) {
          ctx.addIssue({
            code: 'custom',
            message: `section ${s.id} depends on ${c.question}, not in the main section`,
          })
        }
      }
    }
  })
export type Version = z.infer<typeof versionSchema>

/** One rating item: a rating question, or one row of a matrix question. */
export const ratingItemRefSchema = z.object({ question: idSchema, row: idSchema.optional() })
export type RatingItemRef = z.infer<typeof ratingItemRefSchema>

/**
 * Patterned answering (选项雷同). A section whose rating items sit on one point is not flagged for
 * that alone — a uniform honest opinion exists. It is flagged when the uniform answers also
 * contradict a reverse-keyed pair (the same opinion asked in opposite directions), and any
 * section is flagged when it misses an instructed-response (attention) item.
 */
export const patternConfigSchema = z.object({
  /** Instructed-response items ("本行请选择「不满意」"), one per questionnaire version. */
  attention: z
    .array(
      z.object({
        id: idSchema,
        item: ratingItemRefSchema,
        expect: z.number().int().min(1).max(5),
      }),
    )
    .default([]),
  /** Pairs asked in opposite directions: a consistent respondent answers a ≈ 6 − b. */
  reversePairs: z
    .array(z.object({ id: idSchema, a: ratingItemRefSchema, b: ratingItemRefSchema }))
    .default([]),
  /** A pair is contradicted when |a + b − 6| reaches this (2: e.g. "safe" and "not worried" swapped). */
  reverseMinGap: z.number().int().min(1).max(4).default(2),
  /**
   * Thresholds per section size: a section with at least `minItems` rating items is uniform when
   * `share` of them sit on one point; the band with the largest `minItems` that fits applies.
   */
  uniform: z
    .array(z.object({ minItems: z.number().int().min(3), share: z.number().gt(0.5).max(1) }))
    .min(1)
    .default([
      { minItems: 5, share: 0.85 },
      { minItems: 10, share: 0.8 },
    ]),
})
export type PatternConfig = z.infer<typeof patternConfigSchema>

/** What is done with the client's paradata (time visible, first answers, changes per question). */
export const paradataConfigSchema = z.object({
  /** Default false: paradata is recorded and reported; only the server's own clock invalidates. */
  invalidateOnSpeed: z.boolean().default(false),
  /** Clock and network slack allowed when comparing the client's times to the server's. */
  slackMs: z.number().int().min(0).default(5000),
})
export type ParadataConfig = z.infer<typeof paradataConfigSchema>

/** Quality screening thresholds (组委会 can tune them per campaign). */
export const qualityConfigSchema = z.object({
  /** A section answered faster than this many seconds per shown question is a speeder. */
  minSecondsPerQuestion: z.number().min(0).default(2),
  patterns: patternConfigSchema.default(() => patternConfigSchema.parse({})),
  paradata: paradataConfigSchema.default(() => paradataConfigSchema.parse({})),
  /** Answer pairs that contradict each other. */
  contradictions: z
    .array(
      z.object({
        id: idSchema,
        a: z.object({
          question: idSchema,
          values: z.array(z.union([z.string(), z.number()])).min(1),
        }),
        b: z.object({
          question: idSchema,
          values: z.array(z.union([z.string(), z.number()])).min(1),
        }),
      }),
    )
    .default([]),
  /**
   * Refused submissions of one section beyond this are a signal for review (an honest user's
   * typos never invalidate a sample).
   */
  reviewRejectedAttempts: z.number().int().min(1).default(5),
})
export type QualityConfig = z.infer<typeof qualityConfigSchema>

/** Draw chances granted by valid sections (campaign-rules.md default; organisers can change it). */
export const chanceRuleSchema = z.object({
  main: z.number().int().min(0),
  perTopic: z.number().int().min(0),
  cap: z.number().int().min(0),
})
export type ChanceRule = z.infer<typeof chanceRuleSchema>

export const questionnaireSchema = z
  .object({
    campaignId: z.string(),
    versions: z.array(versionSchema).min(1),
    quality: qualityConfigSchema,
    chances: z.object({ public: chanceRuleSchema, practitioner: chanceRuleSchema }),
  })
  .superRefine((q, ctx) => {
    // Every item a pattern check names is a rating, or a row of a matrix, of this questionnaire.
    const items = new Set<string>()
    for (const v of q.versions)
      for (const s of v.sections)
        for (const question of s.questions) {
          if (question.type === 'rating') items.add(question.id)
          if (question.type === 'matrix')
            for (const row of question.rows) items.add(`${question.id}.${row.id}`)
        }
    const { attention, reversePairs } = q.quality.patterns
    const refs = attention.map((a) => ({ id: a.id, ref: a.item }))
    for (const p of reversePairs) refs.push({ id: p.id, ref: p.a }, { id: p.id, ref: p.b })
    for (const { id, ref } of refs) {
      const key = ref.row === undefined ? ref.question : `${ref.question}.${ref.row}`
      if (!items.has(key))
        ctx.addIssue({
          code: 'custom',
          message: `quality check ${id}: ${key} is not a rating item`,
        })
    }
  })
export type Questionnaire = z.infer<typeof questionnaireSchema>

// ------------------------------------------------------------------ answers

export const regionAnswerSchema = z.object({
  provinceCode: z.string().regex(/^\d{6}$/),
  provinceName: z.string().min(2).max(20),
  cityCode: z.string().regex(/^\d{6}$/),
  cityName: z.string().min(2).max(30),
})
export type RegionAnswer = z.infer<typeof regionAnswerSchema>

export const answerValueSchema = z.union([
  z.string().max(ANSWER_LIMITS.text), // single choice value, or open text
  z.number(), // rating (1–5) or number
  z.array(z.string().max(ANSWER_LIMITS.choiceLength)).max(ANSWER_LIMITS.choices), // multiple choice
  z.record(z.string(), z.number()).refine(boundedObject), // matrix: row id → 1–5
  regionAnswerSchema.loose().refine(boundedObject),
])
export type AnswerValue = z.infer<typeof answerValueSchema>

/**
 * A section's answers: question id → value; "other, please specify" texts under `<id>__other`.
 * The same rule as `z.record(z.string().max(48), answerValueSchema)` with at most
 * ANSWER_LIMITS.keys keys, checked by hand (answers.ts);
 * a region answer keeps any extra keys here, and validateSection keeps only its four fields.
 */
export const sectionAnswersSchema = z.custom<Record<string, AnswerValue>>(
  (v) => sectionAnswersProblem(v) === null,
  { error: (issue) => sectionAnswersProblem(issue.input) ?? 'invalid answers' },
)
export type SectionAnswers = Record<string, AnswerValue>
