// Campaign times as people in China read them, whatever time zone the phone is set to.
import {
  formatInstant,
  formatWindow,
  parseInstant,
  toChinaEnd,
} from '../../../miniprogram/utils/china-time'

describe('formatWindow', () => {
  test.each([
    [
      'the 2024 window, ending at midnight, shows the end as 24:00 of the last day',
      '2024-07-17T00:00:00+08:00',
      '2024-07-27T00:00:00+08:00',
      '2024年7月17日 00:00 至 7月26日 24:00',
    ],
    [
      'the 2021 window, starting at 09:00',
      '2021-08-03T09:00:00+08:00',
      '2021-08-13T00:00:00+08:00',
      '2021年8月3日 09:00 至 8月12日 24:00',
    ],
    [
      'an end that is not midnight is shown as it is',
      '2024-07-17T00:00:00+08:00',
      '2024-07-26T18:30:00+08:00',
      '2024年7月17日 00:00 至 7月26日 18:30',
    ],
    [
      'an end at midnight on New Year stays in the old year, so no year is repeated',
      '2024-12-25T08:00:00+08:00',
      '2025-01-01T00:00:00+08:00',
      '2024年12月25日 08:00 至 12月31日 24:00',
    ],
    [
      'an end in the next year repeats the year',
      '2024-12-25T08:00:00+08:00',
      '2025-01-03T00:00:00+08:00',
      '2024年12月25日 08:00 至 2025年1月2日 24:00',
    ],
    [
      'instants written in UTC are shown in China time',
      '2024-07-16T16:00:00Z',
      '2024-07-26T16:00:00.000Z',
      '2024年7月17日 00:00 至 7月26日 24:00',
    ],
    [
      'an end at midnight on 1 March in a leap year becomes 29 February 24:00',
      '2024-02-20T00:00:00+08:00',
      '2024-03-01T00:00:00+08:00',
      '2024年2月20日 00:00 至 2月29日 24:00',
    ],
  ])('%s', (_what, startsAt, endsAt, shown) => {
    expect(formatWindow(startsAt, endsAt)).toBe(shown)
  })
})

test('an end one minute after midnight is not shown as 24:00', () => {
  expect(toChinaEnd(parseInstant('2024-07-27T00:01:00+08:00'))).toEqual({
    year: 2024,
    month: 7,
    day: 27,
    hour: 0,
    minute: 1,
  })
})

test('China midnight is 16:00 UTC of the previous day, as a start and as an end', () => {
  expect(formatInstant('2024-07-16T16:00:00Z')).toBe('2024年7月17日 00:00')
  expect(formatInstant('2024-07-16T15:59:59Z')).toBe('2024年7月16日 23:59')
  expect(toChinaEnd(Date.parse('2024-07-26T16:00:00Z'))).toEqual({
    year: 2024,
    month: 7,
    day: 26,
    hour: 24,
    minute: 0,
  })
})

test('only an end exactly at midnight is 24:00: a millisecond either side is not', () => {
  const start = '2024-07-17T00:00:00+08:00'
  expect(formatWindow(start, '2024-07-26T15:59:59.999Z')).toBe(
    '2024年7月17日 00:00 至 7月26日 23:59',
  )
  expect(formatWindow(start, '2024-07-26T16:00:00.001Z')).toBe(
    '2024年7月17日 00:00 至 7月27日 00:00',
  )
})

test('an end at 24:00 on New Year’s Eve of the next year repeats that year', () => {
  expect(formatWindow('2024-12-25T08:00:00+08:00', '2025-12-31T16:00:00Z')).toBe(
    '2024年12月25日 08:00 至 2025年12月31日 24:00',
  )
})

test('formatInstant shows a start time with the year', () => {
  expect(formatInstant('2024-07-17T00:00:00+08:00')).toBe('2024年7月17日 00:00')
})

test('the phone’s time zone does not change what is shown', () => {
  const saved = process.env.TZ
  try {
    for (const tz of ['America/Los_Angeles', 'Asia/Kolkata', 'UTC', 'Pacific/Kiritimati']) {
      process.env.TZ = tz
      expect(formatWindow('2024-07-17T00:00:00+08:00', '2024-07-27T00:00:00+08:00')).toBe(
        '2024年7月17日 00:00 至 7月26日 24:00',
      )
    }
  } finally {
    process.env.TZ = saved
  }
})

test('a time that is not an ISO 8601 instant is refused rather than shown as NaN', () => {
  expect(() => parseInstant('7月17日')).toThrow(RangeError)
  expect(() => formatInstant('')).toThrow(RangeError)
})
