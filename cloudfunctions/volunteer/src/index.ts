// Cloud function `volunteer`: joining organisations through invites, one's share code and poster
// data, node admins' pages and actions, bulk channel codes, and override settlement (its timer,
// config.json, every 10 minutes, with no WeChat caller).
import { volunteerInputs } from 'wal-core'
import { z } from 'zod'
import { AppError } from '../../../server/app-error'
import { action, defineFunction } from '../../../server/define-function'
import { hasRole } from '../../../server/ledger'
import * as v from '../../../server/volunteers'

const routed = defineFunction({
  name: 'volunteer',
  actions: {
    me: action({ input: volunteerInputs.me, handler: (_i, ctx) => v.me(ctx.openid, ctx.now) }),
    inviteInfo: action({
      input: volunteerInputs.inviteInfo,
      handler: (i, ctx) => v.inviteInfo(i, ctx.openid, ctx.now),
    }),
    apply: action({
      input: volunteerInputs.apply,
      handler: (i, ctx) => v.apply(i, ctx.openid, ctx.now),
    }),
    leave: action({
      input: volunteerInputs.leave,
      handler: (i, ctx) => v.leave(i, ctx.openid, ctx.now),
    }),
    ensureCode: action({
      input: volunteerInputs.ensureCode,
      handler: (i, ctx) => v.ensureCode(i, ctx.openid, ctx.now),
    }),
    setCodeActive: action({
      input: volunteerInputs.setCodeActive,
      handler: (i, ctx) => v.setCodeActive(i, ctx.openid, ctx.now),
    }),
    codeImage: action({
      input: volunteerInputs.codeImage,
      handler: (i, ctx) => v.codeImage(i, ctx.openid),
    }),
    nodeOverview: action({
      input: volunteerInputs.nodeOverview,
      handler: (i, ctx) => v.nodeOverview(i, ctx.openid, ctx.now),
    }),
    createInvite: action({
      input: volunteerInputs.createInvite,
      handler: (i, ctx) => v.createInvite(i, ctx.openid, ctx.now),
    }),
    closeInvite: action({
      input: volunteerInputs.closeInvite,
      handler: (i, ctx) => v.closeInvite(i, ctx.openid, ctx.now),
    }),
    review: action({
      input: volunteerInputs.review,
      handler: (i, ctx) => v.review(i, ctx.openid, ctx.now),
    }),
    removeMember: action({
      input: volunteerInputs.removeMember,
      handler: (i, ctx) => v.removeMember(i, ctx.openid, ctx.now),
    }),
    grantRole: action({
      input: volunteerInputs.grantRole,
      handler: (i, ctx) => v.grantRole(i, ctx.openid, ctx.now),
    }),
    createChannelCodes: action({
      input: volunteerInputs.createChannelCodes,
      handler: (i, ctx) => v.issueChannelCodes(i, ctx.openid, ctx.now),
    }),
    exportChannelCodes: action({
      input: volunteerInputs.exportChannelCodes,
      handler: (i, ctx) => v.downloadChannelCodes(i, ctx.openid, ctx.now),
    }),
    settleOverride: action({
      input: volunteerInputs.settleOverride,
      handler: (i, ctx) => v.settleNode(i, ctx.openid, ctx.now),
    }),
    nodeTransfer: action({
      input: volunteerInputs.nodeTransfer,
      handler: (i, ctx) => v.nodeTransfer(i, ctx.openid, ctx.now),
    }),
    settleAll: action({
      auth: 'none',
      input: z.object({}),
      handler: async (_i, ctx) => {
        if (ctx.openid !== undefined && !(await hasRole(ctx.openid, 'organiser')))
          throw new AppError('FORBIDDEN', 'only the timer or an organiser may settle every node')
        return v.settleAll(ctx.now)
      },
    }),
  },
})

/** A timer event ({ Type: 'Timer' }) settles every node; anything else is routed by action. */
export async function main(event: unknown, context?: unknown) {
  const timer =
    typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer'
  return routed(timer ? { action: 'settleAll' } : event, context)
}
