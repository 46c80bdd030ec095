// Learning use cases (学习与问答): the library's home, an item, a quiz and its scored attempt (the
// first pass may grant a few points through the ledger, once per person per quiz), the 百问百答
// list, search and ask (one index per content version, kept per instance), "did this help"
// votes, and the organisers' add, edit, publish and unpublish. Rules are core's
// (core/content.ts); ranking is server/faq-search.ts; records are server/records/content.ts.
import {
  CONTENT_CATEGORIES,
  CONTENT_CATEGORY_NAMES,
  CONTENT_KIND_NAMES,
  FAQ_TOPICS,
  FAQ_TOPIC_NAMES,
  answerProblems,
  quizRewardEntryId,
  quizRewardPoints,
  quizViewOf,
  scoreQuiz,
  type AskReply,
  type Block,
  type BlockView,
  type ContentHome,
  type ContentItem,
  type ContentItemView,
  type ContentSummary,
  type ContentType,
  type Faq,
  type FaqMatch,
  type FeedbackVote,
  type Quiz,
  type QuizAnswers,
  type QuizResultView,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb, queryDocs, readDoc } from './db'
import { buildFaqIndex, type FaqIndex } from './faq-search'
import { runOnce } from './idempotency'
import { POINT_ENTRIES, accountInTx, ensurePointAccount, postEntry } from './ledger'
import { getOpenApi } from './openapi'
import {
  CONTENT_ITEMS,
  FAQS,
  FAQ_FEEDBACK,
  FAQ_STATS,
  QUIZZES,
  QUIZ_ATTEMPTS,
  QUIZ_RESULTS,
  allDocs,
  bumpVersion,
  feedbackId,
  fromDoc,
  libraryVersion,
  quizAttemptId,
  quizResultId,
  type ContentItemDoc,
  type FaqDoc,
  type FaqFeedbackDoc,
  type FaqStatsDoc,
  type QuizDoc,
  type QuizResultDoc,
} from './records/content'
import { hasRole } from './records/roles'
import { getStorage } from './storage'

// ------------------------------------------------------------------------------- media

/**
 * A URL the client can load: https as is, a fileID as a temporary URL; a bare storage path
 * (not uploaded to this environment) as null, so the page shows its text fallback.
 */
async function mediaUrl(media: string | null): Promise<string | null> {
  if (!media) return null
  if (media.startsWith('https://')) return media
  if (!media.startsWith('cloud://')) return null
  try {
    return await getStorage().tempUrl(media)
  } catch {
    return null
  }
}

async function blocksView(blocks: Block[]): Promise<BlockView[]> {
  const out: BlockView[] = []
  for (const b of blocks) {
    if (b.type !== 'image') out.push(b)
    else {
      const src = await mediaUrl(b.src)
      // An image that cannot be shown becomes its description, never a broken picture.
      out.push(src ? { ...b, src } : { type: 'tip', text: b.alt })
    }
  }
  return out
}

async function summaryOf(item: ContentItem): Promise<ContentSummary> {
  return {
    id: item.id,
    kind: item.kind,
    kindName: CONTENT_KIND_NAMES[item.kind],
    category: item.category,
    categoryName: CONTENT_CATEGORY_NAMES[item.category],
    title: item.title,
    summary: item.summary,
    cover: await mediaUrl(item.cover),
    featured: item.featured,
    chapters: item.kind === 'handbook' ? item.chapters.length : 0,
  }
}

async function itemView(item: ContentItem): Promise<ContentItemView> {
  const summary = await summaryOf(item)
  return {
    ...summary,
    body:
      item.kind === 'article'
        ? await blocksView(item.body)
        : item.kind === 'video'
          ? await blocksView(item.transcript)
          : [],
    video:
      item.kind === 'video'
        ? {
            src: await mediaUrl(item.src),
            poster: await mediaUrl(item.poster),
            durationSec: item.durationSec,
          }
        : null,
    panels:
      item.kind === 'comic'
        ? await Promise.all(
            item.panels.map(async (p) => ({ image: await mediaUrl(p.image), caption: p.caption })),
          )
        : [],
    chapterList:
      item.kind === 'handbook'
        ? await Promise.all(
            item.chapters.map(async (c) => ({
              id: c.id,
              title: c.title,
              body: await blocksView(c.body),
            })),
          )
        : [],
  }
}

const byOrder = <T extends { order: number; id: string }>(a: T, b: T) =>
  a.order - b.order || a.id.localeCompare(b.id)

// ------------------------------------------------------------------------------- reading

async function publishedItems(): Promise<ContentItem[]> {
  const docs = await allDocs<ContentItemDoc>(CONTENT_ITEMS, true)
  return docs.map((d) => fromDoc(d) as ContentItem).sort(byOrder)
}

async function publishedQuiz(quizId: string): Promise<Quiz> {
  const doc = await readDoc<QuizDoc>(getDb().collection(QUIZZES).doc(quizId))
  if (!doc || !doc.published) throw new AppError('NOT_FOUND', '没有这个测验')
  return fromDoc(doc) as Quiz
}

export async function home(openid: string): Promise<ContentHome> {
  const [items, quizDocs, results] = await Promise.all([
    publishedItems(),
    allDocs<QuizDoc>(QUIZZES, true),
    queryDocs<QuizResultDoc>(getDb().collection(QUIZ_RESULTS).where({ openid }).limit(100)),
  ])
  const mine = new Map(results.map((r) => [r.quizId, r]))
  const summaries = await Promise.all(items.map(summaryOf))
  return {
    categories: CONTENT_CATEGORIES.map((id) => ({
      id,
      name: CONTENT_CATEGORY_NAMES[id],
      count: items.filter((i) => i.category === id).length,
    })).filter((c) => c.count > 0),
    featured: summaries.filter((s) => s.featured),
    items: summaries,
    quizzes: quizDocs
      .map((d) => fromDoc(d) as Quiz)
      .sort(byOrder)
      .map((q) => ({
        id: q.id,
        title: q.title,
        summary: q.summary,
        category: q.category,
        questions: q.questions.length,
        rewardPoints: q.rewardPoints,
        best: mine.get(q.id)?.best ?? null,
        rewarded: (mine.get(q.id)?.rewardedPoints ?? 0) > 0,
      })),
  }
}

export async function item(input: { itemId: string }) {
  const doc = await readDoc<ContentItemDoc>(getDb().collection(CONTENT_ITEMS).doc(input.itemId))
  if (!doc || !doc.published) throw new AppError('NOT_FOUND', '这篇内容不存在或已下架')
  return { item: await itemView(fromDoc(doc) as ContentItem) }
}

export async function quiz(input: { quizId: string }, openid: string) {
  const q = await publishedQuiz(input.quizId)
  const result = await readDoc<QuizResultDoc>(
    getDb().collection(QUIZ_RESULTS).doc(quizResultId(q.id, openid)),
  )
  return {
    quiz: quizViewOf(q),
    best: result?.best ?? null,
    rewarded: (result?.rewardedPoints ?? 0) > 0,
  }
}

// ------------------------------------------------------------------------------- quizzes

/**
 * Scores an attempt and records it; the first passing attempt of a quiz that rewards posts its
 * points as an `activity_reward` entry whose id (`<openid>:quiz:<quizId>`) no second attempt,
 * retry or concurrent submission can post again. Never touches draw chances.
 */
export async function submitQuiz(
  input: { quizId: string; answers: QuizAnswers; requestId: string },
  openid: string,
  now: Date,
): Promise<QuizResultView> {
  const q = await publishedQuiz(input.quizId)
  const problems = answerProblems(q, input.answers)
  if (problems.length > 0)
    throw new AppError('QUIZ_INCOMPLETE', '还有题目没有作答，请答完再提交', { problems })
  const scored = scoreQuiz(q, input.answers)
  // The account exists before the transaction, so two first passes at once both update it and
  // one of them conflicts, re-runs, and finds the reward already posted.
  if (q.rewardPoints > 0) await ensurePointAccount(openid, now)
  return runOnce({ requestId: input.requestId, scope: 'content.submitQuiz', input }, async (tx) => {
    const resultRef = tx.collection(QUIZ_RESULTS).doc(quizResultId(q.id, openid))
    const before = await readDoc<QuizResultDoc>(resultRef)
    const entryId = quizRewardEntryId(openid, q.id)
    const posted = await readDoc(tx.collection(POINT_ENTRIES).doc(entryId))
    const already = (before?.rewardedPoints ?? 0) > 0 || posted !== null
    const granted = quizRewardPoints(q, scored.passed, already)
    if (granted > 0) {
      const account = await accountInTx(tx, openid, now)
      await postEntry(tx, account, {
        id: entryId,
        kind: 'activity_reward',
        amount: granted,
        ref: `quiz:${q.id}`,
        requestId: input.requestId,
        memo: `科普测验：${q.title}`,
        now,
      })
    }
    const result: Omit<QuizResultDoc, '_id'> = {
      openid,
      quizId: q.id,
      attempts: (before?.attempts ?? 0) + 1,
      best: Math.max(before?.best ?? 0, scored.score),
      lastScore: scored.score,
      rewardedPoints: (before?.rewardedPoints ?? 0) + granted,
      updatedAt: now,
    }
    await resultRef.set({ data: result })
    await tx.collection(QUIZ_ATTEMPTS).add({
      data: {
        _id: quizAttemptId(q.id, openid, input.requestId),
        openid,
        quizId: q.id,
        answers: input.answers,
        score: scored.score,
        correct: scored.correct,
        total: scored.total,
        passed: scored.passed,
        pointsGranted: granted,
        createdAt: now,
      },
    })
    return {
      quizId: q.id,
      correct: scored.correct,
      total: scored.total,
      score: scored.score,
      passed: scored.passed,
      passScore: q.passScore,
      results: scored.results.map((r) => ({
        ...r,
        options: q.questions.find((x) => x.id === r.questionId)!.options,
      })),
      points: { granted, alreadyGranted: already, rewardPoints: q.rewardPoints },
    }
  })
}

// ------------------------------------------------------------------------------- 百问百答

interface FaqLibrary {
  version: number
  faqs: Faq[]
  byId: Map<string, Faq>
  index: FaqIndex
}

/** The index of this instance, rebuilt when the library's version moved on. */
let cached: FaqLibrary | null = null
let building: Promise<FaqLibrary> | null = null

async function faqLibrary(): Promise<FaqLibrary> {
  const version = await libraryVersion()
  if (cached && cached.version === version) return cached
  if (!building)
    building = (async () => {
      const docs = await allDocs<FaqDoc>(FAQS, true)
      const topicRank = (f: Faq) => FAQ_TOPICS.indexOf(f.topic)
      const faqs = docs
        .map((d) => fromDoc(d) as Faq)
        .sort((a, b) => topicRank(a) - topicRank(b) || byOrder(a, b))
      return {
        version,
        faqs,
        byId: new Map(faqs.map((f) => [f.id, f])),
        index: buildFaqIndex(faqs, version),
      }
    })().finally(() => {
      building = null
    })
  const built = await building
  // A build for an older version that finished late never replaces a newer one.
  if (!cached || built.version >= cached.version) cached = built
  return built
}

const line = (f: Faq) => ({ id: f.id, topic: f.topic, question: f.question })
const match = (f: Faq, score: number): FaqMatch => ({
  ...line(f),
  topicName: FAQ_TOPIC_NAMES[f.topic],
  answer: f.answer,
  score: Math.round(score * 1000) / 1000,
})

export async function faqs(input: { topic?: Faq['topic'] | undefined }) {
  const lib = await faqLibrary()
  return {
    topics: FAQ_TOPICS.map((id) => ({
      id,
      name: FAQ_TOPIC_NAMES[id],
      count: lib.faqs.filter((f) => f.topic === id).length,
    })).filter((t) => t.count > 0),
    faqs: lib.faqs.filter((f) => !input.topic || f.topic === input.topic).map(line),
  }
}

export async function faq(input: { faqId: string }, openid: string) {
  const lib = await faqLibrary()
  const f = lib.byId.get(input.faqId)
  if (!f) throw new AppError('NOT_FOUND', '这个问题不存在或已下架')
  const [stats, mine] = await Promise.all([
    readDoc<FaqStatsDoc>(getDb().collection(FAQ_STATS).doc(f.id)),
    readDoc<FaqFeedbackDoc>(getDb().collection(FAQ_FEEDBACK).doc(feedbackId(f.id, openid))),
  ])
  const { score: _score, ...shown } = match(f, 0)
  return {
    faq: shown,
    related: lib.index.related(f.id, 3).map(line),
    helpful: stats?.helpful ?? 0,
    unhelpful: stats?.unhelpful ?? 0,
    mine: mine?.vote ?? null,
  }
}

export async function search(input: { query: string; limit: number }) {
  const lib = await faqLibrary()
  return {
    query: input.query,
    matches: lib.index.search(input.query, input.limit).map((m) => match(m.faq, m.score)),
  }
}

/**
 * When the best match is given as the answer: it scores at least ASK_MIN_SCORE and holds at least
 * ASK_MIN_COVERAGE of the question's words (weighted by rarity). Below either, the matches are
 * offered as "maybe you mean" and no answer is claimed (docs/operations.md, "FAQ search").
 */
const ASK_MIN_SCORE = 2
const ASK_MIN_COVERAGE = 0.6

/** Whether the composed answer is off by default: on only with WAL_FAQ_AI=on (production). */
const faqAiEnabled = () => process.env.WAL_FAQ_AI === 'on'

/**
 * A composed text is kept only if it invents no number: every run of digits in it appears in
 * the matched answers (points, days, chances and percentages are where a rephrasing could
 * change a rule).
 */
export function groundedIn(text: string, sources: readonly string[]): boolean {
  const known = new Set(sources.flatMap((s) => s.match(/\d+(?:\.\d+)?/g) ?? []))
  return (text.match(/\d+(?:\.\d+)?/g) ?? []).every((n) => known.has(n))
}

export async function ask(input: { question: string }): Promise<AskReply> {
  const lib = await faqLibrary()
  const found = lib.index.search(input.question, 3)
  const matches = found.map((m) => match(m.faq, m.score))
  const best = found[0]
  if (!best || best.score < ASK_MIN_SCORE || best.coverage < ASK_MIN_COVERAGE)
    return { matches, answer: null }
  const retrieval = { text: best.faq.answer, composed: false, sources: [best.faq.id] }
  if (!faqAiEnabled()) return { matches, answer: retrieval }
  try {
    const sources = found.map((m) => ({
      id: m.faq.id,
      question: m.faq.question,
      answer: m.faq.answer,
    }))
    const { text } = await getOpenApi().composeAnswer({ question: input.question, sources })
    const trimmed = text.trim()
    if (
      trimmed &&
      trimmed.length <= 600 &&
      groundedIn(
        trimmed,
        sources.map((s) => s.answer),
      )
    )
      return {
        matches,
        answer: { text: trimmed, composed: true, sources: sources.map((s) => s.id) },
      }
  } catch (err) {
    console.warn('[content.ask] composing failed; answering with the match', err)
  }
  return { matches, answer: retrieval }
}

/** One vote per person per question: the same vote again changes nothing, a change moves one. */
export async function feedback(
  input: { faqId: string; helpful: boolean; requestId: string },
  openid: string,
  now: Date,
) {
  const lib = await faqLibrary()
  if (!lib.byId.has(input.faqId)) throw new AppError('NOT_FOUND', '这个问题不存在或已下架')
  const vote: FeedbackVote = input.helpful ? 'helpful' : 'unhelpful'
  return runOnce({ requestId: input.requestId, scope: 'content.feedback', input }, async (tx) => {
    const voteRef = tx.collection(FAQ_FEEDBACK).doc(feedbackId(input.faqId, openid))
    const statsRef = tx.collection(FAQ_STATS).doc(input.faqId)
    const [before, stats] = await Promise.all([
      readDoc<FaqFeedbackDoc>(voteRef),
      readDoc<FaqStatsDoc>(statsRef),
    ])
    const counts = { helpful: stats?.helpful ?? 0, unhelpful: stats?.unhelpful ?? 0 }
    if (before?.vote !== vote) {
      if (before) counts[before.vote] -= 1
      counts[vote] += 1
      await voteRef.set({ data: { faqId: input.faqId, openid, vote, updatedAt: now } })
      await statsRef.set({ data: counts })
    }
    return { ...counts, mine: vote }
  })
}

// ------------------------------------------------------------------------------- organisers

const COLLECTION_OF: Readonly<Record<ContentType, string>> = {
  item: CONTENT_ITEMS,
  quiz: QUIZZES,
  faq: FAQS,
}

async function requireOrganiser(openid: string): Promise<void> {
  if (!(await hasRole(openid, 'organiser')))
    throw new AppError('FORBIDDEN', '只有组委会的组织者可以管理学习内容')
}

/**
 * Adds or edits one document. A new one is a draft (publish it with setPublished); an edit keeps
 * whether it was published. The `published` of the input is not used.
 */
async function save(
  type: ContentType,
  doc: { id: string; published: boolean },
  requestId: string,
  openid: string,
  now: Date,
) {
  await requireOrganiser(openid)
  const scope = `content.save.${type}`
  return runOnce({ requestId, scope, input: doc }, async (tx) => {
    const ref = tx.collection(COLLECTION_OF[type]).doc(doc.id)
    const before = await readDoc<{ published: boolean; createdAt: Date }>(ref)
    const { id: _id, published: _published, ...rest } = doc
    const published = before?.published ?? false
    await ref.set({
      data: {
        ...rest,
        published,
        createdAt: before?.createdAt ?? now,
        updatedAt: now,
        updatedBy: openid,
      },
    })
    const version = await bumpVersion(tx, now)
    return { id: doc.id, created: before === null, published, version }
  })
}

export const saveItem = (
  input: { item: ContentItem; requestId: string },
  openid: string,
  now: Date,
) => save('item', input.item, input.requestId, openid, now)

export const saveQuiz = (input: { quiz: Quiz; requestId: string }, openid: string, now: Date) =>
  save('quiz', input.quiz, input.requestId, openid, now)

export const saveFaq = (input: { faq: Faq; requestId: string }, openid: string, now: Date) =>
  save('faq', input.faq, input.requestId, openid, now)

export async function setPublished(
  input: { type: ContentType; id: string; published: boolean; requestId: string },
  openid: string,
  now: Date,
) {
  await requireOrganiser(openid)
  return runOnce(
    { requestId: input.requestId, scope: 'content.setPublished', input },
    async (tx) => {
      const ref = tx.collection(COLLECTION_OF[input.type]).doc(input.id)
      if (!(await readDoc(ref))) throw new AppError('NOT_FOUND', '没有这条内容')
      await ref.update({ data: { published: input.published, updatedAt: now, updatedBy: openid } })
      const version = await bumpVersion(tx, now)
      return { type: input.type, id: input.id, published: input.published, version }
    },
  )
}

/** Everything of one type, drafts included, for the organisers' console. */
export async function adminList(input: { type: ContentType }, openid: string) {
  await requireOrganiser(openid)
  const docs = await allDocs<
    { _id: string; published: boolean; updatedAt: Date; updatedBy: string } & (
      { title: string } | { question: string }
    )
  >(COLLECTION_OF[input.type], false)
  return {
    entries: docs
      .map((d) => ({
        id: d._id,
        title: 'title' in d ? d.title : d.question,
        published: d.published,
        updatedAt: new Date(d.updatedAt).toISOString(),
        updatedBy: d.updatedBy,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    version: await libraryVersion(),
  }
}
