// The nine cells of the grid: eight prizes round the ring and the start button in the centre.
import type { DrawHub } from 'wal-core'
import { prizeLabel } from '../../../utils/reward-format'
import { CENTRE_CELL, RING_CELLS, ringTiers } from '../../../utils/spin'

export interface GridCell {
  /** 0–8, row by row. */
  cell: number
  /** Ring position (clockwise from the top-left), -1 for the centre. */
  position: number
  /** The tier this cell shows (index in the kind's table), -1 for the centre. */
  tier: number
  label: string
}

type KindOdds = DrawHub['kinds'][number]

/** The grid for `kind`'s tiers, and the tier each ring position shows. */
export function buildGrid(
  kind: KindOdds,
  prizeForm: DrawHub['prizeForm'],
): { cells: GridCell[]; tiersByPosition: number[] } {
  const tiersByPosition = ringTiers(kind.tiers.length)
  const cells = Array.from({ length: 9 }, (_, cell) => {
    if (cell === CENTRE_CELL) return { cell, position: -1, tier: -1, label: '' }
    const position = RING_CELLS.indexOf(cell)
    const tier = tiersByPosition[position]!
    return { cell, position, tier, label: prizeLabel(kind.tiers[tier]!, prizeForm) }
  })
  return { cells, tiersByPosition }
}
