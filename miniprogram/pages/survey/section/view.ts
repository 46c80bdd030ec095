// The section page's view of a section: one item per question with its answer, visibility,
// number and error, and the progress shown in the sticky header.
import {
  isVisible,
  otherKey,
  type AllAnswers,
  type AnswerValue,
  type FieldError,
  type Question,
  type Section,
} from 'wal-core'
import { compactAnswers, type DraftAnswers } from '../../../utils/survey-store'

export interface Item {
  /** The question id (the template's wx:key). */
  id: string
  question: Question
  visible: boolean
  /** 1-based among the visible questions; 0 when hidden. */
  number: number
  value: AnswerValue | null
  other: string
  error: string
}

/** Visibility and numbering for these answers, walking the questions in order. */
function layout(
  section: Section,
  answers: DraftAnswers,
  earlier: AllAnswers,
): Array<{ visible: boolean; number: number }> {
  const context: AllAnswers = { ...earlier, ...compactAnswers(answers) }
  let shown = 0
  return section.questions.map((q) => {
    const visible = isVisible(q.visibleIf, context)
    if (visible) shown += 1
    return { visible, number: visible ? shown : 0 }
  })
}

export function buildItems(section: Section, answers: DraftAnswers, earlier: AllAnswers): Item[] {
  const placed = layout(section, answers, earlier)
  return section.questions.map((question, i) => {
    const other = answers[otherKey(question.id)]
    return {
      id: question.id,
      question,
      ...placed[i]!,
      value: answers[question.id] ?? null,
      other: typeof other === 'string' ? other : '',
      error: '',
    }
  })
}

/**
 * The items after `answers` changed: values, "please specify" texts, visibility and numbering.
 * Errors stay, except on the question whose answer changed (`changedId`).
 */
export function withAnswers(
  section: Section,
  items: readonly Item[],
  answers: DraftAnswers,
  earlier: AllAnswers,
  changedId: string | null,
): Item[] {
  const fresh = buildItems(section, answers, earlier)
  return fresh.map((item, i) => ({
    ...item,
    error: item.id === changedId ? '' : (items[i]?.error ?? ''),
  }))
}

const ITEM_FIELDS = ['value', 'other', 'error', 'visible', 'number'] as const

/** setData paths for what differs between two lists of the same questions. */
export function itemChanges(prev: readonly Item[], next: readonly Item[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {}
  next.forEach((item, i) => {
    const before = prev[i]
    for (const field of ITEM_FIELDS) {
      if (JSON.stringify(before?.[field]) !== JSON.stringify(item[field])) {
        changes[`items[${i}].${field}`] = item[field]
      }
    }
  })
  return changes
}

/** Has this question an answer a respondent would call complete (for the progress count)? */
function isAnswered(q: Question, value: AnswerValue | null | undefined): boolean {
  if (value === null || value === undefined || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (q.type === 'matrix') {
    const rated = value as Record<string, number>
    return q.rows.every((r) => typeof rated[r.id] === 'number')
  }
  return true
}

export function progressOf(items: readonly Item[]): { answered: number; total: number } {
  const visible = items.filter((i) => i.visible)
  return {
    answered: visible.filter((i) => isAnswered(i.question, i.value)).length,
    total: visible.length,
  }
}

/** The items with `errors` shown on them (and no other error). */
export function withErrors(
  items: readonly Item[],
  errors: Readonly<Record<string, FieldError>>,
): Item[] {
  return items.map((item) => ({ ...item, error: errors[item.id]?.message ?? '' }))
}

/** The first visible question with an error, to scroll to. */
export function firstError(
  items: readonly Item[],
  errors: Readonly<Record<string, FieldError>>,
): string | null {
  return items.find((i) => i.visible && errors[i.question.id])?.question.id ?? null
}
