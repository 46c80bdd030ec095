// `npm run reconcile [-- --file <data.sqlite>]`: recomputes every balance of the local data file
// from its append-only entries — points (pointAccounts ← pointEntries, including each entry's
// running balance) and draw chances (granted on the responses, one record per accepted section;
// spent on chanceAccounts ← the draws' chanceEntries) — checks that the records written together
// belong together (each transfer_out with its transfer_in; each draw with its chance spend and its
// prize, points entry or payout, and none of those without its draw) and that the statistics
// counters (statShards, codeStats) equal a recount of the stored responses; then prints what
// differs. Exit code 1 on any difference, 0 with a summary otherwise.
//
// Personal information deleted or past its retention (server/privacy.ts) moves a response to a
// pseudonymous id (`<campaignId>:p-…`) while the prize ledger keeps the openid: the chance account
// (flagged `responsePseudonymised`) and the share reward naming the old response id. Without the
// pseudonym key nothing links the two, and reconcile does not use the key (a data file alone must
// not link a person to their answers): those records are matched per campaign instead — the
// flagged accounts' spends must fit the pseudonymised responses' grants, and the share rewards
// left without a response must equal, by code, account and review, the pseudonymised samples.
//
// It reads SQLite directly (read-only, one pass per collection) rather than through the SDK: a
// reconciliation must stay one pass over millions of entries. In CloudBase the same sums are an
// aggregate per collection (docs/operations.md).
import { existsSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { chainCounterAmounts, chainDayAmounts, counterPaths, isPseudonym } from 'wal-core'
import type { DocumentStore } from '../emulator/db/store'
import { dataFile } from './seed'

export interface Difference {
  kind:
    | 'points'
    | 'chances'
    | 'transfers'
    | 'draws'
    | 'stats'
    | 'codeStats'
    | 'nodeStats'
    | 'shareRewards'
    | 'overrides'
    | 'stock'
    | 'redemptions'
  /** What it is about: an account, an entry or draw id, a campaign, a campaign's share code. */
  account: string
  problem: string
}

export interface ReconcileReport {
  differences: Difference[]
  points: { accounts: number; entries: number; total: number }
  chances: {
    responses: number
    accounts: number
    entries: number
    granted: number
    spent: number
    balance: number
  }
  transfers: { paired: number }
  draws: { draws: number; payouts: number }
  stats: { campaigns: number; samples: number; topics: number; codes: number }
  /** share_reward entries checked against their samples, and those reversed. */
  shareRewards: { rewards: number; reversed: number }
  /** Node accounts (`node:<id>`) with override accrual or settlements, per campaign. */
  overrides: { nodes: number; accruedHundredths: number; settled: number }
  /** Stock shards equal to their entries; reservations with their points and stock movements. */
  store: { shards: number; stock: number; reservations: number }
}

type Sqlite = Database.Database

/**
 * The SQLite table holding a collection, as the local cloud names it (emulator/db/store.ts keeps
 * the rule private, so it is repeated here and only here).
 */
function tableOf(collection: string): string {
  return `c_${collection}`
}

function tableExists(db: Sqlite, collection: string): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(tableOf(collection)) !== undefined
  )
}

/**
 * A collection to select from or join: its table, or no rows (same columns) when it does not
 * exist yet, so that one query serves a data file where nobody has drawn or transferred.
 */
function source(db: Sqlite, collection: string): string {
  return tableExists(db, collection)
    ? `"${tableOf(collection)}"`
    : `(SELECT NULL AS id, NULL AS doc WHERE 0)`
}

/** Rows of `SELECT … FROM <collection>`, or none when the collection does not exist. */
function rows<T>(db: Sqlite, collection: string, select: string, tail = ''): IterableIterator<T> {
  if (!tableExists(db, collection)) return [][Symbol.iterator]()
  return db
    .prepare(`SELECT ${select} FROM "${tableOf(collection)}" ${tail}`)
    .iterate() as IterableIterator<T>
}

/** The rows of a complete query (its FROM and joins use `source`). */
function query<T>(db: Sqlite, sql: string, ...params: unknown[]): IterableIterator<T> {
  return db.prepare(sql).iterate(...params) as IterableIterator<T>
}

/** A field of the document in `doc` (or of the row alias `at`'s document). */
const num = (path: string, at?: string) => `json_extract(${at ? `${at}.doc` : 'doc'}, '$.${path}')`

/**
 * Adds a transfer entry to its pair: `<sender code>><recipient code>:<requestId>` is the same for
 * both sides (wallet.transfer writes the counterpart's user code as `ref`). A pair is complete when
 * it has one of each and the amounts cancel; complete pairs leave the map and are counted.
 */
function pairTransfer(
  transfers: Map<string, TransferSides>,
  entry: {
    id: string
    kind: string
    amount: number
    ref: string | null
    requestId: string | null
    userCode: string | null
  },
  out: ReconcileReport,
): void {
  const outgoing = entry.kind === 'transfer_out'
  const [from, to] = outgoing ? [entry.userCode, entry.ref] : [entry.ref, entry.userCode]
  const key = `${from}>${to}:${entry.requestId}`
  const t = transfers.get(key) ?? { out: null, in: null, extra: [] }
  const side = { id: entry.id, amount: entry.amount }
  if (outgoing ? t.out : t.in) t.extra.push(`another ${entry.kind} ${entry.id}`)
  else if (outgoing) t.out = side
  else t.in = side
  if (t.out && t.in && t.extra.length === 0 && t.out.amount < 0 && t.out.amount === -t.in.amount) {
    transfers.delete(key)
    out.transfers.paired += 1
  } else transfers.set(key, t)
}

/** One transfer as its two entries name it: sender's and recipient's user codes, the requestId. */
interface TransferSides {
  out: { id: string; amount: number } | null
  in: { id: string; amount: number } | null
  extra: string[]
}

function reconcilePoints(db: Sqlite, out: ReconcileReport): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'points', account, problem })
  // Replay every account's entries in seq order: seq 1..n without gaps, each balanceAfter the
  // previous plus the amount, never negative. The same pass pairs transfers (both entries carry
  // the requestId; each names the other side by user code, its own account gives its own) and
  // finds draw prizes whose draw is missing.
  const replayed = new Map<string, { balance: number; seq: number }>()
  // Transfers waiting for their other side; a complete pair is removed (entry ids are
  // deterministic per side, so a pair can never gain a third entry without a new key).
  const transfers = new Map<string, TransferSides>()
  let current: { openid: string; balance: number; seq: number; broken: boolean } | null = null
  const finish = () => {
    if (current) replayed.set(current.openid, { balance: current.balance, seq: current.seq })
  }
  const e = (field: string) => num(field, 'e')
  for (const entry of query<{
    id: string
    openid: string
    seq: number
    amount: number
    balanceAfter: number
    kind: string
    ref: string | null
    requestId: string | null
    userCode: string | null
    drawOpenid: string | null
  }>(
    db,
    `SELECT e.id AS id, ${e('openid')} AS openid, ${e('seq')} AS seq, ${e('amount')} AS amount,
       ${e('balanceAfter')} AS balanceAfter, ${e('kind')} AS kind, ${e('ref')} AS ref,
       ${e('requestId')} AS requestId, ${num('userCode', 'a')} AS userCode,
       ${num('openid', 'd')} AS drawOpenid
     FROM ${source(db, 'pointEntries')} e
     LEFT JOIN ${source(db, 'pointAccounts')} a ON a.id = ${e('openid')}
     LEFT JOIN ${source(db, 'draws')} d ON ${e('kind')} = 'draw_prize' AND d.id = ${e('ref')}
     ORDER BY openid, seq`,
  )) {
    out.points.entries += 1
    if (!current || current.openid !== entry.openid) {
      finish()
      current = { openid: entry.openid, balance: 0, seq: 0, broken: false }
    }
    const expected = current.balance + entry.amount
    if (!current.broken) {
      if (entry.seq !== current.seq + 1) {
        diff(entry.openid, `entry seq ${entry.seq} follows seq ${current.seq}`)
        current.broken = true
      } else if (entry.balanceAfter !== expected) {
        diff(
          entry.openid,
          `entry seq ${entry.seq}: balanceAfter ${entry.balanceAfter}, replayed ${expected}`,
        )
        current.broken = true
      } else if (expected < 0 && entry.amount < 0 && entry.kind !== 'reversal') {
        // Only a reversal may leave a debt (core's applyEntry): a spend needs the points.
        diff(entry.openid, `entry seq ${entry.seq} takes the balance to ${expected}`)
        current.broken = true
      }
    }
    current.balance = expected
    current.seq = entry.seq
    if (entry.kind === 'transfer_out' || entry.kind === 'transfer_in') {
      pairTransfer(transfers, entry, out)
    } else if (entry.kind === 'draw_prize' && entry.drawOpenid !== entry.openid) {
      out.differences.push({
        kind: 'draws',
        account: entry.id,
        problem:
          entry.drawOpenid === null
            ? `draw_prize entry of ${entry.amount} points but no draw ${entry.ref}`
            : `draw_prize entry of ${entry.openid} for draw ${entry.ref} of ${entry.drawOpenid}`,
      })
    }
  }
  finish()
  for (const t of transfers.values()) {
    const sides = [
      t.out ? `transfer_out ${t.out.id} (${t.out.amount})` : '',
      t.in ? `transfer_in ${t.in.id} (${t.in.amount})` : '',
    ]
    const why = !t.out
      ? 'no matching transfer_out'
      : !t.in
        ? 'no matching transfer_in'
        : t.extra.length > 0
          ? t.extra.join(', ')
          : 'amounts do not cancel'
    out.differences.push({
      kind: 'transfers',
      account: (t.out ?? t.in)!.id,
      problem: `${sides.filter(Boolean).join(' and ')}: ${why}`,
    })
  }

  const seen = new Set<string>()
  for (const a of rows<{ id: string; balance: number; seq: number }>(
    db,
    'pointAccounts',
    `id, ${num('balance')} AS balance, ${num('seq')} AS seq`,
  )) {
    out.points.accounts += 1
    out.points.total += a.balance
    seen.add(a.id)
    const r = replayed.get(a.id) ?? { balance: 0, seq: 0 }
    if (a.balance !== r.balance) diff(a.id, `balance ${a.balance}, entries sum to ${r.balance}`)
    // A negative balance is a debt a reversal left; the replay above checked how it got there.
    if (a.seq !== r.seq) diff(a.id, `seq ${a.seq}, ${r.seq} entries`)
  }
  for (const [openid, r] of replayed) {
    if (!seen.has(openid)) diff(openid, `${r.seq} entries (sum ${r.balance}) but no account`)
  }
}

function reconcileChances(
  db: Sqlite,
  out: ReconcileReport,
  recount: SampleRecount,
  codeSamples: CodeSamples,
): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'chances', account, problem })
  // Spends: one entry per draw, a negative amount. Grants are not entries (the responses hold them).
  const spends = new Map<string, { spent: number; draws: number }>()
  // The same pass finds spends whose draw is missing (the draw's id is the spend's ref, and the
  // spend's id is derived from the draw: a spend belongs to the draw that names it back).
  const c = (field: string) => num(field, 'c')
  const d = (field: string) => num(field, 'd')
  for (const e of query<{
    id: string
    campaignId: string
    openid: string
    amount: number
    ref: string | null
    linked: number
  }>(
    db,
    `SELECT c.id AS id, ${c('campaignId')} AS campaignId, ${c('openid')} AS openid,
       ${c('amount')} AS amount, ${c('ref')} AS ref,
       ifnull(c.id = ${d('campaignId')} || ':' || ${d('openid')} || ':draw:' || d.id, 0) AS linked
     FROM ${source(db, 'chanceEntries')} c
     LEFT JOIN ${source(db, 'draws')} d ON d.id = ${c('ref')}`,
  )) {
    if (!e.linked) {
      out.differences.push({
        kind: 'draws',
        account: e.id,
        problem:
          e.ref === null
            ? `chance spend of ${-e.amount} names no draw`
            : `chance spend of ${-e.amount} but no draw ${e.ref} of ${e.campaignId}:${e.openid}`,
      })
    }
    out.chances.entries += 1
    const key = `${e.campaignId}:${e.openid}`
    if (!(e.amount < 0)) {
      diff(key, `entry ${e.id} has amount ${e.amount}; chance entries only spend`)
      continue
    }
    const s = spends.get(key) ?? { spent: 0, draws: 0 }
    s.spent -= e.amount
    s.draws += 1
    spends.set(key, s)
  }
  const accounts = new Map<string, { spent: number; draws: number }>()
  // Accounts whose response was pseudonymised: their spends, per campaign, for matchPseudonymised.
  const flaggedSpends = new Map<string, number[]>()
  for (const a of rows<{
    id: string
    campaignId: string | null
    spent: number
    draws: number
    flagged: number
  }>(
    db,
    'chanceAccounts',
    `id, ${num('campaignId')} AS campaignId, ifnull(${num('spent')}, 0) AS spent,
       ifnull(${num('draws')}, 0) AS draws, ifnull(${num('responsePseudonymised')}, 0) AS flagged`,
  )) {
    out.chances.accounts += 1
    const s = spends.get(a.id) ?? { spent: 0, draws: 0 }
    if (a.spent !== s.spent) diff(a.id, `spent ${a.spent}, entries spend ${s.spent}`)
    if (a.draws !== s.draws) diff(a.id, `draws ${a.draws}, ${s.draws} spend entries`)
    spends.delete(a.id)
    if (a.flagged) {
      const campaignId = a.campaignId ?? a.id.slice(0, a.id.indexOf(':'))
      flaggedSpends.set(campaignId, [...(flaggedSpends.get(campaignId) ?? []), a.spent])
      out.chances.spent += a.spent
      out.chances.balance -= a.spent
    } else accounts.set(a.id, a)
  }
  // What is left has no account (the ids are unique, so each account took its own above).
  for (const [id, s] of spends)
    diff(id, `${s.draws} spend entries (${s.spent}) but no chance account`)
  // Grants: each response's total is the sum of its accepted sections' grants. The same pass
  // recounts the samples for the statistics (reconcileStats): each section as a compact
  // [id, status, China day of its submission, chances, China hour] (UTC+8 all year, no DST).
  const responses = new Set<string>()
  const pseudonymisedGrants = new Map<string, number[]>()
  for (const r of rows<ResponseRow>(
    db,
    'responses',
    `id, ${num('openid')} AS openid, ifnull(${num('chancesGranted')}, 0) AS granted,
       ${num('campaignId')} AS campaignId,
       ${num('version')} AS version, ${num('sample.provinceCode')} AS province,
       ${num('sample.cityCode')} AS city, ${num('attribution.unitId')} AS unit,
       ${num('attribution.code')} AS code, ${num('attribution.stationId')} AS station,
       ${num('attribution.teamId')} AS team, ${num('attribution.rewardAccount')} AS rewardAccount,
       ${num('attribution.overrideNodeId')} AS overrideNode,
       ${num('attribution.nodePath')} AS nodePath,
       ifnull(${num('attribution.overrideRate')}, 0) AS overrideRate,
       ifnull(${num('attribution.selfReferral')}, 0) AS selfReferral,
       ${num('sample.valid')} AS sampleValid, ${num('review.outcome')} AS reviewed,
       ${num('review.at."$date"')} AS reviewedAt,
       (SELECT json_group_array(json_array(key, json_extract(value, '$.status'),
          'd' || strftime('%Y%m%d', json_extract(value, '$.submittedAt."$date"'), '+8 hours'),
          ifnull(json_extract(value, '$.chances'), 0),
          strftime('%H', json_extract(value, '$.submittedAt."$date"'), '+8 hours'),
          CASE WHEN json_type(value, '$.signals.paradata') = 'object'
            AND (json_extract(value, '$.signals.paradata.plausible') = 0
              OR json_extract(value, '$.signals.paradata.fast') = 1) THEN 1 ELSE 0 END))
        FROM json_each(doc, '$.sections')) AS sections`,
  )) {
    out.chances.responses += 1
    responses.add(r.id)
    const sections = recount.add(r, out)
    if (r.code) codeSamples.add(r)
    if (r.code && r.nodePath) recount.addChain(r, sections)
    const granted = sections.reduce((sum, [, , , chances]) => sum + chances, 0)
    const spent = accounts.get(r.id)?.spent ?? 0
    out.chances.granted += r.granted
    out.chances.spent += spent
    out.chances.balance += r.granted - spent
    if (r.granted !== granted) diff(r.id, `chancesGranted ${r.granted}, sections grant ${granted}`)
    if (r.granted - spent < 0) diff(r.id, `negative balance ${r.granted - spent}`)
    if (isPseudonym(r.openid ?? ''))
      pseudonymisedGrants.set(r.campaignId, [
        ...(pseudonymisedGrants.get(r.campaignId) ?? []),
        r.granted,
      ])
  }
  for (const [id, a] of accounts) {
    if (!responses.has(id) && a.spent > 0) diff(id, `spent ${a.spent} but no response granted any`)
  }
  for (const [campaignId, spends] of flaggedSpends) {
    const problem = matchPseudonymised(spends, pseudonymisedGrants.get(campaignId) ?? [])
    if (problem) diff(campaignId, problem)
  }
}

/**
 * Whether each spend (a flagged chance account's) can be given its own grant (a pseudonymised
 * response's) no smaller than it: the largest spends against the largest grants, in turn, decide
 * it. Null when they can, else what does not fit.
 */
function matchPseudonymised(spends: number[], grants: number[]): string | null {
  const need = spends.filter((s) => s > 0).sort((a, b) => b - a)
  const have = [...grants].sort((a, b) => b - a)
  if (need.length > have.length)
    return `${need.length} chance accounts of pseudonymised responses spent, but only ${have.length} pseudonymised responses`
  const i = need.findIndex((s, k) => s > have[k]!)
  return i < 0
    ? null
    : `chance accounts of pseudonymised responses spend more than those responses grant: spend ${need[i]} has no pseudonymised response granting as many (rank ${i + 1}, ${have[i]})`
}

function reconcileDraws(db: Sqlite, out: ReconcileReport): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'draws', account, problem })
  // Each draw joined with what its transaction wrote, found by the ids draw.draw derives from it:
  // the spend `<campaign>:<openid>:draw:<draw>`, the points `<openid>:draw_prize:<draw>`, the
  // payout under the draw's payoutKey. Primary-key look-ups: one pass over the draws.
  const d = (field: string) => num(field, 'd')
  for (const r of query<{
    id: string
    cost: number
    form: string | null
    points: number | null
    cashFen: number | null
    payoutKey: string | null
    spend: number | null
    prize: number | null
    payoutDraw: string | null
    payoutFen: number | null
    payoutFound: number
  }>(
    db,
    `SELECT d.id AS id, ${d('cost')} AS cost, ${d('prize.form')} AS form,
       ${d('prize.points')} AS points, ${d('prize.cashFen')} AS cashFen,
       ${d('payoutKey')} AS payoutKey, ${num('amount', 's')} AS spend,
       ${num('amount', 'p')} AS prize, ${num('drawId', 'o')} AS payoutDraw,
       ${num('amountFen', 'o')} AS payoutFen, o.id IS NOT NULL AS payoutFound
     FROM ${source(db, 'draws')} d
     LEFT JOIN ${source(db, 'chanceEntries')} s
       ON s.id = ${d('campaignId')} || ':' || ${d('openid')} || ':draw:' || d.id
     LEFT JOIN ${source(db, 'pointEntries')} p ON p.id = ${d('openid')} || ':draw_prize:' || d.id
     LEFT JOIN ${source(db, 'payouts')} o ON o.id = ${d('payoutKey')}`,
  )) {
    out.draws.draws += 1
    if (r.spend === null) diff(r.id, `costs ${r.cost} but has no chance spend`)
    else if (r.spend !== -r.cost) diff(r.id, `costs ${r.cost}, its chance spend is ${r.spend}`)
    if (r.form === 'points') {
      const points = r.points ?? 0
      if (points > 0 && r.prize === null)
        diff(r.id, `won ${points} points but has no draw_prize entry`)
      else if (r.prize !== null && r.prize !== points)
        diff(r.id, `won ${points} points, its draw_prize entry credits ${r.prize}`)
      if (r.payoutFound) diff(r.id, `won points but has payout ${r.payoutKey}`)
    } else if (r.form === 'cash') {
      if (!r.payoutFound) diff(r.id, `won ${r.cashFen} fen but has no payout ${r.payoutKey}`)
      else if (r.payoutDraw !== r.id)
        diff(r.id, `payout ${r.payoutKey} is for draw ${r.payoutDraw}`)
      else if (r.payoutFen !== r.cashFen)
        diff(r.id, `won ${r.cashFen} fen, payout ${r.payoutKey} pays ${r.payoutFen}`)
      if (r.prize !== null) diff(r.id, `won cash but has a draw_prize entry of ${r.prize} points`)
    } else {
      diff(r.id, `prize form ${r.form}`)
    }
  }
  // Payouts whose draw is missing or does not name them.
  const o = (field: string) => num(field, 'o')
  for (const r of query<{
    id: string
    drawId: string | null
    found: number
    payoutKey: string | null
  }>(
    db,
    `SELECT o.id AS id, ${o('drawId')} AS drawId, d.id IS NOT NULL AS found,
       ${num('payoutKey', 'd')} AS payoutKey
     FROM ${source(db, 'payouts')} o
     LEFT JOIN ${source(db, 'draws')} d ON d.id = ${o('drawId')}`,
  )) {
    out.draws.payouts += 1
    if (!r.found) diff(r.id, `payout but no draw ${r.drawId}`)
    else if (r.payoutKey !== r.id)
      diff(r.id, `payout of draw ${r.drawId}, whose payout is ${r.payoutKey}`)
  }
}

/** Counters by dot path (`total.valid`, `days.d20240720.invalid` …), per campaign. */
type Counters = Map<string, number>

function addTo<K>(map: Map<K, Counters>, key: K, path: string, n: number): void {
  let counters = map.get(key)
  if (!counters) map.set(key, (counters = new Map()))
  counters.set(path, (counters.get(path) ?? 0) + n)
}

/** Every numeric leaf of a counter document by dot path, except the document's own fields. */
function flattenCounters(doc: unknown, into: (path: string, n: number) => void, at = ''): void {
  if (doc === null || typeof doc !== 'object') return
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const path = at ? `${at}.${k}` : k
    if (typeof v === 'number') {
      if (at || k !== 'shard') into(path, v)
    } else flattenCounters(v, into, path)
  }
}

function compareCounters(
  kind: 'stats' | 'codeStats' | 'nodeStats',
  stored: Map<string, Counters>,
  counted: Map<string, Counters>,
  out: ReconcileReport,
): void {
  for (const key of new Set([...stored.keys(), ...counted.keys()])) {
    const s = stored.get(key) ?? new Map<string, number>()
    const c = counted.get(key) ?? new Map<string, number>()
    for (const path of [...new Set([...s.keys(), ...c.keys()])].sort()) {
      const has = s.get(path) ?? 0
      const should = c.get(path) ?? 0
      if (has !== should) {
        out.differences.push({
          kind,
          account: key,
          problem: `${path}: shards sum to ${has}, responses count ${should}`,
        })
      }
    }
  }
}

/**
 * A section as the responses pass reads it: [id, status, China day, chances, China hour, 1 when
 * its paradata was an outlier (core's isParadataOutlier)].
 */
type Section = [string, string, string | null, number, string | null, number]

/** A response as the chances pass reads it (`sections`: JSON of [id, status, day, chances]). */
interface ResponseRow {
  id: string
  /** A pseudonym (`p-…`) once the response was pseudonymised. */
  openid: string | null
  granted: number
  campaignId: string
  version: string
  province: string | null
  city: string | null
  unit: string | null
  code: string | null
  station: string | null
  team: string | null
  rewardAccount: string | null
  overrideNode: string | null
  /** JSON of the code's chain, root first (attribution.nodePath). */
  nodePath: string | null
  overrideRate: number
  selfReferral: number
  /** sample.valid: 1, 0, or null before the main part. */
  sampleValid: number | null
  /** review.outcome ('invalid' when the committee reversed the sample) and when. */
  reviewed: string | null
  reviewedAt: string | null
  sections: string
}

/**
 * The statistics recount, fed one response at a time by the chances pass (one pass over the
 * responses). Sections are grouped by everything a counter depends on, and only the groups are
 * turned into counters at the end, by core's counterPaths as survey.submitSection does. A
 * response's main section is its questionnaire version's first: only it moves the sample's
 * counters (its day, the sample's region, the unit) and its share code's.
 */
class SampleRecount {
  private readonly groups = new Map<string, { facts: SampleGroup; n: number }>()
  private readonly unknown = new Set<string>()

  /** `<campaignId>:<nodeId>` → the chain counters (nodeStats) the responses account for. */
  readonly nodes = new Map<string, Counters>()

  /** `mains`: `<campaignId>:<version>` → the id of that version's main section. */
  constructor(private readonly mains: Map<string, string>) {}

  /**
   * A sample through a share code, for every node of its chain (core's chainCounterAmounts, as
   * the section's transaction counts it): its main section's outcome and day, and the override
   * accrual on the node that takes it (a valid sample, not a self-referral).
   */
  addChain(r: ResponseRow, sections: Section[]): void {
    const mainId = this.mains.get(`${r.campaignId}:${r.version}`)
    const main = sections.find(([id]) => id === mainId)
    if (!main) return
    const valid = main[1] === 'valid'
    const rewarded = valid && !r.selfReferral && r.overrideRate > 0
    const nodePath = JSON.parse(r.nodePath ?? '[]') as string[]
    const count = (amounts: Record<string, number>, prefix: string) => {
      for (const [path, n] of Object.entries(amounts)) {
        const [field, key, ...rest] = path.split('.')
        const at = (field === 'breakdowns' ? 'breakdowns.' : '') + prefix + rest.join('.')
        addTo(this.nodes, `${r.campaignId}:${key!.slice(1)}`, at, n)
      }
    }
    const breakdown = {
      day: main[2] ?? '',
      hour: main[4],
      provinceCode: r.province,
      cityCode: r.city,
      teamId: r.team,
    }
    count(
      chainCounterAmounts(nodePath, {
        valid,
        overrideTo: rewarded ? r.overrideNode : null,
        overrideRate: r.overrideRate,
        breakdown,
        paradataOutlier: main[5] === 1,
      }),
      '',
    )
    // The day documents' counts under `ofDay.<day>.`: the totals' own `days.<day>.` (units' and
    // stations' trend) are the same numbers kept twice, and each is checked on its own.
    count(chainDayAmounts(nodePath, valid, 1, {}, breakdown), `ofDay.${main[2] ?? ''}.`)
  }

  /** Counts the response's sections; returns them for the grant check. */
  add(r: ResponseRow, out: ReconcileReport): Section[] {
    const sections = JSON.parse(r.sections) as Section[]
    if (sections.length === 0) return sections
    const version = `${r.campaignId}:${r.version}`
    const mainId = this.mains.get(version)
    if (mainId === undefined) {
      if (!this.unknown.has(version)) {
        this.unknown.add(version)
        out.differences.push({
          kind: 'stats',
          account: r.campaignId,
          problem: `responses of version ${r.version}, which no questionnaire of the campaign has`,
        })
      }
      return sections
    }
    for (const [sectionId, status, day, , hour, paradata] of sections) {
      const valid = status === 'valid'
      const facts: SampleGroup =
        sectionId === mainId
          ? [
              r.campaignId,
              null,
              valid,
              day,
              r.province,
              r.city,
              r.unit,
              r.station,
              r.team,
              r.code,
              hour,
              paradata === 1,
            ]
          : [r.campaignId, sectionId, valid, null, null, null, null, null, null, null, null, false]
      const key = JSON.stringify(facts)
      const g = this.groups.get(key)
      if (g) g.n += 1
      else this.groups.set(key, { facts, n: 1 })
    }
    return sections
  }

  /** The counters the responses account for: per campaign, and per `<campaignId>:<code>`. */
  counters(out: ReconcileReport): { stats: Map<string, Counters>; codes: Map<string, Counters> } {
    const stats = new Map<string, Counters>()
    const codes = new Map<string, Counters>()
    for (const { facts, n } of this.groups.values()) {
      const [
        campaignId,
        topicId,
        valid,
        day,
        province,
        city,
        unit,
        station,
        team,
        code,
        hour,
        paradata,
      ] = facts
      if (topicId === null) out.stats.samples += n
      else out.stats.topics += n
      const paths = counterPaths({
        valid,
        day: day ?? '',
        ...(hour ? { hour } : {}),
        ...(topicId !== null ? { topicId } : {}),
        ...(province ? { provinceCode: province } : {}),
        ...(city ? { cityCode: city } : {}),
        ...(unit ? { unitId: unit } : {}),
        ...(station ? { stationId: station } : {}),
        ...(team ? { teamId: team } : {}),
      })
      for (const path of paths) addTo(stats, campaignId, path, n)
      if (topicId === null && code) {
        addTo(codes, `${campaignId}:${code}`, valid ? 'valid' : 'invalid', n)
        if (paradata) addTo(codes, `${campaignId}:${code}`, 'paradata', n)
      }
    }
    return { stats, codes }
  }
}

/**
 * [campaignId, topic id (null: the main section), valid, day, province, city, unit, station,
 * team, code, hour, paradata outlier].
 */
type SampleGroup = [
  string,
  string | null,
  boolean,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  boolean,
]

/** Each questionnaire version's main section (its first), by `<campaignId>:<version>`. */
function mainSections(db: Sqlite): Map<string, string> {
  const mains = new Map<string, string>()
  for (const m of query<{ campaignId: string; version: string; mainId: string }>(
    db,
    `SELECT q.id AS campaignId, json_extract(v.value, '$.id') AS version,
       json_extract(v.value, '$.sections[0].id') AS mainId
     FROM ${source(db, 'questionnaires')} q, json_each(q.doc, '$.versions') v`,
  )) {
    mains.set(`${m.campaignId}:${m.version}`, m.mainId)
  }
  return mains
}

function reconcileStats(db: Sqlite, out: ReconcileReport, recount: SampleRecount): void {
  const { stats: counted, codes: codesCounted } = recount.counters(out)
  // Stored: the shards summed per campaign (a fixed number of small documents per campaign).
  const stored = new Map<string, Counters>()
  for (const shard of rows<{ campaignId: string; doc: string }>(
    db,
    'statShards',
    `${num('campaignId')} AS campaignId, doc`,
  )) {
    flattenCounters(JSON.parse(shard.doc), (path, n) => addTo(stored, shard.campaignId, path, n))
  }
  out.stats.campaigns = new Set([...stored.keys(), ...counted.keys()]).size
  compareCounters('stats', stored, counted, out)

  const codesStored = new Map<string, Counters>()
  for (const c of rows<{
    campaignId: string
    code: string
    valid: number
    invalid: number
    paradata: number
  }>(
    db,
    'codeStats',
    `${num('campaignId')} AS campaignId, ${num('code')} AS code,
       sum(ifnull(${num('valid')}, 0)) AS valid, sum(ifnull(${num('invalid')}, 0)) AS invalid,
       sum(ifnull(${num('paradata')}, 0)) AS paradata`,
    `GROUP BY 1, 2`,
  )) {
    addTo(codesStored, `${c.campaignId}:${c.code}`, 'valid', c.valid)
    addTo(codesStored, `${c.campaignId}:${c.code}`, 'invalid', c.invalid)
    if (c.paradata) addTo(codesStored, `${c.campaignId}:${c.code}`, 'paradata', c.paradata)
  }
  out.stats.codes = new Set([...codesStored.keys(), ...codesCounted.keys()]).size
  compareCounters('codeStats', codesStored, codesCounted, out)

  compareCounters('nodeStats', storedNodeCounters(db), recount.nodes, out)
}

/**
 * The chain counters as stored: each top unit's shards hold `nodes.n<nodeId>.…` and the units' and
 * stations' `breakdowns.n<nodeId>.…` (and its day
 * documents, with `day`, the day's counts); summed per `<campaignId>:<nodeId>` by dot path
 * (valid, invalid, overrideSamples, paradata, units' and stations' days/provinces/cities …, and
 * ofDay.d….valid and ofDay.d….hours… from the day documents).
 */
function storedNodeCounters(db: Sqlite): Map<string, Counters> {
  const stored = new Map<string, Counters>()
  for (const field of ['nodes', 'breakdowns'] as const) {
    for (const n of query<{ campaignId: string; day: string | null; key: string; value: string }>(
      db,
      `SELECT ${num('campaignId', 's')} AS campaignId, ${num('day', 's')} AS day, n.key AS key,
         n.value AS value
       FROM ${source(db, 'nodeStats')} s, json_each(s.doc, '$.${field}') n`,
    )) {
      const key = `${n.campaignId}:${n.key.slice(1)}`
      const prefix =
        (field === 'breakdowns' ? 'breakdowns.' : '') + (n.day ? `ofDay.${n.day}.` : '')
      flattenCounters(JSON.parse(n.value), (path, v) => addTo(stored, key, prefix + path, v))
    }
  }
  return stored
}

/**
 * The samples that came through a share code, as the responses pass meets them: what their share
 * reward and override should be (core's sampleRewards: nothing for a self-referral), whether
 * the committee reversed them, and each node's accrual they account for.
 */
class CodeSamples {
  /** Response id → what its share reward must look like (only responses through a code). */
  readonly byResponse = new Map<
    string,
    { code: string; rewardAccount: string | null; valid: boolean; reversed: boolean }
  >()
  /** `<campaignId>:<nodeId>` → hundredths the valid samples accrue there, and how many. */
  readonly accrued = new Map<string, { hundredths: number; samples: number }>()
  /** `<campaignId>:<nodeId>` → reviews that took accrual back: [when, hundredths]. */
  readonly takenBack = new Map<string, Array<[number, number]>>()
  /**
   * Pseudonymised samples owed a share reward, which names their old response id: how many per
   * pseudonymousKey (campaign, code, rewarded account, reversed by review or not).
   */
  readonly pseudonymised = new Map<string, number>()

  add(r: ResponseRow): void {
    const reversed = r.reviewed === 'invalid'
    const decided = r.sampleValid === 1 || reversed
    if (!decided || !r.code) return
    const rewarded = !r.selfReferral
    if (isPseudonym(r.openid ?? '')) {
      if (rewarded && r.rewardAccount) {
        const key = pseudonymousKey(r.campaignId, r.code, r.rewardAccount, reversed)
        this.pseudonymised.set(key, (this.pseudonymised.get(key) ?? 0) + 1)
      }
    } else
      this.byResponse.set(r.id, {
        code: r.code,
        rewardAccount: rewarded ? r.rewardAccount : null,
        valid: r.sampleValid === 1,
        reversed,
      })
    if (!rewarded || !r.overrideNode || !(r.overrideRate > 0)) return
    const key = `${r.campaignId}:${r.overrideNode}`
    if (r.sampleValid === 1) {
      const a = this.accrued.get(key) ?? { hundredths: 0, samples: 0 }
      a.hundredths += r.overrideRate
      a.samples += 1
      this.accrued.set(key, a)
    } else if (reversed) {
      const at = r.reviewedAt ? Date.parse(r.reviewedAt) : 0
      this.takenBack.set(key, [...(this.takenBack.get(key) ?? []), [at, r.overrideRate]])
    }
  }
}

/** What pairs a share reward with a pseudonymised sample when their ids no longer do. */
function pseudonymousKey(
  campaignId: string,
  code: string,
  rewardAccount: string,
  reversed: boolean,
): string {
  return JSON.stringify([campaignId, code, rewardAccount, reversed])
}

/**
 * Share rewards: each `share_reward` names a sample that came through a code, valid when it was
 * given (the code in its memo, the account the code rewards), at most one per response; one whose
 * sample the committee found invalid has its `reversal`, and no reversal exists without its
 * reward. Every valid sample through a code has its reward (none for a self-referral).
 */
function reconcileShareRewards(db: Sqlite, out: ReconcileReport, samples: CodeSamples): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'shareRewards', account, problem })
  const rewards = new Map<string, { id: string; openid: string }>()
  const unmatched: Array<{ id: string; openid: string; ref: string; memo: string }> = []
  // A sample's reversals (`rv:sr:<id>`, then `rv:sr:<id>:<generation>`) and its restorations by
  // review (`rs:sr:<id>:<generation>`, corrections): they alternate, so at most one more reversal.
  const reversals = new Map<string, string[]>()
  const restorations = new Map<string, string[]>()
  for (const e of rows<{ id: string; openid: string; kind: string; ref: string; memo: string }>(
    db,
    'pointEntries',
    `id, ${num('openid')} AS openid, ${num('kind')} AS kind, ${num('ref')} AS ref,
       ${num('memo')} AS memo`,
    `WHERE ${num('kind')} = 'share_reward' OR (${num('kind')} = 'reversal' AND id LIKE 'rv:sr:%')
       OR (${num('kind')} = 'correction' AND id LIKE 'rs:sr:%')`,
  )) {
    if (e.kind === 'reversal' || e.kind === 'correction') {
      const into = e.kind === 'reversal' ? reversals : restorations
      into.set(e.ref, [...(into.get(e.ref) ?? []), e.id])
      continue
    }
    out.shareRewards.rewards += 1
    const earlier = rewards.get(e.ref)
    if (earlier) diff(e.ref, `second share_reward ${e.id} (first ${earlier.id})`)
    rewards.set(e.ref, e)
    const sample = samples.byResponse.get(e.ref)
    if (!sample) unmatched.push(e)
    else if (sample.code !== e.memo)
      diff(e.ref, `share_reward ${e.id} for code ${e.memo}, the sample came through ${sample.code}`)
    else if (sample.rewardAccount !== e.openid)
      diff(e.ref, `share_reward ${e.id} to ${e.openid}, the code rewards ${sample.rewardAccount}`)
  }
  // A reward whose response is gone may be a pseudonymised sample's: one of those with the same
  // code, account and review outcome (its reversals and restorations still name the old id).
  const left = new Map(samples.pseudonymised)
  for (const e of unmatched) {
    const net = 1 - (reversals.get(e.ref)?.length ?? 0) + (restorations.get(e.ref)?.length ?? 0)
    const campaignId = e.ref.slice(0, e.ref.indexOf(':'))
    const key =
      net === 0 || net === 1 ? pseudonymousKey(campaignId, e.memo, e.openid, net === 0) : ''
    const n = left.get(key) ?? 0
    if (n > 0) {
      left.set(key, n - 1)
      if (net === 0) out.shareRewards.reversed += 1
    } else diff(e.ref, `share_reward ${e.id} but no valid sample through a code`)
  }
  for (const [key, n] of left) {
    if (n === 0) continue
    const [campaignId, code, account, reversed] = JSON.parse(key) as [
      string,
      string,
      string,
      boolean,
    ]
    diff(
      `${campaignId}:${code}`,
      `${n} pseudonymised sample(s) ${reversed ? 'found invalid by review' : 'valid'} through ${code} but no share_reward to ${account} for them`,
    )
  }
  for (const [responseId, sample] of samples.byResponse) {
    const reward = rewards.get(responseId)
    const reversed = reversals.get(responseId)?.length ?? 0
    const restored = restorations.get(responseId)?.length ?? 0
    if (sample.rewardAccount && !reward)
      diff(responseId, `valid through ${sample.code} but no share_reward`)
    if (reward) {
      // What the sample holds now: its reward, less each reversal, plus each restoration.
      const net = 1 - reversed + restored
      if (sample.reversed && net !== 0)
        diff(
          responseId,
          reversed === 0
            ? `found invalid by review but share_reward ${reward.id} has no reversal`
            : `found invalid by review but share_reward ${reward.id} nets ${net}`,
        )
      else if (sample.reversed) out.shareRewards.reversed += 1
      if (!sample.reversed && net !== 1)
        diff(responseId, `valid, but its share reward nets ${net} after reviews`)
    }
  }
  for (const [responseId, ids] of reversals)
    if (!rewards.has(responseId)) diff(responseId, `reversal ${ids[0]} but no share_reward`)
}

/**
 * Node accounts: the override accrual on a node's counters (nodeStats) equals what the valid
 * samples through codes accrue there; the points settled (`overrideSettled`, per campaign) equal
 * the account's settlement entries and never exceed the whole points the accrual makes — except
 * by what a review took back after the last settlement (the next settlement posts it back).
 * Balances equal their entries like every account's (reconcilePoints).
 */
function reconcileOverrides(db: Sqlite, out: ReconcileReport, samples: CodeSamples): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'overrides', account, problem })
  const stored = new Map<string, { hundredths: number; samples: number }>()
  for (const [key, counters] of storedNodeCounters(db)) {
    const s = {
      hundredths: counters.get('overrideHundredths') ?? 0,
      samples: counters.get('overrideSamples') ?? 0,
    }
    if (s.hundredths !== 0 || s.samples !== 0) stored.set(key, s)
  }
  for (const key of new Set([...stored.keys(), ...samples.accrued.keys()])) {
    const s = stored.get(key) ?? { hundredths: 0, samples: 0 }
    const c = samples.accrued.get(key) ?? { hundredths: 0, samples: 0 }
    if (s.hundredths !== c.hundredths)
      diff(key, `overrideHundredths: shards sum to ${s.hundredths}, samples accrue ${c.hundredths}`)
    if (s.samples !== c.samples)
      diff(key, `overrideSamples: shards sum to ${s.samples}, ${c.samples} samples`)
  }
  // Settlement entries per `<campaignId>:<nodeId>` (their ref), with the last one's time.
  const postings = new Map<string, { sum: number; lastAt: number; account: string }>()
  for (const e of rows<{ openid: string; ref: string; amount: number; at: string }>(
    db,
    'pointEntries',
    `${num('openid')} AS openid, ${num('ref')} AS ref, ${num('amount')} AS amount,
       ${num('createdAt."$date"')} AS at`,
    `WHERE id LIKE 'node:%:override:%'`,
  )) {
    const p = postings.get(e.ref) ?? { sum: 0, lastAt: 0, account: e.openid }
    p.sum += e.amount
    p.lastAt = Math.max(p.lastAt, Date.parse(e.at))
    postings.set(e.ref, p)
  }
  const settledSeen = new Set<string>()
  for (const a of rows<{ id: string; settled: string | null }>(
    db,
    'pointAccounts',
    `id, ${num('overrideSettled')} AS settled`,
    `WHERE id LIKE 'node:%'`,
  )) {
    const nodeId = a.id.slice('node:'.length)
    const settled = a.settled ? (JSON.parse(a.settled) as Record<string, number>) : {}
    for (const [campaignId, points] of Object.entries(settled)) {
      const key = `${campaignId}:${nodeId}`
      settledSeen.add(key)
      out.overrides.nodes += 1
      out.overrides.settled += points
      const p = postings.get(key) ?? { sum: 0, lastAt: 0, account: a.id }
      if (p.sum !== points)
        diff(key, `overrideSettled ${points}, settlement entries sum to ${p.sum}`)
      const accrued = samples.accrued.get(key)?.hundredths ?? 0
      out.overrides.accruedHundredths += accrued
      const pending = (samples.takenBack.get(key) ?? [])
        .filter(([at]) => at > p.lastAt)
        .reduce((sum, [, rate]) => sum + rate, 0)
      if (points > Math.floor((accrued + pending) / 100))
        diff(key, `overrideSettled ${points}, more than the ${accrued} hundredths accrued make`)
    }
  }
  for (const [key, p] of postings)
    if (!settledSeen.has(key) && p.sum !== 0)
      diff(key, `settlement entries sum to ${p.sum} but ${p.account} records none settled`)
}

/** Reconciles the database of a local cloud's store (tests) or of an opened SQLite file. */
export function reconcile(source: DocumentStore | Sqlite): ReconcileReport {
  const db = 'sqlite' in source ? source.sqlite : source
  const out: ReconcileReport = {
    differences: [],
    points: { accounts: 0, entries: 0, total: 0 },
    chances: { responses: 0, accounts: 0, entries: 0, granted: 0, spent: 0, balance: 0 },
    transfers: { paired: 0 },
    draws: { draws: 0, payouts: 0 },
    stats: { campaigns: 0, samples: 0, topics: 0, codes: 0 },
    shareRewards: { rewards: 0, reversed: 0 },
    overrides: { nodes: 0, accruedHundredths: 0, settled: 0 },
    store: { shards: 0, stock: 0, reservations: 0 },
  }
  const recount = new SampleRecount(mainSections(db))
  const codeSamples = new CodeSamples()
  reconcilePoints(db, out)
  reconcileChances(db, out, recount, codeSamples)
  reconcileDraws(db, out)
  reconcileStats(db, out, recount)
  reconcileShareRewards(db, out, codeSamples)
  reconcileOverrides(db, out, codeSamples)
  reconcileStore(db, out)
  return out
}

/**
 * The points store: every stock shard equals the sum of its entries and is never negative, and
 * every reservation has what its status says — a redemption entry and a `reserve` stock entry
 * (physical items) always; a refund entry and a `release` entry exactly when it was cancelled or
 * expired, never otherwise.
 */
function reconcileStore(db: Sqlite, out: ReconcileReport): void {
  const stock = (account: string, problem: string) =>
    out.differences.push({ kind: 'stock', account, problem })
  const moved = new Map<string, number>()
  for (const e of rows<{ shard: string; amount: number }>(
    db,
    'stockEntries',
    `${num('itemId')} || ':' || ${num('storeId')} || ':' || ${num('shard')} AS shard, ${num('amount')} AS amount`,
  ))
    moved.set(e.shard, (moved.get(e.shard) ?? 0) + e.amount)
  for (const sh of rows<{ id: string; available: number }>(
    db,
    'stockShards',
    `id, ${num('available')} AS available`,
  )) {
    out.store.shards += 1
    out.store.stock += sh.available
    const sum = moved.get(sh.id) ?? 0
    if (sh.available !== sum) stock(sh.id, `available ${sh.available}, entries sum to ${sum}`)
    if (sh.available < 0) stock(sh.id, `available ${sh.available} is below zero`)
    moved.delete(sh.id)
  }
  for (const id of moved.keys()) stock(id, 'stock entries for a shard that does not exist')

  const has = (collection: string, id: string) =>
    tableExists(db, collection) &&
    db.prepare(`SELECT 1 FROM "${tableOf(collection)}" WHERE id = ?`).get(id) !== undefined
  for (const r of rows<{ id: string; openid: string; status: string; storeId: string | null }>(
    db,
    'reservations',
    `id, ${num('openid')} AS openid, ${num('status')} AS status, ${num('storeId')} AS storeId`,
  )) {
    out.store.reservations += 1
    const problem = (p: string) =>
      out.differences.push({ kind: 'redemptions', account: r.id, problem: p })
    const returned = r.status === 'cancelled' || r.status === 'expired'
    if (!has('pointEntries', `${r.openid}:redemption:${r.id}`)) problem('no redemption entry')
    if (has('pointEntries', `${r.openid}:refund:${r.id}`) !== returned)
      problem(returned ? `${r.status} but not refunded` : `${r.status} but refunded`)
    if (r.storeId !== null) {
      if (!has('stockEntries', `${r.id}:reserve`)) problem('no reserve stock entry')
      if (has('stockEntries', `${r.id}:release`) !== returned)
        problem(
          returned
            ? `${r.status} but its stock did not return`
            : `${r.status} but its stock returned`,
        )
    }
  }
}

function cli(): void {
  const at = process.argv.indexOf('--file')
  const file = at >= 0 ? path.resolve(process.argv[at + 1] ?? '') : dataFile()
  if (!existsSync(file)) {
    console.error(`no data file at ${file} (run npm start or npm run seed first, or pass --file)`)
    process.exitCode = 2
    return
  }
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const report = reconcile(db)
    const { points: p, chances: c, transfers: t, draws: d, stats: s } = report
    if (report.differences.length > 0) {
      console.log(`reconcile ${file}: ${report.differences.length} difference(s)`)
      for (const d of report.differences)
        console.log(`  ${d.kind.padEnd(9)} ${d.account}: ${d.problem}`)
      process.exitCode = 1
      return
    }
    console.log(`reconcile ${file}: clean`)
    console.log(
      `  points    ${p.accounts} accounts, ${p.entries} entries, ${p.total} points held in total`,
    )
    console.log(
      `  chances   ${c.responses} responses, ${c.accounts} accounts, ${c.entries} entries: granted ${c.granted}, spent ${c.spent}, balance ${c.balance}`,
    )
    console.log(`  transfers ${t.paired} paired`)
    console.log(
      `  draws     ${d.draws} draws with their spends and prizes, ${d.payouts} payouts with their draws`,
    )
    console.log(
      `  stats     ${s.campaigns} campaigns: ${s.samples} samples, ${s.topics} topic sections, ${s.codes} share codes`,
    )
    console.log(
      `  store     ${report.store.shards} stock shards holding ${report.store.stock}, ${report.store.reservations} reservations with their points and stock`,
    )
    console.log(
      `  sharing   ${report.shareRewards.rewards} share rewards on their samples (${report.shareRewards.reversed} reversed); ${report.overrides.nodes} node accounts settled ${report.overrides.settled} points of ${report.overrides.accruedHundredths} hundredths accrued`,
    )
  } finally {
    db.close()
  }
}

if (require.main === module) cli()
