// Cloud function `volunteer`: joining organisations through invites, one's share code and its
// image, node admins' pages and actions, bulk channel codes, and override settlement (its timer,
// config.json, every 10 minutes, with no WeChat caller).
import { volunteerContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction } from '../../../server/define-function'
import { isTimerEvent } from '../../../server/payout'
import { hasRole } from '../../../server/records/roles'
import * as v from '../../../server/volunteers'

const routed = defineFunction(volunteerContract, {
  me: (_i, ctx) => v.me(ctx.openid, ctx.now),
  inviteInfo: (i, ctx) => v.inviteInfo(i, ctx.openid, ctx.now),
  apply: (i, ctx) => v.apply(i, ctx.openid, ctx.now),
  leave: (i, ctx) => v.leave(i, ctx.openid, ctx.now),
  ensureCode: (i, ctx) => v.ensureCode(i, ctx.openid, ctx.now),
  setCodeActive: (i, ctx) => v.setCodeActive(i, ctx.openid, ctx.now),
  codeImage: (i, ctx) => v.codeImage(i, ctx.openid),
  nodeOverview: (i, ctx) => v.nodeOverview(i, ctx.openid, ctx.now),
  createInvite: (i, ctx) => v.createInvite(i, ctx.openid, ctx.now),
  closeInvite: (i, ctx) => v.closeInvite(i, ctx.openid, ctx.now),
  review: (i, ctx) => v.review(i, ctx.openid, ctx.now),
  removeMember: (i, ctx) => v.removeMember(i, ctx.openid, ctx.now),
  grantRole: (i, ctx) => v.grantRole(i, ctx.openid, ctx.now),
  createChannelCodes: (i, ctx) => v.issueChannelCodes(i, ctx.openid, ctx.now),
  exportChannelCodes: (i, ctx) => v.downloadChannelCodes(i, ctx.openid, ctx.now),
  settleOverride: (i, ctx) => v.settleNode(i, ctx.openid, ctx.now),
  nodeTransfer: (i, ctx) => v.nodeTransfer(i, ctx.openid, ctx.now),
  settleAll: {
    auth: 'none',
    handler: async (_i, ctx) => {
      if (ctx.openid !== undefined && !(await hasRole(ctx.openid, 'organiser')))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may settle every node')
      return v.settleAll(ctx.now)
    },
  },
})

/** A timer event ({ Type: 'Timer' }) settles every node; anything else is routed by action. */
export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'settleAll' } : event, context)
}
