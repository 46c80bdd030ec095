// The decision a submission of one section takes once its answers validated: screen it, apply the
// valid-sample rule (a topic after an invalid main never counts), and grant draw chances. Pure: the
// use case (server/survey.ts) loads the response, asks this, and writes what it says.
import { chancesForSection } from './chances'
import type { ChanceRule, QualityConfig } from './model'
import { screenSection, type QualityFlag, type QualityInput, type QualitySignals } from './quality'
import { sectionCounts } from './sample'

export interface SectionDecisionInput extends QualityInput {
  /** Whether the response's main section is valid (ignored when this is the main section). */
  mainValid: boolean
  /** Draw chances the response earned before this section. */
  chancesSoFar: number
  rule: ChanceRule
}

export interface SectionDecision {
  /** Whether the section counts as valid (the valid-sample rule applied, not only its own screening). */
  counts: boolean
  flags: QualityFlag[]
  reasons: Partial<Record<QualityFlag, string>>
  signals: QualitySignals
  /** Draw chances this section grants (0 unless it counts; never past the cap). */
  chances: number
}

export function decideSection(input: SectionDecisionInput, config: QualityConfig): SectionDecision {
  const kind = input.section.kind
  const screened = screenSection(input, config)
  const { counts, reason } = sectionCounts(kind, screened.valid, input.mainValid)
  const flags = reason ? [...screened.flags, reason] : screened.flags
  const reasons = reason
    ? { ...screened.reasons, [reason]: 'the main section is not a valid sample' }
    : screened.reasons
  return {
    counts,
    flags,
    reasons,
    signals: screened.signals,
    chances: chancesForSection(input.rule, kind, counts, input.chancesSoFar),
  }
}
