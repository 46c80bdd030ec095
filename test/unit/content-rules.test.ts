// Learning content rules (core/content.ts): the data files validate with zod (and the demo's do),
// a quiz is scored exactly, and its points are granted only on the first pass.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  answerProblems,
  contentFileSchema,
  contentItemSchema,
  faqFileSchema,
  quizRewardEntryId,
  quizRewardPoints,
  quizSchema,
  scoreQuiz,
  type Quiz,
} from 'wal-core'
import { groundedIn } from '../../server/content'

const demo = (name: string) =>
  JSON.parse(readFileSync(path.resolve(__dirname, '../../campaigns/demo', name), 'utf8'))

const quiz: Quiz = quizSchema.parse({
  id: 'q-test',
  title: '测验',
  category: 'fraud',
  rewardPoints: 3,
  passScore: 60,
  questions: [
    {
      id: 'q1',
      prompt: '单选',
      options: [
        { id: 'a', text: '甲' },
        { id: 'b', text: '乙' },
      ],
      answer: ['a'],
      explanation: '因为甲',
    },
    {
      id: 'q2',
      prompt: '多选',
      multiple: true,
      options: [
        { id: 'a', text: '甲' },
        { id: 'b', text: '乙' },
        { id: 'c', text: '丙' },
      ],
      answer: ['a', 'c'],
      explanation: '甲和丙',
    },
    {
      id: 'q3',
      prompt: '单选二',
      options: [
        { id: 'a', text: '甲' },
        { id: 'b', text: '乙' },
      ],
      answer: ['b'],
      explanation: '因为乙',
    },
  ],
})

describe('scoring a quiz', () => {
  it('scores exactly the chosen options, in any order, repeats ignored', () => {
    const s = scoreQuiz(quiz, { q1: ['a'], q2: ['c', 'a', 'c'], q3: ['b'] })
    expect(s).toMatchObject({ correct: 3, total: 3, score: 100, passed: true })
  })

  it('a multiple-choice question with one option missing or one too many is wrong', () => {
    expect(scoreQuiz(quiz, { q1: ['a'], q2: ['a'], q3: ['b'] }).results[1]!.correct).toBe(false)
    expect(scoreQuiz(quiz, { q1: ['a'], q2: ['a', 'b', 'c'], q3: ['b'] }).correct).toBe(2)
  })

  it('rounds the score and passes at the pass score', () => {
    const two = scoreQuiz(quiz, { q1: ['a'], q2: ['a', 'c'], q3: ['a'] })
    expect(two).toMatchObject({ correct: 2, score: 67, passed: true })
    const one = scoreQuiz(quiz, { q1: ['a'], q2: ['b'], q3: ['a'] })
    expect(one).toMatchObject({ correct: 1, score: 33, passed: false })
  })

  it('gives every question its explanation and the right answer', () => {
    const s = scoreQuiz(quiz, { q1: ['b'], q2: ['a'], q3: ['a'] })
    expect(s.results.map((r) => [r.answer, r.explanation])).toEqual([
      [['a'], '因为甲'],
      [['a', 'c'], '甲和丙'],
      [['b'], '因为乙'],
    ])
  })

  it('names unanswered questions, unknown options and two options for a single choice', () => {
    expect(answerProblems(quiz, { q1: ['a'], q2: ['a'] })).toEqual(['q3: not answered'])
    expect(answerProblems(quiz, { q1: ['f'], q2: ['a'], q3: ['a', 'b'] })).toEqual([
      'q1: no such option',
      'q3: one option only',
    ])
    expect(answerProblems(quiz, { q1: ['a'], q2: ['a'], q3: ['b'] })).toEqual([])
  })
})

describe('the quiz reward', () => {
  it('is granted on a pass that was not rewarded before, and never again', () => {
    expect(quizRewardPoints(quiz, true, false)).toBe(3)
    expect(quizRewardPoints(quiz, true, true)).toBe(0)
    expect(quizRewardPoints(quiz, false, false)).toBe(0)
    expect(quizRewardPoints({ ...quiz, rewardPoints: 0 }, true, false)).toBe(0)
  })

  it('has one entry id per person per quiz', () => {
    expect(quizRewardEntryId('o-1', 'q-test')).toBe('o-1:quiz:q-test')
  })

  it('is small: more than 20 points is refused', () => {
    expect(quizSchema.safeParse({ ...quiz, rewardPoints: 21 }).success).toBe(false)
  })
})

describe('content validation', () => {
  it('accepts the demo content and its 100+ FAQ pairs', () => {
    const content = contentFileSchema.parse(demo('content.json'))
    expect(new Set(content.items.map((i) => i.kind))).toEqual(
      new Set(['article', 'video', 'comic', 'handbook']),
    )
    expect(content.quizzes.length).toBeGreaterThanOrEqual(2)
    const faq = faqFileSchema.parse(demo('faq.json'))
    expect(faq.faqs.length).toBeGreaterThanOrEqual(100)
    expect(new Set(faq.faqs.map((f) => f.topic)).size).toBe(8)
  })

  it('refuses a quiz whose answer is not among its options, or a single choice with two answers', () => {
    const q = quiz.questions[0]!
    const bad = (patch: object) =>
      quizSchema.safeParse({ ...quiz, questions: [{ ...q, ...patch }] }).success
    expect(bad({ answer: ['c'] })).toBe(false)
    expect(bad({ answer: ['a', 'b'] })).toBe(false)
    expect(bad({ options: [{ id: 'a', text: '甲' }] })).toBe(false)
    expect(bad({})).toBe(true)
  })

  it('refuses markup it does not know, media that is not a URL or a storage path, and empty bodies', () => {
    const article = { id: 'a-1', kind: 'article', category: 'fraud', title: '标题' }
    const ok = (body: unknown) => contentItemSchema.safeParse({ ...article, body }).success
    expect(ok([{ type: 'p', text: '正文' }])).toBe(true)
    expect(ok([])).toBe(false)
    expect(ok([{ type: 'html', text: '<script>alert(1)</script>' }])).toBe(false)
    expect(ok([{ type: 'image', src: 'javascript:alert(1)', alt: '图' }])).toBe(false)
    expect(ok([{ type: 'image', src: 'http://example.com/a.png', alt: '图' }])).toBe(false)
    expect(ok([{ type: 'image', src: 'content/images/a.svg', alt: '图' }])).toBe(true)
  })

  it('refuses repeated ids and FAQ relations to questions that do not exist', () => {
    const f = { id: 'x', topic: 'points', question: '积分是什么？', answer: '积分是答谢。' }
    expect(faqFileSchema.safeParse({ faqs: [f, f] }).success).toBe(false)
    expect(faqFileSchema.safeParse({ faqs: [{ ...f, related: ['y'] }] }).success).toBe(false)
    expect(faqFileSchema.safeParse({ faqs: [{ ...f, related: ['x'] }] }).success).toBe(false)
  })
})

describe('a composed answer (the AI option)', () => {
  it('is kept only when every number in it comes from the matched answers', () => {
    const sources = ['默认需要在 7 天内领取。', '30 天内有 3 次过期会暂停 14 天。']
    expect(groundedIn('请在 7 天内领取。', sources)).toBe(true)
    expect(groundedIn('请在 10 天内领取。', sources)).toBe(false)
    expect(groundedIn('请尽快领取。', sources)).toBe(true)
  })
})
