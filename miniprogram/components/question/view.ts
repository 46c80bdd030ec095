// What the question component renders for one question and its current answer: plain data the
// template can bind to (WXML cannot call functions).
import { isRegionAnswer, type AnswerValue, type Question } from 'wal-core'
import { chosenOfMax, numberRange } from './strings'

export interface ChoiceOption {
  label: string
  value: string
  /**
   * TDesign draws a checkbox round like a radio unless told otherwise: a multiple choice gets
   * square marks ('rectangle'), so one answer and several answers look different.
   */
  icon?: 'rectangle'
}

/** One of the five points of a rating scale, with its label split over two short lines. */
export interface Point {
  point: number
  lines: string[]
  label: string
  selected: boolean
}

export interface MatrixRow {
  id: string
  label: string
  points: Point[]
}

export interface QuestionView {
  options: ChoiceOption[]
  /** single: the chosen value ('' for none); multiple: the chosen values. */
  single: string
  multiple: string[]
  /** The chosen option asks "please specify" (其他，请注明). */
  showOther: boolean
  points: Point[]
  rows: MatrixRow[]
  textValue: string
  /** "已选 m/n 项" for a multiple choice limited to n; the allowed range for a number. */
  hint: string
  regionText: string
  regionValue: string[]
}

/** "非常不满意" → ["非常", "不满意"]: a five-point chip is narrow, two short lines stay readable. */
export function splitLabel(label: string): string[] {
  const chars = Array.from(label)
  return chars.length >= 4 ? [chars.slice(0, 2).join(''), chars.slice(2).join('')] : [label]
}

function points(labels: readonly string[], chosen: unknown): Point[] {
  return labels.map((label, i) => ({
    point: i + 1,
    label,
    lines: splitLabel(label),
    selected: chosen === i + 1,
  }))
}

export function toQuestionView(q: Question | null, value: AnswerValue | null): QuestionView {
  const view: QuestionView = {
    options: [],
    single: '',
    multiple: [],
    showOther: false,
    points: [],
    rows: [],
    textValue: '',
    hint: '',
    regionText: '',
    regionValue: [],
  }
  if (!q) return view
  switch (q.type) {
    case 'single': {
      view.options = q.options.map((o) => ({ label: o.label, value: o.value }))
      view.single = typeof value === 'string' ? value : ''
      view.showOther = q.options.some((o) => o.other && o.value === view.single)
      break
    }
    case 'multiple': {
      view.options = q.options.map((o) => ({ label: o.label, value: o.value, icon: 'rectangle' }))
      view.multiple = Array.isArray(value) ? value : []
      view.showOther = q.options.some((o) => o.other && view.multiple.includes(o.value))
      if (q.max !== undefined) view.hint = chosenOfMax(view.multiple.length, q.max)
      break
    }
    case 'rating':
      view.points = points(q.labels, value)
      break
    case 'matrix': {
      const chosen =
        typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}
      view.rows = q.rows.map((r) => ({
        id: r.id,
        label: r.label,
        points: points(q.labels, (chosen as Record<string, number>)[r.id]),
      }))
      break
    }
    case 'text':
      view.textValue = typeof value === 'string' ? value : ''
      break
    case 'number':
      view.textValue = typeof value === 'number' || typeof value === 'string' ? String(value) : ''
      view.hint = numberRange(q.min, q.max, q.unit)
      break
    case 'region':
      // A draft restored from storage may hold anything: only a whole region is shown.
      if (isRegionAnswer(value)) {
        // Municipalities (北京市 北京市) read better once.
        view.regionText =
          value.provinceName === value.cityName
            ? value.cityName
            : `${value.provinceName} ${value.cityName}`
        view.regionValue = [value.provinceName, value.cityName]
      }
      break
  }
  return view
}

/**
 * A multiple-choice change as TDesign reports it (the new list), with exclusive options kept
 * alone: choosing "以上都没有" clears the others, choosing another clears "以上都没有".
 */
export function nextMultiple(
  q: Extract<Question, { type: 'multiple' }>,
  previous: readonly string[],
  next: readonly string[],
): string[] {
  const exclusive = new Set(q.options.filter((o) => o.exclusive).map((o) => o.value))
  const added = next.filter((v) => !previous.includes(v))
  if (added.some((v) => exclusive.has(v))) return added.filter((v) => exclusive.has(v)).slice(-1)
  if (added.length > 0) return next.filter((v) => !exclusive.has(v))
  return [...next]
}

/** What the number input holds, as an answer: a number when it reads as one. */
export function numberAnswer(raw: string): number | string | null {
  const trimmed = raw.trim()
  if (trimmed === '') return null
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : trimmed
}
