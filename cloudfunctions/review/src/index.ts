// Cloud function `review`: the committee's review of samples (复核). Marking a counted sample
// invalid moves its counters and reverses the rewards that hung on it (server/review.ts).
import { reviewContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import { invalidateSample } from '../../../server/review'

export const main = defineFunction(reviewContract, {
  invalidateSample: (input, ctx) => invalidateSample(input, ctx.openid, ctx.now),
})
