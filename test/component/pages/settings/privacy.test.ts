// 我的数据与隐私: what is held about the caller, 删除我的个人信息 with its confirmation, the server's
// account of what went and what stayed, and a lost reply re-sent with the same requestId.
import { nextNavigation } from '../../support/navigation'
import { usePage, usePrivacyBackend } from '../../support/page-suite'
import { NOTHING_HELD, someData } from '../../support/privacy-backend'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'

const { open, render } = usePage('pages/settings/privacy/index')
const backend = usePrivacyBackend()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('shows everything held: the response and when it is unlinked, points, memberships, reservations, the masked name, the purposes', async () => {
  const page = await open()
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#responses')).toContain('调查 demo · 公共网民版')
  expect(textOf(page, '#response-0')).toContain(
    '2025年3月1日 开始答题，已提交 2 部分，获得 7 次抽奖机会，有效样本',
  )
  expect(textOf(page, '#response-0')).toContain('2025年9月29日 起答卷转为假名保存')
  expect(textOf(page, '#balance')).toBe('12')
  expect(textOf(page, '#entries')).toBe('5 笔')
  expect(textOf(page, '#nickname')).toBe('小明同学')
  expect(textOf(page, '#memberships')).toContain('小明 · 志愿者 · 已加入')
  expect(textOf(page, '#reservations')).toContain('网络安全主题保温杯')
  expect(textOf(page, '#identity')).toBe('实名信息王**（用于志愿者证书）')
  expect(textOf(page, '#purposes')).toContain('抽奖与积分奖励的发放')
  expect(shownText(page)).not.toContain('王小明')
})

test('deleting: the confirmation says what goes and what stays, then the server reply is shown', async () => {
  const page = await open()
  tapButton(page, '#delete-button')
  await until(page, (d) => d.dialogVisible)
  const dialog = textOf(page, '#confirm')
  expect(dialog).toContain('立即删除')
  expect(dialog).toContain('昵称、真实姓名（志愿者证书用）')
  expect(dialog).toContain('积分余额与流水')
  expect(dialog).toContain('删除后无法恢复')
  expect(backend().actions('deleteMe')).toHaveLength(0)

  await page.instance.onDialogConfirm()
  expect(page.data.phase).toBe('deleted')
  expect(textOf(page, '#removed')).toContain('昵称')
  expect(textOf(page, '#removed')).toContain('问卷答卷与您微信身份的关联（1 份，答案以假名保留）')
  expect(textOf(page, '#kept')).toContain('积分账户（余额 12）与积分流水')
  expect(textOf(page, '#kept')).toContain('财务审计')
  expect(backend().deletions).toBe(1)

  // 查看现在保存的信息: the nickname and the response are gone, the balance is still there.
  tapButton(page, '#view-again')
  await until(page, (d) => d.phase === 'ready')
  expect(page.querySelector('#responses')).toBeUndefined()
  expect(textOf(page, '#nickname')).toBe('未设置')
  expect(textOf(page, '#balance')).toBe('12')
})

test('cancelling the confirmation deletes nothing', async () => {
  const page = await open()
  tapButton(page, '#delete-button')
  await until(page, (d) => d.dialogVisible)
  page.instance.onDialogCancel()
  expect(page.data.dialogVisible).toBe(false)
  expect(backend().actions('deleteMe')).toHaveLength(0)
})

test('a lost reply: the error shows, 重试 re-sends the same request, and the deletion happens once', async () => {
  const page = await open()
  // The first send's reply is lost after the server acted; the automatic re-sends fail too.
  backend().failNext().failNext().failNext()
  await page.instance.onDialogConfirm()
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#form-error')).toContain('网络')
  expect(shownText(page)).toContain('重试不会重复删除')

  // 重试 (the same button): no second confirmation, the same requestId.
  tapButton(page, '#delete-button')
  await until(page, (d) => d.phase === 'deleted')
  expect(page.data.dialogVisible).toBe(false)
  const sent = backend().actions('deleteMe')
  expect(sent).toHaveLength(4)
  expect(new Set(sent.map((e) => e.requestId)).size).toBe(1)
  expect(backend().deletions).toBe(1)
})

test('a refusal is shown and ends that request: the next tap asks again, with a new requestId', async () => {
  const page = await open()
  backend().replyNext({ ok: false, error: { code: 'FORBIDDEN', message: '您没有权限进行此操作' } })
  await page.instance.onDialogConfirm()
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#form-error')).toBe('您没有权限进行此操作')
  expect(backend().deletions).toBe(0)

  tapButton(page, '#delete-button')
  await until(page, (d) => d.dialogVisible)
  await page.instance.onDialogConfirm()
  expect(page.data.phase).toBe('deleted')
  const ids = backend()
    .actions('deleteMe')
    .map((e) => e.requestId)
  expect(ids).toHaveLength(2)
  expect(ids[0]).not.toBe(ids[1])
})

test('nothing held: the page says so, shows the purposes, and offers no deletion', async () => {
  backend().data = NOTHING_HELD
  const page = await open()
  expect(textOf(page, '#empty')).toContain('我们没有保存您的个人信息')
  expect(textOf(page, '#purposes')).toContain('统计分析')
  expect(page.querySelector('#delete-button')).toBeUndefined()
  const went = nextNavigation('reLaunch')
  tapButton(page, '#home')
  await expect(went).resolves.toEqual({ url: '/pages/home/index' })
})

test('a load failure: the error with 重试 and the way home; 重试 loads', async () => {
  backend().replyNext({ ok: false, error: { code: 'INTERNAL', message: 'db down' } })
  const page = render()
  await page.instance.onLoad({})
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('加载失败')
  expect(page.querySelector('#home')).toBeDefined()
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
  expect(textOf(page, '#balance')).toBe('12')
})

test('a partial record (no points account, no reservations) shows only what is held', async () => {
  backend().data = someData({ points: null, reservations: [], identity: null, memberships: [] })
  const page = await open()
  expect(page.data.phase).toBe('ready')
  expect(page.querySelector('#points')).toBeUndefined()
  expect(page.querySelector('#reservations')).toBeUndefined()
  expect(page.querySelector('#identity')).toBeUndefined()
  expect(textOf(page, '#responses')).toContain('调查 demo')
  expect(page.querySelector('#delete-button')).toBeDefined()
})
