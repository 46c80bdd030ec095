// `npm run bench:dashboard`: a unit's dashboard (organiser.dashboard — server/organiser/dashboard.ts,
// the use case the console calls) with 3M samples stored against the same read with 10k (issue 18:
// within 1.5×). The dashboard reads only counter documents, so those are filled directly as the
// sections' transactions would have left them (core's chainCounterAmounts / chainDayAmounts per
// sample, summed, with each sample's hour, city and paradata for the units' and stations'
// breakdowns; scripts/bench/nodes.ts does the same), for two units of one seeded campaign with
// the same tree (10 city units × 5 stations × 3 teams). Reads alternate after a warm-up; the ratio
// is of medians. BENCH_QUICK=1: 300k samples instead of 3M.
import {
  BREAKDOWN_SHARDS,
  NODE_STAT_SHARDS,
  chainCounterAmounts,
  chainDayAmounts,
  chinaDayKey,
  countInto,
  shardOf,
  splitChainAmounts,
} from 'wal-core'
import { startLocalCloud } from '../../emulator'
import type { Doc } from '../../emulator/db/wire'
import type { Access } from '../../server/organiser/access'
import { dashboard } from '../../server/organiser/dashboard'
import { ORG_NODES } from '../../server/records/org'
import {
  NODE_STATS,
  nodeDayStatId,
  nodeGroupDayStatId,
  nodeGroupStatId,
  nodeStatId,
} from '../../server/records/stats'
import { DEMO_CAMPAIGN_ID, seed } from '../seed'
import { seededRandom } from './answers'
import { median } from './load'

const QUICK = Boolean(process.env.BENCH_QUICK)
const SMALL = 10_000
const LARGE = QUICK ? 300_000 : 3_000_000
const READS = QUICK ? 100 : 500
const GOAL = 1.5
const CITIES = 10
const STATIONS = 5
const TEAMS = 3
const DAYS = 30

/** A unit's tree under the committee: its org nodes and its teams' chains. */
function tree(top: string) {
  const nodes: Doc[] = []
  const chains: string[][] = []
  const node = (id: string, kind: string, parent: string, path: string[]) =>
    nodes.push({
      _id: id,
      name: id,
      kind,
      level: null,
      parent,
      path,
      region: { provinceCode: '440000' },
      overrideRate: kind === 'station' ? 15 : null,
      targets: { [DEMO_CAMPAIGN_ID]: 1000 },
      active: true,
    } as Doc)
  node(top, 'unit', 'committee', ['committee', top])
  for (let c = 0; c < CITIES; c++) {
    const city = `${top}-c${c}`
    node(city, 'unit', top, ['committee', top, city])
    for (let s = 0; s < STATIONS; s++) {
      const station = `${city}-s${s}`
      node(station, 'station', city, ['committee', top, city, station])
      for (let t = 0; t < TEAMS; t++) {
        const team = `${station}-t${t}`
        node(team, 'team', station, ['committee', top, city, station, team])
        chains.push([top, city, station, team])
      }
    }
  }
  return { nodes, chains }
}

/** The nodeStats documents `samples` samples through the unit's teams leave, the last day today. */
function fill(top: string, samples: number, chains: string[][], todayMs: number): Doc[] {
  const random = seededRandom(samples)
  const docs = new Map<string, Record<string, unknown>>()
  const days = Array.from({ length: DAYS }, (_, i) => chinaDayKey(todayMs - i * 86_400_000))
  for (let i = 0; i < samples; i++) {
    const path = chains[Math.floor(random() * chains.length)]!
    const shard = shardOf(`o${top}${i}`, NODE_STAT_SHARDS)
    const valid = random() < 0.9
    const day = days[Math.floor(random() * DAYS)]!
    // What units and stations break samples down by: the hour (07–22), and the city — the city
    // unit's own four times in five, else one of 20 others of the province.
    const cityIndex = random() < 0.8 ? Number(path[1]!.split('-c')[1]) : Math.floor(random() * 20)
    const cityCode = `44${String(1 + cityIndex).padStart(2, '0')}00`
    const breakdown = {
      day,
      hour: String(7 + Math.floor(random() * 16)).padStart(2, '0'),
      provinceCode: '440000',
      cityCode,
      teamId: path[3]!,
    }
    const paradataOutlier = random() < 0.03
    const into = (id: string, extra: Record<string, unknown>, amounts: Record<string, number>) => {
      let doc = docs.get(id)
      if (!doc)
        docs.set(id, (doc = { _id: id, campaignId: DEMO_CAMPAIGN_ID, topId: top, shard, ...extra }))
      for (const [p, n] of Object.entries(amounts)) countInto(doc, [p], n)
    }
    // As the sections' transactions write them (server/records/stats.ts writeAttribution): the
    // top unit's shard and day shard, and the chain's group's (its city unit's) shard and day shard.
    const totals = splitChainAmounts(
      chainCounterAmounts(path, {
        valid,
        overrideTo: valid ? path[2]! : null,
        overrideRate: 15,
        breakdown,
        paradataOutlier,
      }),
      top,
    )
    const ofDay = splitChainAmounts(chainDayAmounts(path, valid, 1, {}, breakdown), top)
    const g = shardOf(`o${top}${i}`, BREAKDOWN_SHARDS)
    const group = { group: path[1]!, shard: g }
    into(nodeStatId(DEMO_CAMPAIGN_ID, top, shard), {}, totals.nodes)
    into(nodeDayStatId(DEMO_CAMPAIGN_ID, top, day, shard), { day }, ofDay.nodes)
    into(nodeGroupStatId(DEMO_CAMPAIGN_ID, top, path[1]!, g), group, totals.breakdowns)
    into(
      nodeGroupDayStatId(DEMO_CAMPAIGN_ID, top, path[1]!, day, g),
      { ...group, day },
      ofDay.breakdowns,
    )
  }
  return [...docs.values()] as Doc[]
}

async function main(): Promise<void> {
  const local = startLocalCloud()
  const nowMs = Date.now()
  await seed({ nowMs })
  const now = new Date(nowMs)
  const units = new Map([
    ['bench-small', SMALL],
    ['bench-large', LARGE],
  ])
  for (const [top, n] of units) {
    const t0 = performance.now()
    const { nodes, chains } = tree(top)
    local.store.insert(ORG_NODES, nodes)
    const docs = fill(top, n, chains, nowMs)
    local.store.insert(NODE_STATS, docs)
    const kib = docs.reduce((s, d) => s + JSON.stringify(d).length, 0) / 1024
    console.log(
      `${top}: ${n.toLocaleString('en')} samples, ${nodes.length} nodes, ${docs.length} counter ` +
        `documents (${kib.toFixed(0)} KiB), filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
  }
  const committee: Access = {
    who: { kind: 'web', id: 'bench' },
    key: 'web:bench',
    caller: 'web:bench',
    committee: true,
    admin: [],
  }
  const times = new Map<string, number[]>()
  const read = async (top: string, record: boolean) => {
    const t0 = performance.now()
    const d = await dashboard(committee, { nodeId: top }, now)
    const ms = performance.now() - t0
    if (d.total.valid + d.total.invalid !== units.get(top))
      throw new Error(`${top}: dashboard total ${d.total.valid + d.total.invalid}`)
    const inCities = d.cities.reduce((n, c) => n + c.valid + c.invalid, 0)
    if (inCities !== units.get(top) || d.hours.length === 0)
      throw new Error(`${top}: cities sum to ${inCities}, ${d.hours.length} hours`)
    if (record) times.set(top, [...(times.get(top) ?? []), ms])
  }
  for (let i = 0; i < 20; i++) for (const top of units.keys()) await read(top, false)
  for (let i = 0; i < READS; i++) {
    const order = i % 2 === 0 ? [...units.keys()] : [...units.keys()].reverse()
    for (const top of order) await read(top, true)
  }
  local.close()
  const small = median(times.get('bench-small')!)
  const large = median(times.get('bench-large')!)
  const ratio = large / small
  console.log(
    `\norganiser.dashboard of a unit (211 nodes), median of ${READS} alternating reads:\n` +
      `  ${small.toFixed(2)} ms at 10k samples, ${large.toFixed(2)} ms at ${LARGE / 1e6}M: ×${ratio.toFixed(2)}`,
  )
  console.log(
    `goal (at ${LARGE / 1e6}M within ${GOAL}× of 10k): ×${ratio.toFixed(2)} ` +
      `${ratio <= GOAL ? 'met' : 'NOT met'}${QUICK ? ' (quick mode: 300k samples)' : ''}`,
  )
  if (ratio > GOAL && !QUICK) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
