// Instants shown as China time (Asia/Shanghai). China has kept UTC+8 all year since 1991, so the
// offset is added by hand: the phone's own time zone setting never changes what people see.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

export interface ChinaDateTime {
  year: number
  month: number // 1–12
  day: number
  hour: number // 0–24; 24 only for the end of a day (see formatWindowEnd)
  minute: number
}

/** Milliseconds since the epoch of an ISO 8601 instant with an offset; throws on anything else. */
export function parseInstant(iso: string): number {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${iso}`)
  return ms
}

function toChinaTime(ms: number): ChinaDateTime {
  const shifted = new Date(ms + CHINA_OFFSET_MS)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  }
}

/**
 * An exclusive end as people say it: an end at midnight is the previous day's 24:00
 * ("7月26日 24:00", not "7月27日 00:00"), the way the campaign's notices write it.
 */
export function toChinaEnd(ms: number): ChinaDateTime {
  const isMidnight = (ms + CHINA_OFFSET_MS) % DAY_MS === 0
  return isMidnight ? { ...toChinaTime(ms - DAY_MS), hour: 24, minute: 0 } : toChinaTime(ms)
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
