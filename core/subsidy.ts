// Publicity subsidies (宣传补贴): per initiating unit, money at 10% of its valid samples in yuan,
// or points equal to them; the committee picks the form per unit (docs/operations.md).

export type SubsidyForm = 'money' | 'points'

/** 10% of the valid samples in yuan, in fen: 10,000 samples → ¥1,000 = 100,000 fen. */
export function subsidyMoneyFen(validSamples: number): number {
  return Math.max(0, Math.floor(validSamples)) * 10
}

/** One point per valid sample. */
export function subsidyPoints(validSamples: number): number {
  return Math.max(0, Math.floor(validSamples))
}

/**
 * Points a settlement posts now: what the form owes minus what earlier settlements posted. A unit
 * on the money form is owed no points; a negative owed (samples later found invalid) posts nothing —
 * points are never taken back by a settlement, the next one waits until the count catches up.
 */
export function subsidyPointsOwed(
  form: SubsidyForm,
  validSamples: number,
  settled: number,
): number {
  if (form !== 'points') return 0
  return Math.max(0, subsidyPoints(validSamples) - settled)
}

/** ¥ with two decimals for a table (fen in, text out). */
export function yuanText(fen: number): string {
  return (fen / 100).toFixed(2)
}
