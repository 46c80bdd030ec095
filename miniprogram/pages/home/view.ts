// What the home page renders for a campaign: plain strings and flags, computed once per reply.
import type { CurrentCampaign, Progress, VersionId, WindowStatus } from 'wal-core'
import { formatInstant, formatWindow } from '../../utils/china-time'
import { entryCaption, opensAt, resumeNotice, resumeText, statusText } from './strings'

/** A questionnaire version (公共网民版 / 网络从业人员版): tappable while the campaign is open. */
export interface VersionEntry {
  id: VersionId
  title: string
  audience: string
  caption: string
  enabled: boolean
}

/** Shown once the respondent has started: where to go on. */
export interface Resume {
  version: VersionId
  notice: string
  button: string
  /** '' when every offered section is done. */
  nextSectionId: string
  /** Valid sections have earned draw chances (抽奖机会): offer the draw. */
  canDraw: boolean
}

export interface HomeView {
  name: string
  slogan: string
  organiser: string
  windowText: string
  status: WindowStatus
  statusText: string
  statusTheme: 'success' | 'primary' | 'default'
  /** When a campaign that has not started opens; empty otherwise. */
  notice: string
  /** Empty once the campaign has closed: there is nothing left to enter. */
  entries: VersionEntry[]
  resume: Resume | null
}

const STATUS_THEME: Record<WindowStatus, HomeView['statusTheme']> = {
  open: 'success',
  upcoming: 'primary',
  closed: 'default',
}

export function toHomeView(c: CurrentCampaign): HomeView {
  const status = c.status
  const entries =
    status === 'closed'
      ? []
      : c.versions.map((v) => ({
          id: v.id,
          title: v.title,
          audience: v.audience,
          caption: entryCaption[status],
          enabled: status === 'open',
        }))
  return {
    name: c.name,
    slogan: c.slogan,
    organiser: c.organiser,
    windowText: formatWindow(c.window.startsAt, c.window.endsAt),
    status: c.status,
    statusText: statusText[c.status],
    statusTheme: STATUS_THEME[c.status],
    notice: c.status === 'upcoming' ? opensAt(formatInstant(c.window.startsAt)) : '',
    entries,
    resume: null,
  }
}

/** The home view once the respondent's progress is known: resume, and one version only. */
export function withProgress(view: HomeView, progress: Progress): HomeView {
  if (!progress.started || !progress.version || view.status !== 'open') return view
  const chosen = progress.version
  const entry = view.entries.find((e) => e.id === chosen)
  const next = progress.sections.find((s) => s.id === progress.nextSectionId)
  return {
    ...view,
    entries: view.entries.map((e) =>
      e.id === chosen ? e : { ...e, enabled: false, caption: entryCaption.locked },
    ),
    resume: {
      version: chosen,
      notice: resumeNotice(entry?.title ?? '', next?.title ?? null),
      button: next ? resumeText.continue : resumeText.results,
      nextSectionId: next?.id ?? '',
      canDraw: progress.chancesTotal > 0,
    },
  }
}
