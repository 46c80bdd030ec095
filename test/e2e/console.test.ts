/// <reference lib="dom" />
// The organiser console in real Chromium against the local cloud (`npm start`'s /console/ with
// the seeded demo): the seeded committee account signs in; the dashboard shows what the survey
// function stored; a targets CSV with a bad row shows the row's error and writes nothing, a good
// one is imported; an export is downloaded and read (its rows, no openid); an offline draw is
// defined, committed, revealed, verified in the browser and by scripts/verify-draw.ts on the
// downloaded record; a winner then finds the prize through organiser.myPrizes.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { REPO_ROOT } from '../../scripts/build/functions'
import { answerMain, doc, docs } from './support/journeys'
import { FAILURES_DIR, openWorld, type World } from './support/world'

jest.setTimeout(120_000)

const COMMITTEE = 'demo-committee' // campaigns/demo/console-users.json
const RESPONDENTS = ['o-console-r1', 'o-console-r2', 'o-console-r3']
let world: World
let page: Page

beforeAll(async () => {
  world = await openWorld()
  for (const openid of RESPONDENTS) await answerMain(world, openid)
  const context = await world.browser.newContext({
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
}

const storedResponses = () => docs<StoredResponse>('responses', { campaignId: 'demo' })
const targetOf = async (nodeId: string) =>
  (await doc<{ targets: Record<string, number> }>('orgNodes', nodeId))?.targets.demo ?? 0

test('an organiser signs in, watches the numbers, imports targets, exports and runs a verified draw', async () => {
  const stored = await storedResponses()
  const valid = stored.filter((r) => r.sample?.valid).length
  expect(valid).toBe(RESPONDENTS.length)

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

  // 我的奖品: the two winners (of the three eligible) see their prize and how to claim it.
  const prizes = await Promise.all(
    RESPONDENTS.map(
      async (openid) => (await world.call('organiser', { action: 'myPrizes' }, openid)).data,
    ),
  )
  const won = prizes.flatMap((p: { prizes: Array<Record<string, unknown>> }) => p.prizes)
  expect(won).toHaveLength(2)
  for (const p of won)
    expect(p).toMatchObject({ drawId: drawRecord!.drawId, claim: expect.any(String) })
})
