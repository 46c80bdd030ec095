// WeChat's built-in components for the browser. miniprogram-simulate registers each as an empty
// `<slot/>` (enough for jsdom); here the ones the app and TDesign use do what a person needs:
// inputs take text, buttons share, pickers pick (the region picker with real region data), images
// show, rich-text draws its nodes, canvas 2D draws, scroll-view scrolls and the map draws its
// markers and the user's position (no tiles, no network). Each is a component whose host element is `<wx-NAME>`, styled by
// frame.css; the rest stay plain containers.
import { areaList } from '@vant/area-data'
import { registerBuiltin } from './framework'
import { ui } from './ui'

/* eslint-disable @typescript-eslint/no-explicit-any -- `this` of a component is exparser's */
type Self = any

const host = (self: Self): HTMLElement => self._exparserNode.$$ as HTMLElement

/** Mirrors a property onto the host element as an attribute, so frame.css can style it. */
function reflect(self: Self, name: string, value: unknown): void {
  const el = host(self)
  if (value === false || value === null || value === undefined || value === '') {
    el.removeAttribute(name)
  } else el.setAttribute(name, value === true ? '' : String(value))
}

const CONTAINERS = [
  'view',
  'cover-view',
  'cover-image',
  'label',
  'block',
  'form',
  'navigator',
  'icon',
  'progress',
  'swiper-item',
  'movable-area',
  'movable-view',
  'page-meta',
  'navigation-bar',
  'root-portal',
  'open-data',
  'web-view',
]

function text(): void {
  registerBuiltin({ id: 'text', tagName: 'wx-text', template: '<slot/>' })
}

function fieldBuiltin(kind: 'input' | 'textarea'): void {
  registerBuiltin({
    id: kind,
    tagName: `wx-${kind}`,
    template: '<slot/>',
    properties: {
      value: { type: String, value: '' },
      type: { type: String, value: 'text' },
      password: { type: Boolean, value: false },
      placeholder: { type: String, value: '' },
      placeholderStyle: { type: String, value: '' },
      disabled: { type: Boolean, value: false },
      maxlength: { type: Number, value: 140 },
      focus: { type: Boolean, value: false },
      autoHeight: { type: Boolean, value: false },
      confirmType: { type: String, value: 'done' },
    },
    lifetimes: {
      attached(this: Self) {
        const field = document.createElement(kind) as HTMLInputElement | HTMLTextAreaElement
        field.className = 'wal-field'
        host(this).appendChild(field)
        this.__field = field
        this.sync()
        field.addEventListener('input', () => {
          const value = field.value
          this.triggerEvent('input', { value, cursor: value.length, keyCode: 0 })
        })
        field.addEventListener('focus', () => this.triggerEvent('focus', { value: field.value }))
        field.addEventListener('blur', () => this.triggerEvent('blur', { value: field.value }))
        field.addEventListener('keydown', (e: Event) => {
          if ((e as KeyboardEvent).key === 'Enter' && kind === 'input') {
            this.triggerEvent('confirm', { value: field.value })
          }
        })
        if (this.data.focus) setTimeout(() => field.focus(), 0)
      },
    },
    observers: {
      'value, type, password, placeholder, disabled, maxlength, focus': function (this: Self) {
        this.sync()
      },
    },
    methods: {
      sync(this: Self) {
        const field = this.__field as HTMLInputElement | undefined
        if (!field) return
        const d = this.data
        if (field.value !== String(d.value ?? '')) field.value = String(d.value ?? '')
        field.placeholder = d.placeholder ?? ''
        field.disabled = !!d.disabled
        if (d.maxlength >= 0) field.maxLength = d.maxlength
        else field.removeAttribute('maxlength')
        if (kind === 'input') {
          field.type = d.password || d.type === 'safe-password' ? 'password' : 'text'
          field.inputMode =
            d.type === 'number' ? 'numeric' : d.type === 'digit' ? 'decimal' : 'text'
        }
        if (d.focus && document.activeElement !== field) setTimeout(() => field.focus(), 0)
      },
    },
  })
}

function button(): void {
  registerBuiltin({
    id: 'button',
    tagName: 'wx-button',
    template: '<slot/>',
    behaviors: ['wx://form-field-button'],
    properties: {
      type: { type: String, value: 'default' },
      size: { type: String, value: 'default' },
      plain: { type: Boolean, value: false },
      disabled: { type: Boolean, value: false },
      loading: { type: Boolean, value: false },
      formType: { type: String, value: '' },
      openType: { type: String, value: '' },
      hoverClass: { type: String, value: '' },
    },
    lifetimes: {
      attached(this: Self) {
        const el = host(this)
        el.setAttribute('role', 'button')
        el.addEventListener('click', () => {
          if (this.data.disabled) return
          const openType = this.data.openType as string
          if (openType === 'share') ui.shareFrom('button')
          else if (openType && openType !== 'feedback') {
            ui.toast({ title: `预览中没有 open-type="${openType}"`, icon: 'none' })
          }
        })
        this.reflectAll()
      },
    },
    observers: {
      'type, size, plain, disabled, loading': function (this: Self) {
        this.reflectAll()
      },
    },
    methods: {
      reflectAll(this: Self) {
        for (const name of ['type', 'size', 'plain', 'disabled', 'loading']) {
          reflect(this, name, this.data[name])
        }
      },
    },
  })
}

const MODE_FIT: Record<string, string> = {
  scaleToFill: 'fill',
  aspectFit: 'contain',
  aspectFill: 'cover',
  widthFix: 'fill',
  heightFix: 'fill',
}

function image(): void {
  registerBuiltin({
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: {
      src: { type: String, value: '' },
      mode: { type: String, value: 'scaleToFill' },
      lazyLoad: { type: Boolean, value: false },
    },
    lifetimes: {
      attached(this: Self) {
        const img = document.createElement('img')
        img.className = 'wal-img'
        img.alt = ''
        img.addEventListener('load', () =>
          this.triggerEvent('load', { width: img.naturalWidth, height: img.naturalHeight }),
        )
        img.addEventListener('error', () =>
          this.triggerEvent('error', { errMsg: `GET ${img.src} failed` }),
        )
        host(this).appendChild(img)
        this.__img = img
        this.sync()
      },
    },
    observers: {
      'src, mode': function (this: Self) {
        this.sync()
      },
    },
    methods: {
      sync(this: Self) {
        const img = this.__img as HTMLImageElement | undefined
        if (!img) return
        const src = this.data.src as string
        // `/assets/…` is a file of the app, from its root as in WeChat: built into dist/mp/.
        if (src) img.src = src.startsWith('/') && !src.startsWith('//') ? `mp${src}` : src
        else img.removeAttribute('src')
        img.style.objectFit = MODE_FIT[this.data.mode as string] ?? 'none'
        reflect(this, 'mode', this.data.mode)
      },
    },
  })
}

/** A node of rich-text's `nodes` array (strings of HTML are not parsed: the app builds nodes). */
interface RichNode {
  type?: string
  text?: string
  name?: string
  attrs?: Record<string, string>
  children?: RichNode[]
}

const RICH_TAGS = new Set(['div', 'p', 'span', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'br'])

/**
 * rich-text draws its `nodes` (text and a few safe tags, built with the DOM, never as HTML). A
 * node's class is the owner page's, so it gets the owner's prefix (`<id>--rt-p`) as WXSS does.
 */
function richText(): void {
  registerBuiltin({
    id: 'rich-text',
    tagName: 'wx-rich-text',
    template: '<slot/>',
    properties: {
      nodes: { type: Array, value: [] },
    },
    lifetimes: {
      attached(this: Self) {
        this.sync()
      },
    },
    observers: {
      nodes: function (this: Self) {
        this.sync()
      },
    },
    methods: {
      sync(this: Self) {
        const el = host(this)
        let prefix = ''
        for (let up = el.parentElement; up && !prefix; up = up.parentElement) {
          const token = [...up.classList].find((c) => /^[\w]+--/.test(c))
          if (token) prefix = token.slice(0, token.indexOf('--') + 2)
        }
        const build = (node: RichNode): Node => {
          if (node.type === 'text' || node.name === undefined) {
            return document.createTextNode(node.text ?? '')
          }
          const tag = RICH_TAGS.has(node.name) ? node.name : 'div'
          const out = document.createElement(tag)
          const cls = node.attrs?.class
          if (cls)
            out.className = cls
              .split(/\s+/)
              .map((c) => `${prefix}${c} ${c}`)
              .join(' ')
          for (const child of node.children ?? []) out.appendChild(build(child))
          return out
        }
        el.querySelectorAll(':scope > .wal-rich').forEach((n) => n.remove())
        const box = document.createElement('div')
        box.className = 'wal-rich'
        for (const node of (this.data.nodes as RichNode[] | null) ?? [])
          box.appendChild(build(node))
        el.appendChild(box)
      },
    },
  })
}

function scrollView(): void {
  registerBuiltin({
    id: 'scroll-view',
    tagName: 'wx-scroll-view',
    template: '<slot/>',
    properties: {
      scrollX: { type: Boolean, value: false },
      scrollY: { type: Boolean, value: false },
      scrollTop: { type: null, value: 0 },
      scrollLeft: { type: null, value: 0 },
      scrollIntoView: { type: String, value: '' },
      lowerThreshold: { type: null, value: 50 },
      enhanced: { type: Boolean, value: false },
      showScrollbar: { type: Boolean, value: true },
      scrollWithAnimation: { type: Boolean, value: false },
    },
    lifetimes: {
      attached(this: Self) {
        const el = host(this)
        let low = false
        el.addEventListener('scroll', () => {
          this.triggerEvent('scroll', {
            scrollTop: el.scrollTop,
            scrollLeft: el.scrollLeft,
            scrollHeight: el.scrollHeight,
            scrollWidth: el.scrollWidth,
          })
          const atEnd =
            el.scrollTop + el.clientHeight >= el.scrollHeight - Number(this.data.lowerThreshold)
          if (atEnd && !low && this.data.scrollY) this.triggerEvent('scrolltolower', {})
          low = atEnd
        })
        this.sync()
      },
    },
    observers: {
      'scrollX, scrollY, scrollTop, scrollLeft, scrollIntoView': function (this: Self) {
        this.sync()
      },
    },
    methods: {
      sync(this: Self) {
        const el = host(this)
        el.style.overflowX = this.data.scrollX ? 'auto' : 'hidden'
        el.style.overflowY = this.data.scrollY ? 'auto' : 'hidden'
        if (this.data.scrollY && this.data.scrollTop !== '')
          el.scrollTop = Number(this.data.scrollTop)
        if (this.data.scrollX && this.data.scrollLeft !== '')
          el.scrollLeft = Number(this.data.scrollLeft)
        const into = this.data.scrollIntoView as string
        if (into) {
          const target = el.querySelector(`#${CSS.escape(into)}`)
          target?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
        }
      },
    },
  })
}

function swiper(): void {
  registerBuiltin({
    id: 'swiper',
    tagName: 'wx-swiper',
    template: '<slot/>',
    properties: {
      current: { type: Number, value: 0 },
      autoplay: { type: Boolean, value: false },
      interval: { type: Number, value: 5000 },
      circular: { type: Boolean, value: false },
      vertical: { type: Boolean, value: false },
    },
    lifetimes: {
      attached(this: Self) {
        const el = host(this)
        let last = 0
        el.addEventListener('scroll', () => {
          const index = Math.round(el.scrollLeft / Math.max(1, el.clientWidth))
          if (index !== last) {
            last = index
            this.triggerEvent('change', { current: index, source: 'touch' })
          }
        })
        this.__timer = setInterval(() => {
          if (!this.data.autoplay || !el.isConnected || el.offsetParent === null) return
          const count = el.children.length
          if (count < 2) return
          const next = (last + 1) % count
          el.scrollTo({ left: next * el.clientWidth, behavior: 'smooth' })
        }, 5000)
      },
      detached(this: Self) {
        clearInterval(this.__timer)
      },
    },
    observers: {
      current(this: Self, current: number) {
        const el = host(this)
        el.scrollTo({ left: current * el.clientWidth })
      },
    },
  })
}

// ——— picker ———

type Column = Array<{ label: string; code?: string }>

const provinces = (): Column =>
  Object.entries(areaList.province_list).map(([code, label]) => ({ code, label }))
const childrenOf = (list: Record<string, string>, parent: string, digits: number): Column =>
  Object.entries(list)
    .filter(([code]) => code.slice(0, digits) === parent.slice(0, digits))
    .map(([code, label]) => ({ code, label }))

/** The region picker's columns for the chosen codes: provinces, then their cities, districts. */
function regionColumns(level: string, chosen: string[]): Column[] {
  const columns: Column[] = [provinces()]
  const province = chosen[0] ?? columns[0]![0]!.code!
  if (level === 'province') return columns
  columns.push(childrenOf(areaList.city_list, province, 2))
  if (level === 'city') return columns
  const city = chosen[1] ?? columns[1]![0]?.code ?? ''
  columns.push(childrenOf(areaList.county_list, city, 4))
  return columns
}

function picker(): void {
  registerBuiltin({
    id: 'picker',
    tagName: 'wx-picker',
    template: '<slot/>',
    properties: {
      mode: { type: String, value: 'selector' },
      range: { type: Array, value: [] },
      rangeKey: { type: String, value: '' },
      value: { type: null, value: null },
      level: { type: String, value: 'region' },
      disabled: { type: Boolean, value: false },
      start: { type: String, value: '' },
      end: { type: String, value: '' },
    },
    lifetimes: {
      attached(this: Self) {
        host(this).addEventListener('click', () => {
          if (!this.data.disabled) void this.open()
        })
      },
    },
    methods: {
      async open(this: Self) {
        const d = this.data
        if (d.mode === 'region') {
          const level = d.level as string
          // The picker opens on the value's names, or on the first of each column.
          const names: string[] = Array.isArray(d.value) ? d.value : []
          const initial: string[] = []
          for (let i = 0; i < (level === 'province' ? 1 : level === 'city' ? 2 : 3); i++) {
            const col = regionColumns(level, initial)[i] ?? []
            const hit = col.find((c) => c.label === names[i]) ?? col[0]
            if (hit?.code) initial.push(hit.code)
          }
          const codes = await ui.pickColumns({
            title: '选择地区',
            columns: (chosen) => regionColumns(level, chosen),
            initial,
          })
          if (!codes) return this.triggerEvent('cancel', {})
          const cols = regionColumns(level, codes)
          const value = codes.map((code, i) => cols[i]!.find((c) => c.code === code)!.label)
          this.triggerEvent('change', { value, code: codes, postcode: '' })
        } else if (d.mode === 'selector') {
          const range = (d.range as unknown[]).map((item, i) => ({
            label: String(
              d.rangeKey && item && typeof item === 'object'
                ? (item as Record<string, unknown>)[d.rangeKey]
                : item,
            ),
            code: String(i),
          }))
          const chosen = await ui.pickColumns({
            title: '请选择',
            columns: () => [range],
            initial: [String(d.value ?? 0)],
          })
          if (!chosen) return this.triggerEvent('cancel', {})
          this.triggerEvent('change', { value: Number(chosen[0]) })
        } else if (d.mode === 'date' || d.mode === 'time') {
          const value = await ui.prompt({
            title: d.mode === 'date' ? '选择日期' : '选择时间',
            inputType: d.mode,
            value: String(d.value ?? ''),
          })
          if (value === null) return this.triggerEvent('cancel', {})
          this.triggerEvent('change', { value })
        } else {
          ui.toast({ title: `预览中没有 picker mode="${d.mode}"`, icon: 'none' })
        }
      },
    },
  })
}

// ——— canvas 2D ———

/** What WeChat's Canvas 2D node offers beyond an HTML canvas. */
type CanvasNode = HTMLCanvasElement & {
  createImage(): HTMLImageElement
  requestAnimationFrame(cb: FrameRequestCallback): number
}

function canvas(): void {
  registerBuiltin({
    id: 'canvas',
    tagName: 'wx-canvas',
    template: '<slot/>',
    properties: { type: { type: String, value: '' }, canvasId: { type: String, value: '' } },
    lifetimes: {
      attached(this: Self) {
        const el = document.createElement('canvas') as CanvasNode
        el.className = 'wal-canvas'
        el.createImage = () => {
          const img = new Image()
          img.crossOrigin = 'anonymous'
          return img
        }
        el.requestAnimationFrame = (cb) => window.requestAnimationFrame(cb)
        const rect = host(this).getBoundingClientRect()
        el.width = Math.round(rect.width) || 300
        el.height = Math.round(rect.height) || 150
        host(this).appendChild(el)
        this._exparserNode.__walNode = () => el
      },
    },
  })
}

// ——— map (a stand-in: no tiles, no network) ———

interface Marker {
  id: number
  latitude: number
  longitude: number
  title?: string
  callout?: { content?: string }
  label?: { content?: string }
  ariaLabel?: string
}

/** Web Mercator: pixels per degree of longitude at WeChat's scale (zoom) on a 256-px tile. */
function project(lng: number, lat: number, scale: number): [number, number] {
  const size = 256 * 2 ** scale
  const x = ((lng + 180) / 360) * size
  const s = Math.sin((lat * Math.PI) / 180)
  const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size
  return [x, y]
}

function map(): void {
  registerBuiltin({
    id: 'map',
    tagName: 'wx-map',
    template: '<slot/>',
    properties: {
      longitude: { type: Number, value: 116.397 },
      latitude: { type: Number, value: 39.909 },
      scale: { type: Number, value: 16 },
      markers: { type: Array, value: [] },
      showLocation: { type: Boolean, value: false },
      includePoints: { type: Array, value: [] },
    },
    lifetimes: {
      attached(this: Self) {
        const el = host(this)
        el.setAttribute('role', 'img')
        const layer = document.createElement('div')
        layer.className = 'wal-map-layer'
        el.appendChild(layer)
        const note = document.createElement('div')
        note.className = 'wal-map-note'
        note.textContent = '预览地图：无底图，仅示意位置'
        el.appendChild(note)
        this.__layer = layer
        this.__ro = new ResizeObserver(() => this.draw())
        this.__ro.observe(el)
        this.draw()
      },
      detached(this: Self) {
        this.__ro?.disconnect()
      },
    },
    observers: {
      'longitude, latitude, scale, markers, showLocation': function (this: Self) {
        this.draw()
      },
    },
    methods: {
      draw(this: Self) {
        const layer = this.__layer as HTMLElement | undefined
        if (!layer) return
        const el = host(this)
        const w = el.clientWidth || 375
        const h = el.clientHeight || 300
        const d = this.data
        const [cx, cy] = project(Number(d.longitude), Number(d.latitude), Number(d.scale))
        const place = (lng: number, lat: number): [number, number] => {
          const [x, y] = project(lng, lat, Number(d.scale))
          return [x - cx + w / 2, y - cy + h / 2]
        }
        layer.replaceChildren()
        for (const m of (d.markers as Marker[]) ?? []) {
          const [x, y] = place(m.longitude, m.latitude)
          const pin = document.createElement('button')
          pin.type = 'button'
          pin.className = 'wal-map-marker'
          pin.style.left = `${x}px`
          pin.style.top = `${y}px`
          pin.dataset.markerId = String(m.id)
          const label = m.callout?.content || m.label?.content || m.title || ''
          pin.setAttribute('aria-label', m.ariaLabel || label || `marker ${m.id}`)
          pin.innerHTML = '<span class="wal-map-pin"></span>'
          if (label) {
            const tag = document.createElement('span')
            tag.className = 'wal-map-label'
            tag.textContent = label
            pin.appendChild(tag)
          }
          pin.addEventListener('click', (e) => {
            e.stopPropagation()
            this.triggerEvent('markertap', { markerId: m.id })
            this.triggerEvent('callouttap', { markerId: m.id })
          })
          layer.appendChild(pin)
        }
        const me = ui.settings.location
        if (d.showLocation && me.allowed) {
          const [x, y] = place(me.longitude, me.latitude)
          const dot = document.createElement('span')
          dot.className = 'wal-map-me'
          dot.style.left = `${x}px`
          dot.style.top = `${y}px`
          dot.title = '我的位置'
          layer.appendChild(dot)
        }
      },
    },
  })
}

export function registerBuiltins(): void {
  for (const name of CONTAINERS) {
    registerBuiltin({ id: name, tagName: `wx-${name}`, template: '<slot/>' })
  }
  text()
  fieldBuiltin('input')
  fieldBuiltin('textarea')
  button()
  image()
  richText()
  scrollView()
  swiper()
  picker()
  canvas()
  map()
}
