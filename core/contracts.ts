// One contract per cloud function action: its input (validated by the function) and its output
// (checked by the function before it replies), and whether it is a mutation that takes a client
// requestId. server/define-function.ts routes a contract to typed handlers; miniprogram/services
// call an action through its type (contractRef, callAction, retryableAction), so neither side
// spells an action name or a schema of its own. docs/api.md describes every action in prose.
import { z } from 'zod'
import { currentCampaignSchema } from './campaign'
import { defineContract } from './contract-kit'
import {
  balanceSchema,
  drawHistorySchema,
  drawHubSchema,
  drawInputs,
  drawResultSchema,
  entriesPageSchema,
  grantResultSchema,
  payoutClaimSchema,
  payoutInputs,
  pendingPayoutsSchema,
  transferPreviewSchema,
  transferResultSchema,
  walletInputs,
} from './rewards'
import {
  progressSchema,
  questionnaireReplySchema,
  startReplySchema,
  submitReplySchema,
  surveyInputs,
} from './survey'
import { reviewInputs } from './volunteer'

export * from './contract-kit'

// ------------------------------------------------------------------------------- the functions

export const campaignContract = defineContract('campaign', {
  getCurrent: { input: z.object({}), output: currentCampaignSchema },
})

export const surveyContract = defineContract('survey', {
  getQuestionnaire: { input: surveyInputs.getQuestionnaire, output: questionnaireReplySchema },
  start: { input: surveyInputs.start, output: startReplySchema, mutating: true },
  submitSection: { input: surveyInputs.submitSection, output: submitReplySchema, mutating: true },
  myResponse: { input: surveyInputs.myResponse, output: progressSchema },
})

export const drawContract = defineContract('draw', {
  hub: { input: drawInputs.hub, output: drawHubSchema },
  draw: { input: drawInputs.draw, output: drawResultSchema, mutating: true },
  history: { input: drawInputs.history, output: drawHistorySchema },
})

export const walletContract = defineContract('wallet', {
  balance: { input: walletInputs.balance, output: balanceSchema },
  entries: { input: walletInputs.entries, output: entriesPageSchema },
  setNickname: { input: walletInputs.setNickname, output: balanceSchema, mutating: true },
  previewTransfer: { input: walletInputs.previewTransfer, output: transferPreviewSchema },
  transfer: { input: walletInputs.transfer, output: transferResultSchema, mutating: true },
  grantActivityReward: {
    input: walletInputs.grantActivityReward,
    output: grantResultSchema,
    mutating: true,
  },
})

/** What one payout run did (the timer's, or an organiser's by hand). */
export const payoutRunSummarySchema = z.object({
  due: z.number().int(),
  paid: z.number().int(),
  /** Waiting for their winners to confirm receipt in WeChat (new, or looked up again). */
  awaiting: z.number().int(),
  /** Bills closed unconfirmed: their winners may claim them again. */
  expired: z.number().int(),
  failed: z.number().int(),
  gaveUp: z.number().int(),
  /** Claimed by another run first, no longer due, or payouts not configured (still queued). */
  skipped: z.number().int(),
})

export const payoutContract = defineContract('payout', {
  /** The timer's run (or an organiser's): not called by the mini-program. */
  run: { input: z.object({}), output: payoutRunSummarySchema },
  mine: { input: payoutInputs.mine, output: pendingPayoutsSchema },
  // check and reclaim are safe to repeat by nature (they only move what WeChat Pay says, or an
  // expired payout once), so they take no requestId.
  check: { input: payoutInputs.check, output: payoutClaimSchema },
  reclaim: { input: payoutInputs.reclaim, output: payoutClaimSchema },
})

export const reviewContract = defineContract('review', {
  invalidateSample: {
    input: reviewInputs.invalidateSample,
    output: z.object({
      responseId: z.string(),
      /** The rewards that hung on the sample and were reversed with it. */
      reversed: z.object({ shareReward: z.boolean(), overrideNodeId: z.string().nullable() }),
    }),
    mutating: true,
  },
})
