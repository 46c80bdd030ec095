// A pickup store (礼品自提点): address, hours, phone (拨打电话) and 导航, the chosen item's stock
// here, and 在此兑换 — a confirmation, the reminder subscription, then one redemption whose lost
// reply is re-sent with the same requestId (重试), so points are never taken twice.
import { toServiceError } from '../../../services/service-error'
import {
  askForReminder,
  getItem,
  getStore,
  redeemItem,
  type ItemView,
  type StoreView,
} from '../../../services/store'
import { goBack, routes } from '../../../utils/routes'
import { confirmText, shortText, stockLine, text } from './strings'

type Phase = 'loading' | 'ready' | 'error' | 'sending'
const ID = /^[a-z0-9][a-z0-9-]{0,47}$/
/** Days a reservation waits (the server's rule; shown in the confirmation). */
const RESERVATION_DAYS = 7

const intents = new WeakMap<object, ReturnType<typeof redeemItem>>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    storeId: '',
    itemId: '',
    store: null as StoreView | null,
    item: null as ItemView | null,
    balance: 0,
    stockText: '',
    short: '',
    dialogVisible: false,
    dialogContent: '',
    formError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const storeId = query.id && ID.test(query.id) ? query.id : ''
      const itemId = query.item && ID.test(query.item) ? query.item : ''
      if (!storeId) {
        this.setData({ phase: 'error', message: text.noStore })
        return undefined
      }
      this.setData({ storeId, itemId })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const [{ store }, detail] = await Promise.all([
          getStore(this.data.storeId, this.data.itemId || undefined),
          this.data.itemId ? getItem(this.data.itemId) : Promise.resolve(null),
        ])
        wx.setNavigationBarTitle({ title: store.name })
        const item = detail?.item ?? null
        const balance = detail?.balance ?? 0
        this.setData({
          phase: 'ready',
          store,
          item,
          balance,
          stockText: item && store.stock !== null ? stockLine(item.title, store.stock) : '',
          short: item && balance < item.pricePoints ? shortText(item.pricePoints, balance) : '',
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.storeMap(this.data.itemId || undefined))
    },

    onCall() {
      const store = this.data.store
      if (store) wx.makePhoneCall({ phoneNumber: store.phone })
    },

    onNavigate() {
      const store = this.data.store
      if (!store) return
      wx.openLocation({
        latitude: store.location.lat,
        longitude: store.location.lng,
        name: store.name,
        address: store.address,
        scale: 16,
      })
    },

    /** 在此兑换: the confirmation; after a failure worth retrying, 重试 the same intent instead. */
    onReserve() {
      const { item, store, balance } = this.data
      if (!item || !store || this.data.phase !== 'ready') return
      const pending = intents.get(this)
      if (pending) {
        void this.send(pending)
        return
      }
      this.setData({
        dialogVisible: true,
        dialogContent: confirmText(
          item.title,
          item.pricePoints,
          balance,
          store.name,
          RESERVATION_DAYS,
        ),
      })
    },

    onDialogCancel() {
      this.setData({ dialogVisible: false })
    },

    async onDialogConfirm(): Promise<void> {
      this.setData({ dialogVisible: false })
      await askForReminder()
      let intent = intents.get(this)
      if (!intent) {
        intent = redeemItem(this.data.itemId, this.data.storeId)
        intents.set(this, intent)
      }
      return this.send(intent)
    },

    async send(intent: ReturnType<typeof redeemItem>): Promise<void> {
      this.setData({ phase: 'sending', formError: '' })
      try {
        const { reservation } = await intent.run()
        intents.delete(this)
        wx.redirectTo({ url: `${routes.myRedemptions}?id=${reservation.id}` })
      } catch (err) {
        const e = toServiceError(err)
        // A refusal is final for this intent: the next tap is a new request.
        if (!['NETWORK', 'TIMEOUT', 'INTERNAL', 'CONFLICT', 'BAD_REPLY'].includes(e.code))
          intents.delete(this)
        this.setData({ phase: 'ready', formError: e.message })
      }
    },

    onShareAppMessage() {
      return {
        title: this.data.store?.name ?? '礼品自提点',
        path: routes.storeShop(this.data.storeId),
      }
    },
  },
})
