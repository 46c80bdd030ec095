// 礼品自提点: the stores on a map with the user's position and in a list below, nearest first
// (the server's geoNear). For an item, only stores that hold it, with their stock. If location is
// refused, the cities that have stores are offered instead — never a dead end.
import { toServiceError } from '../../../services/service-error'
import { currentPosition, findStores, getItem, type StoreView } from '../../../services/store'
import { goBack, routes } from '../../../utils/routes'
import { cityLabel, text } from './strings'
import { mapCentre, storeMarkers, storeRows, type StoreRow } from './view'

type Phase = 'locating' | 'loading' | 'ready' | 'error'
const ITEM_ID = /^[a-z0-9][a-z0-9-]{0,47}$/

const found = new WeakMap<object, StoreView[]>()

Component({
  data: {
    text,
    phase: 'locating' as Phase,
    message: '',
    itemId: '',
    itemTitle: '',
    /** 'near': around the user's position; 'city': a chosen city (location refused or chosen). */
    mode: 'near' as 'near' | 'city',
    near: null as { lng: number; lat: number } | null,
    cityCode: '',
    locationRefused: false,
    rows: [] as StoreRow[],
    markers: [] as ReturnType<typeof storeMarkers>,
    centre: { longitude: 113.3, latitude: 23.1 },
    cities: [] as Array<{ cityCode: string; label: string }>,
    selected: -1,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined> = {}) {
      const itemId = query.item && ITEM_ID.test(query.item) ? query.item : ''
      this.setData({ itemId })
      if (itemId)
        getItem(itemId)
          .then((r) => this.setData({ itemTitle: r.item.title }))
          .catch(() => undefined)
      await this.locate()
    },

    async locate(): Promise<void> {
      this.setData({ phase: 'locating', message: '' })
      const near = await currentPosition()
      if (near) this.setData({ near, mode: 'near', locationRefused: false })
      else this.setData({ mode: 'city', locationRefused: true })
      await this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      const { mode, near, cityCode, itemId } = this.data
      try {
        const reply = await findStores({
          ...(mode === 'near' && near ? { near } : {}),
          ...(mode === 'city' && cityCode ? { cityCode } : {}),
          ...(itemId ? { itemId } : {}),
        })
        found.set(this, reply.stores)
        this.setData({
          phase: 'ready',
          rows: storeRows(reply.stores),
          markers: storeMarkers(reply.stores),
          centre: mapCentre(mode === 'near' ? near : null, reply.stores),
          cities: reply.cities.map((c) => ({
            cityCode: c.cityCode,
            label: cityLabel(c.name, c.stores),
          })),
          selected: -1,
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.store)
    },

    onUseLocation() {
      if (!this.data.locationRefused) return this.locate()
      // Once refused, WeChat asks no more: the settings page is where it is allowed again.
      return new Promise<void>((resolve) => {
        wx.openSetting({
          success: (res) => {
            if (res.authSetting['scope.userLocation']) void this.locate().then(resolve)
            else resolve()
          },
          fail: () => resolve(),
        })
      })
    },

    onCity(e: { currentTarget: { dataset: { city: string } } }) {
      this.setData({ mode: 'city', cityCode: e.currentTarget.dataset.city })
      return this.load()
    },

    /** A marker tapped on the map: its row is highlighted. */
    onMarker(e: { detail: { markerId: number } }) {
      this.setData({ selected: e.detail.markerId })
    },

    onStore(e: { currentTarget: { dataset: { id: string } } }) {
      wx.navigateTo({
        url: routes.storeShop(e.currentTarget.dataset.id, this.data.itemId || undefined),
      })
    },

    onShareAppMessage() {
      return { title: '网安联积分礼品自提点', path: routes.storeMap(this.data.itemId || undefined) }
    },
  },
})
