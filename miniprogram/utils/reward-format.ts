// Points, red envelopes and probabilities as the draw and wallet pages show them.

/** A decimal without trailing zeros: 0.10 → "0.1", 2.00 → "2". Exact for the hundredths used here. */
function trimmedHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : ''
  const abs = Math.abs(Math.round(hundredths))
  const whole = Math.floor(abs / 100)
  const cents = abs % 100
  if (cents === 0) return `${sign}${whole}`
  const frac = cents < 10 ? `0${cents}` : String(cents)
  return `${sign}${whole}.${frac.replace(/0$/, '')}`
}

/** Yuan from fen (分): 10 → "0.1", 150 → "1.5", 200 → "2". */
export function formatYuan(fen: number): string {
  return trimmedHundredths(fen)
}

/** A probability in basis points as a percentage: 6000 → "60%", 250 → "2.5%", 5 → "0.05%". */
export function formatPercent(bp: number): string {
  return `${trimmedHundredths(bp)}%`
}

/** What one tier pays, in the campaign's prize form: "3积分" or "0.3元红包". */
export function prizeLabel(
  tier: { points: number; cashFen: number },
  prizeForm: 'points' | 'cash',
): string {
  return prizeForm === 'cash' ? `${formatYuan(tier.cashFen)}元红包` : `${tier.points}积分`
}

/** A ledger amount with its sign: +3, -50. */
export function signedPoints(amount: number): string {
  return amount > 0 ? `+${amount}` : String(amount)
}

/** 剩余抽奖机会 N 次 — the chance line of the draw pages. */
export const chancesText = (n: number): string => `剩余抽奖机会 ${n} 次`

/** 还差 N 次机会 — why a draw is out of reach. */
export const missingText = (missing: number): string => `还差 ${missing} 次机会`

/** What a draw page shows about `chances` against a draw that costs `cost`. */
export function affordability(chances: number, cost: number) {
  return {
    chancesText: chancesText(chances),
    affordable: chances >= cost,
    missingText: chances >= cost ? '' : missingText(cost - chances),
  }
}
