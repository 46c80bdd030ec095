// The nine-grid (九宫格) animation as plain data: which cell lights up next and for how long. The
// page only plays these steps; it never decides a prize (the server does, see core/draw.ts).
//
// The 3×3 grid is numbered row by row (0–8); the centre (4) is the start button and the other
// eight cells form a ring, walked clockwise from the top-left corner.

/** Grid cell of each ring position, clockwise from the top-left corner. */
export const RING_CELLS: readonly number[] = [0, 1, 2, 5, 8, 7, 6, 3]
const RING_SIZE = RING_CELLS.length
/** The grid cell of the start button. */
export const CENTRE_CELL = 4

/** Time each cell stays lit while the result is still on its way (cruising). */
export const CRUISE_DELAY_MS = 60
/** Time the last cell before the prize stays lit: the ring slows down to it. */
export const FINAL_DELAY_MS = 420
/** Full rounds after the result is known, so even an instant reply spins visibly. */
const LANDING_ROUNDS = 2

/** One lit cell: the ring position, and how long it stays lit before the next one. */
export interface SpinStep {
  position: number
  delayMs: number
}

const mod = (n: number, m: number): number => ((n % m) + m) % m

/** The tier each ring position shows: tiers repeat round the ring (t1 t2 t3 t1 t2 t3 t1 t2). */
export function ringTiers(tierCount: number, ringSize = RING_SIZE): number[] {
  if (!Number.isInteger(tierCount) || tierCount < 1) throw new RangeError('no tiers to show')
  return Array.from({ length: ringSize }, (_, p) => p % tierCount)
}

/** The next position while cruising. */
export function nextPosition(position: number, ringSize = RING_SIZE): number {
  return mod(position + 1, ringSize)
}

/**
 * Where the ring stops for `tier`: the first position showing it after `from` (never `from`
 * itself, so the ring always moves). -1 when no position shows it (more tiers than cells).
 */
export function landingPosition(from: number, tier: number, tiersByPosition: readonly number[]) {
  const n = tiersByPosition.length
  for (let offset = 1; offset <= n; offset++) {
    const p = mod(from + offset, n)
    if (tiersByPosition[p] === tier) return p
  }
  return -1
}

/**
 * The steps from `from` (lit now) to `to`, going `rounds` full rounds first, slowing down with a
 * cubic ease so the last cells are visibly deliberate. The last step lights `to` and has no delay:
 * the ring stays there.
 */
export function landingPlan(
  from: number,
  to: number,
  rounds = LANDING_ROUNDS,
  ringSize = RING_SIZE,
): SpinStep[] {
  if (!Number.isInteger(rounds) || rounds < 0) throw new RangeError('rounds must be ≥ 0')
  const distance = rounds * ringSize + mod(to - from, ringSize)
  const steps: SpinStep[] = []
  for (let i = 1; i <= distance; i++) {
    const last = i === distance
    // i = 1 … distance-1 ease from the cruise speed to FINAL_DELAY_MS.
    const t = distance > 2 ? (i - 1) / (distance - 2) : 1
    const delayMs = last
      ? 0
      : Math.round(CRUISE_DELAY_MS + (FINAL_DELAY_MS - CRUISE_DELAY_MS) * t * t * t)
    steps.push({ position: mod(from + i, ringSize), delayMs })
  }
  return steps
}
