// What 我的兑换 shows, from the server's reply (pure: tested without rendering).
import { ITEM_KIND_NAMES, type ReservationStatus } from 'wal-core'
import type { ReservationView } from '../../../services/store'
import { formatInstant } from '../../../utils/china-time'
import { GROUP_NAMES, createdText, expiresText, priceText, tabLabel } from './strings'

/** The three tabs: waiting for pickup, finished, and given back (cancelled or expired). */
export type Group = keyof typeof GROUP_NAMES
export const GROUPS: readonly Group[] = ['pending', 'done', 'closed']

export const GROUP_OF: Readonly<Record<ReservationStatus, Group>> = {
  reserved: 'pending',
  picked_up: 'done',
  delivered: 'done',
  cancelled: 'closed',
  expired: 'closed',
}

export interface RedemptionRow {
  id: string
  title: string
  kindName: string
  group: Group
  statusName: string
  priceText: string
  createdText: string
  /** Reserved gifts: the 6-digit code and when it lapses. */
  pickupCode: string
  expiresText: string
  store: {
    name: string
    address: string
    phone: string
    latitude: number
    longitude: number
  } | null
  /** Reports: the file's temporary URL ('' when there is none to open). */
  fileUrl: string
  /** Certificates: the number (opens 志愿者证书), '' otherwise. */
  certificateNo: string
}

export function toRow(r: ReservationView): RedemptionRow {
  return {
    id: r.id,
    title: r.itemTitle,
    kindName: ITEM_KIND_NAMES[r.kind],
    group: GROUP_OF[r.status],
    statusName: r.statusName,
    priceText: priceText(r.pricePoints),
    createdText: createdText(formatInstant(r.createdAt)),
    pickupCode: r.status === 'reserved' ? (r.pickupCode ?? '') : '',
    expiresText:
      r.status === 'reserved' && r.expiresAt ? expiresText(formatInstant(r.expiresAt)) : '',
    store: r.store && {
      name: r.store.name,
      address: r.store.address,
      phone: r.store.phone,
      latitude: r.store.location.lat,
      longitude: r.store.location.lng,
    },
    fileUrl: r.kind === 'report' && r.status === 'delivered' ? (r.fileUrl ?? '') : '',
    certificateNo:
      r.kind === 'certificate' && r.status === 'delivered' ? (r.certificateNo ?? '') : '',
  }
}

export interface GroupTab {
  value: Group
  label: string
}

export function groupTabs(rows: RedemptionRow[]): GroupTab[] {
  return GROUPS.map((g) => ({
    value: g,
    label: tabLabel(GROUP_NAMES[g], rows.filter((r) => r.group === g).length),
  }))
}

/**
 * The tab to show: the one holding `highlight` (opened from a reminder), else the first with
 * anything in it, waiting pickups first.
 */
export function initialGroup(rows: RedemptionRow[], highlight: string): Group {
  const named = rows.find((r) => r.id === highlight)
  if (named) return named.group
  return GROUPS.find((g) => rows.some((r) => r.group === g)) ?? 'pending'
}
