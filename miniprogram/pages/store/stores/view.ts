// The map's markers and the list's rows from the store list (pure: tested without rendering).
import { formatDistance } from 'wal-core'
import type { StoreView } from '../../../services/store'
import { stockText } from './strings'

export interface StoreRow {
  id: string
  name: string
  address: string
  hours: string
  distanceText: string
  stockText: string
}

export function storeRows(stores: StoreView[]): StoreRow[] {
  return stores.map((s) => ({
    id: s.id,
    name: s.name,
    address: s.address,
    hours: s.hours,
    distanceText: s.distanceMeters === null ? '' : formatDistance(s.distanceMeters),
    stockText: stockText(s.stock),
  }))
}

/** Markers for the `map` component: ids are list positions (the map wants numbers). */
export function storeMarkers(stores: StoreView[]) {
  return stores.map((s, i) => ({
    id: i,
    latitude: s.location.lat,
    longitude: s.location.lng,
    title: s.name,
    width: 28,
    height: 36,
    callout: { content: s.name, display: 'BYCLICK', padding: 8, borderRadius: 8, fontSize: 14 },
  }))
}

/** Where the map looks: the user, else the first store, else the middle of the demo's region. */
export function mapCentre(near: { lng: number; lat: number } | null, stores: StoreView[]) {
  const at = near ?? stores[0]?.location ?? { lng: 113.3, lat: 23.1 }
  return { longitude: at.lng, latitude: at.lat }
}
