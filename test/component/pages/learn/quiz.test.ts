// A quiz and its result: options tapped (single and multiple), 提交答案 refused while a question
// is open, the score with every explanation, points granted once (the second attempt says
// already granted), and a lost reply re-sent with the same requestId.
import { textOf, until, type RenderedPage } from '../../support/render'
import { useContentBackend, usePage, useStorage } from '../../support/page-suite'

const { open } = usePage('pages/learn/quiz/index')
const backend = useContentBackend()
useStorage()
beforeEach(() => {
  jest.spyOn(wx, 'pageScrollTo').mockImplementation(() => undefined as never)
})

const pick = (page: RenderedPage, q: string, o: string) =>
  page.querySelector(`#option-${q}-${o}`)!.dispatchEvent('tap')

async function answerAll(page: RenderedPage, right: boolean) {
  pick(page, 'q1', right ? 'b' : 'a')
  pick(page, 'q2', right ? 'b' : 'a')
  for (const o of right ? ['a', 'b', 'c'] : ['d']) pick(page, 'q3', o)
  pick(page, 'q4', right ? 'a' : 'b')
  pick(page, 'q5', right ? 'b' : 'a')
  await until(page, (d) => Object.keys(d.answers).length === 5)
}

test('shows the questions without answers, with the reward and pass line', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  expect(page.data.phase).toBe('answering')
  expect(textOf(page, '#meta')).toBe('5 题 · 首次及格奖励 2 积分 · 60 分及格')
  expect(textOf(page, '#question-q3')).toContain('（多选）')
  expect(page.data.questions.map((q: { multiple: boolean }) => q.multiple)).toEqual([
    false,
    false,
    true,
    false,
    false,
  ])
})

test('a single choice replaces, a multiple choice toggles', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  pick(page, 'q1', 'a')
  pick(page, 'q1', 'b')
  pick(page, 'q3', 'a')
  pick(page, 'q3', 'c')
  pick(page, 'q3', 'a')
  await until(page, (d) => d.answers.q3?.length === 1)
  expect(page.data.answers).toEqual({ q1: ['b'], q3: ['c'] })
  expect(page.data.picked['q1-b']).toBe(true)
  expect(page.data.picked['q1-a']).toBe(false)
})

test('submitting with questions open names them and sends nothing', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  pick(page, 'q1', 'b')
  await until(page, (d) => d.answers.q1?.length === 1)
  await page.instance.onSubmit()
  expect(textOf(page, '#form-error')).toBe('还有题目没有作答：第 2、3、4、5 题')
  expect(backend().actions('submitQuiz')).toHaveLength(0)
})

test('all right: score 100, explanations, 2 points; a second attempt says already granted', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  await answerAll(page, true)
  await page.instance.onSubmit()
  expect(page.data.phase).toBe('result')
  expect(textOf(page, '#score-line')).toBe('答对 5 / 5 题，得分 100')
  expect(textOf(page, '#verdict')).toBe('恭喜通过！')
  expect(textOf(page, '#points')).toBe('获得 2 积分，已存入“我的积分”')
  expect(textOf(page, '#row-q1')).toContain('公检法机关没有“安全账户”')
  expect(textOf(page, '#no-chances')).toContain('测验不增加抽奖机会')

  page.instance.onAgain()
  await answerAll(page, true)
  await page.instance.onSubmit()
  expect(textOf(page, '#points')).toBe('你已领取过本测验的 2 积分，每人只奖励一次')
  expect(backend().points).toBe(2)
})

test('all wrong: every question marked wrong with the right answer, no points', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  await answerAll(page, false)
  await page.instance.onSubmit()
  expect(textOf(page, '#score-line')).toBe('答对 0 / 5 题，得分 0')
  expect(textOf(page, '#verdict')).toBe('还差一点，看看解析再试一次吧')
  expect(textOf(page, '#row-q5')).toContain('正确答案：B. 96110')
  expect(textOf(page, '#points')).toBe('及格即可获得 2 积分（每人一次）')
})

test('a lost reply: the error shows; the next tap re-sends the same requestId', async () => {
  const page = await open({ id: 'quiz-anti-fraud' })
  await answerAll(page, true)
  backend().failNext().failNext().failNext()
  await page.instance.onSubmit()
  expect(page.data.phase).toBe('answering')
  expect(textOf(page, '#form-error')).toContain('网络')
  await page.instance.onSubmit()
  expect(page.data.phase).toBe('result')
  const ids = new Set(
    backend()
      .actions('submitQuiz')
      .map((e) => e.requestId),
  )
  expect(backend().actions('submitQuiz')).toHaveLength(4)
  expect(ids.size).toBe(1)
})

test('an unknown quiz: the error with a way back', async () => {
  const page = await open({ id: 'no-such-quiz' })
  expect(page.data.phase).toBe('error')
  expect(page.data.message).toBe('没有这个测验')
  expect(page.querySelector('#back')).toBeDefined()
})
