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

/** Aggregation stages the emulator runs through mingo ($geoNear, first only, is the store's); others fail loudly. */
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

// ---------------------------------------------------------------- EJSON, fast paths
//
// Every SDK request and every stored document passes through EJSON, and bson's reviver-based
// parser and its serializer cost several times plain JSON. The SDK only ever sends plain JSON
// values, dates and $numberInt/$numberLong/$numberDouble wrappers, so those are handled here on
// top of JSON.parse/JSON.stringify with bson's relaxed semantics; anything else (ObjectId,
// regexes, binary, odd shapes) abandons the fast path and takes bson's exact one.

/** Thrown inside the fast paths to fall back to bson. */
const FALLBACK = Symbol('ejson-fallback')

/** Keys bson gives a meaning the fast path does not reproduce. */
const BSON_ONLY_KEYS = new Set([
  '$oid',
  '$binary',
  '$uuid',
  '$symbol',
  '$numberDecimal',
  '$minKey',
  '$maxKey',
  '$regex',
  '$regularExpression',
  '$timestamp',
  '$code',
  '$scope',
  '$ref',
  '$id',
  '$db',
  '$dbPointer',
  '$undefined',
  '_bsontype',
  '__proto__',
])

const WRAPPERS = new Set([
  '$numberInt',
  '$numberLong',
  '$numberDouble',
  '$date',
  '$tcb_server_date',
])
/** $numberLong values a double holds exactly (what bson's Long.toNumber() gives for them). */
const SAFE_LONG = /^(?:0|-?[1-9][0-9]{0,14})$/

/** bson's relaxed reviver plus normalise(), in place on freshly parsed JSON. */
function revive(value: unknown, nowMs: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (v !== null && typeof v === 'object') value[i] = revive(v, nowMs)
    }
    return value
  }
  const obj = value as Doc
  const keys = Object.keys(obj)
  let wrapper: string | undefined
  for (const k of keys) {
    if (BSON_ONLY_KEYS.has(k) || k.includes('\u0000')) throw FALLBACK
    if (WRAPPERS.has(k)) wrapper = k
    const v = obj[k]
    if (v !== null && typeof v === 'object') {
      const r = revive(v, nowMs)
      if (r !== v) obj[k] = r
    }
  }
  if (wrapper === undefined) return obj
  if (keys.length !== 1) {
    // A server date beside other keys is an ordinary object (normalise); bson's wrappers are not.
    if (wrapper === '$tcb_server_date' && !keys.some((k) => k !== wrapper && WRAPPERS.has(k)))
      return obj
    throw FALLBACK
  }
  const v = obj[wrapper]
  switch (wrapper) {
    case '$numberInt':
      if (typeof v === 'string') return parseInt(v, 10)
      break
    case '$numberDouble':
      if (typeof v === 'string') return parseFloat(v)
      break
    case '$numberLong':
      if (typeof v === 'string' && SAFE_LONG.test(v)) return Number(v)
      break
    case '$date':
      if (typeof v === 'string') return new Date(Date.parse(v))
      if (typeof v === 'number') return new Date(v)
      break
    case '$tcb_server_date': {
      const spec = v as { offset?: number } | undefined
      return new Date(nowMs + (spec?.offset ?? 0))
    }
  }
  throw FALLBACK
}

/** EJSON text (relaxed) to plain JS values, as `normalise(EJSON.parse(text))`. */
export function parseEJSON(text: string, nowMs: number): unknown {
  const parsed: unknown = JSON.parse(text)
  try {
    return revive(parsed, nowMs)
  } catch (e) {
    if (e !== FALLBACK) throw e
  }
  return normalise(EJSON.parse(text, { relaxed: true }), nowMs)
}

export function decode(text: string | undefined, nowMs: number): unknown {
  if (text === undefined || text === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new DbError('INVALID_PARAM', `malformed EJSON: ${(e as Error).message}`)
  }
  try {
    return revive(parsed, nowMs)
  } catch (e) {
    if (e !== FALLBACK) throw e
  }
  try {
    parsed = EJSON.parse(text, { relaxed: true })
  } catch (e) {
    throw new DbError('INVALID_PARAM', `malformed EJSON: ${(e as Error).message}`)
  }
  return normalise(parsed, nowMs)
}

/** bson's relaxed date form: ISO text, without milliseconds when they are 0. */
function isoDate(d: Date): string {
  const iso = d.toISOString()
  return d.getUTCMilliseconds() !== 0 ? iso : `${iso.slice(0, -5)}Z`
}

/**
 * What bson's relaxed serializer hands JSON.stringify, for plain values and dates: the value
 * itself when it needs nothing (most of a document), copies only where a date or an undefined
 * sits. FALLBACK for anything else.
 */
function jsonReady(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) throw FALLBACK
      return value
    case 'undefined':
      return null // bson writes undefined as null (ignoreUndefined is off)
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i]
          const r = jsonReady(v)
          if (r !== v && !copy) copy = value.slice(0, i)
          if (copy) copy.push(r)
        }
        return copy ?? value
      }
      if (value instanceof Date) {
        const t = value.getTime()
        if (!(t > -1 && t < 253_402_300_800_000)) throw FALLBACK
        return { $date: isoDate(value) }
      }
      const proto: unknown = Object.getPrototypeOf(value)
      // A plain object of any realm (structuredClone and jest's vm contexts make foreign ones).
      if (proto !== null && Object.getPrototypeOf(proto) !== null) throw FALLBACK
      const keys = Object.keys(value)
      let copy: Doc | undefined
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!
        if (k === '_bsontype' || k === '__proto__') throw FALLBACK
        const v = (value as Doc)[k]
        const r = jsonReady(v)
        if (r !== v && !copy) {
          copy = {}
          for (let j = 0; j < i; j++) copy[keys[j]!] = (value as Doc)[keys[j]!]
        }
        if (copy) copy[k] = r
      }
      return copy ?? value
    }
    default:
      throw FALLBACK // bigint, function, symbol
  }
}

export function encode(doc: unknown): string {
  try {
    return JSON.stringify(jsonReady(doc))
  } catch (e) {
    // Unsupported values and cycles (RangeError) get bson's own result or error.
    if (e !== FALLBACK && !(e instanceof RangeError)) throw e
  }
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
