// Transfer (积分转赠): code and amount → the server names the recipient (masked) → confirm in a
// TDesign dialog → transfer → success with the new balance. Refusals appear under their field;
// a transfer whose reply was lost is re-sent with the same requestId.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useRewardsBackend } from '../../support/page-suite'

const { open } = usePage('pages/wallet/transfer/index')
const backend = useRewardsBackend()

beforeEach(() => {
  backend().post('draw_prize', 100, null)
})

const openTransfer = (): Promise<RenderedPage> => open()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

async function fill(page: RenderedPage, code: string, amount: string): Promise<void> {
  const type = (id: string, value: string) =>
    page
      .querySelector(id)!
      .querySelector('.t-input__control')!
      .dispatchEvent('input', { detail: { value } })
  type('#code', code)
  type('#amount', amount)
  await until(page, (data) => data.code === code && data.amount === amount)
}

/** Fill the form and tap 下一步; resolves once the server has answered the preview. */
async function next(page: RenderedPage, code: string, amount: string): Promise<void> {
  await fill(page, code, amount)
  tapButton(page, '#next')
  await until(
    page,
    (d) =>
      d.phase === 'preview' || d.codeError !== '' || d.amountError !== '' || d.formError !== '',
  )
}

/** Tap 确认转赠 and then the dialog's confirm button. */
async function confirm(page: RenderedPage): Promise<void> {
  tapButton(page, '#confirm')
  await until(page, (data) => data.dialogVisible)
  expect(page.querySelector('#dialog')!.data.visible).toBe(true)
  page
    .querySelector('#dialog')!
    .querySelector('.t-dialog__button--confirm')!
    .querySelector('.t-button')!
    .dispatchEvent('tap')
}

const fieldTips = (page: RenderedPage, id: string): string => page.querySelector(id)!.data.tips

test('preview names the recipient masked; confirming in the dialog transfers; success shows the new balance', async () => {
  const page = await openTransfer()
  expect(textOf(page, '#available')).toBe(
    '可转赠积分 100 · 每次 1–500 积分，今日还可转赠 1000 积分',
  )

  await next(page, ' abcd2345 ', '30')
  expect(backend().events('wallet', 'previewTransfer')).toEqual([
    { action: 'previewTransfer', toCode: 'ABCD2345' },
  ])
  expect(textOf(page, '#recipient')).toBe('张*丰（ABCD2345）')
  expect(textOf(page, '#points')).toBe('30 积分')
  expect(backend().events('wallet', 'transfer')).toEqual([]) // nothing moves before the dialog

  await confirm(page)
  expect(page.data.dialogContent).toBe('确认将 30 积分转赠给 张*丰（ABCD2345）？转赠后不能撤回。')
  await until(page, (data) => data.phase === 'done')
  expect(backend().events('wallet', 'transfer')).toEqual([
    { action: 'transfer', toCode: 'ABCD2345', amount: 30, requestId: expect.any(String) },
  ])
  expect(shownText(page)).toContain('转赠成功')
  expect(shownText(page)).toContain('已将 30 积分转赠给 张*丰')
  expect(textOf(page, '#new-balance')).toBe('当前积分余额 70')
})

test.each([
  ['SELF_TRANSFER', 'ME234567', '#code', '不能转赠给自己'],
  ['RECIPIENT_NOT_FOUND', 'ZZZZ2345', '#code', '未找到该用户码对应的用户'],
])('%s is shown under the code', async (_code, toCode, field, message) => {
  const page = await openTransfer()
  await next(page, toCode, '10')
  expect(page.data.phase).toBe('edit')
  expect(fieldTips(page, field)).toBe(message)
})

test.each([
  // The server's own sentence (core's checkTransfer) reaches the screen, not just the code's text.
  ['DAILY_CAP', '今日最多还可转赠 20 积分', { dailyCap: 20 }],
  ['BAD_AMOUNT', '每次可转赠 1–20 积分', { maxAmount: 20 }],
])('%s from the transfer is shown under the amount', async (_code, message, limits) => {
  const page = await openTransfer()
  // The rules changed on the server after the form loaded them: the server's refusal shows.
  Object.assign(backend().limits, limits)
  await next(page, 'ABCD2345', '30')
  await confirm(page)
  await until(page, (data) => data.phase === 'edit')
  expect(fieldTips(page, '#amount')).toBe(message)
  expect(backend().account.balance).toBe(100)
})

test.each([
  ['over the per-transfer limit', { maxAmount: 20 }, '每次可转赠 1–20 积分'],
  ['over what today still allows', { dailyCap: 50 }, '今日最多还可转赠 20 积分'],
])('an amount %s is refused on the phone, before any call', async (_label, limits, message) => {
  Object.assign(backend().limits, limits)
  backend().sentToday = 30
  const page = await openTransfer()
  await next(page, 'ABCD2345', '25')
  expect(fieldTips(page, '#amount')).toBe(message)
  expect(backend().events('wallet', 'previewTransfer')).toEqual([])
})

test('INSUFFICIENT_POINTS (the balance moved meanwhile) is shown under the amount', async () => {
  const page = await openTransfer()
  await next(page, 'ABCD2345', '80')
  backend().post('redemption', -50, '兑换礼品')
  await confirm(page)
  await until(page, (data) => data.phase === 'edit')
  expect(fieldTips(page, '#amount')).toBe('积分余额不足')
})

test('the form checks the code and the amount before asking the server', async () => {
  const page = await openTransfer()
  await fill(page, 'ABC', '200')
  tapButton(page, '#next')
  await until(page, (data) => data.codeError !== '')
  expect(fieldTips(page, '#code')).toBe('用户码为 8 位字母数字，请检查后重新输入')
  expect(fieldTips(page, '#amount')).toBe('积分余额不足，当前可转赠 100 积分')
  expect(backend().sent.map((s) => s.event.action)).toEqual(['balance'])
})

test('a transfer whose reply was lost: 重试 re-sends the same requestId and points move once', async () => {
  const page = await openTransfer()
  await next(page, 'ABCD2345', '30')
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().loseNextReply('request:fail timeout')
  await confirm(page)
  await until(page, (data) => data.canRetry)
  expect(textOf(page, '#form-error')).toBe('转赠未完成：网络请求超时，请稍后重试')
  expect(textOf(page, '#confirm')).toBe('重试')

  tapButton(page, '#confirm')
  await until(page, (data) => data.phase === 'done')
  const [first, second] = backend().events('wallet', 'transfer')
  expect(second).toEqual(first)
  expect(backend().account.balance).toBe(70)
  expect(textOf(page, '#new-balance')).toBe('当前积分余额 70')
})
