// What the prize result says for each outcome of a draw: points won, a red envelope queued or
// paid, a red envelope paid as points (and why), and whether there are chances to draw again.
import type { DrawResult } from 'wal-core'
import { toPrizeView } from '../../../miniprogram/components/prize-result/view'

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
