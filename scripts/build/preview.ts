// Builds the browser preview (docs/preview.md) into preview/dist/: the app's real pages and the
// TDesign components they use, their WXML compiled by the official compiler (miniprogram-compiler,
// the one the component tests use) into one `$gwx` function, their WXSS turned into CSS with the
// same class prefixing as miniprogram-simulate, and the pages' TypeScript bundled with j-component
// (the open component framework under miniprogram-simulate) and the preview's own runtime.
import { build, type Plugin } from 'esbuild'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buildMiniprogram } from './miniprogram'

const root = path.resolve(__dirname, '../..')
const miniprogramRoot = path.join(root, 'miniprogram')
const previewRoot = path.join(root, 'preview')
export const PREVIEW_DIST = path.join(previewRoot, 'dist')

/** One component (or page) of the app as the runtime registers it. */
export interface ComponentEntry {
  /** j-component id; also the CSS class prefix (`<id>--<class>`). */
  id: string
  /** Path under miniprogram/ without extension, e.g. `pages/home/index`. */
  path: string
  /** DOM tag of the host: `page` for pages, else the tag it was first used with. */
  tag: string
  isPage: boolean
  /** Tag → component id, as j-component's usingComponents wants it. */
  using: Record<string, string>
  /** Page options of `<page>.json` (title, pull-down refresh, …); pages only. */
  window?: Record<string, unknown>
}

interface AppJson {
  pages: string[]
  /** 分包: each root's pages, listed relative to it. The preview loads them all at once. */
  subpackages?: { root: string; pages: string[] }[]
  window?: Record<string, unknown>
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T

/** Every page of app.json and every component reachable from them, pages first. */
export function collectComponents(): { entries: ComponentEntry[]; app: AppJson } {
  const app = readJson<AppJson>(path.join(miniprogramRoot, 'app.json'))
  // The preview has no packages to download: a subpackage's pages are pages like any other.
  app.pages = [
    ...app.pages,
    ...(app.subpackages ?? []).flatMap((s) =>
      s.pages.map((p) => `${s.root.replace(/\/+$/, '')}/${p}`),
    ),
  ]
  const byPath = new Map<string, ComponentEntry>()
  let next = 0
  const visit = (rel: string, tag: string, isPage: boolean): string => {
    const known = byPath.get(rel)
    if (known) return known.id
    const json = readJson<{ usingComponents?: Record<string, string> } & Record<string, unknown>>(
      path.join(miniprogramRoot, `${rel}.json`),
    )
    const entry: ComponentEntry = {
      id: `w${(next++).toString(36)}`,
      path: rel,
      tag,
      isPage,
      using: {},
    }
    byPath.set(rel, entry)
    if (isPage) {
      const { usingComponents: _ignored, ...window } = json
      entry.window = window
    }
    for (const [childTag, target] of Object.entries(json.usingComponents ?? {})) {
      // WeChat resolves a bare path from miniprogram_npm/, a leading / from the root.
      const child = target.startsWith('/')
        ? target.slice(1)
        : /^[./]/.test(target)
          ? path.posix.join(path.posix.dirname(rel), target)
          : `miniprogram_npm/${target}`
      entry.using[childTag] = visit(child, childTag, false)
    }
    return entry.id
  }
  // A page listed before its files exist (someone is writing it) is left out, not fatal.
  const missing = app.pages.filter((p) => !existsSync(path.join(miniprogramRoot, `${p}.json`)))
  if (missing.length > 0)
    console.warn(`[preview] pages without files, left out: ${missing.join(', ')}`)
  app.pages = app.pages.filter((p) => !missing.includes(p))
  for (const page of app.pages) visit(page, 'page', true)
  return { entries: [...byPath.values()], app }
}

/** Script file of a component: TypeScript for the app's own, JavaScript for TDesign's. */
function scriptOf(rel: string): string {
  for (const ext of ['.ts', '.js']) {
    const file = path.join(miniprogramRoot, rel + ext)
    if (existsSync(file)) return file
  }
  throw new Error(`component ${rel} has no .ts or .js`)
}

/** WXML of the whole app as one `$gwx` function, exactly as the component tests compile it. */
function compileWxml(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiler = require('miniprogram-compiler') as {
    wxmlToJs(rootPath: string): string
  }
  // The compiled code reads this global (simulate sets it the same way).
  return `window.__webview_engine_version__ = 0.02;\nwindow.__walGwx = (function () {\n${compiler.wxmlToJs(miniprogramRoot)}\n})();\n`
}

/** The phone is 375 pt wide: 750rpx = 375px. */
export function rpxToPx(css: string): string {
  return css.replace(/(-?\d*\.?\d+)rpx/gi, (_all, n: string) => `${+(Number(n) / 2).toFixed(3)}px`)
}

/**
 * A page's `page { … }` rules apply to that page only: every page root is a `<page>` element with
 * the page's id in `data-wal-page`. (app.wxss keeps plain `page`: it is for every page.)
 */
function scopePageSelector(css: string, id: string): string {
  return css.replace(
    /(^|[}\s,>+~(])page(?=[\s.:#[>+~,){])/g,
    (_all, before: string) => `${before}page[data-wal-page="${id}"]`,
  )
}

/**
 * WXSS tag selectors name the built-in components (`button`); WeChat matches them on its own
 * elements (`wx-button`), and so does the preview. Only app.wxss uses them (its button reset).
 */
function builtinTagSelectors(css: string): string {
  return css.replace(/(^|[}\s,>+~(])button(?=[\s.:#[>+~,){])/g, '$1wx-button')
}

/** CSS of every component: WXSS with its imports, classes prefixed with the component id. */
function compileWxss(entries: ComponentEntry[]): string {
  // simulate's own WXSS helpers (import resolution, the class prefix plugin, csso).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wxss = require('miniprogram-simulate/src/wxss') as {
    getContent(file: string): string
    compile(source: string, options: { prefix: string }): string
  }
  const appWxss = readFileSync(path.join(miniprogramRoot, 'app.wxss'), 'utf8')
  const parts = [`/* app.wxss */\n${rpxToPx(builtinTagSelectors(appWxss))}`]
  for (const e of entries) {
    const source = wxss.getContent(path.join(miniprogramRoot, `${e.path}.wxss`))
    if (!source) continue
    let css = rpxToPx(wxss.compile(source, { prefix: e.id }))
    if (e.isPage) css = scopePageSelector(css, e.id)
    parts.push(`/* ${e.path} */\n${css}`)
  }
  parts.push(iconFallback(entries))
  // app.wxss classes are global in WeChat: give every page its own prefixed copy.
  const appClasses = /\.[A-Za-z_-][\w-]*/.test(appWxss)
  if (appClasses) {
    for (const e of entries.filter((x) => x.isPage)) {
      parts.push(rpxToPx(wxss.compile(appWxss, { prefix: e.id })))
    }
  }
  return pageViewportUnits(parts.join('\n'))
}

/**
 * In WeChat `vh` is the page's viewport: the window under the navigation bar (724 pt here), not the
 * browser's. The phone's page area is a size container (frame.css, `.wal-pages`), so `vh` becomes
 * `cqh`, a hundredth of its height; that container also holds the pages' `position: fixed`, as
 * WeChat's page viewport does.
 */
function pageViewportUnits(css: string): string {
  return css.replace(/(\d*\.?\d+)vh\b/g, '$1cqh')
}

/**
 * TDesign's icon font loads from Tencent's CDN, which the preview does not reach (nor should it):
 * the icons the app shows are drawn with plain characters instead.
 */
const ICON_GLYPHS: Record<string, string> = {
  check: '✓',
  'check-circle': '✓',
  'check-circle-filled': '✔',
  'check-rectangle-filled': '☑',
  close: '✕',
  'close-circle': '✕',
  'close-circle-filled': '✕',
  'chevron-right': '›',
  'chevron-left': '‹',
  'chevron-down': '⌄',
  'chevron-up': '⌃',
  'error-circle': '!',
  'error-circle-filled': '!',
  'info-circle': 'i',
  'info-circle-filled': 'i',
  add: '+',
  remove: '−',
  minus: '−',
  gift: '🎁',
  location: '⌖',
  search: '⌕',
  time: '◷',
  call: '✆',
  share: '⇪',
  qrcode: '▦',
  scan: '⌗',
  user: '☺',
  wallet: '▭',
  star: '☆',
  'star-filled': '★',
  'help-circle': '?',
  refresh: '↻',
}

function iconFallback(entries: ComponentEntry[]): string {
  const icon = entries.find((e) => e.path.endsWith('tdesign-miniprogram/icon/icon'))
  if (!icon) return ''
  return Object.entries(ICON_GLYPHS)
    .map(
      ([name, glyph]) =>
        `.${icon.id}--t-icon-${name}:before{content:${JSON.stringify(glyph)};font-family:inherit!important;font-weight:700}`,
    )
    .join('\n')
}

/**
 * Bare imports inside miniprogram/ resolve from the nearest miniprogram_npm/, as in the WeChat
 * runtime (TDesign's `tslib`, the pages' `wal-core`, wal-core's `dayjs`).
 */
const miniprogramNpm: Plugin = {
  name: 'miniprogram-npm',
  setup(b) {
    b.onResolve({ filter: /^[a-z@][\w@./-]*$/ }, (args) => {
      if (!args.importer.startsWith(miniprogramRoot + path.sep)) return undefined
      let dir = path.dirname(args.importer)
      while (dir.startsWith(miniprogramRoot)) {
        const base = path.join(dir, 'miniprogram_npm', args.path)
        for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
          if (existsSync(candidate) && statSync(candidate).isFile()) return { path: candidate }
        }
        dir = path.dirname(dir)
      }
      return undefined
    })
  },
}

/**
 * Two small changes to j-component for a real screen (applied to its source as it is bundled):
 * rpx in inline styles at 2 rpx per px (it maps 1:1 for jsdom), and `fields({ node: true })` in
 * selector queries, which the canvas builtin answers with a Canvas 2D node.
 */
const jComponentPatches: Plugin = {
  name: 'j-component-patches',
  setup(b) {
    b.onLoad({ filter: /[\\/]j-component[\\/]src[\\/]tool[\\/]utils\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const patched = source.replace(
        "return style.replace(/(\\d+)rpx/ig, '$1px')",
        'return style.replace(/(-?\\d*\\.?\\d+)rpx/ig, function (a, n) { return (+n / 2) + "px" })',
      )
      if (patched === source) throw new Error('j-component transformRpx changed: update the patch')
      return { contents: patched, loader: 'js' }
    })
    b.onLoad({ filter: /[\\/]j-component[\\/]src[\\/]tool[\\/]selectorquery\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const anchor = 'if (fields.properties) {'
      if (!source.includes(anchor)) throw new Error('j-component selectorquery changed')
      const patched = source.replace(
        anchor,
        `if (fields.node) { itemRes.node = (node.__walNode && node.__walNode()) || null }\n            ${anchor}`,
      )
      return { contents: patched, loader: 'js' }
    })
  },
}

/**
 * Noto Sans SC (the @fontsource package, served under /preview/fonts/) for CJK text on machines
 * without a CJK font, under its own name and under the names TDesign and the pages ask for
 * (PingFang SC, Microsoft YaHei): those would otherwise fall back to a font without Chinese.
 */
function fontCss(): string {
  const dir = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'))
  const faces = ['400', '700']
    .map((weight) => readFileSync(path.join(dir, `${weight}.css`), 'utf8'))
    .join('\n')
    .replace(/url\(\.\/files\//g, 'url(fonts/files/')
  return [
    'Noto Sans SC',
    'PingFang SC',
    'PingFangSC-Regular',
    'Microsoft YaHei',
    'Arial',
    'Arial Regular',
    'Helvetica Neue',
  ]
    .map((family) => faces.replace(/font-family: 'Noto Sans SC'/g, `font-family: '${family}'`))
    .join('\n')
}

/** The generated module the runtime imports: every component with a loader of its script. */
function registryModule(entries: ComponentEntry[], app: AppJson): string {
  const lines = entries.map((e) => {
    const { ...meta } = e
    return `  { meta: ${JSON.stringify(meta)}, load: function () { return require(${JSON.stringify(scriptOf(e.path))}) } },`
  })
  return [
    `export const appWindow = ${JSON.stringify(app.window ?? {})}`,
    `export const pages = ${JSON.stringify(app.pages)}`,
    `export const components = [\n${lines.join('\n')}\n]`,
    `export function loadApp() { return require(${JSON.stringify(path.join(miniprogramRoot, 'app.ts'))}) }`,
  ].join('\n')
}

export interface PreviewBuild {
  dir: string
  pages: number
  components: number
  ms: number
}

/** Image files of the app (its artwork; WeChat's <image> takes SVG). */
const APP_IMAGE = /\.(svg|png|jpe?g|gif|webp)$/i

/**
 * The app's own images, under dist/mp/ with their paths: the preview's <image> serves a src that
 * starts with `/` (the app root, as in WeChat) from there (preview/runtime/builtins.ts).
 */
async function copyAppImages(outDir: string, dir = miniprogramRoot): Promise<number> {
  let copied = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name.startsWith('.')) continue
    const from = path.join(dir, entry.name)
    if (entry.isDirectory()) copied += await copyAppImages(outDir, from)
    else if (APP_IMAGE.test(entry.name)) {
      const to = path.join(outDir, 'mp', path.relative(miniprogramRoot, from))
      await mkdir(path.dirname(to), { recursive: true })
      await copyFile(from, to)
      copied++
    }
  }
  return copied
}

/** Builds preview/dist/. `miniprogramNpm: false` skips rebuilding miniprogram_npm/ (done already). */
export async function buildPreview(
  options: { outDir?: string; miniprogramNpm?: boolean } = {},
): Promise<PreviewBuild> {
  const started = Date.now()
  const outDir = options.outDir ?? PREVIEW_DIST
  if (options.miniprogramNpm !== false) await buildMiniprogram()
  const { entries, app } = collectComponents()
  await mkdir(outDir, { recursive: true })
  await writeFile(path.join(outDir, 'gwx.js'), compileWxml())
  await writeFile(path.join(outDir, 'app.css'), compileWxss(entries))
  await build({
    entryPoints: [path.join(previewRoot, 'runtime/index.ts')],
    outfile: path.join(outDir, 'runtime.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    sourcemap: 'linked',
    logLevel: 'warning',
    // j-component and exparser look for a Node-style global.
    define: { global: 'window' },
    plugins: [
      miniprogramNpm,
      jComponentPatches,
      {
        name: 'registry',
        setup(b) {
          b.onResolve({ filter: /^wal-preview-registry$/ }, () => ({
            path: 'registry',
            namespace: 'wal-preview',
          }))
          b.onLoad({ filter: /.*/, namespace: 'wal-preview' }, () => ({
            contents: registryModule(entries, app),
            resolveDir: root,
            loader: 'js',
          }))
        },
      },
    ],
  })
  await writeFile(path.join(outDir, 'fonts.css'), fontCss())
  for (const file of ['index.html', 'frame.css']) {
    await copyFile(path.join(previewRoot, file), path.join(outDir, file))
  }
  await copyAppImages(outDir)
  return {
    dir: outDir,
    pages: app.pages.length,
    components: entries.length,
    ms: Date.now() - started,
  }
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  buildPreview()
    .then((r) => {
      const rel = path.relative(root, r.dir)
      process.stdout.write(
        `preview built in ${rel}/ (${r.pages} pages, ${r.components} components, ${r.ms} ms)\n`,
      )
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
      process.exitCode = 1
    })
}
