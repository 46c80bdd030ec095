/// <reference lib="dom" />
// The organiser console in real Chromium against the local cloud (`npm start`'s /console/ with
// the seeded demo): the seeded committee account signs in; the dashboard shows what the survey
// function stored; a targets CSV with a bad row shows the row's error and writes nothing, a good
// one is imported; an export is downloaded and read (its rows, no openid); an offline draw is
// defined, committed, revealed, verified in the browser and by scripts/verify-draw.ts on the
// downloaded record; a winner then finds the prize through organiser.myPrizes. Then the seeded unit
// admin of 广州 (demo-gz-admin) signs in: the dashboard shows only 广州's subtree, its numbers equal
// to a recount of the responses that came through 广州's and 深圳's channel codes, its own export
// holds only its rows, and another unit's export or a draw in another city is refused (FORBIDDEN
// in the page) with nothing written.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { randomUUID } from 'node:crypto'
import type { BrowserContext, Page } from 'playwright-core'
import { REPO_ROOT } from '../../scripts/build/functions'
import { answerMain, doc, docs } from './support/journeys'
import { FAILURES_DIR, openWorld, type World } from './support/world'

jest.setTimeout(120_000)

const COMMITTEE = 'demo-committee' // campaigns/demo/console-users.json
const GZ_ADMIN = 'demo-gz-admin' // a unit admin of 广州 (gd-gz)
const RESPONDENTS = ['o-console-r1', 'o-console-r2', 'o-console-r3']
/** People who opened the survey through a channel code of 广州 (天河站) or 深圳 (南山站). */
const THROUGH = {
  gz: { node: 'gz-tianhe', valid: ['o-console-gz1', 'o-console-gz2'], speeder: 'o-console-gz3' },
  sz: { node: 'sz-nanshan', valid: ['o-console-sz1'], speeder: null },
}
let world: World
let page: Page
let context: BrowserContext

/** A channel code of `nodeId`, made by the committee's console account through the gateway's host. */
async function channelCode(nodeId: string): Promise<string> {
  const made = await world.server.host.invoke(
    'volunteer',
    {
      action: 'createChannelCodes',
      nodeId,
      batchLabel: `${nodeId} 海报`,
      codes: [{ label: '海报', target: 100 }],
      requestId: randomUUID(),
    },
    { openid: '', webUid: COMMITTEE },
  )
  if (!made.ok) throw new Error(`createChannelCodes: ${JSON.stringify(made.error)}`)
  return (made.data as { codes: Array<{ code: string }> }).codes[0]!.code
}

/** Submits the main part seconds after starting, through `scene`: screened out as a speeder. */
beforeAll(async () => {
  world = await openWorld()
  for (const openid of RESPONDENTS) await answerMain(world, openid)
  for (const through of Object.values(THROUGH)) {
    const scene = `c=${await channelCode(through.node)}`
    for (const openid of through.valid) await answerMain(world, openid, scene)
    if (through.speeder) await answerMain(world, through.speeder, scene, 'speeder')
  }
  context = await world.browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  })
  page = await context.newPage()
})
afterAll(async () => {
  await world?.close()
})

/** Runs a step; on failure the console's screen is saved to .data/e2e-failures/. */
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (err) {
    mkdirSync(FAILURES_DIR, { recursive: true })
    await page
      .screenshot({ path: path.join(FAILURES_DIR, `console-${name}.png`), fullPage: true })
      .catch(() => undefined)
    throw err
  }
}

/** The text field of a TDesign input carrying `testid` (on the wrapper or the field itself). */
const field = (testid: string) =>
  page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first()

const byId = (testid: string) => page.getByTestId(testid)

/** Polls `read` until it returns something truthy (the server's side of a click). */
async function until<T>(read: () => Promise<T>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read()
    if (v) return v
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

interface StoredResponse {
  openid: string
  sample: { valid: boolean } | null
  attribution?: { nodePath?: string[] }
}

const storedResponses = () => docs<StoredResponse>('responses', { campaignId: 'demo' })
const targetOf = async (nodeId: string) =>
  (await doc<{ targets: Record<string, number> }>('orgNodes', nodeId))?.targets.demo ?? 0

test('an organiser signs in, watches the numbers, imports targets, exports and runs a verified draw', async () => {
  const stored = await storedResponses()
  const valid = stored.filter((r) => r.sample?.valid).length
  expect(valid).toBe(RESPONDENTS.length + THROUGH.gz.valid.length + THROUGH.sz.valid.length)

  await step('sign-in', async () => {
    await page.goto(`${world.server.base}/console/`)
    await field('account-input').fill(COMMITTEE)
    await page.getByRole('button', { name: '登录' }).click()
    await byId('account').waitFor()
    expect(await byId('account').innerText()).toContain(COMMITTEE)
  })

  await step('dashboard', async () => {
    await page.goto(`${world.server.base}/console/#/dashboard`)
    await byId('scope-valid').waitFor()
    // Every number equals a recount of the stored responses.
    expect(Number((await byId('scope-valid').innerText()).replace(/\D/g, ''))).toBe(valid)
    expect(Number((await byId('scope-invalid').innerText()).replace(/\D/g, ''))).toBe(
      stored.length - valid,
    )
    expect(await byId('national').innerText()).toContain(String(valid))
  })

  await step('targets', async () => {
    await page.goto(`${world.server.base}/console/#/targets`)
    const before = { gz: await targetOf('gd-gz'), sz: await targetOf('gd-sz') }
    await byId('targets-file').setInputFiles({
      name: '采集任务分解表.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('单位编号,目标样本数\ngd-gz,5000\nno-such-unit,100\n'),
    })
    await page.getByRole('button', { name: '检查' }).click()
    await page.getByText('1 处错误，改正后重新选择文件；未写入任何数据').waitFor()
    await page.locator('td', { hasText: /^3$/ }).first().waitFor() // the bad row's number
    expect(await byId('targets-import').isDisabled()).toBe(true)
    expect({ gz: await targetOf('gd-gz'), sz: await targetOf('gd-sz') }).toEqual(before)

    await byId('targets-file').setInputFiles({
      name: '采集任务分解表.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('单位编号,目标样本数\ngd-gz,5000\ngd-sz,3000\n'),
    })
    await page.getByRole('button', { name: '检查' }).click()
    await byId('targets-ok').waitFor()
    await byId('targets-import').click()
    await until(async () => (await targetOf('gd-gz')) === 5000, 'the imported target')
    expect(await targetOf('gd-sz')).toBe(3000)
  })

  await step('export', async () => {
    await page.goto(`${world.server.base}/console/#/export`)
    await page.getByText('CSV', { exact: true }).click()
    await byId('export-start').click()
    await byId('export-link').waitFor()
    expect(Number(await byId('export-rows').innerText())).toBe(valid)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byId('export-link').click(),
    ])
    const text = readFileSync((await download.path())!, 'utf8')
    const lines = text.trim().split(/\r?\n/)
    expect(lines).toHaveLength(valid + 1) // a header and one row per valid sample
    for (const r of stored) expect(text).not.toContain(r.openid)
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(valid)
  })

  let drawRecord: { drawId: string; listUrl: string; winners: unknown[] } | undefined
  await step('draw', async () => {
    await page.goto(`${world.server.base}/console/#/draws`)
    await field('draw-title').fill('广州市线下抽奖')
    await field('draw-region').fill('440100')
    await field('prize-count-0').fill('2')
    await field('prize-count-0').blur()
    await byId('draw-define').click()
    await byId('draw-commit').click()
    await until(
      async () => /^[0-9a-f]{64}$/.test((await byId('draw-digest').innerText()).trim()),
      'the published list digest',
    )
    await byId('draw-reveal').click()
    await byId('draw-verify').click()
    expect(await byId('draw-verification').innerText()).toContain('验证通过')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载公示记录' }).click(),
    ])
    const dir = path.join(REPO_ROOT, '.data', `e2e-console-${process.pid}`)
    mkdirSync(dir, { recursive: true })
    const recordFile = path.join(dir, 'record.json')
    await download.saveAs(recordFile)
    drawRecord = JSON.parse(readFileSync(recordFile, 'utf8'))
    expect(drawRecord!.winners).toHaveLength(2)
    // Anyone's check: `npm run verify-draw -- record.json list.txt` on the published files.
    const listFile = path.join(dir, 'list.txt')
    writeFileSync(listFile, await (await fetch(drawRecord!.listUrl)).text())
    const { stdout } = await promisify(execFile)(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/verify-draw.ts', recordFile, listFile],
      { cwd: REPO_ROOT },
    )
    expect(stdout).toContain('verified: list digest, seed hash and every winner recomputed')
  })

  // 我的奖品: the two winners (of everyone valid in 广州) see their prize and how to claim it.
  const prizes = await Promise.all(
    stored
      .map(({ openid }) => openid)
      .map(async (openid) => (await world.call('organiser', { action: 'myPrizes' }, openid)).data),
  )
  const won = prizes.flatMap((p: { prizes: Array<Record<string, unknown>> }) => p.prizes)
  expect(won).toHaveLength(2)
  for (const p of won)
    expect(p).toMatchObject({ drawId: drawRecord!.drawId, claim: expect.any(String) })
})

/** Every document of the local cloud, as text: what "nothing written" compares. */
function snapshot(): Map<string, string[]> {
  const store = world.server.cloud.store
  const out = new Map<string, string[]>()
  for (const c of store.collectionNames()) out.set(c, [...store.exportDocuments(c)].sort())
  return out
}

const FORBIDDEN_TEXT = '没有权限：只能查看和操作本单位及下级的数据' // console/src/strings.ts

test('a unit admin sees only their subtree, exports only it, and is refused another unit’s export or draw', async () => {
  // A desk of its own: the committee's session stays in the other tab's storage.
  await context.close()
  context = await world.browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  })
  page = await context.newPage()
  const stored = await storedResponses()
  const inGz = stored.filter((r) => r.attribution?.nodePath?.includes('gd-gz'))
  const gzValid = inGz.filter((r) => r.sample?.valid).length
  expect(gzValid).toBe(THROUGH.gz.valid.length)
  expect(inGz.length - gzValid).toBe(1) // the speeder
  const nationalValid = stored.filter((r) => r.sample?.valid).length

  await step('admin-sign-in', async () => {
    await page.goto(`${world.server.base}/console/`)
    await field('account-input').fill(GZ_ADMIN)
    await page.getByRole('button', { name: '登录' }).click()
    await byId('account').waitFor()
    expect(await byId('account').innerText()).toContain('广州市网络安全协会')
  })

  await step('admin-dashboard', async () => {
    await page.goto(`${world.server.base}/console/#/dashboard`)
    await byId('scope-valid').waitFor()
    expect(Number((await byId('scope-valid').innerText()).replace(/\D/g, ''))).toBe(gzValid)
    expect(Number((await byId('scope-invalid').innerText()).replace(/\D/g, ''))).toBe(
      inGz.length - gzValid,
    )
    // The national total is for everyone; the units are 广州's own, never 深圳's.
    expect(await byId('national').innerText()).toContain(String(nationalValid))
    await page.getByText('天河区网络安全志愿服务站').first().waitFor()
    const shown = await page.locator('body').innerText()
    expect(shown).not.toContain('深圳市网络与信息安全行业协会')
    expect(shown).not.toContain('南山区网络安全志愿服务站')
  })

  await step('admin-export', async () => {
    await page.goto(`${world.server.base}/console/#/export`)
    await page.getByText('CSV', { exact: true }).click()
    // Another unit's samples: refused in the page, and nothing written (no job, no audit entry).
    const before = snapshot()
    await field('export-node').fill('gd-sz')
    await byId('export-start').click()
    await page.getByRole('alert').filter({ hasText: FORBIDDEN_TEXT }).waitFor()
    expect(await byId('export-link').count()).toBe(0)
    expect(snapshot()).toEqual(before)
    // Its own scope: exactly 广州's valid samples.
    await field('export-node').fill('')
    await byId('export-start').click()
    await byId('export-link').waitFor()
    expect(Number(await byId('export-rows').innerText())).toBe(gzValid)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byId('export-link').click(),
    ])
    const text = readFileSync((await download.path())!, 'utf8')
    expect(text.trim().split(/\r?\n/)).toHaveLength(gzValid + 1)
    const jobs = await docs<{ by: string; scope: string | null; rows: number }>('exportJobs', {
      by: `web:${GZ_ADMIN}`,
    })
    expect(jobs.map((j) => [j.scope, j.rows])).toEqual([['gd-gz', gzValid]])
  })

  await step('admin-draw', async () => {
    await page.goto(`${world.server.base}/console/#/draws`)
    const before = snapshot()
    await field('draw-title').fill('深圳市线下抽奖')
    await field('draw-region').fill('440300') // 深圳: not 广州's region
    await byId('draw-define').click()
    await page.getByText(FORBIDDEN_TEXT).first().waitFor()
    expect(await byId('draw-record').count()).toBe(0)
    expect(snapshot()).toEqual(before)
  })
})
