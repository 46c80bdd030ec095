// Patterned answering on the shipped 2024 questionnaire, both sides: uniform honest opinions pass,
// patterned clicking is flagged (main part and six-item topics alike); paradata signals; and the
// decision a submission takes (the valid-sample rule, chances) without a database.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  decideSection,
  invalidSectionMessage,
  isUniform,
  isValidSample,
  modalShare,
  qualityConfigSchema,
  questionnaireSchema,
  screenSection,
  sectionCounts,
  type Question,
  type Section,
  type SectionAnswers,
} from 'wal-core'

const file = path.resolve(__dirname, '../../campaigns/2024/questionnaire.json')
const questionnaire = questionnaireSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
const config = questionnaire.quality
const sectionOf = (version: string, id: string): Section =>
  questionnaire.versions.find((v) => v.id === version)!.sections.find((s) => s.id === id)!

/** Every rating item at `point`, except the overrides; other questions are not rated. */
function rated(section: Section, point: (q: Question, row?: string) => number): SectionAnswers {
  const out: SectionAnswers = {}
  for (const q of section.questions) {
    if (q.type === 'rating') out[q.id] = point(q)
    if (q.type === 'matrix')
      out[q.id] = Object.fromEntries(q.rows.map((r) => [r.id, point(q, r.id)]))
  }
  return out
}

const reverseItems = new Set(config.patterns.reversePairs.map((p) => p.b.question))
const screen = (section: Section, answers: SectionAnswers) =>
  screenSection(
    {
      section,
      answers,
      shown: section.questions.map((q) => q.id),
      earlier: {},
      durationMs: 600_000,
      rejectedAttempts: 0,
    },
    config,
  )

describe('the main part', () => {
  const main = sectionOf('public', 'main')

  it('passes a uniform honest opinion: 一般 everywhere, the attention row as asked', () => {
    const answers = rated(main, (_q, row) => (row === 'attention' ? 2 : 3))
    expect(screen(main, answers).flags).toEqual([])
  })

  it('passes a uniformly satisfied respondent who answers the reverse-keyed item consistently', () => {
    const answers = rated(main, (q, row) =>
      row === 'attention' ? 2 : reverseItems.has(q.id) ? 2 : 4,
    )
    expect(screen(main, answers).flags).toEqual([])
  })

  it.each([1, 2, 4, 5])('flags clicking %i on every item', (point) => {
    const flags = screen(
      main,
      rated(main, () => point),
    ).flags
    // 2 passes the attention row; the reverse-keyed pair catches it instead.
    expect(flags.length).toBeGreaterThan(0)
    for (const f of flags) expect(['straight_lining', 'inattentive']).toContain(f)
  })

  it('flags 一般 on every item, attention row included, as inattentive', () => {
    expect(
      screen(
        main,
        rated(main, () => 3),
      ).flags,
    ).toEqual(['inattentive'])
  })
})

describe('six-item topics', () => {
  const topics = questionnaire.versions.flatMap((v) =>
    v.sections.filter((s) => s.kind === 'topic').map((s) => [v.id, s.id] as const),
  )

  it.each(topics)('%s/%s: all 5s are caught, 一般 everywhere passes', (version, id) => {
    const section = sectionOf(version, id)
    expect(
      screen(
        section,
        rated(section, () => 5),
      ).flags,
    ).toEqual(['straight_lining'])
    expect(
      screen(
        section,
        rated(section, () => 1),
      ).flags,
    ).toEqual(['straight_lining'])
    expect(
      screen(
        section,
        rated(section, () => 3),
      ).flags,
    ).toEqual([])
  })

  it('a varied but contradictory respondent is not flagged for one pair alone', () => {
    const section = sectionOf('public', 'rule_of_law')
    let i = 0
    const answers = rated(section, (q) => (reverseItems.has(q.id) ? 5 : [5, 2, 4, 1, 3][i++ % 5]!))
    expect(screen(section, answers).flags).toEqual([])
  })
})

describe('size bands', () => {
  it('judges a section by the band that fits its number of items', () => {
    expect(modalShare([4, 4, 4, 4, 4, 4, 2])).toBeCloseTo(6 / 7)
    expect(isUniform([4, 4, 4, 4, 4, 4, 2], config)).toBe(true) // 5+ items: 85%
    expect(isUniform([4, 4, 4, 4, 4, 2], config)).toBe(false) // 5 of 6 < 85%
    expect(isUniform([4, 4, 4, 4], config)).toBe(false) // too few to judge
    expect(isUniform([4, 4, 4, 4, 4, 4, 4, 4, 2, 2], config)).toBe(true) // 10+: 80%
  })
})

describe('paradata', () => {
  const section = sectionOf('public', 'rule_of_law')
  const base = {
    section,
    answers: rated(section, (q) => (reverseItems.has(q.id) ? 2 : 4)),
    shown: section.questions.map((q) => q.id),
    earlier: {},
    durationMs: 60_000,
    rejectedAttempts: 0,
  }

  it('records a plausible fast page without invalidating it by default', () => {
    const r = screenSection({ ...base, paradata: { visibleMs: 2000, questions: {} } }, config)
    expect(r.valid).toBe(true)
    expect(r.signals.paradata).toMatchObject({ fast: true, plausible: true })
  })

  it('invalidates on paradata speed only when configured', () => {
    const strict = qualityConfigSchema.parse({ ...config, paradata: { invalidateOnSpeed: true } })
    const r = screenSection({ ...base, paradata: { visibleMs: 2000, questions: {} } }, strict)
    expect(r.flags).toEqual(['speeder'])
  })

  it('does not trust times the server did not see', () => {
    const r = screenSection(
      {
        ...base,
        paradata: {
          visibleMs: 50_000,
          questions: { t_law_effect: { firstMs: 90_000, changes: 1 } },
        },
      },
      config,
    )
    expect(r.signals.paradata).toMatchObject({ plausible: false, fast: false, covered: 1 })
    const late = screenSection({ ...base, paradata: { visibleMs: 70_000, questions: {} } }, config)
    expect(late.signals.paradata!.plausible).toBe(false) // 60 s elapsed + 5 s slack < 70 s
  })

  it('the server floor stays whatever the client says', () => {
    const r = screenSection(
      { ...base, durationMs: 1000, paradata: { visibleMs: 900_000, questions: {} } },
      config,
    )
    expect(r.flags).toEqual(['speeder'])
  })
})

describe('the valid-sample rule', () => {
  it('a topic counts only with a valid main', () => {
    expect(sectionCounts('main', true, false)).toEqual({ counts: true, reason: null })
    expect(sectionCounts('topic', true, true)).toEqual({ counts: true, reason: null })
    expect(sectionCounts('topic', true, false)).toEqual({ counts: false, reason: 'main_invalid' })
    expect(sectionCounts('topic', false, true)).toEqual({ counts: false, reason: null })
    expect(isValidSample({ sections: { main: { status: 'valid' } } }, 'main')).toBe(true)
    expect(isValidSample({ sections: { main: { status: 'invalid' } } }, 'main')).toBe(false)
    expect(isValidSample({ sections: {} }, 'main')).toBe(false)
  })

  const topic = sectionOf('public', 'rule_of_law')
  const decide = (mainValid: boolean, chancesSoFar: number) =>
    decideSection(
      {
        section: topic,
        answers: rated(topic, (q) => (reverseItems.has(q.id) ? 2 : 4)),
        shown: topic.questions.map((q) => q.id),
        earlier: {},
        durationMs: 60_000,
        rejectedAttempts: 0,
        mainValid,
        chancesSoFar,
        rule: questionnaire.chances.public,
      },
      config,
    )

  it('grants a chance for a valid topic after a valid main, up to the cap', () => {
    expect(decide(true, 5)).toMatchObject({ counts: true, flags: [], chances: 1 })
    expect(decide(true, 10)).toMatchObject({ counts: true, chances: 0 })
  })

  it('a good topic after an invalid main grants nothing and says why', () => {
    const d = decide(false, 0)
    expect(d).toMatchObject({ counts: false, flags: ['main_invalid'], chances: 0 })
    expect(invalidSectionMessage('topic', d.flags)).toMatch(/主问卷未计入有效样本/)
  })

  it('messages name the kind of check, politely, never a code', () => {
    const m = invalidSectionMessage('main', ['speeder', 'contradiction'])
    expect(m).toMatch(/作答过快、前后矛盾/)
    expect(m).not.toMatch(/speeder|contradiction/)
  })
})
