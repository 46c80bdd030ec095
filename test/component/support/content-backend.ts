// A fake backend behind wx.request for the `content` function: the demo library of
// campaigns/demo/content.json and faq.json, quizzes scored by core's rules with their points
// given once, the real search index (server/faq-search.ts) and votes. Every reply is parsed with
// the contract's output schema (contentContract), so the fake cannot drift from what the real
// function promises. A repeated requestId gets the first reply.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  CONTENT_CATEGORIES,
  CONTENT_CATEGORY_NAMES,
  CONTENT_KIND_NAMES,
  FAQ_TOPICS,
  FAQ_TOPIC_NAMES,
  answerProblems,
  contentContract,
  contentFileSchema,
  faqFileSchema,
  ok,
  quizRewardPoints,
  quizViewOf,
  scoreQuiz,
  type Block,
  type ContentItem,
  type Envelope,
  type Faq,
  type QuizAnswers,
} from 'wal-core'
import { buildFaqIndex } from '../../../server/faq-search'
import { ContractBackend, failWith } from './fake-backend'

const demo = (name: string) =>
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../campaigns/demo', name), 'utf8'))
export const demoContent = contentFileSchema.parse(demo('content.json'))
export const demoFaq = faqFileSchema.parse(demo('faq.json'))

/** Where the fake says an uploaded file is (nothing loads it in a component test). */
const url = (media: string | null) =>
  media === null ? null : media.startsWith('https://') ? media : `https://fake.storage/${media}`

const blocks = (bs: Block[]) => bs.map((b) => (b.type === 'image' ? { ...b, src: url(b.src)! } : b))

export class ContentBackend extends ContractBackend<typeof contentContract> {
  protected readonly contract = contentContract
  items: ContentItem[] = demoContent.items
  quizzes = demoContent.quizzes
  faqs: Faq[] = demoFaq.faqs
  /** The caller's best score and whether they were rewarded, by quiz. */
  results = new Map<string, { best: number; rewarded: boolean }>()
  /** Points the quizzes granted the caller. */
  points = 0
  votes = new Map<string, 'helpful' | 'unhelpful'>()
  /** Set to make the video playable. */
  videoSrc: string | null = null
  private index = buildFaqIndex(this.faqs, 1)

  private summary(item: ContentItem) {
    return {
      id: item.id,
      kind: item.kind,
      kindName: CONTENT_KIND_NAMES[item.kind],
      category: item.category,
      categoryName: CONTENT_CATEGORY_NAMES[item.category],
      title: item.title,
      summary: item.summary,
      cover: url(item.cover),
      featured: item.featured,
      chapters: item.kind === 'handbook' ? item.chapters.length : 0,
    }
  }

  private view(item: ContentItem) {
    return {
      ...this.summary(item),
      body:
        item.kind === 'article'
          ? blocks(item.body)
          : item.kind === 'video'
            ? blocks(item.transcript)
            : [],
      video:
        item.kind === 'video'
          ? { src: this.videoSrc, poster: url(item.poster), durationSec: item.durationSec }
          : null,
      panels:
        item.kind === 'comic'
          ? item.panels.map((p) => ({ image: url(p.image), caption: p.caption }))
          : [],
      chapterList:
        item.kind === 'handbook'
          ? item.chapters.map((c) => ({ id: c.id, title: c.title, body: blocks(c.body) }))
          : [],
    }
  }

  private match(f: Faq, score: number) {
    return {
      id: f.id,
      topic: f.topic,
      question: f.question,
      topicName: FAQ_TOPIC_NAMES[f.topic],
      answer: f.answer,
      score,
    }
  }

  protected handle(e: Record<string, unknown>): Envelope<unknown> {
    switch (e.action) {
      case 'home': {
        const items = [...this.items].sort((a, b) => a.order - b.order)
        return ok({
          categories: CONTENT_CATEGORIES.map((id) => ({
            id,
            name: CONTENT_CATEGORY_NAMES[id],
            count: items.filter((i) => i.category === id).length,
          })).filter((c) => c.count > 0),
          featured: items.filter((i) => i.featured).map((i) => this.summary(i)),
          items: items.map((i) => this.summary(i)),
          quizzes: this.quizzes.map((q) => ({
            id: q.id,
            title: q.title,
            summary: q.summary,
            category: q.category,
            questions: q.questions.length,
            rewardPoints: q.rewardPoints,
            best: this.results.get(q.id)?.best ?? null,
            rewarded: this.results.get(q.id)?.rewarded ?? false,
          })),
        })
      }
      case 'item': {
        const item = this.items.find((i) => i.id === e.itemId)
        return item
          ? ok({ item: this.view(item) })
          : failWith('NOT_FOUND', '这篇内容不存在或已下架')
      }
      case 'quiz': {
        const q = this.quizzes.find((x) => x.id === e.quizId)
        if (!q) return failWith('NOT_FOUND', '没有这个测验')
        return ok({
          quiz: quizViewOf(q),
          best: this.results.get(q.id)?.best ?? null,
          rewarded: this.results.get(q.id)?.rewarded ?? false,
        })
      }
      case 'submitQuiz': {
        const q = this.quizzes.find((x) => x.id === e.quizId)!
        const answers = e.answers as QuizAnswers
        if (answerProblems(q, answers).length > 0)
          return failWith('QUIZ_INCOMPLETE', '还有题目没有作答，请答完再提交')
        const s = scoreQuiz(q, answers)
        const before = this.results.get(q.id)
        const already = before?.rewarded ?? false
        const granted = quizRewardPoints(q, s.passed, already)
        this.points += granted
        this.results.set(q.id, {
          best: Math.max(before?.best ?? 0, s.score),
          rewarded: already || granted > 0,
        })
        return ok({
          quizId: q.id,
          correct: s.correct,
          total: s.total,
          score: s.score,
          passed: s.passed,
          passScore: q.passScore,
          results: s.results.map((r) => ({
            ...r,
            options: q.questions.find((x) => x.id === r.questionId)!.options,
          })),
          points: { granted, alreadyGranted: already, rewardPoints: q.rewardPoints },
        })
      }
      case 'faqs':
        return ok({
          topics: FAQ_TOPICS.map((id) => ({
            id,
            name: FAQ_TOPIC_NAMES[id],
            count: this.faqs.filter((f) => f.topic === id).length,
          })).filter((t) => t.count > 0),
          faqs: this.faqs
            .filter((f) => !e.topic || f.topic === e.topic)
            .map((f) => ({ id: f.id, topic: f.topic, question: f.question })),
        })
      case 'faq': {
        const f = this.faqs.find((x) => x.id === e.faqId)
        if (!f) return failWith('NOT_FOUND', '这个问题不存在或已下架')
        const { score: _score, ...faq } = this.match(f, 0)
        const mine = this.votes.get(f.id) ?? null
        return ok({
          faq,
          related: this.index
            .related(f.id, 3)
            .map((r) => ({ id: r.id, topic: r.topic, question: r.question })),
          helpful: mine === 'helpful' ? 1 : 0,
          unhelpful: mine === 'unhelpful' ? 1 : 0,
          mine,
        })
      }
      case 'search':
        return ok({
          query: e.query,
          matches: this.index.search(e.query as string, 8).map((m) => this.match(m.faq, m.score)),
        })
      case 'ask': {
        const found = this.index.search(e.question as string, 3)
        const best = found[0]
        const good = best && best.score >= 2 && best.coverage >= 0.6
        return ok({
          matches: found.map((m) => this.match(m.faq, m.score)),
          answer: good ? { text: best.faq.answer, composed: false, sources: [best.faq.id] } : null,
        })
      }
      case 'feedback': {
        const vote = e.helpful ? 'helpful' : 'unhelpful'
        this.votes.set(e.faqId as string, vote)
        return ok({
          helpful: vote === 'helpful' ? 1 : 0,
          unhelpful: vote === 'unhelpful' ? 1 : 0,
          mine: vote,
        })
      }
      default:
        return failWith('UNKNOWN_ACTION', String(e.action))
    }
  }
}
