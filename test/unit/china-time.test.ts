// China time in core (core/china-time.ts): the day a sample counts in and the demo window's
// midnights, at a fixed UTC+8 that must agree with the IANA rules for Asia/Shanghai.
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'
import { chinaDayKey, chinaDayStart, inChinaTime } from 'wal-core'

dayjs.extend(utc)
dayjs.extend(timezone)

describe('the China day', () => {
  it('starts at 16:00 UTC of the previous UTC day', () => {
    expect(chinaDayKey(Date.parse('2024-07-16T15:59:59.999Z'))).toBe('d20240716')
    expect(chinaDayKey(Date.parse('2024-07-16T16:00:00Z'))).toBe('d20240717')
    expect(chinaDayStart(Date.parse('2024-07-16T16:00:00Z'))).toBe('2024-07-17T00:00:00+08:00')
    expect(chinaDayStart(Date.parse('2024-07-16T15:59:59.999Z'))).toBe('2024-07-16T00:00:00+08:00')
  })

  it('turns the year and the leap day in China, not in UTC', () => {
    expect(chinaDayKey(Date.parse('2024-12-31T16:00:00Z'))).toBe('d20250101')
    expect(chinaDayKey(Date.parse('2024-02-28T16:00:00Z'))).toBe('d20240229')
    expect(chinaDayStart(Date.parse('2025-01-01T15:59:59Z'))).toBe('2025-01-01T00:00:00+08:00')
  })

  it('does not depend on the time zone the machine is set to', () => {
    const saved = process.env.TZ
    try {
      for (const tz of ['America/Los_Angeles', 'Europe/London', 'UTC', 'Pacific/Kiritimati']) {
        process.env.TZ = tz
        expect(chinaDayKey(Date.parse('2024-07-16T16:00:00Z'))).toBe('d20240717')
        expect(chinaDayStart(Date.parse('2024-03-31T01:30:00Z'))).toBe('2024-03-31T00:00:00+08:00')
      }
    } finally {
      process.env.TZ = saved
    }
  })
})

describe('the fixed UTC+8 offset', () => {
  it('agrees with the IANA rules for Asia/Shanghai (Node has full ICU) from 1992 to 2100', () => {
    const from = Date.parse('1992-01-01T00:00:00Z')
    const to = Date.parse('2100-01-01T00:00:00Z')
    const step = 7 * 86_400_000 + 3_600_000 + 61_000 // walks across hours and days of the week
    const differ: string[] = []
    for (let ms = from; ms < to; ms += step) {
      const fixed = inChinaTime(ms).format()
      if (fixed !== dayjs(ms).tz('Asia/Shanghai').format()) differ.push(fixed)
    }
    expect(differ).toEqual([])
  })

  it('would not hold before 1992: China kept summer time until September 1991', () => {
    expect(dayjs(Date.parse('1991-07-01T00:00:00Z')).tz('Asia/Shanghai').format()).toBe(
      '1991-07-01T09:00:00+09:00',
    )
  })

  it('keeps the instant: only the wall clock it is read on changes', () => {
    const ms = Date.parse('2024-07-16T16:00:00.123Z')
    expect(inChinaTime(ms).valueOf()).toBe(ms)
    expect(inChinaTime(ms).format('YYYY-MM-DD HH:mm:ss.SSS')).toBe('2024-07-17 00:00:00.123')
  })
})
