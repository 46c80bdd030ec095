// The answers a question takes, checked by hand: the bounds on a section's answers, whether a value
// is an answer, a region answer, a section's answers, and the key of an "other" text. Zod-free:
// the mini-program ships it (validateSection runs on the device too); model.ts builds its answer
// schemas on these same checks.
import type { AnswerValue, RegionAnswer, SectionAnswers } from './model'

/**
 * Bounds on what a section's answers may hold, far above what a real one uses (a section has at
 * most a few dozen questions, each with an `__other` key; a matrix at most 12 rows), so a hostile
 * body is refused whole, cheaply, before any per-key work or reply is made for it.
 */
export const ANSWER_LIMITS = {
  /** Keys in a section's answers. */
  keys: 200,
  /** Characters of an answer key (question ids are ≤ 40, plus `__other`). */
  keyLength: 48,
  /** Characters of a text answer (a text question's maxLength is at most 2,000). */
  text: 2000,
  /** Choices in a multiple-choice answer, and characters of each. */
  choices: 20,
  choiceLength: 32,
  /** Keys of an object answer: a matrix's rows (≤ 12), a region's fields. */
  objectKeys: 20,
} as const

/** Whether an object answer has few enough keys. */
export const boundedObject = (o: object) => Object.keys(o).length <= ANSWER_LIMITS.objectKeys

const REGION_CODE = /^\d{6}$/

function isLengthBetween(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length >= min && v.length <= max
}

/**
 * Exactly `answerValueSchema.safeParse(v).success`, written out by hand: every submission checks
 * some thirty answers, and the union (tried option by option) costs ten times this.
 */
export function isAnswerValue(v: unknown): v is AnswerValue {
  if (typeof v === 'string') return v.length <= ANSWER_LIMITS.text
  if (typeof v === 'number') return Number.isFinite(v)
  if (typeof v !== 'object' || v === null) return false
  if (Array.isArray(v)) {
    return (
      v.length <= ANSWER_LIMITS.choices &&
      v.every((x) => typeof x === 'string' && x.length <= ANSWER_LIMITS.choiceLength)
    )
  }
  // A plain object of any realm (as zod's record accepts): not a Date, a Map, a class instance.
  const proto = Object.getPrototypeOf(v) as object | null
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return false
  const o = v as Record<string, unknown>
  if (!boundedObject(o)) return false
  if (Object.values(o).every((x) => typeof x === 'number' && Number.isFinite(x))) return true
  return isRegionAnswer(o)
}

/** Exactly `regionAnswerSchema.safeParse(v).success` (extra keys allowed), by hand. */
export function isRegionAnswer(v: unknown): v is RegionAnswer {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.provinceCode === 'string' &&
    REGION_CODE.test(o.provinceCode) &&
    isLengthBetween(o.provinceName, 2, 20) &&
    typeof o.cityCode === 'string' &&
    REGION_CODE.test(o.cityCode) &&
    isLengthBetween(o.cityName, 2, 30)
  )
}

/** The first thing wrong with a section's answers, or null (what sectionAnswersSchema checks). */
export function sectionAnswersProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'answers must be an object'
  // Counted before any key is looked at: a hostile body has tens of thousands.
  let count = 0
  for (const key in v) {
    if (++count > ANSWER_LIMITS.keys) return `answers has more than ${ANSWER_LIMITS.keys} keys`
    if (key.length > ANSWER_LIMITS.keyLength) {
      return `answer key ${JSON.stringify(key.slice(0, ANSWER_LIMITS.keyLength))}… is too long`
    }
  }
  for (const [key, value] of Object.entries(v)) {
    if (!isAnswerValue(value)) return `answers.${key} is not an answer value`
  }
  return null
}

/** Whether `v` is a section's answers (sectionAnswersProblem finds nothing wrong). */
export function isSectionAnswers(v: unknown): v is SectionAnswers {
  return sectionAnswersProblem(v) === null
}

/** The answer key of a question's "other, please specify" text. */
export function otherKey(questionId: string): string {
  return `${questionId}__other`
}
