// 学习与问答 (cloud function `content`, contract in core/content.ts): the library's home, an item,
// a quiz and its submission (one intent, one requestId), and the 百问百答 — list, one answer,
// search, ask and "did this help".
import {
  contentContract,
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
} from 'wal-core'
import { callAction, retryableAction } from './call'

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
  return callAction(contentContract, 'home', {})
}

export function getContentItem(itemId: string) {
  return callAction(contentContract, 'item', { itemId })
}

export function getQuiz(quizId: string) {
  return callAction(contentContract, 'quiz', { quizId })
}

/** One submission: sending it again (重试) replays the first result, points included. */
export function submitQuiz(quizId: string, answers: QuizAnswers) {
  return retryableAction(contentContract, 'submitQuiz', { quizId, answers })
}

export function listFaqs(topic?: FaqTopic) {
  return callAction(contentContract, 'faqs', topic ? { topic } : {})
}

export function getFaq(faqId: string) {
  return callAction(contentContract, 'faq', { faqId })
}

export function searchFaqs(query: string) {
  return callAction(contentContract, 'search', { query, limit: 8 })
}

export function askQuestion(question: string) {
  return callAction(contentContract, 'ask', { question })
}

export function sendFeedback(faqId: string, helpful: boolean) {
  return retryableAction(contentContract, 'feedback', { faqId, helpful })
}
