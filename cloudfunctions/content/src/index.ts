// Cloud function `content` (学习与问答): the learning library (articles, videos, comics, the
// anti-fraud handbook), quizzes whose first pass may grant a few points once, the 百问百答 with
// search, ask and "did this help", and the organisers' add, edit, publish and unpublish.
import { contentContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import * as c from '../../../server/content'

export const main = defineFunction(contentContract, {
  home: (_input, ctx) => c.home(ctx.openid),
  item: (input) => c.item(input),
  quiz: (input, ctx) => c.quiz(input, ctx.openid),
  submitQuiz: (input, ctx) => c.submitQuiz(input, ctx.openid, ctx.now),
  faqs: (input) => c.faqs(input),
  faq: (input, ctx) => c.faq(input, ctx.openid),
  search: (input) => c.search(input),
  ask: (input) => c.ask(input),
  feedback: (input, ctx) => c.feedback(input, ctx.openid, ctx.now),
  saveItem: (input, ctx) => c.saveItem(input, ctx.openid, ctx.now),
  saveQuiz: (input, ctx) => c.saveQuiz(input, ctx.openid, ctx.now),
  saveFaq: (input, ctx) => c.saveFaq(input, ctx.openid, ctx.now),
  setPublished: (input, ctx) => c.setPublished(input, ctx.openid, ctx.now),
  adminList: (input, ctx) => c.adminList(input, ctx.openid),
})
