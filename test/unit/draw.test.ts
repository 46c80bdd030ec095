// core/draw: table validation (100 % or a remainder tier), the shipped 2024 table, and the sampler's
// fit — chi-square over 1,000,000 seeded draws per kind (the fit is asserted, not exact counts).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  DRAW_KINDS,
  drawKindTableSchema,
  drawTableSchema,
  effectiveWeights,
  kindExpectation,
  publishedOdds,
  sampleTier,
} from 'wal-core'

const table2024 = drawTableSchema.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../campaigns/2024/draw-table.json'), 'utf8')),
)

/** xorshift128+ style 32-bit generator, seeded; randomInt by rejection (no modulo bias). */
function seededRandomInt(seed: number): (n: number) => number {
  let a = seed >>> 0 || 1
  let b = 0x9e3779b9
  const next32 = () => {
    let t = a ^ (a << 11)
    a = b
    b = (b ^ (b >>> 19) ^ (t ^ (t >>> 8))) >>> 0
    t = b
    return t >>> 0
  }
  return (n: number) => {
    const limit = Math.floor(0x1_0000_0000 / n) * n
    for (;;) {
      const x = next32()
      if (x < limit) return x % n
    }
  }
}

/** Upper 0.1 % points of the chi-square distribution by degrees of freedom. */
const CHI2_999: Record<number, number> = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47 }

describe('draw tables', () => {
  it('the shipped 2024 table keeps the published weights and resolves the remainders', () => {
    expect(
      publishedOdds(table2024).map((k) => [
        k.kind,
        k.cost,
        k.tiers.map((t) => t.probabilityBp / 100),
      ]),
    ).toEqual([
      ['nine_grid', 1, [60, 35, 5]],
      ['copper', 3, [52, 30, 18]],
      ['silver', 6, [68, 30, 2]],
      ['gold', 9, [96, 2, 2]],
    ])
  })

  it.each([
    ['sums to 100 %', [6000, 4000], undefined, true],
    ['sums to 98 % without a remainder tier', [5000, 4800], undefined, false],
    ['sums to 82 % with a remainder tier', [5000, 3200], 0, true],
    ['over 100 % even with a remainder tier', [7000, 4000], 0, false],
  ])('a kind whose weights %s is valid: %s', (_label, weights, remainderAt, valid) => {
    const tiers = weights.map((w, i) => ({
      id: `t${i}`,
      points: i + 1,
      cashFen: (i + 1) * 10,
      weightBp: w,
      ...(i === remainderAt ? { remainder: true } : {}),
    }))
    expect(drawKindTableSchema.safeParse({ cost: 1, tiers }).success).toBe(valid)
  })

  it('two remainder tiers are refused', () => {
    const tiers = [
      { id: 'a', points: 1, cashFen: 10, weightBp: 1000, remainder: true },
      { id: 'b', points: 2, cashFen: 20, weightBp: 1000, remainder: true },
    ]
    expect(drawKindTableSchema.safeParse({ cost: 1, tiers }).success).toBe(false)
  })

  it('expected and maximum points per draw', () => {
    expect(kindExpectation(table2024.kinds.nine_grid, 'points')).toEqual({ mean: 1.45, max: 3 })
    expect(kindExpectation(table2024.kinds.gold, 'points').mean).toBeCloseTo(12.22, 10)
  })
})

describe('sampler', () => {
  it.each(DRAW_KINDS)(
    '%s: 1,000,000 seeded draws fit the configured probabilities (chi-square, p > 0.001)',
    (kind) => {
      const weights = effectiveWeights(table2024.kinds[kind])
      const total = weights.reduce((a, b) => a + b, 0)
      const randomInt = seededRandomInt(20240717 + kind.length)
      const N = 1_000_000
      const counts = weights.map(() => 0)
      for (let i = 0; i < N; i++) counts[sampleTier(weights, randomInt)]! += 1
      const chi2 = counts.reduce((s, c, i) => {
        const expected = (N * weights[i]!) / total
        return s + (c - expected) ** 2 / expected
      }, 0)
      expect(chi2).toBeLessThan(CHI2_999[weights.length - 1]!)
    },
  )

  it('a biased source is caught by the same test (the check can fail)', () => {
    const weights = effectiveWeights(table2024.kinds.nine_grid)
    const fair = seededRandomInt(7)
    const biased = (n: number) => Math.min(n - 1, fair(n) + 150) // shifts 1.5 % of mass upwards
    const N = 1_000_000
    const counts = [0, 0, 0]
    for (let i = 0; i < N; i++) counts[sampleTier(weights, biased)]! += 1
    const chi2 = counts.reduce(
      (s, c, i) => s + (c - (N * weights[i]!) / 10_000) ** 2 / ((N * weights[i]!) / 10_000),
      0,
    )
    expect(chi2).toBeGreaterThan(CHI2_999[2]!)
  })

  it('maps the edges of the random range to the first and last tiers', () => {
    expect(sampleTier([6000, 3500, 500], () => 0)).toBe(0)
    expect(sampleTier([6000, 3500, 500], () => 5999)).toBe(0)
    expect(sampleTier([6000, 3500, 500], () => 6000)).toBe(1)
    expect(sampleTier([6000, 3500, 500], () => 9999)).toBe(2)
    expect(() => sampleTier([6000, 3500, 500], () => 10_000)).toThrow(/outside/)
  })
})
