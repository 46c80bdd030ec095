// Cloud function `privacy`: what is held about the caller (我的数据与隐私), deleting their personal
// information, and (its timer, config.json, daily at 03:00) pseudonymising the responses of
// campaigns whose retention period has passed.
import { privacyContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction } from '../../../server/define-function'
import { isTimerEvent } from '../../../server/payout'
import * as p from '../../../server/privacy'
import { isCommittee } from '../../../server/records/caller-roles'

const routed = defineFunction(privacyContract, {
  myData: (_input, ctx) => p.myData(ctx.openid),
  deleteMe: (input, ctx) => p.deleteMe(input, ctx.openid, ctx.now),
  retentionRun: {
    auth: 'none',
    handler: async (_input, ctx) => {
      if (ctx.caller !== undefined && !(await isCommittee(ctx.caller)))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may run retention')
      return p.retentionRun(ctx.now)
    },
  },
})

export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'retentionRun' } : event, context)
}
