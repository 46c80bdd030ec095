/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// Journeys through the survey in real Chromium, on the real pages and functions: the public
// version from consent to two topics with a draft resumed after a reload; a speeder; the
// already-answered and campaign-closed states.
import { publicMainAnswers, ruleOfLawAnswers } from '../component/support/answers'
import { openPhone, openWorld, withScreenshots, type World } from './support/world'

jest.setTimeout(120_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

const MINUTE = 60_000

/** The storage key of a section's draft (miniprogram/utils/survey-store.ts). */
const draftKeys = async (phone: Awaited<ReturnType<typeof openPhone>>) =>
  phone.page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('wal.survey.draft')))

async function progress(openid: string) {
  const reply = await world.call('survey', { action: 'myResponse' }, openid)
  expect(reply.ok).toBe(true)
  return reply.data
}

test('answers the public version: consent, the main part resumed from a draft after a reload, two topics', async () => {
  await withScreenshots(world, 'public-version', async () => {
    const phone = await openPhone(world, 'respondent')
    await phone.on('pages/home/index', '公共网民版')
    await phone.tap('公共网民版')
    await phone.on('pages/survey/consent/index', '个人信息收集与使用说明')
    await phone.tap('我已阅读并同意')
    await phone.tap('同意并开始答题')
    await phone.on('pages/survey/section/index', '第 1/10 部分')

    // Two answers by hand: they are kept as a draft on the phone.
    await phone.tap('女')
    await phone.tap('25–34岁')
    await phone.page.waitForFunction(() =>
      Object.keys(localStorage).some((k) => k.includes('wal.survey.draft')),
    )
    const [key] = await draftKeys(phone)
    expect(
      await phone.page.evaluate((k) => JSON.parse(localStorage.getItem(k!)!), key),
    ).toMatchObject({
      m_gender: 'female',
      m_age: 'age_25_34',
    })
    // The rest of the main part as if answered before the phone was closed.
    await phone.page.evaluate(([k, answers]) => localStorage.setItem(k!, JSON.stringify(answers)), [
      key,
      publicMainAnswers,
    ] as const)
    await phone.page.reload()
    await phone.on('pages/home/index', '继续答题')
    await phone.tap('继续答题')
    await phone.on('pages/survey/section/index', '已恢复您上次未提交的答案')

    world.advance(10 * MINUTE) // a person takes minutes; the server screens speeders
    await phone.tap('提交本部分')
    await phone.on('pages/survey/done/index', '提交成功')
    await phone.shows(/本部分获得 \d+ 次抽奖机会/)

    // First topic: 网络法治, resumed from a draft likewise; second topic answered by hand.
    const afterMain = await progress('o-demo-respondent')
    expect(afterMain).toMatchObject({ version: 'public' })
    expect(JSON.stringify(afterMain)).toContain('"main"')

    await phone.shows('网络法治')
    await phone.tap('继续答下一个专题')
    await phone.on('pages/survey/section/index', '网络法治')
    const topicKey = (await draftKeys(phone)).find((k) => !k.endsWith('.main'))
    const topicDraftKey =
      topicKey ??
      (key as string).replace(
        /\.main$/,
        `.${await phone.page.evaluate(() => {
          const w = window as unknown as {
            __walPreview: { router: { top: { query: Record<string, string> } } }
          }
          return w.__walPreview.router.top.query.section ?? ''
        })}`,
      )
    await phone.page.evaluate(([k, answers]) => localStorage.setItem(k, JSON.stringify(answers)), [
      topicDraftKey,
      ruleOfLawAnswers,
    ] as const)
    await phone.page.reload()
    await phone.tap('继续答题')
    await phone.on('pages/survey/section/index', '已恢复您上次未提交的答案')
    world.advance(10 * MINUTE)
    await phone.tap('提交本部分')
    await phone.on('pages/survey/done/index', '提交成功')

    const after = await progress('o-demo-respondent')
    const valid = JSON.stringify(after).match(/"valid"/g) ?? []
    expect(valid.length).toBeGreaterThanOrEqual(2)
  })
})

test('a speeder sees the invalid message and gets no chances', async () => {
  await withScreenshots(world, 'speeder', async () => {
    const phone = await openPhone(world, 'respondent2')
    await phone.tap('公共网民版')
    await phone.tap('我已阅读并同意')
    await phone.tap('同意并开始答题')
    await phone.on('pages/survey/section/index', '第 1/10 部分')
    await phone.tap('女')
    await phone.page.waitForFunction(() =>
      Object.keys(localStorage).some((k) => k.includes('wal.survey.draft')),
    )
    const [key] = await draftKeys(phone)
    await phone.page.evaluate(([k, answers]) => localStorage.setItem(k!, JSON.stringify(answers)), [
      key,
      publicMainAnswers,
    ] as const)
    await phone.page.reload()
    await phone.tap('继续答题')
    await phone.on('pages/survey/section/index', '已恢复您上次未提交的答案')
    await phone.tap('提交本部分') // seconds after starting: 24 questions need 48 s
    await phone.on('pages/survey/done/index', '本部分未计入有效样本')
    await phone.shows('本部分未获得抽奖机会')

    const hub = await world.call('draw', { action: 'hub' }, 'o-demo-respondent-2')
    expect(hub.ok).toBe(true)
    expect(JSON.stringify(hub.data)).toMatch(/"(available|balance|chances)":0/)
  })
})

test('the already-answered state: home offers to continue, not to start again', async () => {
  await withScreenshots(world, 'already-answered', async () => {
    const phone = await openPhone(world, 'respondent')
    await phone.on('pages/home/index', '继续答题')
  })
})

test('the campaign-closed state', async () => {
  await withScreenshots(world, 'closed', async () => {
    world.advance(30 * 24 * 60 * MINUTE)
    const phone = await openPhone(world, 'o-demo-late')
    await phone.on('pages/home/index', '已结束')
  })
})
