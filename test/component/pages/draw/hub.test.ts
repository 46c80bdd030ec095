// The draw hub with a realistic reply: the 2024 draw table through core's publishedOdds, as the
// draw function builds it. Affordable kinds lead to their page; the others say what is missing.
import { nextNavigation } from '../../support/navigation'
import {
  SET_DATA_LIMIT,
  setDataSizes,
  shownText,
  textOf,
  until,
  type RenderedPage,
} from '../../support/render'
import { usePage, useRewardsBackend } from '../../support/page-suite'

const { open } = usePage('pages/draw/hub/index')
const backend = useRewardsBackend()

const openHub = (): Promise<RenderedPage> => open()

/** Each tier of a kind as shown: "prize probability". */
function odds(page: RenderedPage, kind: string): string[] {
  const texts = (cls: string) =>
    page.querySelectorAll(`#kind-${kind} ${cls}`).map((n) => n.dom!.textContent!.trim())
  const percents = texts('.odd__percent')
  return texts('.odd__prize').map((prize, i) => `${prize} ${percents[i]}`)
}

const kindButton = (page: RenderedPage, kind: string) => page.querySelector(`#go-${kind}`)!

test('shows the chances left and every kind with its cost and the published odds per tier', async () => {
  backend().chances = { balance: 5, granted: 6, spent: 1 }
  const page = await openHub()

  expect(backend().events('draw', 'hub')).toEqual([{ action: 'hub' }])
  expect(textOf(page, '#chances-value')).toBe('5')
  expect(textOf(page, '#chances-summary')).toBe('共获得 6 次，已使用 1 次')
  expect(textOf(page, '#kind-nine_grid .kind__name')).toBe('九宫格')
  expect(textOf(page, '#kind-nine_grid .kind__cost')).toBe('每次消耗 1 次机会')
  expect(odds(page, 'nine_grid')).toEqual(['1积分 60%', '2积分 35%', '3积分 5%'])
  expect(textOf(page, '#kind-copper .kind__cost')).toBe('每次消耗 3 次机会')
  // The remainder tier as the server resolves it: the published 50 % plus what the others leave.
  expect(odds(page, 'copper')).toEqual(['3积分 52%', '5积分 30%', '7积分 18%'])
  expect(odds(page, 'silver')).toEqual(['6积分 68%', '8积分 30%', '10积分 2%'])
  expect(odds(page, 'gold')).toEqual(['12积分 96%', '15积分 2%', '20积分 2%'])
  expect(textOf(page, '#kind-gold .kind__cost')).toBe('每次消耗 9 次机会')
})

test('sends its first screen to the view in payloads under 32 KB', async () => {
  const page = await openHub()
  const [initial, ...sent] = setDataSizes(page)
  // Every rendered page is held to the limit after each test (support/render.ts); this shows the
  // recording sees the page's own setData (the hub's reply), not only the initial data.
  expect(Math.max(...sent)).toBeGreaterThan(initial!)
  expect(Math.max(initial!, ...sent)).toBeLessThan(SET_DATA_LIMIT)
})

test('kinds costing more than the chances left are disabled and say how many are missing', async () => {
  backend().chances = { balance: 5, granted: 5, spent: 0 }
  const page = await openHub()

  expect(kindButton(page, 'nine_grid').data.disabled).toBe(false)
  expect(kindButton(page, 'copper').data.disabled).toBe(false)
  expect(textOf(page, '#go-copper')).toBe('去抽奖')
  expect(kindButton(page, 'silver').data.disabled).toBe(true)
  expect(textOf(page, '#go-silver')).toBe('还差 1 次机会')
  expect(kindButton(page, 'gold').data.disabled).toBe(true)
  expect(textOf(page, '#go-gold')).toBe('还差 4 次机会')
  expect(page.querySelector('#no-chances')).toBeUndefined()
  // Something is affordable: the survey progress is not asked.
  expect(backend().events('survey', 'myResponse')).toEqual([])
})

test('an affordable kind opens its page: the nine-grid, or the box of that kind', async () => {
  const page = await openHub()
  let navigated = nextNavigation('navigateTo')
  kindButton(page, 'nine_grid').querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/draw/nine-grid/index' })

  navigated = nextNavigation('navigateTo')
  kindButton(page, 'copper').querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/draw/box/index?kind=copper' })
})

test('with no chances, every kind is disabled and the way to more chances is shown', async () => {
  backend().chances = { balance: 0, granted: 10, spent: 10 }
  const page = await openHub()
  for (const kind of ['nine_grid', 'copper', 'silver', 'gold']) {
    expect(kindButton(page, kind).data.disabled).toBe(true)
  }
  expect(textOf(page, '#no-chances')).toContain('完成问卷可获得抽奖机会')
  expect(textOf(page, '#answer')).toBe('去答题')
})

test('at the chance cap with none left, it explains the cap and offers 学习与问答, not 去答题, which would lead nowhere', async () => {
  backend().chances = { balance: 0, granted: 10, spent: 10 }
  backend().progress = { ...backend().progress, chancesTotal: 10, chancesCap: 10 }
  const page = await openHub()

  expect(backend().events('survey', 'myResponse')).toEqual([{ action: 'myResponse' }])
  expect(textOf(page, '#no-more-note')).toContain(
    '您已获得本次调查的全部 10 次抽奖机会（每人最多 10 次）',
  )
  expect(page.querySelector('#answer')).toBeUndefined()
  expect(shownText(page)).not.toContain('去答题')
  // What is still useful: learning (it earns points), the wallet and the history below.
  expect(page.querySelector('#wallet')).toBeDefined()
  expect(page.querySelector('#history')).toBeDefined()
  const navigated = nextNavigation('navigateTo')
  page.querySelector('#learn')!.querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/learn/index' })
})

test('with every section answered below the cap and none left, it says there are no more to earn', async () => {
  backend().chances = { balance: 0, granted: 6, spent: 6 }
  backend().progress = { ...backend().progress, chancesTotal: 6, nextSectionId: null }
  const page = await openHub()
  expect(textOf(page, '#no-more-note')).toContain('您已答完本次调查的全部问卷')
  expect(shownText(page)).not.toContain('去答题')
})

test('shows the server notice, and links to the history and the wallet, which replaces the hub', async () => {
  backend().notice = '今日现金红包预算已发完，现在抽奖所得按奖项对应积分发放，中奖概率不变'
  const page = await openHub()
  expect(textOf(page, '#notice')).toBe(backend().notice)

  // redirectTo: hub ⇄ wallet back and forth must not push toward WeChat's 10-page limit.
  const navigated = nextNavigation('redirectTo')
  page.querySelector('#wallet')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/wallet/index' })
})

test('a failed load offers 重试; a closed campaign says so and keeps the history reachable', async () => {
  backend().failNext()
  const page = await openHub()
  expect(shownText(page)).toContain('网络连接失败，请检查网络后重试')
  page.querySelector('#retry')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'ready')

  backend().replyNext({ ok: false, error: { code: 'CAMPAIGN_CLOSED', message: 'closed' } })
  const closed = await openHub()
  expect(closed.data.phase).toBe('closed')
  expect(textOf(closed, '#closed')).toContain('本次抽奖已结束')
  expect(shownText(closed)).not.toContain('本次调查已结束')
  expect(shownText(closed)).not.toContain('抽奖暂未开放')
  expect(closed.querySelector('#history')).toBeDefined()
})

test('before the campaign opens, the hub says 抽奖暂未开放 and how chances will come', async () => {
  backend().replyNext({
    ok: false,
    error: { code: 'CAMPAIGN_NOT_STARTED', message: '调查尚未开始' },
  })
  const page = await openHub()
  expect(textOf(page, '#closed')).toContain('抽奖暂未开放')
  expect(textOf(page, '#closed')).toContain('完成问卷即可获得抽奖机会')
  expect(shownText(page)).not.toContain('本次抽奖已结束')
})

test('coming back from a draw refreshes the chances without a loading screen', async () => {
  const page = await openHub()
  backend().chances = { balance: 4, granted: 5, spent: 1 }
  const shown = page.instance.onShow() as Promise<void>
  expect(page.data.phase).toBe('ready')
  await shown
  expect(textOf(page, '#chances-value')).toBe('4')
})
