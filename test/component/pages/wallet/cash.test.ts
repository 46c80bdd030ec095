// 待领取红包: the red envelopes waiting for their winner, with WeChat's confirmation page
// (wx.requestMerchantTransfer) opened with what the server sent, the server asked where the money
// is afterwards, an expired envelope claimed again as a new transfer, and a clear message for a
// WeChat too old to confirm.
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { useMerchantTransfer, usePage, useRewardsBackend } from '../../support/page-suite'

const { open } = usePage('pages/wallet/cash/index')
const backend = useRewardsBackend()
const transfer = useMerchantTransfer()

const rows = (page: RenderedPage) => page.querySelectorAll('.row')
const tapClaim = (page: RenderedPage, index: number) =>
  page
    .querySelector(`#payout-${index} .row__action`)!
    .querySelector('.t-button')!
    .dispatchEvent('tap')
const claimed = (page: RenderedPage) =>
  until(page, (data) => data.busyKey === '' && data.notice !== '')

/** The look of the notice: its tone class (notice--success, --info, --warning, --error). */
const noticeTone = (page: RenderedPage) =>
  /notice--(\w+)/.exec(page.querySelector('#notice')!.dom!.className)?.[1]

/** WeChat Pay pays a transfer once its winner confirms. */
function paysOnConfirm() {
  transfer().onConfirm = (pkg) => backend().paidAtWechat.add(pkg)
}

test('lists each envelope with its amount and what to do: 领取 before the deadline, 重新领取 after it', async () => {
  backend().addPayout('awaiting_user', 20)
  backend().addPayout('expired', 150)
  backend().addPayout('closing', 30)
  const page = await open()

  expect(rows(page)).toHaveLength(3)
  expect(textOf(page, '#intro')).toContain('请在 24 小时内领取')
  expect(textOf(page, '#payout-0')).toContain('0.2 元现金红包')
  expect(textOf(page, '#payout-0')).toContain('请在 2024年7月21日 10:00 前领取')
  expect(textOf(page, '#payout-0')).toContain('中奖时间 2024年7月20日 10:00')
  expect(textOf(page, '#payout-0 .row__action')).toBe('领取')
  expect(textOf(page, '#payout-1')).toContain('1.5 元现金红包')
  expect(textOf(page, '#payout-1')).toContain('领取已超时，可以重新领取')
  expect(textOf(page, '#payout-1 .row__action')).toBe('重新领取')
  // WeChat Pay is still closing the overdue transfer: nothing to tap yet.
  expect(textOf(page, '#payout-2')).toContain('红包正在退回，稍后可重新领取')
  expect(page.querySelector('#payout-2 .row__action')).toBeFalsy()
})

test('领取 opens WeChat’s confirmation page with the server’s mchId, appId and package; once paid the envelope leaves the list', async () => {
  const payout = backend().addPayout('awaiting_user')
  paysOnConfirm()
  const toast = jest.spyOn(wx, 'showToast')
  const page = await open()

  tapClaim(page, 0)
  await claimed(page)
  expect(transfer().opened).toEqual([
    { mchId: '1900000109', appId: 'wx-test-appid', package: `pkg-${payout.payoutKey}` },
  ])
  expect(backend().events('payout', 'check')).toEqual([
    { action: 'check', payoutKey: payout.payoutKey },
  ])
  expect(textOf(page, '#notice')).toBe('红包已到账，请在微信零钱中查看')
  expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '红包已到账' }))
  await until(page, (data) => data.items.length === 0)
  expect(shownText(page)).toContain('没有待领取的红包')
})

test('confirmed but not paid yet: it says the money is on its way and keeps the envelope listed', async () => {
  backend().addPayout('awaiting_user')
  const page = await open()
  tapClaim(page, 0)
  await claimed(page)
  expect(textOf(page, '#notice')).toBe('已确认收款，到账可能需要几分钟，请稍后下拉刷新查看')
  expect(noticeTone(page)).toBe('info')
  expect(rows(page)).toHaveLength(1)
})

test('closing WeChat’s page without confirming changes nothing; it can be claimed later', async () => {
  backend().addPayout('awaiting_user')
  transfer().next = 'cancel'
  const toast = jest.spyOn(wx, 'showToast')
  const page = await open()
  tapClaim(page, 0)
  await until(page, () => toast.mock.calls.length > 0)
  expect(toast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '已取消领取，您可以稍后再领' }),
  )
  expect(backend().events('payout', 'check')).toEqual([])
  await until(page, (data) => data.busyKey === '')
  expect(textOf(page, '#payout-0 .row__action')).toBe('领取')
})

test('a confirmation page that fails says so in Chinese, in the error style; WeChat’s raw errMsg goes to the log', async () => {
  backend().addPayout('awaiting_user')
  const raw = 'requestMerchantTransfer:fail package_info 信息有误'
  transfer().next = { fail: raw }
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  const page = await open()
  tapClaim(page, 0)
  await claimed(page)
  expect(textOf(page, '#notice')).toBe('领取未完成：微信未能完成收款确认，请稍后重试')
  expect(shownText(page)).not.toContain('requestMerchantTransfer')
  expect(noticeTone(page)).toBe('error')
  expect(warn).toHaveBeenCalledWith(expect.any(String), raw)
})

test('money that arrived shows in the success style, not the error or information one', async () => {
  backend().addPayout('awaiting_user')
  paysOnConfirm()
  const page = await open()
  tapClaim(page, 0)
  await claimed(page)
  expect(textOf(page, '#notice')).toBe('红包已到账，请在微信零钱中查看')
  expect(noticeTone(page)).toBe('success')
})

test('a WeChat without wx.requestMerchantTransfer is told to upgrade, and nothing is opened', async () => {
  backend().addPayout('awaiting_user')
  transfer().supported = false
  const modal = jest.spyOn(wx, 'showModal')
  const page = await open()
  tapClaim(page, 0)
  await until(page, () => modal.mock.calls.length > 0)
  expect(modal).toHaveBeenCalledWith(
    expect.objectContaining({
      title: '无法领取',
      content: '当前微信版本过低，无法确认收款。请将微信升级到最新版本后再来领取。',
      showCancel: false,
    }),
  )
  expect(transfer().opened).toEqual([])
})

test('重新领取 makes a new transfer, then opens its confirmation page', async () => {
  const payout = backend().addPayout('expired', 150)
  paysOnConfirm()
  const page = await open()
  tapClaim(page, 0)
  await claimed(page)
  expect(backend().events('payout', 'reclaim')).toEqual([
    { action: 'reclaim', payoutKey: payout.payoutKey },
  ])
  expect(transfer().opened).toEqual([
    expect.objectContaining({ package: `pkg-${payout.payoutKey}-2` }),
  ])
  expect(textOf(page, '#notice')).toBe('红包已到账，请在微信零钱中查看')
})

test('a failed load says why and offers 重试; none waiting shows the empty state', async () => {
  backend().failNext()
  const page = await open()
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('网络连接失败')

  backend().addPayout('awaiting_user')
  page.querySelector('#retry')!.querySelector('.t-button')!.dispatchEvent('tap')
  await until(page, (data) => data.phase === 'ready')
  expect(rows(page)).toHaveLength(1)

  backend().payouts.length = 0
  const empty = await open()
  expect(textOf(empty, '#empty')).toContain('没有待领取的红包')
})

test('talking to the local cloud, whose fake transfers cannot open WeChat’s page, a modal stands in for it', async () => {
  const payout = backend().addPayout('awaiting_user')
  payout.confirm!.package = `fake-package-${payout.payoutKey}`
  const modal = jest.spyOn(wx, 'showModal')
  const page = await open()
  tapClaim(page, 0)
  await claimed(page)
  expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '本地模拟收款' }))
  expect(transfer().opened).toEqual([])
  expect(backend().events('payout', 'check')).toHaveLength(1)
})
