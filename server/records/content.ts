// Records of the learning library: science content (`contentItems`), quizzes (`quizzes`) with each
// person's attempts (`quizAttempts`) and standing (`quizResults`), the 百问百答 (`faqs`) with its
// "did this help" votes (`faqFeedback`, one per person per question) and counts (`faqStats`),
// and the library's version (`contentMeta`), which every organiser change raises.
import type { ContentItem, Faq, FeedbackVote, Quiz } from 'wal-core'
import { getDb, queryDocs, readDoc, type Transaction } from '../db'

export const CONTENT_ITEMS = 'contentItems'
export const QUIZZES = 'quizzes'
export const QUIZ_ATTEMPTS = 'quizAttempts'
export const QUIZ_RESULTS = 'quizResults'
export const FAQS = 'faqs'
export const FAQ_FEEDBACK = 'faqFeedback'
export const FAQ_STATS = 'faqStats'
export const CONTENT_META = 'contentMeta'
/** The one `contentMeta` document: `{ version, updatedAt }`. */
export const LIBRARY_ID = 'library'

type Db = Transaction | ReturnType<typeof getDb>

/** Who last wrote a document: an organiser's openid, or `seed` (a re-seed leaves others alone). */
interface Stamped {
  _id: string
  published: boolean
  createdAt: Date
  updatedAt: Date
  updatedBy: string
}
export type ContentItemDoc = Omit<ContentItem, 'id'> & Stamped
export type QuizDoc = Omit<Quiz, 'id'> & Stamped
export type FaqDoc = Omit<Faq, 'id'> & Stamped

export const fromDoc = <T extends { _id: string }>(doc: T) => {
  const { _id, createdAt: _c, updatedAt: _u, updatedBy: _b, ...rest } = doc as T & Stamped
  return { id: _id, ...rest }
}

export interface QuizResultDoc {
  _id: string
  openid: string
  quizId: string
  attempts: number
  best: number
  lastScore: number
  /** Points this quiz granted the person (0 until they first pass a quiz that rewards). */
  rewardedPoints: number
  updatedAt: Date
}
export const quizResultId = (quizId: string, openid: string) => `${quizId}:${openid}`
export const quizAttemptId = (quizId: string, openid: string, requestId: string) =>
  `${quizId}:${openid}:${requestId}`

export interface FaqFeedbackDoc {
  _id: string
  faqId: string
  openid: string
  vote: FeedbackVote
  updatedAt: Date
}
export const feedbackId = (faqId: string, openid: string) => `${faqId}:${openid}`

export interface FaqStatsDoc {
  _id: string
  helpful: number
  unhelpful: number
}

/** The library's version (0 before anything was stored). */
export async function libraryVersion(db: Db = getDb()): Promise<number> {
  const meta = await readDoc<{ version: number }>(db.collection(CONTENT_META).doc(LIBRARY_ID))
  return meta?.version ?? 0
}

/** Raises the library's version inside `tx` (every change to what is published goes through here). */
export async function bumpVersion(tx: Transaction, now: Date): Promise<number> {
  const version = (await libraryVersion(tx)) + 1
  await tx
    .collection(CONTENT_META)
    .doc(LIBRARY_ID)
    .set({ data: { version, updatedAt: now } })
  return version
}

/** Every document of a library collection, published or not (tens to hundreds). */
export function allDocs<T>(collection: string, onlyPublished: boolean): Promise<T[]> {
  const coll = getDb().collection(collection)
  return queryDocs<T>((onlyPublished ? coll.where({ published: true }) : coll).limit(1000))
}
