// Points, red envelopes and probabilities as people read them on the draw and wallet pages.
import {
  formatPercent,
  formatYuan,
  prizeLabel,
  signedPoints,
} from '../../../miniprogram/utils/reward-format'

test.each([
  [10, '0.1'],
  [150, '1.5'],
  [200, '2'],
  [5, '0.05'],
  [0, '0'],
])('%i fen is %s yuan', (fen, yuan) => {
  expect(formatYuan(fen)).toBe(yuan)
})

test.each([
  [6000, '60%'],
  [5200, '52%'],
  [250, '2.5%'],
  [5, '0.05%'],
  [10000, '100%'],
])('%i basis points is %s', (bp, text) => {
  expect(formatPercent(bp)).toBe(text)
})

test('a tier reads as points or as a red envelope, in the campaign prize form', () => {
  const tier = { points: 3, cashFen: 30 }
  expect(prizeLabel(tier, 'points')).toBe('3积分')
  expect(prizeLabel(tier, 'cash')).toBe('0.3元红包')
})

test('amounts carry their sign', () => {
  expect(signedPoints(3)).toBe('+3')
  expect(signedPoints(-50)).toBe('-50')
})
