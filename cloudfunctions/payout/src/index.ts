// Cloud function `payout`: pays queued cash prizes. Run by its timer trigger (config.json, every
// minute) with no WeChat caller; an organiser may also run it by hand.
import { z } from 'zod'
import { AppError } from '../../../server/app-error'
import { action, defineFunction } from '../../../server/define-function'
import { hasRole } from '../../../server/ledger'
import { isTimerEvent, runPayouts } from '../../../server/payout'

const routed = defineFunction({
  name: 'payout',
  actions: {
    run: action({
      auth: 'none',
      input: z.object({}),
      handler: async (_input, ctx) => {
        // The timer has no caller; a mini-program user must be an organiser.
        if (ctx.openid !== undefined && !(await hasRole(ctx.openid, 'organiser')))
          throw new AppError('FORBIDDEN', 'only the timer or an organiser may run payouts')
        return runPayouts(ctx.now)
      },
    }),
  },
})

export function main(event: unknown, context?: unknown) {
  return routed(isTimerEvent(event) ? { action: 'run' } : event, context)
}
