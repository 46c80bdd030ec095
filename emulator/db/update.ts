// Update operators on a document: plain `$set` / `$inc` on dot paths through objects (what the
// functions send on every write) are applied here directly; everything else goes to mingo. mingo
// builds a fresh operator context on each call, which costs more than a small update itself.
import { update as mingoUpdate } from 'mingo/updater'
import { isEqual } from 'mingo/util'
import type { Doc } from './wire'

/** Paths the fast path takes: field names only (no array indexes, no `$` positionals). */
const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
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

/** True when every step meets only plain objects (or nothing yet) on its way, and $inc a number. */
function fitsPlainly(doc: Doc, steps: Step[]): boolean {
  for (const { op, parts } of steps) {
    let cur: Doc | undefined = doc
    for (let i = 0; i < parts.length - 1 && cur; i++) {
      const next: unknown = cur[parts[i]!]
      if (next === undefined) cur = undefined
      else if (isPlainObject(next)) cur = next
      else return false
    }
    if (cur && op === '$inc') {
      const old = cur[parts[parts.length - 1]!]
      if (old !== undefined && typeof old !== 'number') return false
    }
  }
  return true
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
