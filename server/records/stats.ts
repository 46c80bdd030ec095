// Records of the statistics counters: `statShards` (STAT_SHARDS documents per slice of a
// campaign — the campaign's own and one per day —, a sample's counters in one of each), `codeStats` (CODE_STAT_SHARDS per share code) and
// `nodeStats` (NODE_STAT_SHARDS per top unit of the tree, every node under it by key). Counters
// only ever move by $inc inside the transaction that stores the sample; reads sum the shards.
import {
  BREAKDOWN_SHARDS,
  CODE_STAT_SHARDS,
  NODE_STAT_SHARDS,
  breakdownGroup,
  splitChainAmounts,
  STAT_SHARDS,
  CAMPAIGN_SLICE,
  countInto,
  pathsBySlice,
  statDayShardId,
  chainCounterAmounts,
  chainDayAmounts,
  chainProjection,
  shardOf,
  statShardId,
  sumChainShards,
  sumNodeShards,
  type ChainBreakdown,
  type ChainSample,
  sumShards,
  type CampaignStats,
  type NodeTotals,
  type Tally,
} from 'wal-core'
import { getDb, readDoc, type Transaction } from '../db'

export const STAT_SHARDS_COLLECTION = 'statShards'
export const CODE_STATS = 'codeStats'
export const NODE_STATS = 'nodeStats'

/** The id of one share code's counter shard. */
export function codeStatId(campaignId: string, code: string, shard: number): string {
  return `${campaignId}:${code}:${shard}`
}

/** Increment a counter document, creating it on first use (update reports 0 when it is missing). */
export async function bump(
  tx: Transaction,
  collection: string,
  id: string,
  paths: string[],
  initial: Record<string, unknown>,
): Promise<void> {
  await bumpBy(tx, collection, id, Object.fromEntries(paths.map((p) => [p, 1])), initial)
}

/**
 * bump with an amount per path (an override's hundredths, or −1 when a review moves a sample);
 * `fields` are set in the same write (a code's `at`: when its counters last moved).
 */
export async function bumpBy(
  tx: Transaction,
  collection: string,
  id: string,
  amounts: Record<string, number>,
  initial: Record<string, unknown>,
  fields: Record<string, unknown> = {},
): Promise<void> {
  // One command per distinct amount: the SDK copies it per field anyway, and each one it builds costs.
  const commands = new Map<number, unknown>()
  const data: Record<string, unknown> = { ...fields }
  for (const [p, n] of Object.entries(amounts)) {
    if (!commands.has(n)) commands.set(n, getDb().command.inc(n))
    data[p] = commands.get(n)
  }
  const res = (await tx.collection(collection).doc(id).update({ data })) as {
    stats: { updated: number }
  }
  if (res.stats.updated > 0) return
  const doc: Record<string, unknown> = { ...initial, ...fields }
  for (const [p, n] of Object.entries(amounts)) countInto(doc, [p], n)
  await tx.collection(collection).doc(id).set({ data: doc })
}

/**
 * Move a sample's counters (core's counterPaths) in the respondent's shard of each slice they
 * belong to: the campaign's (total, days, provinces, units, topics) and the day's (hours, cities,
 * stations, teams) — at most two small documents. Call it last in the transaction: a shard is
 * shared by many respondents, and the fewer requests between touching it and the commit, the
 * fewer concurrent submissions conflict on it and run again.
 */
export async function countSample(
  tx: Transaction,
  campaignId: string,
  openid: string,
  paths: string[],
  day: string,
): Promise<void> {
  await moveSampleCounters(
    tx,
    campaignId,
    openid,
    paths.map((p) => [p, 1]),
    day,
  )
}

/** Add amounts (by counter path) in the respondent's shard of each slice (a review's move). */
export async function moveSampleCounters(
  tx: Transaction,
  campaignId: string,
  openid: string,
  amounts: Array<[string, number]>,
  day: string,
): Promise<void> {
  const shard = shardOf(openid, STAT_SHARDS)
  for (const [slice, list] of pathsBySlice(amounts, day)) {
    const id =
      slice === CAMPAIGN_SLICE
        ? statShardId(campaignId, shard)
        : statDayShardId(campaignId, slice, shard)
    await bumpBy(tx, STAT_SHARDS_COLLECTION, id, Object.fromEntries(list), {
      campaignId,
      shard,
      slice,
    })
  }
}

/** The id of one counter shard of a top unit's tree (every node under that unit is counted in it). */
export function nodeStatId(campaignId: string, topId: string, shard: number): string {
  return `${campaignId}:${topId}:${shard}`
}

/**
 * The id of one shard of a breakdown group of a top unit's tree (core's breakdownGroup): the
 * days, provinces and cities of the units and stations of that part of the tree below the top
 * unit (`g` + the group's node id never reads as a day or a shard).
 */
export function nodeGroupStatId(campaignId: string, topId: string, group: string, shard: number) {
  return `${campaignId}:${topId}:g${group}:${shard}`
}

/** The id of one shard of a breakdown group for one China-time day (its nodes' hours). */
export function nodeGroupDayStatId(
  campaignId: string,
  topId: string,
  group: string,
  day: string,
  shard: number,
) {
  return `${campaignId}:${topId}:g${group}:${day}:${shard}`
}

/** The id of one shard of a top unit's tree for one China-time day (`d20240717`). */
export function nodeDayStatId(campaignId: string, topId: string, day: string, shard: number) {
  return `${campaignId}:${topId}:${day}:${shard}`
}

/** The top unit of a node's path (root first, the committee at the root): whose shards count it. */
export function topOfPath(path: readonly string[]): string | null {
  return path[1] ?? null
}

/** A sample's share code and its chain, as the response stores them. */
export interface Attribution {
  code: string | null
  nodePath?: readonly string[] | undefined
}

function codeAmounts(valid: boolean, day: string, by: number, into: Record<string, number>) {
  const outcome = valid ? 'valid' : 'invalid'
  into[outcome] = (into[outcome] ?? 0) + by
  into[`days.${day}.${outcome}`] = (into[`days.${day}.${outcome}`] ?? 0) + by
  return into
}

/**
 * How a sample was decided, for its attribution counters: its outcome, day and override, and
 * what the chain's units and stations break it down by (its hour, region; the chain's team keeps
 * none) and whether its paradata was an outlier.
 */
export interface CountedSample extends Omit<ChainSample, 'breakdown'> {
  /** China-time day key of the deciding submission (`d20240717`). */
  day: string
  /** China-time hour of the deciding submission (`09`). */
  hour?: string | null | undefined
  provinceCode?: string | null | undefined
  cityCode?: string | null | undefined
  teamId?: string | null | undefined
  /** When the counters move (the code's `at`, which the ranking pass looks for). */
  at: Date
}

function breakdownOf(s: CountedSample): ChainBreakdown {
  return {
    day: s.day,
    hour: s.hour ?? null,
    provinceCode: s.provinceCode ?? null,
    cityCode: s.cityCode ?? null,
    teamId: s.teamId ?? null,
  }
}

/**
 * Count a sample for its share code (`codeStats`) and for every node of the code's chain in the
 * top unit's shard and that shard's day document (`nodeStats`): three writes whatever the chain's
 * length. Every document stays small: a top unit's holds its nodes' totals (a few hundred nodes,
 * four numbers each), a day's their counts of that day, a code's its own days. Codes keep
 * documents of their own: thousands of them with their days in a unit's documents would make
 * every read of a node's totals, and every write of a sample, grow with codes × days.
 */
export async function countAttributedSample(
  tx: Transaction,
  campaignId: string,
  openid: string,
  a: Attribution,
  sample: CountedSample,
): Promise<void> {
  const path = a.nodePath ?? []
  const breakdown = breakdownOf(sample)
  const code = codeAmounts(sample.valid, sample.day, 1, {})
  if (sample.paradataOutlier) code.paradata = 1
  await writeAttribution(tx, campaignId, openid, a, sample.day, sample.at, {
    nodes: chainCounterAmounts(path, { ...sample, breakdown }),
    day: chainDayAmounts(path, sample.valid, 1, {}, breakdown),
    code,
  })
}

/**
 * Move a sample between valid and invalid (a review: confirm-invalid, or restore-valid), the
 * override accrual with it: the same writes as counting it. `counted` describes the sample as
 * it is counted now (its `valid`); it ends counted the other way.
 */
export async function moveAttributedSample(
  tx: Transaction,
  campaignId: string,
  openid: string,
  a: Attribution,
  counted: CountedSample,
): Promise<void> {
  const path = a.nodePath ?? []
  const from = counted.valid
  // The paradata count is the submission's, whatever a review decides: it does not move.
  const breakdown = breakdownOf(counted)
  const moved = { ...counted, breakdown, paradataOutlier: false }
  const nodes = chainCounterAmounts(
    path,
    { ...moved, overrideTo: from ? counted.overrideTo : null },
    -1,
  )
  chainCounterAmounts(
    path,
    { ...moved, valid: !from, overrideTo: from ? null : counted.overrideTo },
    1,
    nodes,
  )
  const day = chainDayAmounts(path, from, -1, {}, breakdown)
  chainDayAmounts(path, !from, 1, day, breakdown)
  const code = codeAmounts(from, counted.day, -1, {})
  codeAmounts(!from, counted.day, 1, code)
  await writeAttribution(tx, campaignId, openid, a, counted.day, counted.at, { nodes, day, code })
}

/** Move a sample counted valid to invalid (a review), override accrual included: the same writes. */
export function moveAttributedSampleToInvalid(
  tx: Transaction,
  campaignId: string,
  openid: string,
  a: Attribution,
  counted: CountedSample,
): Promise<void> {
  return moveAttributedSample(tx, campaignId, openid, a, { ...counted, valid: true })
}

async function writeAttribution(
  tx: Transaction,
  campaignId: string,
  openid: string,
  a: Attribution,
  day: string,
  at: Date,
  amounts: Record<'nodes' | 'day' | 'code', Record<string, number>>,
): Promise<void> {
  const top = a.nodePath?.[0]
  if (top) {
    const shard = shardOf(openid, NODE_STAT_SHARDS)
    const initial = { campaignId, topId: top, shard }
    const totals = splitChainAmounts(amounts.nodes, top)
    const ofDay = splitChainAmounts(amounts.day, top)
    const group = breakdownGroup(a.nodePath ?? [])
    if (group) {
      const g = shardOf(openid, BREAKDOWN_SHARDS)
      const at = { campaignId, topId: top, group, shard: g }
      if (Object.keys(totals.breakdowns).length > 0)
        await bumpBy(
          tx,
          NODE_STATS,
          nodeGroupStatId(campaignId, top, group, g),
          totals.breakdowns,
          at,
        )
      if (Object.keys(ofDay.breakdowns).length > 0)
        await bumpBy(
          tx,
          NODE_STATS,
          nodeGroupDayStatId(campaignId, top, group, day, g),
          ofDay.breakdowns,
          { ...at, day },
        )
    }
    await bumpBy(tx, NODE_STATS, nodeStatId(campaignId, top, shard), totals.nodes, initial)
    await bumpBy(tx, NODE_STATS, nodeDayStatId(campaignId, top, day, shard), ofDay.nodes, {
      ...initial,
      day,
    })
  }
  if (a.code) {
    const shard = shardOf(openid, CODE_STAT_SHARDS)
    await bumpBy(
      tx,
      CODE_STATS,
      codeStatId(campaignId, a.code, shard),
      amounts.code,
      { campaignId, code: a.code, shard, valid: 0, invalid: 0 },
      { at },
    )
  }
}

/**
 * A node's totals (its whole subtree, and the override it accrued) and, when `day` is given, its
 * counts of that day: reads by id of its top unit's NODE_STAT_SHARDS documents (and as many of
 * the day's), O(1) in samples and codes. Doc reads, not a query: they also work inside a
 * transaction (the override settlement reads them there).
 */
export async function readNodeTotals(
  db: Transaction | ReturnType<typeof getDb>,
  campaignId: string,
  node: { _id: string; path: readonly string[] },
  day?: string,
): Promise<NodeTotals> {
  const [totals] = await readTreeTotals(db, campaignId, topOfPath(node.path), [node._id], day)
  return totals!
}

/**
 * Several nodes of one top unit's tree (a node and its sub-units) with the reads of one: their
 * counts sit in the same shard documents, so one read of each shard serves them all.
 */
export async function readTreeTotals(
  db: Transaction | ReturnType<typeof getDb>,
  campaignId: string,
  top: string | null,
  nodeIds: readonly string[],
  day?: string,
): Promise<NodeTotals[]> {
  if (!top) return nodeIds.map((id) => sumChainShards([], id))
  // The nodes' counts only (projected: the units' breakdowns beside them are the dashboard's),
  // where the reference offers a projection.
  const ref = (id: string) => {
    const doc = db.collection(NODE_STATS).doc(id) as ReturnType<
      ReturnType<ReturnType<typeof getDb>['collection']>['doc']
    >
    return typeof doc.field === 'function' ? doc.field(chainProjection()) : doc
  }
  const shards = (id: (shard: number) => string) =>
    Promise.all(
      Array.from({ length: NODE_STAT_SHARDS }, (_, i) =>
        readDoc<Record<string, unknown>>(ref(id(i))),
      ),
    ).then((docs) => docs.filter((d): d is Record<string, unknown> => d !== null))
  const [totals, ofDay] = await Promise.all([
    shards((i) => nodeStatId(campaignId, top, i)),
    day ? shards((i) => nodeDayStatId(campaignId, top, day, i)) : [],
  ])
  return nodeIds.map((id) => {
    const out = sumChainShards(totals, id)
    if (day) {
      const t = sumChainShards(ofDay, id)
      out.days[day.slice(1)] = { valid: t.valid, invalid: t.invalid }
    }
    return out
  })
}

/** A share code's totals and days: one query of its CODE_STAT_SHARDS documents. */
export async function readCodeTotals(
  campaignId: string,
  code: string,
): Promise<Tally & { days: Record<string, Tally> }> {
  const res = await getDb()
    .collection(CODE_STATS)
    .where({ campaignId, code })
    .limit(CODE_STAT_SHARDS)
    .get()
  const t = sumNodeShards(res.data as Array<Record<string, unknown>>)
  return { valid: t.valid, invalid: t.invalid, days: t.days }
}

/**
 * Many share codes' totals and one day's counts: their CODE_STAT_SHARDS documents, fetched 100
 * codes (≤ 800 documents) to a query — as many reads as codes, never a scan of responses.
 */
export async function readCodesTotals(
  campaignId: string,
  codes: readonly string[],
  day: string,
): Promise<Map<string, { total: Tally; today: Tally }>> {
  const _ = getDb().command
  const out = new Map<string, { total: Tally; today: Tally }>()
  for (let i = 0; i < codes.length; i += 100) {
    const res = await getDb()
      .collection(CODE_STATS)
      .where({ campaignId, code: _.in(codes.slice(i, i + 100)) })
      .limit(1000)
      .get()
    for (const s of res.data as Array<Record<string, unknown> & { code: string }>) {
      const e = out.get(s.code) ?? {
        total: { valid: 0, invalid: 0 },
        today: { valid: 0, invalid: 0 },
      }
      e.total.valid += Number(s.valid ?? 0)
      e.total.invalid += Number(s.invalid ?? 0)
      const d = (s.days as Record<string, Partial<Tally>> | undefined)?.[day]
      e.today.valid += d?.valid ?? 0
      e.today.invalid += d?.invalid ?? 0
      out.set(s.code, e)
    }
  }
  return out
}

/**
 * One slice of a campaign's statistics (`all`: total, days, provinces, units, topics; a day
 * `d20240717`: its hours, cities, stations, teams): one query of its STAT_SHARDS documents,
 * summed by core — the same cost at a thousand samples and at millions.
 */
export async function readStatsSlice(campaignId: string, slice: string): Promise<CampaignStats> {
  const res = await getDb()
    .collection(STAT_SHARDS_COLLECTION)
    .where({ campaignId, slice })
    .limit(STAT_SHARDS)
    .get()
  return sumShards(res.data as Array<Record<string, unknown>>)
}

/** Several day slices summed (a campaign's cities over its days): a query per day. */
export async function readDaySlices(campaignId: string, days: string[]): Promise<CampaignStats> {
  const docs: Array<Record<string, unknown>> = []
  for (const day of days) {
    const res = await getDb()
      .collection(STAT_SHARDS_COLLECTION)
      .where({ campaignId, slice: day })
      .limit(STAT_SHARDS)
      .get()
    docs.push(...(res.data as Array<Record<string, unknown>>))
  }
  return sumShards(docs)
}

/** A campaign's whole statistics: its campaign slice and every day slice it counted. */
export async function readStats(campaignId: string): Promise<CampaignStats> {
  const all = await readStatsSlice(campaignId, CAMPAIGN_SLICE)
  const days = await readDaySlices(
    campaignId,
    Object.keys(all.days).map((d) => `d${d}`),
  )
  return {
    ...all,
    cities: days.cities,
    stations: days.stations,
    teams: days.teams,
    hours: days.hours,
  }
}
