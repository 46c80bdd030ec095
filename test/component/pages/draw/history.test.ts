// Draw history: newest first, a page at a time, pull down to refresh, an empty state with a way on.
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useRewardsBackend } from '../../support/page-suite'

const { open } = usePage('pages/draw/history/index')
const backend = useRewardsBackend()

const openHistory = (): Promise<RenderedPage> => open()

const rows = (page: RenderedPage) => page.querySelectorAll('.row')

test('newest first, with the kind, the prize and the China time of each draw', async () => {
  backend().tiers.push(0, 2)
  backend().seedDraws(1).seedDraws(1, 'gold')
  const page = await openHistory()
  expect(rows(page)).toHaveLength(2)
  expect(textOf(page, '#draw-0')).toContain('金宝箱')
  expect(textOf(page, '#draw-0')).toContain('20积分')
  expect(textOf(page, '#draw-0')).toContain('2024年7月20日 10:02')
  expect(textOf(page, '#draw-1')).toContain('九宫格')
  expect(textOf(page, '#draw-1')).toContain('1积分')
  expect(textOf(page, '#no-more')).toBe('没有更多记录了')
})

test('reaching the bottom loads the next page after the cursor and appends it', async () => {
  backend().seedDraws(25)
  const page = await openHistory()
  expect(rows(page)).toHaveLength(20)
  expect(backend().events('draw', 'history')).toEqual([{ action: 'history', limit: 20 }])

  await page.instance.onReachBottom()
  expect(rows(page)).toHaveLength(25)
  expect(backend().events('draw', 'history')[1]).toEqual({
    action: 'history',
    cursor: '6',
    limit: 20,
  })
  await page.instance.onReachBottom() // nothing more to ask for
  expect(backend().events('draw', 'history')).toHaveLength(2)
})

test('pull-to-refresh reloads the first page and stops the refresh indicator', async () => {
  backend().seedDraws(2)
  const page = await openHistory()
  backend().seedDraws(1)
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  await page.instance.onPullDownRefresh()
  expect(rows(page)).toHaveLength(3)
  expect(stop).toHaveBeenCalled()
})

test('no draws yet: an empty state that leads to the draw', async () => {
  const page = await openHistory()
  expect(shownText(page)).toContain('还没有抽奖记录')
  const navigated = nextNavigation('redirectTo')
  page.querySelector('#go-draw')!.querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/draw/hub/index' })
})

test('a failed page is offered again; a failed first load shows 重试', async () => {
  backend().seedDraws(21)
  const page = await openHistory()
  backend().failNext()
  await page.instance.onReachBottom()
  expect(textOf(page, '#more-retry')).toBe('加载失败，点击重试')
  page.querySelector('#more-retry')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.items.length === 21)

  backend().failNext()
  const failed = await openHistory()
  expect(failed.data.phase).toBe('error')
  expect(shownText(failed)).toContain('网络连接失败')
})
