// The nine-grid draw: the ring always stops on a cell showing the tier the server drew, going to
// the background mid-spin shows the result on return (no replay, no second draw), and 重试 after
// a lost reply re-sends the same requestId, so there is one draw and one result. Timers are
// jest's fake ones: the animation's real delays run on virtual time.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { usePage, useRewardsBackend } from '../../support/page-suite'
import { drawTable2024 } from '../../support/rewards-backend'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] })
})

const { open, render } = usePage('pages/draw/nine-grid/index')
const backend = useRewardsBackend()

afterEach(() => {
  jest.useRealTimers()
})

const labels = drawTable2024.kinds.nine_grid.tiers.map((t) => `${t.points}积分`)

const openGrid = (): Promise<RenderedPage> => open()

/** Let the animation run for `ms` of virtual time (replies settle in between). */
const run = (ms: number) => jest.advanceTimersByTimeAsync(ms)

/** Tap a node and let the tap be handled (simulate delivers it asynchronously). */
async function tap(node: { dispatchEvent(name: string): void } | undefined): Promise<void> {
  node!.dispatchEvent('tap')
  await run(0)
}

const tapStart = (page: RenderedPage) => tap(page.querySelector('#start'))

/** Text inside the prize result component (its nodes are not reachable by one selector). */
function prizeText(page: RenderedPage, id: string): string {
  const node = page.querySelector('#result')!.querySelector(id)!
  return node.dom!.textContent!.replace(/\s+/g, ' ').trim()
}

/** The lit cell as rendered: the tier it stands for and the prize it shows. */
function litCell(page: RenderedPage): { tier: number; label: string } | null {
  const lit = page.querySelectorAll('.grid__cell--active')
  if (lit.length === 0) return null
  expect(lit).toHaveLength(1)
  const dom = lit[0]!.dom!
  return { tier: Number(dom.getAttribute('data-tier')), label: dom.textContent!.trim() }
}

test('shows the eight prizes of the 2024 table round the start button, with the chances left', async () => {
  const page = await openGrid()
  const cells = page.querySelectorAll('.grid__cell').map((n) => n.dom!.textContent!.trim())
  expect(cells).toHaveLength(8)
  expect(new Set(cells)).toEqual(new Set(labels))
  expect(textOf(page, '#chances')).toBe('剩余抽奖机会 5 次')
  expect(textOf(page, '#start')).toContain('开始抽奖')
  expect(litCell(page)).toBeNull()
})

test.each([0, 1, 2])(
  'the ring stops on a cell showing the tier the server drew (tier %i)',
  async (tier) => {
    backend().tiers.push(tier)
    const page = await openGrid()
    await tapStart(page)
    expect(page.data.phase).toBe('spinning')
    await run(10_000)

    expect(page.data.phase).toBe('result')
    const lit = litCell(page)!
    expect(lit.tier).toBe(tier)
    expect(lit.label).toBe(labels[tier])
    expect(prizeText(page, '#amount')).toBe(`${tier + 1} 积分`)
    expect(prizeText(page, '#chances')).toBe('剩余 4 次抽奖机会')
    expect(textOf(page, '#chances')).toBe('剩余抽奖机会 4 次')
  },
)

test('the ring keeps cruising while the server has not answered, and lands only after', async () => {
  backend().tiers.push(2)
  backend().holdNext() // the hub
  const page = render()
  const loaded = page.instance.onLoad({}) as Promise<void>
  backend().release()
  await loaded

  backend().holdNext()
  await tapStart(page)
  const seen = new Set<number>()
  for (let i = 0; i < 40; i++) {
    await run(100)
    seen.add(page.data.active as number)
  }
  expect(page.data.phase).toBe('spinning')
  expect(seen.size).toBe(8) // it went round, without knowing where to stop

  backend().release()
  await run(10_000)
  expect(page.data.phase).toBe('result')
  expect(litCell(page)!.tier).toBe(2)
})

test('going to the background mid-spin: on return the result is there, not replayed, not redrawn', async () => {
  backend().tiers.push(1)
  const page = await openGrid()
  backend().holdNext()
  await tapStart(page)
  await run(500)

  page.instance.onHide()
  backend().release()
  await run(0)
  // Shown as soon as it is known, without the landing (nobody is watching).
  expect(page.data.phase).toBe('result')
  const lit = litCell(page)!

  page.instance.onShow()
  await run(10_000)
  expect(litCell(page)).toEqual(lit) // no replay
  expect(lit.tier).toBe(1)
  expect(backend().events('draw', 'draw')).toHaveLength(1)
  expect(page.querySelectorAll('#result')).toHaveLength(1)
})

test('going to the background while the ring slows down skips the rest of the landing', async () => {
  backend().tiers.push(2)
  const page = await openGrid()
  await tapStart(page)
  await run(300) // the reply has come; the landing is under way
  expect(page.data.phase).toBe('spinning')

  page.instance.onHide()
  expect(page.data.phase).toBe('result')
  expect(litCell(page)!.tier).toBe(2)
  page.instance.onShow()
  const active = page.data.active
  await run(10_000)
  expect(page.data.active).toBe(active)
})

test('a lost reply stops the spin; 重试 re-sends the same requestId: one draw, one result', async () => {
  backend().tiers.push(2, 0)
  const page = await openGrid()
  // The draw happens, its reply never arrives — nor do those of the automatic re-sends.
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().loseNextReply('request:fail timeout')
  await tapStart(page)
  await run(5_000) // the automatic re-sends' pauses, on virtual time
  await until(page, (data) => data.phase === 'failed')

  expect(litCell(page)).toBeNull()
  expect(textOf(page, '#failure-message')).toBe('网络请求超时，请稍后重试')
  expect(shownText(page)).toContain('重试不会重复扣减抽奖机会')
  await run(10_000)
  expect(page.data.active).toBe(-1) // stopped

  await tap(page.querySelector('#retry')!.querySelector('.t-button'))
  await run(10_000)
  expect(page.data.phase).toBe('result')

  const [first, second] = backend().events('draw', 'draw')
  expect(first).toEqual({ action: 'draw', kind: 'nine_grid', requestId: expect.any(String) })
  expect(second).toEqual(first)
  expect(backend().draws).toHaveLength(1)
  expect(litCell(page)!.tier).toBe(2) // the first draw's tier, not the next scripted one
  expect(page.querySelectorAll('#result')).toHaveLength(1)
  expect(prizeText(page, '#chances')).toBe('剩余 4 次抽奖机会')
})

test('再抽一次 (or the centre button) is a new draw with a new requestId', async () => {
  backend().tiers.push(0, 1)
  const page = await openGrid()
  await tapStart(page)
  await run(10_000)
  await tap(page.querySelector('#result')!.querySelector('#again')!.querySelector('.t-button'))
  expect(page.data.phase).toBe('spinning')
  await run(10_000)

  const [first, second] = backend().events('draw', 'draw')
  expect(second!.requestId).not.toBe(first!.requestId)
  expect(litCell(page)!.tier).toBe(1)
  expect(textOf(page, '#chances')).toBe('剩余抽奖机会 3 次')

  await tapStart(page) // the centre button starts the next one too
  expect(page.data.phase).toBe('spinning')
  expect(
    new Set(
      backend()
        .events('draw', 'draw')
        .map((e) => e.requestId),
    ).size,
  ).toBe(3)
})

test('no chances left: the start button says what is missing and sends nothing', async () => {
  backend().chances = { balance: 0, granted: 5, spent: 5 }
  const page = await openGrid()
  expect(textOf(page, '#start')).toContain('还差 1 次机会')
  await tapStart(page)
  expect(page.data.phase).toBe('ready')
  expect(backend().events('draw', 'draw')).toHaveLength(0)
})

test('a refusal (no chances after all) stops the spin with no 重试, only the way back', async () => {
  backend().chances = { balance: 1, granted: 5, spent: 4 }
  const page = await openGrid()
  backend().replyNext({ ok: false, error: { code: 'INSUFFICIENT_CHANCES', message: 'no' } })
  await tapStart(page)
  await until(page, (data) => data.phase === 'failed')
  expect(textOf(page, '#failure-message')).toBe('抽奖机会不足')
  expect(page.querySelector('#retry')).toBeUndefined()
})

test('a closed campaign says 本次抽奖已结束; before it opens, 抽奖暂未开放 — never the survey’s 本次调查已结束', async () => {
  backend().replyNext({ ok: false, error: { code: 'CAMPAIGN_CLOSED', message: '本次调查已结束' } })
  const ended = await openGrid()
  expect(ended.data.phase).toBe('closed')
  expect(textOf(ended, '#closed')).toContain('本次抽奖已结束')
  expect(shownText(ended)).not.toContain('本次调查已结束')
  expect(shownText(ended)).not.toContain('抽奖暂未开放')

  backend().replyNext({
    ok: false,
    error: { code: 'CAMPAIGN_NOT_STARTED', message: '调查尚未开始，敬请期待' },
  })
  const notYet = await openGrid()
  expect(textOf(notYet, '#closed')).toContain('抽奖暂未开放')
  expect(textOf(notYet, '#closed')).toContain('完成问卷即可获得抽奖机会')
})
