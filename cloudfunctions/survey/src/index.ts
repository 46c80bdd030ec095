// Cloud function `survey`: the questionnaire, one response per user, sections submitted once.
import { surveyInputs } from 'wal-core'
import { action, defineFunction } from '../../../server/define-function'
import { getQuestionnaire, myResponse, start, submitSection } from '../../../server/survey'

export const main = defineFunction({
  name: 'survey',
  actions: {
    getQuestionnaire: action({
      auth: 'none', // public content
      input: surveyInputs.getQuestionnaire,
      handler: (input, ctx) => getQuestionnaire(input.version, ctx.now),
    }),
    start: action({
      input: surveyInputs.start,
      handler: (input, ctx) => start(input, ctx.openid, ctx.now),
    }),
    submitSection: action({
      input: surveyInputs.submitSection,
      handler: (input, ctx) => submitSection(input, ctx.openid, ctx.now),
    }),
    myResponse: action({
      input: surveyInputs.myResponse,
      handler: (_input, ctx) => myResponse(ctx.openid, ctx.now),
    }),
  },
})
