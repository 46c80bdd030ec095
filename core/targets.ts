// The collection-task table (采集任务分解表): one row per organisation node with its target of
// valid samples. Validated whole before anything is written (docs/console.md, "Targets").
import type { ImportError } from './organiser'

/** The header cells accepted for each column (Chinese as in the documents, or English). */
export const TARGET_COLUMNS = {
  nodeId: ['单位编号', '节点编号', 'nodeId', 'node_id'],
  name: ['单位名称', '名称', 'name'],
  target: ['目标样本数', '采集目标', '目标', 'target'],
} as const

export interface TargetRow {
  row: number
  nodeId: string
  target: number
}

/**
 * Rows of a table (first row the header) into targets, or the row-level errors: unknown header,
 * unknown or foreign node (`allowed` says whether the caller may set it), a target that is not a
 * whole number ≥ 0, a node named twice. Row numbers are the sheet's (header = 1).
 */
export function validateTargetTable(
  table: ReadonlyArray<ReadonlyArray<unknown>>,
  knows: (nodeId: string) => boolean,
  allowed: (nodeId: string) => boolean,
): { rows: TargetRow[]; errors: ImportError[] } {
  const errors: ImportError[] = []
  const rows: TargetRow[] = []
  const header = (table[0] ?? []).map((c) => String(c ?? '').trim())
  const col = (names: readonly string[]) => header.findIndex((h) => names.includes(h))
  const idCol = col(TARGET_COLUMNS.nodeId)
  const targetCol = col(TARGET_COLUMNS.target)
  if (idCol < 0) errors.push({ row: 1, column: '单位编号', message: '缺少“单位编号”列' })
  if (targetCol < 0) errors.push({ row: 1, column: '目标样本数', message: '缺少“目标样本数”列' })
  if (errors.length > 0) return { rows, errors }
  const seen = new Map<string, number>()
  for (let i = 1; i < table.length; i++) {
    const cells = table[i] ?? []
    if (cells.every((c) => String(c ?? '').trim() === '')) continue
    const row = i + 1
    const nodeId = String(cells[idCol] ?? '').trim()
    const raw = cells[targetCol]
    const text = String(raw ?? '').trim()
    const target = typeof raw === 'number' ? raw : /^\d+$/.test(text) ? Number(text) : NaN
    let bad = false
    if (!nodeId) {
      errors.push({ row, column: '单位编号', message: '单位编号为空' })
      bad = true
    } else if (!knows(nodeId)) {
      errors.push({ row, column: '单位编号', message: `没有编号为 ${nodeId} 的单位` })
      bad = true
    } else if (!allowed(nodeId)) {
      errors.push({ row, column: '单位编号', message: `${nodeId} 不在您管理的范围内` })
      bad = true
    } else if (seen.has(nodeId)) {
      errors.push({ row, column: '单位编号', message: `${nodeId} 与第 ${seen.get(nodeId)} 行重复` })
      bad = true
    }
    if (!Number.isInteger(target) || target < 0 || target > 100_000_000) {
      errors.push({ row, column: '目标样本数', message: '目标样本数须为 0 或正整数' })
      bad = true
    }
    if (nodeId) seen.set(nodeId, seen.get(nodeId) ?? row)
    if (!bad) rows.push({ row, nodeId, target })
  }
  if (rows.length === 0 && errors.length === 0)
    errors.push({ row: 2, column: null, message: '表格中没有数据行' })
  return { rows, errors }
}

/** One CSV line into cells (quotes as RFC 4180: "" inside quotes is one quote). */
export function csvCells(line: string): string[] {
  const cells: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      cells.push(cur)
      cur = ''
    } else cur += ch
  }
  cells.push(cur)
  return cells
}

/** A CSV text into rows of cells (a BOM and CR dropped; no newlines inside cells). */
export function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l, i, all) => l.trim() !== '' || i < all.length - 1)
    .map(csvCells)
}

// Module-level: a regex literal inside the function would be a new RegExp object on every call,
// and an export calls this for each of ~100 cells of each of a million rows.
const FORMULA_START = /^[=+\-@]/
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/
const NEEDS_QUOTES = /[",\n\r]/
const QUOTE = /"/g

/** A cell for a CSV file: quoted when it holds a comma, quote or newline; formula-safe. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value)
  // A cell starting with = + - @ would be a formula in a spreadsheet (CSV injection).
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`
  return NEEDS_QUOTES.test(s) ? `"${s.replace(QUOTE, '""')}"` : s
}
