/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// Layout in real Chromium, measured on the real pages (issue 17 §3): buttons in a row sit where
// the row puts them (WeChat's built-in button margin auto is reset once, in app.wxss), short pages
// do not scroll, the done page's topic list is as wide as its buttons, and the consent page's
// agreement and start are in view while its notice can still be read to the end.
import { answerMain } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type Phone, type World } from './support/world'

jest.setTimeout(120_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
  await answerMain(world, 'o-demo-respondent')
})
afterAll(async () => {
  await world?.close()
})

interface Box {
  left: number
  right: number
  top: number
  bottom: number
  width: number
  /** Vertical centre. */
  middle: number
}

/**
 * The boxes of the top page's elements: `class:name` for the first element with that page class
 * (prefix removed, e.g. `class:code`), `text:…` for the innermost element showing that text, and
 * `button:…` for the built-in button showing it. Also the page box's scroll sizes.
 */
async function boxes(phone: Phone, targets: string[]) {
  return phone.page.evaluate((wanted) => {
    const root = document.querySelector('#wal-pages .wal-page-box:not([hidden])') as HTMLElement
    const all = [...root.querySelectorAll('*')] as HTMLElement[]
    const find = (target: string): HTMLElement | undefined => {
      const [kind, value] = [
        target.slice(0, target.indexOf(':')),
        target.slice(target.indexOf(':') + 1),
      ]
      if (kind === 'class')
        return all.find((e) => [...e.classList].some((c) => c.endsWith(`--${value}`)))
      const shows = (e: HTMLElement) => (e.textContent ?? '').trim() === value
      if (kind === 'button') return all.find((e) => e.tagName === 'WX-BUTTON' && shows(e))
      return all.filter(shows).pop()
    }
    const out: Record<string, Box & { marginLeft: string; marginRight: string }> = {}
    for (const target of wanted) {
      const el = find(target)
      if (!el) throw new Error(`nothing on the page for ${target}`)
      const r = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      out[target] = {
        left: r.left,
        right: r.right,
        top: r.top,
        bottom: r.bottom,
        width: r.width,
        middle: r.top + r.height / 2,
        marginLeft: style.marginLeft,
        marginRight: style.marginRight,
      }
    }
    const view = root.getBoundingClientRect()
    return {
      out,
      scroll: { height: root.scrollHeight, client: root.clientHeight },
      view: { top: view.top, bottom: view.bottom },
    }
  }, targets)
}

/** Margins every built-in button on the top page has at its sides. */
const buttonSideMargins = (phone: Phone) =>
  phone.page.evaluate(() => {
    const root = document.querySelector('#wal-pages .wal-page-box:not([hidden])') as HTMLElement
    return [...root.querySelectorAll('wx-button')].map((b) => {
      const s = getComputedStyle(b)
      return `${(b.textContent ?? '').trim()}: ${s.marginLeft} ${s.marginRight}`
    })
  })

test('复制 and 设置 sit at the card’s right edge, on the line of the text they act on; no button keeps WeChat’s auto margins', async () => {
  await withScreenshots(world, 'layout-wallet', async () => {
    const phone = await openPhone(world, 'respondent', { page: 'pages/wallet/index' })
    await phone.shows('我的用户码')
    const { out } = await boxes(phone, [
      'class:code',
      'class:code__value',
      'button:复制',
      'class:nickname',
      'class:nickname__value',
      'button:设置',
    ])
    // The row's right edge is the card's content edge: the button ends there, not mid-card.
    expect(out['button:复制']!.right).toBeCloseTo(out['class:code']!.right, 0)
    expect(out['button:设置']!.right).toBeCloseTo(out['class:nickname']!.right, 0)
    // Centred on the line it acts on (within a pixel).
    expect(Math.abs(out['button:复制']!.middle - out['class:code__value']!.middle)).toBeLessThan(
      1.5,
    )
    expect(
      Math.abs(out['button:设置']!.middle - out['class:nickname__value']!.middle),
    ).toBeLessThan(1.5)
    // As wide as its text, not WeChat's 184 px.
    expect(out['button:复制']!.width).toBeLessThan(120)
    for (const margins of await buttonSideMargins(phone)) expect(margins).toMatch(/: 0px 0px$/)
  })
})

test('short pages do not scroll: the first card’s top margin stays inside the page', async () => {
  await withScreenshots(world, 'layout-short-pages', async () => {
    for (const [as, page, text] of [
      ['respondent', 'pages/wallet/transfer/index', '对方用户码'],
      ['volunteer', 'pages/volunteer/index', '我的专属分享码'],
      ['clerk', 'pages/store/clerk/index', '扫描取货二维码'],
    ] as const) {
      const phone = await openPhone(world, as, { page })
      await phone.shows(text)
      const { scroll } = await boxes(phone, [])
      expect({ page, overflow: scroll.height - scroll.client }).toEqual({ page, overflow: 0 })
    }
  })
})

test('the done page’s topic list is as wide as the buttons above and below it', async () => {
  await withScreenshots(world, 'layout-done', async () => {
    const phone = await openPhone(world, 'respondent', {
      page: 'pages/survey/done/index?version=public&section=main',
    })
    await phone.tap('查看全部专题')
    await phone.shows('网络法治')
    const { out } = await boxes(phone, ['class:topics', 'button:收起专题列表', 'button:去抽奖'])
    for (const button of ['button:收起专题列表', 'button:去抽奖']) {
      expect(out['class:topics']!.left).toBeCloseTo(out[button]!.left, 0)
      expect(out['class:topics']!.right).toBeCloseTo(out[button]!.right, 0)
    }
  })
})

test('consent: the agreement and 同意并开始答题 are in view at once, and the notice can be read to its end', async () => {
  await withScreenshots(world, 'layout-consent', async () => {
    const phone = await openPhone(world, 'respondent2')
    await phone.tap('公共网民版')
    await phone.on('pages/survey/consent/index', '同意并开始答题')
    const first = await boxes(phone, ['text:我已阅读并同意以上说明', 'button:同意并开始答题'])
    for (const target of Object.values(first.out)) {
      expect(target.top).toBeGreaterThanOrEqual(first.view.top)
      expect(target.bottom).toBeLessThanOrEqual(first.view.bottom + 0.5)
    }
    // Scrolled to the end, the notice's last point ends above the bar.
    await phone.screen.evaluate((root) => root.scrollTo(0, root.scrollHeight))
    const end = await boxes(phone, ['class:actions', 'class:notice'])
    expect(end.out['class:notice']!.bottom).toBeLessThanOrEqual(end.out['class:actions']!.top)
    // Ticking and starting works from the bar.
    await phone.tap('我已阅读并同意以上说明')
    await phone.tap('同意并开始答题')
    await phone.on('pages/survey/section/index', '第 1/10 部分')
  })
})
