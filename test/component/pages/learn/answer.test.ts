// One 百问百答 answer: the question and answer, related questions and "did this help".
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf } from '../../support/render'
import { useContentBackend, usePage, useStorage } from '../../support/page-suite'

const backend = useContentBackend()
useStorage()

describe('answer', () => {
  const { open } = usePage('pages/learn/answer/index')

  test('the answer, related questions and one vote that can change', async () => {
    const page = await open({ id: 'pickup-days' })
    expect(textOf(page, '#question')).toBe('兑换后多久内要去自提点领取？')
    expect(textOf(page, '#answer')).toContain('7 天内领取')
    expect(page.data.detail.related).toHaveLength(3)
    expect(shownText(page)).toContain(`相关问题${page.data.detail.related[0].question}`)
    await page.instance.onHelpful()
    expect(textOf(page, '#vote-note')).toBe('感谢你的反馈')
    expect(textOf(page, '#votes')).toBe('1 人觉得有帮助')
    expect(page.data.mine).toBe('helpful')
    await page.instance.onUnhelpful()
    expect(page.data.mine).toBe('unhelpful')
    expect(backend().actions('feedback')).toHaveLength(2)
    const went = nextNavigation('redirectTo')
    page.instance.onRelated({ currentTarget: { dataset: { id: page.data.detail.related[0].id } } })
    await expect(went).resolves.toEqual({
      url: `/pages/learn/answer/index?id=${page.data.detail.related[0].id}`,
    })
  })

  test('an unknown question: the error with 重试 and a way back', async () => {
    const page = await open({ id: 'no-such-faq' })
    expect(page.data.message).toBe('这个问题不存在或已下架')
    expect(page.querySelector('#retry')).toBeDefined()
    expect(page.querySelector('#back')).toBeDefined()
  })
})
