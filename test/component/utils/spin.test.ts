// The nine-grid animation as data: where the ring stops, the cells it lights on the way, and how
// it slows down. The page only plays these steps.
import {
  CENTRE_CELL,
  CRUISE_DELAY_MS,
  FINAL_DELAY_MS,
  RING_CELLS,
  landingPlan,
  landingPosition,
  nextPosition,
  ringTiers,
} from '../../../miniprogram/utils/spin'

test('the ring is the eight outer cells, clockwise from the top-left; the centre is not on it', () => {
  expect(RING_CELLS).toEqual([0, 1, 2, 5, 8, 7, 6, 3])
  expect(RING_CELLS).not.toContain(CENTRE_CELL)
  expect(nextPosition(7)).toBe(0)
  expect(nextPosition(-1)).toBe(0) // nothing lit yet: the first cell lights first
})

test('three tiers repeat round the ring, so every tier has a cell to stop on', () => {
  expect(ringTiers(3)).toEqual([0, 1, 2, 0, 1, 2, 0, 1])
  expect(ringTiers(1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
  expect(() => ringTiers(0)).toThrow(RangeError)
})

test.each([
  ['the next cell of the tier', 0, 1, 1],
  ['never the lit cell itself, so the ring always moves', 2, 2, 5],
  ['round the end of the ring', 6, 2, 2],
  ['from nothing lit', -1, 0, 0],
])('landing position: %s', (_name, from, tier, expected) => {
  expect(landingPosition(from, tier, ringTiers(3))).toBe(expected)
})

test('a tier no cell shows has no landing position', () => {
  expect(landingPosition(0, 8, ringTiers(9))).toBe(-1)
})

test('the plan goes the full rounds, then on to the target, lighting each cell in turn', () => {
  const plan = landingPlan(3, 1, 2)
  expect(plan).toHaveLength(2 * 8 + 6)
  expect(plan.map((s) => s.position).slice(0, 9)).toEqual([4, 5, 6, 7, 0, 1, 2, 3, 4])
  expect(plan[plan.length - 1]!.position).toBe(1)
  plan.forEach((step, i) => {
    const previous = i === 0 ? 3 : plan[i - 1]!.position
    expect(step.position).toBe((previous + 1) % 8)
  })
})

test('the ring slows down: delays never shrink, from the cruise speed to the final pause', () => {
  const plan = landingPlan(0, 5, 2)
  const delays = plan.map((s) => s.delayMs)
  expect(delays[0]).toBe(CRUISE_DELAY_MS)
  expect(delays[delays.length - 2]).toBe(FINAL_DELAY_MS)
  expect(delays[delays.length - 1]).toBe(0) // the ring stays on the prize
  for (let i = 1; i < delays.length - 1; i++)
    expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!)
  // A few seconds in all: long enough to watch, short enough for a queue at a stand.
  const total = delays.reduce((a, b) => a + b, 0)
  expect(total).toBeGreaterThan(1500)
  expect(total).toBeLessThan(4500)
})

test('with no rounds the plan goes straight to the target; already there, it is empty', () => {
  expect(landingPlan(0, 2, 0).map((s) => s.position)).toEqual([1, 2])
  expect(landingPlan(4, 4, 0)).toEqual([])
  expect(() => landingPlan(0, 1, -1)).toThrow(RangeError)
})
