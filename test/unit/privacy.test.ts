// The retention rules: when a campaign's responses are due, what retention.json accepts, and how a
// real name is shown back to its owner.
import {
  isPseudonym,
  maskName,
  pseudonymiseAfter,
  retentionDue,
  retentionFileSchema,
} from 'wal-core'

const ENDS = '2025-07-27T00:00:00+08:00'

describe('retention', () => {
  it('is due from the window end plus the retention days, not a millisecond before', () => {
    const at = pseudonymiseAfter(ENDS, 180)
    expect(at.toISOString()).toBe('2026-01-22T16:00:00.000Z')
    expect(retentionDue(ENDS, 180, new Date(at.getTime() - 1))).toBe(false)
    expect(retentionDue(ENDS, 180, at)).toBe(true)
  })

  it('retention.json needs whole days (1–3650) and the purposes the notice names', () => {
    expect(retentionFileSchema.safeParse({ days: 180, purposes: ['统计'] }).success).toBe(true)
    expect(retentionFileSchema.safeParse({ days: 0, purposes: ['统计'] }).success).toBe(false)
    expect(retentionFileSchema.safeParse({ days: 1.5, purposes: ['统计'] }).success).toBe(false)
    expect(retentionFileSchema.safeParse({ days: 180, purposes: [] }).success).toBe(false)
    expect(retentionFileSchema.safeParse({ days: 180, purposes: ['统计'], extra: 1 }).success).toBe(
      false,
    )
  })

  it('tells pseudonyms from openids, and masks a real name but its first character', () => {
    expect(isPseudonym(`p-${'0a'.repeat(16)}`)).toBe(true)
    expect(isPseudonym('oXYZ-openid')).toBe(false)
    expect(maskName('王小明')).toBe('王**')
    expect(maskName('王')).toBe('*')
  })
})
