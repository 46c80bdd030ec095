// Instants shown as China time (Asia/Shanghai), through dayjs at a fixed UTC+8 (wal-core's
// inChinaTime, which says why not the timezone plugin): the phone's own time zone setting never
// changes what people see.
import { inChinaTime } from 'wal-core'

export interface ChinaDateTime {
  year: number
  month: number // 1–12
  day: number
  hour: number // 0–24; 24 only for the end of a day (see toChinaEnd)
  minute: number
}

/** Milliseconds since the epoch of an ISO 8601 instant with an offset; throws on anything else. */
export function parseInstant(iso: string): number {
  // Date.parse, not dayjs(iso): dayjs's own parser reads an offset-less string as device time.
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${iso}`)
  return ms
}

function toChinaTime(ms: number): ChinaDateTime {
  const t = inChinaTime(ms)
  return { year: t.year(), month: t.month() + 1, day: t.date(), hour: t.hour(), minute: t.minute() }
}

/**
 * An exclusive end as people say it: an end at midnight is the previous day's 24:00
 * ("7月26日 24:00", not "7月27日 00:00"), the way the campaign's notices write it.
 */
export function toChinaEnd(ms: number): ChinaDateTime {
  const t = inChinaTime(ms)
  const isMidnight = t.isSame(t.startOf('day'))
  return isMidnight
    ? { ...toChinaTime(t.subtract(1, 'day').valueOf()), hour: 24, minute: 0 }
    : toChinaTime(ms)
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** `2024年7月17日 00:00`, or `7月17日 00:00` with `withYear: false`. */
function formatChinaDateTime(t: ChinaDateTime, withYear = true): string {
  const date = `${t.month}月${t.day}日`
  return `${withYear ? `${t.year}年` : ''}${date} ${pad2(t.hour)}:${pad2(t.minute)}`
}

/**
 * A window [startsAt, endsAt) as one line: `2024年7月17日 00:00 至 7月26日 24:00`.
 * The end repeats the year only when it differs from the start's.
 */
export function formatWindow(startsAt: string, endsAt: string): string {
  const start = toChinaTime(parseInstant(startsAt))
  const end = toChinaEnd(parseInstant(endsAt))
  return `${formatChinaDateTime(start)} 至 ${formatChinaDateTime(end, end.year !== start.year)}`
}

/** The start of something as a phrase: `2024年7月17日 00:00`. */
export function formatInstant(iso: string): string {
  return formatChinaDateTime(toChinaTime(parseInstant(iso)))
}
