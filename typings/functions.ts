// Request/response contracts of every cloud function action, shared by the mini-program's
// services and the functions themselves (docs/api.md describes them in prose).
import type { CurrentCampaign } from '../core/campaign'

/** `wx.cloud.callFunction({ name, data: { action, ...input } })` replies Envelope<output>. */
export interface FunctionContracts {
  campaign: {
    getCurrent: { input: Record<string, never>; output: CurrentCampaign }
  }
}
