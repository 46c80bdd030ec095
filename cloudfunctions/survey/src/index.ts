// Cloud function `survey`: the questionnaire, one response per user, sections submitted once.
import { surveyContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import { getQuestionnaire, myResponse, start, submitSection } from '../../../server/survey'

export const main = defineFunction(surveyContract, {
  // Public content.
  getQuestionnaire: {
    auth: 'none',
    handler: (input, ctx) => getQuestionnaire(input.version, ctx.now),
  },
  start: (input, ctx) => start(input, ctx.openid, ctx.now),
  submitSection: (input, ctx) => submitSection(input, ctx.openid, ctx.now),
  myResponse: (_input, ctx) => myResponse(ctx.openid, ctx.now),
})
