// 店员核销: a clerk finds a reservation by its 6-digit code or by scanning its QR, sees the item
// and the masked nickname, and confirms the handover once; only at their own store.
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open } = usePage('pages/store/clerk/index')
const backend = useStoreBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')
const type = (page: RenderedPage, id: string, value: string) =>
  page
    .querySelector(id)!
    .querySelector('.t-input__control')!
    .dispatchEvent('input', { detail: { value } })

/** A reservation at the clerk's store, made as a user would. */
async function reserved(): Promise<{ id: string; code: string }> {
  const reply = await new Promise<{ data: { reservation: { id: string; pickupCode: string } } }>(
    (resolve) =>
      wx.request({
        url: 'http://127.0.0.1:3900/functions/store',
        method: 'POST',
        data: {
          action: 'redeem',
          itemId: 'mug-safety',
          storeId: 'gz-tianhe-jianshe',
          requestId: 'reserve-0001',
        },
        success: (r) => resolve(r.data as never),
      }),
  )
  return { id: reply.data.reservation.id, code: reply.data.reservation.pickupCode }
}

test('opened from the store list: the clerk of one store goes straight to its desk', async () => {
  const r = await reserved()
  const page = await open({})
  await until(page, (d) => d.phase === 'ready')
  expect(textOf(page, '#pending')).toContain('网络安全主题保温杯')
  expect(textOf(page, `#pending-${r.id}`)).toContain(r.code)
})

test('a typed code finds the reservation; 确认交付 hands it over once', async () => {
  const r = await reserved()
  const page = await open({ store: 'gz-tianhe-jianshe' })
  type(page, '#code', '12')
  tapButton(page, '#lookup')
  await until(page, (d) => d.codeError !== '')
  expect(page.data.codeError).toBe('取货码为 6 位数字')

  type(page, '#code', r.code)
  await until(page, (d) => d.code === r.code)
  tapButton(page, '#lookup')
  await until(page, (d) => d.found !== null)
  expect(textOf(page, '#found')).toContain('张*丰（ABCD2345）')
  jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  await page.instance.onConfirm()
  expect(page.data.found.reserved).toBe(false)
  expect(textOf(page, '#today')).toContain('网络安全主题保温杯')
  expect(page.querySelector('#confirm')).toBeUndefined()
  expect(backend().actions('confirmPickup')).toHaveLength(1)
})

test('scanning the QR finds it; a QR that is not a pickup code is refused politely', async () => {
  const r = await reserved()
  const page = await open({ store: 'gz-tianhe-jianshe' })
  const scan = jest.spyOn(wx, 'scanCode')
  scan.mockImplementationOnce(((o: { success: (x: unknown) => void }) =>
    o.success({ result: `r=${r.id}` })) as never)
  page.instance.onScan()
  await until(page, (d) => d.found !== null)
  expect(page.data.found.id).toBe(r.id)

  const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  scan.mockImplementationOnce(((o: { success: (x: unknown) => void }) =>
    o.success({ result: 'https://example.com' })) as never)
  page.instance.onScan()
  expect(toast).toHaveBeenCalledWith(
    expect.objectContaining({ title: expect.stringContaining('不是取货二维码') }),
  )
})

test('another store: refused with a way home; someone with no store is told how to become a clerk', async () => {
  const other = await open({ store: 'sz-futian-huaqiang' })
  expect(textOf(other, '#error')).toContain('您不是该自提点的店员')
  backend().clerkOf = ''
  const none = await open({})
  await until(none, (d) => d.phase === 'none')
  expect(textOf(none, '#none')).toContain('用户码告诉管理员')
})
