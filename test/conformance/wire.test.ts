// Conformance: the emulator's fast EJSON paths (emulator/db/wire.ts) give exactly what bson's
// EJSON gives — same values decoded, same text encoded, same errors — for what the SDK sends and
// for the odd shapes that must fall back to bson.
import { BSONRegExp, EJSON, Long, ObjectId } from 'bson'
import { DbError } from '../../emulator/db/errors'
import { decode, encode, normalise, parseEJSON } from '../../emulator/db/wire'

const NOW = Date.parse('2024-07-17T08:00:00+08:00')

/** What decode did before the fast path: bson's parser, then normalise. */
function reference(text: string): unknown {
  let parsed: unknown
  try {
    parsed = EJSON.parse(text, { relaxed: true })
  } catch (e) {
    throw new DbError('INVALID_PARAM', `malformed EJSON: ${(e as Error).message}`)
  }
  return normalise(parsed, NOW)
}

function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() }
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message }
  }
}

const VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 - 1,
  -(2 ** 40),
  'text',
  '含中文与 "引号" \\ 与换行\n',
  true,
  [],
  [1, 'a', null, [2, { b: 3 }]],
  { a: 1, nested: { deep: { list: [1, 2, { x: 'y' }] } } },
  { when: new Date(0) },
  { when: new Date('2024-07-17T00:00:00.000Z') },
  { when: new Date('2024-07-17T00:00:00.123Z') },
  { old: new Date(-1) },
  { far: new Date(253_402_300_800_000) },
  { $set: { 'answers.q1': 'a', n: 3 }, $inc: { 'total.valid': 1 } },
  { _id: 'x', 10: 'numeric key', b: 2, a: 1 },
  { undef: undefined, list: [undefined, 1] },
  { matrix: { r1: 1, r2: 5 }, region: { provinceCode: '440000' } },
]

describe('decode', () => {
  it.each(VALUES.map((v) => [JSON.stringify(v) ?? String(v), v]))(
    'agrees with bson for %s, in both the SDK (canonical) and the relaxed form',
    (_label, value) => {
      for (const relaxed of [false, true]) {
        const text = EJSON.stringify(value, { relaxed })
        expect(outcome(() => decode(text, NOW))).toStrictEqual(outcome(() => reference(text)))
        expect(outcome(() => parseEJSON(text, NOW))).toStrictEqual(
          outcome(() => normalise(EJSON.parse(text, { relaxed: true }), NOW)),
        )
      }
    },
  )

  it.each([
    '{"d":{"$date":"2024-07-17T00:00:00Z"}}',
    '{"d":{"$date":{"$numberLong":"1721174400000"}}}',
    '{"d":{"$date":1721174400000}}',
    '{"n":{"$numberLong":"9007199254740993"}}',
    '{"n":{"$numberLong":"-0"}}',
    '{"n":{"$numberLong":"007"}}',
    '{"n":{"$numberLong":"x"}}',
    '{"n":{"$numberInt":"12abc"}}',
    '{"n":{"$numberInt":5}}',
    '{"n":{"$numberInt":null}}',
    '{"n":{"$numberDouble":"-0.0"}}',
    '{"n":{"$numberDouble":"NaN"}}',
    '{"n":{"$numberDouble":"Infinity"}}',
    '{"n":{"$numberInt":"1","extra":2}}',
    '{"d":{"$date":{"bad":1}}}',
    '{"d":{"$date":"2024-07-17","$numberInt":"1"}}',
    '{"id":{"$oid":"66a0c0ffee0000000000beef"}}',
    '{"re":{"$regularExpression":{"pattern":"^a","options":"i"}}}',
    '{"re":{"$regex":"^a","$options":"i"}}',
    '{"u":{"$undefined":true}}',
    '{"r":{"$ref":"c","$id":"x"}}',
    '{"t":{"$timestamp":{"t":1,"i":2}}}',
    '{"b":{"_bsontype":"Long","low":1}}',
    '{"__proto__":{"$date":"2024-07-17T00:00:00Z"}}',
    '{"k\\u0000":1}',
    '{"when":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}}}',
    '{"when":{"$tcb_server_date":{}}}',
    '{"when":{"$tcb_server_date":{},"other":1}}',
    '{"q":{"$gt":{"$numberInt":"3"},"$in":[{"$numberLong":"4"}]}}',
    '{"not json"',
    '"top-level string"',
    '42',
  ])('agrees with bson for %s', (text) => {
    expect(outcome(() => decode(text, NOW))).toStrictEqual(outcome(() => reference(text)))
  })

  it('turns the wrappers the SDK sends into plain values', () => {
    const value = decode(
      '{"n":{"$numberInt":"5"},"l":{"$numberLong":"1721174400000"},"d":{"$date":{"$numberLong":"0"}}}',
      NOW,
    )
    expect(value).toEqual({ n: 5, l: 1_721_174_400_000, d: new Date(0) })
  })
})

describe('encode', () => {
  const odd: unknown[] = [
    { id: new ObjectId('66a0c0ffee0000000000beef') },
    { re: /^a/i },
    { re: new BSONRegExp('^a', 'i') },
    { big: 10n },
    { long: Long.fromNumber(5) },
    { nan: Number.NaN, inf: Number.POSITIVE_INFINITY },
    { negZero: -0 },
    { bad: new Date(Number.NaN) },
    { fn: () => 1 },
    { map: new Map([['a', 1]]) },
    Object.assign(Object.create(null) as object, { a: 1 }),
  ]

  it.each([...VALUES, ...odd].map((v, i) => [i, v]))('agrees with bson for value #%s', (_i, v) => {
    expect(outcome(() => encode(v))).toStrictEqual(
      outcome(() => EJSON.stringify(v as never, { relaxed: true })),
    )
  })

  it('reports a cycle like bson does', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(outcome(() => encode(cyclic))).toStrictEqual(
      outcome(() => EJSON.stringify(cyclic, { relaxed: true })),
    )
  })
})
