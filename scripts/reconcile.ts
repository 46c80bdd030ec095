// `npm run reconcile [-- --file <data.sqlite>]`: recomputes every balance of the local data file
// from its append-only entries — points (pointAccounts ← pointEntries, including each entry's
// running balance) and draw chances (granted on the responses, one record per accepted section;
// spent on chanceAccounts ← the draws' chanceEntries) — and prints the accounts that differ.
// Exit code 1 on any difference, 0 with a summary otherwise.
//
// It reads SQLite directly (read-only, one pass per collection) rather than through the SDK: a
// reconciliation must stay one pass over millions of entries. In CloudBase the same sums are an
// aggregate per collection (docs/operations.md).
import { existsSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { DocumentStore } from '../emulator/db/store'
import { dataFile } from './seed'

export interface Difference {
  kind: 'points' | 'chances'
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
}

type Sqlite = Database.Database

function tableExists(db: Sqlite, collection: string): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(`c_${collection}`) !== undefined
  )
}

/** Rows of `SELECT … FROM c_<collection>`, or none when the collection does not exist. */
function rows<T>(db: Sqlite, collection: string, select: string, tail = ''): IterableIterator<T> {
  if (!tableExists(db, collection)) return [][Symbol.iterator]()
  return db
    .prepare(`SELECT ${select} FROM "c_${collection}" ${tail}`)
    .iterate() as IterableIterator<T>
}

const num = (path: string) => `json_extract(doc, '$.${path}')`

function reconcilePoints(db: Sqlite, out: ReconcileReport): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'points', account, problem })
  // Replay every account's entries in seq order: seq 1..n without gaps, each balanceAfter the
  // previous plus the amount, never negative.
  const replayed = new Map<string, { balance: number; seq: number }>()
  let current: { openid: string; balance: number; seq: number; broken: boolean } | null = null
  const finish = () => {
    if (current) replayed.set(current.openid, { balance: current.balance, seq: current.seq })
  }
  for (const e of rows<{ openid: string; seq: number; amount: number; balanceAfter: number }>(
    db,
    'pointEntries',
    `${num('openid')} AS openid, ${num('seq')} AS seq, ${num('amount')} AS amount, ${num('balanceAfter')} AS balanceAfter`,
    `ORDER BY openid, seq`,
  )) {
    out.points.entries += 1
    if (!current || current.openid !== e.openid) {
      finish()
      current = { openid: e.openid, balance: 0, seq: 0, broken: false }
    }
    const expected = current.balance + e.amount
    if (!current.broken) {
      if (e.seq !== current.seq + 1) {
        diff(e.openid, `entry seq ${e.seq} follows seq ${current.seq}`)
        current.broken = true
      } else if (e.balanceAfter !== expected) {
        diff(e.openid, `entry seq ${e.seq}: balanceAfter ${e.balanceAfter}, replayed ${expected}`)
        current.broken = true
      } else if (expected < 0) {
        diff(e.openid, `entry seq ${e.seq} takes the balance to ${expected}`)
        current.broken = true
      }
    }
    current.balance = expected
    current.seq = e.seq
  }
  finish()

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
    if (a.seq !== r.seq) diff(a.id, `seq ${a.seq}, ${r.seq} entries`)
    if (a.balance < 0) diff(a.id, `negative balance ${a.balance}`)
  }
  for (const [openid, r] of replayed) {
    if (!seen.has(openid)) diff(openid, `${r.seq} entries (sum ${r.balance}) but no account`)
  }
}

function reconcileChances(db: Sqlite, out: ReconcileReport): void {
  const diff = (account: string, problem: string) =>
    out.differences.push({ kind: 'chances', account, problem })
  // Spends: one entry per draw, a negative amount. Grants are not entries (the responses hold them).
  const spends = new Map<string, { spent: number; draws: number }>()
  for (const e of rows<{ id: string; campaignId: string; openid: string; amount: number }>(
    db,
    'chanceEntries',
    `id, ${num('campaignId')} AS campaignId, ${num('openid')} AS openid, ${num('amount')} AS amount`,
  )) {
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
  for (const a of rows<{ id: string; spent: number; draws: number }>(
    db,
    'chanceAccounts',
    `id, ifnull(${num('spent')}, 0) AS spent, ifnull(${num('draws')}, 0) AS draws`,
  )) {
    out.chances.accounts += 1
    accounts.set(a.id, a)
    const s = spends.get(a.id) ?? { spent: 0, draws: 0 }
    if (a.spent !== s.spent) diff(a.id, `spent ${a.spent}, entries spend ${s.spent}`)
    if (a.draws !== s.draws) diff(a.id, `draws ${a.draws}, ${s.draws} spend entries`)
  }
  for (const [id, s] of spends) {
    if (!accounts.has(id)) diff(id, `${s.draws} spend entries (${s.spent}) but no chance account`)
  }
  // Grants: each response's total is the sum of its accepted sections' grants.
  const responses = new Set<string>()
  for (const r of rows<{ id: string; granted: number; sections: number }>(
    db,
    'responses',
    `id, ifnull(${num('chancesGranted')}, 0) AS granted, ` +
      `(SELECT ifnull(sum(json_extract(value, '$.chances')), 0) FROM json_each(doc, '$.sections')) AS sections`,
  )) {
    out.chances.responses += 1
    responses.add(r.id)
    const spent = accounts.get(r.id)?.spent ?? 0
    out.chances.granted += r.granted
    out.chances.spent += spent
    out.chances.balance += r.granted - spent
    if (r.granted !== r.sections)
      diff(r.id, `chancesGranted ${r.granted}, sections grant ${r.sections}`)
    if (r.granted - spent < 0) diff(r.id, `negative balance ${r.granted - spent}`)
  }
  for (const [id, a] of accounts) {
    if (!responses.has(id) && a.spent > 0) diff(id, `spent ${a.spent} but no response granted any`)
  }
}

/** Reconciles the database of a local cloud's store (tests) or of an opened SQLite file. */
export function reconcile(source: DocumentStore | Sqlite): ReconcileReport {
  const db = 'sqlite' in source ? source.sqlite : source
  const out: ReconcileReport = {
    differences: [],
    points: { accounts: 0, entries: 0, total: 0 },
    chances: { responses: 0, accounts: 0, entries: 0, granted: 0, spent: 0, balance: 0 },
  }
  reconcilePoints(db, out)
  reconcileChances(db, out)
  return out
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
    const { points: p, chances: c } = report
    if (report.differences.length > 0) {
      console.log(`reconcile ${file}: ${report.differences.length} difference(s)`)
      for (const d of report.differences)
        console.log(`  ${d.kind.padEnd(7)} ${d.account}: ${d.problem}`)
      process.exitCode = 1
      return
    }
    console.log(`reconcile ${file}: clean`)
    console.log(
      `  points   ${p.accounts} accounts, ${p.entries} entries, ${p.total} points held in total`,
    )
    console.log(
      `  chances  ${c.responses} responses, ${c.accounts} accounts, ${c.entries} entries: granted ${c.granted}, spent ${c.spent}, balance ${c.balance}`,
    )
  } finally {
    db.close()
  }
}

if (require.main === module) cli()
