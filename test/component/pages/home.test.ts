// The campaign home page, rendered with the real WXML compiler and TDesign components; the
// backend is faked at wx.request, the boundary the services layer talks to.
import { ok, fail } from 'wal-core'
import type { Progress } from 'wal-core'
import { campaign2024, startedPublicProgress, withStatus } from '../support/campaigns'
import { FakeGateway } from '../support/fake-wx'
import { shownText, textOf, until, type RenderedPage } from '../support/render'
import { nextNavigation } from '../support/navigation'
import { useFake, usePage } from '../support/page-suite'
import { installStorage } from '../support/storage'

const notStarted: Progress = {
  started: false,
  campaignId: 'wal-2024',
  version: null,
  sections: [],
  chancesTotal: 0,
  chancesCap: 0,
  nextSectionId: null,
}

const startedPublic = startedPublicProgress()

const { render } = usePage('pages/home/index')
const gateway = useFake(() => new FakeGateway())

/** Render the page and run its onLoad, as WeChat does when the page opens. */
function openHome(): { page: RenderedPage; loaded: Promise<void> } {
  const page = render()
  const loaded = page.instance.onLoad({}) as Promise<void>
  return { page, loaded }
}

test('asks the campaign function for the current campaign when the page opens', () => {
  openHome()
  expect(gateway().sent).toHaveLength(1)
  expect(gateway().sent[0]!.url).toMatch(/\/functions\/campaign$/)
  expect(gateway().sent[0]!.event).toEqual({ action: 'getCurrent' })
})

test('shows a TDesign loading indicator until the campaign arrives', async () => {
  const { page, loaded } = openHome()

  expect(page.data.phase).toBe('loading')
  expect(page.querySelector('#loading')!.data.text).toBe('正在加载调查活动…')
  expect(shownText(page)).toContain('正在加载调查活动…')
  expect(shownText(page)).not.toContain(campaign2024.name)

  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')
  expect(page.querySelector('#loading')).toBeUndefined()
  gateway().reply(ok(notStarted))
  await loaded
})

test('shows the open campaign: name, slogan, China-time window, status and both versions', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')
  gateway().reply(ok(notStarted))
  await loaded

  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#name')).toBe('2024网民网络安全感满意度调查活动')
  expect(textOf(page, '#slogan')).toBe('「安安全全共净网 满满意意享生活」')
  expect(textOf(page, '#window')).toContain('2024年7月17日 00:00 至 7月26日 24:00')
  expect(textOf(page, '#organiser')).toContain('网民网络安全感满意度调查活动组委会')
  expect(textOf(page, '#status')).toBe('进行中')
  expect(page.querySelector('#status')!.data.theme).toBe('success')

  expect(textOf(page, '#version-public')).toContain('公共网民版')
  expect(textOf(page, '#version-practitioner')).toContain('网络从业人员版')
  expect(textOf(page, '#version-practitioner')).toContain('面向网络安全及相关行业从业人员')

  // What taking part earns, before the choice of version: chances, the draw, gifts.
  expect(textOf(page, '#rewards')).toContain('参与调查 · 赢取奖励')
  expect(textOf(page, '#reward-answer')).toContain('得抽奖机会')
  expect(textOf(page, '#reward-draw')).toContain('赢网安联积分')
  expect(textOf(page, '#reward-redeem')).toContain('积分换礼品')
})

test('while the campaign is open, a version entry leads to the privacy notice of that version', async () => {
  const navigated = nextNavigation('navigateTo')
  const { page, loaded } = openHome()
  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')
  expect(gateway().sent[1]!.event).toEqual({ action: 'myResponse' })
  gateway().reply(ok(notStarted))
  await loaded

  const buttons = page.querySelectorAll('.version__button')
  expect(buttons).toHaveLength(2)
  for (const button of buttons) expect(button.data.disabled).toBe(false)

  buttons[1]!.querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({
    url: '/pages/survey/consent/index?version=practitioner',
  })
})

test('a respondent who has started is offered 继续答题 and cannot switch version', async () => {
  const navigated = nextNavigation('navigateTo')
  const { page, loaded } = openHome()
  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')
  gateway().reply(ok(startedPublic))
  await loaded

  expect(textOf(page, '#resume')).toContain('您已开始答题（公共网民版），下一部分：网络法治')
  expect(textOf(page, '#continue')).toBe('继续答题')
  // A returning respondent goes on: the rewards explainer gives way to the resume card.
  expect(page.querySelector('#rewards')).toBeUndefined()
  const [publicEntry, practitionerEntry] = page.querySelectorAll('.version__button')
  expect(publicEntry!.data.disabled).toBe(false)
  expect(practitionerEntry!.data.disabled).toBe(true)
  expect(textOf(page, '#version-practitioner')).toContain('您已选择其他版本，版本确定后不能更改')

  page.querySelector('#continue')!.querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({
    url: '/pages/survey/section/index?version=public&section=rule_of_law',
  })
})

test('a respondent with draw chances is offered 去抽奖; the wallet is always a tap away', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')
  expect(page.querySelector('#draw')).toBeUndefined() // not before the progress says so
  gateway().reply(ok(startedPublic))
  await loaded

  let navigated = nextNavigation('navigateTo')
  page.querySelector('#draw')!.querySelector('.t-button')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/draw/hub/index' })

  navigated = nextNavigation('navigateTo')
  page.querySelector('#wallet')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({ url: '/pages/wallet/index' })
})

test('keeps the share-code scene the page was opened with, decoded, for the start', async () => {
  const storage = installStorage()
  const page = render()
  const loaded = page.instance.onLoad({ scene: encodeURIComponent('v_gz-0001') }) as Promise<void>
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  expect(storage.map.get('wal.survey.scene')).toBe('v_gz-0001')
  storage.restore()
})

test('a scanned volunteer invite (scene i=…) opens the join page instead of keeping a scene', async () => {
  const storage = installStorage()
  const page = render()
  const went = nextNavigation('navigateTo')
  const loaded = page.instance.onLoad({ scene: encodeURIComponent('i=JNV2345') }) as Promise<void>
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  await expect(went).resolves.toEqual({ url: '/pages/volunteer/join/index?code=JNV2345' })
  expect(storage.map.has('wal.survey.scene')).toBe(false)
  storage.restore()
})

test("a forwarded home card carries the code it came with, or the volunteer's own code", async () => {
  const storage = installStorage()
  const page = render()
  const loaded = page.instance.onLoad({ scene: encodeURIComponent('c=K7M3PQ2') }) as Promise<void>
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  expect(page.instance.onShareAppMessage().path).toBe('/pages/home/index?scene=c%3DK7M3PQ2')
  storage.map.set('wal.volunteer.ownCode', 'ABCD234')
  expect(page.instance.onShareAppMessage().path).toBe('/pages/home/index?scene=c%3DABCD234')
  storage.restore()
})

test('the volunteer page is a tap away from home', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  const went = nextNavigation('navigateTo')
  page.querySelector('#volunteer')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/volunteer/index' })
})

test('the points store is a tap away from home, below 我的积分', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  expect(textOf(page, '#store')).toBe('积分商城用积分兑换礼品、文创产品和调查报告')
  const shown = shownText(page)
  expect(shown.indexOf('我的积分')).toBeLessThan(shown.indexOf('积分商城'))
  expect(shown.indexOf('积分商城')).toBeLessThan(shown.indexOf('我的志愿服务'))
  const went = nextNavigation('navigateTo')
  page.querySelector('#store')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/store/index' })
})

test('学习与问答 is a tap away from home, next to the other entries', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(withStatus('upcoming')))
  await loaded
  expect(textOf(page, '#learn')).toContain('学习与问答')
  const went = nextNavigation('navigateTo')
  page.querySelector('#learn')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/learn/index' })
})

test('shows when an upcoming campaign opens, with the entries not yet open', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(withStatus('upcoming')))
  await loaded

  expect(textOf(page, '#status')).toBe('未开始')
  expect(textOf(page, '#notice')).toBe('调查将于 2024年7月17日 00:00 开始')
  expect(textOf(page, '#version-public')).toContain('调查尚未开始')
})

test('a closed campaign says 本次调查已结束 and offers no questionnaire entry', async () => {
  const { page, loaded } = openHome()
  gateway().reply(ok(withStatus('closed')))
  await loaded

  expect(textOf(page, '#status')).toBe('已结束')
  expect(page.querySelector('#closed')!.data.title).toBe('本次调查已结束')
  expect(shownText(page)).toContain('本次调查已结束')
  expect(page.querySelector('#versions')).toBeUndefined()
  expect(shownText(page)).not.toContain('公共网民版')
})

test('an error reply shows the error state with a friendly message and 重试', async () => {
  const { page, loaded } = openHome()
  gateway().reply(fail('INTERNAL', 'database unavailable'), 500)
  await loaded

  expect(page.data.phase).toBe('error')
  expect(shownText(page)).toContain('加载失败')
  expect(shownText(page)).toContain('服务繁忙，请稍后重试')
  expect(shownText(page)).not.toContain('database unavailable')
  expect(textOf(page, '#retry')).toBe('重试')
})

test('a network failure shows the error state, not an endless spinner', async () => {
  const { page, loaded } = openHome()
  gateway().fail('request:fail net::ERR_CONNECTION_REFUSED')
  await loaded

  expect(page.data.phase).toBe('error')
  expect(shownText(page)).toContain('网络连接失败，请检查网络后重试')
})

test('tapping 重试 asks again and renders the campaign', async () => {
  const { page, loaded } = openHome()
  gateway().fail('request:fail timeout')
  await loaded
  expect(shownText(page)).toContain('网络请求超时，请稍后重试')

  // Tap the native <button> inside t-button, as a finger would (simulate delivers it async).
  page.querySelector('#retry')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'loading')

  expect(gateway().sent).toHaveLength(2)
  expect(gateway().sent[1]!.event).toEqual({ action: 'getCurrent' })
  gateway().reply(ok(campaign2024))
  await until(page, (data) => data.phase === 'ready')

  expect(textOf(page, '#name')).toBe('2024网民网络安全感满意度调查活动')
  expect(page.querySelector('#retry')).toBeUndefined()
})
