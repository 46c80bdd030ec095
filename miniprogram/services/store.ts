// The points store (积分商城, cloud function `store`, contract in core/store.ts): the catalogue,
// pickup stores nearest first, redeeming and one's redemptions, and the clerk's desk. Also the
// phone's own pieces the store needs: the user's position (after the privacy authorisation), the
// reminder subscription and opening a report.
import {
  contractRef,
  type ItemKind,
  type ItemView,
  type ReservationView,
  type StoreView,
  type storeContract,
} from 'wal-core'
import { config } from '../config'
import { callAction, retryableAction } from './call'

const storeFn = contractRef<typeof storeContract>('store')

export type { ItemKind, ItemView, ReservationView, StoreView }

export function getCatalogue(kind?: ItemKind) {
  return callAction(storeFn, 'catalogue', kind ? { kind } : {})
}

export function getItem(itemId: string) {
  return callAction(storeFn, 'item', { itemId })
}

/** Stores nearest to `near` (or in a city when location was refused), with the item's stock. */
export function findStores(input: {
  near?: { lng: number; lat: number }
  cityCode?: string
  itemId?: string
}) {
  return callAction(storeFn, 'nearbyStores', { ...input, limit: 20 })
}

export function getStore(storeId: string, itemId?: string) {
  return callAction(storeFn, 'store', itemId ? { storeId, itemId } : { storeId })
}

export function redeemItem(itemId: string, storeId?: string) {
  return retryableAction(storeFn, 'redeem', storeId ? { itemId, storeId } : { itemId })
}

export function listRedemptions() {
  return callAction(storeFn, 'myRedemptions', {})
}

export function getPickupQr(reservationId: string) {
  return callAction(storeFn, 'pickupQr', { reservationId })
}

export function cancelRedemption(reservationId: string) {
  return retryableAction(storeFn, 'cancel', { reservationId })
}

export function getClerkDesk(storeId: string) {
  return callAction(storeFn, 'clerkDesk', { storeId })
}

/** A certificate by its number (the holder sees their whole name, anyone else a masked one). */
export function verifyCertificate(number: string) {
  return callAction(storeFn, 'verifyCertificate', { number })
}

export function getClerkStores() {
  return callAction(storeFn, 'clerkStores', {})
}

export function lookupPickup(storeId: string, by: { code: string } | { reservationId: string }) {
  return callAction(storeFn, 'lookupPickup', { storeId, ...by })
}

export function confirmPickup(storeId: string, reservationId: string) {
  return retryableAction(storeFn, 'confirmPickup', { storeId, reservationId })
}

/**
 * The user's position, or null when they refused (the pages then offer a city list: no dead
 * end). wx.getLocation needs the privacy authorisation and the scope.userLocation permission.
 */
export function currentPosition(): Promise<{ lng: number; lat: number } | null> {
  return new Promise((resolve) => {
    wx.getLocation({
      type: 'wgs84',
      success: (res) => resolve({ lng: res.longitude, lat: res.latitude }),
      fail: () => resolve(null),
    })
  })
}

/** Asks to send the pickup reminder (a day before expiry); a refusal changes nothing. */
export function askForReminder(): Promise<void> {
  const tmplIds = config.subscribeTemplates.filter((id) => id !== '')
  if (tmplIds.length === 0) return Promise.resolve()
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds, complete: () => resolve() } as never)
  })
}
