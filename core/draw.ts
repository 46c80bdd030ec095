// Draw tables (九宫格 nine-grid and copper/silver/gold treasure boxes) and the sampler. Weights are
// integers in basis points (1 % = 100) so that "sums to 100 %" is exact. Randomness is injected.
import { z } from 'zod'
import { DRAW_KIND_NAMES, DRAW_KINDS, type DrawKind } from './vocabulary'

export const drawKindSchema = z.enum(DRAW_KINDS)

export const TOTAL_WEIGHT = 10_000

export const tierSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]{1,20}$/),
  /** 网安联积分 won when the campaign's prize form is points. */
  points: z.number().int().min(0),
  /** Red envelope in fen (分) when the prize form is cash; 1 point ↔ ¥0.1 = 10 fen in 2024. */
  cashFen: z.number().int().min(0),
  /** Published probability in basis points (50 % = 5000). */
  weightBp: z.number().int().min(0).max(TOTAL_WEIGHT),
  /** This tier takes whatever the published weights leave (at most one tier per kind). */
  remainder: z.boolean().optional(),
})
export type Tier = z.infer<typeof tierSchema>

export const drawKindTableSchema = z
  .object({
    /** Draw chances one draw of this kind costs. */
    cost: z.number().int().min(1),
    tiers: z.array(tierSchema).min(1).max(9),
  })
  .superRefine((k, ctx) => {
    const sum = k.tiers.reduce((n, t) => n + t.weightBp, 0)
    const remainders = k.tiers.filter((t) => t.remainder).length
    if (remainders > 1)
      ctx.addIssue({ code: 'custom', message: 'at most one tier takes the remainder' })
    if (remainders === 0 && sum !== TOTAL_WEIGHT) {
      ctx.addIssue({
        code: 'custom',
        message: `weights sum to ${sum / 100}% (must be 100%, or name a remainder tier)`,
      })
    }
    if (sum > TOTAL_WEIGHT)
      ctx.addIssue({ code: 'custom', message: `weights sum to ${sum / 100}% > 100%` })
    if (new Set(k.tiers.map((t) => t.id)).size !== k.tiers.length) {
      ctx.addIssue({ code: 'custom', message: 'tier ids must be unique' })
    }
  })
export type DrawKindTable = z.infer<typeof drawKindTableSchema>

export const drawTableSchema = z.object({
  /** Every draw records the table version it used; a new table is a new version, never an edit. */
  version: z.string().regex(/^[a-z0-9._-]{1,40}$/),
  prizeForm: z.enum(['points', 'cash']),
  kinds: z.object({
    nine_grid: drawKindTableSchema,
    copper: drawKindTableSchema,
    silver: drawKindTableSchema,
    gold: drawKindTableSchema,
  }),
})
export type DrawTable = z.infer<typeof drawTableSchema>

/** The weights actually used: the remainder tier gets 100 % minus the others. */
export function effectiveWeights(kind: DrawKindTable): number[] {
  const others = kind.tiers.reduce((n, t) => n + (t.remainder ? 0 : t.weightBp), 0)
  return kind.tiers.map((t) => (t.remainder ? TOTAL_WEIGHT - others : t.weightBp))
}

/**
 * Pick a tier index. `randomInt(n)` must return a uniform integer in [0, n) — production passes
 * `crypto.randomInt` (no modulo bias); tests pass a seeded generator.
 */
export function sampleTier(
  weights: readonly number[],
  randomInt: (maxExclusive: number) => number,
): number {
  const total = weights.reduce((a, b) => a + b, 0)
  const r = randomInt(total)
  if (!Number.isInteger(r) || r < 0 || r >= total)
    throw new Error(`randomInt returned ${r} outside [0, ${total})`)
  let acc = 0
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!
    if (r < acc) return i
  }
  throw new Error('unreachable: weights exhausted')
}

export interface KindOdds {
  kind: DrawKind
  name: string
  cost: number
  tiers: Array<{ id: string; points: number; cashFen: number; probabilityBp: number }>
}

/** What the draw hub shows: costs and the probabilities as configured (remainder resolved). */
export function publishedOdds(table: DrawTable): KindOdds[] {
  return DRAW_KINDS.map((kind) => {
    const k = table.kinds[kind]
    const w = effectiveWeights(k)
    return {
      kind,
      name: DRAW_KIND_NAMES[kind],
      cost: k.cost,
      tiers: k.tiers.map((t, i) => ({
        id: t.id,
        points: t.points,
        cashFen: t.cashFen,
        probabilityBp: w[i]!,
      })),
    }
  })
}

/** Expected and maximum prize (points or fen) of one draw of a kind. */
export function kindExpectation(
  k: DrawKindTable,
  unit: 'points' | 'cashFen',
): { mean: number; max: number } {
  const w = effectiveWeights(k)
  // Integer sum first, one division: 1.45, not 1.4499999999999997.
  const mean = k.tiers.reduce((n, t, i) => n + t[unit] * w[i]!, 0) / TOTAL_WEIGHT
  return { mean, max: Math.max(...k.tiers.map((t) => t[unit])) }
}
