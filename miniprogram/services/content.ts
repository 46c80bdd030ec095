// 学习与问答 (cloud function `content`, contract in core/content.ts): the library's home, an item,
// a quiz and its submission (one intent, one requestId), and the 百问百答 — list, one answer,
// search, ask and "did this help".
import {
  contractRef,
  type AskReply,
  type BlockView,
  type ContentHome,
  type ContentItemView,
  type ContentKind,
  type ContentSummary,
  type FaqDetail,
  type FaqLine,
  type FaqMatch,
  type FaqTopic,
  type QuizAnswers,
  type QuizResultView,
  type QuizSummary,
  type QuizView,
  type contentContract,
} from 'wal-core'
import { callAction, retryableAction } from './call'

const contentFn = contractRef<typeof contentContract>('content')

export type {
  AskReply,
  BlockView,
  ContentHome,
  ContentItemView,
  ContentKind,
  ContentSummary,
  FaqDetail,
  FaqLine,
  FaqMatch,
  FaqTopic,
  QuizAnswers,
  QuizResultView,
  QuizSummary,
  QuizView,
}

export function getLearnHome() {
  return callAction(contentFn, 'home', {})
}

export function getContentItem(itemId: string) {
  return callAction(contentFn, 'item', { itemId })
}

export function getQuiz(quizId: string) {
  return callAction(contentFn, 'quiz', { quizId })
}

/** One submission: sending it again (重试) replays the first result, points included. */
export function submitQuiz(quizId: string, answers: QuizAnswers) {
  return retryableAction(contentFn, 'submitQuiz', { quizId, answers })
}

export function listFaqs(topic?: FaqTopic) {
  return callAction(contentFn, 'faqs', topic ? { topic } : {})
}

export function getFaq(faqId: string) {
  return callAction(contentFn, 'faq', { faqId })
}

export function searchFaqs(query: string) {
  return callAction(contentFn, 'search', { query, limit: 8 })
}

export function askQuestion(question: string) {
  return callAction(contentFn, 'ask', { question })
}

export function sendFeedback(faqId: string, helpful: boolean) {
  return retryableAction(contentFn, 'feedback', { faqId, helpful })
}
