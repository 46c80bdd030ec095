// 学习与问答 end to end on the seeded demo, through the real `content` function: a netizen reads an
// article, takes a quiz and asks 积分怎么换礼品 through the gateway; a quiz's points are granted
// once per person however often, and however concurrently, it is submitted; organisers add,
// edit, publish and unpublish (others are refused, bad input writes nothing); "did this help" is
// counted once per person per question; the AI option only rephrases, and never invents a number.
import { contentContract, type Quiz } from 'wal-core'
import { getDb } from '../../server/db'
import { POINT_ENTRIES } from '../../server/ledger'
import {
  CONTENT_ITEMS,
  CONTENT_META,
  FAQS,
  FAQ_FEEDBACK,
  FAQ_STATS,
  QUIZZES,
  QUIZ_ATTEMPTS,
  QUIZ_RESULTS,
} from '../../server/records/content'
import { REQUESTS_COLLECTION } from '../../server/idempotency'
import { ROLES } from '../../server/records/roles'
import { snapshot } from './reward-fixture'
import { SEEDED_AT, useSeededGateway } from './seeded-gateway'

const ORGANISER = 'o-content-organiser'

const world = useSeededGateway({ only: ['content', 'wallet'], now: () => SEEDED_AT + 3_600_000 })
beforeAll(async () => {
  await getDb()
    .collection(ROLES)
    .doc(ORGANISER)
    .set({ data: { roles: ['organiser'] } })
})
afterAll(() => {
  delete process.env.WAL_FAQ_AI
})

let seq = 0
const rid = (label: string) => `${label}-${String(++seq).padStart(6, '0')}`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string; message: string } }

async function http(fn: string, openid: string, body: object): Promise<Reply> {
  const res = await fetch(`${world.base}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Reply
}
const direct = (openid: string, event: object) =>
  world.host.invoke('content', event as Record<string, unknown>, { openid }) as Promise<Reply>

/** Every reply of the content function is what its contract promises. */
function checked(action: keyof typeof contentContract.actions, reply: Reply): Reply {
  expect(reply).toMatchObject({ ok: true })
  contentContract.actions[action].output.parse(reply.data)
  return reply
}

const ALL_RIGHT = { q1: ['b'], q2: ['b'], q3: ['a', 'b', 'c'], q4: ['a'], q5: ['b'] }
const ALL_WRONG = { q1: ['a'], q2: ['a'], q3: ['d'], q4: ['b'], q5: ['a'] }

async function balanceOf(openid: string): Promise<number> {
  const reply = (await world.host.invoke('wallet', { action: 'balance' }, { openid })) as Reply
  return reply.data.balance
}

async function quizEntries(openid: string) {
  const all = (await getDb().collection(POINT_ENTRIES).where({ openid }).limit(100).get())
    .data as Array<{ _id: string; kind: string; amount: number }>
  return all.filter((e) => e._id.includes(':quiz:'))
}

describe('the journey: 学习, an article, a quiz, and 积分怎么换礼品', () => {
  it('reads, scores, rewards once and answers, through the gateway', async () => {
    const me = 'o-learner'
    const home = checked('home', await http('content', me, { action: 'home' }))
    expect(home.data.categories.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['fraud', 'privacy', 'minors', 'shopping', 'campaign']),
    )
    expect(home.data.featured.length).toBeGreaterThan(0)
    expect(home.data.quizzes).toContainEqual(
      expect.objectContaining({
        id: 'quiz-anti-fraud',
        rewardPoints: 2,
        best: null,
        rewarded: false,
      }),
    )

    const article = checked(
      'item',
      await http('content', me, { action: 'item', itemId: 'fake-customer-service' }),
    )
    expect(article.data.item).toMatchObject({
      kind: 'article',
      title: expect.stringContaining('客服'),
    })
    const image = article.data.item.body.find((b: { type: string }) => b.type === 'image')
    // Served from cloud storage (drawn at seed time), not bundled in the mini-program.
    expect(image.src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/content\/images\//)
    const png = await fetch(image.src)
    expect(png.status).toBe(200)
    expect(await png.text()).toContain('<svg')

    const quiz = checked(
      'quiz',
      await http('content', me, { action: 'quiz', quizId: 'quiz-anti-fraud' }),
    )
    expect(JSON.stringify(quiz.data)).not.toContain('"answer"')
    const result = checked(
      'submitQuiz',
      await http('content', me, {
        action: 'submitQuiz',
        quizId: 'quiz-anti-fraud',
        answers: ALL_RIGHT,
        requestId: rid('quiz'),
      }),
    )
    expect(result.data).toMatchObject({
      score: 100,
      correct: 5,
      total: 5,
      passed: true,
      points: { granted: 2, alreadyGranted: false, rewardPoints: 2 },
    })
    expect(result.data.results[0].explanation).toContain('安全账户')
    expect(await balanceOf(me)).toBe(2)

    const asked = checked(
      'ask',
      await http('content', me, { action: 'ask', question: '积分怎么换礼品' }),
    )
    expect(asked.data.answer).toMatchObject({ composed: false })
    expect(['how-redeem', 'points-use']).toContain(asked.data.answer.sources[0])
    expect(asked.data.answer.text).toContain('积分商城')
    expect(asked.data.matches.map((m: { id: string }) => m.id)).toContain('points-use')

    const after = checked('home', await http('content', me, { action: 'home' }))
    expect(after.data.quizzes).toContainEqual(
      expect.objectContaining({ id: 'quiz-anti-fraud', best: 100, rewarded: true }),
    )
  })

  it('a video without a playable source still has its poster and transcript; a comic its panels', async () => {
    const video = checked(
      'item',
      await direct('o-v', { action: 'item', itemId: 'video-phone-fraud' }),
    )
    expect(video.data.item.video).toMatchObject({ src: null, durationSec: 180 })
    expect(video.data.item.video.poster).toMatch(/\/storage\/content\/posters\//)
    expect(video.data.item.body.length).toBeGreaterThan(0)
    const comic = checked(
      'item',
      await direct('o-v', { action: 'item', itemId: 'comic-part-time' }),
    )
    expect(comic.data.item.panels).toHaveLength(6)
    expect(
      comic.data.item.panels.every((p: { image: string }) => p.image.includes('/storage/')),
    ).toBe(true)
    const handbook = checked('item', await direct('o-v', { action: 'item', itemId: 'handbook' }))
    expect(handbook.data.item.chapterList.length).toBeGreaterThanOrEqual(6)
  })
})

describe('quiz points: once per person per quiz', () => {
  it('a retry with the same requestId replays the first result; another attempt grants nothing', async () => {
    const me = 'o-retry'
    const event = {
      action: 'submitQuiz',
      quizId: 'quiz-anti-fraud',
      answers: ALL_RIGHT,
      requestId: rid('q'),
    }
    const first = await direct(me, event)
    const again = await direct(me, event)
    expect(again).toEqual(first)
    expect(first.data.points.granted).toBe(2)
    const second = await direct(me, { ...event, requestId: rid('q') })
    expect(second.data.points).toEqual({ granted: 0, alreadyGranted: true, rewardPoints: 2 })
    expect(await quizEntries(me)).toEqual([
      expect.objectContaining({
        _id: `${me}:quiz:quiz-anti-fraud`,
        kind: 'activity_reward',
        amount: 2,
      }),
    ])
    expect(await balanceOf(me)).toBe(2)
    const mismatch = await direct(me, { ...event, answers: ALL_WRONG })
    expect(mismatch.error?.code).toBe('IDEMPOTENCY_MISMATCH')
  })

  it('a failed attempt grants nothing; the first pass after it does', async () => {
    const me = 'o-fail-first'
    const failed = await direct(me, {
      action: 'submitQuiz',
      quizId: 'quiz-anti-fraud',
      answers: ALL_WRONG,
      requestId: rid('q'),
    })
    expect(failed.data).toMatchObject({
      score: 0,
      passed: false,
      points: { granted: 0, alreadyGranted: false },
    })
    expect(failed.data.results.every((r: { correct: boolean }) => !r.correct)).toBe(true)
    const passed = await direct(me, {
      action: 'submitQuiz',
      quizId: 'quiz-anti-fraud',
      answers: ALL_RIGHT,
      requestId: rid('q'),
    })
    expect(passed.data.points.granted).toBe(2)
    const quiz = await direct(me, { action: 'quiz', quizId: 'quiz-anti-fraud' })
    expect(quiz.data).toMatchObject({ best: 100, rewarded: true })
  })

  it('twenty concurrent passing submissions (new requestIds) grant the points exactly once', async () => {
    const me = 'o-storm'
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        direct(me, {
          action: 'submitQuiz',
          quizId: 'quiz-privacy',
          answers: { q1: ['b'], q2: ['a'], q3: ['a', 'b'], q4: ['b'] },
          requestId: rid('s'),
        }),
      ),
    )
    expect(replies.every((r) => r.ok)).toBe(true)
    expect(replies.filter((r) => r.data.points.granted > 0)).toHaveLength(1)
    expect(await quizEntries(me)).toHaveLength(1)
    expect(await balanceOf(me)).toBe(2)
    const result = await getDb().collection(QUIZ_RESULTS).doc(`quiz-privacy:${me}`).get()
    expect(result.data).toMatchObject({ attempts: 20, rewardedPoints: 2, best: 100 })
  })

  it('an unanswered question is refused and nothing is written', async () => {
    const before = await snapshot([QUIZ_RESULTS, QUIZ_ATTEMPTS, POINT_ENTRIES, REQUESTS_COLLECTION])
    const reply = await direct('o-hasty', {
      action: 'submitQuiz',
      quizId: 'quiz-anti-fraud',
      answers: { q1: ['b'] },
      requestId: rid('q'),
    })
    expect(reply.error?.code).toBe('QUIZ_INCOMPLETE')
    expect(
      await snapshot([QUIZ_RESULTS, QUIZ_ATTEMPTS, POINT_ENTRIES, REQUESTS_COLLECTION]),
    ).toEqual(before)
  })
})

describe('organisers manage content', () => {
  const draft = {
    id: 'new-sms-scam',
    kind: 'article',
    category: 'fraud',
    title: '“积分清零”短信是诈骗',
    summary: '运营商积分不会让你点链接兑换',
    body: [{ type: 'p', text: '收到“积分即将清零，点击链接兑换”的短信，不要点。' }],
  }

  it('adds a draft, publishes it, edits it, unpublishes it', async () => {
    const added = await direct(ORGANISER, { action: 'saveItem', item: draft, requestId: rid('c') })
    expect(added.data).toMatchObject({ id: 'new-sms-scam', created: true, published: false })
    expect((await direct('o-reader', { action: 'item', itemId: draft.id })).error?.code).toBe(
      'NOT_FOUND',
    )

    const published = await direct(ORGANISER, {
      action: 'setPublished',
      type: 'item',
      id: draft.id,
      published: true,
      requestId: rid('c'),
    })
    expect(published.data).toMatchObject({ published: true })
    expect(published.data.version).toBeGreaterThan(added.data.version)
    const home = await direct('o-reader', { action: 'home' })
    expect(home.data.items.map((i: { id: string }) => i.id)).toContain(draft.id)

    const edited = await direct(ORGANISER, {
      action: 'saveItem',
      item: { ...draft, title: '“积分清零”短信多是诈骗' },
      requestId: rid('c'),
    })
    expect(edited.data).toMatchObject({ created: false, published: true })
    expect((await direct('o-reader', { action: 'item', itemId: draft.id })).data.item.title).toBe(
      '“积分清零”短信多是诈骗',
    )

    await direct(ORGANISER, {
      action: 'setPublished',
      type: 'item',
      id: draft.id,
      published: false,
      requestId: rid('c'),
    })
    expect((await direct('o-reader', { action: 'item', itemId: draft.id })).error?.code).toBe(
      'NOT_FOUND',
    )
    const listed = await direct(ORGANISER, { action: 'adminList', type: 'item' })
    expect(listed.data.entries).toContainEqual(
      expect.objectContaining({ id: draft.id, published: false, updatedBy: ORGANISER }),
    )
  })

  it('a new FAQ is searchable once published (the index follows the version); unpublished, it is gone', async () => {
    const faq = {
      id: 'sms-points-clear',
      topic: 'privacy',
      question: '收到运营商积分清零的短信怎么办？',
      answer: '运营商不会发短信让您点链接兑换积分，这类短信多为钓鱼诈骗，请勿点击。',
    }
    await direct(ORGANISER, { action: 'saveFaq', faq, requestId: rid('f') })
    const hidden = await direct('o-reader', { action: 'search', query: '运营商积分清零短信' })
    expect(hidden.data.matches.map((m: { id: string }) => m.id)).not.toContain(faq.id)
    await direct(ORGANISER, {
      action: 'setPublished',
      type: 'faq',
      id: faq.id,
      published: true,
      requestId: rid('f'),
    })
    const found = await direct('o-reader', { action: 'search', query: '运营商积分清零短信' })
    expect(found.data.matches[0].id).toBe(faq.id)
    await direct(ORGANISER, {
      action: 'setPublished',
      type: 'faq',
      id: faq.id,
      published: false,
      requestId: rid('f'),
    })
    const gone = await direct('o-reader', { action: 'search', query: '运营商积分清零短信' })
    expect(gone.data.matches.map((m: { id: string }) => m.id)).not.toContain(faq.id)
  })

  it('refuses everyone who is not an organiser, and bad input, writing nothing', async () => {
    const collections = [CONTENT_ITEMS, QUIZZES, FAQS, CONTENT_META, REQUESTS_COLLECTION]
    const before = await snapshot(collections)
    const forbidden = [
      { action: 'saveItem', item: { ...draft, id: 'sneaky' }, requestId: rid('x') },
      {
        action: 'setPublished',
        type: 'item',
        id: 'handbook',
        published: false,
        requestId: rid('x'),
      },
      {
        action: 'saveFaq',
        faq: { id: 'x-faq', topic: 'points', question: '问题问题', answer: '回答回答' },
        requestId: rid('x'),
      },
      { action: 'adminList', type: 'faq' },
    ]
    for (const event of forbidden)
      expect((await direct('o-netizen', event)).error?.code).toBe('FORBIDDEN')
    const bad = [
      { action: 'saveItem', item: { ...draft, body: [] }, requestId: rid('x') },
      { action: 'saveItem', item: { ...draft, kind: 'podcast' }, requestId: rid('x') },
      {
        action: 'saveItem',
        item: { ...draft, body: [{ type: 'html', text: '<script>' }] },
        requestId: rid('x'),
      },
      {
        action: 'saveQuiz',
        quiz: {
          id: 'bad-quiz',
          title: '坏测验',
          category: 'fraud',
          rewardPoints: 500,
          questions: [],
        },
        requestId: rid('x'),
      },
      {
        action: 'setPublished',
        type: 'item',
        id: 'Not An Id',
        published: true,
        requestId: rid('x'),
      },
    ]
    for (const event of bad)
      expect((await direct(ORGANISER, event)).error?.code).toBe('BAD_REQUEST')
    const missing = await direct(ORGANISER, {
      action: 'setPublished',
      type: 'quiz',
      id: 'no-such-quiz',
      published: true,
      requestId: rid('x'),
    })
    expect(missing.error?.code).toBe('NOT_FOUND')
    expect(await snapshot(collections)).toEqual(before)
  })

  it('a quiz an organiser saves is validated (answers among its options) and starts as a draft', async () => {
    const quiz: Partial<Quiz> & Record<string, unknown> = {
      id: 'quiz-new',
      title: '新测验',
      category: 'shopping',
      rewardPoints: 1,
      questions: [
        {
          id: 'q1',
          prompt: '网购应在哪里付款？',
          multiple: false,
          options: [
            { id: 'a', text: '平台内' },
            { id: 'b', text: '私下转账' },
          ],
          answer: ['c'],
          explanation: '在平台内付款有保障。',
        },
      ],
    }
    expect(
      (await direct(ORGANISER, { action: 'saveQuiz', quiz, requestId: rid('q') })).error?.code,
    ).toBe('BAD_REQUEST')
    const fixed = { ...quiz, questions: [{ ...(quiz.questions as object[])[0], answer: ['a'] }] }
    const saved = await direct(ORGANISER, { action: 'saveQuiz', quiz: fixed, requestId: rid('q') })
    expect(saved.data).toMatchObject({ created: true, published: false })
    expect((await direct('o-reader', { action: 'quiz', quizId: 'quiz-new' })).error?.code).toBe(
      'NOT_FOUND',
    )
  })
})

describe('百问百答', () => {
  it('lists by topic, shows an answer with related questions, and searches in Chinese', async () => {
    const list = checked('faqs', await direct('o-faq', { action: 'faqs' }))
    expect(list.data.faqs.length).toBeGreaterThanOrEqual(100)
    expect(list.data.topics.map((t: { id: string }) => t.id)).toEqual([
      'campaign',
      'answering',
      'channels',
      'rewards',
      'points',
      'store',
      'volunteer',
      'privacy',
    ])
    const points = checked('faqs', await direct('o-faq', { action: 'faqs', topic: 'points' }))
    expect(points.data.faqs.every((f: { topic: string }) => f.topic === 'points')).toBe(true)

    const detail = checked('faq', await direct('o-faq', { action: 'faq', faqId: 'points-use' }))
    expect(detail.data.faq.question).toBe('积分可以兑换什么？')
    expect(detail.data.related).toHaveLength(3)
    expect(detail.data.related.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['how-redeem', 'pickup-how']),
    )

    const found = checked(
      'search',
      await direct('o-faq', { action: 'search', query: '积分怎么用' }),
    )
    expect(found.data.matches.slice(0, 3).map((m: { id: string }) => m.id)).toContain('points-use')
    expect((await direct('o-faq', { action: 'faq', faqId: 'no-such-faq' })).error?.code).toBe(
      'NOT_FOUND',
    )
  })

  it('asks about the weather and claims no answer, offering the nearest questions instead', async () => {
    const reply = checked(
      'ask',
      await direct('o-faq', { action: 'ask', question: '今天天气怎么样' }),
    )
    expect(reply.data.answer).toBeNull()
  })

  it('counts "did this help" once per person per question; a change of mind moves the count', async () => {
    const vote = (openid: string, helpful: boolean, requestId = rid('v')) =>
      direct(openid, { action: 'feedback', faqId: 'pickup-days', helpful, requestId })
    const stormId = rid('v')
    const storm = await Promise.all(
      Array.from({ length: 10 }, (_, i) => vote('o-voter', true, i % 2 ? stormId : rid('v'))),
    )
    expect(storm.every((r) => r.ok)).toBe(true)
    expect(storm.at(-1)!.data).toEqual({ helpful: 1, unhelpful: 0, mine: 'helpful' })
    expect((await vote('o-voter', false)).data).toEqual({
      helpful: 0,
      unhelpful: 1,
      mine: 'unhelpful',
    })
    expect((await vote('o-other', true)).data).toEqual({
      helpful: 1,
      unhelpful: 1,
      mine: 'helpful',
    })
    const detail = await direct('o-voter', { action: 'faq', faqId: 'pickup-days' })
    expect(detail.data).toMatchObject({ helpful: 1, unhelpful: 1, mine: 'unhelpful' })
    const votes = (await getDb().collection(FAQ_FEEDBACK).where({ faqId: 'pickup-days' }).get())
      .data
    expect(votes).toHaveLength(2)
    const stats = await getDb().collection(FAQ_STATS).doc('pickup-days').get()
    expect(stats.data).toMatchObject({ helpful: 1, unhelpful: 1 })
  })
})

describe('the AI option (off by default)', () => {
  afterEach(() => {
    delete process.env.WAL_FAQ_AI
  })

  it('is off locally: the answer is the matched answer and the model is never called', async () => {
    const calls = world.local.openapi.log.composed.length
    const reply = await direct('o-ai', { action: 'ask', question: '兑换的礼品几天内要领取' })
    expect(reply.data.answer).toMatchObject({ composed: false, sources: ['pickup-days'] })
    expect(world.local.openapi.log.composed).toHaveLength(calls)
  })

  it('when on, rephrases only the matched answers and names them as sources', async () => {
    process.env.WAL_FAQ_AI = 'on'
    const reply = await direct('o-ai', { action: 'ask', question: '兑换的礼品几天内要领取' })
    expect(reply.data.answer.composed).toBe(true)
    expect(reply.data.answer.sources[0]).toBe('pickup-days')
    expect(reply.data.answer.sources).toEqual(reply.data.matches.map((m: { id: string }) => m.id))
    expect(reply.data.answer.text).toContain('7 天')
  })

  it('when the model invents a number, the matched answer is shown instead', async () => {
    process.env.WAL_FAQ_AI = 'on'
    world.local.openapi.nextComposed = '兑换后 30 天内领取即可。'
    const reply = await direct('o-ai', { action: 'ask', question: '兑换的礼品几天内要领取' })
    expect(reply.data.answer).toMatchObject({ composed: false, sources: ['pickup-days'] })
    expect(reply.data.answer.text).toContain('7 天')
  })
})
