// 加入志愿服务: the invite's node and chain, a display name and — only for a certificate — a real
// name with its purpose, applying, and the states an invite can be in.
import type { InviteInfo } from 'wal-core'
import { nextNavigation } from '../../support/navigation'
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useVolunteerBackend } from '../../support/page-suite'

const { open } = usePage('pages/volunteer/join/index')
const backend = useVolunteerBackend()
useStorage()

const invite = (over: Partial<InviteInfo> = {}): InviteInfo => ({
  node: { id: 'gz-tianhe-t1', name: '天河一队（高校）', kind: 'team' },
  path: [
    '广东省网络空间安全协会',
    '广州市网络安全协会',
    '天河区网络安全志愿服务站',
    '天河一队（高校）',
  ],
  role: 'volunteer',
  state: 'open',
  message: null,
  autoApprove: false,
  myStatus: null,
  ...over,
})

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')
const type = (page: RenderedPage, id: string, value: string) =>
  page
    .querySelector(id)!
    .querySelector('.t-input__control')!
    .dispatchEvent('input', { detail: { value } })

test('opened from a scanned invite (scene i=…), it names the node and its chain', async () => {
  backend().invites.set('JNV2345', invite())
  const page = await open({ scene: encodeURIComponent('i=JNV2345') })
  expect(page.data.phase).toBe('form')
  expect(textOf(page, '#node-name')).toBe('天河一队（高校）')
  expect(textOf(page, '#path')).toContain('天河区网络安全志愿服务站 › 天河一队（高校）')
  expect(textOf(page, '#invite')).toContain('提交后由管理员审核')
})

test('applying with a display name only: the real name is asked only for a certificate', async () => {
  backend().invites.set('JNV2345', invite())
  const page = await open({ code: 'JNV2345' })
  expect(page.querySelector('#real-name')).toBeUndefined()
  tapButton(page, '#submit')
  await until(page, (d) => d.nameError !== '')
  expect(page.data.nameError).toBe('请填写称呼')
  expect(backend().actions('apply')).toHaveLength(0)

  type(page, '#name', '小李')
  tapButton(page, '#submit')
  await until(page, (d) => d.phase === 'done')
  expect(backend().actions('apply')[0]).toEqual(
    expect.not.objectContaining({ realName: expect.anything() }),
  )
  expect(textOf(page, '#done')).toContain('申请已提交')
  const went = nextNavigation('redirectTo')
  tapButton(page, '#to-volunteer')
  await expect(went).resolves.toMatchObject({ url: '/pages/volunteer/index' })
})

test('wanting a certificate shows the real-name field with its purpose; a refused name is shown under it', async () => {
  backend().invites.set('JNV2345', invite({ autoApprove: true }))
  const page = await open({ code: 'JNV2345' })
  type(page, '#name', '小李')
  page.instance.onCertificateChange({ detail: { checked: true } })
  expect(textOf(page, '#privacy')).toContain('仅用于制作您的志愿者证书')
  tapButton(page, '#submit')
  await until(page, (d) => d.realNameError !== '')
  expect(page.data.realNameError).toBe('需要证书时请填写真实姓名')

  type(page, '#real-name', 'x1')
  await until(page, (d) => d.realName === 'x1' && d.realNameError === '')
  tapButton(page, '#submit')
  await until(page, (d) => d.phase === 'form' && d.realNameError !== '')
  expect(page.data.realNameError).toBe('请填写身份证件上的姓名')
  expect(page.data.formError).toBe('')

  type(page, '#real-name', '李晓明')
  tapButton(page, '#submit')
  await until(page, (d) => d.phase === 'done')
  expect(textOf(page, '#done')).toContain('加入成功')
  expect(backend().actions('apply').at(-1)).toMatchObject({
    realName: '李晓明',
    displayName: '小李',
  })
})

test('a lost reply is re-sent with the same requestId', async () => {
  backend().invites.set('JNV2345', invite())
  const page = await open({ code: 'JNV2345' })
  type(page, '#name', '小李')
  backend().failNext().failNext().failNext()
  tapButton(page, '#submit')
  await until(page, (d) => d.phase === 'form' && d.formError !== '')
  tapButton(page, '#submit')
  await until(page, (d) => d.phase === 'done')
  const ids = new Set(
    backend()
      .actions('apply')
      .map((e) => e.requestId),
  )
  expect(ids.size).toBe(1)
})

test.each([
  ['expired', '邀请已过期'],
  ['full', '名额'],
])('an invite that is %s says so and leads home', async (state, words) => {
  backend().invites.set(
    'JNV2345',
    invite({
      state: state as InviteInfo['state'],
      message: state === 'full' ? '邀请名额已满，请联系管理员' : '邀请已过期，请联系管理员重新邀请',
    }),
  )
  const page = await open({ code: 'JNV2345' })
  expect(page.data.phase).toBe('closed')
  expect(textOf(page, '#closed')).toContain(words)
})

test('someone who already applied is sent to their volunteer page', async () => {
  backend().invites.set('JNV2345', invite({ myStatus: 'pending' }))
  const page = await open({ code: 'JNV2345' })
  expect(page.data.phase).toBe('already')
})

test('an unknown invite or none at all is an error with a way home', async () => {
  const unknown = await open({ code: 'ZZZ2345' })
  expect(textOf(unknown, '#error')).toContain('邀请码不存在')
  const none = await open({})
  expect(textOf(none, '#error')).toContain('没有找到邀请码')
})
