// Valid-sample statistics: which counters one submitted sample moves, spread over shards so that
// hundreds of writes per second never queue on one document, and over slices so that a read
// touches only the documents of what it asks for (docs/data-model.md, `statShards`).
import { inChinaTime } from './china-time'

/**
 * Stats shards per slice of a campaign: a submission writes one shard of the campaign slice and
 * one of its day's slice; a read sums the shards of the slice it asks for.
 */
export const STAT_SHARDS = 128
/** Shards per share code (a code shown at an event can take a burst on its own). */
export const CODE_STAT_SHARDS = 8
/**
 * Shards per top unit of the organisation tree (`nodeStats`): every node under a top unit is
 * counted in that unit's shards, so a sample's chain (4–5 nodes) is one write; a province's unit
 * takes every sample of its stations at once, so it gets more than a code. A node's total (its
 * whole subtree) is one read of this many documents, whatever the number of samples or codes.
 */
export const NODE_STAT_SHARDS = 16

/** The China-time calendar day of an instant, as `d20240717`. */
export function chinaDayKey(ms: number): string {
  return `d${inChinaTime(ms).format('YYYYMMDD')}`
}

/** The China-time hour of an instant, as `09`. */
export function chinaHourKey(ms: number): string {
  return inChinaTime(ms).format('HH')
}

/** The id of a campaign's statistics shard document (the campaign slice). */
export function statShardId(campaignId: string, shard: number): string {
  return `${campaignId}:${shard}`
}

/** The id of a shard of one day's slice (`d20240717`): that day's hours, cities, stations, teams. */
export function statDayShardId(campaignId: string, day: string, shard: number): string {
  return `${campaignId}:${day}:${shard}`
}

/** The slice a counter path lives in (a campaign reads the first, a day's view the second). */
export const CAMPAIGN_SLICE = 'all'
const CAMPAIGN_SLICE_KEYS = new Set(['total', 'days', 'provinces', 'units', 'topics'])

/**
 * Which slice a counter path belongs to: the campaign's (`all`: total, days, provinces, top
 * units, topics — a few hundred keys at most, whatever the number of samples) or its day's
 * (hours, cities, stations, teams — keys that grow with the campaign's reach, kept per day).
 */
export function sliceOfPath(path: string, day: string): string {
  return CAMPAIGN_SLICE_KEYS.has(path.split('.', 1)[0]!) ? CAMPAIGN_SLICE : day
}

/** Counter paths grouped by slice (the documents one submission or review writes). */
export function pathsBySlice<T>(
  amounts: Iterable<[string, T]>,
  day: string,
): Map<string, Array<[string, T]>> {
  const out = new Map<string, Array<[string, T]>>()
  for (const [path, v] of amounts) {
    const slice = sliceOfPath(path, day)
    const list = out.get(slice) ?? []
    list.push([path, v])
    out.set(slice, list)
  }
  return out
}

/**
 * Shards of a breakdown group (`nodeStats` `<c>:<top>:g<group>:<shard>`, and per day
 * `…:g<group>:<day>:<shard>`): the breakdowns of the chain's nodes below its top unit, kept per
 * group of the tree — the chain's second node (a city unit's part of the tree) — so that a
 * station's breakdowns are not copied into every shard its top unit's dashboard reads. The top
 * unit's own stay in its shards (written anyway). As many shards as a share code's: a burst
 * through one code at an event meets its group's shards too, and must not queue there sooner.
 */
export const BREAKDOWN_SHARDS = 8

/** The breakdown group of a chain: its second node (under the top unit); none for a top's code. */
export function breakdownGroup(nodePath: readonly string[]): string | null {
  return nodePath[1] ?? null
}

/**
 * A chain's amounts by the document they go to: the nodes' counts and the top unit's own
 * breakdowns stay with the top unit's shard (`nodes`), the other nodes' breakdowns go to the
 * chain's group's shard (`breakdowns`).
 */
export function splitChainAmounts(
  amounts: Record<string, number>,
  top: string,
): { nodes: Record<string, number>; breakdowns: Record<string, number> } {
  const out = { nodes: {} as Record<string, number>, breakdowns: {} as Record<string, number> }
  const own = `breakdowns.${nodeKey(top)}.`
  for (const [path, n] of Object.entries(amounts)) {
    const grouped = path.startsWith('breakdowns.') && !path.startsWith(own)
    ;(grouped ? out.breakdowns : out.nodes)[path] = n
  }
  return out
}

/** A stable shard for a respondent (FNV-1a): a retried transaction picks the same shard. */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h % shards
}

export interface SampleFacts {
  valid: boolean
  /** China-time day key of the submission. */
  day: string
  /** China-time hour of the submission (`09`); the main section's counts it per hour. */
  hour?: string
  /** 6-digit administrative codes, when the respondent gave a region. */
  provinceCode?: string
  cityCode?: string
  /** Initiating unit (发起单位) the sample is attributed to through a share code. */
  unitId?: string
  /** Volunteer station (志愿服务站) and collection team (采集队) of the share code's chain. */
  stationId?: string
  teamId?: string
  /** Topic section id, for topic submissions; undefined for the main questionnaire (the sample). */
  topicId?: string
}

const safeKey = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Dot paths (inside a stats shard document) to increment by one for a submission. The main
 * questionnaire decides the sample: it moves the campaign, day, region and unit counters; a topic
 * moves its own. Keys are prefixed so that numeric codes never become array indexes.
 */
export function counterPaths(f: SampleFacts): string[] {
  const outcome = f.valid ? 'valid' : 'invalid'
  if (f.topicId) return [`topics.${f.topicId}.${outcome}`]
  const paths = [`total.${outcome}`, `days.${f.day}.${outcome}`]
  if (f.hour && /^\d{2}$/.test(f.hour)) paths.push(`hours.h${f.hour}.${outcome}`)
  if (f.provinceCode && /^\d{6}$/.test(f.provinceCode))
    paths.push(`provinces.p${f.provinceCode}.${outcome}`)
  if (f.cityCode && /^\d{6}$/.test(f.cityCode)) paths.push(`cities.c${f.cityCode}.${outcome}`)
  if (f.unitId && safeKey.test(f.unitId)) paths.push(`units.u${f.unitId}.${outcome}`)
  if (f.stationId && safeKey.test(f.stationId)) paths.push(`stations.s${f.stationId}.${outcome}`)
  if (f.teamId && safeKey.test(f.teamId)) paths.push(`teams.t${f.teamId}.${outcome}`)
  return paths
}

/**
 * Add `by` (default one) to each dot path of `doc` (objects made on the way, a missing counter
 * counts from 0): what the `$inc` of those paths does to a document, for building one that does
 * not exist yet.
 */
export function countInto(doc: Record<string, unknown>, paths: readonly string[], by = 1): void {
  for (const path of paths) {
    const parts = path.split('.')
    let at = doc
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>
    const last = parts[parts.length - 1]!
    at[last] = ((at[last] as number | undefined) ?? 0) + by
  }
}

export interface Tally {
  valid: number
  invalid: number
}

export interface CampaignStats {
  total: Tally
  days: Record<string, Tally>
  provinces: Record<string, Tally>
  cities: Record<string, Tally>
  units: Record<string, Tally>
  stations: Record<string, Tally>
  teams: Record<string, Tally>
  topics: Record<string, Tally>
  /** Hours (`09`) of the day slices read (summed over them when several days were read). */
  hours: Record<string, Tally>
}

type ShardDoc = Partial<Record<keyof CampaignStats, unknown>>

function addTally(into: Tally, from: unknown): void {
  const t = (from ?? {}) as Partial<Tally>
  into.valid += typeof t.valid === 'number' ? t.valid : 0
  into.invalid += typeof t.invalid === 'number' ? t.invalid : 0
}

function addMap(into: Record<string, Tally>, from: unknown, prefix: string): void {
  for (const [k, v] of Object.entries((from ?? {}) as Record<string, unknown>)) {
    const key = prefix && k.startsWith(prefix) ? k.slice(prefix.length) : k
    addTally((into[key] ??= { valid: 0, invalid: 0 }), v)
  }
}

/** Sum the shard documents of a campaign into one statistics view (keys without prefixes). */
export function sumShards(shards: readonly ShardDoc[]): CampaignStats {
  const out: CampaignStats = {
    total: { valid: 0, invalid: 0 },
    days: {},
    provinces: {},
    cities: {},
    units: {},
    stations: {},
    teams: {},
    topics: {},
    hours: {},
  }
  for (const s of shards) {
    addTally(out.total, s.total)
    addMap(out.days, s.days, 'd')
    addMap(out.provinces, s.provinces, 'p')
    addMap(out.cities, s.cities, 'c')
    addMap(out.units, s.units, 'u')
    addMap(out.stations, s.stations, 's')
    addMap(out.teams, s.teams, 't')
    addMap(out.topics, s.topics, '')
    addMap(out.hours, s.hours, 'h')
  }
  return out
}

/**
 * A node's counters summed over its shards: totals, days, the override it accrued, samples with
 * outlying paradata, and — for units and stations, from their top unit's documents — provinces
 * and cities (whole campaign) and hours (of the day documents read).
 */
export interface NodeTotals extends Tally {
  days: Record<string, Tally>
  /** Valid samples whose override went to this node, and the hundredths of a point they made. */
  overrideSamples: number
  overrideHundredths: number
  /** Samples (valid or not) whose main section's paradata was an outlier (isParadataOutlier). */
  paradata: number
  provinces: Record<string, Tally>
  cities: Record<string, Tally>
  hours: Record<string, Tally>
}

export function sumNodeShards(shards: readonly Record<string, unknown>[]): NodeTotals {
  const out: NodeTotals = {
    valid: 0,
    invalid: 0,
    days: {},
    overrideSamples: 0,
    overrideHundredths: 0,
    paradata: 0,
    provinces: {},
    cities: {},
    hours: {},
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : 0)
  for (const s of shards) {
    addTally(out, s)
    addMap(out.days, s.days, 'd')
    out.overrideSamples += num(s.overrideSamples)
    out.overrideHundredths += num(s.overrideHundredths)
    out.paradata += num(s.paradata)
    if (s.provinces) addMap(out.provinces, s.provinces, 'p')
    if (s.cities) addMap(out.cities, s.cities, 'c')
    if (s.hours) addMap(out.hours, s.hours, 'h')
  }
  return out
}

/** A node's key inside a chain counter document (prefixed: digits never become an array index). */
export function nodeKey(nodeId: string): string {
  return `n${nodeId}`
}

/** One sample as the nodes of its code's chain count it (the override on at most one of them). */
export interface ChainSample {
  valid: boolean
  overrideTo: string | null
  /** Hundredths of a point the override accrues (its rate in percent). */
  overrideRate: number
  /** What units and stations of the chain break their counts down by (ChainBreakdown). */
  breakdown?: ChainBreakdown | undefined
  /** The main section's paradata was an outlier (counted per node: the paradata alert). */
  paradataOutlier?: boolean | undefined
}

/**
 * A sample's facts for the per-node breakdowns (province → city, day, hour) of the dashboard:
 * `breakdowns.n<id>` — the top unit's in its shard and day document (written anyway), the
 * others' in their group's shard and its day document (splitChainAmounts: two more writes) —
 * for every node of the chain but its
 * team — units and stations have admins and a dashboard, teams do not, and they are most of a
 * tree's nodes (150 of 211 in bench:dashboard's), so leaving them out keeps the documents small.
 */
export interface ChainBreakdown {
  /** China-time day (`d20240717`) and hour (`09`) of the deciding submission. */
  day: string
  hour?: string | null | undefined
  provinceCode?: string | null | undefined
  cityCode?: string | null | undefined
  /** The chain's team (its last node when the code is a volunteer's): no breakdown kept. */
  teamId?: string | null | undefined
}

const regionCode = /^\d{6}$/

/** The chain's nodes that keep breakdowns: all but its team. */
function breakdownNodes(nodePath: readonly string[], b: ChainBreakdown): string[] {
  return nodePath.filter((id) => id !== b.teamId)
}

/**
 * Increments, by dot path inside a chain counter document, that count a sample (or take it back:
 * `by` −1) for every node of its code's chain: valid or invalid, and the override accrual of the
 * node that takes it. Added into `into`, so that a review's move is one write. The day's counts
 * go to the day's document (chainDayAmounts): days inside the totals' document would grow it by
 * nodes × days, and every read and write of it with them.
 */
export function chainCounterAmounts(
  nodePath: readonly string[],
  sample: ChainSample,
  by = 1,
  into: Record<string, number> = {},
): Record<string, number> {
  const outcome = sample.valid ? 'valid' : 'invalid'
  const add = (path: string, n: number) => (into[path] = (into[path] ?? 0) + n)
  for (const nodeId of nodePath) {
    const at = `nodes.${nodeKey(nodeId)}`
    add(`${at}.${outcome}`, by)
    if (nodeId === sample.overrideTo && sample.overrideRate > 0) {
      add(`${at}.overrideSamples`, by)
      add(`${at}.overrideHundredths`, by * sample.overrideRate)
    }
    if (sample.paradataOutlier) add(`${at}.paradata`, by)
  }
  const b = sample.breakdown
  if (b) {
    for (const nodeId of breakdownNodes(nodePath, b)) {
      const at = `breakdowns.${nodeKey(nodeId)}`
      add(`${at}.days.${b.day}.${outcome}`, by)
      if (b.provinceCode && regionCode.test(b.provinceCode))
        add(`${at}.provinces.p${b.provinceCode}.${outcome}`, by)
      if (b.cityCode && regionCode.test(b.cityCode))
        add(`${at}.cities.c${b.cityCode}.${outcome}`, by)
    }
  }
  return into
}

/**
 * The same sample in the chain's day document: each node's valid or invalid of that day, and the
 * hour for the nodes that keep breakdowns.
 */
export function chainDayAmounts(
  nodePath: readonly string[],
  valid: boolean,
  by = 1,
  into: Record<string, number> = {},
  breakdown?: ChainBreakdown,
): Record<string, number> {
  const outcome = valid ? 'valid' : 'invalid'
  const add = (path: string) => (into[path] = (into[path] ?? 0) + by)
  for (const nodeId of nodePath) add(`nodes.${nodeKey(nodeId)}.${outcome}`)
  if (breakdown?.hour && /^\d{2}$/.test(breakdown.hour))
    for (const nodeId of breakdownNodes(nodePath, breakdown))
      add(`breakdowns.${nodeKey(nodeId)}.hours.h${breakdown.hour}.${outcome}`)
  return into
}

/** One node's totals (and breakdowns, where kept) from its top unit's chain counter documents. */
export function sumChainShards(
  shards: readonly Record<string, unknown>[],
  nodeId: string,
): NodeTotals {
  const key = nodeKey(nodeId)
  const of = (s: Record<string, unknown>, field: 'nodes' | 'breakdowns') =>
    (s[field] as Record<string, Record<string, unknown>> | undefined)?.[key]
  const parts: Record<string, unknown>[] = []
  for (const s of shards) {
    for (const n of [of(s, 'nodes'), of(s, 'breakdowns')]) if (n) parts.push(n)
  }
  return sumNodeShards(parts)
}

/**
 * The fields of a top unit's documents a read of `nodeId`'s view needs: every node's counts, and
 * that node's breakdowns only (a projection: the others' are most of the document).
 */
export function chainProjection(nodeId?: string): Record<string, true> {
  return nodeId ? { nodes: true, [`breakdowns.${nodeKey(nodeId)}`]: true } : { nodes: true }
}

/** A share code in a node's ranking (its subtree's codes with the most valid samples). */
export interface RankedCode {
  code: string
  label: string | null
  valid: number
  invalid: number
  /** The code's counts on `day` (China time, `d20240717`): the day of the pass that read them. */
  day: string
  today: Tally
}

/** Codes a node's ranking keeps: more than 我的单位 and the dashboard show (5 and 10). */
export const RANKED_CODES_KEPT = 20

/**
 * A node's ranking after a pass that re-read some of its codes: those replace their earlier
 * entries, every other entry stays, the best `kept` by valid samples (then by code) remain. A
 * code only enters when it moved, and counts only grow between reviews, so the list is the
 * subtree's true top — a review that lowers a listed code can leave a code that never moved
 * ranked below it until that code moves again (kept > shown leaves room for that).
 */
export function mergeRanking(
  earlier: readonly RankedCode[],
  moved: readonly RankedCode[],
  kept = RANKED_CODES_KEPT,
): RankedCode[] {
  const byCode = new Map(earlier.map((c) => [c.code, c]))
  for (const c of moved) byCode.set(c.code, c)
  return [...byCode.values()]
    .filter((c) => c.valid > 0)
    .sort((a, b) => b.valid - a.valid || (a.code < b.code ? -1 : 1))
    .slice(0, kept)
}

/** A node's plain counts: valid, invalid and paradata outliers (no breakdowns). */
export interface NodeTally extends Tally {
  paradata: number
}

/**
 * Many nodes' plain counts from their top unit's documents, without summing their breakdowns:
 * what a subtree's table needs (only the scope's own breakdowns are shown).
 */
export function sumChainTallies(
  shards: readonly Record<string, unknown>[],
  nodeIds: readonly string[],
): Map<string, NodeTally> {
  const out = new Map<string, NodeTally>(
    nodeIds.map((id) => [id, { valid: 0, invalid: 0, paradata: 0 }]),
  )
  const num = (v: unknown) => (typeof v === 'number' ? v : 0)
  for (const s of shards) {
    const nodes = s.nodes as Record<string, Record<string, unknown>> | undefined
    if (!nodes) continue
    for (const [id, t] of out) {
      const n = nodes[nodeKey(id)]
      if (!n) continue
      t.valid += num(n.valid)
      t.invalid += num(n.invalid)
      t.paradata += num(n.paradata)
    }
  }
  return out
}
