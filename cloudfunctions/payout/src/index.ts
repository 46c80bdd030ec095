// Cloud function `payout`: pays queued cash prizes through WeChat Pay merchant transfer. Run by
// its timer trigger (config.json, every minute) with no WeChat caller; an organiser may also run
// it by hand. Winners list the red envelopes waiting for them, ask for an update after confirming
// receipt in WeChat, and claim an expired one again.
import { payoutContract } from 'wal-core'
import { AppError } from '../../../server/app-error'
import { defineFunction } from '../../../server/define-function'
import {
  checkPayout,
  isTimerEvent,
  myPayouts,
  reclaimPayout,
  runPayouts,
} from '../../../server/payout'
import { isCommittee } from '../../../server/records/caller-roles'

const routed = defineFunction(payoutContract, {
  run: {
    auth: 'none',
    handler: async (_input, ctx) => {
      // The timer has no caller; anyone else (WeChat or console) must be the committee.
      if (ctx.caller !== undefined && !(await isCommittee(ctx.caller)))
        throw new AppError('FORBIDDEN', 'only the timer or an organiser may run payouts')
      return runPayouts(ctx.now)
    },
  },
  mine: (_input, ctx) => myPayouts(ctx.openid, ctx.now),
  check: (input, ctx) => checkPayout(input, ctx.openid, ctx.now),
  reclaim: (input, ctx) => reclaimPayout(input, ctx.openid, ctx.now),
})

export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'run' } : event, context)
}
