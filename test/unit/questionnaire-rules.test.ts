// core/questionnaire: validation per question type, display logic, screening, chances, statistics.
import { runInNewContext } from 'node:vm'
import { z } from 'zod'
import {
  ANSWER_LIMITS,
  answerValueSchema,
  chancesForSection,
  chinaDayKey,
  countInto,
  counterPaths,
  isVisible,
  isAnswerValue,
  isRegionAnswer,
  qualityConfigSchema,
  regionAnswerSchema,
  screenSection,
  sectionAnswersSchema,
  sectionSchema,
  shardOf,
  sumShards,
  UNKNOWN_ANSWERS_KEY,
  validateSection,
  versionSchema,
  type Section,
} from 'wal-core'

const SAT = ['非常不满意', '不满意', '一般', '满意', '非常满意']

const section: Section = sectionSchema.parse({
  id: 'main',
  kind: 'main',
  title: '主问卷',
  questions: [
    {
      id: 'job',
      type: 'single',
      title: '职业',
      options: [
        { value: 'student', label: '学生' },
        { value: 'other', label: '其他', other: true },
      ],
    },
    {
      id: 'apps',
      type: 'multiple',
      title: '常用应用',
      min: 2,
      max: 3,
      options: [
        { value: 'chat', label: '社交' },
        { value: 'shop', label: '购物' },
        { value: 'video', label: '视频' },
        { value: 'game', label: '游戏' },
        { value: 'none', label: '以上都没有', exclusive: true },
      ],
    },
    { id: 'feel', type: 'rating', title: '安全感', labels: SAT },
    {
      id: 'grid',
      type: 'matrix',
      title: '满意度',
      labels: SAT,
      rows: [
        { id: 'a', label: '甲' },
        { id: 'b', label: '乙' },
      ],
    },
    { id: 'say', type: 'text', title: '建议', maxLength: 10, required: false },
    { id: 'where', type: 'region', title: '地区' },
    { id: 'hours', type: 'number', title: '上网时长', min: 0, max: 24 },
    {
      id: 'why',
      type: 'single',
      title: '为何不满意',
      visibleIf: { all: [{ question: 'feel', op: 'lte', value: 2 }] },
      options: [
        { value: 'fraud', label: '诈骗多' },
        { value: 'leak', label: '信息泄露' },
      ],
    },
  ],
})

const REGION = {
  provinceCode: '110000',
  provinceName: '北京市',
  cityCode: '110100',
  cityName: '北京市',
}
const good = {
  job: 'student',
  apps: ['chat', 'shop'],
  feel: 4,
  grid: { a: 4, b: 5 },
  where: REGION,
  hours: 3,
}

describe('validateSection', () => {
  it('accepts a complete section and keeps only shown questions', () => {
    const ok = validateSection(section, good)
    expect(ok).toMatchObject({ ok: true, errors: {} })
    expect(ok.shown).toEqual(['job', 'apps', 'feel', 'grid', 'say', 'where', 'hours'])
  })

  it('drops a stale answer to a question that display logic now hides', () => {
    // e.g. answered `why` after a low rating, then raised the rating: the draft still has `why`.
    const r = validateSection(section, { ...good, why: 'fraud' })
    expect(r.ok).toBe(true)
    expect(r.answers).not.toHaveProperty('why')
  })

  it.each([
    ['a required answer missing', { job: undefined }, 'job', 'required'],
    ['an unknown option', { job: 'pilot' }, 'job', 'invalid'],
    ['"other" without its text', { job: 'other' }, 'job', 'other_required'],
    ['too few choices', { apps: ['chat'] }, 'apps', 'too_few'],
    ['too many choices', { apps: ['chat', 'shop', 'video', 'game'] }, 'apps', 'too_many'],
    ['an exclusive option combined', { apps: ['chat', 'none'] }, 'apps', 'exclusive'],
    ['duplicate choices', { apps: ['chat', 'chat'] }, 'apps', 'invalid'],
    ['a rating out of 1–5', { feel: 6 }, 'feel', 'invalid'],
    ['a fractional rating', { feel: 2.5 }, 'feel', 'invalid'],
    ['a matrix row missing', { grid: { a: 3 } }, 'grid', 'required'],
    ['an unknown matrix row', { grid: { a: 3, b: 3, c: 3 } }, 'grid', 'invalid'],
    ['text too long (counted in characters)', { say: '一二三四五六七八九十一' }, 'say', 'too_long'],
    ['a region without codes', { where: { provinceName: '北京市' } }, 'where', 'invalid'],
    ['a number out of range', { hours: 25 }, 'hours', 'out_of_range'],
    ['a fractional integer', { hours: 2.5 }, 'hours', 'not_integer'],
    ['a stray key', { hacker: 'x' }, UNKNOWN_ANSWERS_KEY, 'unknown_question'],
  ])('refuses %s', (_label, patch, question, code) => {
    const answers = Object.fromEntries(
      Object.entries({ ...good, ...patch }).filter(([, v]) => v !== undefined),
    ) as Parameters<typeof validateSection>[1]
    const r = validateSection(section, answers)
    expect(r.ok).toBe(false)
    expect(r.errors[question]).toMatchObject({ code, message: expect.any(String) })
  })

  it('answers keys outside the section with one error and their count, not one per key', () => {
    const stray = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, 'x']))
    const r = validateSection(section, { ...good, ...stray })
    expect(r.ok).toBe(false)
    expect(r.errors).toEqual({
      [UNKNOWN_ANSWERS_KEY]: { code: 'unknown_question', message: expect.any(String), count: 150 },
    })
    expect(r.errors[UNKNOWN_ANSWERS_KEY]!.message).toContain('150')
    // The key cannot be a question's: ids start with a lower-case letter.
    expect(sectionSchema.shape.id.safeParse(UNKNOWN_ANSWERS_KEY).success).toBe(false)
  })

  it('keeps the "other" text, trimmed, only when "other" is chosen', () => {
    expect(
      validateSection(section, { ...good, job: 'other', job__other: '  程序员 ' }).answers
        .job__other,
    ).toBe('程序员')
    expect(validateSection(section, { ...good, job__other: '程序员' }).answers).not.toHaveProperty(
      'job__other',
    )
  })

  it('a follow-up shown by display logic becomes required', () => {
    const r = validateSection(section, { ...good, feel: 2 })
    expect(r.errors.why).toMatchObject({ code: 'required' })
    expect(validateSection(section, { ...good, feel: 2, why: 'leak' }).ok).toBe(true)
  })
})

describe('the answer checks written by hand agree with the zod definitions', () => {
  // What the input schema is the fast form of: a record of the answer union.
  const zodAnswers = z
    .record(z.string().max(48), answerValueSchema)
    .refine((o) => Object.keys(o).length <= ANSWER_LIMITS.keys)
  const many = (n: number, value: unknown) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`r${i}`, value]))
  const values: unknown[] = [
    '',
    'student',
    'x'.repeat(2000),
    'x'.repeat(2001),
    0,
    -3.5,
    4,
    NaN,
    Infinity,
    -Infinity,
    true,
    null,
    undefined,
    [],
    ['chat', 'shop'],
    ['x'.repeat(32)],
    ['x'.repeat(33)],
    Array.from({ length: 20 }, (_, i) => `o${i}`),
    Array.from({ length: 21 }, (_, i) => `o${i}`),
    ['chat', 3],
    [null],
    {},
    { a: 4, b: 5 },
    { a: 4, b: '5' },
    { a: NaN },
    many(ANSWER_LIMITS.objectKeys, 3), // a matrix with as many rows as an object answer may have
    many(ANSWER_LIMITS.objectKeys + 1, 3),
    { provinceCode: 1 }, // a matrix whose row is called provinceCode
    REGION,
    { ...REGION, extra: 'kept by the check, dropped by validateSection' },
    { ...REGION, ...many(ANSWER_LIMITS.objectKeys, 'x') }, // 24 keys in all
    { ...REGION, ...many(ANSWER_LIMITS.objectKeys - 4, 'x') }, // 20
    { ...REGION, provinceCode: '11000' },
    { ...REGION, cityCode: 110100 },
    { ...REGION, provinceName: '京' },
    { ...REGION, provinceName: '北'.repeat(21) },
    { ...REGION, cityName: '北'.repeat(30) },
    { ...REGION, cityName: '北'.repeat(31) },
    { ...REGION, cityName: undefined },
    new Date(0),
    new Map([['a', 1]]),
    Object.assign(Object.create(null) as object, { a: 1 }),
    runInNewContext('({ a: 1, b: 2 })'), // a plain object from another realm (jest, vm)
    () => 1,
  ]

  it.each(values.map((v) => [v]))('answer value %p', (v) => {
    expect(isAnswerValue(v)).toBe(answerValueSchema.safeParse(v).success)
    expect(sectionAnswersSchema.safeParse({ q1: v }).success).toBe(
      zodAnswers.safeParse({ q1: v }).success,
    )
  })

  it.each(values.map((v) => [v]))('region answer %p', (v) => {
    expect(isRegionAnswer(v)).toBe(regionAnswerSchema.safeParse(v).success)
  })

  it.each([
    [{ ok: 'x' }, true],
    [{ ['k'.repeat(48)]: 'x' }, true],
    [{ ['k'.repeat(49)]: 'x' }, false],
    [many(ANSWER_LIMITS.keys, 'x'), true],
    [many(ANSWER_LIMITS.keys + 1, 'x'), false],
    [[], false],
    ['answers', false],
    [null, false],
  ])('answers %p', (answers, ok) => {
    expect(sectionAnswersSchema.safeParse(answers).success).toBe(ok)
    expect(zodAnswers.safeParse(answers).success).toBe(ok)
  })

  it('refuses a hostile number of keys with one short message', () => {
    const r = sectionAnswersSchema.safeParse(many(50_000, 'x'.repeat(20)))
    expect(r.success).toBe(false)
    expect(r.error?.issues).toHaveLength(1)
    expect(r.error?.issues[0]?.message).toBe(`answers has more than ${ANSWER_LIMITS.keys} keys`)
  })

  it('names the answer that is wrong', () => {
    const r = sectionAnswersSchema.safeParse({ feel: 4, grid: { a: 'x' } })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toBe('answers.grid is not an answer value')
  })

  it('a region answer is kept with exactly its four fields', () => {
    const r = validateSection(section, {
      ...good,
      where: { ...REGION, extra: '<script>' } as unknown as typeof REGION,
    })
    expect(r.ok).toBe(true)
    expect(r.answers.where).toEqual(REGION)
  })
})

describe('display logic', () => {
  it.each([
    [{ all: [{ question: 'a', op: 'equals' as const, value: 'x' }] }, { a: 'x' }, true],
    [{ all: [{ question: 'a', op: 'equals' as const, value: 'x' }] }, { a: 'y' }, false],
    [{ all: [{ question: 'a', op: 'notEquals' as const, value: 'x' }] }, {}, false],
    [{ all: [{ question: 'a', op: 'in' as const, values: ['x', 'y'] }] }, { a: 'y' }, true],
    [{ all: [{ question: 'a', op: 'includes' as const, value: 'x' }] }, { a: ['z', 'x'] }, true],
    [{ all: [{ question: 'a', op: 'answered' as const }] }, { a: [] }, false],
    [{ all: [{ question: 'a', op: 'gte' as const, value: 3 }] }, { a: 3 }, true],
    [
      {
        any: [
          { question: 'a', op: 'equals' as const, value: 1 },
          { question: 'b', op: 'equals' as const, value: 2 },
        ],
      },
      { b: 2 },
      true,
    ],
  ])('%j with %j → %s', (visibleIf, answers, expected) => {
    expect(isVisible(visibleIf, answers)).toBe(expected)
  })

  it('refuses a version whose condition points at a later question', () => {
    const bad = versionSchema.safeParse({
      id: 'public',
      title: '公共网民版',
      sections: [
        {
          ...section,
          questions: [
            {
              ...section.questions[7]!,
              visibleIf: { all: [{ question: 'feel', op: 'lte', value: 2 }] },
            },
            section.questions[2]!,
          ],
        },
      ],
    })
    expect(bad.success).toBe(false)
  })
})

describe('quality screening', () => {
  const config = qualityConfigSchema.parse({
    contradictions: [
      {
        id: 'c1',
        a: { question: 'job', values: ['student'] },
        b: { question: 'hours', values: [24] },
      },
    ],
  })
  const base = {
    section,
    answers: good,
    shown: validateSection(section, good).shown,
    earlier: {},
    rejectedAttempts: 0,
  }

  it('passes an honest section', () => {
    expect(screenSection({ ...base, durationMs: 60_000 }, config)).toMatchObject({
      valid: true,
      flags: [],
      reasons: {},
    })
  })

  it('flags a speeder under the per-question minimum (7 shown × 2 s)', () => {
    expect(screenSection({ ...base, durationMs: 13_999 }, config).flags).toEqual(['speeder'])
    expect(screenSection({ ...base, durationMs: 14_000 }, config).flags).toEqual([])
  })

  it('flags a contradiction, also with one half in an earlier section', () => {
    const answers = { ...good, hours: 24 }
    expect(screenSection({ ...base, answers, durationMs: 60_000 }, config).flags).toEqual([
      'contradiction',
    ])
  })

  it('records repeated refused attempts as a signal for review, never as a reason', () => {
    const result = screenSection({ ...base, durationMs: 60_000, rejectedAttempts: 6 }, config)
    expect(result.flags).toEqual([])
    expect(result.signals).toMatchObject({ rejectedAttempts: 6, manyRejections: true })
  })
})

describe('draw chances', () => {
  const publicRule = { main: 5, perTopic: 1, cap: 10 }
  const practitionerRule = { main: 9, perTopic: 2, cap: 15 }
  it.each([
    [publicRule, 'main', true, 0, 5],
    [publicRule, 'topic', true, 5, 1],
    [publicRule, 'topic', true, 10, 0],
    [publicRule, 'main', false, 0, 0],
    [practitionerRule, 'main', true, 0, 9],
    [practitionerRule, 'topic', true, 13, 2],
    [practitionerRule, 'topic', true, 14, 1],
  ] as const)('%j %s valid=%s after %i → %i', (rule, kind, valid, already, expected) => {
    expect(chancesForSection(rule, kind, valid, already)).toBe(expected)
  })

  it('the published extremes hold: public at most 10, practitioner at most 15', () => {
    let p = 0
    p += chancesForSection(publicRule, 'main', true, p)
    for (let i = 0; i < 10; i++) p += chancesForSection(publicRule, 'topic', true, p)
    let r = 0
    r += chancesForSection(practitionerRule, 'main', true, r)
    for (let i = 0; i < 3; i++) r += chancesForSection(practitionerRule, 'topic', true, r)
    expect([p, r]).toEqual([10, 15])
  })
})

describe('statistics', () => {
  it('the China day turns at 00:00 +08:00, not UTC midnight', () => {
    expect(chinaDayKey(Date.parse('2024-07-16T23:59:59+08:00'))).toBe('d20240716')
    expect(chinaDayKey(Date.parse('2024-07-17T00:00:00+08:00'))).toBe('d20240717')
  })

  it('shards are stable and spread', () => {
    expect(shardOf('o-abc', 64)).toBe(shardOf('o-abc', 64))
    const used = new Set(Array.from({ length: 1000 }, (_, i) => shardOf(`openid-${i}`, 64)))
    expect(used.size).toBe(64)
  })

  it('a main submission moves total, day, region and unit; a topic only its own', () => {
    expect(
      counterPaths({
        valid: true,
        day: 'd20240717',
        provinceCode: '440000',
        cityCode: '440100',
        unitId: 'gd',
      }),
    ).toEqual([
      'total.valid',
      'days.d20240717.valid',
      'provinces.p440000.valid',
      'cities.c440100.valid',
      'units.ugd.valid',
    ])
    expect(counterPaths({ valid: false, day: 'd20240717', topicId: 't_law' })).toEqual([
      'topics.t_law.invalid',
    ])
    expect(counterPaths({ valid: true, day: 'd1', unitId: 'bad.key' })).toEqual([
      'total.valid',
      'days.d1.valid',
    ])
  })

  it('sums shards and strips the key prefixes', () => {
    const s = sumShards([
      { total: { valid: 2, invalid: 1 }, provinces: { p440000: { valid: 2 } } },
      {
        total: { valid: 1, invalid: 0 },
        provinces: { p440000: { valid: 1, invalid: 1 } },
        days: { d20240717: { valid: 1 } },
      },
    ])
    expect(s.total).toEqual({ valid: 3, invalid: 1 })
    expect(s.provinces).toEqual({ '440000': { valid: 3, invalid: 1 } })
    expect(s.days).toEqual({ '20240717': { valid: 1, invalid: 0 } })
  })

  it('counts paths into a document as their $inc would, making the objects on the way', () => {
    const doc: Record<string, unknown> = { campaignId: 'c', valid: 0, total: { valid: 2 } }
    countInto(doc, ['valid', 'total.valid', 'total.invalid', 'cities.c440100.valid'])
    countInto(doc, ['cities.c440100.valid'])
    expect(doc).toEqual({
      campaignId: 'c',
      valid: 1,
      total: { valid: 3, invalid: 1 },
      cities: { c440100: { valid: 2 } },
    })
  })
})
