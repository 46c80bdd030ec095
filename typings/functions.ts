// Request/response contracts of every cloud function action, shared by the mini-program's
// services and the functions themselves (docs/api.md describes them in prose). Inputs and
// outputs are the zod schemas of core/, so this map cannot drift from what is validated.
import type { z } from 'zod'
import type { CurrentCampaign } from '../core/campaign'
import type {
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
} from '../core/rewards'
import type {
  progressSchema,
  questionnaireReplySchema,
  startReplySchema,
  submitReplySchema,
  surveyInputs,
} from '../core/survey'

type In<S extends z.ZodType> = z.input<S>
type Out<S extends z.ZodType> = z.output<S>

/** `wx.cloud.callFunction({ name, data: { action, ...input } })` replies Envelope<output>. */
export interface FunctionContracts {
  campaign: {
    getCurrent: { input: Record<string, never>; output: CurrentCampaign }
  }
  survey: {
    getQuestionnaire: {
      input: In<typeof surveyInputs.getQuestionnaire>
      output: Out<typeof questionnaireReplySchema>
    }
    start: { input: In<typeof surveyInputs.start>; output: Out<typeof startReplySchema> }
    submitSection: {
      input: In<typeof surveyInputs.submitSection>
      output: Out<typeof submitReplySchema>
    }
    myResponse: { input: In<typeof surveyInputs.myResponse>; output: Out<typeof progressSchema> }
  }
  draw: {
    hub: { input: In<typeof drawInputs.hub>; output: Out<typeof drawHubSchema> }
    draw: { input: In<typeof drawInputs.draw>; output: Out<typeof drawResultSchema> }
    history: { input: In<typeof drawInputs.history>; output: Out<typeof drawHistorySchema> }
  }
  wallet: {
    balance: { input: In<typeof walletInputs.balance>; output: Out<typeof balanceSchema> }
    entries: { input: In<typeof walletInputs.entries>; output: Out<typeof entriesPageSchema> }
    setNickname: { input: In<typeof walletInputs.setNickname>; output: Out<typeof balanceSchema> }
    previewTransfer: {
      input: In<typeof walletInputs.previewTransfer>
      output: Out<typeof transferPreviewSchema>
    }
    transfer: { input: In<typeof walletInputs.transfer>; output: Out<typeof transferResultSchema> }
    grantActivityReward: {
      input: In<typeof walletInputs.grantActivityReward>
      output: Out<typeof grantResultSchema>
    }
  }
  payout: {
    mine: { input: In<typeof payoutInputs.mine>; output: Out<typeof pendingPayoutsSchema> }
    check: { input: In<typeof payoutInputs.check>; output: Out<typeof payoutClaimSchema> }
    reclaim: { input: In<typeof payoutInputs.reclaim>; output: Out<typeof payoutClaimSchema> }
  }
}
