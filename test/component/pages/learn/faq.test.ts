// 百问百答: ask in one's own words (积分怎么换礼品 → the answer with its source), "你可能想问" when
// nothing fits, the list by topic, one answer with related questions and "did this help".
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until } from '../../support/render'
import { useContentBackend, usePage, useStorage } from '../../support/page-suite'

const backend = useContentBackend()
useStorage()

describe('faq', () => {
  const { open } = usePage('pages/learn/faq/index')

  test('asks 积分怎么换礼品 and shows the answer with the question it came from', async () => {
    const page = await open()
    page.instance.onInput({ detail: { value: '积分怎么换礼品' } })
    await page.instance.onAsk()
    expect(textOf(page, '#answer-text')).toContain('打开积分商城')
    expect(page.data.sources.map((s: { id: string }) => s.id)).toEqual(['how-redeem'])
    expect(textOf(page, '#sources')).toContain('依据以下问答整理')
    expect(shownText(page)).toContain('怎么用积分兑换礼品？')
    expect(textOf(page, '#others')).toContain('你可能想问')
    expect(page.data.others.map((o: { id: string }) => o.id)).toContain('points-use')
    expect(page.querySelector('#composed')).toBeUndefined()
    const went = nextNavigation('navigateTo')
    page.instance.onFaq({ currentTarget: { dataset: { id: 'points-use' } } })
    await expect(went).resolves.toEqual({ url: '/pages/learn/answer/index?id=points-use' })
  })

  test('opened with ?q= it asks at once; a question it cannot answer offers the nearest', async () => {
    const page = await open({ q: encodeURIComponent('今天天气怎么样') })
    expect(page.data.asked).toBe(true)
    expect(textOf(page, '#no-answer')).toBe('没有找到确切的回答，看看下面这些问题，或换个说法再问')
    expect(page.querySelector('#answer')).toBeUndefined()
  })

  test('lists every question by topic', async () => {
    const page = await open()
    expect(page.data.all.length).toBeGreaterThanOrEqual(100)
    page.querySelector('#tabs')!.querySelectorAll('.t-tabs__item')[5]!.dispatchEvent('tap')
    await until(page, (d) => d.tab === 'points')
    expect(page.data.shown.every((f: { topic: string }) => f.topic === 'points')).toBe(true)
    expect(shownText(page)).toContain('网安联积分是什么？')
  })

  test('a failed ask says why and keeps the page', async () => {
    const page = await open()
    page.setData({ question: '积分怎么用' })
    backend().failNext()
    await page.instance.onAsk()
    expect(textOf(page, '#ask-error')).toContain('网络')
    expect(page.data.phase).toBe('ready')
  })
})
