// Conformance: the emulator's direct $set/$inc path (emulator/db/update.ts) leaves a document
// exactly as mingo's updater does, reports a change exactly when mingo does, and leaves every
// other update (and every odd path) to mingo, errors included — except an $inc of a non-number,
// which mingo skips and MongoDB (so CloudBase) refuses: the emulator refuses it too.
import { update as mingoUpdate } from 'mingo/updater'
import { applyUpdate } from '../../emulator/db/update'

type Doc = Record<string, unknown>

function viaMingo(doc: Doc, update: Doc) {
  const copy = structuredClone(doc)
  try {
    const changed =
      mingoUpdate(copy, update as never, undefined, undefined, { cloneMode: 'deep' }).length > 0
    return { doc: copy, changed }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

function viaEmulator(doc: Doc, update: Doc) {
  const copy = structuredClone(doc)
  try {
    return { doc: copy, changed: applyUpdate(copy, update) }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

const DOC: Doc = {
  _id: 'r1',
  n: 1,
  s: 'text',
  nil: null,
  when: new Date(0),
  list: [1, { a: 1 }],
  answers: { q1: 'a', matrix: { r1: 3 } },
  stats: { total: { valid: 2 } },
}

const CASES: Array<[string, Doc]> = [
  ['set new top-level field', { $set: { x: 1 } }],
  ['set nested, creating objects', { $set: { 'a.b.c': 'deep' } }],
  ['set into an existing object', { $set: { 'answers.q2': ['x', 'y'] } }],
  ['set an equal value (no change)', { $set: { n: 1, 'answers.q1': 'a' } }],
  ['set an equal object (no change)', { $set: { 'answers.matrix': { r1: 3 } } }],
  ['set an object value', { $set: { region: { provinceCode: '440000', cityCode: '440100' } } }],
  ['set a date', { $set: { at: new Date(5) } }],
  ['set null', { $set: { s: null } }],
  ['inc existing', { $inc: { n: 2, 'stats.total.valid': 1 } }],
  ['inc missing, creating objects', { $inc: { 'stats.days.d20240717.valid': 1 } }],
  ['inc by 0 on a missing field', { $inc: { zero: 0 } }],
  ['inc by 0 on an existing field (no change)', { $inc: { n: 0 } }],
  ['inc a negative and a fraction', { $inc: { n: -0.5 } }],
  ['set and inc together', { $set: { lastAt: new Date(9), 'answers.q3': 2 }, $inc: { n: 5 } }],
  ['empty $set', { $set: {} }],
  ['inc with a non-number', { $inc: { n: 'x' } }],
  ['set through a string', { $set: { 's.x': 1 } }],
  ['set through null', { $set: { 'nil.x': 1 } }],
  ['set through a date', { $set: { 'when.x': 1 } }],
  ['set through an array', { $set: { 'list.a': 1 } }],
  ['set an array index', { $set: { 'list.0': 9 } }],
  ['positional path', { $set: { 'list.$[].a': 2 } }],
  ['conflicting paths', { $set: { answers: {}, 'answers.q1': 'b' } }],
  ['the same path in two operators', { $set: { n: 3 }, $inc: { n: 1 } }],
  ['_id', { $set: { _id: 'other' } }],
  ['__proto__', { $set: { '__proto__.polluted': 1 } }],
  ['other operators', { $unset: { s: '' }, $push: { list: 3 } }],
  ['max and min', { $max: { n: 10 }, $min: { 'stats.total.valid': 0 } }],
]

describe('applyUpdate', () => {
  it.each(CASES)('%s: same document and change flag as mingo', (_label, update) => {
    expect(viaEmulator(DOC, update)).toStrictEqual(viaMingo(DOC, update))
  })

  // Where mingo skips an $inc it cannot apply, the emulator fails like MongoDB (and CloudBase).
  it.each([
    ['a string', { $inc: { s: 1 } }, 'string'],
    ['null', { $inc: { nil: 1 } }, 'null'],
    ['a date', { $inc: { when: 1 } }, 'date'],
    ['an object', { $inc: { stats: 1 } }, 'object'],
    ['a scalar on the way', { $inc: { 's.deeper': 1 } }, 'string'],
  ])('inc of %s fails with a non-numeric type error', (_label, update, type) => {
    expect(viaEmulator(DOC, update)).toEqual({
      error: expect.stringContaining(
        `Cannot apply $inc to ${Object.keys(update.$inc)[0]}: a value of non-numeric type ${type}`,
      ),
    })
  })

  it('does not share set values with the update (later edits stay private)', () => {
    const update = { $set: { region: { code: '440000' } } }
    const doc: Doc = { _id: 'x' }
    applyUpdate(doc, update)
    ;(update.$set.region as { code: string }).code = 'changed'
    expect(doc.region).toEqual({ code: '440000' })
  })
})
