// China time (Asia/Shanghai) for both sides, with dayjs: the calendar day a statistic counts in,
// the dates the mini-program shows. Callers pass the instant in; nothing here reads the clock.
//
// The offset is fixed at UTC+8 with the utc plugin's `utcOffset(480)` rather than taken from the
// timezone plugin's `tz('Asia/Shanghai')`: that plugin reads zone rules through Intl.DateTimeFormat
// with a `timeZone` option, which the mini-program's JavaScript engines do not reliably carry
// (iamkun/dayjs#2635: `.tz('Asia/Shanghai')` gives the wrong date on Android WeChat), and on the
// server it would re-parse a `toLocaleString` per conversion. China has kept UTC+8 all year,
// without daylight saving time, since 1991, so the fixed offset is exact for every instant the
// campaigns use; test/unit/china-time.test.ts checks it against the IANA rules in Node.
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

/** UTC+8, in minutes, as `utcOffset` takes it. */
export const CHINA_UTC_OFFSET_MINUTES = 480

/** An instant (ms since the epoch) as a dayjs in China time, whatever the device's zone. */
export function inChinaTime(ms: number): Dayjs {
  return dayjs(ms).utcOffset(CHINA_UTC_OFFSET_MINUTES)
}

/** China-time midnight starting the day of an instant, as `2024-07-17T00:00:00+08:00`. */
export function chinaDayStart(ms: number): string {
  return inChinaTime(ms).startOf('day').format()
}
