// A pickup store's page: hours, phone, 导航, the item's stock here, and reserving it — the
// confirmation, the redemption, the way to 我的兑换; refusals and lost replies.
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open } = usePage('pages/store/shop/index')
const backend = useStoreBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('the store with its hours, phone, 导航 and the item stock here', async () => {
  const page = await open({ id: 'gz-tianhe-jianshe', item: 'mug-safety' })
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#store')).toContain('广州市天河区建设一马路 18 号首层')
  expect(textOf(page, '#hours')).toContain('周一至周日 09:00–21:00')
  expect(textOf(page, '#stock')).toBe('网络安全主题保温杯 · 本店库存 40')
  const called = new Promise((resolve) =>
    jest.spyOn(wx, 'makePhoneCall').mockImplementation(resolve as never),
  )
  tapButton(page, '#call')
  await expect(called).resolves.toEqual({ phoneNumber: '020-38861234' })
  const opened = new Promise((resolve) =>
    jest.spyOn(wx, 'openLocation').mockImplementation(resolve as never),
  )
  tapButton(page, '#navigate')
  await expect(opened).resolves.toEqual(
    expect.objectContaining({
      latitude: 23.1247,
      longitude: 113.3612,
      name: '天河建设路便民服务站',
    }),
  )
})

test('reserving: confirm, redeem, then 我的兑换 shows it', async () => {
  const page = await open({ id: 'gz-tianhe-jianshe', item: 'mug-safety' })
  tapButton(page, '#reserve')
  await until(page, (d) => d.dialogVisible)
  expect(page.data.dialogContent).toContain(
    '用 30 积分兑换「网络安全主题保温杯」，兑换后余额 70 积分',
  )
  const went = new Promise<{ url: string }>((resolve) =>
    jest.spyOn(wx, 'redirectTo').mockImplementation(((o: { url: string }) => resolve(o)) as never),
  )
  await page.instance.onDialogConfirm()
  await expect(went).resolves.toEqual({ url: '/pages/store/mine/index?id=rsv-fake000001' })
  expect(backend().actions('redeem')[0]).toMatchObject({
    itemId: 'mug-safety',
    storeId: 'gz-tianhe-jianshe',
  })
  expect(backend().balance).toBe(70)
})

test('not enough points: the button is off and says how many are missing', async () => {
  backend().balance = 10
  const page = await open({ id: 'gz-tianhe-jianshe', item: 'mug-safety' })
  expect(textOf(page, '#short')).toBe('需要 30 积分，当前余额 10，还差 20 积分')
  expect(page.querySelector('#reserve')!.querySelector('.t-button--disabled')).toBeDefined()
})

test('a lost reply: the error shows, 重试 re-sends the same request; points go once', async () => {
  const page = await open({ id: 'gz-tianhe-jianshe', item: 'mug-safety' })
  backend().failNext().failNext().failNext()
  await page.instance.onDialogConfirm()
  expect(page.data.formError).toContain('网络')
  jest.spyOn(wx, 'redirectTo').mockImplementation(() => undefined as never)
  await page.instance.onReserve()
  await until(page, () => backend().actions('redeem').length === 4)
  const ids = new Set(
    backend()
      .actions('redeem')
      .map((e) => e.requestId),
  )
  expect(ids.size).toBe(1)
  await until(page, () => backend().balance === 70)
})

test('a refusal (sold out meanwhile) is shown and the next tap is a new request', async () => {
  const page = await open({ id: 'gz-tianhe-jianshe', item: 'mug-safety' })
  backend().stock.get('mug-safety')!.set('gz-tianhe-jianshe', 0)
  await page.instance.onDialogConfirm()
  expect(page.data.formError).toBe('该自提点库存不足，请选择其他自提点')
  expect(backend().balance).toBe(100)
})

test('opened without a store: an error with a way back', async () => {
  const page = await open({})
  expect(textOf(page, '#error')).toContain('没有指定自提点')
})
