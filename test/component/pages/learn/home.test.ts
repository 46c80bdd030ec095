// 学习与问答 home: the 百问百答 entry, featured items, categories, reading progress from the phone,
// quizzes with best score and points; loading, error with 重试 and a way out.
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { useContentBackend, usePage, useStorage } from '../../support/page-suite'

const { render, open } = usePage('pages/learn/index')
const backend = useContentBackend()
const storage = useStorage()

const tapTab = (page: RenderedPage, index: number) =>
  page.querySelector('#tabs')!.querySelectorAll('.t-tabs__item')[index]!.dispatchEvent('tap')

test('shows a loading indicator, then featured items, categories and quizzes', async () => {
  const page = render()
  const loaded = page.instance.onLoad({}) as Promise<void>
  expect(page.data.phase).toBe('loading')
  expect(page.querySelector('#loading')!.data.text).toBe('正在加载…')
  await loaded
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#faq-entry')).toContain('百问百答')
  expect(textOf(page, '#featured')).toContain('防诈宝典')
  expect(page.data.tabs.map((t: { label: string }) => t.label)).toEqual([
    '全部',
    '防范诈骗',
    '个人信息保护',
    '未成年人保护',
    '网络购物',
    '了解调查',
  ])
  expect(textOf(page, '#quiz-quiz-anti-fraud')).toContain('5 题 · 首次及格奖励 2 积分 · 未做过')
})

test('a category tab shows only its items', async () => {
  const page = await open()
  tapTab(page, 2)
  await until(page, (d) => d.tab === 'privacy')
  expect(page.data.cards.map((c: { id: string }) => c.id)).toEqual(['personal-info-basics'])
  expect(textOf(page, '#cards')).toContain('个人信息保护')
})

test('reading progress remembered on the phone: 已读, 在读, 读到第 N 章', async () => {
  storage().map.set('wal.learn.progress', {
    'fake-customer-service': { state: 'done', at: 1 },
    'kids-online': { state: 'reading', at: 1 },
    handbook: { state: 'reading', chapter: 2, at: 1 },
  })
  const page = await open()
  expect(textOf(page, '#progress-fake-customer-service')).toBe('已读')
  expect(textOf(page, '#progress-kids-online')).toBe('在读')
  expect(textOf(page, '#progress-handbook')).toBe('读到第 3 章')
})

test('an item opens the page of its kind; a quiz its quiz page; the entry the 百问百答', async () => {
  const page = await open()
  let went = nextNavigation('navigateTo')
  page.querySelector('#item-comic-part-time')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/learn/comic/index?id=comic-part-time' })
  went = nextNavigation('navigateTo')
  page.querySelector('#item-handbook')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/learn/handbook/index?id=handbook' })
  went = nextNavigation('navigateTo')
  page.querySelector('#quiz-quiz-privacy')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/learn/quiz/index?id=quiz-privacy' })
  went = nextNavigation('navigateTo')
  page.querySelector('#faq-entry')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/learn/faq/index' })
})

test('a network failure shows the error with 重试, which loads again', async () => {
  backend().failNext()
  const page = await open()
  expect(page.data.phase).toBe('error')
  expect(shownText(page)).toContain('加载失败')
  expect(textOf(page, '#retry')).toBe('重试')
  await page.instance.onRetry()
  expect(page.data.phase).toBe('ready')
})

test('an empty library says so instead of an empty page', async () => {
  backend().items = []
  backend().quizzes = []
  const page = await open()
  expect(textOf(page, '#empty')).toContain('这里还没有内容')
  expect(page.instance.onShareAppMessage()).toEqual({
    title: '学习与问答 · 网民网络安全感满意度调查',
    path: '/pages/learn/index',
  })
})

test('back from a quiz, the home shows its best score without a pull-down', async () => {
  const page = await open()
  expect(textOf(page, '#quiz-quiz-anti-fraud')).toContain('未做过')
  backend().results.set('quiz-anti-fraud', { best: 100, rewarded: true })
  await page.instance.onShow()
  expect(textOf(page, '#quiz-quiz-anti-fraud')).not.toContain('未做过')
  expect(textOf(page, '#quiz-quiz-anti-fraud')).toContain('100')
})
