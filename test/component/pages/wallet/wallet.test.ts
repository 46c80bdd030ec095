// The wallet: balance, the user code (copyable), the nickname others see masked, and the ledger
// entries with their kinds in Chinese, a page at a time, pull down to refresh.
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useRewardsBackend } from '../../support/page-suite'

const { open } = usePage('pages/wallet/index')
const backend = useRewardsBackend()

const openWallet = (): Promise<RenderedPage> => open()

const rows = (page: RenderedPage) => page.querySelectorAll('.row')
const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('the balance, the user code and the entries with Chinese kinds and coloured amounts', async () => {
  backend().post('draw_prize', 3, null)
  backend().post('transfer_in', 20, '来自 李*（QRST6789）')
  backend().post('transfer_out', -5, '转赠给 张*丰（ABCD2345）')
  const page = await openWallet()

  expect(textOf(page, '#balance-value')).toBe('18')
  expect(textOf(page, '#user-code')).toBe('ME234567')
  expect(rows(page)).toHaveLength(3)
  expect(textOf(page, '#entry-0')).toContain('积分转出')
  expect(textOf(page, '#entry-0')).toContain('转赠给 张*丰（ABCD2345）')
  expect(textOf(page, '#entry-0 .row__amount')).toBe('-5')
  expect(textOf(page, '#entry-0')).toContain('余额 18')
  expect(textOf(page, '#entry-1')).toContain('积分转入')
  expect(textOf(page, '#entry-2')).toContain('抽奖奖励')
  expect(textOf(page, '#entry-2 .row__amount')).toBe('+3')
  expect(page.querySelector('#entry-0 .row__amount')!.dom!.className).toContain('row__amount--out')
  expect(page.querySelector('#entry-2 .row__amount')!.dom!.className).toContain('row__amount--in')
})

test('reaching the bottom loads more entries and appends them; pull-to-refresh reloads', async () => {
  for (let i = 1; i <= 25; i++) backend().post('share_reward', 1, null)
  const page = await openWallet()
  expect(rows(page)).toHaveLength(20)

  await page.instance.onReachBottom()
  expect(rows(page)).toHaveLength(25)
  expect(textOf(page, '#entry-24')).toContain('分享码样本奖励')
  expect(backend().events('wallet', 'entries')[1]).toEqual({
    action: 'entries',
    cursor: '6',
    limit: 20,
  })
  expect(textOf(page, '#no-more')).toBe('没有更多记录了')

  backend().post('activity_reward', 10, '志愿服务奖励')
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  await page.instance.onPullDownRefresh()
  expect(stop).toHaveBeenCalled()
  expect(rows(page)).toHaveLength(20) // the first page again
  expect(textOf(page, '#entry-0')).toContain('活动奖励')
  expect(textOf(page, '#balance-value')).toBe('35')
})

test('the user code is copied with wx.setClipboardData', async () => {
  const page = await openWallet()
  const copied = new Promise<{ data: string }>((resolve) => {
    jest
      .spyOn(wx, 'setClipboardData')
      .mockImplementation(((options: { data: string }) => resolve(options)) as never)
  })
  tapButton(page, '#copy')
  await expect(copied).resolves.toMatchObject({ data: 'ME234567' })
})

test('setting a nickname shows what others see, masked; a refused one is explained inline', async () => {
  backend().riskyNicknames.add('坏名字')
  const page = await openWallet()
  expect(textOf(page, '#nickname')).toBe('未设置')
  expect(textOf(page, '#masked')).toBe('好友转赠时看到的名字：微信用户')

  tapButton(page, '#edit-nickname')
  await until(page, (data) => data.editingNickname)
  const input = () => page.querySelector('#nickname-input')!.querySelector('.t-input__control')!
  input().dispatchEvent('input', { detail: { value: '坏名字' } })
  await until(page, (data) => data.nicknameDraft === '坏名字')
  tapButton(page, '#save-nickname')
  await until(page, (data) => data.nicknameError !== '')
  expect(page.querySelector('#nickname-input')!.data.tips).toBe('昵称含有不当内容，请修改后再试')

  input().dispatchEvent('input', { detail: { value: '张三丰' } })
  await until(page, (data) => data.nicknameDraft === '张三丰')
  tapButton(page, '#save-nickname')
  await until(page, (data) => !data.editingNickname)
  expect(textOf(page, '#nickname')).toBe('张三丰')
  expect(textOf(page, '#masked')).toBe('好友转赠时看到的名字：张*丰')
  const [refused, saved] = backend().events('wallet', 'setNickname')
  expect(saved).toEqual({
    action: 'setNickname',
    nickname: '张三丰',
    requestId: expect.any(String),
  })
  expect(saved!.requestId).not.toBe(refused!.requestId) // another name, another request
})

test('no entries yet: an empty state; 转赠积分 leads to the transfer flow', async () => {
  const page = await openWallet()
  expect(shownText(page)).toContain('还没有积分记录')
  const navigated = nextNavigation('navigateTo')
  tapButton(page, '#transfer')
  await expect(navigated).resolves.toEqual({ url: '/pages/wallet/transfer/index' })
})

test('red envelopes waiting to be claimed show as a card that leads to them; none, no card', async () => {
  const none = await openWallet()
  expect(none.querySelector('#cash-card')).toBeFalsy()

  backend().addPayout('awaiting_user')
  backend().addPayout('expired')
  const page = await openWallet()
  expect(textOf(page, '#cash-card')).toContain('待领取的现金红包')
  expect(textOf(page, '#cash-waiting')).toBe('2 个红包待确认收款，逾期可重新领取')
  const navigated = nextNavigation('navigateTo')
  tapButton(page, '#go-cash')
  await expect(navigated).resolves.toEqual({ url: '/pages/wallet/cash/index' })
})

test('the wallet still opens when the envelopes cannot be counted', async () => {
  backend().replyNext({
    ok: true,
    data: {
      balance: 0,
      userCode: 'ME234567',
      nickname: null,
      transfer: { minAmount: 1, maxAmount: 500, dailyCap: 1000, sentToday: 0 },
    },
  })
  backend().replyNext({ ok: true, data: { items: [], nextCursor: null } })
  backend().failNext()
  const page = await openWallet()
  expect(page.data.phase).toBe('ready')
  expect(page.querySelector('#cash-card')).toBeFalsy()
})

test('我的数据与隐私 at the bottom opens the privacy page', async () => {
  const page = await openWallet()
  const went = nextNavigation('navigateTo')
  page.querySelector('#privacy')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/settings/privacy/index' })
})
