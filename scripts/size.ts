// `npm run size`: what WeChat DevTools would upload for the mini-program, per package (主包 and
// each 分包), failing when a package is over budget.
//
// How it measures. project.config.json sets `ignoreUploadUnusedFiles`, so DevTools uploads the
// code files reachable from app.json and leaves the rest. This script follows the same edges from
// app.{ts,json,wxss}, every page of `pages` and of each subpackage: a component's four files,
// `usingComponents`, JS imports (relative, or bare from the nearest miniprogram_npm/), WXML
// <import>/<include>/<wxs> and WXSS @import. A page's TypeScript counts as DevTools compiles it
// (esbuild: types erased, type-only imports gone, minified as project.config.json's `minified`
// asks); every other file counts its bytes on disk (TDesign's are minified already). Non-code files (images)
// are always uploaded, as DevTools does. A file belongs to the subpackage whose root holds it,
// else to the main package — so a TDesign part only a subpackage uses still weighs on main.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { transformSync } from 'esbuild'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import ts from 'typescript'
import { buildMiniprogram } from './build/miniprogram'

const root = path.resolve(__dirname, '..')
export const MINIPROGRAM_ROOT = path.join(root, 'miniprogram')
const NPM = 'miniprogram_npm'

export const KB = 1024
/** WeChat's own limit for one package is 2 MB; the campaign sets main ≤ 400 KB, all ≤ 2 MB. */
export const BUDGET = { main: 400 * KB, subpackage: 2048 * KB, total: 2048 * KB }
interface AppJson {
  pages: string[]
  subpackages?: { root: string; name?: string; pages: string[] }[]
  subPackages?: { root: string; name?: string; pages: string[] }[]
  usingComponents?: Record<string, string>
  sitemapLocation?: string
}

export interface PackageSize {
  /** `main`, or the subpackage's root. */
  name: string
  root: string | undefined
  bytes: number
  /** Path under miniprogram/ → bytes, for the biggest-files listing. */
  files: Map<string, number>
}

export interface SizeReport {
  packages: PackageSize[]
  total: number
  /** Bytes in the main package that no main page reaches: shared parts only subpackages use. */
  mainForSubpackages: number
  problems: string[]
}

const CODE = /\.(ts|js|json|wxml|wxss|wxs)$/
const rel = (file: string): string =>
  path.relative(MINIPROGRAM_ROOT, file).split(path.sep).join('/')

// Paths are those of the app as DevTools sees it; miniprogram_npm/ may be read from elsewhere
// (the fresh build `npm run size` makes in a temporary folder).
const APP_NPM = path.join(MINIPROGRAM_ROOT, NPM)
let npmSource = APP_NPM
const real = (file: string): string =>
  file === APP_NPM || file.startsWith(APP_NPM + path.sep)
    ? npmSource + file.slice(APP_NPM.length)
    : file
const exists = (file: string): boolean => existsSync(real(file))
const read = (file: string): string => readFileSync(real(file), 'utf8')

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((f) => exists(f) && statSync(real(f)).isFile())
}

/** The nearest miniprogram_npm/ at or above `dir`, as the runtime resolves bare names. */
function npmDirs(dir: string): string[] {
  const found: string[] = []
  for (let d = dir; d.startsWith(MINIPROGRAM_ROOT); d = path.dirname(d)) {
    const candidate = path.join(d, NPM)
    if (exists(candidate)) found.push(candidate)
    if (d === MINIPROGRAM_ROOT) break
  }
  return found
}

function resolveScript(fromDir: string, spec: string): string | undefined {
  const bases = spec.startsWith('.')
    ? [path.resolve(fromDir, spec)]
    : spec.startsWith('/')
      ? [path.join(MINIPROGRAM_ROOT, spec)]
      : npmDirs(fromDir).map((d) => path.join(d, spec))
  for (const base of bases) {
    const hit = firstExisting(['', '.ts', '.js', '/index.ts', '/index.js'].map((ext) => base + ext))
    if (hit) return hit
  }
  return undefined
}

/** A component path (no extension) from a usingComponents value or a page entry. */
function resolveComponent(fromDir: string, target: string): string | undefined {
  const bases = target.startsWith('/')
    ? [path.join(MINIPROGRAM_ROOT, target)]
    : target.startsWith('.')
      ? [path.resolve(fromDir, target)]
      : [...npmDirs(fromDir).map((d) => path.join(d, target)), path.resolve(fromDir, target)]
  for (const base of bases) {
    if (exists(`${base}.json`)) return base
    if (exists(path.join(base, 'index.json'))) return path.join(base, 'index')
  }
  return undefined
}

const transpiled = new Map<string, string>()
/** What DevTools' compile and minify make of a page's .ts (types and type-only imports gone). */
function compiledScript(file: string): string {
  let out = transpiled.get(file)
  if (out === undefined) {
    out = transformSync(read(file), {
      loader: 'ts',
      format: 'cjs',
      target: 'es2017',
      minify: true,
      sourcefile: file,
    }).code
    transpiled.set(file, out)
  }
  return out
}

function bytesOf(file: string): number {
  return file.endsWith('.ts') ? Buffer.byteLength(compiledScript(file)) : statSync(real(file)).size
}

const AMD_PSEUDO = new Set(['exports', 'require', 'module'])
const WXML_REF = /<(?:import|include|wxs)\b[^>]*\bsrc\s*=\s*["']([^"'{}]+)["']/g
const WXSS_REF = /@import\s+["']([^"']+)["']/g

/** Files `file` refers to (not components: those come from the .json). */
function referencesOf(file: string, problems: Set<string>): string[] {
  const dir = path.dirname(file)
  const out: string[] = []
  const need = (hit: string | undefined, what: string): void => {
    if (hit) out.push(hit)
    else problems.add(`${rel(file)}: cannot resolve ${what}`)
  }
  if (file.endsWith('.ts') || file.endsWith('.js') || file.endsWith('.wxs')) {
    const text = file.endsWith('.ts') ? compiledScript(file) : read(file)
    // TypeScript's own scanner: imports, exports-from and require() calls, not look-alike strings.
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      // tslib's UMD wrapper names AMD's pseudo-dependencies; nothing to upload.
      if (AMD_PSEUDO.has(spec)) continue
      need(resolveScript(dir, spec), `"${spec}"`)
    }
  } else if (file.endsWith('.wxml')) {
    for (const [, src] of read(file).matchAll(WXML_REF)) {
      const target = src!.startsWith('/')
        ? path.join(MINIPROGRAM_ROOT, src!)
        : path.resolve(dir, src!)
      need(firstExisting([target, `${target}.wxml`]), `<… src="${src}">`)
    }
  } else if (file.endsWith('.wxss')) {
    for (const [, src] of read(file).matchAll(WXSS_REF)) {
      const target = src!.startsWith('/')
        ? path.join(MINIPROGRAM_ROOT, src!)
        : path.resolve(dir, src!)
      need(firstExisting([target, `${target}.wxss`]), `@import "${src}"`)
    }
  } else if (file.endsWith('.json')) {
    const json = JSON.parse(read(file)) as { usingComponents?: unknown }
    for (const target of Object.values((json.usingComponents ?? {}) as Record<string, string>)) {
      // `plugin://…` and generics are not files of the app.
      if (target.includes('://')) continue
      const component = resolveComponent(dir, target)
      if (!component) {
        problems.add(`${rel(file)}: cannot resolve component "${target}"`)
        continue
      }
      out.push(...componentFiles(component))
    }
  }
  return out
}

/** A component's (or page's) own files that exist: .json, .wxml, .wxss and its script. */
function componentFiles(base: string): string[] {
  const files = ['.json', '.wxml', '.wxss'].map((e) => base + e).filter(exists)
  const script = firstExisting([`${base}.ts`, `${base}.js`])
  if (script) files.push(script)
  return files
}

/** Every file reachable from `start`. */
function closure(start: string[], problems: Set<string>): Set<string> {
  const seen = new Set<string>()
  const queue = [...start]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    queue.push(...referencesOf(file, problems))
  }
  return seen
}

function assetsUnder(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== NPM && entry.name !== 'node_modules') found.push(...assetsUnder(full))
    } else if (!CODE.test(entry.name) && !entry.name.endsWith('.md')) found.push(full)
  }
  return found
}

/**
 * The packages DevTools would upload, from miniprogram/app.json as it is now, with
 * miniprogram_npm/ read from `npmDir` (default: the app's own).
 */
export function measurePackages(npmDir = APP_NPM): SizeReport {
  npmSource = npmDir
  const miniprogramRoot = MINIPROGRAM_ROOT
  const appFile = path.join(miniprogramRoot, 'app.json')
  const app = JSON.parse(readFileSync(appFile, 'utf8')) as AppJson
  const problems = new Set<string>()
  const subpackages = app.subpackages ?? app.subPackages ?? []
  const pageFiles = (page: string): string[] => {
    const files = componentFiles(path.join(miniprogramRoot, page))
    if (files.length === 0) problems.add(`page ${page} has no files`)
    return files
  }
  const appEntry = [
    appFile,
    ...componentFiles(path.join(miniprogramRoot, 'app')),
    path.join(miniprogramRoot, app.sitemapLocation ?? 'sitemap.json'),
  ].filter((f, i, all) => existsSync(f) && all.indexOf(f) === i)

  const reached = closure([...appEntry, ...app.pages.flatMap(pageFiles)], problems)
  const fromMain = new Set(reached)
  const subRoots = subpackages.map((s) => s.root.replace(/\/+$/, ''))
  const ownerOf = (file: string): string | undefined =>
    subRoots.find((r) => rel(file) === r || rel(file).startsWith(`${r}/`))
  for (const file of reached) {
    const owner = ownerOf(file)
    if (owner) problems.add(`main package reaches ${rel(file)}, inside subpackage ${owner}`)
  }
  for (const sub of subpackages) {
    const r = sub.root.replace(/\/+$/, '')
    for (const page of sub.pages) {
      for (const file of closure(pageFiles(`${r}/${page}`), problems)) {
        const owner = ownerOf(file)
        if (owner && owner !== r) {
          problems.add(`subpackage ${r} reaches ${rel(file)}, inside subpackage ${owner}`)
        }
        reached.add(file)
      }
    }
  }
  for (const asset of assetsUnder(miniprogramRoot)) reached.add(asset)

  const packages: PackageSize[] = [
    { name: 'main', root: undefined, bytes: 0, files: new Map() },
    ...subRoots.map((r) => ({ name: r, root: r, bytes: 0, files: new Map<string, number>() })),
  ]
  for (const file of reached) {
    const owner = ownerOf(file)
    const pkg = packages.find((p) => p.root === owner)!
    const bytes = bytesOf(file)
    pkg.files.set(rel(file), bytes)
    pkg.bytes += bytes
  }
  const total = packages.reduce((sum, p) => sum + p.bytes, 0)
  let mainForSubpackages = 0
  for (const [file, bytes] of packages[0]!.files) {
    if (!fromMain.has(path.join(MINIPROGRAM_ROOT, file))) mainForSubpackages += bytes
  }
  for (const pkg of packages) {
    const limit = pkg.root ? BUDGET.subpackage : BUDGET.main
    if (pkg.bytes > limit) {
      problems.add(`${pkg.name}: ${kb(pkg.bytes)} over its budget of ${kb(limit)}`)
    }
  }
  if (total > BUDGET.total)
    problems.add(`total ${kb(total)} over its budget of ${kb(BUDGET.total)}`)
  return { packages, total, mainForSubpackages, problems: [...problems] }
}

export const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`

/** Bytes per group: a miniprogram_npm package or TDesign component, else the folder. */
function groups(files: Map<string, number>): [string, number][] {
  const sums = new Map<string, number>()
  for (const [file, bytes] of files) {
    const parts = file.split('/')
    const key =
      parts[0] === NPM
        ? parts[1] === 'tdesign-miniprogram'
          ? parts.slice(0, parts[2] === NPM ? 4 : 3).join('/')
          : parts.slice(0, 2).join('/')
        : parts.length > 1
          ? parts.slice(0, -1).join('/')
          : file
    sums.set(key, (sums.get(key) ?? 0) + bytes)
  }
  return [...sums].sort((a, b) => b[1] - a[1])
}

async function main(): Promise<void> {
  // Measure what the build makes now, built apart: a test run may be rebuilding the app's own.
  let npmDir = APP_NPM
  if (!process.argv.includes('--no-build')) {
    const tmp = await mkdtemp(path.join(tmpdir(), 'wal-size-'))
    npmDir = path.join(tmp, NPM)
    await buildMiniprogram(npmDir)
  }
  const report = measurePackages(npmDir)
  if (npmDir !== APP_NPM) await rm(path.dirname(npmDir), { recursive: true, force: true })
  const verbose = process.argv.includes('--verbose')
  const line = (name: string, bytes: number, limit: number): string =>
    `  ${name.padEnd(22)} ${kb(bytes).padStart(10)}  / ${kb(limit)}${bytes > limit ? '  OVER' : ''}`
  console.log('What DevTools would upload (reachable code files + assets):')
  for (const pkg of report.packages) {
    const limit = pkg.root ? BUDGET.subpackage : BUDGET.main
    console.log(line(pkg.root ? `分包 ${pkg.root}` : '主包 main', pkg.bytes, limit))
    if (!pkg.root) {
      console.log(
        `      ${kb(report.mainForSubpackages).padStart(9)}  of it reached only from 分包`,
      )
    }
    const shown = verbose ? groups(pkg.files) : groups(pkg.files).slice(0, pkg.root ? 0 : 6)
    for (const [group, bytes] of shown) console.log(`      ${kb(bytes).padStart(9)}  ${group}`)
  }
  console.log(line('total', report.total, BUDGET.total))
  if (report.problems.length > 0) {
    for (const p of report.problems) console.error(`size: ${p}`)
    process.exitCode = 1
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
