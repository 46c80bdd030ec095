// The page stack: WeChat's navigateTo / redirectTo / reLaunch / navigateBack with its 10-page
// limit, page queries passed to onLoad, and the page hooks a Component-written page has in its
// methods (onLoad, onShow, onHide, onUnload, onPullDownRefresh, onReachBottom, onPageScroll,
// onShareAppMessage). Each page scrolls in its own box under the navigation bar.
import { appWindow, pages } from 'wal-preview-registry'
import { createComponent, pageMeta, type RootComponent } from './framework'
import { ui } from './ui'

export const PAGE_LIMIT = 10

/* eslint-disable @typescript-eslint/no-explicit-any -- a page instance is whatever it defines */
export interface PageRecord {
  route: string
  query: Record<string, string>
  root: RootComponent
  box: HTMLElement
  instance: any
  title: string
  window: Record<string, unknown>
}

export class NavigationError extends Error {}

export function parseUrl(
  url: string,
  from?: string,
): { route: string; query: Record<string, string> } {
  const [rawPath = '', search = ''] = url.split('?')
  let route = rawPath.replace(/^\//, '')
  if (!rawPath.startsWith('/') && from) {
    // Relative to the current page's folder, as WeChat resolves it.
    const parts = from.split('/').slice(0, -1)
    for (const part of rawPath.split('/')) {
      if (part === '..') parts.pop()
      else if (part !== '.') parts.push(part)
    }
    route = parts.join('/')
  }
  const query: Record<string, string> = {}
  // WeChat hands query values as they are in the URL (a scene stays percent-encoded).
  for (const pair of search.split('&')) {
    if (!pair) continue
    const at = pair.indexOf('=')
    query[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? '' : pair.slice(at + 1)
  }
  return { route, query }
}

class Router {
  readonly stack: PageRecord[] = []
  /** The element the pages live in (set by the shell). */
  container: HTMLElement = document.body
  /** Called whenever the top page or its title changes. */
  onChange: () => void = () => {}

  get top(): PageRecord | undefined {
    return this.stack[this.stack.length - 1]
  }

  private call(page: PageRecord, hook: string, ...args: unknown[]): unknown {
    const fn = page.instance?.[hook]
    if (typeof fn !== 'function') return undefined
    try {
      return fn.apply(page.instance, args)
    } catch (err) {
      console.error(`[preview] ${page.route}.${hook}`, err)
      return undefined
    }
  }

  private show(page: PageRecord): void {
    page.box.hidden = false
    page.root.triggerPageLifeTime('show')
    this.call(page, 'onShow')
    this.onChange()
  }

  private hide(page: PageRecord): void {
    page.box.hidden = true
    page.root.triggerPageLifeTime('hide')
    this.call(page, 'onHide')
  }

  private unload(page: PageRecord): void {
    this.call(page, 'onUnload')
    page.root.detach()
    page.box.remove()
  }

  private open(url: string): PageRecord {
    const { route, query } = parseUrl(url, this.top?.route)
    const meta = pageMeta(route)
    if (!meta || !meta.isPage || !pages.includes(route)) {
      throw new NavigationError(`page "${route}" is not found`)
    }
    const box = document.createElement('div')
    box.className = 'wal-page-box'
    box.dataset.route = route
    this.container.appendChild(box)
    const root = createComponent(meta.id)
    root.dom.setAttribute('data-wal-page', meta.id)
    root.attach(box)
    const instance = root.instance
    instance.route = route
    instance.options = query
    const window = { ...appWindow, ...(meta.window ?? {}) }
    const page: PageRecord = {
      route,
      query,
      root,
      box,
      instance,
      title: String(window.navigationBarTitleText ?? ''),
      window,
    }
    this.watchScroll(page)
    this.stack.push(page)
    this.call(page, 'onLoad', { ...query })
    this.show(page)
    return page
  }

  private watchScroll(page: PageRecord): void {
    const distance = Number(page.window.onReachBottomDistance ?? 50)
    let atBottom = false
    page.box.addEventListener('scroll', () => {
      const box = page.box
      this.call(page, 'onPageScroll', { scrollTop: box.scrollTop })
      const near = box.scrollTop + box.clientHeight >= box.scrollHeight - distance
      if (near && !atBottom) this.call(page, 'onReachBottom')
      atBottom = near
    })
  }

  navigateTo(url: string): void {
    if (this.stack.length >= PAGE_LIMIT) {
      throw new NavigationError('webview count limit exceed')
    }
    const previous = this.top
    if (previous) this.hide(previous)
    try {
      this.open(url)
    } catch (err) {
      if (previous) this.show(previous)
      throw err
    }
  }

  redirectTo(url: string): void {
    parseAndCheck(url, this.top?.route)
    const previous = this.stack.pop()
    if (previous) this.unload(previous)
    this.open(url)
  }

  reLaunch(url: string): void {
    parseAndCheck(url, this.top?.route)
    while (this.stack.length > 0) this.unload(this.stack.pop()!)
    this.open(url)
  }

  navigateBack(delta = 1): void {
    if (this.stack.length <= 1) throw new NavigationError('cannot navigate back at first page.')
    const count = Math.min(Math.max(1, delta), this.stack.length - 1)
    for (let i = 0; i < count; i++) this.unload(this.stack.pop()!)
    this.show(this.top!)
  }

  setTitle(title: string): void {
    if (this.top) this.top.title = title
    this.onChange()
  }

  /** 下拉刷新 on the top page (when its page json enables it). */
  pullDownRefresh(): boolean {
    const page = this.top
    if (!page || page.window.enablePullDownRefresh !== true) return false
    page.box.classList.add('wal-refreshing')
    page.box.scrollTop = 0
    this.call(page, 'onPullDownRefresh')
    return true
  }

  stopPullDownRefresh(): void {
    for (const page of this.stack) page.box.classList.remove('wal-refreshing')
  }

  shareCard(from: 'menu' | 'button'): Record<string, unknown> | null {
    const page = this.top
    if (!page || typeof page.instance?.onShareAppMessage !== 'function') return null
    const card = (this.call(page, 'onShareAppMessage', { from }) ?? {}) as Record<string, unknown>
    return { title: page.title, path: `/${page.route}`, ...card }
  }
}

function parseAndCheck(url: string, from?: string): void {
  const { route } = parseUrl(url, from)
  if (!pages.includes(route)) throw new NavigationError(`page "${route}" is not found`)
}

export const router = new Router()
ui.share = (from) => router.shareCard(from)
