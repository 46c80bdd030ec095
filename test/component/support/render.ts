// Rendering mini-program pages with miniprogram-simulate, the real WXML compiler and TDesign.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import simulate, { type ComponentJSON } from 'miniprogram-simulate'

export const miniprogramRoot = path.resolve(__dirname, '../../../miniprogram')

// Any usingComponents target that is neither relative nor absolute names an npm package.
const isPackagePath = (target: string): boolean => !/^[./]/.test(target)

type UsingComponents = Record<string, string>

function usingComponentsOf(componentPath: string): UsingComponents {
  const json = JSON.parse(readFileSync(`${componentPath}.json`, 'utf8')) as {
    usingComponents?: UsingComponents
  }
  return json.usingComponents ?? {}
}

/**
 * The package paths used by `componentPath` and by the app's own components it uses, in turn
 * (TDesign's components name each other by relative paths, which simulate resolves itself).
 */
function packageComponents(componentPath: string, found: UsingComponents = {}): UsingComponents {
  for (const [tag, target] of Object.entries(usingComponentsOf(componentPath))) {
    if (isPackagePath(target)) {
      if (found[tag] && found[tag] !== `/miniprogram_npm/${target}`) {
        throw new Error(`tag ${tag} names two components; simulate would mix them up`)
      }
      found[tag] = `/miniprogram_npm/${target}`
    } else {
      packageComponents(path.resolve(path.dirname(componentPath), target), found)
    }
  }
  return found
}

/**
 * Register `page` (e.g. 'pages/home/index') or an app component (e.g. 'components/question/index')
 * and every component it uses; returns the id to render.
 *
 * WeChat resolves a package path such as "tdesign-miniprogram/button/button" from
 * miniprogram_npm/; simulate would look beside the page instead. So package paths are handed to
 * simulate as absolute paths into miniprogram_npm/ (simulate joins those with rootPath). Simulate
 * applies this override to every component it registers, which is harmless for package paths:
 * they mean the same everywhere, as long as one tag names one component across the app.
 */
export function loadPage(page: string, tagName = 'page'): string {
  const full = path.join(miniprogramRoot, page)
  // The 'official' compiler (wcc) is the one that understands TDesign's <wxs> and <import>.
  return simulate.load(full, tagName, {
    compiler: 'official',
    rootPath: miniprogramRoot,
    usingComponents: packageComponents(full),
  })
}

export type RenderedPage = ReturnType<typeof simulate.render>

/**
 * WeChat sends a page's data to the view as JSON, and warns when one setData is over 256 KB; the
 * campaign holds every page to 32 KB so the first paint is quick on a slow phone.
 */
export const SET_DATA_LIMIT = 32 * 1024

/** Bytes of each payload a page sent to its view: its initial data, then every setData. */
const payloads = new WeakMap<RenderedPage, number[]>()
const rendered: { page: RenderedPage; id: string }[] = []
const bytesOf = (data: unknown): number => Buffer.byteLength(JSON.stringify(data) ?? '')

/** The payload sizes (bytes) `page` has sent so far: [initial data, first setData, …]. */
export function setDataSizes(page: RenderedPage): number[] {
  return payloads.get(page) ?? []
}

// Every page a test renders is held to the limit after the test, whatever the test asserts.
if (typeof afterEach === 'function') {
  afterEach(() => {
    const over = rendered.flatMap(({ page, id }) =>
      setDataSizes(page)
        .map((bytes, i) => ({ id, payload: i === 0 ? 'initial data' : `setData #${i}`, bytes }))
        .filter((p) => p.bytes > SET_DATA_LIMIT),
    )
    rendered.length = 0
    if (over.length > 0) {
      throw new Error(`setData over ${SET_DATA_LIMIT} bytes: ${JSON.stringify(over)}`)
    }
  })
}

/** A fresh instance of a loaded page, attached to a document node as WeChat would show it. */
export function renderPage(id: string): RenderedPage {
  const page = simulate.render(id)
  const sizes = [bytesOf(page.data)]
  payloads.set(page, sizes)
  rendered.push({ page, id })
  const instance = page.instance as { setData: (data: object, callback?: () => void) => void }
  const setData = instance.setData.bind(instance)
  instance.setData = (data, callback) => {
    sizes.push(bytesOf(data))
    setData(data, callback)
  }
  page.attach(document.createElement('parent-wrapper'))
  return page
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** Everything the page shows as text, whitespace collapsed. */
export function shownText(page: RenderedPage): string {
  return collapse(page.dom?.textContent ?? '')
}

type Node = ComponentJSON | string

function textOfTree(node: Node): string {
  return typeof node === 'string' ? node : (node.children as Node[]).map(textOfTree).join('')
}

/**
 * The text shown by the first match of `selector` (selectComponent syntax). A custom component's
 * host has no DOM node of its own in simulate, so its text is read from its rendered tree.
 */
export function textOf(page: RenderedPage, selector: string): string {
  const node = page.querySelector(selector)
  if (!node) throw new Error(`nothing on the page matches ${selector}`)
  return collapse(node.dom ? (node.dom.textContent ?? '') : textOfTree(node.toJSON()))
}

/**
 * Resolves once `done(page.data)` holds, checking after every change to the rendered DOM (setData
 * re-renders synchronously), so tests wait for an outcome rather than for time to pass. A page
 * that never gets there fails the test at jest's timeout.
 */
export function until(
  page: RenderedPage,
  done: (data: RenderedPage['data']) => boolean,
): Promise<void> {
  if (done(page.data)) return Promise.resolve()
  const dom = page.dom
  if (!dom) return Promise.reject(new Error('page is not rendered'))
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!done(page.data)) return
      observer.disconnect()
      resolve()
    })
    observer.observe(dom, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}
