// What 我的数据与隐私 shows, from the server's reply (pure: tested without rendering).
import type { MyData } from '../../../services/privacy'
import { formatInstant } from '../../../utils/china-time'
import {
  RESERVATION_NAMES,
  entriesText,
  identityLine,
  membershipLine,
  responseLine,
  responseTitle,
  retentionLine,
  sampleText,
  text,
} from './strings'

export interface PrivacyView {
  responses: Array<{ key: string; title: string; line: string; sample: string; retention: string }>
  points: { balance: number; entries: string; userCode: string; nickname: string } | null
  memberships: Array<{ key: string; line: string }>
  reservations: Array<{ id: string; title: string; status: string }>
  identity: string
  purposes: string[]
  /** Nothing at all is held: the page says so instead of offering a deletion. */
  empty: boolean
}

/** A date only (the time of day says nothing here): `2025年9月28日`. */
const dateOf = (iso: string) => formatInstant(iso).split(' ')[0]!

export function toPrivacyView(d: MyData): PrivacyView {
  const view: PrivacyView = {
    responses: d.responses.map((r) => ({
      key: `${r.campaignId}:${r.version}`,
      title: responseTitle(r.campaignId, r.version),
      line: responseLine(dateOf(r.startedAt), r.sectionsSubmitted, r.chancesGranted),
      sample: sampleText(r.validSample),
      retention: r.pseudonymiseAfter
        ? retentionLine(dateOf(r.pseudonymiseAfter))
        : text.retentionNone,
    })),
    points: d.points
      ? {
          balance: d.points.balance,
          entries: entriesText(d.points.entries),
          userCode: d.points.userCode,
          nickname: d.points.nickname ?? text.nicknameNone,
        }
      : null,
    memberships: d.memberships.map((m) => ({
      key: m.nodeId,
      line: membershipLine(m.displayName, m.role, m.status),
    })),
    reservations: d.reservations.map((r) => ({
      id: r.id,
      title: r.itemTitle,
      status: RESERVATION_NAMES[r.status] ?? r.status,
    })),
    identity: d.identity ? identityLine(d.identity.maskedName, d.identity.purpose) : '',
    purposes: d.purposes,
    empty: false,
  }
  view.empty =
    view.responses.length === 0 &&
    view.points === null &&
    view.memberships.length === 0 &&
    view.reservations.length === 0 &&
    view.identity === ''
  return view
}
