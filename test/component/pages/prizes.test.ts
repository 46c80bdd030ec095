// 我的奖品: a winner's prizes with how to claim them and the draw's public record; the fallback
// claim text; the empty state; a failed load with 重试 and the way home; pull-down refresh.
import { nextNavigation } from '../support/navigation'
import { usePage, usePrizesBackend } from '../support/page-suite'
import { aPrize } from '../support/prizes-backend'
import { shownText, textOf, until, type RenderedPage } from '../support/render'

const { open } = usePage('pages/prizes/index')
const backend = usePrizesBackend()

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('shows each prize with its draw, region, how to claim it and the verification record', async () => {
  const page = await open()
  expect(page.data.phase).toBe('ready')
  expect(backend().sent).toEqual([{ name: 'organiser', event: { action: 'myPrizes' } }])
  const card = textOf(page, '#prize-od-0123456789abcdef')
  expect(card).toContain('广州市网民网络安全感调查线下抽奖')
  expect(card).toContain('10GB 通用流量包')
  expect(card).toContain('广州市')
  expect(textOf(page, '#claim-od-0123456789abcdef')).toBe(
    '凭中奖页面到天河区任一营业厅领取，截止 2024 年 9 月 30 日',
  )

  // The record is folded away until asked for, then shows the commitment and the seed.
  expect(page.querySelector('#record-od-0123456789abcdef')).toBeUndefined()
  tapButton(page, '#toggle-od-0123456789abcdef')
  await until(page, (d) => d.open !== '')
  const record = textOf(page, '#record-od-0123456789abcdef')
  expect(record).toContain('4211 人')
  expect(record).toContain('wal-draw-v1')
  expect(record).toContain('a1'.repeat(32))
  expect(record).toContain('b2'.repeat(32))
  expect(textOf(page, '#seed-od-0123456789abcdef')).toBe('c3'.repeat(32))
})

test('copies a value of the record to check it elsewhere', async () => {
  const copy = jest.spyOn(wx, 'setClipboardData').mockImplementation(() => undefined as never)
  const page = await open()
  page.instance.onCopy({ currentTarget: { dataset: { value: 'c3'.repeat(32) } } })
  expect(copy.mock.calls[0]![0]).toMatchObject({ data: 'c3'.repeat(32) })
})

test('a draw record without claim instructions gets a sensible way to claim', async () => {
  backend().prizes = [aPrize({ claim: '  ', regionName: null })]
  const page = await open()
  expect(textOf(page, '#claim-od-0123456789abcdef')).toBe(
    '请留意主办单位的领奖通知，或联系当地调查活动组委会咨询领取方式。',
  )
  expect(textOf(page, '#prize-od-0123456789abcdef')).toContain('地区编码 440100')
})

test('no prizes: says so and offers the way home', async () => {
  backend().prizes = []
  const page = await open()
  expect(textOf(page, '#empty')).toContain('暂时没有中奖记录')
  const nav = nextNavigation('reLaunch')
  tapButton(page, '#home')
  expect((await nav).url).toBe('/pages/home/index')
})

test('a failed load says so; 重试 loads again and the way home is there', async () => {
  backend().failNext()
  const page = await open()
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('返回首页')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
  expect(textOf(page, '#prize-od-0123456789abcdef')).toContain('10GB 通用流量包')
})

test('pulling down refreshes the prizes', async () => {
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  const page = await open()
  backend().prizes = [
    aPrize(),
    aPrize({ drawId: 'od-fedcba9876543210', title: '深圳市线下抽奖', label: '话费 20 元' }),
  ]
  await page.instance.onPullDownRefresh()
  expect(textOf(page, '#prize-od-fedcba9876543210')).toContain('话费 20 元')
  expect(stop).toHaveBeenCalled()
  expect(shownText(page)).not.toContain('openid')
})
