// The dashboard's alerts (预警): pure rules over counters, so the console, the mini-program and
// the tests judge a node or a share code the same way. Thresholds live here, nowhere else.
import type { OrganiserAlert } from './organiser'
import type { QualitySignals } from './questionnaire/quality'

export const ALERT_THRESHOLDS = {
  /** A share code's samples today (valid or not): a burst worth a look. */
  codePerDay: 300,
  /** A node's or code's invalid share, judged from this many samples. */
  invalidShare: 0.3,
  invalidMinSamples: 50,
  /**
   * A node's or code's share of samples with outlying paradata (isParadataOutlier), judged from
   * this many samples. Screening does not invalidate on paradata (the campaign's
   * `paradata.invalidateOnSpeed` is off: a client's clock is not evidence), so a cluster of them
   * is for a person to review — one code or station handing out pre-filled phones shows here.
   */
  paradataShare: 0.2,
  paradataMinSamples: 30,
} as const

/**
 * A sample's paradata is an outlier when the client's timings do not fit the server's own clock
 * (implausible: visible longer than the server saw, or answers before the page showed) or the
 * page was on screen for less than the speed floor (fast). No paradata is not an outlier.
 */
export function isParadataOutlier(signals: Pick<QualitySignals, 'paradata'> | null | undefined) {
  const p = signals?.paradata
  return p != null && (!p.plausible || p.fast)
}

/** What an alert is judged from: a subject's counters. */
export interface AlertCounts {
  /** A node id or a share code. */
  subject: string
  /** How the message names it (a node's name, 分享码 <code>). */
  name: string
  valid: number
  invalid: number
  /** Samples with outlying paradata; undefined when not counted for this subject. */
  paradata?: number | undefined
}

const percent = (x: number) => `${(x * 100).toFixed(0)}%`

/** `invalid_share`: invalid ≥ 30% of ≥ 50 samples. */
export function invalidShareAlert(c: AlertCounts): OrganiserAlert | null {
  const all = c.valid + c.invalid
  if (all < ALERT_THRESHOLDS.invalidMinSamples) return null
  const share = c.invalid / all
  if (share < ALERT_THRESHOLDS.invalidShare) return null
  return {
    kind: 'invalid_share',
    subject: c.subject,
    message: `${c.name} 无效样本占 ${percent(share)}`,
    value: share,
  }
}

/** `paradata_outliers`: samples with outlying paradata ≥ 20% of ≥ 30 samples. */
export function paradataAlert(c: AlertCounts): OrganiserAlert | null {
  const all = c.valid + c.invalid
  const n = c.paradata ?? 0
  if (all < ALERT_THRESHOLDS.paradataMinSamples || n === 0) return null
  const share = n / all
  if (share < ALERT_THRESHOLDS.paradataShare) return null
  return {
    kind: 'paradata_outliers',
    subject: c.subject,
    message: `${c.name} 作答行为异常（页面停留过短或计时不可信）的样本占 ${percent(share)}（${n} 份）`,
    value: share,
  }
}

/** `code_velocity`: a share code with ≥ 300 samples today. */
export function codeVelocityAlert(code: string, today: number): OrganiserAlert | null {
  if (today < ALERT_THRESHOLDS.codePerDay) return null
  return {
    kind: 'code_velocity',
    subject: code,
    message: `分享码 ${code} 今日已带来 ${today} 份样本`,
    value: today,
  }
}

/** Every alert of a list of subjects, in their order (invalid share first, then paradata). */
export function alertsOf(counts: readonly AlertCounts[]): OrganiserAlert[] {
  const out: OrganiserAlert[] = []
  for (const c of counts) {
    const a = invalidShareAlert(c)
    if (a) out.push(a)
  }
  for (const c of counts) {
    const a = paradataAlert(c)
    if (a) out.push(a)
  }
  return out
}
