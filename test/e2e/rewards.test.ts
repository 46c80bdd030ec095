/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// Journeys through the rewards in real Chromium, on the real pages and functions: a respondent
// with chances draws on the nine-grid and opens a copper box, sees each prize revealed and the
// balance in 我的积分; then transfers points to a second respondent with confirmation, and both
// wallets (and the ledger) show it.
import { CHANCE_ENTRIES, DRAWS } from '../../server/draw'
import { POINT_ACCOUNTS, POINT_ENTRIES } from '../../server/ledger'
import { answerMain, cls, doc, docs, numberIn } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type Phone, type World } from './support/world'

jest.setTimeout(120_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

const RESPONDENT = 'o-demo-respondent'
const SECOND = 'o-demo-respondent-2'

/** The hub's card of one kind of draw (`--kinds` is the list around them). */
const kindCard = (phone: Phone, name: string) =>
  phone.screen.locator('[class*="--kind"]:not([class*="--kinds"])', { hasText: name })

/** The points a reveal shows (`12 积分`). */
async function revealedPoints(phone: Phone): Promise<number> {
  await phone.shows('恭喜您获得')
  const amount = await phone.screen.locator(cls('reveal__amount')).innerText()
  expect(amount).toMatch(/^\d+ 积分$/)
  return Number.parseInt(amount, 10)
}

test('spends chances on the nine-grid and a copper box, sees each prize and the balance in 我的积分', async () => {
  await withScreenshots(world, 'draw', async () => {
    expect(await answerMain(world, RESPONDENT)).toBe(5)

    const phone = await openPhone(world, 'respondent', { page: 'pages/draw/hub/index' })
    await phone.on('pages/draw/hub/index', '我的抽奖机会')
    expect(await numberIn(phone, 'chances__value')).toBe(5)

    await kindCard(phone, '九宫格').getByText('去抽奖').click()
    await phone.on('pages/draw/nine-grid/index', '开始抽奖')
    await phone.tap('开始抽奖')
    const gridPoints = await revealedPoints(phone)
    await phone.shows('剩余 4 次')

    await phone.tap('返回抽奖首页')
    await phone.on('pages/draw/hub/index')
    await phone.shows('共获得 5 次，已使用 1 次')
    await kindCard(phone, '铜宝箱').getByText('去抽奖').click()
    await phone.on('pages/draw/box/index', '开启宝箱')
    await phone.screen.getByText('开启宝箱', { exact: true }).click()
    const boxPoints = await revealedPoints(phone)
    expect(boxPoints).toBeGreaterThanOrEqual(3) // a copper box's least prize

    await phone.tap('查看我的积分')
    await phone.on('pages/wallet/index', '网安联积分')
    await phone.shows('抽奖奖励')
    expect(await numberIn(phone, 'balance__value')).toBe(gridPoints + boxPoints)

    // The database: two draws, four chances spent, the points credited by two entries.
    const draws = await docs<{ kind: string }>(DRAWS, { openid: RESPONDENT })
    expect(draws.map((d) => d.kind).sort()).toEqual(['copper', 'nine_grid'])
    const spent = await docs<{ amount: number }>(CHANCE_ENTRIES, { openid: RESPONDENT })
    expect(spent.reduce((sum, e) => sum + Math.abs(e.amount), 0)).toBe(4)
    const entries = await docs<{ amount: number; kind: string }>(POINT_ENTRIES, {
      openid: RESPONDENT,
    })
    expect(entries.map((e) => e.kind)).toEqual(['draw_prize', 'draw_prize'])
    expect((await doc<{ balance: number }>(POINT_ACCOUNTS, RESPONDENT))?.balance).toBe(
      gridPoints + boxPoints,
    )
  })
})

test('sees the wallet and transfers points to a second user after confirming', async () => {
  await withScreenshots(world, 'wallet-transfer', async () => {
    const before = (await doc<{ balance: number }>(POINT_ACCOUNTS, RESPONDENT))!.balance
    expect(before).toBeGreaterThanOrEqual(4)

    // The second respondent opens 我的积分 and reads out their user code.
    const friend = await openPhone(world, 'respondent2', { page: 'pages/wallet/index' })
    await friend.on('pages/wallet/index', '我的用户码')
    const code = (await friend.screen.locator(cls('code__value')).innerText()).trim()
    expect(code).toMatch(/^[2-9A-Z]{8}$/)
    expect(await numberIn(friend, 'balance__value')).toBe(0)

    const phone = await openPhone(world, 'respondent', { page: 'pages/wallet/index' })
    await phone.on('pages/wallet/index', '我的用户码')
    expect(await numberIn(phone, 'balance__value')).toBe(before)
    await phone.tap('转赠积分')
    await phone.on('pages/wallet/transfer/index', '对方用户码')
    await phone.screen.locator('input').nth(0).fill(code.toLowerCase())
    await phone.screen.locator('input').nth(1).fill('3')
    await phone.tap('下一步')
    await phone.shows('请核对转赠信息')
    await phone.shows('3 积分')
    await phone.screen.getByText('确认转赠', { exact: true }).first().click()
    // The dialog asks once more (its title and its button say the same).
    const dialog = phone.screen.locator(cls('t-dialog__footer'))
    await dialog.getByText('确认转赠').click()
    await phone.shows('转赠成功')
    await phone.shows(`${before - 3}`)

    await phone.tap('返回我的积分')
    await phone.on('pages/wallet/index', '积分转出')
    expect(await numberIn(phone, 'balance__value')).toBe(before - 3)

    await friend.page.reload()
    await friend.on('pages/wallet/index', '积分转入')
    expect(await numberIn(friend, 'balance__value')).toBe(3)

    // The database: both accounts and one entry each side.
    expect((await doc<{ balance: number }>(POINT_ACCOUNTS, RESPONDENT))?.balance).toBe(before - 3)
    expect((await doc<{ balance: number }>(POINT_ACCOUNTS, SECOND))?.balance).toBe(3)
    const out = await docs<{ amount: number }>(POINT_ENTRIES, {
      openid: RESPONDENT,
      kind: 'transfer_out',
    })
    const into = await docs<{ amount: number }>(POINT_ENTRIES, {
      openid: SECOND,
      kind: 'transfer_in',
    })
    expect(out.map((e) => e.amount)).toEqual([-3])
    expect(into.map((e) => e.amount)).toEqual([3])
  })
})
