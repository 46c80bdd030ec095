// The answer generator of the benchmarks (scripts/bench/answers.ts) against the shipped 2024
// questionnaire: what it produces validates, screens valid, and still varies like real answers.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  questionnaireSchema,
  screenSection,
  validateSection,
  visibleSections,
  type Section,
  type SectionAnswers,
  type VersionId,
} from 'wal-core'
import { seededRandom, validMainAnswers, validSectionAnswers } from '../../scripts/bench/answers'

const file = path.resolve(__dirname, '../../campaigns/2024/questionnaire.json')
const questionnaire = questionnaireSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1)

/** Flags screening raises for `answers` to `section` given after ten minutes. */
function flagsOf(section: Section, answers: SectionAnswers, earlier: SectionAnswers = {}) {
  const checked = validateSection(section, answers, earlier)
  return screenSection(
    {
      section,
      answers: checked.answers,
      shown: checked.shown,
      earlier,
      durationMs: 10 * 60_000,
      rejectedAttempts: 0,
    },
    questionnaire.quality,
  ).flags
}

describe.each<VersionId>(['public', 'practitioner'])('main section of the %s version', (id) => {
  const main = questionnaire.versions.find((v) => v.id === id)!.sections[0]!

  it('validates and screens valid for every seed', () => {
    for (const seed of SEEDS) {
      const answers = validMainAnswers(questionnaire, id, seededRandom(seed))
      const checked = validateSection(main, answers)
      expect({ seed, errors: checked.errors }).toEqual({ seed, errors: {} })
      // Every answer is one the server keeps: no hidden or stray questions.
      expect(Object.keys(checked.answers).sort()).toEqual(Object.keys(answers).sort())
      expect({ seed, flags: flagsOf(main, answers) }).toEqual({ seed, flags: [] })
    }
  })

  it('answers optional texts when asked to, still valid', () => {
    const answers = validMainAnswers(questionnaire, id, seededRandom(7), { optionalTexts: true })
    const text = main.questions.find((q) => q.type === 'text')!
    expect(typeof answers[text.id]).toBe('string')
    expect(validateSection(main, answers).ok).toBe(true)
  })

  it('varies: display logic branches are reached and answer sets differ', () => {
    const sets = SEEDS.map((seed) => validMainAnswers(questionnaire, id, seededRandom(seed)))
    expect(new Set(sets.map((a) => JSON.stringify(a))).size).toBe(SEEDS.length)
    const conditional = main.questions.filter((q) => q.visibleIf)
    expect(conditional.length).toBeGreaterThan(0)
    for (const q of conditional) expect(sets.some((a) => q.id in a)).toBe(true)
  })

  it('answers the offered topics after the main section without completing a contradiction', () => {
    const version = questionnaire.versions.find((v) => v.id === id)!
    for (const seed of SEEDS.slice(0, 50)) {
      const random = seededRandom(seed)
      const earlier: SectionAnswers = { ...validMainAnswers(questionnaire, id, random) }
      for (const topic of visibleSections(version, earlier).slice(1)) {
        const answers = validSectionAnswers(topic, questionnaire.quality, random, { earlier })
        expect({
          seed,
          topic: topic.id,
          errors: validateSection(topic, answers, earlier).errors,
        }).toEqual({ seed, topic: topic.id, errors: {} })
        expect({ seed, topic: topic.id, flags: flagsOf(topic, answers, earlier) }).toEqual({
          seed,
          topic: topic.id,
          flags: [],
        })
        Object.assign(earlier, answers)
      }
    }
  })

  it('is deterministic for a seed', () => {
    expect(validMainAnswers(questionnaire, id, seededRandom(42))).toEqual(
      validMainAnswers(questionnaire, id, seededRandom(42)),
    )
  })
})
