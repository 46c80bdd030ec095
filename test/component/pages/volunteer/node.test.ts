// 组织管理 on the phone: counts against target, sub-units, members with their codes' signals,
// approving an application, creating an invite with its QR, the override, and refusals.
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useVolunteerBackend } from '../../support/page-suite'
import { anOverview } from '../../support/volunteer-backend'

const { open } = usePage('pages/volunteer/node/index')
const backend = useVolunteerBackend()
useStorage()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('the station shows today and total samples against its target, sub-units and members', async () => {
  const page = await open({ id: 'gz-tianhe' })
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#today-valid')).toBe('5')
  expect(textOf(page, '#total-valid')).toBe('120')
  expect(textOf(page, '#progress')).toBe('120 / 400')
  expect(textOf(page, '#child-gz-tianhe-t1')).toContain('有效 80 / 200')
  expect(textOf(page, '#member-VOLA2345')).toContain('有效 12（今日 2）· 无效 3')
  expect(textOf(page, '#member-VOLA2345')).toContain('异常提示：采集过快')
  expect(textOf(page, '#override-text')).toBe(
    '比例 15% · 120 份有效样本 · 累计 18.00 积分 · 已结算 18 积分',
  )
})

test('我的单位 ranks the share codes by valid samples and shows each sub-unit today', async () => {
  const page = await open({ id: 'gz-tianhe' })
  expect(textOf(page, '#child-gz-tianhe-t1')).toContain('今日有效 3')
  expect(textOf(page, '#top-code-K7M3PQ2')).toContain('1')
  expect(textOf(page, '#top-code-K7M3PQ2')).toContain('有效 12（今日 2）')
  expect(textOf(page, '#top-code-CH00001')).toContain('天河公众号')
  expect(page.data.view.topCodes.map((c: { code: string }) => c.code)).toEqual([
    'K7M3PQ2',
    'CH00001',
  ])
})

test('pulling down reloads the counts', async () => {
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  const page = await open({ id: 'gz-tianhe' })
  backend().overview = anOverview({
    today: { valid: 7, invalid: 1 },
    topCodes: [
      {
        code: 'CH00001',
        label: null,
        total: { valid: 30, invalid: 0 },
        today: { valid: 21, invalid: 0 },
      },
    ],
  })
  await page.instance.onPullDownRefresh()
  expect(textOf(page, '#today-valid')).toBe('7')
  expect(textOf(page, '#top-code-CH00001')).toContain('有效 30（今日 21）')
  expect(page.querySelector('#top-code-K7M3PQ2')).toBeUndefined()
  expect(stop).toHaveBeenCalled()
})

test('approving an application moves the person to the members', async () => {
  jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  const page = await open({ id: 'gz-tianhe' })
  await page.instance.onReview({
    currentTarget: { dataset: { member: 'PEND2345', decision: 'approve' } },
  })
  expect(backend().actions('review')[0]).toMatchObject({
    nodeId: 'gz-tianhe',
    memberCode: 'PEND2345',
  })
  expect(page.querySelector('#pending')).toBeUndefined()
  expect(textOf(page, '#member-PEND2345')).toContain('小王')
})

test('creating an invite shows its code and QR and lists it', async () => {
  jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  const page = await open({ id: 'gz-tianhe' })
  tapButton(page, '#create-invite')
  await until(page, (d) => d.newInvite !== null && !d.busy)
  expect(textOf(page, '#new-invite')).toContain('JNV2345')
  expect(page.data.newInvite.url).toBe('http://127.0.0.1/storage/i.png')
  expect(textOf(page, '#invite-JNV2345')).toContain('有效')
})

test('a node the caller may not manage is refused with a way back', async () => {
  const page = await open({ id: 'sz-futian' })
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('您没有管理该组织的权限')
})

test('a page opened without a node id says where to go', async () => {
  const page = await open({})
  expect(textOf(page, '#error')).toContain('请从“我的志愿服务”进入')
  expect(backend().sent).toHaveLength(0)
})

test('the station transfers points from its account to a member, with the amount asked in a modal', async () => {
  jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  const page = await open({ id: 'gz-tianhe' })
  const modal = jest.spyOn(wx, 'showModal')
  modal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '0.5' } as never)
  await page.instance.onTransfer({
    currentTarget: { dataset: { member: 'VOLA2345', name: '小李' } },
  })
  expect(backend().actions('nodeTransfer')).toHaveLength(0)
  expect(modal.mock.calls[0]![0]).toMatchObject({
    title: '转给 小李（本组织余额 18）',
    editable: true,
  })

  modal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '5' } as never)
  await page.instance.onTransfer({
    currentTarget: { dataset: { member: 'VOLA2345', name: '小李' } },
  })
  expect(backend().actions('nodeTransfer')[0]).toMatchObject({
    nodeId: 'gz-tianhe',
    memberCode: 'VOLA2345',
    amount: 5,
  })
  expect(page.data.view.balance).toBe(13)
})
