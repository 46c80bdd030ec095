// Display logic and section validation. The server is the authority; the mini-program runs the
// same code for instant feedback, so messages are the Chinese the respondent sees.
import { isRegionAnswer, otherKey } from './answers'
import type {
  AnswerValue,
  Condition,
  Question,
  RegionAnswer,
  Section,
  SectionAnswers,
  Version,
  Visibility,
} from './model'

/** Per section, computed once: the keys its answers may use, and each question's "other" key. */
interface SectionKeys {
  known: Set<string>
  other: Map<string, string>
}

const sectionKeys = new WeakMap<Section, SectionKeys>()

function regionOnly(r: RegionAnswer): RegionAnswer {
  const { provinceCode, provinceName, cityCode, cityName } = r
  return { provinceCode, provinceName, cityCode, cityName }
}

function keysOf(section: Section): SectionKeys {
  let keys = sectionKeys.get(section)
  if (!keys) {
    keys = { known: new Set(), other: new Map() }
    for (const q of section.questions) {
      keys.known.add(q.id).add(otherKey(q.id))
      keys.other.set(q.id, otherKey(q.id))
    }
    sectionKeys.set(section, keys)
  }
  return keys
}

/** Answers of the whole response so far, by question id (ids are unique within a version). */
export type AllAnswers = Readonly<Record<string, AnswerValue | undefined>>

function holds(c: Condition, answers: AllAnswers): boolean {
  const v = answers[c.question]
  switch (c.op) {
    case 'answered':
      return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)
    case 'equals':
      return v === c.value
    case 'notEquals':
      return v !== undefined && v !== c.value
    case 'in':
      return (typeof v === 'string' || typeof v === 'number') && (c.values ?? []).includes(v)
    case 'includes':
      return Array.isArray(v) && typeof c.value === 'string' && v.includes(c.value)
    case 'gte':
      return typeof v === 'number' && typeof c.value === 'number' && v >= c.value
    case 'lte':
      return typeof v === 'number' && typeof c.value === 'number' && v <= c.value
  }
}

export function isVisible(visibleIf: Visibility | undefined, answers: AllAnswers): boolean {
  if (!visibleIf) return true
  const all = visibleIf.all ?? []
  const any = visibleIf.any ?? []
  return (
    all.every((c) => holds(c, answers)) && (any.length === 0 || any.some((c) => holds(c, answers)))
  )
}

/** The questions of `section` shown for these answers, in order (later questions see earlier ones). */
export function visibleQuestions(section: Section, answers: AllAnswers): Question[] {
  return section.questions.filter((q) => isVisible(q.visibleIf, answers))
}

/** The sections offered to a respondent, given the main section's answers. */
export function visibleSections(version: Version, answers: AllAnswers): Section[] {
  return version.sections.filter((s) => isVisible(s.visibleIf, answers))
}

export type FieldErrorCode =
  | 'required'
  | 'invalid'
  | 'too_few'
  | 'too_many'
  | 'exclusive'
  | 'other_required'
  | 'too_long'
  | 'too_short'
  | 'out_of_range'
  | 'not_integer'
  | 'unknown_question'

export interface FieldError {
  code: FieldErrorCode
  message: string
  /** unknown_question only: how many keys did not belong to the section. */
  count?: number
}

/**
 * The per-question errors a VALIDATION_FAILED reply carries (`details.errors`: question id →
 * FieldError), or null when `details` holds none in that shape.
 */
export function fieldErrorsFrom(details: unknown): Record<string, FieldError> | null {
  const errors = (details as { errors?: unknown } | null | undefined)?.errors
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return null
  for (const e of Object.values(errors)) {
    const f = e as Partial<FieldError> | null
    if (typeof f !== 'object' || f === null) return null
    if (typeof f.code !== 'string' || typeof f.message !== 'string') return null
  }
  return errors as Record<string, FieldError>
}

/**
 * Where the one error for keys that belong to no question of the section goes: never a question
 * id (ids start with a letter). One error with a count, not one per key, so that a reply never
 * grows with what the caller sent.
 */
export const UNKNOWN_ANSWERS_KEY = '_unknown'

export interface SectionValidation {
  ok: boolean
  /** question id → the first problem with its answer. */
  errors: Record<string, FieldError>
  /** The answers to keep: only shown questions, trimmed texts, no stray keys. */
  answers: SectionAnswers
  /** Ids of the questions shown, in order (quality screening counts them). */
  shown: string[]
}

const err = (code: FieldErrorCode, message: string): FieldError => ({ code, message })

function isEmpty(v: AnswerValue | null | undefined): boolean {
  return (
    v === undefined ||
    v === null || // a cleared answer in a client draft
    (typeof v === 'string' && v.trim() === '') ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && v !== null && Object.keys(v).length === 0)
  )
}

function checkOne(q: Question, v: AnswerValue, other: AnswerValue | undefined): FieldError | null {
  switch (q.type) {
    case 'single': {
      const opt = typeof v === 'string' ? q.options.find((o) => o.value === v) : undefined
      if (!opt) return err('invalid', '请选择一个选项')
      if (opt.other && (typeof other !== 'string' || other.trim() === ''))
        return err('other_required', '请填写“其他”的具体内容')
      return null
    }
    case 'multiple': {
      if (!Array.isArray(v) || new Set(v).size !== v.length) return err('invalid', '请选择选项')
      const opts = v.map((x) => q.options.find((o) => o.value === x))
      if (opts.some((o) => !o)) return err('invalid', '包含无效选项')
      if (v.length > 1 && opts.some((o) => o?.exclusive))
        return err('exclusive', '该选项不能与其他选项同时选择')
      if (v.length < q.min) return err('too_few', `请至少选择 ${q.min} 项`)
      if (q.max !== undefined && v.length > q.max) return err('too_many', `最多选择 ${q.max} 项`)
      if (opts.some((o) => o?.other) && (typeof other !== 'string' || other.trim() === '')) {
        return err('other_required', '请填写“其他”的具体内容')
      }
      return null
    }
    case 'rating':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5
        ? null
        : err('invalid', '请选择评分')
    case 'matrix': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || 'provinceCode' in v)
        return err('invalid', '请为每一项评分')
      const m = v as Record<string, number>
      if (Object.keys(m).some((k) => !q.rows.some((r) => r.id === k)))
        return err('invalid', '包含无效的评分项')
      const missing = q.rows.filter(
        (r) =>
          !(
            typeof m[r.id] === 'number' &&
            Number.isInteger(m[r.id]) &&
            m[r.id]! >= 1 &&
            m[r.id]! <= 5
          ),
      )
      return missing.length ? err('required', `请为“${missing[0]!.label}”评分`) : null
    }
    case 'text': {
      if (typeof v !== 'string') return err('invalid', '请输入文字')
      const len = [...v.trim()].length
      if (len > q.maxLength) return err('too_long', `最多 ${q.maxLength} 字`)
      if (len < q.minLength) return err('too_short', `至少 ${q.minLength} 字`)
      return null
    }
    case 'region':
      return isRegionAnswer(v) ? null : err('invalid', '请选择所在省份和城市')
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return err('invalid', '请输入数字')
      if (q.integer && !Number.isInteger(v)) return err('not_integer', '请输入整数')
      if (v < q.min || v > q.max) return err('out_of_range', `请输入 ${q.min}–${q.max} 之间的数字`)
      return null
    }
  }
}

/**
 * Validate one section's answers against the questions shown for them. `earlier` holds answers
 * from previously submitted sections (display logic may depend on them).
 */
export function validateSection(
  section: Section,
  raw: SectionAnswers,
  earlier: AllAnswers = {},
): SectionValidation {
  const errors: Record<string, FieldError> = {}
  const answers: SectionAnswers = {}
  const shown: string[] = []
  const { known, other: otherKeys } = keysOf(section)
  let unknown = 0
  for (const k of Object.keys(raw)) if (!known.has(k)) unknown++
  if (unknown > 0) {
    errors[UNKNOWN_ANSWERS_KEY] = {
      ...err('unknown_question', `有 ${unknown} 个答案不属于本部分的问题`),
      count: unknown,
    }
  }
  // Questions are walked in order so that a question's visibility sees only earlier answers.
  const context: Record<string, AnswerValue | undefined> = { ...earlier }
  for (const q of section.questions) {
    if (!isVisible(q.visibleIf, context)) continue
    shown.push(q.id)
    const v = raw[q.id]
    if (isEmpty(v)) {
      if (q.required) errors[q.id] = err('required', '此题为必答题')
      continue
    }
    const otherId = otherKeys.get(q.id)!
    const other = raw[otherId]
    const problem = checkOne(q, v as AnswerValue, other)
    if (problem) {
      errors[q.id] = problem
      continue
    }
    // Texts trimmed; a region keeps exactly its four fields (answers are stored as kept).
    const kept =
      typeof v === 'string'
        ? v.trim()
        : q.type === 'region'
          ? regionOnly(v as RegionAnswer)
          : (v as AnswerValue)
    answers[q.id] = kept
    context[q.id] = kept
    const usesOther =
      (q.type === 'single' && q.options.some((o) => o.other && o.value === v)) ||
      (q.type === 'multiple' &&
        Array.isArray(v) &&
        q.options.some((o) => o.other && v.includes(o.value)))
    if (usesOther && typeof other === 'string') {
      if ([...other.trim()].length > 100) errors[q.id] = err('too_long', '“其他”内容最多 100 字')
      else answers[otherId] = other.trim()
    }
  }
  return { ok: Object.keys(errors).length === 0, errors, answers, shown }
}
