// The deployable bundle works: esbuild builds cloudfunctions/campaign into a scratch folder and
// the function host runs that index.js (wx-server-sdk external, everything else inlined).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { buildFunctions, REPO_ROOT, type BuiltFunction } from '../../scripts/build/functions'
import { seed } from '../../scripts/seed'
import { setClockForTests } from '../../server/db'

// Inside the repository (git-ignored .data/) so the bundle's require('wx-server-sdk') resolves to
// the root node_modules, as it does for cloudfunctions/<fn>/index.js.
const outDir = path.join(REPO_ROOT, '.data', `test-bundles-${process.pid}`)
let cloud: LocalCloud
let built: BuiltFunction

beforeAll(async () => {
  cloud = startLocalCloud()
  ;[built] = (await buildFunctions({ outDir, only: ['campaign'] })) as [BuiltFunction]
})
afterAll(() => {
  setClockForTests(undefined)
  cloud.close()
  rmSync(outDir, { recursive: true, force: true })
})

test('the built campaign bundle is self-contained and answers getCurrent', async () => {
  expect(built).toMatchObject({ name: 'campaign', file: path.join(outDir, 'campaign', 'index.js') })

  const code = readFileSync(built.file, 'utf8')
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])
  // Only the SDKs (each declared in the function's package.json, so the deploy installs them)
  // and Node built-ins are left to the runtime. node-sdk is pinned to wx-server-sdk's own copy.
  const pkg = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'cloudfunctions/campaign/package.json'), 'utf8'),
  )
  expect(pkg.dependencies).toEqual({ '@cloudbase/node-sdk': '3.17.2', 'wx-server-sdk': '4.0.2' })
  const runtime = new Set([...builtinModules, ...Object.keys(pkg.dependencies)])
  expect(required.filter((id) => !id!.startsWith('node:') && !runtime.has(id!))).toEqual([])
  expect(required).toContain('wx-server-sdk')

  await seed({ nowMs: Date.parse('2025-03-01T10:00:00+08:00') })
  // The pinned clock reaches the bundle's own copy of server/db.ts through globalThis.
  setClockForTests(new Date('2024-07-20T12:00:00+08:00'))
  const host = createFunctionHost({ cloud, from: 'bundle', bundleDir: outDir, only: ['campaign'] })
  const reply = await host.invoke('campaign', { action: 'getCurrent' }, { openid: 'o-smoke' })
  expect(reply).toMatchObject({
    ok: true,
    data: { id: 'wal-2024', status: 'open', serverTime: '2024-07-20T04:00:00.000Z' },
  })
})

test('the host names what is wrong: an unbuilt bundle, a shadowing wx-server-sdk, an unknown function', async () => {
  expect(() =>
    createFunctionHost({ cloud, from: 'bundle', bundleDir: path.join(outDir, 'none') }),
  ).toThrow(/campaign[/\\]index\.js not found \(run npm run build\)/)

  // What `npm install` inside a function folder (e.g. from DevTools) would leave behind.
  const shadowed = path.join(outDir, 'shadowed')
  const sdkCopy = path.join(shadowed, 'campaign', 'node_modules', 'wx-server-sdk')
  mkdirSync(sdkCopy, { recursive: true })
  writeFileSync(path.join(sdkCopy, 'package.json'), '{"name":"wx-server-sdk","main":"index.js"}')
  writeFileSync(path.join(sdkCopy, 'index.js'), '')
  copyFileSync(
    path.join(outDir, 'campaign', 'index.js'),
    path.join(shadowed, 'campaign', 'index.js'),
  )
  expect(() => createFunctionHost({ cloud, from: 'bundle', bundleDir: shadowed })).toThrow(
    /wx-server-sdk resolves to .*remove that node_modules/,
  )

  const host = createFunctionHost({ cloud, from: 'source', only: [] })
  await expect(host.invoke('nope', { action: 'x' }, { openid: 'o-1' })).resolves.toEqual({
    ok: false,
    error: { code: 'UNKNOWN_FUNCTION', message: 'no cloud function named "nope"' },
  })
})
