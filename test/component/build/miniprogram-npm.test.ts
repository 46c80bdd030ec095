/**
 * @jest-environment node
 */
// (node, not jsdom: the build script loads esbuild, which refuses jsdom's typed arrays.)
// What scripts/build/miniprogram.ts leaves in miniprogram/miniprogram_npm/ (built by globalSetup):
// the mini-program must run from it with DevTools' "build npm" switched off.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import {
  DAYJS_PLUGINS,
  newerThanEs2017,
  walCoreImports,
  zodImportProblem,
} from '../../../scripts/build/miniprogram'
import { campaign2024 } from '../support/campaigns'
import { miniprogramRoot } from '../support/render'

const npm = path.join(miniprogramRoot, 'miniprogram_npm')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(full) : [full]
  })
}

function usingComponentsOf(componentPath: string): Record<string, string> {
  const json = JSON.parse(readFileSync(`${componentPath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>
  }
  return json.usingComponents ?? {}
}

test('ships every component the pages use, and every component those use in turn', () => {
  const appJson = JSON.parse(readFileSync(path.join(miniprogramRoot, 'app.json'), 'utf8')) as {
    pages: string[]
    subpackages?: { root: string; pages: string[] }[]
  }
  const pages = [
    ...appJson.pages,
    ...(appJson.subpackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`)),
  ]
  const queue = pages.map((p) => path.join(miniprogramRoot, p))
  const seen = new Set<string>()
  while (queue.length > 0) {
    const component = queue.pop()!
    if (seen.has(component)) continue
    seen.add(component)
    for (const ext of ['.json', '.wxml']) expect(existsSync(component + ext)).toBe(true)
    for (const target of Object.values(usingComponentsOf(component))) {
      queue.push(
        target.startsWith('.')
          ? path.resolve(path.dirname(component), target)
          : path.join(npm, target),
      )
    }
  }
  // The home page alone reaches button → loading and icon, among others.
  expect([...seen].map((c) => path.relative(npm, c))).toEqual(
    expect.arrayContaining([
      'tdesign-miniprogram/button/button',
      'tdesign-miniprogram/loading/loading',
      'tdesign-miniprogram/icon/icon',
    ]),
  )
})

test('copies only what is used: no unused TDesign component, no type declarations', () => {
  const shipped = readdirSync(path.join(npm, 'tdesign-miniprogram'))
  expect(shipped).not.toContain('calendar')
  expect(shipped).not.toContain('chat-list')
  expect(filesUnder(npm).filter((f) => f.endsWith('.d.ts'))).toEqual([])
})

test('every shipped script parses as ES2017, for the WeChat runtime on older phones', () => {
  const scripts = filesUnder(npm).filter((f) => f.endsWith('.js'))
  expect(scripts.length).toBeGreaterThan(10)
  const offending = scripts
    .map((f) => [path.relative(npm, f), newerThanEs2017(readFileSync(f, 'utf8'), f)] as const)
    .filter(([, problems]) => problems.length > 0)
  expect(offending).toEqual([])
})

test('the ES2017 check catches the syntax esbuild leaves or older phones cannot parse', () => {
  expect(newerThanEs2017('a?.b; a ?? b; class A { static {} }; /(?<y>\\d{4})/; 10n')).toEqual([
    'optional chaining ?.',
    'nullish coalescing ??',
    'class static block',
    'regex named group',
    'BigInt literal',
  ])
  expect(newerThanEs2017('async function f(){ await g(); return [...a] }')).toEqual([])
})

test('the mini-program ships no zod: wal-core requires none, and miniprogram_npm holds none', () => {
  expect(readdirSync(npm)).not.toContain('zod')
  const walCore = path.join(npm, 'wal-core/index.js')
  expect(readFileSync(walCore, 'utf8')).not.toMatch(/require\("zod/)
  // The part of core the pages use (the envelope check, codes, names, section validation).
  expect(statSync(walCore).size).toBeLessThan(40 * 1024)

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(walCore) as typeof import('wal-core')
  // `require` is typed as the mini-program's here (miniprogram-api-typings); jest's has a cache.
  const loaded = (require as unknown as NodeJS.Require).cache
  expect(Object.keys(loaded).filter((f) => /[\\/]zod[\\/]/.test(f))).toEqual([])
  expect(core.envelopeProblem({ ok: true, data: campaign2024 })).toBeNull()
  expect(core.envelopeProblem({ ok: true })).toBe('an ok reply without data')
  expect(core.contractRef('survey')).toEqual({ name: 'survey' })
})

test('the build refuses a wal-core that requires zod, in one line', () => {
  expect(zodImportProblem(['dayjs', 'dayjs/plugin/utc'])).toBeNull()
  const problem = zodImportProblem(['dayjs', 'zod'])
  expect(problem).toMatch(/^wal-core requires 'zod' at run time: .*core\/client\.ts/)
  expect(problem).not.toContain('\n')
})

test('wal-core carries what the pages import and not the schemas or the server-only rules', async () => {
  const used = await walCoreImports()
  expect(used).toEqual(expect.arrayContaining(['contractRef', 'otherKey', 'envelopeProblem']))
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(path.join(npm, 'wal-core/index.js')) as Record<string, unknown>
  expect(Object.keys(core).sort()).toEqual(used)
  // Contracts and schemas stay on the server; the pages hold contractRef handles instead.
  expect(core).not.toHaveProperty('surveyContract')
  expect(core).not.toHaveProperty('currentCampaignSchema')
})

test('the icon font keeps the glyphs of icons named in what is shipped, and no others', () => {
  const css = readFileSync(path.join(npm, 'tdesign-miniprogram/icon/icon.wxss'), 'utf8')
  // TDesign's defaults (cell arrow, checkbox tick, result themes) and the app's own icon="…".
  for (const name of [
    'chevron-right',
    'check',
    'check-circle',
    'close-circle',
    'location',
    'call',
  ]) {
    expect(css).toContain(`.t-icon-${name}:before`)
  }
  expect(css).not.toContain('.t-icon-zoom-out:before')
  expect(css).toContain('.t-icon-base{')
  expect(statSync(path.join(npm, 'tdesign-miniprogram/icon/icon.wxss')).size).toBeLessThan(
    10 * 1024,
  )
})

test('ships one dayjs with the plugins core uses, and the wal-core bundle reads China time through it', () => {
  expect(
    filesUnder(path.join(npm, 'dayjs'))
      .map((f) => path.relative(npm, f))
      .sort(),
  ).toEqual([
    path.join('dayjs', 'index.js'),
    ...DAYJS_PLUGINS.map((p) => path.join('dayjs', 'plugin', `${p}.js`)),
  ])
  const walCore = path.join(npm, 'wal-core/index.js')
  expect(readFileSync(walCore, 'utf8')).toMatch(/require\("dayjs"\)/)

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require(walCore) as typeof import('wal-core')
  const loaded = (require as unknown as NodeJS.Require).cache
  const dayjsLoaded = Object.keys(loaded).filter((f) => /[\\/]dayjs[\\/]/.test(f))
  expect(dayjsLoaded.sort()).toEqual(
    [path.join(npm, 'dayjs/index.js'), path.join(npm, 'dayjs/plugin/utc.js')].sort(),
  )
  // China midnight is 16:00 UTC the day before. (inChinaTime is what the pages import.)
  const midnight = core.inChinaTime(Date.parse('2024-07-16T16:00:00Z'))
  expect(midnight.format('YYYYMMDD HH:mm')).toBe('20240717 00:00')
  expect(midnight.startOf('day').format()).toBe('2024-07-17T00:00:00+08:00')
})
