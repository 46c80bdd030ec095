// The organiser's pure rules: the offline draw algorithm (wal-draw-v1), subsidy math and the
// collection-task table's validation.
import { createHash, createHmac } from 'node:crypto'
import {
  drawWinners,
  listDigest,
  seedHash,
  sortedIds,
  subsidyMoneyFen,
  subsidyPoints,
  subsidyPointsOwed,
  validateTargetTable,
  verifyDraw,
  yuanText,
  type DrawCrypto,
} from 'wal-core'

const crypto: DrawCrypto = {
  sha256Hex: (t) => createHash('sha256').update(t, 'utf8').digest('hex'),
  hmacSha256: (k, m) => createHmac('sha256', k).update(m, 'utf8').digest(),
}
const ids = sortedIds(
  Array.from({ length: 500 }, (_, i) => `R${(i * 7919).toString(16).padStart(8, '0')}`),
)
const seed = '0f'.repeat(32)
const prizes = [
  { kind: 'phone', count: 3 },
  { kind: 'data', count: 40 },
]

describe('offline draw (wal-draw-v1)', () => {
  const digest = listDigest(ids, crypto)
  const winners = drawWinners(ids, digest, seed, prizes, crypto)

  it('is deterministic: the same list and seed give the same winners', () => {
    expect(drawWinners([...ids], digest, seed, prizes, crypto)).toEqual(winners)
    expect(winners).toHaveLength(43)
    expect(winners.slice(0, 3).every((w) => w.prizeKind === 'phone')).toBe(true)
  })

  it('never lets anyone win twice, even when every id wins', () => {
    expect(new Set(winners.map((w) => w.id)).size).toBe(winners.length)
    const few = ids.slice(0, 12)
    const everyone = drawWinners(
      few,
      listDigest(few, crypto),
      seed,
      [{ kind: 'x', count: 12 }],
      crypto,
    )
    expect(new Set(everyone.map((w) => w.index)).size).toBe(12)
    expect(() =>
      drawWinners(few, listDigest(few, crypto), seed, [{ kind: 'x', count: 13 }], crypto),
    ).toThrow()
  })

  it('verifies a published record, and detects a changed list or seed', () => {
    const record = { listDigest: digest, seedHash: seedHash(seed, crypto), seed, prizes, winners }
    expect(verifyDraw(record, ids, crypto)).toEqual({ ok: true, problems: [] })
    const swapped = sortedIds([...ids.slice(1), 'Rzzzzzzzz'])
    expect(verifyDraw(record, swapped, crypto).ok).toBe(false)
    expect(verifyDraw({ ...record, seed: '1f'.repeat(32) }, ids, crypto).problems[0]).toMatch(
      /seedHash/,
    )
    const forged = winners.map((w, i) =>
      i === 0 ? { ...w, id: ids[(w.index + 1) % ids.length]! } : w,
    )
    expect(verifyDraw({ ...record, winners: forged }, ids, crypto).ok).toBe(false)
  })

  it('a different seed gives different winners', () => {
    expect(drawWinners(ids, digest, '1f'.repeat(32), prizes, crypto)).not.toEqual(winners)
  })
})

describe('publicity subsidies', () => {
  it('money is 10% of the valid samples in yuan; points equal them', () => {
    expect(subsidyMoneyFen(10_000)).toBe(100_000)
    expect(yuanText(subsidyMoneyFen(12_345))).toBe('1234.50')
    expect(subsidyPoints(10_000)).toBe(10_000)
  })
  it('a settlement posts only what is owed beyond earlier ones, never negative, nothing for money', () => {
    expect(subsidyPointsOwed('points', 1_000, 0)).toBe(1_000)
    expect(subsidyPointsOwed('points', 1_200, 1_000)).toBe(200)
    expect(subsidyPointsOwed('points', 900, 1_000)).toBe(0)
    expect(subsidyPointsOwed('money', 1_000, 0)).toBe(0)
  })
})

describe('collection-task table', () => {
  const known = new Set(['gd', 'gd-gz', 'gd-sz'])
  const mine = new Set(['gd-gz'])
  const check = (table: unknown[][]) =>
    validateTargetTable(
      table,
      (id) => known.has(id),
      (id) => mine.has(id),
    )

  it('accepts good rows', () => {
    expect(
      check([
        ['单位编号', '单位名称', '目标样本数'],
        ['gd-gz', '广州', 6000],
      ]),
    ).toEqual({
      rows: [{ row: 2, nodeId: 'gd-gz', target: 6000 }],
      errors: [],
    })
  })
  it('reports every bad row with its row and column', () => {
    const { errors } = check([
      ['单位编号', '目标样本数'],
      ['gd-gz', '12.5'],
      ['nowhere', 1],
      ['gd-sz', 1],
      ['gd-gz', 3],
      ['', 4],
    ])
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, '目标样本数'],
      [3, '单位编号'],
      [4, '单位编号'],
      [5, '单位编号'], // gd-gz again (row 2)
      [6, '单位编号'],
    ])
  })
  it('refuses a table without the needed columns', () => {
    expect(check([['名称', '数量']]).errors).toHaveLength(2)
  })
})
