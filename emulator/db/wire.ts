// The SDK's wire format: EJSON strings in, EJSON strings out. Decoding turns BSON wrapper types
// into the plain JS values mingo understands and checks every operator against what we support.
import { BSONRegExp, EJSON, ObjectId } from 'bson'
import { DbError, unsupported } from './errors'

export type Doc = Record<string, unknown>

const QUERY_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$exists',
  '$regex',
  '$options',
  '$elemMatch',
  '$all',
  '$size',
  '$mod',
  '$type',
])

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
])

const PUSH_MODIFIERS = new Set(['$each', '$position', '$slice', '$sort'])

/** Aggregation stages the emulator runs through mingo; others (e.g. $lookup, $geoNear) fail loudly. */
export const AGGREGATE_STAGES = new Set([
  '$match',
  '$group',
  '$sort',
  '$count',
  '$project',
  '$limit',
  '$skip',
  '$unwind',
  '$addFields',
  '$sortByCount',
  '$replaceRoot',
  '$sample',
])

function toRegExp(re: BSONRegExp): RegExp {
  const flags = [...re.options].filter((f) => 'imsu'.includes(f)).join('')
  if (re.options.includes('x')) throw unsupported('regular expression option "x"')
  return new RegExp(re.pattern, flags)
}

/**
 * Turn decoded EJSON into plain JS: BSON regexes → RegExp, ObjectId → hex string,
 * `$tcb_server_date` → the server's Date (db.serverDate()).
 */
export function normalise(value: unknown, nowMs: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return value
  if (value instanceof RegExp) return value
  if (value instanceof BSONRegExp) return toRegExp(value)
  if (value instanceof ObjectId) return value.toHexString()
  if (Array.isArray(value)) return value.map((v) => normalise(v, nowMs))
  const obj = value as Doc
  const keys = Object.keys(obj)
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const spec = obj.$tcb_server_date as { offset?: number } | undefined
    return new Date(nowMs + (spec?.offset ?? 0))
  }
  const bsontype = (obj as { _bsontype?: string })._bsontype
  if (bsontype) throw unsupported(`BSON type ${bsontype}`)
  const out: Doc = {}
  for (const k of keys) out[k] = normalise(obj[k], nowMs)
  return out
}

export function decode(text: string | undefined, nowMs: number): unknown {
  if (text === undefined || text === '') return undefined
  let parsed: unknown
  try {
    parsed = EJSON.parse(text, { relaxed: true })
  } catch (e) {
    throw new DbError('INVALID_PARAM', `malformed EJSON: ${(e as Error).message}`)
  }
  return normalise(parsed, nowMs)
}

export function encode(doc: unknown): string {
  return EJSON.stringify(doc, { relaxed: true })
}

/** Refuse query operators the emulator cannot evaluate exactly like CloudBase (e.g. geo). */
export function checkQuery(query: unknown, path = 'query'): void {
  if (query === null || typeof query !== 'object') return
  if (query instanceof Date || query instanceof RegExp) return
  if (Array.isArray(query)) {
    query.forEach((q, i) => checkQuery(q, `${path}[${i}]`))
    return
  }
  for (const [k, v] of Object.entries(query as Doc)) {
    if (k.startsWith('$') && !QUERY_OPERATORS.has(k))
      throw unsupported(`query operator ${k} (at ${path})`)
    checkQuery(v, `${path}.${k}`)
  }
}

export function checkUpdate(update: Doc): void {
  for (const [op, spec] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(op)) throw unsupported(`update operator ${op}`)
    if (op === '$push' || op === '$addToSet') {
      for (const v of Object.values(spec as Doc)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
          for (const mk of Object.keys(v as Doc)) {
            if (mk.startsWith('$') && !PUSH_MODIFIERS.has(mk))
              throw unsupported(`${op} modifier ${mk}`)
          }
        }
      }
    }
  }
}

export function isOperatorDoc(update: Doc): boolean {
  return Object.keys(update).some((k) => k.startsWith('$'))
}

/** Read a dot path ("a.b.c") from a document; arrays are returned as they are. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Doc)[part]
  }
  return cur
}
