// The declarations are complete: `npm run deploy -- --local` into a FRESH local cloud (no
// collections, no indexes — only what the deploy creates exists), then a journey through the
// deployed bundles: campaign, survey, draw, wallet, store (a geo query needs its 2dsphere index,
// a redemption its unique indexes), volunteer. A second deploy finds nothing to do. The files go
// too: the storage files the campaign documents name (placeholder report PDF, content SVGs) and a
// console build on static hosting, by content hash (an old asset removed only with --prune).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { questionnaireSchema } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { buildFunctions, REPO_ROOT } from '../../scripts/build/functions'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { loadCollections, loadSecurityRules } from '../../scripts/deploy-declarations'
import { changes } from '../../scripts/deploy-plan'
import { LocalTarget } from '../../scripts/deploy-target'
import { runDeploy } from '../../scripts/deploy'
import { reconcile } from '../../scripts/reconcile'
import { getDb, setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'

// Inside the repository (git-ignored .data/): the deployed bundles' require('wx-server-sdk') must
// resolve to the root node_modules, as cloudfunctions/<fn>/index.js does.
const root = path.join(REPO_ROOT, '.data', `test-deploy-${process.pid}`)
const bundles = path.join(root, 'bundles')
const file = path.join(root, 'local.sqlite')
// A stand-in for console/dist (the real build is vite's, minutes on a shared machine): what the
// deploy does with it does not depend on what the files hold.
const consoleDir = path.join(root, 'console-dist')
const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const clock = { now: SEEDED_AT + 3_600_000 }
let output: string[] = []
let cloud: LocalCloud
let host: FunctionHost

async function deploy(prune = false) {
  const target = new LocalTarget({ file })
  try {
    output = []
    return await runDeploy({
      target,
      dryRun: false,
      prune,
      local: true,
      bundleDir: bundles,
      consoleDir,
      nowMs: SEEDED_AT,
      log: (l) => output.push(l),
    })
  } finally {
    await target.close()
  }
}

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true })
  mkdirSync(path.join(consoleDir, 'assets'), { recursive: true })
  writeFileSync(
    path.join(consoleDir, 'index.html'),
    '<!doctype html><script src="/console/assets/index-A1.js"></script>',
  )
  writeFileSync(path.join(consoleDir, 'assets', 'index-A1.js'), 'console.log("v1")')
  await buildFunctions({ outDir: bundles })
}, 120_000)
afterAll(() => {
  setClockForTests(undefined)
  cloud?.close()
  rmSync(root, { recursive: true, force: true })
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string; message: string } }
const call = (fn: string, openid: string, event: object) =>
  host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<Reply>

it('deploys every declaration into an empty local cloud, and a second deploy changes nothing', async () => {
  const first = await deploy()
  expect(first.applied).toBeGreaterThan(0)
  expect(output.join('\n')).toMatch(/Summary: \d+ to create, 0 to update, 0 to remove, 0 unchanged/)

  const target = new LocalTarget({ file })
  const declared = loadCollections()
  expect(target.store.collectionNames()).toEqual(declared.map((c) => c.collection).sort())
  for (const c of declared)
    expect(target.store.listIndexes(c.collection)).toEqual(expect.arrayContaining(c.indexes))
  expect(target.store.management('rule')).toEqual(loadSecurityRules(declared))

  // Storage: the files the documents name are there, under the fileIDs the documents carry.
  const report = (await target.readDocuments('storeItems', ['report-2024-national'])).map(
    (t) => JSON.parse(t) as { file: string },
  )
  const named = [
    ...report.map((r) => r.file),
    ...[...target.store.exportDocuments('contentItems')].flatMap((t) =>
      [...t.matchAll(/cloud:\/\/local\/[^"]+\.svg/g)].map((m) => m[0]),
    ),
  ]
  expect(named.length).toBeGreaterThan(5)
  for (const id of named) {
    const bytes = target.storage.readFileId(id)
    expect(bytes?.length).toBeGreaterThan(0)
  }
  expect(target.storage.readFileId(report[0]!.file)!.subarray(0, 5).toString()).toBe('%PDF-')
  // Static hosting: the build's files, each with its md5 recorded.
  expect(Object.keys(target.store.management('hosting'))).toEqual([
    'console/assets/index-A1.js',
    'console/index.html',
  ])
  expect(target.readHosting('console/index.html')).toEqual(
    readFileSync(path.join(consoleDir, 'index.html')),
  )
  await target.close()

  const second = await deploy()
  expect(changes(second.plan)).toEqual([])
  expect(output.join('\n')).toContain('Nothing to do.')

  // A new console build: index.html changes, a new asset, the old one kept until --prune.
  writeFileSync(path.join(consoleDir, 'index.html'), '<script src="/console/assets/index-B2.js">')
  rmSync(path.join(consoleDir, 'assets', 'index-A1.js'))
  writeFileSync(path.join(consoleDir, 'assets', 'index-B2.js'), 'console.log("v2")')
  const third = await deploy()
  const hosting = (d: typeof third) =>
    Object.fromEntries(
      d.plan.steps.filter((s) => s.kind === 'hosting').map((s) => [s.target, s.action]),
    )
  expect(hosting(third)).toEqual({
    'console/index.html': 'update',
    'console/assets/index-B2.js': 'create',
    'console/assets/index-A1.js': 'would-remove',
  })
  expect(third.applied).toBe(2)
  expect(existsSync(path.join(root, 'hosting', 'console', 'assets', 'index-A1.js'))).toBe(true)
  const fourth = await deploy(true)
  expect(hosting(fourth)['console/assets/index-A1.js']).toBe('remove')
  expect(existsSync(path.join(root, 'hosting', 'console', 'assets', 'index-A1.js'))).toBe(false)
  expect(existsSync(path.join(root, 'hosting', 'console', 'assets', 'index-B2.js'))).toBe(true)
}, 180_000)

it('runs a journey on the deployed functions: campaign, survey, draw, wallet, store, volunteer', async () => {
  // The deployed file as it is: the repository's declarations are NOT applied on opening.
  cloud = startLocalCloud({ file, collectionsDir: '/nonexistent' })
  setClockForTests(() => clock.now)
  clearConfigCache()
  host = createFunctionHost({ cloud, from: 'bundle', bundleDir: path.join(root, 'functions') })
  const me = 'o-deployed-1'

  const current = await call('campaign', me, { action: 'getCurrent' })
  expect(current).toMatchObject({ ok: true, data: { id: 'demo', status: 'open' } })

  const started = await call('survey', me, {
    action: 'start',
    version: 'public',
    requestId: 'deploy-start-1',
  })
  expect(started.ok).toBe(true)
  clock.now += 10 * 60_000
  const qDoc = (await getDb().collection('questionnaires').doc('demo').get()).data
  const { _id: _ignored, ...questionnaire } = qDoc as Record<string, unknown>
  const answers = validMainAnswers(
    questionnaireSchema.parse(questionnaire),
    'public',
    seededRandom(7),
  )
  answers.region = {
    provinceCode: '440000',
    provinceName: '广东省',
    cityCode: '440100',
    cityName: '广州市',
  }
  const submitted = await call('survey', me, {
    action: 'submitSection',
    sectionId: 'main',
    requestId: 'deploy-main-1',
    answers,
  })
  expect(submitted).toMatchObject({ ok: true, data: { valid: true } })
  expect(submitted.data.chancesGranted).toBeGreaterThan(0)

  const drawn = await call('draw', me, {
    action: 'draw',
    kind: 'nine_grid',
    requestId: 'deploy-draw-1',
  })
  expect(drawn.ok).toBe(true)

  await getDb()
    .collection('roles')
    .doc('o-deployed-organiser')
    .set({ data: { roles: ['organiser'] } })
  const wallet = await call('wallet', me, { action: 'balance' })
  expect(wallet.ok).toBe(true)
  const granted = await call('wallet', 'o-deployed-organiser', {
    action: 'grantActivityReward',
    reason: '部署测试积分',
    grants: [{ userCode: wallet.data.userCode, amount: 100 }],
    requestId: 'deploy-grant-1',
  })
  expect(granted.ok).toBe(true)

  const near = await call('store', me, {
    action: 'nearbyStores',
    near: { lng: 113.3615, lat: 23.1245 },
    itemId: 'mug-safety',
    limit: 3,
  })
  expect(near.ok).toBe(true)
  expect(near.data.stores[0].id).toBe('gz-tianhe-jianshe')
  const redeemed = await call('store', me, {
    action: 'redeem',
    itemId: 'mug-safety',
    storeId: 'gz-tianhe-jianshe',
    requestId: 'deploy-redeem-1',
  })
  expect(redeemed).toMatchObject({ ok: true, data: { reservation: { status: 'reserved' } } })

  const volunteer = await call('volunteer', me, { action: 'me' })
  expect(volunteer.ok).toBe(true)

  expect(reconcile(cloud.store).differences).toEqual([])
}, 120_000)
