// Cloud function `campaign`: which survey campaign is current, for the mini-program's home page.
import { z } from 'zod'
import { action, defineFunction } from '../../../server/define-function'
import { getCurrentCampaign } from '../../../server/campaigns'
import type { FunctionContracts } from '../../../typings/functions'

type Contract = FunctionContracts['campaign']

export const main = defineFunction({
  name: 'campaign',
  actions: {
    getCurrent: action({
      auth: 'none', // shown before sign-in matters; reveals nothing per user
      input: z.object({}),
      handler: (_input, ctx): Promise<Contract['getCurrent']['output']> =>
        getCurrentCampaign(ctx.now),
    }),
  },
})
