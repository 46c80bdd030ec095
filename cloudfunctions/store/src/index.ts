// Cloud function `store`: the points store (积分商城), pickup stores nearest first, redeeming and
// cancelling, the clerk's desk and pickups, and (its timer, config.json, every 10 minutes) the
// refund of expired reservations and the reminders a day before.
import { storeContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction, desk } from '../../../server/define-function'
import { isTimerEvent } from '../../../server/payout'
import { isCommittee } from '../../../server/records/caller-roles'
import * as s from '../../../server/store'

// Member and clerk actions need a WeChat caller; the catalogue, the stores and the admin actions
// also take a signed-in console account (server/records/caller-roles.ts).
const routed = defineFunction(storeContract, {
  catalogue: desk((input, ctx) =>
    s.catalogue(input, ctx.caller.kind === 'wechat' ? ctx.caller.openid : null, ctx.now),
  ),
  item: (input, ctx) => s.itemDetail(input, ctx.openid, ctx.now),
  nearbyStores: desk((input, ctx) => s.nearbyStores(input, ctx.now)),
  store: (input) => s.storeDetail(input),
  redeem: (input, ctx) => s.redeem(input, ctx.openid, ctx.now),
  myRedemptions: (_input, ctx) => s.myRedemptions(ctx.openid),
  pickupQr: (input, ctx) => s.pickupQr(input, ctx.openid),
  cancel: (input, ctx) => s.cancel(input, ctx.openid, ctx.now),
  lookupPickup: (input, ctx) => s.lookupPickup(input, ctx.openid),
  confirmPickup: (input, ctx) => s.confirmPickup(input, ctx.openid, ctx.now),
  clerkDesk: (input, ctx) => s.clerkDesk(input, ctx.openid, ctx.now),
  clerkStores: (_input, ctx) => s.clerkStores(ctx.openid),
  grantClerk: desk((input, ctx) => s.grantClerk(input, ctx.caller, ctx.now)),
  restock: desk((input, ctx) => s.restock(input, ctx.caller, ctx.now)),
  saveItem: desk((input, ctx) => s.saveItem(input, ctx.caller, ctx.now)),
  saveStore: desk((input, ctx) => s.saveStore(input, ctx.caller)),
  verifyCertificate: {
    auth: 'none',
    handler: (input, ctx) => s.verifyCertificate(input, ctx.openid),
  },
  expireDue: {
    auth: 'none',
    handler: async (_input, ctx) => {
      if (ctx.caller !== undefined && !(await isCommittee(ctx.caller)))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may expire reservations')
      return s.expireDue(ctx.now)
    },
  },
})

export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'expireDue' } : event, context)
}
