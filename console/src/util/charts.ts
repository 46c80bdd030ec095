// Chart options in TDesign's palette: valid in the brand blue, invalid in a grey that keeps 3:1
// against white (graphics need 3:1 under WCAG AA).
import type { EChartsCoreOption } from 'echarts/core'

const VALID = '#0052d9'
const INVALID = '#8b8b8b'

interface Tally {
  valid: number
  invalid: number
}

/** Ranked horizontal bars (largest on top), at most `top` rows. */
export function rankedBars(rows: Array<Tally & { label: string }>, top = 15): EChartsCoreOption {
  const ranked = [...rows]
    .sort((a, b) => b.valid - a.valid)
    .slice(0, top)
    .reverse()
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['有效', '无效'] },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: ranked.map((r) => r.label) },
    series: [
      { name: '有效', type: 'bar', stack: 't', data: ranked.map((r) => r.valid), color: VALID },
      { name: '无效', type: 'bar', stack: 't', data: ranked.map((r) => r.invalid), color: INVALID },
    ],
  }
}

/** A trend over days or hours: valid and invalid lines. */
export function trend(
  rows: Array<Tally & { label: string }>,
  kind: 'line' | 'bar',
): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['有效', '无效'] },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.label) },
    yAxis: { type: 'value' },
    series: [
      { name: '有效', type: kind, data: rows.map((r) => r.valid), color: VALID, smooth: true },
      { name: '无效', type: kind, data: rows.map((r) => r.invalid), color: INVALID, smooth: true },
    ],
  }
}
