// Cloud function `volunteer`: joining organisations through invites, one's share code and its
// image, node admins' pages and actions, bulk channel codes, override settlement and the share
// codes' ranking (their timers in config.json, every 10 minutes and every minute, no WeChat caller).
import { volunteerContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction, desk } from '../../../server/define-function'
import { rankCodes } from '../../../server/code-ranking'
import { isTimerEvent } from '../../../server/payout'
import { isCommittee } from '../../../server/records/caller-roles'
import * as v from '../../../server/volunteers'

// Member actions need a WeChat caller; admin actions also take a signed-in console account
// (its roles from consoleUsers: server/records/caller-roles.ts).
const routed = defineFunction(volunteerContract, {
  me: (_i, ctx) => v.me(ctx.openid, ctx.now),
  inviteInfo: (i, ctx) => v.inviteInfo(i, ctx.openid, ctx.now),
  apply: (i, ctx) => v.apply(i, ctx.openid, ctx.now),
  leave: (i, ctx) => v.leave(i, ctx.openid, ctx.now),
  ensureCode: (i, ctx) => v.ensureCode(i, ctx.openid, ctx.now),
  setCodeActive: desk((i, ctx) => v.setCodeActive(i, ctx.caller, ctx.now)),
  codeImage: desk((i, ctx) => v.codeImage(i, ctx.caller)),
  nodeOverview: desk((i, ctx) => v.nodeOverview(i, ctx.caller, ctx.now)),
  createInvite: desk((i, ctx) => v.createInvite(i, ctx.caller, ctx.now)),
  closeInvite: desk((i, ctx) => v.closeInvite(i, ctx.caller, ctx.now)),
  review: desk((i, ctx) => v.review(i, ctx.caller, ctx.now)),
  removeMember: desk((i, ctx) => v.removeMember(i, ctx.caller, ctx.now)),
  grantRole: desk((i, ctx) => v.grantRole(i, ctx.caller, ctx.now)),
  createChannelCodes: desk((i, ctx) => v.issueChannelCodes(i, ctx.caller, ctx.now)),
  exportChannelCodes: desk((i, ctx) => v.downloadChannelCodes(i, ctx.caller, ctx.now)),
  settleOverride: desk((i, ctx) => v.settleNode(i, ctx.caller, ctx.now)),
  nodeTransfer: desk((i, ctx) => v.nodeTransfer(i, ctx.caller, ctx.now)),
  settleAll: {
    auth: 'none',
    handler: async (_i, ctx) => {
      if (ctx.caller !== undefined && !(await isCommittee(ctx.caller)))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may settle every node')
      return v.settleAll(ctx.now)
    },
  },
  rankCodes: {
    auth: 'none',
    handler: async (_i, ctx) => {
      if (ctx.caller !== undefined && !(await isCommittee(ctx.caller)))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may rank the codes')
      return rankCodes(ctx.now)
    },
  },
})

/**
 * A timer event ({ Type: 'Timer', TriggerName }) runs its trigger's pass — `rankCodes` every
 * minute, `settleOverrides` (settle every node) every 10; anything else is routed by action.
 */
export function main(event: unknown, context?: unknown) {
  if (!isTimerEvent(event)) return routed(event, context)
  const trigger = (event as { TriggerName?: unknown }).TriggerName
  return routed({ action: trigger === 'rankCodes' ? 'rankCodes' : 'settleAll' }, context)
}
