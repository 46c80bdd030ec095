// Geo queries of the local CloudBase database: what the SDK's `db.command.geoNear` / `geoWithin`
// send (MongoDB's `$nearSphere` / `$geoWithin`), the aggregate `$geoNear` stage's options, and the
// spherical geometry to evaluate them exactly on GeoJSON Points. The store finds candidates in a
// 2dsphere index (an R*Tree of lng/lat boxes, store.ts); everything here is pure arithmetic.
import { DbError, unsupported } from './errors'
import { getPath, type Doc } from './wire'

/** MongoDB's radius for 2dsphere distances in metres (geoconstants.h: 6378.1 km). */
export const EARTH_RADIUS_M = 6_378_100

export interface LngLat {
  lng: number
  lat: number
}

/** A lng/lat box in degrees (never crossing the antimeridian: a cap that does gets two). */
export interface Box {
  lng0: number
  lng1: number
  lat0: number
  lat1: number
}

export type GeoShape =
  | { kind: 'cap'; center: LngLat; angle: number }
  /** Polygons, each an outer ring then holes; a ring is a closed list of [lng, lat]. */
  | { kind: 'polygons'; polygons: number[][][][] }

export type GeoCondition =
  | {
      kind: 'near'
      field: string
      center: LngLat
      /** Angular distances in radians. */
      minAngle: number
      maxAngle: number
    }
  | { kind: 'within'; field: string; shape: GeoShape }

const RAD = Math.PI / 180

function isLng(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= -180 && v <= 180
}

function isLat(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= -90 && v <= 90
}

/** `{ type: 'Point', coordinates: [lng, lat] }` (what `db.Geo.Point` stores), or undefined. */
export function asPoint(value: unknown): LngLat | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const v = value as Doc
  if (v.type !== 'Point' || !Array.isArray(v.coordinates) || v.coordinates.length !== 2)
    return undefined
  const [lng, lat] = v.coordinates as unknown[]
  return isLng(lng) && isLat(lat) ? { lng, lat } : undefined
}

const GEOJSON_TYPES = new Set([
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
])

/**
 * The value on a 2dsphere-indexed path of a document being written: missing or null is not
 * indexed (as in MongoDB); a Point is; other GeoJSON shapes are CloudBase's but not emulated;
 * anything else is refused as MongoDB refuses it ("Can't extract geo keys").
 */
export function assertGeoValue(doc: Doc, field: string): void {
  const value = getPath(doc, field)
  if (value === undefined || value === null) return
  if (asPoint(value)) return
  if (Array.isArray(value))
    throw unsupported(`an array on 2dsphere-indexed path "${field}" (several locations)`)
  const type = value && typeof value === 'object' ? (value as Doc).type : undefined
  if (typeof type === 'string' && GEOJSON_TYPES.has(type))
    throw unsupported(`a GeoJSON ${type} on 2dsphere-indexed path "${field}" (only Points)`)
  throw new DbError(
    'DATABASE_REQUEST_FAILED',
    `Can't extract geo keys: { _id: ${JSON.stringify(doc._id ?? null)} } ${field}: ${JSON.stringify(value)} ` +
      'is not a GeoJSON Point { type: "Point", coordinates: [longitude -180..180, latitude -90..90] }',
  )
}

/** Great-circle angle between two points in radians (haversine; MongoDB's S2 gives the same). */
export function angleBetween(a: LngLat, b: LngLat): number {
  const p1 = a.lat * RAD
  const p2 = b.lat * RAD
  const sLat = Math.sin((p2 - p1) / 2)
  const sLng = Math.sin(((b.lng - a.lng) * RAD) / 2)
  const h = sLat * sLat + Math.cos(p1) * Math.cos(p2) * sLng * sLng
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)))
}

const WORLD: Box = { lng0: -180, lng1: 180, lat0: -90, lat1: 90 }

/** Boxes that together hold every point within `angle` radians of `center` (a spherical cap). */
export function capBoxes(center: LngLat, angle: number): Box[] {
  if (angle >= Math.PI) return [WORLD]
  const margin = 1e-9
  const dLat = angle / RAD
  const lat0 = center.lat - dLat - margin
  const lat1 = center.lat + dLat + margin
  if (lat0 <= -90 || lat1 >= 90) {
    // The cap holds a pole: every longitude.
    return [{ lng0: -180, lng1: 180, lat0: Math.max(-90, lat0), lat1: Math.min(90, lat1) }]
  }
  const s = Math.sin(angle) / Math.cos(center.lat * RAD)
  if (s >= 1) return [{ lng0: -180, lng1: 180, lat0, lat1 }]
  const dLng = Math.asin(s) / RAD + margin
  const lng0 = center.lng - dLng
  const lng1 = center.lng + dLng
  if (lng0 < -180)
    return [
      { lng0: lng0 + 360, lng1: 180, lat0, lat1 },
      { ...WORLD, lng1, lat0, lat1 },
    ]
  if (lng1 > 180)
    return [
      { lng0, lng1: 180, lat0, lat1 },
      { ...WORLD, lng1: lng1 - 360, lat0, lat1 },
    ]
  return [{ lng0, lng1, lat0, lat1 }]
}

export function shapeBoxes(shape: GeoShape): Box[] {
  if (shape.kind === 'cap') return capBoxes(shape.center, shape.angle)
  return shape.polygons.map((polygon) => {
    const box = { lng0: 180, lng1: -180, lat0: 90, lat1: -90 }
    for (const [lng, lat] of polygon[0] ?? []) {
      box.lng0 = Math.min(box.lng0, lng!)
      box.lng1 = Math.max(box.lng1, lng!)
      box.lat0 = Math.min(box.lat0, lat!)
      box.lat1 = Math.max(box.lat1, lat!)
    }
    return box
  })
}

function onSegment(p: LngLat, a: number[], b: number[]): boolean {
  const [ax, ay] = a as [number, number]
  const [bx, by] = b as [number, number]
  const cross = (bx - ax) * (p.lat - ay) - (by - ay) * (p.lng - ax)
  if (Math.abs(cross) > 1e-12) return false
  return (
    p.lng >= Math.min(ax, bx) - 1e-12 &&
    p.lng <= Math.max(ax, bx) + 1e-12 &&
    p.lat >= Math.min(ay, by) - 1e-12 &&
    p.lat <= Math.max(ay, by) + 1e-12
  )
}

/** 1 inside, 0 on the ring, -1 outside (edges as straight lines in lng/lat). */
function ringSide(p: LngLat, ring: number[][]): 1 | 0 | -1 {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!
    const b = ring[j]!
    if (onSegment(p, a, b)) return 0
    const [ax, ay] = a as [number, number]
    const [bx, by] = b as [number, number]
    if (ay > p.lat !== by > p.lat && p.lng < ((bx - ax) * (p.lat - ay)) / (by - ay) + ax)
      inside = !inside
  }
  return inside ? 1 : -1
}

export function shapeContains(shape: GeoShape, p: LngLat): boolean {
  if (shape.kind === 'cap') return angleBetween(shape.center, p) <= shape.angle
  return shape.polygons.some((polygon) => {
    const [outer, ...holes] = polygon
    if (!outer || ringSide(p, outer) < 0) return false
    return holes.every((hole) => ringSide(p, hole) <= 0)
  })
}

// ---------------------------------------------------------------- decoding what the SDK sends

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new DbError('INVALID_PARAM', `${what} must be a non-negative number`)
  return v
}

function point(v: unknown, what: string): LngLat {
  const p = asPoint(v)
  if (!p) throw new DbError('INVALID_PARAM', `${what} must be a GeoJSON Point`)
  return p
}

function ring(v: unknown): number[][] {
  if (!Array.isArray(v) || v.length < 4)
    throw new DbError('INVALID_PARAM', 'a polygon ring needs at least 4 positions')
  for (const pos of v) {
    if (!Array.isArray(pos) || pos.length !== 2 || !isLng(pos[0]) || !isLat(pos[1]))
      throw new DbError('INVALID_PARAM', `invalid polygon position ${JSON.stringify(pos)}`)
  }
  const first = v[0] as number[]
  const last = v[v.length - 1] as number[]
  if (first[0] !== last[0] || first[1] !== last[1])
    throw new DbError('INVALID_PARAM', 'a polygon ring must be closed')
  return v as number[][]
}

function polygonOf(v: unknown): number[][][] {
  if (!Array.isArray(v) || v.length === 0)
    throw new DbError('INVALID_PARAM', 'a polygon needs at least one ring')
  return v.map(ring)
}

/** `$nearSphere`'s operand: `{ $geometry: Point, $maxDistance?, $minDistance? }` (metres). */
export function parseNear(field: string, spec: unknown): GeoCondition {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec) || !('$geometry' in spec))
    throw unsupported(`$nearSphere on "${field}" without a GeoJSON $geometry (legacy pairs)`)
  const s = spec as Doc
  for (const k of Object.keys(s)) {
    if (!['$geometry', '$maxDistance', '$minDistance'].includes(k))
      throw unsupported(`$nearSphere option ${k}`)
  }
  return {
    kind: 'near',
    field,
    center: point(s.$geometry, 'geoNear geometry'),
    // The SDK sends an option it was not given as undefined, or null inside `_.and([…])`.
    minAngle: s.$minDistance == null ? 0 : num(s.$minDistance, 'minDistance') / EARTH_RADIUS_M,
    maxAngle:
      s.$maxDistance == null
        ? Math.PI
        : Math.min(Math.PI, num(s.$maxDistance, 'maxDistance') / EARTH_RADIUS_M),
  }
}

/** `$geoWithin`'s operand: `{ $geometry: Polygon | MultiPolygon }` or `{ $centerSphere: [[lng, lat], radians] }`. */
export function parseWithin(field: string, spec: unknown): GeoCondition {
  const s = (spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : {}) as Doc
  const keys = Object.keys(s)
  if (keys.length !== 1) throw unsupported(`$geoWithin of ${JSON.stringify(spec)}`)
  if ('$centerSphere' in s) {
    const cs = s.$centerSphere
    if (!Array.isArray(cs) || cs.length !== 2 || !Array.isArray(cs[0]))
      throw new DbError('INVALID_PARAM', '$centerSphere must be [[longitude, latitude], radians]')
    const [lng, lat] = cs[0] as unknown[]
    if (!isLng(lng) || !isLat(lat))
      throw new DbError('INVALID_PARAM', '$centerSphere centre out of range')
    return {
      kind: 'within',
      field,
      shape: { kind: 'cap', center: { lng, lat }, angle: num(cs[1], '$centerSphere radius') },
    }
  }
  if ('$geometry' in s) {
    const g = s.$geometry as Doc | null
    if (g && g.type === 'Polygon')
      return {
        kind: 'within',
        field,
        shape: { kind: 'polygons', polygons: [polygonOf(g.coordinates)] },
      }
    if (g && g.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0)
      return {
        kind: 'within',
        field,
        shape: { kind: 'polygons', polygons: g.coordinates.map(polygonOf) },
      }
    throw new DbError('INVALID_PARAM', '$geoWithin $geometry must be a Polygon or MultiPolygon')
  }
  throw unsupported(`$geoWithin with ${keys[0]}`)
}

export const GEO_QUERY_OPERATORS = new Set(['$nearSphere', '$geoWithin'])

/**
 * The geo conditions of a query and the query without them (for mingo). Geo operators count at
 * the top level and inside a top-level `$and` — where the SDK puts them; anywhere else (`$or`,
 * `$not`) the ordinary operator check refuses them. Returns undefined for a query without any.
 */
export function extractGeo(query: Doc): { conditions: GeoCondition[]; rest: Doc } | undefined {
  const conditions: GeoCondition[] = []
  const strip = (q: Doc): Doc => {
    const out: Doc = {}
    for (const [field, cond] of Object.entries(q)) {
      if (field === '$and' && Array.isArray(cond)) {
        out.$and = cond.map((sub) =>
          sub && typeof sub === 'object' && !Array.isArray(sub) ? strip(sub as Doc) : sub,
        )
        continue
      }
      if (
        field.startsWith('$') ||
        !cond ||
        typeof cond !== 'object' ||
        Array.isArray(cond) ||
        cond instanceof Date ||
        cond instanceof RegExp ||
        !Object.keys(cond).some((k) => GEO_QUERY_OPERATORS.has(k))
      ) {
        out[field] = cond
        continue
      }
      const others: Doc = {}
      for (const [op, spec] of Object.entries(cond as Doc)) {
        if (op === '$nearSphere') conditions.push(parseNear(field, spec))
        else if (op === '$geoWithin') conditions.push(parseWithin(field, spec))
        else others[op] = spec
      }
      if (Object.keys(others).length > 0) out[field] = others
    }
    return out
  }
  const rest = strip(query)
  return conditions.length > 0 ? { conditions, rest } : undefined
}

/** The aggregate `$geoNear` stage's options, as CloudBase documents them (Aggregate.geoNear). */
export interface GeoNearStage {
  near: LngLat
  distanceField: string
  minAngle: number
  maxAngle: number
  query: Doc
  distanceMultiplier: number
  includeLocs?: string
  key?: string
  limit?: number
}

const GEO_NEAR_OPTIONS = new Set([
  'near',
  'spherical',
  'distanceField',
  'maxDistance',
  'minDistance',
  'query',
  'distanceMultiplier',
  'includeLocs',
  'key',
  'limit',
  'num',
])

export function parseGeoNearStage(spec: unknown): GeoNearStage {
  const s = (spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : {}) as Doc
  for (const k of Object.keys(s))
    if (!GEO_NEAR_OPTIONS.has(k)) throw unsupported(`$geoNear option ${k}`)
  if (s.spherical !== true)
    throw new DbError('INVALID_PARAM', '$geoNear: spherical must be true (CloudBase requires it)')
  if (typeof s.distanceField !== 'string' || s.distanceField === '')
    throw new DbError('INVALID_PARAM', '$geoNear requires a distanceField')
  const limit = s.num ?? s.limit
  if (limit !== undefined && !(typeof limit === 'number' && Number.isInteger(limit) && limit > 0))
    throw new DbError('INVALID_PARAM', '$geoNear limit must be a positive integer')
  for (const k of ['includeLocs', 'key'] as const) {
    if (s[k] !== undefined && typeof s[k] !== 'string')
      throw new DbError('INVALID_PARAM', `$geoNear ${k} must be a field path`)
  }
  const query = s.query ?? {}
  if (!query || typeof query !== 'object' || Array.isArray(query))
    throw new DbError('INVALID_PARAM', '$geoNear query must be an object')
  return {
    near: point(s.near, '$geoNear near'),
    distanceField: s.distanceField,
    minAngle: s.minDistance == null ? 0 : num(s.minDistance, 'minDistance') / EARTH_RADIUS_M,
    maxAngle:
      s.maxDistance == null
        ? Math.PI
        : Math.min(Math.PI, num(s.maxDistance, 'maxDistance') / EARTH_RADIUS_M),
    query: query as Doc,
    distanceMultiplier:
      s.distanceMultiplier === undefined ? 1 : num(s.distanceMultiplier, 'distanceMultiplier'),
    ...(typeof s.includeLocs === 'string' ? { includeLocs: s.includeLocs } : {}),
    ...(typeof s.key === 'string' ? { key: s.key } : {}),
    ...(typeof limit === 'number' ? { limit } : {}),
  }
}

/** Set a dot path on a document (creating objects on the way): distanceField, includeLocs. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.')
  let cur = doc
  for (const part of parts.slice(0, -1)) {
    const next = cur[part]
    if (!next || typeof next !== 'object' || Array.isArray(next)) cur[part] = {}
    cur = cur[part] as Doc
  }
  cur[parts[parts.length - 1]!] = value
}
