// The zod-free checks the mini-program ships (core/client.ts) agree with the zod schemas the
// functions validate with, which are built on the same lists and patterns; and the envelope check
// the services make of every reply.
import {
  DRAW_KINDS,
  VERSION_IDS,
  drawKindSchema,
  envelopeProblem,
  fail,
  isDrawKind,
  isScene,
  isVersionId,
  ok,
  parseShareCode,
  parseUserCode,
  reservationIdFromScan,
  pickupScene,
  sceneSchema,
  shareCodeSchema,
  userCodeSchema,
  versionIdSchema,
} from 'wal-core'

const odd: unknown[] = [
  undefined,
  null,
  0,
  7,
  true,
  {},
  [],
  '',
  ' ',
  'NINE_GRID',
  'gold ',
  'public\n',
]

test('isDrawKind and isVersionId accept exactly what their schemas accept', () => {
  for (const v of [...DRAW_KINDS, ...VERSION_IDS, ...odd]) {
    expect(isDrawKind(v)).toBe(drawKindSchema.safeParse(v).success)
    expect(isVersionId(v)).toBe(versionIdSchema.safeParse(v).success)
  }
})

test('parseShareCode and parseUserCode give what their schemas give, canonical form included', () => {
  const codes: unknown[] = [
    ...odd,
    'ABCDEFG',
    ' abcdefg ',
    'ABCDEF0', // 0 is not in the alphabet
    'ABCDEFGH',
    ' abcdefgh\t',
    'ABCDEFGHJ',
    'ABCDEF1L',
  ]
  for (const v of codes) {
    const share = shareCodeSchema.safeParse(v)
    expect(parseShareCode(v)).toBe(share.success ? share.data : null)
    const user = userCodeSchema.safeParse(v)
    expect(parseUserCode(v)).toBe(user.success ? user.data : null)
  }
  expect(parseShareCode(' abcdefg ')).toBe('ABCDEFG')
  expect(parseUserCode('abcdefgh')).toBe('ABCDEFGH')
})

test('isScene accepts the scenes survey.start takes', () => {
  for (const v of ['c=ABCDEFG', 'x'.repeat(512), 'x'.repeat(513), '', 5, null]) {
    expect(isScene(v)).toBe(sceneSchema.safeParse(v).success)
  }
})

test('a pickup QR names its reservation; other scans name none', () => {
  expect(reservationIdFromScan(pickupScene('res_12-ab'))).toBe('res_12-ab')
  expect(reservationIdFromScan(' r=res_12-ab\n')).toBe('res_12-ab')
  for (const text of ['res_12-ab', 'r=short', 'r=has space', 'c=ABCDEFG', `r=${'x'.repeat(65)}`])
    expect(reservationIdFromScan(text)).toBeNull()
})

describe('envelopeProblem', () => {
  test('finds nothing wrong with what the functions send', () => {
    expect(envelopeProblem(ok({ points: 7 }))).toBeNull()
    expect(envelopeProblem(ok(null))).toBeNull()
    expect(envelopeProblem(fail('NOT_FOUND', 'no such item'))).toBeNull()
    expect(
      envelopeProblem(fail('VALIDATION_FAILED', '部分题目需要修改', { errors: {} })),
    ).toBeNull()
  })

  test.each([
    ['a string', '<html>502</html>', 'the reply is not an object'],
    ['null', null, 'the reply is not an object'],
    ['an array', [], 'the reply is not an object'],
    ['no ok', { data: 1 }, 'the reply has no ok: true or false'],
    ['ok as a string', { ok: 'true', data: 1 }, 'the reply has no ok: true or false'],
    ['ok without data', { ok: true }, 'an ok reply without data'],
    ['a failure without error', { ok: false }, 'a failed reply without an error object'],
    [
      'an error without code',
      { ok: false, error: { message: 'x' } },
      'the error has no string code',
    ],
    [
      'an error without message',
      { ok: false, error: { code: 'X' } },
      'the error has no string message',
    ],
  ])('names what is wrong with %s', (_what, reply, problem) => {
    expect(envelopeProblem(reply)).toBe(problem)
  })
})
