// Update operators on a document: plain `$set` / `$inc` on dot paths through objects (what the
// functions send on every write) are applied here directly; everything else goes to mingo. mingo
// builds a fresh operator context on each call, which costs more than a small update itself.
import { update as mingoUpdate } from 'mingo/updater'
import { isEqual } from 'mingo/util'
import { DbError } from './errors'
import type { Doc } from './wire'

/**
 * Paths the fast path takes: field names of letters, digits, `_` and `-` (no `$` positionals).
 * A segment of digits is a field name on an object (region codes: `cities.440100.valid`); where
 * it would meet an array (an index there), fitsPlainly sends the update to mingo.
 */
const PLAIN_PATH = /^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$/
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

/** A plain object of any realm (structuredClone and jest's vm contexts make foreign ones). */
function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === null || Object.getPrototypeOf(proto) === null
}

/** A private copy of a decoded value (plain data and dates), so documents never share parts. */
function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(copyOf)
  if (value instanceof Date) return new Date(value.getTime())
  if (!isPlainObject(value)) return structuredClone(value)
  const out: Doc = {}
  for (const k of Object.keys(value)) out[k] = copyOf(value[k])
  return out
}

interface Step {
  op: '$set' | '$inc'
  parts: string[]
  value: unknown
}

/** The steps of a plain update, or undefined when it needs mingo (other operators, odd paths). */
function plainSteps(update: Doc): Step[] | undefined {
  const ops = Object.keys(update)
  if (ops.length === 0) return undefined
  const steps: Step[] = []
  const paths = new Set<string>()
  for (const op of ops) {
    if (op !== '$set' && op !== '$inc') return undefined
    const spec = update[op]
    if (!isPlainObject(spec)) return undefined
    for (const path of Object.keys(spec)) {
      const value = spec[path]
      if (op === '$inc' && typeof value !== 'number') return undefined
      if (!PLAIN_PATH.test(path)) return undefined
      const parts = path.split('.')
      if (parts[0] === '_id' || parts.some((p) => UNSAFE.has(p))) return undefined
      if (paths.has(path)) return undefined // the same path twice: mingo's conflict error
      paths.add(path)
      steps.push({ op, parts, value })
    }
  }
  // A path inside another one (`a` and `a.b`) is a conflict mingo reports.
  for (const path of paths) {
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
      if (paths.has(path.slice(0, i))) return undefined
    }
  }
  return steps
}

/**
 * The paths and amounts of an update that is only `$inc` of non-zero integers on plain paths, or
 * undefined. The store may apply such an update inside SQLite at commit (see DocumentStore).
 */
export function integerIncrements(update: Doc): Array<{ parts: string[]; by: number }> | undefined {
  if (Object.keys(update).length !== 1 || !('$inc' in update)) return undefined
  const steps = plainSteps(update)
  if (!steps) return undefined
  for (const s of steps) {
    const by = s.value as number
    if (!Number.isSafeInteger(by) || by === 0 || Math.abs(by) > 2 ** 31) return undefined
  }
  return steps.map((s) => ({ parts: s.parts, by: s.value as number }))
}

/**
 * True when every step meets only plain objects (or nothing yet) on its way, and $inc a number.
 * An $inc that meets a value it cannot add to (a string, null, a date, or a scalar on the way)
 * fails like MongoDB's ("Cannot apply $inc to a value of non-numeric type"); mingo would skip
 * it silently. Arrays on the way are left to mingo (an index there is an element).
 */
function fitsPlainly(doc: Doc, steps: Step[]): boolean {
  for (const { op, parts } of steps) {
    let cur: Doc | undefined = doc
    for (let i = 0; i < parts.length - 1 && cur; i++) {
      const next: unknown = cur[parts[i]!]
      if (next === undefined) cur = undefined
      else if (isPlainObject(next)) cur = next
      else if (op === '$inc' && !Array.isArray(next)) throw notIncrementable(parts, next)
      else return false
    }
    if (cur && op === '$inc') {
      const old = cur[parts[parts.length - 1]!]
      if (old !== undefined && typeof old !== 'number') throw notIncrementable(parts, old)
    }
  }
  return true
}

function notIncrementable(parts: string[], value: unknown): DbError {
  const type =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : Object.prototype.toString.call(value) === '[object Date]'
          ? 'date'
          : typeof value
  return new DbError(
    'DATABASE_REQUEST_FAILED',
    `Cannot apply $inc to ${parts.join('.')}: a value of non-numeric type ${type}`,
  )
}

/**
 * Applies an update (operators) to `doc` in place, with mingo's semantics, and says whether
 * anything changed (a `$set` to an equal value changes nothing, as in MongoDB).
 */
export function applyUpdate(doc: Doc, update: Doc): boolean {
  const steps = plainSteps(update)
  if (!steps || !fitsPlainly(doc, steps)) {
    return mingoUpdate(doc, update as never, undefined, undefined, { cloneMode: 'deep' }).length > 0
  }
  let changed = false
  for (const { op, parts, value } of steps) {
    let cur = doc
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i]!
      cur = (cur[key] ??= {}) as Doc
    }
    const key = parts[parts.length - 1]!
    if (op === '$set') {
      if (isEqual(cur[key], value)) continue
      cur[key] = copyOf(value)
      changed = true
    } else {
      // mingo's $inc, step for step (a missing field counts from 0).
      const previous = cur[key]
      const n = ((previous as number | undefined) || 0) + (value as number)
      cur[key] = n
      if (n !== previous) changed = true
    }
  }
  return changed
}
