// The organiser dashboard: valid and invalid samples of the caller's scope from counters only
// (never a scan of responses) — a node's subtree from its top unit's nodeStats documents (read by
// id, NODE_STAT_SHARDS of them and as many of the day's), the committee's campaign from the
// statShards slices it shows; codes from their codeStats, a page at a time.
import {
  BREAKDOWN_SHARDS,
  CAMPAIGN_SLICE,
  NODE_STAT_SHARDS,
  nodeKey,
  chainProjection,
  alertsOf,
  chinaDayKey,
  codeVelocityAlert,
  sumChainShards,
  sumChainTallies,
  type Dashboard,
  type OrganiserAlert,
  type OrganiserTally,
} from 'wal-core'
import { getDb, queryDocs, readDoc } from '../db'
import { currentCampaign } from '../records/campaigns'
import { readTopCodes } from '../records/code-ranks'
import { COMMITTEE_NODE, childrenOf, type OrgNodeDoc } from '../records/org'
import { SHARE_CODES, type ShareCodeDoc } from '../records/share-codes'
import {
  CODE_STATS,
  NODE_STATS,
  nodeDayStatId,
  nodeGroupDayStatId,
  nodeGroupStatId,
  nodeStatId,
  readDaySlices,
  readStatsSlice,
  topOfPath,
} from '../records/stats'
import { STAT_SHARDS_COLLECTION } from '../records/stats'
import { scopeOf, subtreeOf, type Access } from './access'

/** How many of the scope's ranked share codes the dashboard shows. */
const TOP_CODES = 10

const zero = (): OrganiserTally => ({ valid: 0, invalid: 0 })
const rows = <K extends string>(m: Record<string, OrganiserTally>, key: K) =>
  Object.entries(m)
    .map(
      ([k, t]) =>
        ({ [key]: k, valid: t.valid, invalid: t.invalid }) as { [P in K]: string } & OrganiserTally,
    )
    .sort((a, b) => (a[key] < b[key] ? -1 : 1))

/**
 * A top unit's NODE_STAT_SHARDS documents of one kind, by id: every node's counts and `nodeId`'s
 * breakdowns (projected: the other nodes' breakdowns stay in the database).
 */
const readShards = (id: (s: number) => string, nodeId?: string) =>
  Promise.all(
    Array.from({ length: NODE_STAT_SHARDS }, (_, i) =>
      readDoc<Record<string, unknown>>(
        getDb().collection(NODE_STATS).doc(id(i)).field(chainProjection(nodeId)),
      ),
    ),
  ).then((d) => d.filter((x): x is Record<string, unknown> => x !== null))

async function topDocs(campaignId: string, top: string, day?: string, nodeId?: string) {
  const read = (id: (s: number) => string) => readShards(id, nodeId)
  const [totals, ofDay] = await Promise.all([
    read((i) => nodeStatId(campaignId, top, i)),
    day ? read((i) => nodeDayStatId(campaignId, top, day, i)) : Promise.resolve([]),
  ])
  return { totals, ofDay }
}

/** The national total: the campaign slice's `total` only (projected: small whatever the keys). */
export async function nationalTotal(campaignId: string): Promise<OrganiserTally> {
  const docs = await queryDocs<{ total?: Partial<OrganiserTally> }>(
    getDb()
      .collection(STAT_SHARDS_COLLECTION)
      .where({ campaignId, slice: CAMPAIGN_SLICE })
      .field({ total: true })
      .limit(1000),
  )
  const t = zero()
  for (const d of docs) {
    t.valid += d.total?.valid ?? 0
    t.invalid += d.total?.invalid ?? 0
  }
  return t
}

/** The national view's alerts: its top units' invalid share and paradata outliers. */
function nodeAlerts(nodes: Dashboard['nodes'], paradata: Map<string, number>): OrganiserAlert[] {
  return alertsOf(
    nodes.map((n) => ({
      subject: n.nodeId,
      name: n.name,
      ...n.total,
      paradata: paradata.get(n.nodeId),
    })),
  )
}

function dayKeys(
  campaign: { window: { startsAt: string | Date; endsAt: string | Date } },
  nowMs: number,
) {
  const start = new Date(campaign.window.startsAt).getTime()
  const end = Math.min(new Date(campaign.window.endsAt).getTime(), nowMs)
  const out: string[] = []
  for (let t = start; t <= end + 86_400_000 && out.length < 60; t += 86_400_000) {
    const d = chinaDayKey(t)
    if (!out.includes(d) && t <= end) out.push(d)
  }
  if (out.length === 0 || !out.includes(chinaDayKey(end))) out.push(chinaDayKey(end))
  return out
}

/**
 * A node below its top unit keeps its breakdowns in its group's shards (core's breakdownGroup:
 * its path's city unit): those BREAKDOWN_SHARDS documents by id, and as many of `day`'s (its
 * hours), projected to its own breakdowns. A top unit's are in its own shards, read already.
 */
async function groupDocs(
  campaignId: string,
  top: string,
  scope: { _id: string; path: readonly string[] },
  day: string,
) {
  const group = scope.path[2]
  if (scope._id === top || !group) return { totals: [], ofDay: [] }
  const read = (id: (i: number) => string) =>
    Promise.all(
      Array.from({ length: BREAKDOWN_SHARDS }, (_, i) =>
        readDoc<Record<string, unknown>>(
          getDb()
            .collection(NODE_STATS)
            .doc(id(i))
            .field({ [`breakdowns.${nodeKey(scope._id)}`]: true }),
        ),
      ),
    ).then((d) => d.filter((x): x is Record<string, unknown> => x !== null))
  const [totals, ofDay] = await Promise.all([
    read((i) => nodeGroupStatId(campaignId, top, group, i)),
    read((i) => nodeGroupDayStatId(campaignId, top, group, day, i)),
  ])
  return { totals, ofDay }
}

export async function dashboard(
  access: Access,
  input: { nodeId?: string | undefined; day?: string | undefined },
  now: Date,
): Promise<Dashboard> {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const today = chinaDayKey(now.getTime())
  const day = input.day ? `d${input.day}` : today
  const national = await nationalTotal(campaign.id)
  if (!scope) return nationalDashboard(campaign, national, today, day, now, input.day !== undefined)

  const top = topOfPath(scope.path)
  const { totals, ofDay } = top
    ? await topDocs(campaign.id, top, today, scope._id)
    : { totals: [], ofDay: [] }
  // Hours of another day than today: that day's documents too (16 more reads by id).
  const hoursDocs =
    day === today || !top
      ? ofDay
      : await readShards((i) => nodeDayStatId(campaign.id, top, day, i), scope._id)
  const subtree = await subtreeOf(scope)
  const groups = top ? await groupDocs(campaign.id, top, scope, day) : { totals: [], ofDay: [] }
  const ids = [scope, ...subtree].map((n) => n._id)
  const [tallies, todays] = [sumChainTallies(totals, ids), sumChainTallies(ofDay, ids)]
  const nodes: Dashboard['nodes'] = [scope, ...subtree].map((n) => {
    const t = tallies.get(n._id)!
    const d = todays.get(n._id)!
    return {
      nodeId: n._id,
      name: n.name,
      kind: n.kind,
      parent: n.parent,
      depth: n.path.length - scope.path.length,
      total: { valid: t.valid, invalid: t.invalid },
      today: { valid: d.valid, invalid: d.invalid },
      target: n.targets[campaign.id] ?? 0,
    }
  })
  const mine = nodes[0]!
  // The scope's own breakdowns (units and stations keep them: core's ChainBreakdown), from the
  // documents read above — no further read.
  const own = sumChainShards([...totals, ...groups.totals], scope._id)
  const days: Record<string, OrganiserTally> = { ...own.days }
  days[today.slice(1)] = mine.today
  return {
    campaignId: campaign.id,
    scope: { nodeId: scope._id, name: scope.name },
    token: tokenOf(mine.total, national),
    national,
    total: mine.total,
    today: mine.today,
    target: mine.target,
    progress: mine.target > 0 ? mine.total.valid / mine.target : 0,
    nodes,
    provinces: rows(own.provinces, 'code'),
    cities: rows(own.cities, 'code'),
    days: rows(days, 'day'),
    hours: rows(sumChainShards([...hoursDocs, ...groups.ofDay], scope._id).hours, 'hour'),
    flags: { paradataOutliers: own.paradata },
    ...(await readTopCodes(campaign.id, scope._id, today, TOP_CODES).then((r) => ({
      topCodes: r.codes,
      rankedAt: r.rankedAt,
    }))),
    alerts: alertsOf(
      nodes.slice(1).map((n) => ({
        subject: n.nodeId,
        name: n.name,
        ...n.total,
        paradata: tallies.get(n.nodeId)?.paradata,
      })),
    ),
  }
}

async function nationalDashboard(
  campaign: { id: string; window: { startsAt: string | Date; endsAt: string | Date } },
  national: OrganiserTally,
  today: string,
  day: string,
  now: Date,
  dayAsked: boolean,
): Promise<Dashboard> {
  const all = await readStatsSlice(campaign.id, CAMPAIGN_SLICE)
  const ofDay = await readDaySlices(campaign.id, [day])
  const regions = dayAsked
    ? ofDay
    : await readDaySlices(campaign.id, dayKeys(campaign, now.getTime()))
  const units = await childrenOf(COMMITTEE_NODE)
  const paradata = new Map<string, number>()
  const nodes: Dashboard['nodes'] = await Promise.all(
    units.map(async (u) => {
      const { totals, ofDay: d } = await topDocs(campaign.id, u._id, today)
      const t = sumChainShards(totals, u._id)
      const td = sumChainShards(d, u._id)
      paradata.set(u._id, t.paradata)
      return {
        nodeId: u._id,
        name: u.name,
        kind: u.kind,
        parent: u.parent,
        depth: 1,
        total: { valid: t.valid, invalid: t.invalid },
        today: { valid: td.valid, invalid: td.invalid },
        target: u.targets[campaign.id] ?? 0,
      }
    }),
  )
  const target = nodes.reduce((s, n) => s + n.target, 0)
  return {
    campaignId: campaign.id,
    scope: { nodeId: null, name: '全国' },
    token: tokenOf(national, national),
    national,
    total: national,
    today: all.days[today.slice(1)] ?? zero(),
    target,
    progress: target > 0 ? national.valid / target : 0,
    nodes,
    provinces: rows(all.provinces, 'code'),
    cities: rows(regions.cities, 'code'),
    days: rows(all.days, 'day'),
    hours: rows(ofDay.hours, 'hour'),
    // Paradata outliers are counted per node (coded samples): the national view has its alerts.
    flags: {},
    alerts: nodeAlerts(nodes, paradata),
    topCodes: [],
    rankedAt: null,
  }
}

function tokenOf(scope: OrganiserTally, national: OrganiserTally): string {
  return `${scope.valid}.${scope.invalid}.${national.valid}.${national.invalid}`
}

/** The polling token alone: the scope's totals and the national total (a few small reads). */
export async function changeToken(
  access: Access,
  input: { nodeId?: string | undefined },
  now: Date,
): Promise<{ token: string }> {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const national = await nationalTotal(campaign.id)
  if (!scope) return { token: tokenOf(national, national) }
  const top = topOfPath(scope.path)
  const { totals } = top ? await topDocs(campaign.id, top) : { totals: [] }
  const t = sumChainShards(totals, scope._id)
  return { token: tokenOf({ valid: t.valid, invalid: t.invalid }, national) }
}

/**
 * The share codes of the scope with their counts, a page at a time (codes whose chain passes
 * through the node, by id), and the velocity alert of codes with many samples today.
 */
export async function codeBreakdown(
  access: Access,
  input: { nodeId?: string | undefined; cursor?: string | undefined; limit: number },
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const _ = getDb().command
  const where: Record<string, unknown> = { campaignId: campaign.id, _id: _.gt(input.cursor ?? '') }
  if (scope) where['chain.nodePath'] = scope._id
  const codes = await queryDocs<ShareCodeDoc>(
    getDb().collection(SHARE_CODES).where(where).orderBy('_id', 'asc').limit(input.limit),
  )
  const today = chinaDayKey(now.getTime())
  const stats =
    codes.length === 0
      ? []
      : await queryDocs<Record<string, unknown> & { code: string }>(
          getDb()
            .collection(CODE_STATS)
            .where({ campaignId: campaign.id, code: _.in(codes.map((c) => c._id)) })
            .limit(1000),
        )
  const byCode = new Map<
    string,
    { total: OrganiserTally; today: OrganiserTally; paradata: number }
  >()
  for (const s of stats) {
    const e = byCode.get(s.code) ?? { total: zero(), today: zero(), paradata: 0 }
    e.total.valid += Number(s.valid ?? 0)
    e.total.invalid += Number(s.invalid ?? 0)
    e.paradata += Number(s.paradata ?? 0)
    const d = (s.days as Record<string, Partial<OrganiserTally>> | undefined)?.[today]
    e.today.valid += d?.valid ?? 0
    e.today.invalid += d?.invalid ?? 0
    byCode.set(s.code, e)
  }
  const rowsOut = codes.map((c) => ({
    code: c._id,
    label: c.label ?? null,
    ownerKind: c.ownerKind ?? 'volunteer',
    nodeId: c.ownerNodeId ?? null,
    total: byCode.get(c._id)?.total ?? zero(),
    today: byCode.get(c._id)?.today ?? zero(),
  }))
  const alerts: OrganiserAlert[] = [
    ...rowsOut
      .map((r) => codeVelocityAlert(r.code, r.today.valid + r.today.invalid))
      .filter((a): a is OrganiserAlert => a !== null),
    ...alertsOf(
      rowsOut.map((r) => ({
        subject: r.code,
        name: `分享码 ${r.code}`,
        ...r.total,
        paradata: byCode.get(r.code)?.paradata ?? 0,
      })),
    ),
  ]
  return {
    codes: rowsOut,
    next: codes.length === input.limit ? codes[codes.length - 1]!._id : null,
    alerts,
  }
}

export type { OrgNodeDoc }
