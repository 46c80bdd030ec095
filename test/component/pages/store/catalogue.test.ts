// 积分商城: the balance with its links, the catalogue by kind as cards (price, provider, stock or
// 已兑完, region notice), an empty kind, opening an item, refresh and a failed load.
import { ok, type ItemView } from 'wal-core'
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open } = usePage('pages/store/index')
const backend = useStoreBackend()
useStorage()

/** One item as the server shows it (the demo's mug), to script replies with. */
const aGift: ItemView = {
  id: 'mug-safety',
  kind: 'gift',
  kindName: '礼品',
  title: '网络安全主题保温杯',
  description: '',
  images: [],
  pricePoints: 30,
  provider: '中国电信广东公司',
  perPersonLimit: 1,
  physical: true,
  regionNotice: null,
  stock: 12,
  available: true,
}

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('the balance on top and every item as a card with price, provider and stock', async () => {
  const page = await open()
  expect(page.data.phase).toBe('ready')
  expect(textOf(page, '#balance')).toBe('100')
  expect(page.querySelectorAll('.card')).toHaveLength(7)
  const mug = textOf(page, '#item-mug-safety')
  expect(mug).toContain('网络安全主题保温杯')
  expect(mug).toContain('30 积分')
  expect(mug).toContain('中国电信广东公司 提供')
  expect(mug).toContain('剩余 420 件')
  expect(mug).toContain('礼品') // the placeholder names the kind when there is no photo
  expect(textOf(page, '#item-report-2024-national')).toContain('电子版')
  expect(textOf(page, '#item-powerbank-gz-local')).toContain('仅限在广州市参与调查的网民兑换')
  expect(page.querySelector('#item-mug-safety .region')).toBeFalsy()
})

test('a category tab shows only its kind', async () => {
  const page = await open()
  const items = page.querySelector('#tabs')!.querySelectorAll('.t-tabs__item')
  expect(items.map((i) => i.dom!.textContent!.trim())).toEqual([
    '全部',
    '礼品',
    '文创产品',
    '志愿者证书',
    '调查报告',
  ])
  items[2]!.dispatchEvent('tap')
  await until(page, (d) => d.tab === 'cultural')
  expect(page.querySelectorAll('.card')).toHaveLength(2)
  expect(shownText(page)).toContain('「共净网」帆布袋')
  expect(shownText(page)).not.toContain('保温杯')
})

test('a kind with nothing to redeem shows an empty state that leads back to 全部', async () => {
  backend().replyNext(ok({ items: [aGift], balance: 100 }))
  const page = await open()
  page.querySelector('#tabs')!.querySelectorAll('.t-tabs__item')[4]!.dispatchEvent('tap')
  await until(page, (d) => d.tab === 'report')
  expect(textOf(page, '#empty')).toContain('这一类暂时没有可兑换的商品')
  tapButton(page, '#show-all')
  await until(page, (d) => d.tab === 'all')
  expect(page.querySelectorAll('.card')).toHaveLength(1)
})

test('an item with no stock left says 已兑完; a photo replaces the placeholder', async () => {
  backend().replyNext(
    ok({
      items: [
        { ...aGift, stock: 0, available: false },
        { ...aGift, id: 'pictured', images: ['https://example.com/mug.png'] },
      ],
      balance: 100,
    }),
  )
  const page = await open()
  expect(textOf(page, '#item-mug-safety')).toContain('已兑完')
  expect(page.querySelector('#item-mug-safety')!.dom!.className).toContain('card--out')
  expect(page.querySelector('#item-pictured .card__placeholder')).toBeFalsy()
  expect(page.data.cards[1].image).toBe('https://example.com/mug.png')
})

test('tapping a card opens the item; the balance links to 我的积分 and 我的兑换', async () => {
  const page = await open()
  let went = nextNavigation('navigateTo')
  page.querySelector('#item-cable-3in1')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({ url: '/pages/store/item/index?id=cable-3in1' })
  went = nextNavigation('navigateTo')
  tapButton(page, '#wallet')
  await expect(went).resolves.toEqual({ url: '/pages/wallet/index' })
  went = nextNavigation('navigateTo')
  tapButton(page, '#mine')
  await expect(went).resolves.toEqual({ url: '/pages/store/mine/index' })
})

test('pull-down refresh and coming back show the new balance; the page can be shared', async () => {
  const page = await open()
  backend().balance = 70
  const stop = jest.spyOn(wx, 'stopPullDownRefresh')
  await page.instance.onPullDownRefresh()
  expect(stop).toHaveBeenCalled()
  expect(textOf(page, '#balance')).toBe('70')

  backend().balance = 40
  await page.instance.onShow()
  expect(textOf(page, '#balance')).toBe('40')
  expect(page.instance.onShareAppMessage()).toMatchObject({ path: '/pages/store/index' })
})

test('a failed load offers retry and a way home', async () => {
  backend().failNext()
  const page = await open()
  expect(page.data.phase).toBe('error')
  expect(textOf(page, '#error')).toContain('网络连接失败')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
  expect(page.querySelectorAll('.card')).toHaveLength(7)
})
