// The browser preview's entry: the phone frame (status bar, WeChat's navigation bar and capsule),
// the side panel (who you are, how the app was opened, location and album permission), then the
// app itself — `wx`, App(), the built-in and the app's components, and the first page.
import { loadApp } from 'wal-preview-registry'
import { registerBuiltins } from './builtins'
import { dispatchTap, registerAll } from './framework'
import { router } from './router'
import { ui } from './ui'
import { clearStorageSync, createWx, SCREEN, useStorageOf } from './wx'

/** The demo's people (scripts/seed.ts, campaigns/demo/org.json and store.json). */
export const IDENTITIES = [
  { key: 'respondent', openid: 'o-demo-respondent', label: '答题者' },
  { key: 'respondent2', openid: 'o-demo-respondent-2', label: '第二位答题者' },
  { key: 'volunteer', openid: 'o-demo-volunteer', label: '志愿者（小安）' },
  { key: 'station', openid: 'o-demo-station-admin', label: '站长（天河站）' },
  { key: 'unit', openid: 'o-demo-unit-admin', label: '单位管理员（省协会）' },
  { key: 'clerk', openid: 'o-demo-clerk', label: '自提点店员' },
  { key: 'organiser', openid: 'o-demo-organiser', label: '组委会（organiser）' },
]
const HOME = 'pages/home/index'
/** services/transport.ts reads the local caller identity from this storage key. */
const DEV_OPENID_KEY = 'wal.devOpenid'

const params = new URLSearchParams(location.search)

function identity(): { key: string; openid: string; label: string } {
  const wanted = params.get('as') ?? localStorage.getItem('wal-preview:as') ?? 'respondent'
  return (
    IDENTITIES.find((i) => i.key === wanted || i.openid === wanted) ??
    (/^[A-Za-z0-9_-]{1,128}$/.test(wanted)
      ? { key: wanted, openid: wanted, label: wanted }
      : IDENTITIES[0]!)
  )
}

function reopen(changes: Record<string, string | null>): void {
  const next = new URLSearchParams(location.search)
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') next.delete(k)
    else next.set(k, v)
  }
  location.search = next.toString()
}

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
  node.append(...children)
  return node
}

function panel(who: ReturnType<typeof identity>): HTMLElement {
  const select = h('select', { id: 'wal-identity', 'aria-label': '身份' })
  for (const i of IDENTITIES) {
    const option = h('option', { value: i.key }, `${i.label} · ${i.openid}`)
    select.appendChild(option)
  }
  if (!IDENTITIES.some((i) => i.key === who.key)) {
    select.appendChild(h('option', { value: who.key }, who.openid))
  }
  select.value = who.key
  select.addEventListener('change', () => {
    localStorage.setItem('wal-preview:as', select.value)
    reopen({ as: select.value, page: null, scene: null })
  })

  const scene = h('input', {
    id: 'wal-scene',
    placeholder: 'c=分享码 或 i=邀请码',
    value: params.has('scene') ? (params.get('scene') ?? '') : '',
  })
  const openScene = h('button', { type: 'button', id: 'wal-open-scene' }, '以此场景打开')
  openScene.addEventListener('click', () => reopen({ scene: scene.value, page: null }))

  const loc = ui.settings.location
  const allow = h('input', { type: 'checkbox', id: 'wal-location-allowed' })
  allow.checked = loc.allowed
  const lng = h('input', { id: 'wal-lng', value: String(loc.longitude), size: '9' })
  const lat = h('input', { id: 'wal-lat', value: String(loc.latitude), size: '9' })
  const album = h('input', { type: 'checkbox', id: 'wal-album' })
  album.checked = ui.settings.album
  const save = () => {
    ui.settings.location = {
      allowed: allow.checked,
      longitude: Number(lng.value) || loc.longitude,
      latitude: Number(lat.value) || loc.latitude,
    }
    ui.settings.album = album.checked
    ui.saveSettings()
  }
  for (const input of [allow, lng, lat, album]) input.addEventListener('change', save)

  const refresh = h('button', { type: 'button', id: 'wal-pull' }, '下拉刷新')
  refresh.addEventListener('click', () => {
    if (!router.pullDownRefresh()) ui.toast({ title: '此页未开启下拉刷新', icon: 'none' })
  })
  const forget = h('button', { type: 'button', id: 'wal-forget' }, '清除本机数据')
  forget.addEventListener('click', () => {
    clearStorageSync()
    reopen({ page: null })
  })

  return h(
    'aside',
    { class: 'wal-panel' },
    h('h1', {}, 'WAL Survey 预览'),
    h('p', { class: 'wal-hint' }, '真实页面与本地云函数；不是微信客户端（docs/preview.md）。'),
    h('label', {}, '身份 ', select),
    h('label', {}, '打开场景 scene ', scene),
    openScene,
    h(
      'fieldset',
      {},
      h('legend', {}, '位置'),
      h('label', {}, allow, ' 允许使用位置'),
      h('label', {}, '经度 ', lng),
      h('label', {}, '纬度 ', lat),
    ),
    h('label', {}, album, ' 允许保存到相册'),
    h('div', { class: 'wal-row' }, refresh, forget),
  )
}

function phone(): {
  phone: HTMLElement
  pages: HTMLElement
  overlay: HTMLElement
  nav: HTMLElement
} {
  const back = h('button', { type: 'button', class: 'wal-nav__back', 'aria-label': '返回' }, '‹')
  back.addEventListener('click', () => {
    if (router.stack.length > 1) router.navigateBack(1)
    else router.reLaunch(`/${HOME}`)
  })
  const title = h('div', { class: 'wal-nav__title', id: 'wal-title' })
  const more = h(
    'button',
    { type: 'button', class: 'wal-capsule__more', 'aria-label': '更多' },
    '•••',
  )
  more.addEventListener('click', async () => {
    const pick = await ui.actionSheet(['转发给朋友', '重新进入小程序'])
    if (pick === 0) ui.shareFrom('menu')
    if (pick === 1) location.reload()
  })
  const close = h(
    'button',
    { type: 'button', class: 'wal-capsule__close', 'aria-label': '关闭' },
    '◉',
  )
  close.addEventListener('click', () => router.reLaunch(`/${HOME}`))
  const nav = h(
    'div',
    { class: 'wal-nav' },
    back,
    title,
    h('div', { class: 'wal-capsule' }, more, h('span', { class: 'wal-capsule__bar' }), close),
  )
  const pages = h('div', { class: 'wal-pages', id: 'wal-pages' })
  const overlay = h('div', { class: 'wal-overlay', id: 'wal-overlay' })
  const status = h(
    'div',
    { class: 'wal-status' },
    h('span', {}, '9:41'),
    h('span', { class: 'wal-status__icons' }, '▮▮▮ ◔ ▭'),
  )
  const frame = h(
    'div',
    {
      class: 'wal-phone',
      id: 'wal-phone',
      style: `width:${SCREEN.width}px;height:${SCREEN.height}px`,
    },
    status,
    nav,
    pages,
    overlay,
  )
  return { phone: frame, pages, overlay, nav }
}

/** Taps, and pull-down refresh with the mouse (drag down or wheel up at the top of a page). */
function wireGestures(pages: HTMLElement): void {
  pages.addEventListener('click', (e) => {
    let target = e.target as (Node & { __wxElement?: unknown }) | null
    while (target && !target.__wxElement) target = target.parentNode as typeof target
    if (target) dispatchTap(target.__wxElement as EventTarget, e.pageX, e.pageY, e)
  })
  let pull = 0
  pages.addEventListener(
    'wheel',
    (e) => {
      const box = router.top?.box
      if (!box || box.scrollTop > 0 || e.deltaY >= 0) {
        pull = 0
        return
      }
      pull -= e.deltaY
      if (pull > 240) {
        pull = 0
        router.pullDownRefresh()
      }
    },
    { passive: true },
  )
  let dragFrom: number | null = null
  pages.addEventListener('mousedown', (e) => {
    dragFrom = router.top?.box.scrollTop === 0 ? e.clientY : null
  })
  window.addEventListener('mouseup', (e) => {
    if (dragFrom !== null && e.clientY - dragFrom > 80) router.pullDownRefresh()
    dragFrom = null
  })
}

interface AppOptions {
  onLaunch?(o: unknown): void
  onShow?(o: unknown): void
  globalData?: Record<string, unknown>
}

function boot(): void {
  const who = identity()
  const wx = createWx()
  let app: AppOptions = {}
  Object.assign(window, {
    wx,
    App: (options: AppOptions) => {
      app = options
    },
    getApp: () => app,
    getCurrentPages: () => router.stack.map((p) => p.instance),
  })
  useStorageOf(who.openid)
  ;(wx.setStorageSync as (k: string, v: unknown) => void)(DEV_OPENID_KEY, who.openid)

  const shell = phone()
  document.body.append(panel(who), h('main', { class: 'wal-stage' }, shell.phone))
  ui.layer = shell.overlay
  router.container = shell.pages
  router.onChange = () => {
    const top = router.top
    shell.nav.querySelector('#wal-title')!.textContent = top?.title ?? ''
    shell.nav.classList.toggle('wal-nav--root', router.stack.length <= 1 && top?.route === HOME)
    document.title = `${top?.title ?? ''} · WAL Survey 预览`
  }
  wireGestures(shell.pages)

  registerBuiltins()
  registerAll()
  loadApp()
  const scene = params.get('scene')
  // WeChat hands a scanned code's scene percent-encoded, in the launch options and to the page.
  const query: Record<string, string> = scene ? { scene: encodeURIComponent(scene) } : {}
  const launch = { path: HOME, query, scene: scene ? 1047 : 1001 }
  app.onLaunch?.(launch)
  app.onShow?.(launch)
  const page = params.get('page')
  const first = page
    ? `/${page.replace(/^\//, '')}`
    : `/${HOME}${scene ? `?scene=${encodeURIComponent(scene)}` : ''}`
  router.reLaunch(first)
  Object.assign(window, {
    __walPreview: { ready: true, router, ui, identity: who },
  })
}

try {
  boot()
} catch (err) {
  console.error(err)
  document.body.append(h('pre', { class: 'wal-fatal' }, String((err as Error)?.stack ?? err)))
}
