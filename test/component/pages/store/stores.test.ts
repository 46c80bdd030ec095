// 礼品自提点: the map and the list nearest first around the user's position, the stock of the
// chosen item, and the way through when location is refused (cities), to a store's page.
import { nextNavigation } from '../../support/navigation'
import { textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { render } = usePage('pages/store/stores/index')
const backend = useStoreBackend()
useStorage()

const TIANHE = { longitude: 113.3615, latitude: 23.1245 }

function locationIs(position: typeof TIANHE | null) {
  jest.spyOn(wx, 'getLocation').mockImplementation(((options: {
    success?: (r: unknown) => void
    fail?: (e: unknown) => void
  }) => {
    if (position) options.success?.({ ...position, speed: 0, accuracy: 10 })
    else options.fail?.({ errMsg: 'getLocation:fail auth deny' })
  }) as never)
}

async function open(query: Record<string, string> = {}): Promise<RenderedPage> {
  const page = render()
  await page.instance.onLoad(query)
  await until(page, (d) => d.phase === 'ready' || d.phase === 'error')
  return page
}

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

test('around the user: the stores holding the item, nearest first, with distance and stock, on the map', async () => {
  locationIs(TIANHE)
  const page = await open({ item: 'mug-safety' })
  expect(backend().actions('nearbyStores')[0]).toMatchObject({
    near: { lng: 113.3615, lat: 23.1245 },
    itemId: 'mug-safety',
  })
  const rows = page.data.rows as Array<{ id: string; distanceText: string; stockText: string }>
  expect(rows[0]).toMatchObject({ id: 'gz-tianhe-jianshe', stockText: '库存 40' })
  expect(rows[0]!.distanceText).toMatch(/^\d+ m$/)
  expect(rows.every((r) => r.id.startsWith('gz-'))).toBe(true)
  expect(textOf(page, '#store-gz-tianhe-jianshe')).toContain('天河建设路便民服务站')
  expect(page.data.markers).toHaveLength(rows.length)
  expect(page.data.centre).toEqual(TIANHE)
  await until(page, (d) => d.itemTitle !== '')
  expect(textOf(page, '#item-title')).toContain('网络安全主题保温杯')

  // A tapped marker highlights its row; a tapped row opens the store with the item.
  page.instance.onMarker({ detail: { markerId: 1 } })
  expect(page.data.selected).toBe(1)
  const went = nextNavigation('navigateTo')
  page.querySelector('#store-gz-tianhe-jianshe')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(went).resolves.toEqual({
    url: '/pages/store/shop/index?id=gz-tianhe-jianshe&item=mug-safety',
  })
})

test('location refused: the cities with stores are offered and a city lists its stores', async () => {
  locationIs(null)
  const page = await open({ item: 'plush-four-treasures' })
  expect(page.data.mode).toBe('city')
  expect(textOf(page, '#refused')).toContain('未获得位置权限')
  expect(textOf(page, '#city-440300')).toBe('深圳市（6 家）')
  tapButton(page, '#city-440300')
  await until(page, (d) => d.cityCode === '440300' && d.phase === 'ready')
  expect(backend().actions('nearbyStores').at(-1)).toMatchObject({
    cityCode: '440300',
    itemId: 'plush-four-treasures',
  })
  // The plush toy is only at the first eight stores: in Shenzhen, two of them.
  expect(page.data.rows.map((r: { id: string }) => r.id)).toEqual([
    'sz-futian-huaqiang',
    'sz-nanshan-keyuan',
  ])

  // 使用我的位置 leads to the settings, and back to the nearest stores once allowed.
  jest
    .spyOn(wx, 'openSetting')
    .mockImplementation(((o: { success: (r: unknown) => void }) =>
      o.success({ authSetting: { 'scope.userLocation': true } })) as never)
  locationIs(TIANHE)
  await page.instance.onUseLocation()
  await until(page, (d) => d.mode === 'near' && d.phase === 'ready')
  expect(page.data.rows[0].id).toBe('gz-tianhe-jianshe')
})

test('far from every store: an empty list says so and the cities remain', async () => {
  locationIs({ longitude: 87.6, latitude: 43.8 })
  const page = await open()
  expect(textOf(page, '#empty')).toContain('附近 50 公里内暂无自提点')
  expect(page.querySelector('#city-440100')).toBeDefined()
})

test('a failed load offers retry', async () => {
  locationIs(TIANHE)
  backend().failNext()
  const page = await open()
  expect(textOf(page, '#error')).toContain('网络连接失败')
  tapButton(page, '#retry')
  await until(page, (d) => d.phase === 'ready')
})
