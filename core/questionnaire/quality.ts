// Sample-quality screening (样本质量): speeders, straight-lining, contradictions, repeated attempts.
// A flagged section is stored as invalid: kept for the committee, never counted, never rewarded.
import type { QualityConfig, Section, SectionAnswers } from './model'
import type { AllAnswers } from './validate'

export type QualityFlag = 'speeder' | 'straight_lining' | 'contradiction' | 'repeated_attempts'

export interface QualityInput {
  section: Section
  /** Validated answers of this section. */
  answers: SectionAnswers
  /** Ids of the questions shown in this section. */
  shown: readonly string[]
  /** Answers from earlier sections (contradictions may span sections). */
  earlier: AllAnswers
  /** Time the respondent spent on the section, measured by the server. */
  durationMs: number
  /** Submissions of this section the server rejected before this one. */
  rejectedAttempts: number
}

export interface QualityResult {
  valid: boolean
  flags: QualityFlag[]
  /** Per flag, a short machine-readable reason for the committee. */
  reasons: Partial<Record<QualityFlag, string>>
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

export function screenSection(input: QualityInput, config: QualityConfig): QualityResult {
  const flags: QualityFlag[] = []
  const reasons: QualityResult['reasons'] = {}

  const minMs = config.minSecondsPerQuestion * 1000 * input.shown.length
  if (input.durationMs < minMs) {
    flags.push('speeder')
    reasons.speeder = `${Math.round(input.durationMs / 1000)}s < ${Math.round(minMs / 1000)}s for ${input.shown.length} questions`
  }

  const items = ratingItems(input.section, input.answers)
  if (items.length >= config.straightLineMinItems && items.every((x) => x === items[0])) {
    flags.push('straight_lining')
    reasons.straight_lining = `${items.length} rating items all ${items[0]}`
  }

  const all: AllAnswers = { ...input.earlier, ...input.answers }
  const matches = (question: string, values: ReadonlyArray<string | number>) => {
    const v = all[question]
    if (Array.isArray(v)) return v.some((x) => values.includes(x))
    return (typeof v === 'string' || typeof v === 'number') && values.includes(v)
  }
  const inSection = new Set(Object.keys(input.answers))
  for (const c of config.contradictions) {
    // Judge a pair once, in the section that completes it.
    if (!inSection.has(c.a.question) && !inSection.has(c.b.question)) continue
    if (matches(c.a.question, c.a.values) && matches(c.b.question, c.b.values)) {
      if (!flags.includes('contradiction')) flags.push('contradiction')
      reasons.contradiction = [reasons.contradiction, c.id].filter(Boolean).join(',')
    }
  }

  if (input.rejectedAttempts > config.maxRejectedAttempts) {
    flags.push('repeated_attempts')
    reasons.repeated_attempts = `${input.rejectedAttempts} rejected submissions`
  }

  return { valid: flags.length === 0, flags, reasons }
}

/** The polite message a respondent sees when a section was not counted. */
export const INVALID_SECTION_MESSAGE =
  '感谢参与！系统检测到本部分作答可能不够完整或过于匆忙，本部分未计入有效样本，也不产生抽奖机会。'
