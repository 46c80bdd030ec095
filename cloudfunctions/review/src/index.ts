// Cloud function `review`: the committee's review of samples (复核). Marking a counted sample
// invalid moves its counters and reverses the rewards that hung on it (server/review.ts).
import { reviewInputs } from 'wal-core'
import { action, defineFunction } from '../../../server/define-function'
import { invalidateSample } from '../../../server/review'

export const main = defineFunction({
  name: 'review',
  actions: {
    invalidateSample: action({
      input: reviewInputs.invalidateSample,
      handler: (input, ctx) => invalidateSample(input, ctx.openid, ctx.now),
    }),
  },
})
