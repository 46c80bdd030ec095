/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// The 学习与问答 journey of issue 20's "Done when", in real Chromium on the real pages and the
// content function: a netizen opens 学习与问答 from home, reads an article (its text shows; the
// learn home remembers it as 已读, also after the app is opened again), takes a quiz through the
// page (score, explanations, points once: one activity_reward entry `<openid>:quiz:<quizId>`, a
// retake grants nothing), asks 积分怎么换礼品 in the 百问百答 and gets the redeeming answer; then
// 我的积分 → 我的数据与隐私 shows what is held about them.
import content from '../../campaigns/demo/content.json'
import faq from '../../campaigns/demo/faq.json'
import { POINT_ACCOUNTS, POINT_ENTRIES } from '../../server/ledger'
import { cls, doc, docs, pullDown } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type Phone, type World } from './support/world'

jest.setTimeout(60_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

const NETIZEN = 'o-e2e-learner'
const ARTICLE = content.items.find((i) => i.id === 'personal-info-basics')!
const HOW_REDEEM = faq.faqs.find((f) => f.id === 'how-redeem')!
const QUIZ = content.quizzes.find((q) => q.id === 'quiz-privacy')!

/** Picks every right option of the quiz on the page, question by question, and submits. */
async function answerQuiz(phone: Phone): Promise<void> {
  for (const q of QUIZ.questions) {
    for (const id of q.answer) {
      const option = q.options.find((o) => o.id === id)!
      await phone.screen.getByText(`${id.toUpperCase()}. ${option.text}`, { exact: true }).click()
    }
  }
  await phone.screen.getByText('提交答案', { exact: true }).click()
  await phone.shows('测验不增加抽奖机会，抽奖机会只来自有效问卷')
}

async function rewardEntries() {
  return docs<{ _id: string; amount: number }>(POINT_ENTRIES, {
    openid: NETIZEN,
    kind: 'activity_reward',
  })
}

test('a netizen reads an article, takes a quiz once for points, and asks 积分怎么换礼品', async () => {
  await withScreenshots(world, 'learn', async () => {
    const phone = await openPhone(world, NETIZEN)
    await phone.on('pages/home/index', '学习与问答')
    await phone.screen.getByText('学习与问答', { exact: true }).click()
    await phone.on('pages/learn/index', '百问百答')
    await phone.shows('测验闯关')

    // An article: its text shows; 读完了 marks it read, back on the learn home.
    await phone.screen.getByText(ARTICLE.title, { exact: true }).first().click()
    await phone.on('pages/learn/article/index', '这些习惯值得养成')
    await phone.shows('快递包装上的面单先涂抹或撕下再丢弃')
    await phone.tap('读完了')
    await phone.on('pages/learn/index')
    const card = phone.screen.locator(cls('card')).filter({ hasText: ARTICLE.title }).first()
    await card.getByText('已读', { exact: true }).waitFor({ state: 'visible' })
    expect(await phone.storage('wal.learn.progress')).toMatchObject({
      [ARTICLE.id]: { state: 'done' },
    })

    // Opened again (a fresh start of the app): the progress is still there.
    await phone.page.goto(`${world.server.base}/preview/?as=${NETIZEN}&page=pages/learn/index`)
    await phone.on('pages/learn/index', '测验闯关')
    await phone.screen
      .locator(cls('card'))
      .filter({ hasText: ARTICLE.title })
      .first()
      .getByText('已读', { exact: true })
      .waitFor({ state: 'visible' })

    // The quiz, answered through the page: score, explanations, the points.
    await phone.tap(QUIZ.title)
    await phone.on('pages/learn/quiz/index', QUIZ.questions[0]!.prompt)
    await phone.shows(`首次及格奖励 ${QUIZ.rewardPoints} 积分`)
    await answerQuiz(phone)
    await phone.shows(`答对 ${QUIZ.questions.length} / ${QUIZ.questions.length} 题，得分 100`)
    await phone.shows('恭喜通过！')
    for (const q of QUIZ.questions) await phone.shows(q.explanation)
    await phone.shows(`获得 ${QUIZ.rewardPoints} 积分，已存入“我的积分”`)
    const entryId = `${NETIZEN}:quiz:${QUIZ.id}`
    expect((await rewardEntries()).map((e) => [e._id, e.amount])).toEqual([
      [entryId, QUIZ.rewardPoints],
    ])

    // A retake scores again and grants nothing more.
    await phone.tap('再做一次')
    await phone.shows('提交答案')
    await answerQuiz(phone)
    await phone.shows(`你已领取过本测验的 ${QUIZ.rewardPoints} 积分，每人只奖励一次`)
    expect((await rewardEntries()).map((e) => e._id)).toEqual([entryId])
    expect((await doc<{ balance: number }>(POINT_ACCOUNTS, NETIZEN))?.balance).toBe(
      QUIZ.rewardPoints,
    )
    await phone.tap('返回学习首页')
    await phone.on('pages/learn/index')
    // The home's onShow refreshes reading progress only, not the quizzes' best scores: a
    // pull-down brings them (coming back still shows 未做过 until then).
    await pullDown(phone)
    await phone.shows(`最好成绩 100 分 · 已获积分`)

    // 百问百答: ask in one's own words.
    await phone.screen.getByText('百问百答', { exact: true }).first().click()
    await phone.on('pages/learn/faq/index')
    await phone.screen.locator('input').first().fill('积分怎么换礼品')
    await phone.screen.getByText('提问', { exact: true }).click()
    await phone.shows('为你找到的回答')
    // The right answer (the unit table's: 积分怎么换礼品 → how-redeem), with its source.
    const answer = await phone.screen.locator(cls('answer__text')).first().innerText()
    expect(answer.trim()).toBe(HOW_REDEEM.answer)
    await phone.shows('依据以下问答整理')
    await phone.shows(HOW_REDEEM.question)
  })
})

test('我的积分 → 我的数据与隐私 shows what is held about the netizen', async () => {
  await withScreenshots(world, 'privacy', async () => {
    const phone = await openPhone(world, NETIZEN, { page: 'pages/wallet/index' })
    await phone.on('pages/wallet/index', '我的数据与隐私')
    await phone.screen.getByText('我的数据与隐私', { exact: true }).click()
    await phone.on('pages/settings/privacy/index', '积分账户')
    await phone.shows('以下是本调查为您保存的全部个人信息')
    const points = phone.screen.locator(cls('card')).filter({ hasText: '积分账户' }).first()
    const rows = await points.locator(cls('row')).allInnerTexts()
    const row = (label: string) =>
      rows
        .find((r) => r.includes(label))
        ?.replace(label, '')
        .replace(/\s+/g, '')
    expect(row('积分余额')).toBe(String(QUIZ.rewardPoints))
    expect(row('积分流水')).toBe('1笔')
    await phone.shows('删除我的个人信息')
  })
})
