// Where the survey pages live, and the query each takes: one place, so links cannot drift.
import { versionIdSchema, type VersionId } from 'wal-core'

export const routes = {
  home: '/pages/home/index',
  consent: (version: VersionId): string => `/pages/survey/consent/index?version=${version}`,
  /** Without a section, the page opens the next one the respondent has to answer. */
  section: (version: VersionId, sectionId?: string | null): string =>
    `/pages/survey/section/index?version=${version}${sectionId ? `&section=${sectionId}` : ''}`,
  done: (version: VersionId, sectionId: string): string =>
    `/pages/survey/done/index?version=${version}&section=${sectionId}`,
}

/** The version named in a page query, or null when it names none we know. */
export function versionFrom(raw: unknown): VersionId | null {
  const parsed = versionIdSchema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** A section id from a page query (ids are lower-case snake case), or null. */
export function sectionFrom(raw: unknown): string | null {
  return typeof raw === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(raw) ? raw : null
}

/** Back to the home page, closing the survey pages (the way out of every dead end). */
export function goHome(): void {
  wx.reLaunch({ url: routes.home })
}
