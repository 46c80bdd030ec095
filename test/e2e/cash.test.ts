/// <reference lib="dom" />
// (callbacks passed to page.evaluate run in the browser)
// The cash flow in real Chromium: the demo's table paid in cash (scripts/cash-demo.ts) and the
// fake merchant transfer in 'confirm' mode (bills wait for the winner, as WAL_FAKE_TRANSFER=confirm
// makes `npm start` do). A respondent wins a red envelope on the nine-grid, the payout timer makes
// the bill, and 我的积分 → 待领取的现金红包 → 领取 → 确认收款 pays it. Its own file: the functions
// keep the reward configuration for 30 s, so the table is switched before the first draw call.
import { switchPrizeForm } from '../../scripts/cash-demo'
import { PAYOUTS } from '../../server/records/payouts'
import { answerMain, cls, docs, pressInFrame } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type World } from './support/world'

jest.setTimeout(120_000)

let world: World
beforeAll(async () => {
  world = await openWorld()
  world.server.cloud.openapi.transferMode = 'confirm'
  await switchPrizeForm(true)
})
afterAll(async () => {
  await world?.close()
})

const RESPONDENT = 'o-demo-respondent'

/** What CloudBase's timer sends the payout function every minute (no WeChat caller). */
const payoutTimer = () =>
  world.server.host.invoke(
    'payout',
    { Type: 'Timer', TriggerName: 'everyMinute', Time: new Date().toISOString() },
    { openid: '' },
  ) as Promise<{ ok: boolean; data?: Record<string, number> }>

test('wins a red envelope, confirms receipt from 我的积分, and the payout is paid', async () => {
  await withScreenshots(world, 'cash', async () => {
    await answerMain(world, RESPONDENT)
    const phone = await openPhone(world, 'respondent', { page: 'pages/draw/nine-grid/index' })
    await phone.on('pages/draw/nine-grid/index', '开始抽奖')
    await phone.tap('开始抽奖')
    await phone.shows('恭喜您获得')
    const amount = await phone.screen.locator(cls('reveal__amount')).innerText()
    expect(amount).toMatch(/^0\.[123]0? 元现金红包$/)
    await phone.shows(/红包将发放到您的微信零钱/)

    const [queued] = await docs<{ _id: string; status: string }>(PAYOUTS, { openid: RESPONDENT })
    expect(queued).toMatchObject({ status: 'pending' })
    expect((await payoutTimer()).data).toMatchObject({ due: 1, awaiting: 1 })

    await phone.tap('查看我的积分')
    await phone.on('pages/wallet/index', '待领取的现金红包')
    await phone.shows('1 个红包待确认收款，逾期可重新领取')
    await phone.tap('去领取')
    await phone.on('pages/wallet/cash/index', amount)
    world.advance(5_000) // the timer's look-up a moment ago; a check asks WeChat Pay again after 3 s
    await phone.screen.getByText('领取', { exact: true }).click()
    await pressInFrame(phone, '确认收款')
    await phone.shows('红包已到账，请在微信零钱中查看')
    await phone.shows('没有待领取的红包')

    const [paid] = await docs<{ _id: string; status: string }>(PAYOUTS, { openid: RESPONDENT })
    expect(paid).toMatchObject({ _id: queued!._id, status: 'paid' })
    expect(world.server.cloud.openapi.log.transfers).toEqual([
      expect.objectContaining({ billNo: queued!._id, openid: RESPONDENT }),
    ])
  })
})
