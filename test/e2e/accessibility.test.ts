/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// An automated accessibility check over every page in its main state, in real Chromium: text
// contrast (WCAG AA: 4.5:1, 3:1 for large text — ≥ 24px, or ≥ 18.66px bold) from computed styles
// against the effective background (ancestors' background colours composited, opacity applied),
// and tap targets (elements with a tap handler, buttons) of at least 44×44 CSS px (= pt here: the
// preview lays pages out at 375 px wide). Known violations are listed in
// test/e2e/accessibility-baseline.json and docs/accessibility.md; the test fails on new ones.
// `WAL_A11Y_WRITE=1` rewrites both from what it measured.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../../scripts/build/functions'
import { answerMain, earnCertificate, holdOfflineDraw, inviteTo } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type Phone, type World } from './support/world'

jest.setTimeout(240_000)

const BASELINE = path.join(REPO_ROOT, 'test', 'e2e', 'accessibility-baseline.json')
const REPORT = path.join(REPO_ROOT, 'docs', 'accessibility.md')

interface Screen {
  as: string
  page?: string
  scene?: string
  /** Taps (by visible text) after the page opened. */
  taps?: string[]
  waitFor?: string
}

/**
 * Every page of miniprogram/app.json in its main state (the list of scripts/screens.ts). The invite
 * and the certificate need their code and number, made in the test: see `prepared` below.
 */
const SCREENS: Screen[] = [
  { as: 'respondent2', waitFor: '公共网民版' },
  { as: 'respondent2', taps: ['公共网民版'], waitFor: '同意并开始答题' },
  {
    as: 'respondent2',
    taps: ['公共网民版', '我已阅读并同意', '同意并开始答题'],
    waitFor: '第 1/10 部分',
  },
  { as: 'respondent', waitFor: '继续答题' },
  // Opened again after the submit (not right after it): the progress from the server.
  {
    as: 'respondent',
    page: 'pages/survey/done/index?version=public&section=main',
    waitFor: '该部分已提交',
  },
  { as: 'respondent', page: 'pages/draw/hub/index', waitFor: '我的抽奖机会' },
  { as: 'respondent', page: 'pages/draw/nine-grid/index', waitFor: '开始抽奖' },
  { as: 'respondent', page: 'pages/draw/box/index?kind=copper', waitFor: '开启宝箱' },
  { as: 'respondent', page: 'pages/draw/history/index' },
  { as: 'respondent', page: 'pages/wallet/index', waitFor: '我的用户码' },
  { as: 'respondent', page: 'pages/wallet/transfer/index', waitFor: '对方用户码' },
  { as: 'respondent', page: 'pages/wallet/cash/index' },
  { as: 'volunteer', page: 'pages/volunteer/index', waitFor: '我的专属分享码' },
  { as: 'station', page: 'pages/volunteer/node/index?id=gz-tianhe' },
  {
    as: 'volunteer',
    page: 'pages/volunteer/poster/index?node=gz-tianhe-t1',
    waitFor: '保存到相册',
  },
  { as: 'respondent', page: 'pages/store/index', waitFor: '网络安全主题保温杯' },
  { as: 'respondent', page: 'pages/store/item/index?id=mug-safety', waitFor: '选择自提点' },
  { as: 'respondent', page: 'pages/store/stores/index?item=mug-safety' },
  {
    as: 'respondent',
    page: 'pages/store/shop/index?id=gz-tianhe-jianshe&item=mug-safety',
    waitFor: '在此兑换',
  },
  { as: 'respondent', page: 'pages/store/mine/index' },
  { as: 'clerk', page: 'pages/store/clerk/index', waitFor: '扫描取货二维码' },
  { as: 'respondent', page: 'pages/prizes/index', waitFor: '领取方式' },
  { as: 'respondent2', page: 'pages/prizes/index', waitFor: '暂时没有中奖记录' },
  { as: 'respondent', page: 'pages/learn/index', waitFor: '测验闯关' },
  {
    as: 'respondent',
    page: 'pages/learn/article/index?id=fake-customer-service',
    waitFor: '记住三个“不”',
  },
  { as: 'respondent', page: 'pages/learn/video/index?id=video-phone-fraud', waitFor: '文字版' },
  { as: 'respondent', page: 'pages/learn/comic/index?id=comic-part-time', waitFor: '读完了' },
  { as: 'respondent', page: 'pages/learn/handbook/index?id=handbook', waitFor: '下一章' },
  { as: 'respondent', page: 'pages/learn/quiz/index?id=quiz-anti-fraud', waitFor: '提交答案' },
  {
    as: 'respondent',
    page: `pages/learn/faq/index?q=${encodeURIComponent('积分怎么换礼品')}`,
    waitFor: '为你找到的回答',
  },
  {
    as: 'respondent',
    page: 'pages/learn/answer/index?id=how-redeem',
    waitFor: '这个回答有帮助吗？',
  },
  { as: 'respondent', page: 'pages/settings/privacy/index', waitFor: '删除我的个人信息' },
]

/** The pages that need something made first: an invite to open, a certificate earned. */
async function prepared(): Promise<Screen[]> {
  const invite = await inviteTo(world, 'o-demo-station-admin', 'gz-tianhe-t1')
  const certificate = await earnCertificate(world, 'o-demo-volunteer', 'gz-tianhe-t1')
  return [
    {
      as: 'respondent2',
      page: `pages/volunteer/join/index?code=${invite}`,
      taps: ['我需要志愿者证书'],
      waitFor: '真实姓名仅用于',
    },
    {
      as: 'volunteer',
      page: `pages/store/certificate/index?no=${certificate}`,
      waitFor: '证书真实有效',
    },
  ]
}

interface Finding {
  /** Stable across builds: route, rule, the element's own class (prefix removed), its text. */
  key: string
  route: string
  rule: 'contrast' | 'target'
  element: string
  text: string
  measured: string
  needed: string
}

/** Measures the top page of a phone; runs in the browser. */
function measure(): Omit<Finding, 'key' | 'route'>[] {
  type Rgba = [number, number, number, number]
  const root = document.querySelector('#wal-pages .wal-page-box:not([hidden])') as HTMLElement
  const parse = (c: string): Rgba | null => {
    const m = /rgba?\(([^)]+)\)/.exec(c)
    if (!m) return null
    const p = m[1]!
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number)
    return [p[0]!, p[1]!, p[2]!, p[3] ?? 1]
  }
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3] + under[3] * (1 - top[3])
    if (a === 0) return [0, 0, 0, 0]
    const mix = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a
    return [mix(0), mix(1), mix(2), a]
  }
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (v: number) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
  }
  const ratio = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
    return (hi + 0.05) / (lo + 0.05)
  }
  /** The background behind `el`, or null when an image or gradient is in the way. */
  const background = (el: Element): Rgba | null => {
    const layers: Rgba[] = []
    for (let e: Element | null = el; e; e = e.parentElement) {
      const style = getComputedStyle(e)
      if (style.backgroundImage !== 'none') return null
      const c = parse(style.backgroundColor)
      if (c && c[3] > 0) {
        layers.push(c)
        if (c[3] >= 1) break
      }
    }
    let bg: Rgba = [255, 255, 255, 1]
    for (const layer of layers.reverse()) bg = over(layer, bg)
    return bg
  }
  const opacity = (el: Element) => {
    let o = 1
    for (let e: Element | null = el; e && e !== root; e = e.parentElement)
      o *= Number(getComputedStyle(e).opacity)
    return o
  }
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) return false
    const style = getComputedStyle(el)
    return style.visibility !== 'hidden' && style.display !== 'none'
  }
  const ownClass = (el: Element) => {
    const c = [...el.classList].find((k) => /--/.test(k)) ?? el.tagName.toLowerCase()
    return c.replace(/^\w+?--/, '')
  }
  const label = (el: Element) =>
    (el.textContent ?? '').trim().replace(/\s+/g, ' ').replace(/\d+/g, '#').slice(0, 24)
  const out: Omit<Finding, 'key' | 'route'>[] = []

  // Contrast: every element with text of its own.
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())
    if (!own || !visible(el)) continue
    const style = getComputedStyle(el)
    const fg = parse(style.color)
    const bg = background(el)
    if (!fg || !bg) continue
    const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg)
    const size = Number.parseFloat(style.fontSize)
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
    const needed = large ? 3 : 4.5
    const r = ratio(shown, bg)
    if (r + 0.005 < needed)
      out.push({
        rule: 'contrast',
        element: ownClass(el),
        text: label(el),
        measured: `${r.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}), ${size}px)`,
        needed: `${needed}:1`,
      })
  }

  // Tap targets: a tap handler (exparser keeps listeners on the element behind the DOM node),
  // or a button. A small element inside a large enough tappable one is that one's part.
  // TDesign binds tap inside its own parts (t-icon, t-tag, an input's suffix) to emit events the
  // pages do not use: those parts (class t-…) count only as buttons.
  type Wx = { __wxElement?: { __wxEvents?: Record<string, unknown> } }
  const tappable = (el: Element) =>
    el.tagName === 'WX-BUTTON' ||
    el.getAttribute('role') === 'button' ||
    (!!(el as unknown as Wx).__wxElement?.__wxEvents?.tap && !/^t-/.test(ownClass(el)))
  const bigEnough = (el: Element) => {
    const r = el.getBoundingClientRect()
    return r.width >= 43.5 && r.height >= 43.5
  }
  const targets = [...root.querySelectorAll('*')].filter((el) => tappable(el) && visible(el))
  for (const el of targets) {
    if (bigEnough(el)) continue
    let inside = false
    for (let e = el.parentElement; e && e !== root; e = e.parentElement)
      if (tappable(e) && bigEnough(e)) inside = true
    if (inside) continue
    // The outermost too-small target stands for its tappable parts.
    let outer = false
    for (let e = el.parentElement; e && e !== root; e = e.parentElement)
      if (tappable(e)) outer = true
    if (outer) continue
    const r = el.getBoundingClientRect()
    out.push({
      rule: 'target',
      element: ownClass(el),
      text: label(el),
      measured: `${Math.round(r.width)}×${Math.round(r.height)}`,
      needed: '44×44',
    })
  }
  return out
}

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

async function settle(phone: Phone, screen: Screen): Promise<void> {
  for (const text of screen.taps ?? []) await phone.screen.getByText(text).first().click()
  if (screen.waitFor) await phone.shows(screen.waitFor)
  await phone.quiet()
}

/** Opens `screen` in a fresh phone (its own storage, as a person opening it) and measures it. */
async function check(screen: Screen): Promise<Finding[]> {
  const phone = await openPhone(world, screen.as, {
    ...(screen.page ? { page: screen.page } : {}),
    ...(screen.scene ? { scene: screen.scene } : {}),
  })
  await settle(phone, screen)
  const route = await phone.route()
  const found = (await phone.page.evaluate(measure)).map((f) => ({
    ...f,
    route,
    key: `${route} ${f.rule} ${f.element} ${f.text}`,
  }))
  await phone.page.context().close()
  world.phones.splice(world.phones.indexOf(phone), 1)
  return found
}

/**
 * Screens in two tabs at once: booting the preview is the browser's work, while the test and the
 * local cloud wait. One identity's screens stay in order in one lane, since a tap can change what
 * that person's later screens show (the survey started, a draft saved).
 */
async function checkAll(screens: Screen[], lanes = 2): Promise<Finding[]> {
  const byPerson = new Map<string, Screen[]>()
  for (const s of screens) byPerson.set(s.as, [...(byPerson.get(s.as) ?? []), s])
  // Each person's screens as one job, unless none of them taps (views only: any order will do).
  const jobs = [...byPerson.values()].flatMap((list) =>
    list.some((s) => s.taps) ? [list] : list.map((s) => [s]),
  )
  const findings: Finding[] = []
  const lane = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift())
      for (const screen of job) findings.push(...(await check(screen)))
  }
  await Promise.all(Array.from({ length: lanes }, lane))
  return findings
}

const rows = (findings: Finding[]) =>
  findings.map(
    (f) =>
      `| ${f.route} | ${f.rule} | \`${f.element}\` | ${f.text.replace(/\|/g, '\\|') || '—'} | ${f.measured} | ${f.needed} |`,
  )

test('every page meets contrast and tap-target sizes, apart from the known violations', async () => {
  await withScreenshots(world, 'accessibility', async () => {
    await answerMain(world, 'o-demo-respondent')
    // 我的奖品 with a prize: the only valid respondent of 广州 wins the one prize of a draw there.
    await holdOfflineDraw(world.server.host, {
      title: '广州市线下抽奖',
      regionCode: '440100',
      prizes: [{ kind: 'flow', label: '10GB 流量包', count: 1, claim: '凭中奖页面到营业厅领取' }],
    })
    // 小安's share code and, through it, the valid samples a certificate needs.
    const findings = await checkAll([...SCREENS, ...(await prepared())])
    const unique = [...new Map(findings.map((f) => [f.key, f])).values()].sort((a, b) =>
      a.key.localeCompare(b.key),
    )

    if (process.env.WAL_A11Y_WRITE) {
      writeFileSync(
        BASELINE,
        `${JSON.stringify(
          unique.map((f) => f.key),
          null,
          2,
        )}\n`,
      )
      const doc = readFileSync(REPORT, 'utf8')
      const start = doc.indexOf('<!-- findings -->')
      const end = doc.indexOf('<!-- /findings -->')
      const table = [
        '<!-- findings -->',
        '',
        '| page | rule | element | text | measured | needed |',
        '| ---- | ---- | ------- | ---- | -------- | ------ |',
        ...rows(unique),
        '',
        '<!-- /findings -->',
      ].join('\n')
      writeFileSync(
        REPORT,
        doc.slice(0, start) + table + doc.slice(end + '<!-- /findings -->'.length),
      )
    }

    const known = new Set(JSON.parse(readFileSync(BASELINE, 'utf8')) as string[])
    const fresh = unique.filter((f) => !known.has(f.key))
    expect(rows(fresh)).toEqual([])
  })
})
