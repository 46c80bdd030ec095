// The points store (积分商城, cloud function `store`, contract in core/store.ts): the catalogue,
// pickup stores nearest first, redeeming and one's redemptions, and the clerk's desk. Also the
// phone's own pieces the store needs: the user's position (after the privacy authorisation), the
// reminder subscription and opening a report.
import {
  storeContract,
  type ItemKind,
  type ItemView,
  type ReservationView,
  type StoreView,
} from 'wal-core'
import { config } from '../config'
import { callAction, retryableAction } from './call'

export type { ItemKind, ItemView, ReservationView, StoreView }

export function getCatalogue(kind?: ItemKind) {
  return callAction(storeContract, 'catalogue', kind ? { kind } : {})
}

export function getItem(itemId: string) {
  return callAction(storeContract, 'item', { itemId })
}

/** Stores nearest to `near` (or in a city when location was refused), with the item's stock. */
export function findStores(input: {
  near?: { lng: number; lat: number }
  cityCode?: string
  itemId?: string
}) {
  return callAction(storeContract, 'nearbyStores', { ...input, limit: 20 })
}

export function getStore(storeId: string, itemId?: string) {
  return callAction(storeContract, 'store', itemId ? { storeId, itemId } : { storeId })
}

export function redeemItem(itemId: string, storeId?: string) {
  return retryableAction(storeContract, 'redeem', storeId ? { itemId, storeId } : { itemId })
}

export function listRedemptions() {
  return callAction(storeContract, 'myRedemptions', {})
}

export function getPickupQr(reservationId: string) {
  return callAction(storeContract, 'pickupQr', { reservationId })
}

export function cancelRedemption(reservationId: string) {
  return retryableAction(storeContract, 'cancel', { reservationId })
}

export function getClerkDesk(storeId: string) {
  return callAction(storeContract, 'clerkDesk', { storeId })
}

/** A certificate by its number (the holder sees their whole name, anyone else a masked one). */
export function verifyCertificate(number: string) {
  return callAction(storeContract, 'verifyCertificate', { number })
}

export function getClerkStores() {
  return callAction(storeContract, 'clerkStores', {})
}

export function lookupPickup(storeId: string, by: { code: string } | { reservationId: string }) {
  return callAction(storeContract, 'lookupPickup', { storeId, ...by })
}

export function confirmPickup(storeId: string, reservationId: string) {
  return retryableAction(storeContract, 'confirmPickup', { storeId, reservationId })
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
