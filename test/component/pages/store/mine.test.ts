// 我的兑换: reservations waiting for pickup (big code, QR, store with 导航 and 电话, expiry,
// 取消兑换 after a confirm), finished and given-back ones in their tabs, reports to open, the
// reservation a reminder opened, an empty list that leads to the store, refresh and a failed load.
import { RESERVATION_STATUS_NAMES, type ReservationView } from 'wal-core'
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open } = usePage('pages/store/mine/index')
const backend = useStoreBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')
const tapTab = (page: RenderedPage, index: number) =>
  page.querySelector('#tabs')!.querySelectorAll('.t-tabs__item')[index]!.dispatchEvent('tap')

const tianhe = {
  id: 'gz-tianhe-jianshe',
  name: '天河建设路便民服务站',
  address: '广州市天河区建设一马路 18 号首层',
  phone: '020-38861234',
  location: { lng: 113.3612, lat: 23.1247 },
}

/** A reservation as the server shows it. */
function aReservation(over: Partial<ReservationView> = {}): ReservationView {
  const status = over.status ?? 'reserved'
  return {
    id: 'rsv-a00001',
    itemId: 'mug-safety',
    itemTitle: '网络安全主题保温杯',
    kind: 'gift',
    pricePoints: 30,
    status,
    statusName: RESERVATION_STATUS_NAMES[status],
    store: tianhe,
    pickupCode: status === 'reserved' ? '482913' : null,
    scene: status === 'reserved' ? 'r=rsv-a00001' : null,
    expiresAt: '2025-03-08T02:00:00.000Z',
    createdAt: '2025-03-01T02:00:00.000Z',
    fileUrl: null,
    certificateNo: null,
    ...over,
  }
}

const aReport = (over: Partial<ReservationView> = {}) =>
  aReservation({
    id: 'rsv-report01',
    itemId: 'report-2024-national',
    itemTitle: '2024 全国网民网络安全感满意度调查报告（摘要）',
    kind: 'report',
    pricePoints: 10,
    status: 'delivered',
    store: null,
    expiresAt: null,
    fileUrl: 'http://127.0.0.1/storage/reports/x.pdf',
    ...over,
  })

test('a reservation waiting for pickup shows its code, QR, store, expiry and the ways to get there', async () => {
  backend().reservations = [aReservation()]
  const page = await open()
  await until(page, (d) => Boolean(d.qr['rsv-a00001']))
  expect(page.data.tab).toBe('pending')
  expect(textOf(page, '#code-rsv-a00001')).toBe('482913')
  expect(page.querySelector('#qr-rsv-a00001')).toBeTruthy() // simulate keeps no src attribute
  expect(page.data.qr['rsv-a00001']).toBe('data:image/png;base64,iVBORw0KGgo=')
  expect(backend().actions('pickupQr')).toEqual([
    { action: 'pickupQr', reservationId: 'rsv-a00001' },
  ])
  expect(textOf(page, '#expiry-rsv-a00001')).toBe(
    '请于 2025年3月8日 10:00 前到店领取，逾期积分自动退回',
  )
  expect(textOf(page, '#store-rsv-a00001')).toContain('天河建设路便民服务站')
  expect(textOf(page, '#store-rsv-a00001')).toContain('广州市天河区建设一马路 18 号首层')
  expect(textOf(page, '#r-rsv-a00001')).toContain('待自提')

  const located = new Promise((resolve) => {
    jest.spyOn(wx, 'openLocation').mockImplementation(resolve as never)
  })
  tapButton(page, '#navigate-rsv-a00001')
  await expect(located).resolves.toMatchObject({
    latitude: 23.1247,
    longitude: 113.3612,
    name: '天河建设路便民服务站',
    address: '广州市天河区建设一马路 18 号首层',
  })
  const called = new Promise((resolve) => {
    jest.spyOn(wx, 'makePhoneCall').mockImplementation(resolve as never)
  })
  tapButton(page, '#call-rsv-a00001')
  await expect(called).resolves.toMatchObject({ phoneNumber: '020-38861234' })
})

test('finished and given-back redemptions are in their own tabs; a report opens as a PDF', async () => {
  backend().reservations = [
    aReservation({ id: 'rsv-open01' }),
    aReservation({ id: 'rsv-taken1', status: 'picked_up' }),
    aReport(),
    aReservation({ id: 'rsv-gone01', status: 'expired' }),
    aReservation({ id: 'rsv-gone02', status: 'cancelled' }),
  ]
  const page = await open()
  const labels = page
    .querySelector('#tabs')!
    .querySelectorAll('.t-tabs__item')
    .map((t) => t.dom!.textContent!.trim())
  expect(labels).toEqual(['待自提（1）', '已完成（2）', '已取消或过期（2）'])

  tapTab(page, 1)
  await until(page, (d) => d.tab === 'done')
  expect(page.querySelectorAll('.card')).toHaveLength(2)
  expect(textOf(page, '#r-rsv-taken1')).toContain('已领取')
  expect(page.querySelector('#code-rsv-taken1')).toBeFalsy()
  expect(page.querySelector('#cancel-rsv-taken1')).toBeFalsy()

  jest
    .spyOn(wx, 'downloadFile')
    .mockImplementation(((o: {
      url: string
      success: (r: { statusCode: number; tempFilePath: string }) => void
    }) => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/report.pdf' })) as never)
  const opened = new Promise((resolve) => {
    jest.spyOn(wx, 'openDocument').mockImplementation(((o: { success: () => void }) => {
      resolve(o)
      o.success()
    }) as never)
  })
  tapButton(page, '#open-rsv-report01')
  await expect(opened).resolves.toMatchObject({
    filePath: 'wxfile://tmp/report.pdf',
    fileType: 'pdf',
  })

  tapTab(page, 2)
  await until(page, (d) => d.tab === 'closed')
  expect(textOf(page, '#r-rsv-gone01')).toContain('已过期（积分已退回）')
  expect(textOf(page, '#r-rsv-gone02')).toContain('已取消（积分已退回）')
})

test('cancelling asks first, then gives the points back and moves the reservation to its tab', async () => {
  backend().reservations = [aReservation()]
  backend().balance = 70
  const page = await open()
  const modal = jest
    .spyOn(wx, 'showModal')
    .mockResolvedValueOnce({ confirm: false, cancel: true } as never)
    .mockResolvedValueOnce({ confirm: true, cancel: false } as never)
  jest.spyOn(wx, 'showToast').mockImplementation((() => {}) as never)

  await page.instance.onCancel({ currentTarget: { dataset: { id: 'rsv-a00001' } } })
  expect(backend().actions('cancel')).toHaveLength(0) // kept

  tapButton(page, '#cancel-rsv-a00001')
  await until(page, (d) => d.tabs[2].label === '已取消或过期（1）')
  expect(modal).toHaveBeenCalledTimes(2)
  expect(modal.mock.calls[1]![0]).toMatchObject({ title: '取消兑换' })
  expect(backend().actions('cancel')).toEqual([
    { action: 'cancel', reservationId: 'rsv-a00001', requestId: expect.any(String) },
  ])
  expect(backend().balance).toBe(100)
  expect(wx.showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '已取消，积分已退回' }),
  )
  expect(page.querySelector('#r-rsv-a00001')).toBeFalsy()
  expect(textOf(page, '#tab-empty')).toBe('这里暂时没有记录')
})

test('a reservation picked up meanwhile cannot be cancelled: the server’s words, and the list as it is', async () => {
  backend().reservations = [aReservation()]
  const page = await open()
  backend().reservations[0]!.status = 'picked_up'
  backend().reservations[0]!.statusName = RESERVATION_STATUS_NAMES.picked_up
  jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true, cancel: false } as never)
  await page.instance.onCancel({ currentTarget: { dataset: { id: 'rsv-a00001' } } })
  expect(textOf(page, '#notice')).toBe('该兑换已领取，不能再操作')
  expect(page.data.tabs[1].label).toBe('已完成（1）')
})

test('a cancellation whose reply was lost is re-sent with the same requestId', async () => {
  backend().reservations = [aReservation()]
  const page = await open()
  jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true, cancel: false } as never)
  jest.spyOn(wx, 'showToast').mockImplementation((() => {}) as never)
  backend().failNext().failNext().failNext()
  await page.instance.onCancel({ currentTarget: { dataset: { id: 'rsv-a00001' } } })
  expect(textOf(page, '#notice')).toBe('网络连接失败，请检查网络后重试')
  await page.instance.onCancel({ currentTarget: { dataset: { id: 'rsv-a00001' } } })
  const ids = new Set(
    backend()
      .actions('cancel')
      .map((e) => e.requestId),
  )
  expect(backend().actions('cancel')).toHaveLength(4)
  expect(ids.size).toBe(1)
  expect(page.data.rows[0].group).toBe('closed')
})

test('opened from a reminder (?id=), the reservation’s tab is shown, scrolled to and marked', async () => {
  backend().reservations = [
    aReservation({ id: 'rsv-a00001' }),
    aReservation({ id: 'rsv-a00002', pickupCode: '771204' }),
    aReport(),
  ]
  const scrolled = jest.spyOn(wx, 'pageScrollTo').mockImplementation((() => {}) as never)
  const page = await open({ id: 'rsv-a00002' })
  expect(page.data.tab).toBe('pending')
  expect(page.querySelector('#r-rsv-a00002')!.dom!.className).toContain('card--highlight')
  expect(page.querySelector('#r-rsv-a00001')!.dom!.className).not.toContain('card--highlight')
  expect(scrolled).toHaveBeenCalledWith(expect.objectContaining({ selector: '#r-rsv-a00002' }))

  const report = await open({ id: 'rsv-report01' })
  expect(report.data.tab).toBe('done')
})

test('nothing redeemed yet: an empty state that leads to the store', async () => {
  const page = await open()
  expect(textOf(page, '#empty')).toContain('还没有兑换记录')
  const went = nextNavigation('navigateTo')
  tapButton(page, '#to-store')
  await expect(went).resolves.toEqual({ url: '/pages/store/index' })
})

test('pull-down refresh shows a new reservation; a failed load offers retry', async () => {
  backend().failNext()
  const page = await open()
  expect(textOf(page, '#error')).toContain('网络连接失败')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
  expect(page.querySelector('#empty')).toBeTruthy()

  backend().reservations = [aReservation()]
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  await page.instance.onPullDownRefresh()
  expect(stop).toHaveBeenCalled()
  expect(shownText(page)).toContain('482913')
})

test('a QR that could not be fetched can be fetched again with a tap', async () => {
  backend().reservations = [aReservation()]
  jest.spyOn(console, 'warn').mockImplementation(() => {})
  backend().replyNext({ ok: true, data: { items: backend().reservations } })
  backend().failNext()
  const page = await open()
  await until(page, (d) => d.qr['rsv-a00001'] === 'failed')
  page.querySelector('#qr-failed-rsv-a00001')!.dispatchEvent('tap')
  await until(page, (d) => d.qr['rsv-a00001'] !== 'failed')
  expect(page.querySelector('#qr-rsv-a00001')).toBeTruthy()
})

test('a certificate shows its number and opens 志愿者证书', async () => {
  backend().reservations = [
    aReservation({
      id: 'rsv-cert01',
      itemId: 'certificate-volunteer',
      itemTitle: '志愿者证书（电子版）',
      kind: 'certificate',
      status: 'delivered',
      store: null,
      expiresAt: null,
      certificateNo: 'WAL2025-0123456789',
    }),
  ]
  const page = await open()
  tapTab(page, 1)
  await until(page, (d) => d.tab === 'done')
  expect(textOf(page, '#certificate-rsv-cert01')).toContain('WAL2025-0123456789')
  const went = nextNavigation('navigateTo')
  page
    .querySelector('#open-certificate-rsv-cert01')!
    .querySelector('.t-button')!
    .dispatchEvent('tap')
  await expect(went).resolves.toEqual({
    url: '/pages/store/certificate/index?no=WAL2025-0123456789',
  })
})
