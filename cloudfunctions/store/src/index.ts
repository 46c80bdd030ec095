// Cloud function `store`: the points store (积分商城), pickup stores nearest first, redeeming and
// cancelling, the clerk's desk and pickups, and (its timer, config.json, every 10 minutes) the
// refund of expired reservations and the reminders a day before.
import { storeContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction } from '../../../server/define-function'
import { isTimerEvent } from '../../../server/payout'
import { hasRole } from '../../../server/records/roles'
import * as s from '../../../server/store'

const routed = defineFunction(storeContract, {
  catalogue: (input, ctx) => s.catalogue(input, ctx.openid, ctx.now),
  item: (input, ctx) => s.itemDetail(input, ctx.openid, ctx.now),
  nearbyStores: (input, ctx) => s.nearbyStores(input, ctx.now),
  store: (input) => s.storeDetail(input),
  redeem: (input, ctx) => s.redeem(input, ctx.openid, ctx.now),
  myRedemptions: (_input, ctx) => s.myRedemptions(ctx.openid),
  pickupQr: (input, ctx) => s.pickupQr(input, ctx.openid),
  cancel: (input, ctx) => s.cancel(input, ctx.openid, ctx.now),
  lookupPickup: (input, ctx) => s.lookupPickup(input, ctx.openid),
  confirmPickup: (input, ctx) => s.confirmPickup(input, ctx.openid, ctx.now),
  clerkDesk: (input, ctx) => s.clerkDesk(input, ctx.openid, ctx.now),
  clerkStores: (_input, ctx) => s.clerkStores(ctx.openid),
  grantClerk: (input, ctx) => s.grantClerk(input, ctx.openid, ctx.now),
  restock: (input, ctx) => s.restock(input, ctx.openid, ctx.now),
  saveItem: (input, ctx) => s.saveItem(input, ctx.openid, ctx.now),
  saveStore: (input, ctx) => s.saveStore(input, ctx.openid),
  verifyCertificate: {
    auth: 'none',
    handler: (input, ctx) => s.verifyCertificate(input, ctx.openid),
  },
  expireDue: {
    auth: 'none',
    handler: async (_input, ctx) => {
      if (ctx.openid !== undefined && !(await hasRole(ctx.openid, 'organiser')))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may expire reservations')
      return s.expireDue(ctx.now)
    },
  },
})

export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'expireDue' } : event, context)
}
