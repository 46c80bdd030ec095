// Valid answers generated from a questionnaire, for benchmarks and end-to-end runs: every shown
// question answered within its rules, and nothing quality screening would flag (no "other"
// texts, no contradiction pair completed, ratings never all alike). The randomness is passed in.
import {
  isVisible,
  type AllAnswers,
  type AnswerValue,
  type Option,
  type QualityConfig,
  type Question,
  type Questionnaire,
  type RegionAnswer,
  type Section,
  type SectionAnswers,
  type VersionId,
} from 'wal-core'

/** A source of numbers in [0, 1). */
export type Random = () => number

/** A small seeded generator (mulberry32): the same seed gives the same answers. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Real administrative codes (province, city) for the region question. */
export const REGIONS: readonly RegionAnswer[] = [
  { provinceCode: '110000', provinceName: '北京市', cityCode: '110100', cityName: '北京市' },
  { provinceCode: '310000', provinceName: '上海市', cityCode: '310100', cityName: '上海市' },
  { provinceCode: '440000', provinceName: '广东省', cityCode: '440100', cityName: '广州市' },
  { provinceCode: '440000', provinceName: '广东省', cityCode: '440300', cityName: '深圳市' },
  { provinceCode: '330000', provinceName: '浙江省', cityCode: '330100', cityName: '杭州市' },
  { provinceCode: '320000', provinceName: '江苏省', cityCode: '320100', cityName: '南京市' },
  { provinceCode: '510000', provinceName: '四川省', cityCode: '510100', cityName: '成都市' },
  { provinceCode: '420000', provinceName: '湖北省', cityCode: '420100', cityName: '武汉市' },
  { provinceCode: '610000', provinceName: '陕西省', cityCode: '610100', cityName: '西安市' },
  { provinceCode: '370000', provinceName: '山东省', cityCode: '370200', cityName: '青岛市' },
]

const pick = <T>(items: readonly T[], random: Random): T =>
  items[Math.floor(random() * items.length)]!

/** `k` distinct items of `items` in their original order. */
function pickSome<T>(items: readonly T[], k: number, random: Random): T[] {
  const pool = [...items]
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  const chosen = new Set(pool.slice(0, k))
  return items.filter((x) => chosen.has(x))
}

/**
 * Values of `question` that would complete a contradiction pair with an answer already given
 * (earlier in this section or in an earlier one). A pair whose other half comes later is avoided
 * there, so both halves stay reachable.
 */
function conflicting(
  question: string,
  context: AllAnswers,
  quality: QualityConfig,
): Set<string | number> {
  const out = new Set<string | number>()
  const matches = (q: string, values: ReadonlyArray<string | number>) => {
    const v = context[q]
    if (Array.isArray(v)) return v.some((x) => values.includes(x))
    return (typeof v === 'string' || typeof v === 'number') && values.includes(v)
  }
  for (const c of quality.contradictions) {
    for (const [mine, other] of [
      [c.a, c.b],
      [c.b, c.a],
    ] as const) {
      if (mine.question === question && matches(other.question, other.values)) {
        for (const v of mine.values) out.add(v)
      }
    }
  }
  return out
}

/** Options a careful respondent may choose: no "other" (it needs a text), none avoided. */
function plainOptions(q: { id: string; options: Option[] }, avoid: Set<string | number>): Option[] {
  const plain = q.options.filter((o) => !o.other)
  const safe = plain.filter((o) => !avoid.has(o.value))
  if (safe.length === 0) throw new Error(`${q.id}: every option is "other" or contradicts`)
  return safe
}

export interface SectionAnswerOptions {
  /** Answers of earlier sections (display logic and contradictions may refer to them). */
  earlier?: AllAnswers
  /** Answer optional text questions too (they go through the content check); default false. */
  optionalTexts?: boolean
}

/**
 * Answers to `section` that validateSection accepts and screenSection leaves unflagged (given a
 * realistic answering time). Questions are walked in order, so display logic sees earlier answers.
 */
export function validSectionAnswers(
  section: Section,
  quality: QualityConfig,
  random: Random,
  options: SectionAnswerOptions = {},
): SectionAnswers {
  const answers: Record<string, AnswerValue> = {}
  const context: Record<string, AnswerValue | undefined> = { ...options.earlier }
  // Straight-lining needs every rating item alike: the second item always differs from the first.
  const ratings: number[] = []
  const rate = (): number => {
    let v = 1 + Math.floor(random() * 5)
    if (ratings.length === 1 && v === ratings[0]) v = (v % 5) + 1
    ratings.push(v)
    return v
  }

  for (const q of section.questions) {
    if (!isVisible(q.visibleIf, context)) continue // as visibleQuestions walks them
    const value = answerFor(q, conflicting(q.id, context, quality), random, rate, options)
    // An instructed-response item (本行请选择…) is answered as instructed.
    for (const a of quality.patterns.attention) {
      if (a.item.question !== q.id) continue
      if (a.item.row === undefined) answers[q.id] = a.expect
      else if (value && typeof value === 'object' && !Array.isArray(value))
        (value as Record<string, number>)[a.item.row] = a.expect
    }
    if (value === undefined) continue
    answers[q.id] ??= value
    context[q.id] = answers[q.id]
  }
  return answers
}

function answerFor(
  q: Question,
  avoid: Set<string | number>,
  random: Random,
  rate: () => number,
  options: SectionAnswerOptions,
): AnswerValue | undefined {
  switch (q.type) {
    case 'single':
      return pick(plainOptions(q, avoid), random).value
    case 'multiple': {
      const safe = plainOptions(q, avoid)
      const inclusive = safe.filter((o) => !o.exclusive)
      const exclusive = safe.filter((o) => o.exclusive)
      // Now and then the exclusive option alone (以上都没有), as real respondents do.
      if (exclusive.length > 0 && (inclusive.length < q.min || random() < 0.1)) {
        return [pick(exclusive, random).value]
      }
      if (inclusive.length < q.min) throw new Error(`${q.id}: fewer plain options than its min`)
      const most = Math.max(q.min, Math.min(q.max ?? inclusive.length, inclusive.length, 4))
      const k = q.min + Math.floor(random() * (most - q.min + 1))
      return pickSome(inclusive, k, random).map((o) => o.value)
    }
    case 'rating':
      return rate()
    case 'matrix':
      return Object.fromEntries(q.rows.map((r) => [r.id, rate()]))
    case 'text': {
      if (!q.required && !options.optionalTexts) return undefined
      const text = [...'希望加强个人信息保护，打击电信网络诈骗。']
      const length = Math.min(q.maxLength, Math.max(q.minLength, text.length))
      return Array.from({ length }, (_, i) => text[i % text.length]).join('')
    }
    case 'region':
      return { ...pick(REGIONS, random) }
    case 'number': {
      // A plausible value near the bottom of wide ranges (hours a day, staff counts).
      const span = Math.min(q.max - q.min, 24)
      const v = q.min + random() * span
      return Math.min(q.max, q.integer ? Math.round(v) : Math.round(v * 10) / 10)
    }
  }
}

/** Valid answers to the main section of one version of a questionnaire. */
export function validMainAnswers(
  questionnaire: Questionnaire,
  version: VersionId,
  random: Random,
  options: SectionAnswerOptions = {},
): SectionAnswers {
  const v = questionnaire.versions.find((x) => x.id === version)
  if (!v) throw new Error(`the questionnaire has no ${version} version`)
  return validSectionAnswers(v.sections[0]!, questionnaire.quality, random, options)
}
