// The dashboard's alert rules (core/alerts.ts) and the per-node breakdowns a sample adds to its
// chain's counter documents (core/statistics.ts): pure, no database.
import {
  ALERT_THRESHOLDS,
  alertsOf,
  chainCounterAmounts,
  chainDayAmounts,
  codeVelocityAlert,
  countInto,
  invalidShareAlert,
  isParadataOutlier,
  mergeRanking,
  paradataAlert,
  RANKED_CODES_KEPT,
  sumChainShards,
} from 'wal-core'

const paradata = (plausible: boolean, fast: boolean) => ({
  paradata: { visibleMs: 1, answeringMs: 1, changes: 0, covered: 1, plausible, fast },
})

describe('paradata outliers', () => {
  it('counts implausible timings and fast pages, not a missing or ordinary paradata', () => {
    expect(isParadataOutlier(paradata(false, false))).toBe(true)
    expect(isParadataOutlier(paradata(true, true))).toBe(true)
    expect(isParadataOutlier(paradata(true, false))).toBe(false)
    expect(isParadataOutlier({ paradata: null })).toBe(false)
    expect(isParadataOutlier(undefined)).toBe(false)
  })

  it('alerts when outliers reach 20% of at least 30 samples', () => {
    const at = (valid: number, invalid: number, n: number) =>
      paradataAlert({ subject: 'gz', name: '广州', valid, invalid, paradata: n })
    expect(ALERT_THRESHOLDS.paradataShare).toBe(0.2)
    expect(at(25, 5, 6)).toMatchObject({ kind: 'paradata_outliers', subject: 'gz', value: 0.2 })
    expect(at(25, 5, 6)!.message).toContain('20%')
    expect(at(25, 5, 5)).toBeNull() // 16.7%
    expect(at(20, 9, 29)).toBeNull() // every sample, but only 29 of them
    expect(paradataAlert({ subject: 'x', name: 'x', valid: 100, invalid: 0 })).toBeNull()
  })
})

describe('invalid share and velocity', () => {
  it('alerts on invalid ≥ 30% of ≥ 50 samples, and a code with ≥ 300 samples today', () => {
    expect(invalidShareAlert({ subject: 'a', name: 'A', valid: 35, invalid: 15 })?.value).toBe(0.3)
    expect(invalidShareAlert({ subject: 'a', name: 'A', valid: 36, invalid: 14 })).toBeNull()
    expect(invalidShareAlert({ subject: 'a', name: 'A', valid: 20, invalid: 29 })).toBeNull()
    expect(codeVelocityAlert('ABC2345', 300)?.kind).toBe('code_velocity')
    expect(codeVelocityAlert('ABC2345', 299)).toBeNull()
  })

  it('lists invalid-share alerts first, then paradata, in the subjects’ order', () => {
    const alerts = alertsOf([
      { subject: 'a', name: 'A', valid: 30, invalid: 30, paradata: 0 },
      { subject: 'b', name: 'B', valid: 40, invalid: 0, paradata: 10 },
      { subject: 'c', name: 'C', valid: 30, invalid: 30, paradata: 30 },
    ])
    expect(alerts.map((a) => `${a.kind}:${a.subject}`)).toEqual([
      'invalid_share:a',
      'invalid_share:c',
      'paradata_outliers:b',
      'paradata_outliers:c',
    ])
  })
})

describe('per-node breakdowns in the chain documents', () => {
  const path = ['gd', 'gd-gz', 'gz-tianhe', 'gz-tianhe-t1']
  const breakdown = {
    day: 'd20250301',
    hour: '10',
    provinceCode: '440000',
    cityCode: '440100',
    teamId: 'gz-tianhe-t1',
  }

  it('keeps day, province and city for units and stations, not the team; hours in the day document', () => {
    const totals: Record<string, unknown> = {}
    const ofDay: Record<string, unknown> = {}
    const sample = { valid: true, overrideTo: null, overrideRate: 0, breakdown }
    countInto(totals, Object.keys(chainCounterAmounts(path, sample)))
    countInto(ofDay, Object.keys(chainDayAmounts(path, true, 1, {}, breakdown)))
    countInto(
      totals,
      Object.keys(chainCounterAmounts(path, { ...sample, valid: false, paradataOutlier: true })),
    )
    const station = sumChainShards([totals], 'gz-tianhe')
    expect(station).toMatchObject({
      valid: 1,
      invalid: 1,
      paradata: 1,
      days: { '20250301': { valid: 1, invalid: 1 } },
      provinces: { '440000': { valid: 1, invalid: 1 } },
      cities: { '440100': { valid: 1, invalid: 1 } },
    })
    expect(sumChainShards([ofDay], 'gd').hours).toEqual({ '10': { valid: 1, invalid: 0 } })
    const team = sumChainShards([totals], 'gz-tianhe-t1')
    expect(team).toMatchObject({ valid: 1, invalid: 1, paradata: 1, days: {}, cities: {} })
    expect(sumChainShards([ofDay], 'gz-tianhe-t1').hours).toEqual({})
  })

  it('a review moves the breakdowns with the totals and never the paradata count', () => {
    const moved = chainCounterAmounts(
      path,
      {
        valid: true,
        overrideTo: null,
        overrideRate: 0,
        breakdown,
        paradataOutlier: false,
      },
      -1,
    )
    expect(moved['breakdowns.ngd.cities.c440100.valid']).toBe(-1)
    expect(moved['nodes.ngd.paradata']).toBeUndefined()
  })
})

describe('the share-code ranking', () => {
  const code = (c: string, valid: number) => ({
    code: c,
    label: null,
    valid,
    invalid: 0,
    day: 'd20250301',
    today: { valid: 0, invalid: 0 },
  })

  it('replaces the codes that moved, keeps the others, and holds the best `kept` by valid', () => {
    const earlier = [code('A', 9), code('B', 5), code('C', 3)]
    const merged = mergeRanking(earlier, [code('C', 10), code('D', 4), code('E', 0)], 3)
    expect(merged.map((c) => `${c.code}${c.valid}`)).toEqual(['C10', 'A9', 'B5'])
    expect(RANKED_CODES_KEPT).toBeGreaterThanOrEqual(10)
  })

  it('breaks ties by code, so every pass orders them the same way', () => {
    expect(mergeRanking([], [code('Z', 2), code('M', 2)]).map((c) => c.code)).toEqual(['M', 'Z'])
  })
})
