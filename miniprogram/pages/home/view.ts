// What the home page renders for a campaign: plain strings and flags, computed once per reply.
import type { CurrentCampaign, WindowStatus } from 'wal-core'
import { formatInstant, formatWindow } from '../../utils/china-time'
import { entryCaption, opensAt, statusText } from './strings'

/**
 * A questionnaire version (公共网民版 / 网络从业人员版). Shown but not tappable until the
 * questionnaire pages exist; the caption says why.
 */
export interface VersionEntry {
  id: string
  title: string
  audience: string
  caption: string
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
  }
}
