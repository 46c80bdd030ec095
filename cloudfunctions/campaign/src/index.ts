// Cloud function `campaign`: which survey campaign is current, for the mini-program's home page.
import { campaignContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import { getCurrentCampaign } from '../../../server/campaigns'

export const main = defineFunction(campaignContract, {
  // Shown before sign-in matters; reveals nothing per user.
  getCurrent: { auth: 'none', handler: (_input, ctx) => getCurrentCampaign(ctx.now) },
})
