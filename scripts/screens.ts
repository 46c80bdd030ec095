/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// `npm run screens`: phone-size PNGs of every page in its main states, into docs/screens/, taken
// in Chromium from the browser preview against a fresh, seeded local cloud (as `npm start` runs
// it). A respondent answers the main part through the real pages first, so the draw, wallet and
// done pages show what a participant sees. CJK text: Noto Sans SC (@fontsource/noto-sans-sc).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { buildFunctions, REPO_ROOT } from './build/functions'
import { buildPreview } from './build/preview'
import { startLocal } from './start'
import { setClockForTests } from '../server/db'
import { launchChromium } from '../test/e2e/support/browser'
import {
  earnCertificate,
  holdOfflineDraw,
  inviteTo,
  type Cloud,
} from '../test/e2e/support/journeys'
import type { EnvelopeLike } from '../test/e2e/support/world'

const OUT = path.join(REPO_ROOT, 'docs', 'screens')
const SCRATCH = path.join(REPO_ROOT, '.data', 'screens')

interface Shot {
  name: string
  as: string
  page?: string
  scene?: string
  /** Steps after the page opened (taps by visible text). */
  taps?: string[]
  /** Text to wait for before the picture. */
  waitFor?: string
  /** Extra time for an animation to finish (the prize reveal's confetti). */
  settleMs?: number
  /** Setup through the functions, just before this shot; returns the page's query. */
  prepare?: (cloud: Cloud) => Promise<string>
  /** What the picture shows, when the name does not say (docs/screens/README.md). */
  caption?: string
}

const SHOTS: Shot[] = [
  { name: 'home', as: 'respondent2', waitFor: '公共网民版' },
  { name: 'home-scene', as: 'respondent2', scene: 'c=DEMO01', waitFor: '公共网民版' },
  { name: 'consent', as: 'respondent2', taps: ['公共网民版'], waitFor: '同意并开始答题' },
  {
    name: 'survey-section',
    as: 'respondent2',
    taps: ['公共网民版', '我已阅读并同意', '同意并开始答题'],
    waitFor: '第 1/10 部分',
    caption: 'the first section of the main part, just after consent',
  },
  { name: 'home-answered', as: 'respondent', waitFor: '继续答题' },
  { name: 'draw-hub', as: 'respondent', page: 'pages/draw/hub/index' },
  { name: 'draw-nine-grid', as: 'respondent', page: 'pages/draw/nine-grid/index' },
  { name: 'draw-box', as: 'respondent', page: 'pages/draw/box/index?kind=copper' },
  { name: 'draw-history', as: 'respondent', page: 'pages/draw/history/index' },
  { name: 'wallet', as: 'respondent', page: 'pages/wallet/index' },
  { name: 'wallet-transfer', as: 'respondent', page: 'pages/wallet/transfer/index' },
  { name: 'wallet-cash', as: 'respondent', page: 'pages/wallet/cash/index' },
  { name: 'volunteer', as: 'volunteer', page: 'pages/volunteer/index' },
  { name: 'volunteer-node', as: 'station', page: 'pages/volunteer/node/index?id=gz-tianhe' },
  {
    name: 'volunteer-poster-no-code',
    as: 'volunteer',
    page: 'pages/volunteer/poster/index?node=gz-tianhe-t1',
  },
  { name: 'store', as: 'respondent', page: 'pages/store/index' },
  {
    name: 'store-item',
    as: 'respondent',
    page: 'pages/store/item/index?id=mug-safety',
    waitFor: '选择自提点',
  },
  { name: 'store-map', as: 'respondent', page: 'pages/store/stores/index' },
  {
    name: 'store-shop',
    as: 'respondent',
    page: 'pages/store/shop/index?id=gz-tianhe-jianshe&item=mug-safety',
    waitFor: '在此兑换',
  },
  { name: 'store-mine', as: 'respondent', page: 'pages/store/mine/index' },
  { name: 'store-clerk', as: 'clerk', page: 'pages/store/clerk/index' },
  { name: 'prizes', as: 'respondent', page: 'pages/prizes/index', waitFor: '领取方式' },
  {
    name: 'prizes-empty',
    as: 'respondent2',
    page: 'pages/prizes/index',
    waitFor: '暂时没有中奖记录',
  },
  { name: 'learn', as: 'respondent', page: 'pages/learn/index', waitFor: '测验闯关' },
  {
    name: 'learn-article',
    as: 'respondent',
    page: 'pages/learn/article/index?id=fake-customer-service',
    waitFor: '记住三个“不”',
  },
  {
    name: 'learn-video',
    as: 'respondent',
    page: 'pages/learn/video/index?id=video-phone-fraud',
    waitFor: '文字版',
  },
  {
    name: 'learn-comic',
    as: 'respondent',
    page: 'pages/learn/comic/index?id=comic-part-time',
    waitFor: '读完了',
  },
  {
    name: 'learn-handbook',
    as: 'respondent',
    page: 'pages/learn/handbook/index?id=handbook',
    waitFor: '下一章',
  },
  {
    name: 'learn-quiz',
    as: 'respondent',
    page: 'pages/learn/quiz/index?id=quiz-anti-fraud',
    waitFor: '提交答案',
  },
  {
    name: 'learn-faq',
    as: 'respondent',
    page: `pages/learn/faq/index?q=${encodeURIComponent('积分怎么换礼品')}`,
    waitFor: '为你找到的回答',
    caption: '百问百答 asked 积分怎么换礼品',
  },
  {
    name: 'learn-answer',
    as: 'respondent',
    page: 'pages/learn/answer/index?id=how-redeem',
    waitFor: '这个回答有帮助吗？',
  },
  {
    name: 'settings-privacy',
    as: 'respondent',
    page: 'pages/settings/privacy/index',
    waitFor: '删除我的个人信息',
  },
  // Last: these draw, so the pages above show the respondent before any draw.
  {
    name: 'draw-prize',
    as: 'respondent',
    page: 'pages/draw/nine-grid/index',
    taps: ['开始抽奖'],
    waitFor: '恭喜您获得',
    settleMs: 1500,
  },
  {
    name: 'draw-box-prize',
    as: 'respondent',
    page: 'pages/draw/box/index?kind=copper',
    taps: ['开启宝箱'],
    waitFor: '恭喜您获得',
    settleMs: 1500,
  },
  // After the volunteer's shots above (before any share code: volunteer-poster-no-code).
  {
    name: 'volunteer-join',
    as: 'respondent2',
    page: 'pages/volunteer/join/index',
    prepare: async (cloud) =>
      `code=${await inviteTo(cloud, 'o-demo-station-admin', 'gz-tianhe-t1')}`,
    taps: ['我需要志愿者证书'],
    waitFor: '真实姓名仅用于',
    caption: "an invite to 天河一队 made by the station's admin, 我需要志愿者证书 ticked",
  },
  {
    name: 'store-certificate',
    as: 'volunteer',
    page: 'pages/store/certificate/index',
    prepare: async (cloud) =>
      `no=${await earnCertificate(cloud, 'o-demo-volunteer', 'gz-tianhe-t1')}`,
    waitFor: '证书真实有效',
    caption: "小安's certificate, earned through ten valid samples by the share code",
  },
]

async function waitForQuiet(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
  await page.evaluate(() => document.fonts.ready)
  // Loading states end with the data; a short settle lets the last setData paint.
  await page.waitForTimeout(400)
}

async function answerMain(page: Page, advance: (ms: number) => void): Promise<void> {
  const screen = page.locator('#wal-pages .wal-page-box:not([hidden])')
  const tap = (text: string) => screen.getByText(text).first().click()
  await tap('公共网民版')
  await tap('我已阅读并同意')
  await tap('同意并开始答题')
  await tap('女')
  await page.waitForFunction(() =>
    Object.keys(localStorage).some((k) => k.includes('wal.survey.draft')),
  )
  const answers = readFileSync(path.join(REPO_ROOT, 'test/component/support/answers.ts'), 'utf8')
  // The fixture's object literal, read as data (it is plain JSON-like TypeScript).
  const literal = /publicMainAnswers: SectionAnswers = (\{[\s\S]*?\n\})/.exec(answers)![1]!
  const main = Function(`return (${literal})`)() as Record<string, unknown>
  await page.evaluate((m) => {
    const key = Object.keys(localStorage).find((k) => k.includes('wal.survey.draft'))!
    localStorage.setItem(key, JSON.stringify(m))
  }, main)
  await page.reload()
  await tap('继续答题')
  await screen.getByText('已恢复您上次未提交的答案').waitFor()
  advance(10 * 60_000)
  await tap('提交本部分')
  await screen.getByText('提交成功').first().waitFor()
}

async function main(): Promise<void> {
  rmSync(SCRATCH, { recursive: true, force: true })
  const bundles = path.join(SCRATCH, 'bundles')
  const previewDir = path.join(SCRATCH, 'preview')
  await buildFunctions({ outDir: bundles })
  await buildPreview({ outDir: previewDir })
  let offset = 0
  setClockForTests(() => Date.now() + offset)
  const server = await startLocal({
    file: path.join(SCRATCH, 'data.sqlite'),
    port: 0,
    bundleDir: bundles,
    previewDir,
    log: () => {},
    timers: false,
  })
  const browser = await launchChromium()
  mkdirSync(OUT, { recursive: true })
  const taken: Array<{ name: string; caption?: string }> = []
  try {
    const context = await browser.newContext({ viewport: { width: 720, height: 900 } })
    const setup = await context.newPage()
    await setup.goto(`${server.base}/preview/?as=respondent`)
    await answerMain(setup, (ms) => (offset += ms))
    await setup.locator('#wal-phone').screenshot({ path: path.join(OUT, 'survey-done.png') })
    taken.push({ name: 'survey-done' })
    // 我的奖品: the respondent, the one valid sample of 广州, wins the committee's offline draw.
    await holdOfflineDraw(server.host, {
      title: '广州市线下抽奖（电信专场）',
      regionCode: '440100',
      prizes: [
        { kind: 'flow', label: '10GB 流量包', count: 1, claim: '凭中奖页面到广州电信营业厅领取' },
      ],
    })
    const cloud: Cloud = {
      call: async (name, event, openid) =>
        (await server.host.invoke(name, event, { openid })) as EnvelopeLike,
      advance: (ms) => (offset += ms),
    }
    for (const shot of SHOTS) {
      const page = await context.newPage()
      const query = new URLSearchParams({ as: shot.as })
      const prepared = shot.prepare ? await shot.prepare(cloud) : ''
      if (shot.page) query.set('page', prepared ? `${shot.page}?${prepared}` : shot.page)
      if (shot.scene) query.set('scene', shot.scene)
      await page.goto(`${server.base}/preview/?${query}`)
      const screen = page.locator('#wal-pages .wal-page-box:not([hidden])')
      for (const text of shot.taps ?? []) await screen.getByText(text).first().click()
      if (shot.waitFor) await screen.getByText(shot.waitFor).first().waitFor()
      await waitForQuiet(page)
      if (shot.settleMs) await page.waitForTimeout(shot.settleMs)
      await page.locator('#wal-phone').screenshot({ path: path.join(OUT, `${shot.name}.png`) })
      taken.push(shot)
      await page.close()
    }
  } finally {
    await browser.close()
    await server.close()
    setClockForTests(undefined)
  }
  const index = [
    '# Screens',
    '',
    'Phone-size pictures (375×812 pt) of the browser preview, made by `npm run screens` from a',
    'fresh seeded local cloud. Regenerate after changing a page.',
    '',
    ...taken.map(
      ({ name, caption }) =>
        `- **${name}**${caption ? ` — ${caption}` : ''}\n\n  ![${name}](${name}.png)\n`,
    ),
  ].join('\n')
  writeFileSync(path.join(OUT, 'README.md'), `${index}\n`)
  console.log(`${taken.length} screens in ${path.relative(REPO_ROOT, OUT)}/`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
