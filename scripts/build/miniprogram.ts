// Prepares miniprogram/miniprogram_npm/ so the mini-program runs without DevTools' "build npm":
// the TDesign components the app uses (their icon font's classes cut to the icons named), one
// dayjs with the plugins core uses, and the part of core the app imports bundled as `wal-core`.
// No zod: the client's core (core/client.ts) is zod-free, and the build fails if it is not.
// `npm run size` (scripts/size.ts) measures what this leaves for the upload.
import { build, type BuildOptions } from 'esbuild'
import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import ts from 'typescript'

const root = path.resolve(__dirname, '../..')
const miniprogramRoot = path.join(root, 'miniprogram')
export const NPM_OUT = path.join(miniprogramRoot, 'miniprogram_npm')
const tdesignDist = path.join(root, 'node_modules/tdesign-miniprogram/miniprogram_dist')
const TDESIGN = 'tdesign-miniprogram'
const dayjsDist = path.join(root, 'node_modules/dayjs')
/** The dayjs plugins core extends dayjs with (core/china-time.ts); shipped as `dayjs/plugin/<name>`. */
export const DAYJS_PLUGINS = ['utc'] as const

/**
 * Build everything into miniprogram/miniprogram_npm/ (replacing what was there), or into `out`
 * (npm run size builds its own copy, so a test run rebuilding the real one cannot race it).
 */
export async function buildMiniprogram(out = NPM_OUT): Promise<void> {
  await rm(out, { recursive: true, force: true })
  await copyTdesign(out)
  await trimIconFont(out)
  await copyDayjs(out)
  await bundleCore(out)
}

async function walk(dir: string, skip: (full: string) => boolean = () => false): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (skip(full)) continue
    if (entry.isDirectory()) found.push(...(await walk(full, skip)))
    else found.push(full)
  }
  return found
}

/** Every `tdesign-miniprogram/<dir>/...` the app's own .json files name in usingComponents. */
async function referencedTdesignDirs(): Promise<Set<string>> {
  const jsonFiles = (await walk(miniprogramRoot, (f) => f === NPM_OUT)).filter((f) =>
    f.endsWith('.json'),
  )
  const dirs = new Set<string>()
  for (const file of jsonFiles) {
    const json = JSON.parse(await readFile(file, 'utf8')) as { usingComponents?: unknown }
    const using = (json.usingComponents ?? {}) as Record<string, string>
    for (const target of Object.values(using)) {
      const [pkg, dir] = target.split('/')
      if (pkg === TDESIGN && dir) dirs.add(dir)
    }
  }
  return dirs
}

// Relative references in component files: JS imports, usingComponents paths, <wxs>/<import>
// src attributes and wxss @import all appear as a quoted "./x" or "../x".
const RELATIVE_REF = /["'](\.{1,2}\/[^"'\s]+)["']/g
// Bare JS imports resolve, as in the mini-program runtime, from the nearest miniprogram_npm/.
const BARE_IMPORT = /(?:\bfrom\s*|\bimport\s*|\brequire\(\s*)["']([a-z0-9][\w.-]*)[/"']/gi

/**
 * A unit is a top-level folder of TDesign's dist (a component, `common`, `mixins`), or
 * `miniprogram_npm/<pkg>` for the packages TDesign bundles. Units are copied whole: finer,
 * file-level tracking would save little and risk missing a template or a style import.
 */
function unitOf(relPath: string): string | undefined {
  const parts = relPath.split(path.sep)
  if (parts[0] === 'miniprogram_npm') return parts[1] ? `miniprogram_npm/${parts[1]}` : undefined
  return parts.length > 1 ? parts[0] : undefined
}

/** The TDesign units reachable from `start`, following references between files. */
async function tdesignClosure(start: Iterable<string>): Promise<string[]> {
  const bundled = new Set(await readdir(path.join(tdesignDist, 'miniprogram_npm')))
  const seen = new Set<string>()
  const queue = [...start]
  while (queue.length > 0) {
    const unit = queue.pop()!
    if (seen.has(unit)) continue
    const unitDir = path.join(tdesignDist, unit)
    const info = await stat(unitDir).catch(() => undefined)
    if (!info?.isDirectory()) throw new Error(`TDesign has no ${unit}/ (check usingComponents)`)
    seen.add(unit)
    for (const file of await walk(unitDir)) {
      if (!/\.(js|json|wxml|wxss|wxs)$/.test(file) || file.endsWith('.d.ts')) continue
      const text = await readFile(file, 'utf8')
      for (const [, ref] of text.matchAll(RELATIVE_REF)) {
        const target = path.relative(tdesignDist, path.resolve(path.dirname(file), ref!))
        const next = unitOf(target)
        if (next && !target.startsWith('..')) queue.push(next)
      }
      if (!file.endsWith('.js')) continue
      for (const [, pkg] of text.matchAll(BARE_IMPORT)) {
        // Only packages TDesign ships; anything else that looks like an import is not one.
        if (bundled.has(pkg!)) queue.push(`miniprogram_npm/${pkg}`)
      }
    }
  }
  return [...seen].sort()
}

async function copyTdesign(npmOut: string): Promise<void> {
  const units = await tdesignClosure(await referencedTdesignDirs())
  const out = path.join(npmOut, TDESIGN)
  for (const unit of units) {
    await cp(path.join(tdesignDist, unit), path.join(out, unit), {
      recursive: true,
      // Type declarations are for editors; the runtime never reads them.
      filter: (src) => !src.endsWith('.d.ts'),
    })
  }
}

/** Every quoted word (`"check"`, `'gift'`) in the app's own code and the TDesign it ships. */
async function quotedWords(npmOut: string): Promise<Set<string>> {
  const own = await walk(miniprogramRoot, (f) => f === NPM_OUT || f === npmOut)
  const files = [...own, ...(await walk(path.join(npmOut, TDESIGN)))].filter(
    (f) => /\.(ts|js|json|wxml|wxs)$/.test(f) && !f.endsWith('.d.ts'),
  )
  const words = new Set<string>()
  for (const file of files) {
    for (const [, word] of (await readFile(file, 'utf8')).matchAll(/["'`]([a-z0-9-]+)["'`]/g)) {
      words.add(word!)
    }
  }
  return words
}

/**
 * TDesign's icon.wxss is 112 KB: one `.t-icon-<name>:before` rule for each of 2,352 icons, of
 * which the app and the TDesign parts it ships name a few dozen. Keep the rules of icons whose
 * name appears as a quoted string anywhere in what is shipped (`name="gift"`, `icon: 'check'`,
 * TDesign's own defaults); everything else in the file stays. An icon name built at run time
 * from pieces would lose its glyph: name icons whole.
 */
async function trimIconFont(npmOut: string): Promise<void> {
  const file = path.join(npmOut, TDESIGN, 'icon/icon.wxss')
  const css = await readFile(file, 'utf8').catch(() => undefined)
  if (css === undefined) return
  const words = await quotedWords(npmOut)
  const rule = /\.t-icon-([a-z0-9-]+):before\{content:'[^']*';\}\n?/g
  if ([...css.matchAll(rule)].length < 1000) {
    throw new Error('TDesign icon.wxss no longer looks like one rule per icon: check trimIconFont')
  }
  await writeFile(
    file,
    css.replace(rule, (all, name: string) => (words.has(name) ? all : '')),
  )
}

const esbuildCommon: BuildOptions = {
  bundle: true,
  format: 'cjs',
  target: 'es2017',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
}

/**
 * dayjs ships ES5 UMD files that run as they are; the runtime resolves `require('dayjs')` to
 * miniprogram_npm/dayjs/index.js and `require('dayjs/plugin/utc')` to …/dayjs/plugin/utc.js.
 */
async function copyDayjs(npmOut: string): Promise<void> {
  const out = path.join(npmOut, 'dayjs')
  await mkdir(path.join(out, 'plugin'), { recursive: true })
  await copyFile(path.join(dayjsDist, 'dayjs.min.js'), path.join(out, 'index.js'))
  for (const plugin of DAYJS_PLUGINS) {
    const file = path.join(out, 'plugin', `${plugin}.js`)
    await copyFile(path.join(dayjsDist, 'plugin', `${plugin}.js`), file)
  }
  for (const file of await walk(out)) await assertEs2017(file)
}

/**
 * The values the mini-program imports from wal-core (type-only imports vanish when DevTools
 * compiles), or undefined when some file takes the whole namespace.
 */
export async function walCoreImports(): Promise<string[] | undefined> {
  const files = (await walk(miniprogramRoot, (f) => f === NPM_OUT)).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts'),
  )
  const names = new Set<string>()
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    if (!text.includes('wal-core')) continue
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
    for (const stmt of source.statements) {
      const from =
        (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) &&
        stmt.moduleSpecifier &&
        ts.isStringLiteral(stmt.moduleSpecifier)
          ? stmt.moduleSpecifier.text
          : undefined
      if (from !== 'wal-core') continue
      if (ts.isExportDeclaration(stmt)) {
        if (stmt.isTypeOnly) continue
        if (!stmt.exportClause || !ts.isNamedExports(stmt.exportClause)) return undefined
        for (const e of stmt.exportClause.elements) {
          if (!e.isTypeOnly) names.add((e.propertyName ?? e.name).text)
        }
        continue
      }
      const clause = (stmt as ts.ImportDeclaration).importClause
      if (!clause || clause.isTypeOnly) continue
      if (clause.name) return undefined // a default import: take everything
      const bindings = clause.namedBindings
      if (!bindings) continue
      if (ts.isNamespaceImport(bindings)) return undefined
      for (const e of bindings.elements) {
        if (!e.isTypeOnly) names.add((e.propertyName ?? e.name).text)
      }
    }
  }
  return [...names].sort()
}

/**
 * Why a bundle's imports break the client's rule (no zod at run time: core/client.ts), or null.
 * `imports`: the bare names the bundle requires, as esbuild's metafile lists them.
 */
export function zodImportProblem(imports: readonly string[]): string | null {
  const zod = imports.filter((p) => p === 'zod' || p.startsWith('zod/'))
  return zod.length === 0
    ? null
    : "wal-core requires 'zod' at run time: a value the mini-program imports comes from a core " +
        'module that imports zod (see core/client.ts); the mini-program ships no zod'
}

async function bundleCore(npmOut: string): Promise<void> {
  const outfile = path.join(npmOut, 'wal-core/index.js')
  // Only what the app imports, and only from the zod-free modules core/client.ts names: core
  // also carries the schemas and the server's rules (draw sampling, search, statistics…).
  const used = await walCoreImports()
  const entry = used
    ? {
        stdin: {
          contents: `export { ${used.join(', ')} } from './core/client'\n`,
          resolveDir: root,
          loader: 'ts' as const,
        },
      }
    : { entryPoints: [path.join(root, 'core/client.ts')] }
  const { metafile } = await build({
    ...esbuildCommon,
    ...entry,
    metafile: true,
    // One dayjs in the mini-program: core's require('dayjs') and require('dayjs/plugin/…')
    // resolve to miniprogram_npm/. zod stays external only so that a require of it shows up
    // below (bundled, it would hide inside wal-core), and fails the build.
    external: ['zod', 'zod/*', 'dayjs', 'dayjs/*'],
    outfile,
  })
  const required = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path))
  const zod = zodImportProblem(required)
  if (zod) throw new Error(zod)
  // A plugin core starts to use must be shipped too, or the mini-program fails on require().
  const missing = required.filter(
    (p) =>
      p.startsWith('dayjs/plugin/') && !(DAYJS_PLUGINS as readonly string[]).includes(p.slice(13)),
  )
  if (missing.length > 0) throw new Error(`add to DAYJS_PLUGINS: ${missing.join(', ')}`)
  await assertEs2017(outfile)
}

/**
 * Syntax the WeChat runtime on older phones cannot parse. esbuild lowers most of it for
 * target es2017 but silently keeps what it cannot lower (regex features, BigInt literals).
 */
export function newerThanEs2017(code: string, fileName = 'bundle.js'): string[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const found = new Set<string>()
  const K = ts.SyntaxKind
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case K.QuestionDotToken:
        found.add('optional chaining ?.')
        break
      case K.QuestionQuestionToken:
        found.add('nullish coalescing ??')
        break
      case K.QuestionQuestionEqualsToken:
      case K.BarBarEqualsToken:
      case K.AmpersandAmpersandEqualsToken:
        found.add('logical assignment')
        break
      case K.ClassStaticBlockDeclaration:
        found.add('class static block')
        break
      case K.PropertyDeclaration:
        found.add('class field')
        break
      case K.PrivateIdentifier:
        found.add('private #name')
        break
      case K.BigIntLiteral:
        found.add('BigInt literal')
        break
      case K.SpreadAssignment:
        found.add('object spread')
        break
      case K.ImportKeyword:
        found.add('dynamic import')
        break
      case K.MetaProperty:
        if ((node as ts.MetaProperty).keywordToken === K.ImportKeyword) found.add('import.meta')
        break
      case K.CatchClause:
        if (!(node as ts.CatchClause).variableDeclaration) found.add('optional catch binding')
        break
      case K.ForOfStatement:
        if ((node as ts.ForOfStatement).awaitModifier) found.add('for await')
        break
      case K.ObjectBindingPattern:
        if ((node as ts.ObjectBindingPattern).elements.some((e) => e.dotDotDotToken))
          found.add('object rest')
        break
      case K.FunctionDeclaration:
      case K.FunctionExpression:
      case K.MethodDeclaration: {
        const fn = node as ts.FunctionLikeDeclaration
        const isAsync = ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async
        if (fn.asteriskToken && isAsync) found.add('async generator')
        break
      }
      case K.NumericLiteral:
        if (node.getText(source).includes('_')) found.add('numeric separator')
        break
      case K.RegularExpressionLiteral: {
        const text = node.getText(source)
        const flags = text.slice(text.lastIndexOf('/') + 1)
        if (/[sdv]/.test(flags)) found.add(`regex flag in ${text.slice(0, 40)}`)
        if (/\(\?<[=!]/.test(text)) found.add('regex lookbehind')
        if (/\(\?<[A-Za-z_$]/.test(text)) found.add('regex named group')
        if (/\\[pP]\{/.test(text)) found.add('regex unicode property escape')
        break
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  // parseDiagnostics is not in the public typings but is how TypeScript reports broken input.
  for (const d of (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics) {
    found.add(`parse error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
  }
  return [...found]
}

async function assertEs2017(file: string): Promise<void> {
  const problems = newerThanEs2017(await readFile(file, 'utf8'), file)
  if (problems.length > 0) {
    throw new Error(`${path.relative(root, file)} is not ES2017: ${problems.join(', ')}`)
  }
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0
  for (const file of await walk(dir)) total += (await stat(file)).size
  return total
}

// Run directly (`npx tsx scripts/build/miniprogram.ts`), not when imported by scripts/build.ts.
if (path.resolve(process.argv[1] ?? '') === __filename) {
  buildMiniprogram()
    .then(async () => {
      const kb = (await sizeOf(NPM_OUT)) / 1024
      process.stdout.write(`miniprogram_npm built (${kb.toFixed(0)} KB)\n`)
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
      process.exitCode = 1
    })
}
