// The shipped 2024 questionnaire (campaigns/2024/questionnaire.json): valid against core's model,
// the shape campaign-rules.md asks for, and every reference in its display logic and quality
// rules pointing at a question and option that exist.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  DEFAULT_CHANCE_RULES,
  questionnaireSchema,
  screenSection,
  visibleSections,
  type Condition,
  type Question,
  type QuestionType,
  type Version,
} from 'wal-core'
import { loadCampaigns } from '../../campaigns/load'

const file = path.resolve(__dirname, '../../campaigns/2024/questionnaire.json')
const questionnaire = questionnaireSchema.parse(JSON.parse(readFileSync(file, 'utf8')))

const version = (id: string): Version => {
  const found = questionnaire.versions.find((v) => v.id === id)
  if (!found) throw new Error(`no version ${id}`)
  return found
}
const questionsOf = (v: Version): Question[] => v.sections.flatMap((s) => s.questions)
const conditionsOf = (visibleIf: { all?: Condition[]; any?: Condition[] } | undefined) => [
  ...(visibleIf?.all ?? []),
  ...(visibleIf?.any ?? []),
]

/** Why `value` cannot be an answer of `q` (null when it can). */
function badValue(q: Question, value: string | number): string | null {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.some((o) => o.value === value) ? null : `${q.id} has no option ${value}`
    case 'rating':
      return [1, 2, 3, 4, 5].includes(value as number) ? null : `${q.id} is rated 1–5`
    case 'number':
      return typeof value === 'number' && value >= q.min && value <= q.max
        ? null
        : `${q.id} takes ${q.min}–${q.max}`
    default:
      return `${q.id} (${q.type}) cannot be compared with a value`
  }
}

test('is the 2024 campaign questionnaire with both versions', () => {
  expect(questionnaire.campaignId).toBe('wal-2024')
  expect(questionnaire.versions.map((v) => [v.id, v.title])).toEqual([
    ['public', '公共网民版'],
    ['practitioner', '网络从业人员版'],
  ])
})

test.each([
  ['public', 10],
  ['practitioner', 3],
])('%s: a main section of 20–30 questions, then %i topics of 6–12', (id, topics) => {
  const [main, ...rest] = version(id).sections
  expect(main!.id).toBe('main')
  expect(main!.kind).toBe('main')
  expect(main!.questions.length).toBeGreaterThanOrEqual(20)
  expect(main!.questions.length).toBeLessThanOrEqual(30)
  expect(rest).toHaveLength(topics)
  for (const s of rest) {
    expect(s.kind).toBe('topic')
    expect([s.id, s.questions.length >= 6 && s.questions.length <= 12]).toEqual([s.id, true])
  }
})

test('the public topics cover the themes named in the campaign documents', () => {
  expect(version('public').sections.map((s) => s.title)).toEqual([
    '主问卷',
    '网络法治',
    '打击网络犯罪与电信诈骗',
    '个人信息保护',
    '网络购物',
    '未成年人网络保护',
    '平台监管与自律',
    '数字政府',
    '数字鸿沟与乡村振兴',
    '网络安全意识与教育',
    '数据安全与密码应用',
  ])
  expect(version('practitioner').sections.map((s) => s.title)).toEqual([
    '主问卷',
    '单位网络安全实践',
    '人才培养与培训',
    '合规与监管',
  ])
})

test('uses every question type somewhere', () => {
  const used = new Set(questionnaire.versions.flatMap(questionsOf).map((q) => q.type))
  const all: QuestionType[] = ['single', 'multiple', 'rating', 'matrix', 'text', 'region', 'number']
  expect([...used].sort()).toEqual([...all].sort())
})

test.each(['public', 'practitioner'])(
  '%s main asks the region (id region) and an optional suggestion of up to 500 characters',
  (id) => {
    const main = version(id).sections[0]!
    expect(main.questions.find((q) => q.id === 'region')?.type).toBe('region')
    const suggestion = main.questions.find((q) => q.type === 'text')
    expect(suggestion).toMatchObject({ required: false, maxLength: 500 })
  },
)

test('option values, matrix rows and rating labels are well formed in every question', () => {
  for (const q of questionnaire.versions.flatMap(questionsOf)) {
    if (q.type === 'single' || q.type === 'multiple') {
      const values = q.options.map((o) => o.value)
      expect([q.id, new Set(values).size]).toEqual([q.id, values.length])
      // "Other, please specify" is the last option or the one before an exclusive "none".
      const otherAt = q.options.findIndex((o) => o.other)
      if (otherAt >= 0) expect([q.id, q.options.length - otherAt <= 2]).toEqual([q.id, true])
    }
    if (q.type === 'single') {
      expect([q.id, q.options.some((o) => o.exclusive)]).toEqual([q.id, false])
    }
    if (q.type === 'multiple' && q.max !== undefined) {
      expect([q.id, q.max < q.options.length]).toEqual([q.id, true])
      expect(q.title).toContain(`最多选${q.max}项`)
    }
    if (q.type === 'matrix') {
      const rows = q.rows.map((r) => r.id)
      expect([q.id, new Set(rows).size]).toEqual([q.id, rows.length])
    }
    if (q.type === 'rating' || q.type === 'matrix') {
      expect([q.id, new Set(q.labels).size]).toEqual([q.id, 5])
    }
  }
})

test('uses "other, please specify" and exclusive "none of these" options', () => {
  const options = questionnaire.versions
    .flatMap(questionsOf)
    .flatMap((q) => (q.type === 'single' || q.type === 'multiple' ? q.options : []))
  expect(options.filter((o) => o.other).every((o) => o.label === '其他，请注明')).toBe(true)
  expect(options.filter((o) => o.other).length).toBeGreaterThan(10)
  expect(options.filter((o) => o.exclusive).length).toBeGreaterThan(10)
})

test.each(['public', 'practitioner'])(
  '%s: every display condition names an earlier question and a value it can take',
  (id) => {
    const v = version(id)
    const asked = new Map<string, Question>()
    const problems: string[] = []
    let conditions = 0
    for (const section of v.sections) {
      const check = (owner: string, c: Condition) => {
        conditions += 1
        const q = asked.get(c.question)
        if (!q) return problems.push(`${owner}: ${c.question} is not asked before it`)
        for (const value of [...(c.value === undefined ? [] : [c.value]), ...(c.values ?? [])]) {
          const bad = badValue(q, value)
          if (bad) problems.push(`${owner}: ${bad}`)
        }
        if (c.op === 'includes' && q.type !== 'multiple')
          problems.push(`${owner}: includes on ${q.type}`)
      }
      for (const c of conditionsOf(section.visibleIf)) check(`section ${section.id}`, c)
      for (const q of section.questions) {
        for (const c of conditionsOf(q.visibleIf)) check(q.id, c)
        asked.set(q.id, q)
      }
    }
    expect(problems).toEqual([])
    expect(conditions).toBeGreaterThan(0)
  },
)

test('every contradiction pairs two questions of one version with option values they have', () => {
  const { contradictions } = questionnaire.quality
  expect(contradictions.length).toBeGreaterThanOrEqual(2)
  expect(contradictions.length).toBeLessThanOrEqual(4)
  for (const c of contradictions) {
    const home = questionnaire.versions.find((v) => {
      const ids = new Set(questionsOf(v).map((q) => q.id))
      return ids.has(c.a.question) && ids.has(c.b.question)
    })
    expect([c.id, home?.id ?? 'no version asks both']).toEqual([c.id, expect.any(String)])
    const byId = new Map(questionsOf(home!).map((q) => [q.id, q]))
    const problems = [c.a, c.b].flatMap((side) =>
      side.values.map((value) => badValue(byId.get(side.question)!, value)).filter(Boolean),
    )
    expect([c.id, problems]).toEqual([c.id, []])
  }
})

test('a contradiction across sections is caught in the section that completes it', () => {
  const shopping = version('public').sections.find((s) => s.id === 'online_shopping')!
  const result = screenSection(
    {
      section: shopping,
      answers: { t_shop_last: 'within_week' },
      shown: ['t_shop_last'],
      earlier: { m_shop_freq: 'never' },
      durationMs: 60_000,
      rejectedAttempts: 0,
    },
    questionnaire.quality,
  )
  expect(result.flags).toEqual(['contradiction'])
  expect(result.reasons.contradiction).toBe('never_shops_bought_this_week')
})

test('the minors topic is offered to parents, minors and teachers only', () => {
  const ids = (answers: Record<string, string>) =>
    visibleSections(version('public'), answers).map((s) => s.id)
  const adult = { m_age: 'age_35_44', m_occupation: 'enterprise', m_has_minor: 'no' }
  expect(ids(adult)).not.toContain('minors')
  expect(ids({ ...adult, m_has_minor: 'yes' })).toContain('minors')
  expect(ids({ ...adult, m_age: 'under_18' })).toContain('minors')
  expect(ids({ ...adult, m_occupation: 'teacher' })).toContain('minors')
  expect(ids(adult)).toHaveLength(10)
})

test('quality thresholds and chance rules are the campaign defaults', () => {
  expect(questionnaire.quality).toMatchObject({
    minSecondsPerQuestion: 2,
    reviewRejectedAttempts: 5,
    paradata: { invalidateOnSpeed: false },
  })
  // One instructed-response item per version, and a reverse-keyed pair in every section, so
  // patterned answering can be caught in topics of six items as well as in the main part.
  const { attention, reversePairs } = questionnaire.quality.patterns
  expect(attention).toHaveLength(questionnaire.versions.length)
  for (const v of questionnaire.versions)
    for (const s of v.sections) {
      const ids = new Set(s.questions.map((q) => q.id))
      expect(reversePairs.some((p) => ids.has(p.a.question) && ids.has(p.b.question))).toBe(true)
    }
  expect(questionnaire.chances).toEqual(DEFAULT_CHANCE_RULES)
})

test('the demo campaign can use the same questionnaire: it offers only versions it defines', () => {
  const demo = loadCampaigns().find((c) => c.id === 'demo')!
  const defined = questionnaire.versions.map((v) => v.id)
  for (const v of demo.versions) expect(defined).toContain(v.id)
})
