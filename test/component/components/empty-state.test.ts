// The shared empty state: a mascot, the title and description it is given, and a way on — its own
// action button (an `action` event) or the page's buttons in its slot.
import simulate from 'miniprogram-simulate'
import { loadPage, shownText } from '../support/render'

let taps = 0
let hostId: string | undefined

function hostComponent(): string {
  if (hostId) return hostId
  const emptyId = loadPage('components/empty-state/index', 'empty-state')
  hostId = simulate.load({
    template:
      '<empty-state id="e" mascot="{{mascot}}" title="{{title}}" description="{{description}}" action="{{action}}" bind:action="onAction"><view id="slotted">{{extra}}</view></empty-state>',
    usingComponents: { 'empty-state': emptyId },
    data: { mascot: 'an', title: '', description: '', action: '', extra: '' },
    methods: {
      onAction() {
        taps++
      },
    },
  } as unknown as string) as unknown as string
  return hostId
}

function render(props: Record<string, string>) {
  const host = simulate.render(hostComponent())
  host.attach(document.createElement('parent-wrapper'))
  host.setData(props)
  return host
}

beforeEach(() => {
  taps = 0
})

test('shows a mascot, the title, the description and the action; a tap is the action event', async () => {
  const host = render({
    mascot: 'man',
    title: '还没有积分记录',
    description: '抽奖获得的积分会记在这里',
    action: '去抽奖',
  })
  const empty = host.querySelector('#e')!
  expect(shownText(host)).toContain('还没有积分记录')
  expect(shownText(host)).toContain('抽奖获得的积分会记在这里')
  expect(empty.data.src).toBe('/assets/mascots/man.svg')
  empty.querySelector('#empty-action')!.querySelector('.t-button')!.dispatchEvent('tap')
  await simulate.sleep(0)
  expect(taps).toBe(1)
})

test('without an action label there is no button: the page brings its own in the slot', () => {
  const host = render({ title: '没有待领取的红包', extra: '返回我的积分' })
  const empty = host.querySelector('#e')!
  expect(empty.querySelector('#empty-action')).toBeFalsy()
  expect(empty.querySelector('#empty-description')).toBeFalsy()
  expect(shownText(host)).toContain('返回我的积分')
})

test('an unknown mascot falls back to 安安', () => {
  const host = render({ mascot: 'nobody', title: '空' })
  expect(host.querySelector('#e')!.data.src).toBe('/assets/mascots/an.svg')
})
