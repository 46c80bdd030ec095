// Science content (科普内容: articles, videos, comics, the anti-fraud handbook 防诈宝典), quizzes
// (测试问答) and the 百问百答 FAQ: their schemas, how a quiz is scored and when it rewards, and the
// `content` function's contract. Pure: the search index (Intl.Segmenter) lives on the server
// (server/faq-search.ts), because the mini-program's runtime is not promised to have it.
import { z } from 'zod'
import { defineContract } from './contract-kit'
import { requestIdSchema } from './survey'

export const CONTENT_CATEGORIES = ['fraud', 'privacy', 'minors', 'shopping', 'campaign'] as const
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number]
export const CONTENT_CATEGORY_NAMES: Readonly<Record<ContentCategory, string>> = {
  fraud: '防范诈骗',
  privacy: '个人信息保护',
  minors: '未成年人保护',
  shopping: '网络购物',
  campaign: '了解调查',
}

export const CONTENT_KINDS = ['article', 'video', 'comic', 'handbook'] as const
export type ContentKind = (typeof CONTENT_KINDS)[number]
export const CONTENT_KIND_NAMES: Readonly<Record<ContentKind, string>> = {
  article: '文章',
  video: '视频',
  comic: '漫画',
  handbook: '防诈宝典',
}

export const FAQ_TOPICS = [
  'campaign',
  'answering',
  'channels',
  'rewards',
  'points',
  'store',
  'volunteer',
  'privacy',
] as const
export type FaqTopic = (typeof FAQ_TOPICS)[number]
export const FAQ_TOPIC_NAMES: Readonly<Record<FaqTopic, string>> = {
  campaign: '活动介绍',
  answering: '如何答题',
  channels: '参与渠道',
  rewards: '抽奖与奖励',
  points: '网安联积分',
  store: '积分商城与自提',
  volunteer: '志愿服务',
  privacy: '隐私与安全',
}

export const contentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'ids are lower-case letters, digits and -')

/**
 * An image or video: an https URL, a fileID (cloud://…) or a path in the environment's cloud
 * storage (content/…); never a file bundled in the mini-program (the package budget).
 */
export const mediaSchema = z
  .string()
  .max(500)
  .regex(
    /^(https:\/\/[^\s"'<>]+|cloud:\/\/[^\s"'<>]+|[a-z0-9][a-z0-9/._-]*)$/,
    'media is an https URL, a cloud:// fileID or a storage path',
  )

/**
 * The small safe markup of rich text: blocks, each rendered by the mini-program as rich-text
 * nodes it builds itself (no HTML is parsed, so nothing can inject markup). `**text**` inside
 * a paragraph, a tip or a list item is bold.
 */
const textBlocks = [
  z.object({ type: z.literal('h'), text: z.string().min(1).max(60) }),
  z.object({ type: z.literal('p'), text: z.string().min(1).max(1000) }),
  z.object({
    type: z.literal('list'),
    items: z.array(z.string().min(1).max(200)).min(1).max(20),
  }),
  /** A highlighted reminder (提醒). */
  z.object({ type: z.literal('tip'), text: z.string().min(1).max(300) }),
] as const
export const blockSchema = z.discriminatedUnion('type', [
  ...textBlocks,
  z.object({ type: z.literal('image'), src: mediaSchema, alt: z.string().min(1).max(60) }),
])
export type Block = z.infer<typeof blockSchema>
const blocks = z.array(blockSchema).max(80)

const itemBase = {
  id: contentIdSchema,
  category: z.enum(CONTENT_CATEGORIES),
  title: z.string().min(1).max(40),
  summary: z.string().max(120).default(''),
  cover: mediaSchema.nullable().default(null),
  /** Shown first on the learn home (精选). */
  featured: z.boolean().default(false),
  /** Lower first within a category. */
  order: z.number().int().min(0).max(10_000).default(100),
  /** Data files: whether it starts published. Organisers' saves ignore it (setPublished). */
  published: z.boolean().default(true),
}

export const contentItemSchema = z.discriminatedUnion('kind', [
  z.object({ ...itemBase, kind: z.literal('article'), body: blocks.min(1) }),
  z.object({
    ...itemBase,
    kind: z.literal('video'),
    /** What the video component plays; null until the committee uploads it (poster + transcript). */
    src: mediaSchema.nullable().default(null),
    poster: mediaSchema.nullable().default(null),
    durationSec: z.number().int().min(1).max(3_600).nullable().default(null),
    /** The text version: read when the video cannot play, and for those who prefer reading. */
    transcript: blocks.min(1),
  }),
  z.object({
    ...itemBase,
    kind: z.literal('comic'),
    panels: z
      .array(
        z.object({
          image: mediaSchema.nullable().default(null),
          caption: z.string().min(1).max(160),
        }),
      )
      .min(1)
      .max(20),
  }),
  z.object({
    ...itemBase,
    kind: z.literal('handbook'),
    chapters: z
      .array(
        z.object({ id: contentIdSchema, title: z.string().min(1).max(40), body: blocks.min(1) }),
      )
      .min(1)
      .max(30)
      .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'chapter ids repeat'),
  }),
])
export type ContentItem = z.infer<typeof contentItemSchema>

const optionId = z.string().regex(/^[a-f]$/, 'options are a–f')

export const quizQuestionSchema = z
  .object({
    id: z.string().regex(/^q[0-9a-z-]{0,15}$/, 'question ids start with q'),
    prompt: z.string().min(1).max(200),
    multiple: z.boolean().default(false),
    options: z
      .array(z.object({ id: optionId, text: z.string().min(1).max(100) }))
      .min(2)
      .max(6),
    answer: z.array(optionId).min(1).max(6),
    explanation: z.string().min(1).max(500),
  })
  .superRefine((q, ctx) => {
    const ids = new Set(q.options.map((o) => o.id))
    if (ids.size !== q.options.length)
      ctx.addIssue({ code: 'custom', message: `${q.id}: option ids repeat` })
    if (q.answer.some((a) => !ids.has(a)))
      ctx.addIssue({ code: 'custom', message: `${q.id}: the answer names an option it lacks` })
    if (new Set(q.answer).size !== q.answer.length)
      ctx.addIssue({ code: 'custom', message: `${q.id}: the answer repeats an option` })
    if (!q.multiple && q.answer.length !== 1)
      ctx.addIssue({ code: 'custom', message: `${q.id}: a single-choice question has one answer` })
  })
export type QuizQuestion = z.infer<typeof quizQuestionSchema>

/** Points a quiz may grant at most: a small activity reward, never a way to farm points. */
export const QUIZ_MAX_REWARD = 20

export const quizSchema = z.object({
  id: contentIdSchema,
  title: z.string().min(1).max(40),
  summary: z.string().max(120).default(''),
  category: z.enum(CONTENT_CATEGORIES),
  /** 网安联积分 granted once per person, the first time they pass; 0: none. Never draw chances. */
  rewardPoints: z.number().int().min(0).max(QUIZ_MAX_REWARD).default(0),
  /** The score (0–100) that passes. */
  passScore: z.number().int().min(0).max(100).default(60),
  order: z.number().int().min(0).max(10_000).default(100),
  published: z.boolean().default(true),
  questions: z
    .array(quizQuestionSchema)
    .min(1)
    .max(20)
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'question ids repeat'),
})
export type Quiz = z.infer<typeof quizSchema>

export const faqSchema = z.object({
  id: contentIdSchema,
  topic: z.enum(FAQ_TOPICS),
  question: z.string().min(4).max(80),
  answer: z.string().min(4).max(600),
  /** Other ways people ask it (indexed with the question, not shown). */
  keywords: z.array(z.string().min(1).max(30)).max(12).default([]),
  /** Related questions chosen by hand; the index adds the nearest others. */
  related: z.array(contentIdSchema).max(5).default([]),
  order: z.number().int().min(0).max(10_000).default(100),
  published: z.boolean().default(true),
})
export type Faq = z.infer<typeof faqSchema>

function uniqueIds(list: Array<{ id: string }>, what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>()
  for (const { id } of list) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${what} id ${id} repeats` })
    seen.add(id)
  }
}

/** campaigns/<folder>/content.json: the library's items and quizzes. */
export const contentFileSchema = z
  .object({ items: z.array(contentItemSchema).min(1), quizzes: z.array(quizSchema).default([]) })
  .superRefine((file, ctx) => {
    uniqueIds(file.items, 'item', ctx)
    uniqueIds(file.quizzes, 'quiz', ctx)
  })
export type ContentFile = z.infer<typeof contentFileSchema>

/** campaigns/<folder>/faq.json: the 百问百答. */
export const faqFileSchema = z
  .object({ faqs: z.array(faqSchema).min(1) })
  .superRefine((file, ctx) => {
    uniqueIds(file.faqs, 'faq', ctx)
    const ids = new Set(file.faqs.map((f) => f.id))
    for (const f of file.faqs)
      for (const r of f.related)
        if (!ids.has(r) || r === f.id)
          ctx.addIssue({ code: 'custom', message: `${f.id}: related ${r} is not another faq` })
  })
export type FaqFile = z.infer<typeof faqFileSchema>

// ------------------------------------------------------------------------------- quizzes

/** A person's answers: question id → the option ids they chose. */
export type QuizAnswers = Record<string, string[]>

export interface QuestionResult {
  questionId: string
  prompt: string
  chosen: string[]
  answer: string[]
  correct: boolean
  explanation: string
}

export interface QuizScore {
  correct: number
  total: number
  /** 0–100, rounded. */
  score: number
  passed: boolean
  results: QuestionResult[]
}

/**
 * Scores answers: a question is right when exactly its answer's options were chosen (order and
 * repeats do not matter); an unanswered question is wrong. Answers to unknown questions are ignored.
 */
export function scoreQuiz(quiz: Quiz, answers: QuizAnswers): QuizScore {
  const results = quiz.questions.map((q): QuestionResult => {
    const chosen = [...new Set(answers[q.id] ?? [])].sort()
    const answer = [...q.answer].sort()
    const correct = chosen.length === answer.length && chosen.every((c, i) => c === answer[i])
    return {
      questionId: q.id,
      prompt: q.prompt,
      chosen,
      answer,
      correct,
      explanation: q.explanation,
    }
  })
  const correct = results.filter((r) => r.correct).length
  const total = results.length
  const score = Math.round((100 * correct) / total)
  return { correct, total, score, passed: score >= quiz.passScore, results }
}

/** Which questions the answers leave out or answer with options the question lacks. */
export function answerProblems(quiz: Quiz, answers: QuizAnswers): string[] {
  const problems: string[] = []
  for (const q of quiz.questions) {
    const chosen = answers[q.id]
    if (!chosen || chosen.length === 0) problems.push(`${q.id}: not answered`)
    else if (chosen.some((c) => !q.options.some((o) => o.id === c)))
      problems.push(`${q.id}: no such option`)
    else if (!q.multiple && chosen.length > 1) problems.push(`${q.id}: one option only`)
  }
  return problems
}

/**
 * The points an attempt grants: the quiz's reward, the first time a person passes it, and never
 * again (the entry id `<openid>:quiz:<quizId>` holds the database to the same rule).
 */
export function quizRewardPoints(quiz: Quiz, passed: boolean, alreadyRewarded: boolean): number {
  return passed && !alreadyRewarded ? quiz.rewardPoints : 0
}

/** The deterministic id of a quiz's reward entry: one per person per quiz, ever. */
export const quizRewardEntryId = (openid: string, quizId: string) => `${openid}:quiz:${quizId}`

// ------------------------------------------------------------------------------- contract

const mediaUrl = z.string()
/** What a block becomes on its way out: images as URLs the client can load (any scheme). */
const blockView = z.discriminatedUnion('type', [
  ...textBlocks,
  z.object({ type: z.literal('image'), src: mediaUrl, alt: z.string() }),
])
export type BlockView = z.infer<typeof blockView>
const summaryView = z.object({
  id: z.string(),
  kind: z.enum(CONTENT_KINDS),
  kindName: z.string(),
  category: z.enum(CONTENT_CATEGORIES),
  categoryName: z.string(),
  title: z.string(),
  summary: z.string(),
  cover: mediaUrl.nullable(),
  featured: z.boolean(),
  /** Handbook: its chapters; others 0. */
  chapters: z.number().int(),
})
export type ContentSummary = z.infer<typeof summaryView>

const itemView = z.object({
  ...summaryView.shape,
  body: z.array(blockView),
  video: z
    .object({
      src: mediaUrl.nullable(),
      poster: mediaUrl.nullable(),
      durationSec: z.number().int().nullable(),
    })
    .nullable(),
  panels: z.array(z.object({ image: mediaUrl.nullable(), caption: z.string() })),
  chapterList: z.array(z.object({ id: z.string(), title: z.string(), body: z.array(blockView) })),
})
export type ContentItemView = z.infer<typeof itemView>

const quizSummaryView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  category: z.enum(CONTENT_CATEGORIES),
  questions: z.number().int(),
  rewardPoints: z.number().int(),
  /** The caller's best score, null before a first attempt. */
  best: z.number().int().nullable(),
  /** Whether the caller already received this quiz's points. */
  rewarded: z.boolean(),
})
export type QuizSummary = z.infer<typeof quizSummaryView>

const quizView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  rewardPoints: z.number().int(),
  passScore: z.number().int(),
  /** The questions without their answers (those come with the result). */
  questions: z.array(
    z.object({
      id: z.string(),
      prompt: z.string(),
      multiple: z.boolean(),
      options: z.array(z.object({ id: z.string(), text: z.string() })),
    }),
  ),
})
export type QuizView = z.infer<typeof quizView>

/** What a taker sees of a quiz: the questions and options, never which options are right. */
export function quizViewOf(q: Quiz): QuizView {
  return {
    id: q.id,
    title: q.title,
    summary: q.summary,
    rewardPoints: q.rewardPoints,
    passScore: q.passScore,
    questions: q.questions.map(({ id, prompt, multiple, options }) => ({
      id,
      prompt,
      multiple,
      options,
    })),
  }
}

const quizResultView = z.object({
  quizId: z.string(),
  correct: z.number().int(),
  total: z.number().int(),
  score: z.number().int(),
  passed: z.boolean(),
  passScore: z.number().int(),
  results: z.array(
    z.object({
      questionId: z.string(),
      prompt: z.string(),
      chosen: z.array(z.string()),
      answer: z.array(z.string()),
      correct: z.boolean(),
      explanation: z.string(),
      /** The options' text, so the result can say what was right without the quiz at hand. */
      options: z.array(z.object({ id: z.string(), text: z.string() })),
    }),
  ),
  points: z.object({
    /** Granted by this attempt (0 when failed, already granted or the quiz gives none). */
    granted: z.number().int(),
    /** The caller received this quiz's points before. */
    alreadyGranted: z.boolean(),
    rewardPoints: z.number().int(),
  }),
})
export type QuizResultView = z.infer<typeof quizResultView>

const faqLine = z.object({ id: z.string(), topic: z.enum(FAQ_TOPICS), question: z.string() })
export type FaqLine = z.infer<typeof faqLine>
const faqMatch = z.object({
  ...faqLine.shape,
  topicName: z.string(),
  answer: z.string(),
  /** The ranking score (BM25 over words and character pairs; higher is better). */
  score: z.number(),
})
export type FaqMatch = z.infer<typeof faqMatch>
const feedbackVote = z.enum(['helpful', 'unhelpful'])
export type FeedbackVote = z.infer<typeof feedbackVote>

const topicsView = z.array(
  z.object({ id: z.enum(FAQ_TOPICS), name: z.string(), count: z.number().int() }),
)

const savedView = z.object({
  id: z.string(),
  created: z.boolean(),
  published: z.boolean(),
  /** The library's version after the change (the FAQ index is rebuilt per version). */
  version: z.number().int(),
})

export const CONTENT_TYPES = ['item', 'quiz', 'faq'] as const
export type ContentType = (typeof CONTENT_TYPES)[number]

export const contentInputs = {
  home: z.object({}),
  item: z.object({ itemId: contentIdSchema }),
  quiz: z.object({ quizId: contentIdSchema }),
  submitQuiz: z.object({
    quizId: contentIdSchema,
    answers: z.record(z.string().regex(/^q[0-9a-z-]{0,15}$/), z.array(optionId).min(1).max(6)),
    requestId: requestIdSchema,
  }),
  faqs: z.object({ topic: z.enum(FAQ_TOPICS).optional() }),
  faq: z.object({ faqId: contentIdSchema }),
  search: z.object({
    query: z.string().trim().min(1).max(100),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  ask: z.object({ question: z.string().trim().min(1).max(200) }),
  feedback: z.object({ faqId: contentIdSchema, helpful: z.boolean(), requestId: requestIdSchema }),
  // organisers (role `organiser`)
  saveItem: z.object({ item: contentItemSchema, requestId: requestIdSchema }),
  saveQuiz: z.object({ quiz: quizSchema, requestId: requestIdSchema }),
  saveFaq: z.object({ faq: faqSchema, requestId: requestIdSchema }),
  setPublished: z.object({
    type: z.enum(CONTENT_TYPES),
    id: contentIdSchema,
    published: z.boolean(),
    requestId: requestIdSchema,
  }),
  adminList: z.object({ type: z.enum(CONTENT_TYPES) }),
}

export const contentHomeSchema = z.object({
  categories: z.array(
    z.object({ id: z.enum(CONTENT_CATEGORIES), name: z.string(), count: z.number().int() }),
  ),
  featured: z.array(summaryView),
  items: z.array(summaryView),
  quizzes: z.array(quizSummaryView),
})
export type ContentHome = z.infer<typeof contentHomeSchema>

export const askReplySchema = z.object({
  matches: z.array(faqMatch),
  /**
   * The answer shown above the matches: the best match's own answer, or (when the AI option is
   * on in production) a rephrasing of the matched answers, always with them as its sources.
   */
  answer: z
    .object({ text: z.string(), composed: z.boolean(), sources: z.array(z.string()) })
    .nullable(),
})
export type AskReply = z.infer<typeof askReplySchema>

export const faqDetailSchema = z.object({
  faq: faqMatch.omit({ score: true }),
  related: z.array(faqLine),
  helpful: z.number().int(),
  unhelpful: z.number().int(),
  mine: feedbackVote.nullable(),
})
export type FaqDetail = z.infer<typeof faqDetailSchema>

/** The `content` function's contract (core/contracts.ts explains the shape). */
export const contentContract = defineContract('content', {
  home: { input: contentInputs.home, output: contentHomeSchema },
  item: { input: contentInputs.item, output: z.object({ item: itemView }) },
  quiz: {
    input: contentInputs.quiz,
    output: z.object({
      quiz: quizView,
      best: z.number().int().nullable(),
      rewarded: z.boolean(),
    }),
  },
  submitQuiz: { input: contentInputs.submitQuiz, output: quizResultView, mutating: true },
  faqs: {
    input: contentInputs.faqs,
    output: z.object({ topics: topicsView, faqs: z.array(faqLine) }),
  },
  faq: { input: contentInputs.faq, output: faqDetailSchema },
  search: {
    input: contentInputs.search,
    output: z.object({ query: z.string(), matches: z.array(faqMatch) }),
  },
  ask: { input: contentInputs.ask, output: askReplySchema },
  feedback: {
    input: contentInputs.feedback,
    output: z.object({
      helpful: z.number().int(),
      unhelpful: z.number().int(),
      mine: feedbackVote,
    }),
    mutating: true,
  },
  saveItem: { input: contentInputs.saveItem, output: savedView, mutating: true },
  saveQuiz: { input: contentInputs.saveQuiz, output: savedView, mutating: true },
  saveFaq: { input: contentInputs.saveFaq, output: savedView, mutating: true },
  setPublished: {
    input: contentInputs.setPublished,
    output: z.object({
      type: z.enum(CONTENT_TYPES),
      id: z.string(),
      published: z.boolean(),
      version: z.number().int(),
    }),
    mutating: true,
  },
  adminList: {
    input: contentInputs.adminList,
    output: z.object({
      entries: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          published: z.boolean(),
          updatedAt: z.string(),
          updatedBy: z.string(),
        }),
      ),
      version: z.number().int(),
    }),
  },
})
