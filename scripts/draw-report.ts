// `npm run draw:report [-- --samples 3000000]`: what the configured draw tables cost, so the
// committee can price its prizes. For each campaign's table and each questionnaire version's
// chance rule: the expected, lowest and highest points and cash per respondent by strategy
// (all nine-grid, the best and worst box mix — found exactly by dynamic programming over how the
// chances are spent), and the totals for a campaign of N valid samples.
import type { DrawKind, DrawTable, Questionnaire } from 'wal-core'
import { DRAW_KINDS, DRAW_KIND_NAMES, TOTAL_WEIGHT, effectiveWeights } from 'wal-core'
import {
  loadCampaignData,
  loadCampaigns,
  loadDrawTable,
  loadQuestionnaire,
} from '../campaigns/load'
import { rewardFileSchema, type RewardFile } from '../server/reward-rules'

export type Unit = 'points' | 'cashFen'

/**
 * One draw of a kind in exact integers: `meanBp` is the expectation × 10,000 (weights are basis
 * points), so sums over many draws stay exact; divide by TOTAL_WEIGHT to show it.
 */
export interface KindFigures {
  kind: DrawKind
  cost: number
  meanBp: Record<Unit, number>
  min: Record<Unit, number>
  max: Record<Unit, number>
}

export function kindFigures(table: DrawTable): KindFigures[] {
  return DRAW_KINDS.map((kind) => {
    const k = table.kinds[kind]
    const w = effectiveWeights(k)
    // A tier with probability 0 can never be won: it bounds nothing.
    const live = k.tiers.filter((_, i) => w[i]! > 0)
    const figure = (unit: Unit) => ({
      meanBp: k.tiers.reduce((n, t, i) => n + t[unit] * w[i]!, 0),
      min: Math.min(...live.map((t) => t[unit])),
      max: Math.max(...live.map((t) => t[unit])),
    })
    const p = figure('points')
    const c = figure('cashFen')
    return {
      kind,
      cost: k.cost,
      meanBp: { points: p.meanBp, cashFen: c.meanBp },
      min: { points: p.min, cashFen: c.min },
      max: { points: p.max, cashFen: c.max },
    }
  })
}

export interface Allocation {
  /** The optimum (in the figure's own scale: meanBp, min or max). */
  value: number
  /** Draws of each kind that reach it, spending exactly the chances. */
  draws: Record<DrawKind, number>
}

/**
 * The best (`max`) or worst (`min`) total of `figure` over every way of spending exactly
 * `chances` on draws — exact, by dynamic programming over the chances spent (the totals are
 * additive per draw). Null when no combination of costs spends exactly that many.
 */
export function optimise(
  kinds: readonly KindFigures[],
  chances: number,
  figure: (k: KindFigures) => number,
  goal: 'max' | 'min',
): Allocation | null {
  const better = (a: number, b: number) => (goal === 'max' ? a > b : a < b)
  const best: Array<{ value: number; via: number; kind: DrawKind } | null> = [
    { value: 0, via: -1, kind: 'nine_grid' },
  ]
  for (let c = 1; c <= chances; c++) {
    let pick: { value: number; via: number; kind: DrawKind } | null = null
    for (const k of kinds) {
      const prev = c >= k.cost ? best[c - k.cost] : null
      if (!prev) continue
      const value = prev.value + figure(k)
      if (!pick || better(value, pick.value)) pick = { value, via: c - k.cost, kind: k.kind }
    }
    best.push(pick)
  }
  const end = best[chances]
  if (!end) return null
  const draws = Object.fromEntries(DRAW_KINDS.map((k) => [k, 0])) as Record<DrawKind, number>
  for (let c = chances; c > 0;) {
    const step = best[c]!
    draws[step.kind] += 1
    c = step.via
  }
  return { value: end.value, draws }
}

export interface Strategy {
  name: string
  /** Expected total (× TOTAL_WEIGHT), lowest and highest possible totals. */
  meanBp: number
  min: number
  max: number
  draws: Record<DrawKind, number>
}

function strategyOf(kinds: readonly KindFigures[], unit: Unit, name: string, a: Allocation) {
  const sum = (f: (k: KindFigures) => number) =>
    kinds.reduce((n, k) => n + a.draws[k.kind] * f(k), 0)
  return {
    name,
    meanBp: sum((k) => k.meanBp[unit]),
    min: sum((k) => k.min[unit]),
    max: sum((k) => k.max[unit]),
    draws: a.draws,
  }
}

/** Strategies worth showing for one respondent with `chances`, in one unit. */
export function strategies(kinds: readonly KindFigures[], chances: number, unit: Unit): Strategy[] {
  const nine = kinds.find((k) => k.kind === 'nine_grid')!
  const out: Strategy[] = []
  const add = (name: string, a: Allocation | null) => {
    if (a) out.push(strategyOf(kinds, unit, name, a))
  }
  if (chances % nine.cost === 0) {
    const draws = Object.fromEntries(DRAW_KINDS.map((k) => [k, 0])) as Record<DrawKind, number>
    draws.nine_grid = chances / nine.cost
    add('all nine-grid', { value: 0, draws })
  }
  add(
    'best expected mix',
    optimise(kinds, chances, (k) => k.meanBp[unit], 'max'),
  )
  add(
    'worst expected mix',
    optimise(kinds, chances, (k) => k.meanBp[unit], 'min'),
  )
  add(
    'highest possible',
    optimise(kinds, chances, (k) => k.max[unit], 'max'),
  )
  add(
    'lowest possible',
    optimise(kinds, chances, (k) => k.min[unit], 'min'),
  )
  return out
}

// ------------------------------------------------------------------------------ printing

const fmtBp = (bp: number, digits = 2) => (bp / TOTAL_WEIGHT).toFixed(digits)
const big = (n: number) => Math.round(n).toLocaleString('en')
const yuan = (fen: number, digits = 2) =>
  `¥${(fen / 100).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`
/** An expectation in fen × TOTAL_WEIGHT, to the tenth of a fen (¥0.145). */
const yuanBp = (fenBp: number) => yuan(fenBp / TOTAL_WEIGHT, 3)

/** Terminal columns of a string: CJK characters take two. */
function width(text: string): number {
  let n = 0
  for (const ch of text) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1
  return n
}

function drawsText(draws: Record<DrawKind, number>): string {
  return DRAW_KINDS.filter((k) => draws[k] > 0)
    .map((k) => `${draws[k]}×${DRAW_KIND_NAMES[k]}`)
    .join(' + ')
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))))
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd()
  return [fmt(head), ...rows.map(fmt)]
}

function daysOf(window: { startsAt: string; endsAt: string }): number {
  return Math.round((Date.parse(window.endsAt) - Date.parse(window.startsAt)) / 86_400_000)
}

export function report(
  campaign: { id: string; name: string; window: { startsAt: string; endsAt: string } },
  drawTable: DrawTable,
  questionnaire: Questionnaire | null,
  rewards: RewardFile,
  samples: number,
): string[] {
  const kinds = kindFigures(drawTable)
  const lines: string[] = [
    `== ${campaign.id} (${campaign.name}) — table ${drawTable.version}, prizes paid as ${drawTable.prizeForm}`,
    '',
    ...table(
      ['kind', 'cost', 'E points', 'min–max', 'E points/chance', 'E cash', 'cash min–max'],
      kinds.map((k) => [
        `${k.kind} ${DRAW_KIND_NAMES[k.kind]}`,
        String(k.cost),
        fmtBp(k.meanBp.points, 4),
        `${k.min.points}–${k.max.points}`,
        fmtBp(k.meanBp.points / k.cost, 4),
        yuanBp(k.meanBp.cashFen),
        `${yuan(k.min.cashFen)}–${yuan(k.max.cashFen)}`,
      ]),
    ),
  ]
  if (!questionnaire) return [...lines, '', '(no questionnaire: no chance rules to report on)']
  const days = daysOf(campaign.window)
  for (const [version, rule] of Object.entries(questionnaire.chances)) {
    for (const chances of [...new Set([rule.main, rule.cap])]) {
      const label = chances === rule.cap ? 'every topic done (cap)' : 'main questionnaire only'
      lines.push('', `-- ${version}: ${chances} chances (${label})`)
      const rows: string[][] = []
      const totals: string[][] = []
      const pts = strategies(kinds, chances, 'points')
      const cash = strategies(kinds, chances, 'cashFen')
      for (const s of pts) {
        const c = cash.find((x) => x.name === s.name)!
        rows.push([
          s.name,
          drawsText(s.draws),
          fmtBp(s.meanBp),
          `${s.min}–${s.max}`,
          yuanBp(c.meanBp),
          `${yuan(c.min)}–${yuan(c.max)}`,
        ])
        totals.push([
          s.name,
          big((samples * s.meanBp) / TOTAL_WEIGHT),
          big(samples * s.max),
          yuan(Math.round((samples * c.meanBp) / TOTAL_WEIGHT), 0),
          yuan(samples * c.max, 0),
        ])
      }
      lines.push(
        ...table(
          ['strategy', 'draws', 'E points', 'points min–max', 'E cash', 'cash min–max'],
          rows,
        ),
      )
      lines.push(
        '',
        `   for ${big(samples)} valid samples, all ${version} with ${chances} chances:`,
        ...table(['strategy', 'E points', 'max points', 'E cash', 'max cash'], totals).map(
          (l) => `   ${l}`,
        ),
      )
      if (rewards.cash) {
        const budget = rewards.cash.dailyBudgetFen * days
        const worst = Math.max(...cash.map((s) => (samples * s.meanBp) / TOTAL_WEIGHT))
        lines.push(
          `   ${drawTable.prizeForm === 'cash' ? '' : 'if paid in cash, '}cash is bounded by the budget: ${yuan(rewards.cash.dailyBudgetFen, 0)}/day × ${days} days = ${yuan(budget, 0)}` +
            ` (${((100 * budget) / worst).toFixed(0)}% of the highest expected demand above; beyond it prizes are paid as points)`,
        )
      }
    }
  }
  return lines
}

function cli(): void {
  const at = process.argv.indexOf('--samples')
  const samples = at >= 0 ? Number(process.argv[at + 1]) : 3_000_000
  if (!Number.isSafeInteger(samples) || samples < 1) {
    console.error('--samples takes a positive whole number')
    process.exitCode = 2
    return
  }
  const out: string[] = []
  for (const campaign of loadCampaigns()) {
    const drawTable = loadDrawTable(campaign)
    if (!drawTable) continue
    const rewards =
      loadCampaignData(campaign, 'rewards.json', rewardFileSchema) ?? rewardFileSchema.parse({})
    out.push(...report(campaign, drawTable, loadQuestionnaire(campaign), rewards, samples), '')
  }
  console.log(out.join('\n'))
}

if (require.main === module) cli()
