// What the prize result says for each outcome of a draw: points won, a red envelope queued or
// paid, a red envelope paid as points (and why), nothing won (thanks), and whether there are
// chances to draw again; and the reveal it renders: a celebration over the page for a win, a
// thank-you for nothing.
import simulate from 'miniprogram-simulate'
import type { DrawResult } from 'wal-core'
import {
  toPrizeView,
  type PrizeView,
} from '../../../../miniprogram/pages/draw/components/prize-result/view'
import { loadPage, shownText, type RenderedPage } from '../../support/render'

const points: DrawResult = {
  drawId: 'd1',
  kind: 'copper',
  tableVersion: '2024.1',
  tierId: 't2',
  tierIndex: 1,
  prize: { form: 'points', points: 5 },
  fallback: null,
  chancesLeft: 4,
  createdAt: '2024-07-20T02:00:00.000Z',
}

test('points won go to the wallet; 再抽一次 says what it costs', () => {
  expect(toPrizeView(points, 3)).toMatchObject({
    won: true,
    mascotSrc: '/assets/mascots/man.svg',
    headline: '恭喜您获得',
    amount: '5 积分',
    detail: '积分已存入“我的积分”',
    fellBack: false,
    chancesText: '剩余 4 次抽奖机会',
    canAgain: true,
    againText: '再抽一次（消耗 3 次机会）',
  })
})

test('a red envelope says where it goes: queued, waiting for the winner to confirm, or paid', () => {
  const cash = (payoutStatus: 'pending' | 'awaiting_user' | 'paid' | 'failed'): DrawResult => ({
    ...points,
    prize: { form: 'cash', cashFen: 50, payoutStatus },
  })
  expect(toPrizeView(cash('pending'), 3)).toMatchObject({
    amount: '0.5 元现金红包',
    detail: '红包将发放到您的微信零钱，如需确认收款，请到「我的积分」页领取',
  })
  expect(toPrizeView(cash('awaiting_user'), 3).detail).toBe(
    '红包待领取，请到「我的积分」页确认收款',
  )
  expect(toPrizeView(cash('paid'), 3).detail).toBe('红包已发放到您的微信零钱')
  expect(toPrizeView(cash('failed'), 3).detail).toContain('系统会自动重新发放')
})

test('a red envelope paid as points explains why', () => {
  const budget = toPrizeView({ ...points, fallback: 'budget_exhausted' }, 3)
  expect(budget).toMatchObject({ amount: '5 积分', fellBack: true })
  expect(budget.detail).toBe('今日现金红包已发完，本次奖品已按对应积分发放到“我的积分”')
  const cap = toPrizeView({ ...points, fallback: 'user_daily_cap' }, 3)
  expect(cap.detail).toBe('您今日领取的现金红包已达上限，本次奖品已按对应积分发放到“我的积分”')
})

test('without enough chances there is no 再抽一次, only what is missing', () => {
  expect(toPrizeView({ ...points, chancesLeft: 1 }, 3)).toMatchObject({
    canAgain: false,
    againText: '再抽一次还差 2 次机会',
  })
})

test('a tier worth nothing (0 points or ¥0) is thanked, not congratulated', () => {
  const none = toPrizeView({ ...points, prize: { form: 'points', points: 0 } }, 3)
  expect(none).toMatchObject({
    won: false,
    mascotSrc: '/assets/mascots/yi.svg',
    headline: '谢谢参与',
    amount: '',
    fellBack: false,
  })
  expect(none.detail).toContain('感谢您参与调查')
  const noCash = toPrizeView(
    { ...points, prize: { form: 'cash', cashFen: 0, payoutStatus: 'paid' } },
    3,
  )
  expect(noCash).toMatchObject({ won: false, headline: '谢谢参与', amount: '' })
})

// The reveal as a page shows it: a host component passes the view and collects the events.
let hostId: string | undefined
let events: string[] = []

function reveal(view: PrizeView): RenderedPage {
  if (!hostId) {
    const resultId = loadPage('pages/draw/components/prize-result/index', 'prize-result')
    hostId = simulate.load({
      template:
        '<prize-result id="result" view="{{view}}" bind:again="on" bind:wallet="on" bind:back="on" bind:close="on" />',
      usingComponents: { 'prize-result': resultId },
      data: { view: {} },
      methods: {
        on(e: { type: string }) {
          events.push(e.type)
        },
      },
    } as unknown as string) as unknown as string
  }
  events = []
  const host = simulate.render(hostId)
  host.attach(document.createElement('parent-wrapper'))
  host.setData({ view })
  return host
}

/** The src the reveal's mascot <image> was given. */
function mascotOf(host: RenderedPage): string | undefined {
  const image = host.querySelector('#result')!.querySelector('.reveal__mascot')!
  const { attrs } = image.toJSON() as { attrs: { name: string; value: string }[] }
  return attrs.find((a) => a.name === 'src')?.value
}

const revealClass = (host: RenderedPage) =>
  host.querySelector('#result')!.querySelector('.reveal')!.dom!.className

test('a win is revealed over the page: the prize named large, the cheering mascot, confetti', async () => {
  const host = reveal(toPrizeView(points, 3))
  const result = host.querySelector('#result')!
  // Fixed over the page (index.wxss), so it is in view whatever the scroll.
  expect(revealClass(host)).toContain('reveal--win')
  expect(result.querySelector('#headline')!.dom!.textContent).toBe('恭喜您获得')
  expect(result.querySelector('#amount')!.dom!.textContent).toBe('5 积分')
  expect(result.querySelector('#rays')).toBeTruthy()
  expect(result.querySelectorAll('.reveal__confetti').length).toBeGreaterThan(0)
  expect(mascotOf(host)).toBe('/assets/mascots/man.svg')
  expect(shownText(host)).toContain('积分已存入“我的积分”')

  result.querySelector('#again')!.querySelector('.t-button')!.dispatchEvent('tap')
  result.querySelector('#close')!.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toEqual(['again', 'close'])
})

test('nothing won: the thank-you, with 意意 and no confetti or amount', () => {
  const host = reveal(toPrizeView({ ...points, prize: { form: 'points', points: 0 } }, 3))
  const result = host.querySelector('#result')!
  expect(revealClass(host)).toContain('reveal--thanks')
  expect(result.querySelector('#headline')!.dom!.textContent).toBe('谢谢参与')
  expect(result.querySelector('#amount')).toBeFalsy()
  expect(result.querySelector('#rays')).toBeFalsy()
  expect(result.querySelectorAll('.reveal__confetti')).toHaveLength(0)
  expect(mascotOf(host)).toBe('/assets/mascots/yi.svg')
})
