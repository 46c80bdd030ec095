// The benchmarks' statistics fill (scripts/bench/fill-stats.ts): regions over the whole country,
// units, and shards that count exactly the samples stored, as submissions would have.
import { isRegionAnswer, shardOf, STAT_SHARDS, sumShards } from 'wal-core'
import { COUNTRY, FILL_UNITS, fillFacts, ShardFill } from '../../scripts/bench/fill-stats'

test('one region per prefecture-level city, under its own province, every code distinct', () => {
  expect(COUNTRY).toHaveLength(340)
  expect(new Set(COUNTRY.map((r) => r.cityCode)).size).toBe(340)
  expect(new Set(COUNTRY.map((r) => r.provinceCode)).size).toBe(34)
  for (const r of COUNTRY) {
    expect(isRegionAnswer(r)).toBe(true)
    expect(r.cityCode).toMatch(/^\d{4}00$/)
    expect(r.cityCode.slice(0, 2)).toBe(r.provinceCode.slice(0, 2))
  }
})

test('the fill comes through every city and every unit, 7 samples in 10 through a unit', () => {
  const facts = Array.from({ length: 34_000 }, (_, i) => fillFacts(i))
  expect(new Set(facts.map((f) => f.region.cityCode)).size).toBe(340)
  const units = facts.map((f) => f.unitId).filter((u): u is string => u !== null)
  expect(new Set(units).size).toBe(FILL_UNITS)
  expect(units.length / facts.length).toBeCloseTo(0.7, 5)
})

test('the shards count each sample once, in the shard its respondent writes', () => {
  const fill = new ShardFill()
  const day = new Date('2026-11-20T04:00:00Z') // 2026-11-20 in China
  const n = 5_000
  for (let i = 0; i < n; i++) fill.add({ openid: `o${i}`, submittedAt: day, ...fillFacts(i) })
  const docs = fill.docs('demo')
  expect(docs.length).toBeGreaterThan(STAT_SHARDS * 0.9)
  for (const doc of docs) {
    expect(doc._id).toBe(`demo:${doc.shard as number}`)
    expect(doc.campaignId).toBe('demo')
  }
  const stats = sumShards(docs)
  expect(stats.total).toEqual({ valid: n, invalid: 0 })
  expect(stats.days).toEqual({ '20261120': { valid: n, invalid: 0 } })
  const cities = Object.values(stats.cities).reduce((sum, t) => sum + t.valid, 0)
  expect(cities).toBe(n)
  expect(Object.values(stats.units).reduce((sum, t) => sum + t.valid, 0)).toBe(n * 0.7)
  // The respondent o7's sample is in the shard the survey function would write for o7.
  const o7 = docs.find((d) => d.shard === shardOf('o7', STAT_SHARDS))!
  expect((o7.total as { valid: number }).valid).toBeGreaterThan(0)
})
