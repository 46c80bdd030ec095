// draw:report's exact optimum over ways of spending chances agrees with brute force, and gives the
// 2024 figures: 10 public chances are worth 10–30 points, 14.5 expected at best (all nine-grid).
import { DRAW_KINDS, drawTableSchema, type DrawKind } from 'wal-core'
import table2024 from '../../campaigns/2024/draw-table.json'
import { kindFigures, optimise, strategies, type KindFigures } from '../../scripts/draw-report'

const kinds = kindFigures(drawTableSchema.parse(table2024))

/** Every way of spending exactly `chances` (counts per kind), by enumeration. */
function allocations(chances: number): Array<Record<DrawKind, number>> {
  const out: Array<Record<DrawKind, number>> = []
  const walk = (i: number, left: number, acc: Record<DrawKind, number>) => {
    if (i === kinds.length) {
      if (left === 0) out.push({ ...acc })
      return
    }
    const k = kinds[i]!
    for (let n = 0; n * k.cost <= left; n++) walk(i + 1, left - n * k.cost, { ...acc, [k.kind]: n })
  }
  walk(0, chances, Object.fromEntries(DRAW_KINDS.map((k) => [k, 0])) as Record<DrawKind, number>)
  return out
}

const figures: Array<[string, (k: KindFigures) => number]> = [
  ['expected points', (k) => k.meanBp.points],
  ['highest points', (k) => k.max.points],
  ['lowest points', (k) => k.min.points],
  ['expected cash', (k) => k.meanBp.cashFen],
]

test.each(figures)('the optimum of %s matches brute force for 0–20 chances', (_name, figure) => {
  for (let chances = 0; chances <= 20; chances++) {
    const totals = allocations(chances).map((a) =>
      kinds.reduce((n, k) => n + a[k.kind] * figure(k), 0),
    )
    for (const goal of ['max', 'min'] as const) {
      const best = optimise(kinds, chances, figure, goal)!
      expect(best.value).toBe(goal === 'max' ? Math.max(...totals) : Math.min(...totals))
      // The allocation it names spends the chances exactly and reaches the value.
      expect(kinds.reduce((n, k) => n + best.draws[k.kind] * k.cost, 0)).toBe(chances)
      expect(kinds.reduce((n, k) => n + best.draws[k.kind] * figure(k), 0)).toBe(best.value)
    }
  }
})

test('2024: what 10 public and 15 practitioner chances can bring', () => {
  const at = (chances: number) =>
    Object.fromEntries(
      strategies(kinds, chances, 'points').map((s) => [s.name, [s.meanBp / 10_000, s.min, s.max]]),
    )
  expect(at(10)).toMatchObject({
    'all nine-grid': [14.5, 10, 30],
    'best expected mix': [14.5, 10, 30],
    'highest possible': [14.5, 10, 30],
  })
  expect(at(10)['worst expected mix']).toEqual([12.45, 10, 20])
  expect(at(15)).toMatchObject({ 'highest possible': [21.75, 15, 45] })
})

test('a cost no combination can spend exactly has no optimum', () => {
  const boxesOnly = kinds.filter((k) => k.kind !== 'nine_grid')
  expect(optimise(boxesOnly, 4, (k) => k.max.points, 'max')).toBeNull()
  expect(optimise(boxesOnly, 9, (k) => k.max.points, 'max')?.value).toBe(21) // 3 copper beat 1 gold
})
