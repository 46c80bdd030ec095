// Sample-quality screening (样本质量): speeders, patterned answering, missed attention items and
// contradictions invalidate a section; paradata and refused attempts are recorded as signals for
// review. A flagged section is stored as invalid: kept for the committee, never counted or rewarded.
import type { QualityConfig, RatingItemRef, Section, SectionAnswers } from './model'
import type { AllAnswers } from './validate'

/** Why a section was not counted. `main_invalid`: a topic answered after an invalid main section. */
export type QualityFlag =
  'speeder' | 'straight_lining' | 'inattentive' | 'contradiction' | 'main_invalid'

/** What the client measured while the section was on screen (bounded by core/survey.ts). */
export interface Paradata {
  /** Milliseconds the section was visible before it was submitted. */
  visibleMs: number
  /** Per question: ms from the section appearing to its first answer, and how often it changed. */
  questions: Record<string, { firstMs: number; changes: number }>
}

/** Recorded with every section and reported; screening uses them only where configured. */
export interface QualitySignals {
  /** Refused submissions of this section before it was accepted (typos, missing answers). */
  rejectedAttempts: number
  /** More refusals than the configured review mark. */
  manyRejections: boolean
  /** The client's paradata, summarised; null when the client sent none. */
  paradata: {
    visibleMs: number
    /** Latest first answer, ms after the section appeared. */
    answeringMs: number
    changes: number
    /** Answered questions the paradata covers. */
    covered: number
    /** The client's times fit the server's own clock (within the configured slack). */
    plausible: boolean
    /** Visible for less than the speed floor (judged only when plausible). */
    fast: boolean
  } | null
}

export interface QualityInput {
  section: Section
  /** Validated answers of this section. */
  answers: SectionAnswers
  /** Ids of the questions shown in this section. */
  shown: readonly string[]
  /** Answers from earlier sections (contradictions and reverse pairs may span sections). */
  earlier: AllAnswers
  /** Time since the respondent started or last submitted, measured by the server. */
  durationMs: number
  /** Submissions of this section the server refused before this one. */
  rejectedAttempts: number
  /** The client's measurements, if it sent any. */
  paradata?: Paradata | undefined
}

export interface QualityResult {
  valid: boolean
  flags: QualityFlag[]
  /** Per flag, a short machine-readable reason for the committee. */
  reasons: Partial<Record<QualityFlag, string>>
  signals: QualitySignals
}

function ratingItems(section: Section, answers: SectionAnswers): number[] {
  const out: number[] = []
  for (const q of section.questions) {
    const v = answers[q.id]
    if (q.type === 'rating' && typeof v === 'number') out.push(v)
    if (q.type === 'matrix' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const row of q.rows) {
        const r = (v as Record<string, number>)[row.id]
        if (typeof r === 'number') out.push(r)
      }
    }
  }
  return out
}

function ratingOf(all: AllAnswers, ref: RatingItemRef): number | null {
  const v = all[ref.question]
  if (ref.row === undefined) return typeof v === 'number' ? v : null
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null
  const r = (v as Record<string, unknown>)[ref.row]
  return typeof r === 'number' ? r : null
}

/** The share of `items` on their most common point (0 for none). */
export function modalShare(items: readonly number[]): number {
  if (items.length === 0) return 0
  const counts = new Map<number, number>()
  for (const x of items) counts.set(x, (counts.get(x) ?? 0) + 1)
  return Math.max(...counts.values()) / items.length
}

/** Whether `items` sit on one point, by the size band that applies to their count. */
export function isUniform(items: readonly number[], config: QualityConfig): boolean {
  const band = [...config.patterns.uniform]
    .sort((a, b) => b.minItems - a.minItems)
    .find((b) => items.length >= b.minItems)
  return band !== undefined && modalShare(items) >= band.share
}

function summariseParadata(
  p: Paradata | undefined,
  answers: SectionAnswers,
  durationMs: number,
  minMs: number,
  config: QualityConfig,
): QualitySignals['paradata'] {
  if (!p) return null
  const slack = config.paradata.slackMs
  const entries = Object.entries(p.questions).filter(([id]) => id in answers)
  const answeringMs = entries.reduce((m, [, q]) => Math.max(m, q.firstMs), 0)
  const plausible =
    p.visibleMs <= durationMs + slack && entries.every(([, q]) => q.firstMs <= p.visibleMs + slack)
  return {
    visibleMs: p.visibleMs,
    answeringMs,
    changes: entries.reduce((n, [, q]) => n + q.changes, 0),
    covered: entries.length,
    plausible,
    fast: plausible && p.visibleMs < minMs,
  }
}

export function screenSection(input: QualityInput, config: QualityConfig): QualityResult {
  const flags: QualityFlag[] = []
  const reasons: QualityResult['reasons'] = {}
  const flag = (f: QualityFlag, reason: string) => {
    if (!flags.includes(f)) flags.push(f)
    reasons[f] = [reasons[f], reason].filter(Boolean).join('; ')
  }

  // Speed: the server's own elapsed time is the floor; paradata adds to it only when configured.
  const minMs = config.minSecondsPerQuestion * 1000 * input.shown.length
  if (input.durationMs < minMs) {
    flag(
      'speeder',
      `${Math.round(input.durationMs / 1000)}s < ${Math.round(minMs / 1000)}s for ${input.shown.length} questions`,
    )
  }
  const paradata = summariseParadata(input.paradata, input.answers, input.durationMs, minMs, config)
  if (paradata?.fast && config.paradata.invalidateOnSpeed) {
    flag('speeder', `visible ${Math.round(paradata.visibleMs / 1000)}s by the client's paradata`)
  }

  const all: AllAnswers = { ...input.earlier, ...input.answers }
  const inSection = new Set(Object.keys(input.answers))
  // A rule that spans sections is judged once, in the section that completes it.
  const completes = (...questions: string[]) => questions.some((q) => inSection.has(q))

  for (const a of config.patterns.attention) {
    if (!inSection.has(a.item.question)) continue
    const got = ratingOf(all, a.item)
    if (got !== null && got !== a.expect) flag('inattentive', `${a.id}: ${got} ≠ ${a.expect}`)
  }

  if (isUniform(ratingItems(input.section, input.answers), config)) {
    for (const pair of config.patterns.reversePairs) {
      if (!completes(pair.a.question, pair.b.question)) continue
      const a = ratingOf(all, pair.a)
      const b = ratingOf(all, pair.b)
      if (a === null || b === null) continue
      const gap = Math.abs(a + b - 6)
      if (gap >= config.patterns.reverseMinGap) flag('straight_lining', `${pair.id}: ${a}/${b}`)
    }
  }

  const matches = (question: string, values: ReadonlyArray<string | number>) => {
    const v = all[question]
    if (Array.isArray(v)) return v.some((x) => values.includes(x))
    return (typeof v === 'string' || typeof v === 'number') && values.includes(v)
  }
  for (const c of config.contradictions) {
    if (!completes(c.a.question, c.b.question)) continue
    if (matches(c.a.question, c.a.values) && matches(c.b.question, c.b.values)) {
      flag('contradiction', c.id)
    }
  }

  return {
    valid: flags.length === 0,
    flags,
    reasons,
    signals: {
      rejectedAttempts: input.rejectedAttempts,
      manyRejections: input.rejectedAttempts > config.reviewRejectedAttempts,
      paradata,
    },
  }
}

/** The kind of check that failed, as the respondent reads it (过快 / 选项雷同 / 前后矛盾 …). */
export const QUALITY_FLAG_LABELS: Readonly<Record<QualityFlag, string>> = {
  speeder: '作答过快',
  straight_lining: '选项雷同',
  inattentive: '未按题目提示作答',
  contradiction: '前后矛盾',
  main_invalid: '主问卷未计入有效样本',
}

/** The polite message a respondent sees when a section was not counted (never a raw code). */
export function invalidSectionMessage(
  kind: 'main' | 'topic',
  flags: readonly QualityFlag[],
): string {
  if (flags.includes('main_invalid')) {
    return '感谢参与！由于主问卷未计入有效样本，本专题的作答已保存，但不计入有效样本，也不产生抽奖机会。'
  }
  const kinds = flags.map((f) => QUALITY_FLAG_LABELS[f]).join('、') || '作答异常'
  const after =
    kind === 'main'
      ? '本次作答未计入有效样本，也不产生抽奖机会。'
      : '本专题未计入有效样本，也不产生抽奖机会；认真作答其他专题仍可获得机会。'
  return `感谢参与！系统检测到本部分${kinds}，${after}`
}
