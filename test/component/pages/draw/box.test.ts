// A treasure box: closed until tapped, shaking while the server draws, open on the server's
// prize; 重试 after a lost reply re-sends the same requestId.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { usePage, useRewardsBackend } from '../../support/page-suite'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'

const { open } = usePage('pages/draw/box/index')
const backend = useRewardsBackend()

const openBox = (kind: string): Promise<RenderedPage> => open({ kind })

function prizeText(page: RenderedPage, id: string): string {
  const node = page.querySelector('#result')!.querySelector(id)!
  return node.dom!.textContent!.replace(/\s+/g, ' ').trim()
}

const boxClass = (page: RenderedPage) => page.querySelector('#box')!.dom!.className

test('a closed copper box with its cost and odds; tapping it opens it on the server prize', async () => {
  backend().tiers.push(2)
  jest.spyOn(wx, 'setNavigationBarTitle')
  const page = await openBox('copper')
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(
    expect.objectContaining({ title: '铜宝箱' }),
  )
  expect(textOf(page, '#chances')).toBe('剩余抽奖机会 5 次')
  expect(shownText(page)).toContain('每次消耗 3 次机会')
  const odds = page.querySelectorAll('.odds__row').map((row) => row.dom!.textContent!.trim())
  expect(odds).toEqual(['3积分52%', '5积分30%', '7积分18%'])
  expect(boxClass(page)).not.toContain('box--open')

  backend().holdNext()
  page.querySelector('#box')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'opening')
  expect(boxClass(page)).toContain('box--opening')
  expect(textOf(page, '#opening')).toBe('宝箱开启中…')

  backend().release()
  await until(page, (data) => data.phase === 'result')
  expect(boxClass(page)).toContain('box--open')
  expect(prizeText(page, '#amount')).toBe('7 积分')
  expect(prizeText(page, '#chances')).toBe('剩余 2 次抽奖机会')
  expect(backend().events('draw', 'draw')).toEqual([
    { action: 'draw', kind: 'copper', requestId: expect.any(String) },
  ])
  // 2 chances left cannot pay for another copper box.
  expect(page.querySelector('#result')!.querySelector('#again')).toBeUndefined()
  expect(prizeText(page, '#no-again')).toBe('再抽一次还差 1 次机会')
})

test('a lost reply: 重试 re-sends the same requestId, and the box opens on the first draw', async () => {
  backend().tiers.push(1, 2)
  const page = await openBox('copper')
  // Every automatic re-send is lost too, so the page shows the failure and offers 重试.
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().loseNextReply('request:fail timeout')
  page.querySelector('#open')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'failed')
  expect(textOf(page, '#failure-message')).toBe('网络请求超时，请稍后重试')

  page.querySelector('#retry')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'result')
  const [first, second] = backend().events('draw', 'draw')
  expect(second).toEqual(first)
  expect(backend().draws).toHaveLength(1)
  expect(prizeText(page, '#amount')).toBe('5 积分')
})

test('a box that costs more than the chances left cannot be opened', async () => {
  const page = await openBox('gold')
  expect(page.querySelector('#open')!.data.disabled).toBe(true)
  expect(textOf(page, '#open')).toBe('还差 4 次机会')
  page.querySelector('#box')!.dispatchEvent('tap')
  expect(backend().events('draw', 'draw')).toHaveLength(0)
})

test('an unknown kind says so and leads back to the hub, without asking the server', async () => {
  const page = await openBox('platinum')
  expect(page.data.phase).toBe('invalid')
  expect(shownText(page)).toContain('没有这种宝箱')
  expect(backend().sent).toEqual([])
})

test('✕ on the reveal closes it: the box shuts again, ready for the next draw', async () => {
  backend().tiers.push(0)
  const page = await openBox('copper')
  page.querySelector('#open')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'result')
  page.querySelector('#result')!.querySelector('#close')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'ready')
  expect(page.querySelector('#result')).toBeUndefined()
  expect(boxClass(page)).not.toContain('box--open')
  expect(textOf(page, '#chances')).toBe('剩余抽奖机会 2 次')
})

test('a closed campaign says 本次抽奖已结束 over the box, not 本次调查已结束 under 抽奖暂未开放', async () => {
  backend().replyNext({ ok: false, error: { code: 'CAMPAIGN_CLOSED', message: '本次调查已结束' } })
  const page = await openBox('copper')
  expect(page.data.phase).toBe('closed')
  expect(textOf(page, '#closed')).toContain('本次抽奖已结束')
  expect(shownText(page)).not.toContain('本次调查已结束')
  expect(shownText(page)).not.toContain('抽奖暂未开放')
})
