/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// One journey's world: the local cloud seeded with the demo, its gateway and the preview on a free
// port (startLocal, as `npm start` runs them), a server clock the test can move, and Chromium.
// Phones are browser pages showing the preview as one of the demo's people.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { REPO_ROOT } from '../../../scripts/build/functions'
import { startLocal, type LocalServer } from '../../../scripts/start'
import { setClockForTests } from '../../../server/db'
import { launchChromium } from './browser'
import { E2E_BUNDLES, E2E_PREVIEW, E2E_TEMPLATE } from './global-setup'

export const FAILURES_DIR = path.join(REPO_ROOT, '.data', 'e2e-failures')

export interface World {
  server: LocalServer
  browser: Browser
  /** Moves the server's clock (the functions' `now()`) forward. */
  advance(ms: number): void
  /** Calls a function as `openid`, as the gateway would. */
  call(name: string, event: Record<string, unknown>, openid: string): Promise<EnvelopeLike>
  phones: Phone[]
  close(): Promise<void>
}

export interface EnvelopeLike {
  ok: boolean
  data?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  error?: { code: string; message: string }
}

let worlds = 0

export async function openWorld(): Promise<World> {
  const dir = path.join(REPO_ROOT, '.data', `e2e-${process.pid}-${worlds++}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // The demo seeded once per run (global-setup.ts); startLocal's own seed then finds it in place.
  if (existsSync(E2E_TEMPLATE)) cpSync(E2E_TEMPLATE, dir, { recursive: true })
  let offset = 0
  setClockForTests(() => Date.now() + offset)
  const server = await startLocal({
    file: path.join(dir, 'data.sqlite'),
    port: 0,
    bundleDir: E2E_BUNDLES,
    previewDir: E2E_PREVIEW,
    log: () => {},
    timers: false,
    lazyFunctions: true,
  })
  const browser = await launchChromium()
  const world: World = {
    server,
    browser,
    phones: [],
    advance(ms) {
      offset += ms
    },
    async call(name, event, openid) {
      return (await server.host.invoke(name, event, { openid })) as EnvelopeLike
    },
    async close() {
      await browser.close()
      await server.close()
      setClockForTests(undefined)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return world
}

export interface Phone {
  page: Page
  /** The page on top of the stack (the one a person sees). */
  screen: Locator
  route(): Promise<string>
  /** Taps the first visible thing showing `text`. */
  tap(text: string | RegExp): Promise<void>
  /** Waits until the top page is `route` and shows `text` (when given). */
  on(route: string, text?: string | RegExp): Promise<void>
  shows(text: string | RegExp): Promise<void>
  /**
   * Waits until the page has nothing left to show: no call to the gateway in flight (nor one
   * started by the answer of the last), fonts loaded and the last `setData` painted.
   */
  quiet(): Promise<void>
  storage(key: string): Promise<unknown>
}

/**
 * Counts the preview's calls in flight (wx.request is `fetch` + `text()`): a call ends when its
 * body was read and the task that handed it to the page has run.
 */
function countCalls(): void {
  const w = window as unknown as { __walCalls: number }
  w.__walCalls = 0
  const fetch = window.fetch.bind(window)
  window.fetch = async (...args: Parameters<typeof window.fetch>) => {
    w.__walCalls++
    let res: Response
    try {
      res = await fetch(...args)
    } catch (err) {
      setTimeout(() => w.__walCalls--, 0)
      throw err
    }
    const text = res.text.bind(res)
    res.text = () => text().finally(() => setTimeout(() => w.__walCalls--, 0))
    return res
  }
}

/** Resolves after two frames: what was set before has been laid out and painted. */
const twoFrames = () =>
  new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))

/** A browser tab showing the preview as `as` (an identity key or an openid). */
export async function openPhone(
  world: World,
  as: string,
  options: { page?: string; scene?: string } = {},
): Promise<Phone> {
  const context = await world.browser.newContext({
    viewport: { width: 720, height: 900 },
    acceptDownloads: true,
  })
  const page = await context.newPage()
  await page.addInitScript(countCalls)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e.stack ?? e)))
  const query = new URLSearchParams({ as, ...options })
  await page.goto(`${world.server.base}/preview/?${query}`)
  await page.waitForFunction(() => (window as { __walPreview?: unknown }).__walPreview)
  const screen = page.locator('#wal-pages .wal-page-box:not([hidden])')
  const openid = await page.evaluate(
    () =>
      (window as unknown as { __walPreview: { identity: { openid: string } } }).__walPreview
        .identity.openid,
  )
  const phone: Phone = {
    page,
    screen,
    route: () =>
      page.evaluate(
        () =>
          (window as unknown as { __walPreview: { router: { top?: { route: string } } } })
            .__walPreview.router.top?.route ?? '',
      ),
    async tap(text) {
      await screen.getByText(text).first().click()
    },
    async on(route, text) {
      await page.waitForFunction(
        (r) =>
          (window as unknown as { __walPreview: { router: { top?: { route: string } } } })
            .__walPreview.router.top?.route === r,
        route,
      )
      if (text) await phone.shows(text)
    },
    async shows(text) {
      await screen.getByText(text).first().waitFor({ state: 'visible' })
    },
    async quiet() {
      const calls = () => (window as unknown as { __walCalls: number }).__walCalls === 0
      for (let settled = 0; settled < 2;) {
        await page.waitForFunction(calls)
        await page.evaluate(() => document.fonts.ready)
        await page.evaluate(twoFrames)
        settled = (await page.evaluate(calls)) ? settled + 1 : 0
      }
    },
    storage: (key) =>
      page.evaluate(
        ([k, id]) => JSON.parse(localStorage.getItem(`wal-preview:${id}:${k}`) ?? 'null'),
        [key, openid] as const,
      ),
  }
  Object.defineProperty(phone, 'errors', { value: errors })
  world.phones.push(phone)
  return phone
}

/** Runs a journey; on failure, every open phone's screen is saved to .data/e2e-failures/. */
export async function withScreenshots(world: World, name: string, fn: () => Promise<void>) {
  try {
    await fn()
  } catch (err) {
    mkdirSync(FAILURES_DIR, { recursive: true })
    let i = 0
    for (const phone of world.phones) {
      const file = path.join(FAILURES_DIR, `${name.replace(/\W+/g, '-')}-${i++}.png`)
      await phone.page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
    }
    throw err
  }
}
