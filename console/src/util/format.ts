// Numbers, shares, times and regions as the console shows them (China time, Chinese names).
import { areaList } from '@vant/area-data'

export const num = (n: number): string => n.toLocaleString('zh-CN')
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
export const share = (part: number, whole: number): string => (whole ? pct(part / whole) : '—')

export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
}

/** A province or city code (6 digits) by its name; the code itself when unknown. */
export function regionName(code: string): string {
  return areaList.province_list[code] ?? areaList.city_list[code] ?? code
}

/** 20240710 → 07-10 */
export const dayLabel = (day: string): string => `${day.slice(4, 6)}-${day.slice(6, 8)}`
