// `npm run bench:nodes`: reading a unit's totals (server/records/stats.ts readNodeTotals: its top
// unit's NODE_STAT_SHARDS documents, by id) with 3,000 share codes and 3M samples stored, against
// the same read with 10k samples (issue 15: within 1.5×). A read touches only counter documents,
// so they are filled directly, as the sections' transactions would have left them (core's
// chainCounterAmounts per sample, summed), instead of submitting 3M samples; the codes' own
// counters (codeStats) are filled too. Both sizes live in one store, as two campaigns, and the
// reads alternate between them after a warm-up. BENCH_QUICK=1: 300k samples instead of 3M.
import {
  BREAKDOWN_SHARDS,
  CODE_STAT_SHARDS,
  NODE_STAT_SHARDS,
  chainCounterAmounts,
  chainDayAmounts,
  countInto,
  shardOf,
  splitChainAmounts,
} from 'wal-core'
import { startLocalCloud } from '../../emulator'
import type { Doc } from '../../emulator/db/wire'
import { getDb } from '../../server/db'
import {
  CODE_STATS,
  NODE_STATS,
  codeStatId,
  nodeDayStatId,
  nodeGroupDayStatId,
  nodeGroupStatId,
  nodeStatId,
  readNodeTotals,
} from '../../server/records/stats'
import { seededRandom } from './answers'
import { median } from './load'

const QUICK = Boolean(process.env.BENCH_QUICK)
const SMALL = 10_000
const LARGE = QUICK ? 300_000 : 3_000_000
const READS = QUICK ? 200 : 1_000
const GOAL = 1.5
/** The unit's tree: 10 city units × 5 stations × 3 teams × 20 volunteers' codes = 3,000 codes. */
const CITIES = 10
const STATIONS = 5
const TEAMS = 3
const CODES_PER_TEAM = 20
/** Days the samples spread over (the campaign's length). */
const DAYS = 30
const TOP = 'u1'

interface Chain {
  code: string
  nodePath: string[]
  overrideTo: string
}

function tree(): { chains: Chain[]; path: string[] } {
  const chains: Chain[] = []
  for (let c = 0; c < CITIES; c++)
    for (let s = 0; s < STATIONS; s++)
      for (let t = 0; t < TEAMS; t++)
        for (let v = 0; v < CODES_PER_TEAM; v++) {
          const station = `s${c}-${s}`
          chains.push({
            code: `C${c}${s}${t}${String(v).padStart(2, '0')}`,
            nodePath: [TOP, `c${c}`, station, `t${c}-${s}-${t}`],
            overrideTo: station,
          })
        }
  return { chains, path: ['committee', TOP] }
}

/** The counter documents `samples` samples through the tree's codes leave, by id. */
function fill(campaignId: string, samples: number, chains: readonly Chain[]): Doc[] {
  const random = seededRandom(samples)
  const nodeDocs = new Map<string, Record<string, unknown>>()
  const codeDocs = new Map<string, Record<string, unknown>>()
  for (let i = 0; i < samples; i++) {
    const chain = chains[Math.floor(random() * chains.length)]!
    const openid = `o${campaignId}${i}`
    const valid = random() < 0.9
    const day = `d202507${String(1 + Math.floor(random() * DAYS)).padStart(2, '0')}`
    // The units' and stations' breakdowns (hour, city), as the sections' transactions keep them.
    const breakdown = {
      day,
      hour: String(7 + Math.floor(random() * 16)).padStart(2, '0'),
      provinceCode: '440000',
      cityCode: `44${String(1 + Math.floor(random() * 20)).padStart(2, '0')}00`,
      teamId: chain.nodePath[3]!,
    }
    const amounts = chainCounterAmounts(chain.nodePath, {
      valid,
      overrideTo: valid ? chain.overrideTo : null,
      overrideRate: 15,
      breakdown,
    })
    const shard = shardOf(openid, NODE_STAT_SHARDS)
    const into = (id: string, extra: Record<string, unknown>, amounts: Record<string, number>) => {
      let doc = nodeDocs.get(id)
      if (!doc) nodeDocs.set(id, (doc = { _id: id, campaignId, topId: TOP, shard, ...extra }))
      for (const [path, n] of Object.entries(amounts)) countInto(doc, [path], n)
    }
    // As writeAttribution splits them: the top unit's shards, and the chain's group's.
    const totals = splitChainAmounts(amounts, TOP)
    const ofDay = splitChainAmounts(chainDayAmounts(chain.nodePath, valid, 1, {}, breakdown), TOP)
    const group = chain.nodePath[1]!
    const g = shardOf(openid, BREAKDOWN_SHARDS)
    into(nodeStatId(campaignId, TOP, shard), {}, totals.nodes)
    into(nodeDayStatId(campaignId, TOP, day, shard), { day }, ofDay.nodes)
    into(nodeGroupStatId(campaignId, TOP, group, g), { group, shard: g }, totals.breakdowns)
    into(
      nodeGroupDayStatId(campaignId, TOP, group, day, g),
      { group, shard: g, day },
      ofDay.breakdowns,
    )
    const codeId = codeStatId(campaignId, chain.code, shardOf(openid, CODE_STAT_SHARDS))
    let codeDoc = codeDocs.get(codeId)
    if (!codeDoc) codeDocs.set(codeId, (codeDoc = {}))
    const outcome = valid ? 'valid' : 'invalid'
    countInto(codeDoc, [outcome, `days.${day}.${outcome}`])
  }
  return [
    ...nodeDocs.values(),
    ...[...codeDocs].map(([_id, counters]) => ({ _id, campaignId, ...counters })),
  ] as Doc[]
}

async function main(): Promise<void> {
  const local = startLocalCloud()
  const { chains, path } = tree()
  const sizes = [SMALL, LARGE]
  const bytes = new Map<number, number>()
  for (const n of sizes) {
    const t0 = performance.now()
    const docs = fill(`b${n}`, n, chains)
    const nodeDocs = docs.filter((d) => 'topId' in d)
    local.store.insert(NODE_STATS, nodeDocs)
    local.store.insert(
      CODE_STATS,
      docs.filter((d) => !nodeDocs.includes(d)),
    )
    const totals = nodeDocs.filter((d) => !('day' in d))
    bytes.set(
      n,
      totals.reduce((sum, d) => sum + JSON.stringify(d).length, 0),
    )
    console.log(
      `${n.toLocaleString('en')} samples through ${chains.length.toLocaleString('en')} codes: ` +
        `${totals.length} unit shards (${(bytes.get(n)! / 1024).toFixed(0)} KiB in all) and ` +
        `${nodeDocs.length - totals.length} of their days, ` +
        `${docs.length - nodeDocs.length} code shards; filled in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
  }
  const unit = { _id: TOP, path }
  const team = { _id: 't0-0-0', path: [...path, 'c0', 's0-0', 't0-0-0'] }
  const times = new Map<string, number[]>()
  const read = async (label: string, n: number, node: typeof unit) => {
    const t0 = performance.now()
    const totals = await readNodeTotals(getDb(), `b${n}`, node)
    const ms = performance.now() - t0
    if (label === 'unit' && totals.valid + totals.invalid !== n)
      throw new Error(`unit totals ${totals.valid + totals.invalid}, ${n} samples stored`)
    const key = `${label}@${n}`
    times.set(key, [...(times.get(key) ?? []), ms])
  }
  // Warm-up, then the sizes alternate (neither is measured first or cold).
  for (let i = 0; i < 20; i++) for (const n of sizes) await read('warm', n, unit)
  for (let i = 0; i < READS; i++) {
    const order = i % 2 === 0 ? sizes : [...sizes].reverse()
    for (const n of order) {
      await read('unit', n, unit)
      await read('team', n, team)
    }
  }
  local.close()
  const us = (key: string) => median(times.get(key)!) * 1000
  console.log(
    `\nreadNodeTotals, median of ${READS} alternating reads (${NODE_STAT_SHARDS} documents by id each):`,
  )
  for (const label of ['unit', 'team']) {
    const small = us(`${label}@${SMALL}`)
    const large = us(`${label}@${LARGE}`)
    console.log(
      `  ${label}: ${small.toFixed(0)} us at 10k samples, ${large.toFixed(0)} us at ` +
        `${LARGE / 1e6}M: ×${(large / small).toFixed(2)}`,
    )
  }
  const ratio = us(`unit@${LARGE}`) / us(`unit@${SMALL}`)
  console.log(
    `\ngoal (a unit's totals at ${LARGE / 1e6}M samples within ${GOAL}× of 10k): ` +
      `×${ratio.toFixed(2)} ${ratio <= GOAL ? 'met' : 'NOT met'}` +
      (QUICK ? ' (quick mode: 300k samples, not the goal size)' : ''),
  )
  if (ratio > GOAL && !QUICK) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
