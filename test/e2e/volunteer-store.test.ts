/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// Journeys of the volunteers and the points store in real Chromium, on the real pages and
// functions: the seeded volunteer's share code, two respondents who open the app through it, the
// counts and points after a pull-down and the poster drawn; a respondent's points spent on a gift
// picked up at a store (map and nearest-first list, the city list when location is refused), the
// 6-digit code in 我的兑换, and the clerk's desk handing it over.
import { randomUUID } from 'node:crypto'
import { POINT_ACCOUNTS, POINT_ENTRIES } from '../../server/ledger'
import { RESPONSES } from '../../server/records/responses'
import { ROLES } from '../../server/records/roles'
import { RESERVATIONS } from '../../server/records/store'
import { getDb } from '../../server/db'
import {
  answerMain,
  cls,
  doc,
  docs,
  numberIn,
  pullDown,
  setLocationAllowed,
} from './support/journeys'
import { openPhone, openWorld, withScreenshots, type Phone, type World } from './support/world'

jest.setTimeout(120_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

const VOLUNTEER = 'o-demo-volunteer'

/** The four counts under a share code: today valid / invalid, total valid / invalid. */
async function tally(phone: Phone): Promise<number[]> {
  const cells = phone.screen.locator(cls('tally__value'))
  return (await cells.allInnerTexts()).map(Number)
}

test('the volunteer sees their code, two respondents answer through it, the counts and points update after a pull-down, and the poster draws', async () => {
  await withScreenshots(world, 'volunteer', async () => {
    // The seed makes 小安 a member of 天河一队 without a code; the code a member gets on approval.
    const ensured = await world.call(
      'volunteer',
      { action: 'ensureCode', nodeId: 'gz-tianhe-t1', requestId: randomUUID() },
      VOLUNTEER,
    )
    expect(ensured.ok).toBe(true)
    const phone = await openPhone(world, 'volunteer', { page: 'pages/volunteer/index' })
    await phone.on('pages/volunteer/index', '我的专属分享码')
    const code = (await phone.screen.locator(cls('code__value')).first().innerText()).trim()
    expect(code).toMatch(/^[0-9A-Z]{4,12}$/)
    expect(await tally(phone)).toEqual([0, 0, 0, 0])
    expect(await numberIn(phone, 'hero__value')).toBe(0)

    // Two people scan the code: home opens with scene c=CODE (percent-encoded, as WeChat hands
    // it), they consent and start through the pages; each submits the main part.
    for (const openid of ['o-e2e-scan-1', 'o-e2e-scan-2']) {
      const scanner = await openPhone(world, openid, { scene: `c=${code}` })
      await scanner.on('pages/home/index', '公共网民版')
      await scanner.tap('公共网民版')
      await scanner.tap('我已阅读并同意')
      await scanner.tap('同意并开始答题')
      await scanner.on('pages/survey/section/index', '第 1/10 部分')
      await answerMain(world, openid)
      await scanner.page.context().close()
      world.phones.splice(world.phones.indexOf(scanner), 1)
      const [response] = await docs(RESPONSES, { openid })
      expect(JSON.stringify(response)).toContain(code)
    }

    await pullDown(phone)
    await phone.page.waitForFunction(
      (sel) =>
        document
          .querySelectorAll(`#wal-pages .wal-page-box:not([hidden]) ${sel}`)[2]
          ?.textContent?.trim() === '2',
      cls('tally__value'),
    )
    const [, todayInvalid, totalValid, totalInvalid] = await tally(phone)
    expect([todayInvalid, totalValid, totalInvalid]).toEqual([0, 2, 0])
    expect(await numberIn(phone, 'hero__value')).toBe(2)
    const rewards = await docs<{ amount: number }>(POINT_ENTRIES, {
      openid: VOLUNTEER,
      kind: 'share_reward',
    })
    expect(rewards.map((e) => e.amount)).toEqual([1, 1])
    expect((await doc<{ balance: number }>(POINT_ACCOUNTS, VOLUNTEER))?.balance).toBe(2)

    await phone.tap('生成分享海报')
    await phone.on('pages/volunteer/poster/index', '保存到相册')
    const painted = await phone.page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        '#wal-pages .wal-page-box:not([hidden]) canvas',
      )
      if (!canvas || canvas.width === 0) return 0
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      const colours = new Set<number>()
      for (let i = 0; i < data.length; i += 4 * 97) {
        if (data[i + 3]! > 0) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)
      }
      return colours.size
    })
    expect(painted).toBeGreaterThan(10) // text, a QR code and colours, not a blank sheet
  })
})

test('redeems a gift at a pickup store found on the map and in the city list, and the clerk hands it over', async () => {
  await withScreenshots(world, 'store', async () => {
    // Points from an organiser's activity reward (the role set as scripts/roles.ts sets it).
    await getDb()
      .collection(ROLES)
      .doc('o-demo-organiser')
      .set({ data: { roles: ['organiser'], updatedAt: new Date() } })
    const balance = await world.call('wallet', { action: 'balance' }, 'o-demo-respondent')
    const granted = await world.call(
      'wallet',
      {
        action: 'grantActivityReward',
        reason: '志愿服务奖励',
        grants: [{ userCode: balance.data.userCode, amount: 100 }],
        requestId: randomUUID(),
      },
      'o-demo-organiser',
    )
    expect(granted).toMatchObject({ ok: true, data: { granted: 1, totalPoints: 100 } })

    const phone = await openPhone(world, 'respondent', { page: 'pages/store/index' })
    await phone.on('pages/store/index', '网络安全主题保温杯')
    expect(await numberIn(phone, 'hero__value')).toBe(100)
    await phone.tap('网络安全主题保温杯')
    await phone.on('pages/store/item/index', '选择自提点')
    await phone.screen.getByText('选择自提点', { exact: true }).click()

    // Location allowed (near 广州天河): the map's markers and the list nearest first.
    await phone.on('pages/store/stores/index', '天河建设路便民服务站')
    expect(await phone.screen.locator('[data-marker-id]').count()).toBeGreaterThan(1)
    const distances = (await phone.screen.locator(cls('t-cell__note')).allInnerTexts()).map(
      (t) => Number.parseFloat(t) * (/公里|km/.test(t) ? 1000 : 1),
    )
    expect(distances.length).toBeGreaterThan(1)
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
    const first = await phone.screen.locator(cls('t-cell__title')).first().innerText()
    expect(first).toContain('天河建设路便民服务站')

    // Location refused: the city list instead.
    await setLocationAllowed(phone, false)
    await phone.tap('离我最近')
    await phone.shows('未获得位置权限，请选择城市查看自提点，或在设置中允许使用位置')
    await phone.screen.getByRole('button', { name: /^广州/ }).click()
    await phone.shows('越秀北京路社区礼品点')
    // The list's row (the map's marker carries the same name).
    await phone.screen.locator(cls('t-cell__title')).getByText('天河建设路便民服务站').click()

    await phone.on('pages/store/shop/index', '在此兑换')
    await phone.tap('在此兑换')
    await phone.screen.locator(cls('t-dialog__footer')).getByText('确认兑换').click()
    await phone.on('pages/store/mine/index', '取货码')
    const pickupCode = (await phone.screen.locator(cls('pickup__code')).first().innerText()).trim()
    expect(pickupCode).toMatch(/^\d{6}$/)

    // The clerk's desk: their store, the code typed, the hand-over confirmed.
    const clerk = await openPhone(world, 'clerk', { page: 'pages/store/clerk/index' })
    await clerk.on('pages/store/clerk/index', '扫描取货二维码')
    await clerk.screen.locator('input').first().fill(pickupCode)
    await clerk.screen.getByText('查询', { exact: true }).click()
    await clerk.shows('网络安全主题保温杯')
    await clerk.tap('确认交付')
    await clerk.shows('今日已领取（1）')

    // The respondent opens 我的兑换 again.
    await phone.page.goto(`${world.server.base}/preview/?as=respondent&page=pages/store/mine/index`)
    await phone.on('pages/store/mine/index')
    await phone.shows('已领取')

    const [reservation] = await docs<{ status: string; storeId: string }>(RESERVATIONS, {
      openid: 'o-demo-respondent',
    })
    expect(reservation).toMatchObject({ status: 'picked_up', storeId: 'gz-tianhe-jianshe' })
  })
})
