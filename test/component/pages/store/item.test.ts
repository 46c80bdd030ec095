// 商品详情: what an item shows, choosing a pickup store for a gift, redeeming a report or a
// certificate after a confirm dialog, opening the report, refusals in the page, a lost reply
// re-sent with the same requestId, and not enough points.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { redeemItem } from '../../../../miniprogram/services/store'
import { ok, type ItemView } from 'wal-core'
import { failWith } from '../../support/fake-backend'
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open } = usePage('pages/store/item/index')
const backend = useStoreBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

/** Tap the main button, then the dialog's confirm button. */
async function redeem(page: RenderedPage): Promise<void> {
  tapButton(page, '#action')
  await until(page, (d) => d.dialogVisible)
  page
    .querySelector('#dialog')!
    .querySelector('.t-dialog__button--confirm')!
    .querySelector('.t-button')!
    .dispatchEvent('tap')
}

const anItem = (over: Partial<ItemView> = {}): ItemView => ({
  id: 'mug-safety',
  kind: 'gift',
  kindName: '礼品',
  title: '网络安全主题保温杯',
  description: '304 不锈钢内胆',
  images: [],
  pricePoints: 30,
  provider: '中国电信广东公司',
  perPersonLimit: 1,
  physical: true,
  regionNotice: null,
  stock: 12,
  available: true,
  ...over,
})

test('a gift shows its price, provider, limit, stock and region notice; 选择自提点 opens the store map', async () => {
  const page = await open({ id: 'cable-3in1' })
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#title')).toBe('三合一快充数据线')
  expect(textOf(page, '#price')).toBe('15 积分')
  expect(textOf(page, '#provider')).toBe('中国移动广东公司')
  expect(textOf(page, '#limit')).toBe('每人限兑 2 件')
  expect(textOf(page, '#availability')).toContain('各自提点共剩 720 件')
  expect(textOf(page, '#description')).toContain('Type-C')
  expect(textOf(page, '#placeholder')).toBe('礼品')
  expect(page.querySelector('#region')).toBeFalsy()
  expect(textOf(page, '#action')).toBe('选择自提点')

  const went = nextNavigation('navigateTo')
  tapButton(page, '#action')
  await expect(went).resolves.toEqual({ url: '/pages/store/stores/index?item=cable-3in1' })
  expect(backend().actions('redeem')).toHaveLength(0)

  const local = await open({ id: 'powerbank-gz-local' })
  expect(textOf(local, '#region')).toBe('仅限在广州市参与调查的网民兑换')
})

test('back from reserving at a store, the item shows the new balance and count', async () => {
  const page = await open({ id: 'mug-safety' })
  await redeemItem('mug-safety', 'gz-tianhe-jianshe').run() // what the store page does
  await page.instance.onShow()
  expect(textOf(page, '#limit')).toBe('每人限兑 1 件，您已兑换 1 件')
  expect(textOf(page, '#action')).toBe('已达兑换上限')
})

test('one image is shown as it is, several in a swiper', async () => {
  backend().replyNext(
    ok({ item: anItem({ images: ['https://example.com/a.png'] }), balance: 100, redeemed: 0 }),
  )
  const one = await open({ id: 'mug-safety' })
  expect(one.querySelector('#image')).toBeTruthy()
  expect(one.querySelector('#swiper')).toBeFalsy()
  expect(one.querySelector('#placeholder')).toBeFalsy()

  const images = ['https://example.com/a.png', 'https://example.com/b.png']
  backend().replyNext(ok({ item: anItem({ images }), balance: 100, redeemed: 0 }))
  const two = await open({ id: 'mug-safety' })
  expect(two.querySelector('#swiper')!.data.list).toEqual(images)
  expect(two.querySelector('#image')).toBeFalsy()
})

test('redeeming a report: the dialog names price and balance after; the report opens as a PDF', async () => {
  const page = await open({ id: 'report-2024-national' })
  expect(textOf(page, '#action')).toBe('立即兑换')
  expect(textOf(page, '#availability')).toBe('电子版：兑换后立即可用')
  await redeem(page)
  expect(page.data.dialogContent).toBe(
    '将使用 10 积分兑换「2024 全国网民网络安全感满意度调查报告（摘要）」，兑换后余额 90 积分。兑换后不能退回。',
  )
  await until(page, (d) => d.phase === 'done')
  expect(backend().actions('redeem')).toEqual([
    { action: 'redeem', itemId: 'report-2024-national', requestId: expect.any(String) },
  ])
  expect(textOf(page, '#done')).toContain('兑换成功')
  expect(textOf(page, '#balance-after')).toBe('当前积分余额 90')

  const download = jest
    .spyOn(wx, 'downloadFile')
    .mockImplementation(((o: {
      url: string
      success: (r: { statusCode: number; tempFilePath: string }) => void
    }) => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/report.pdf' })) as never)
  const opened = new Promise<{ filePath: string; fileType: string }>((resolve) => {
    jest.spyOn(wx, 'openDocument').mockImplementation(((o: {
      filePath: string
      fileType: string
      success: () => void
    }) => {
      resolve(o)
      o.success()
    }) as never)
  })
  tapButton(page, '#open-report')
  await expect(opened).resolves.toMatchObject({
    filePath: 'wxfile://tmp/report.pdf',
    fileType: 'pdf',
  })
  expect(download.mock.calls[0]![0]).toMatchObject({
    url: 'http://127.0.0.1/storage/reports/x.pdf',
  })
})

test('a report that cannot be downloaded says so and can be tried again', async () => {
  const page = await open({ id: 'report-2024-national' })
  await redeem(page)
  await until(page, (d) => d.phase === 'done')
  jest
    .spyOn(wx, 'downloadFile')
    .mockImplementation(((o: { fail: (e: { errMsg: string }) => void }) =>
      o.fail({ errMsg: 'downloadFile:fail' })) as never)
  const toast = new Promise<{ title: string }>((resolve) => {
    jest.spyOn(wx, 'showToast').mockImplementation(((o: { title: string }) => resolve(o)) as never)
  })
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  tapButton(page, '#open-report')
  await expect(toast).resolves.toMatchObject({ title: '报告打开失败，请稍后重试' })
  await until(page, (d) => !d.opening)
  expect(warn).toHaveBeenCalledWith('[store] open report', 'downloadFile:fail')
  expect(page.querySelector('#open-report')!.data.disabled).toBe(false)
})

test('a certificate is redeemed and found in 我的兑换', async () => {
  const page = await open({ id: 'certificate-volunteer' })
  await redeem(page)
  await until(page, (d) => d.phase === 'done')
  expect(textOf(page, '#done')).toContain('电子证书已发放，可在「我的兑换」中查看')
  expect(page.querySelector('#open-report')).toBeFalsy()
  const went = nextNavigation('navigateTo')
  tapButton(page, '#to-mine')
  await expect(went).resolves.toEqual({ url: '/pages/store/mine/index' })
})

test('cancelling the dialog redeems nothing', async () => {
  const page = await open({ id: 'report-2024-national' })
  tapButton(page, '#action')
  await until(page, (d) => d.dialogVisible)
  page
    .querySelector('#dialog')!
    .querySelector('.t-dialog__button--cancel')!
    .querySelector('.t-button')!
    .dispatchEvent('tap')
  await until(page, (d) => !d.dialogVisible)
  expect(page.data.phase).toBe('ready')
  expect(backend().actions('redeem')).toHaveLength(0)
})

test.each([
  ['NOT_ELIGIBLE', '志愿者证书需通过您的分享码收集 10 份有效样本（当前 3 份）'],
  ['LIMIT_REACHED', '每人限兑 1 件'],
  ['REGION_RESTRICTED', '该商品仅限本地参与调查的网民兑换'],
  ['INSUFFICIENT_POINTS', '积分余额不足'],
])('a refusal (%s) is said in the page in the server’s words', async (code, message) => {
  const page = await open({ id: 'certificate-volunteer' })
  backend().replyNext(failWith(code, message))
  await redeem(page)
  await until(page, (d) => d.phase === 'ready' && d.refusal !== '')
  expect(textOf(page, '#refusal')).toBe(message)
  expect(textOf(page, '#action')).toBe('立即兑换') // a refusal is final: no 重试
  expect(page.data.canRetry).toBe(false)
})

test('points spent elsewhere meanwhile: the refusal is shown with the balance as it is now', async () => {
  const page = await open({ id: 'report-2024-national' })
  backend().balance = 5
  await redeem(page)
  await until(page, (d) => d.refusal !== '')
  expect(textOf(page, '#refusal')).toBe('积分余额不足')
  expect(textOf(page, '#short')).toContain('您有 5 积分，还差 5 积分')
  expect(page.querySelector('#action')!.data.disabled).toBe(true)
})

test('a redemption whose reply was lost: 重试 re-sends the same requestId and points move once', async () => {
  const page = await open({ id: 'report-2024-national' })
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().failNext()
  await redeem(page)
  await until(page, (d) => d.canRetry)
  expect(textOf(page, '#refusal')).toBe('兑换未完成：网络连接失败，请检查网络后重试')
  expect(textOf(page, '#action')).toBe('重试')

  tapButton(page, '#action')
  await until(page, (d) => d.phase === 'done')
  const sends = backend().actions('redeem')
  expect(sends).toHaveLength(AUTO_RETRY.attempts + 1)
  expect(new Set(sends.map((e) => e.requestId)).size).toBe(1)
  expect(backend().balance).toBe(90)
})

test('not enough points: the button is disabled, the page says how many are missing and where to earn them', async () => {
  backend().balance = 20
  const page = await open({ id: 'mug-safety' })
  expect(textOf(page, '#action')).toBe('积分不足')
  expect(page.querySelector('#action')!.data.disabled).toBe(true)
  expect(textOf(page, '#short')).toContain('您有 20 积分，还差 10 积分')
  const home = nextNavigation('reLaunch')
  tapButton(page, '#to-survey')
  await expect(home).resolves.toEqual({ url: '/pages/home/index' })
  const draw = nextNavigation('navigateTo')
  tapButton(page, '#to-draw')
  await expect(draw).resolves.toEqual({ url: '/pages/draw/hub/index' })
})

test('sold out, or the limit already reached, disables the button and says why', async () => {
  backend().replyNext(
    ok({ item: anItem({ stock: 0, available: false }), balance: 100, redeemed: 0 }),
  )
  const soldOut = await open({ id: 'mug-safety' })
  expect(textOf(soldOut, '#action')).toBe('已兑完')
  expect(textOf(soldOut, '#availability')).toBe('已兑完')
  expect(soldOut.querySelector('#action')!.data.disabled).toBe(true)

  backend().replyNext(ok({ item: anItem({ perPersonLimit: 2 }), balance: 100, redeemed: 2 }))
  const limited = await open({ id: 'mug-safety' })
  expect(textOf(limited, '#limit')).toBe('每人限兑 2 件，您已兑换 2 件')
  expect(textOf(limited, '#action')).toBe('已达兑换上限')
  expect(limited.querySelector('#to-mine')).toBeTruthy()
})

test('a failed load offers retry and a way back; no item id is said plainly', async () => {
  backend().failNext()
  const page = await open({ id: 'mug-safety' })
  expect(textOf(page, '#error')).toContain('网络连接失败')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
  expect(shownText(page)).toContain('网络安全主题保温杯')

  const none = await open({})
  expect(textOf(none, '#error')).toContain('没有找到这件商品')
  expect(none.querySelector('#retry')).toBeFalsy()
  const back = nextNavigation('redirectTo')
  tapButton(none, '#back-store')
  await expect(back).resolves.toEqual({ url: '/pages/store/index' })
})
