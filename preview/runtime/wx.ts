// `wx` for the browser: what the pages and TDesign call, backed by the browser (fetch,
// localStorage, a canvas, a download) or drawn in the phone frame (ui.ts). Each asynchronous API
// takes success/fail/complete callbacks or, without them, returns a promise — as WeChat's do.
import { router, NavigationError } from './router'
import { ui } from './ui'

/** The gateway URL written in miniprogram/config.ts; calls to it go to the server of this page. */
const CONFIGURED_GATEWAY = 'http://127.0.0.1:3900'

export const SCREEN = { width: 375, height: 812, statusBar: 44, navBar: 44, pixelRatio: 2 }

type Options = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
type Result = Record<string, unknown>

class WxError extends Error {
  constructor(readonly errMsg: string) {
    super(errMsg)
  }
}

const fail = (reason: string): never => {
  throw new WxError(reason)
}

/** An API in WeChat's shape: callbacks when given, a promise otherwise. */
function api(name: string, impl: (o: Options) => Result | void | Promise<Result | void>) {
  return (o: Options = {}) => {
    const done = Promise.resolve()
      .then(() => impl(o))
      .then(
        (res) => ({ errMsg: `${name}:ok`, ...(res ?? {}) }),
        (err: unknown) => {
          const reason = err instanceof WxError ? err.errMsg : String(err)
          throw { errMsg: `${name}:fail ${reason}` }
        },
      )
    const callbacks = o.success || o.fail || o.complete
    if (!callbacks) return done
    done.then(
      (res) => {
        o.success?.(res)
        o.complete?.(res)
      },
      (err: unknown) => {
        o.fail?.(err)
        o.complete?.(err)
      },
    )
    return undefined
  }
}

// ——— storage: one "phone" per identity ———

let storagePrefix = 'wal-preview:anon:'
export function useStorageOf(openid: string): void {
  storagePrefix = `wal-preview:${openid}:`
}

function getStorageSync(key: string): unknown {
  const raw = localStorage.getItem(storagePrefix + key)
  if (raw === null) return ''
  try {
    return JSON.parse(raw)
  } catch {
    return ''
  }
}
function setStorageSync(key: string, value: unknown): void {
  localStorage.setItem(storagePrefix + key, JSON.stringify(value))
}
function removeStorageSync(key: string): void {
  localStorage.removeItem(storagePrefix + key)
}
export function clearStorageSync(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(storagePrefix)) localStorage.removeItem(key)
  }
}

// ——— system info ———

const windowInfo = () => ({
  pixelRatio: SCREEN.pixelRatio,
  screenWidth: SCREEN.width,
  screenHeight: SCREEN.height,
  windowWidth: SCREEN.width,
  windowHeight: SCREEN.height - SCREEN.statusBar - SCREEN.navBar,
  statusBarHeight: SCREEN.statusBar,
  safeArea: {
    left: 0,
    right: SCREEN.width,
    top: SCREEN.statusBar,
    bottom: SCREEN.height - 34,
    width: SCREEN.width,
    height: SCREEN.height - SCREEN.statusBar - 34,
  },
  screenTop: 0,
})
const deviceInfo = () => ({
  brand: 'preview',
  model: 'Browser preview (375×812)',
  system: 'iOS 17.0',
  platform: 'devtools',
  benchmarkLevel: 1,
})
const appBaseInfo = () => ({
  SDKVersion: '3.4.0',
  version: '8.0.50',
  language: 'zh_CN',
  theme: 'light',
  enableDebug: false,
  host: { env: 'WeChat' },
})

// ——— navigation ———

function navigation(name: string, run: (o: Options) => void) {
  return api(name, (o) => {
    try {
      run(o)
    } catch (err) {
      if (err instanceof NavigationError) fail(err.message)
      throw err
    }
  })
}

// ——— canvas to file, album ———

const tempFiles = new Map<string, string>()
let tempCount = 0

function download(href: string, name: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
}

export function createWx(): Record<string, unknown> {
  return {
    // network
    request: api('request', async (o) => {
      const url = String(o.url).replace(CONFIGURED_GATEWAY, location.origin)
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), Number(o.timeout) || 60000)
      try {
        const method = String(o.method ?? 'GET').toUpperCase()
        const res = await fetch(url, {
          method,
          headers: (o.header ?? {}) as Record<string, string>,
          body: method === 'GET' ? undefined : JSON.stringify(o.data ?? {}),
          signal: controller.signal,
        })
        const text = await res.text()
        let data: unknown = text
        try {
          data = JSON.parse(text)
        } catch {
          // not JSON: handed over as text, as WeChat does
        }
        return { data, statusCode: res.status, header: Object.fromEntries(res.headers) }
      } catch (err) {
        return fail(controller.signal.aborted ? 'timeout' : `${String(err)}`)
      } finally {
        clearTimeout(timer)
      }
    }),
    downloadFile: api('downloadFile', (o) => ({ tempFilePath: String(o.url), statusCode: 200 })),
    openDocument: api('openDocument', (o) => {
      window.open(String(o.filePath), '_blank')
    }),

    // storage
    getStorageSync,
    setStorageSync,
    removeStorageSync,
    clearStorageSync,
    getStorage: api('getStorage', (o) => ({ data: getStorageSync(o.key) })),
    setStorage: api('setStorage', (o) => setStorageSync(o.key, o.data)),
    removeStorage: api('removeStorage', (o) => removeStorageSync(o.key)),

    // system
    getSystemInfoSync: () => ({ ...windowInfo(), ...deviceInfo(), ...appBaseInfo() }),
    getSystemInfo: api('getSystemInfo', () => ({
      ...windowInfo(),
      ...deviceInfo(),
      ...appBaseInfo(),
    })),
    getWindowInfo: windowInfo,
    getDeviceInfo: deviceInfo,
    getAppBaseInfo: appBaseInfo,
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: SCREEN.statusBar + 6,
      bottom: SCREEN.statusBar + 38,
      left: SCREEN.width - 7 - 87,
      right: SCREEN.width - 7,
    }),
    onThemeChange: () => {},
    offThemeChange: () => {},
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    canIUse: () => true,
    vibrateShort: api('vibrateShort', () => {}),
    reportEvent: () => {},

    // navigation
    navigateTo: navigation('navigateTo', (o) => router.navigateTo(String(o.url))),
    redirectTo: navigation('redirectTo', (o) => router.redirectTo(String(o.url))),
    reLaunch: navigation('reLaunch', (o) => router.reLaunch(String(o.url))),
    navigateBack: navigation('navigateBack', (o) => router.navigateBack(Number(o.delta ?? 1))),
    // The app has no tabBar (app.json); WeChat refuses switchTab to any other page.
    switchTab: navigation('switchTab', () => fail('can not switch to no-tabBar page')),
    setNavigationBarTitle: api('setNavigationBarTitle', (o) => router.setTitle(String(o.title))),
    setNavigationBarColor: api('setNavigationBarColor', () => {}),
    stopPullDownRefresh: api('stopPullDownRefresh', () => router.stopPullDownRefresh()),
    startPullDownRefresh: api('startPullDownRefresh', () => {
      router.pullDownRefresh()
    }),
    pageScrollTo: api('pageScrollTo', (o) => {
      const box = router.top?.box
      if (!box) return
      if (o.selector) {
        const target = box.querySelector(String(o.selector).replace(/^#/, '#'))
        target?.scrollIntoView({ block: 'start' })
      } else box.scrollTo({ top: Number(o.scrollTop ?? 0) })
    }),
    showShareMenu: api('showShareMenu', () => {}),
    hideShareMenu: api('hideShareMenu', () => {}),
    updateShareMenu: api('updateShareMenu', () => {}),

    // interaction
    showToast: api('showToast', (o) => ui.toast({ ...o, title: String(o.title ?? '') } as never)),
    hideToast: api('hideToast', () => ui.hideToast()),
    showLoading: api('showLoading', (o) =>
      ui.toast({ title: String(o.title ?? ''), mask: o.mask }, true),
    ),
    hideLoading: api('hideLoading', () => ui.hideLoading()),
    showModal: api('showModal', (o) => ui.modal(o)),
    showActionSheet: api('showActionSheet', async (o) => {
      const index = await ui.actionSheet((o.itemList as string[]) ?? [], o.alertText)
      return index === null ? fail('cancel') : { tapIndex: index }
    }),
    setClipboardData: api('setClipboardData', async (o) => {
      const data = String(o.data ?? '')
      ;(window as unknown as { __walClipboard: string }).__walClipboard = data
      await navigator.clipboard?.writeText(data).catch(() => undefined)
      ui.toast({ title: '内容已复制', icon: 'success' })
    }),
    getClipboardData: api('getClipboardData', () => ({
      data: (window as unknown as { __walClipboard?: string }).__walClipboard ?? '',
    })),

    // location, phone, scan
    getLocation: api('getLocation', () => {
      const l = ui.settings.location
      if (!l.allowed) return fail('auth deny')
      return { longitude: l.longitude, latitude: l.latitude, accuracy: 30, speed: -1, altitude: 0 }
    }),
    getSetting: api('getSetting', () => ({
      authSetting: {
        'scope.userLocation': ui.settings.location.allowed,
        'scope.writePhotosAlbum': ui.settings.album,
      },
    })),
    authorize: api('authorize', (o) => {
      const scope = String(o.scope)
      if (scope === 'scope.userLocation' && !ui.settings.location.allowed) fail('auth deny')
      if (scope === 'scope.writePhotosAlbum' && !ui.settings.album) fail('auth deny')
    }),
    openSetting: api('openSetting', async () => {
      const s = ui.settings
      const allowLocation = await ui.system(
        '设置（预览）',
        ['允许使用我的位置？', '（相册与位置也可在左侧面板更改）'],
        '允许',
        '不允许',
      )
      s.location.allowed = allowLocation
      ui.saveSettings()
      return {
        authSetting: {
          'scope.userLocation': s.location.allowed,
          'scope.writePhotosAlbum': s.album,
        },
      }
    }),
    openLocation: api('openLocation', async (o) => {
      await ui.system(
        '导航（预览）',
        [
          String(o.name ?? ''),
          String(o.address ?? ''),
          `经度 ${Number(o.longitude).toFixed(4)}，纬度 ${Number(o.latitude).toFixed(4)}`,
        ].filter(Boolean),
        '关闭',
        '',
      )
    }),
    makePhoneCall: api('makePhoneCall', async (o) => {
      const ok = await ui.system('拨打电话（预览）', [String(o.phoneNumber)], '呼叫')
      if (!ok) fail('cancel')
    }),
    scanCode: api('scanCode', async () => {
      const result = await ui.prompt({
        title: '扫码（预览）',
        hint: '粘贴或输入二维码的内容',
        confirmText: '识别',
      })
      if (result === null) return fail('cancel')
      const path = /^pages\//.test(result) ? result : undefined
      return { result, scanType: 'QR_CODE', charSet: 'utf-8', ...(path ? { path } : {}) }
    }),

    // canvas and album
    canvasToTempFilePath: api('canvasToTempFilePath', (o) => {
      const canvas = o.canvas as HTMLCanvasElement | undefined
      if (!canvas?.toDataURL) return fail('canvas is empty')
      const path = `wxfile://tmp_preview_${++tempCount}.png`
      tempFiles.set(path, canvas.toDataURL('image/png'))
      return { tempFilePath: path }
    }),
    saveImageToPhotosAlbum: api('saveImageToPhotosAlbum', (o) => {
      if (!ui.settings.album) return fail('auth deny')
      const path = String(o.filePath)
      download(tempFiles.get(path) ?? path, path.replace(/^.*\//, ''))
    }),

    // subscription messages and WeChat Pay's receipt confirmation
    requestSubscribeMessage: api('requestSubscribeMessage', async (o) => {
      const ids = (o.tmplIds as string[]) ?? []
      if (ids.length === 0) return fail('TmplIds can not be empty')
      const ok = await ui.system('订阅消息（预览）', ['允许发送以下消息？', ...ids], '允许', '取消')
      const answer = ok ? 'accept' : 'reject'
      return Object.fromEntries(ids.map((id) => [id, answer]))
    }),
    requestMerchantTransfer: api('requestMerchantTransfer', async (o) => {
      const ok = await ui.system(
        '确认收款（预览）',
        ['商家转账到零钱，确认后收款。', `商户号 ${String(o.mchId ?? '')}`],
        '确认收款',
      )
      if (!ok) fail('cancel')
    }),

    // cloud mode is not what the preview runs; present so `wx.cloud` reads do not throw
    cloud: {
      init: () => {},
      callFunction: () => Promise.reject(new Error('the preview runs in local mode')),
    },
  }
}
