// 我的志愿服务: the way in for people who have not joined, the volunteer's code with its QR and
// counts, pausing it, forwarding a card that carries it, and pull-down refresh.
import { nextNavigation } from '../../support/navigation'
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useVolunteerBackend } from '../../support/page-suite'
import { aMembership } from '../../support/volunteer-backend'

const { open } = usePage('pages/volunteer/index')
const backend = useVolunteerBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('someone who has not joined is told how, and a typed invite code opens the invite', async () => {
  const page = await open()
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#empty')).toContain('您还没有加入志愿服务组织')

  const input = () => page.querySelector('#invite-input')!.querySelector('.t-input__control')!
  input().dispatchEvent('input', { detail: { value: 'O0' } })
  tapButton(page, '#open-invite')
  await until(page, (d) => d.inviteError !== '')
  expect(page.data.inviteError).toBe('邀请码为 7 位字母数字，请检查后重新输入')

  input().dispatchEvent('input', { detail: { value: 'jnv2345' } })
  const went = nextNavigation('navigateTo')
  tapButton(page, '#open-invite')
  await expect(went).resolves.toMatchObject({ url: '/pages/volunteer/join/index?code=JNV2345' })
})

test('a volunteer sees their code, its QR, today and total samples against the target, and points', async () => {
  backend().me.memberships = [aMembership()]
  backend().me.pointsFromSharing = 12
  const page = await open()
  await until(page, (d) => Boolean(d.images.K7M3PQ2))
  expect(textOf(page, '#member-gz-tianhe-t1')).toContain('天河一队（高校）')
  expect(textOf(page, '#member-gz-tianhe-t1')).toContain('天河区网络安全志愿服务站')
  expect(textOf(page, '#code-K7M3PQ2')).toContain('K7M3PQ2')
  expect(textOf(page, '#today-valid')).toBe('2')
  expect(textOf(page, '#today-invalid')).toBe('1')
  expect(textOf(page, '#total-valid')).toBe('12')
  expect(textOf(page, '#progress')).toBe('有效样本 12 / 目标 50')
  expect(textOf(page, '#points')).toBe('12')
  expect(page.data.images.K7M3PQ2).toBe('http://127.0.0.1/storage/K7M3PQ2.png')
})

test('pull-down refresh shows new counts', async () => {
  backend().me.memberships = [aMembership()]
  const page = await open()
  backend().me.memberships[0]!.code!.total = { valid: 13, invalid: 3 }
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  await page.instance.onPullDownRefresh()
  expect(stop).toHaveBeenCalled()
  expect(textOf(page, '#total-valid')).toBe('13')
})

test('pausing the code asks first, then the card says it is paused and offers to resume', async () => {
  backend().me.memberships = [aMembership()]
  const page = await open()
  jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true, cancel: false } as never)
  await page.instance.onToggleCode({
    currentTarget: { dataset: { code: 'K7M3PQ2', active: true } },
  })
  expect(backend().actions('setCodeActive')[0]).toMatchObject({ code: 'K7M3PQ2', active: false })
  expect(textOf(page, '#code-K7M3PQ2')).toContain('已暂停')
  expect(textOf(page, '#toggle-K7M3PQ2')).toBe('恢复分享码')
  expect(page.querySelector('#poster')).toBeUndefined()
})

test('a forwarded card opens home with the code as its scene (attributed like a scan)', async () => {
  backend().me.memberships = [aMembership()]
  const page = await open()
  const share = page.instance.onShareAppMessage()
  expect(share.path).toBe('/pages/home/index?scene=c%3DK7M3PQ2')
  expect(share.title).toContain('安安全全共净网')
})

test('a pending application says it waits for review; an admin sees the way to manage', async () => {
  backend().me.memberships = [
    aMembership({ status: 'pending', code: null }),
    aMembership({
      node: { id: 'gz-tianhe', name: '天河区网络安全志愿服务站', kind: 'station' },
      role: 'station_admin',
      manages: true,
    }),
  ]
  const page = await open()
  expect(textOf(page, '#member-gz-tianhe-t1')).toContain('等待管理员审核')
  const went = nextNavigation('navigateTo')
  page.querySelector('#manage-gz-tianhe')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toMatchObject({ url: '/pages/volunteer/node/index?id=gz-tianhe' })
})

test('a failed load offers retry and a way home', async () => {
  backend().failNext()
  const page = await open()
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('网络连接失败')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
})

test('a member without a code makes one from the page', async () => {
  backend().me.memberships = [aMembership({ code: null })]
  const page = await open()
  expect(textOf(page, '#no-code-gz-tianhe-t1')).toContain('还没有专属分享码')
  await page.instance.onMakeCode({ currentTarget: { dataset: { node: 'gz-tianhe-t1' } } })
  expect(backend().actions('ensureCode')[0]).toMatchObject({
    nodeId: 'gz-tianhe-t1',
    forNode: false,
  })
  await until(page, (d) => Boolean(d.images.NEW2345))
  expect(textOf(page, '#code-NEW2345')).toContain('NEW2345')
})
