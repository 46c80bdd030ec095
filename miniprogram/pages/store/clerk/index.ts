// 店员核销 (a pickup store's clerk): scan the user's pickup QR (wx.scanCode) or type the 6-digit
// code, see the item and the masked nickname, confirm the handover. Only at the clerk's own
// store (the server checks). Below: reservations waiting here and today's pickups.
import { reservationIdFromScan } from 'wal-core'
import { toServiceError } from '../../../services/service-error'
import {
  confirmPickup,
  getClerkDesk,
  getClerkStores,
  lookupPickup,
  type ReservationView,
  type StoreView,
} from '../../../services/store'
import { goHome } from '../../../utils/routes'
import { personText, text } from './strings'

type Phase = 'loading' | 'ready' | 'error' | 'choose' | 'none'
const ID = /^[a-z0-9][a-z0-9-]{0,47}$/

interface PickupRow {
  id: string
  itemTitle: string
  person: string
  code: string
  status: string
}

const row = (p: {
  reservation: ReservationView
  maskedNickname: string
  userCode: string
}): PickupRow => ({
  id: p.reservation.id,
  itemTitle: p.reservation.itemTitle,
  person: personText(p.maskedNickname, p.userCode),
  code: p.reservation.pickupCode ?? '',
  status: p.reservation.statusName,
})

const intents = new WeakMap<object, { id: string; call: ReturnType<typeof confirmPickup> }>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    storeId: '',
    store: null as StoreView | null,
    stores: [] as StoreView[],
    code: '',
    codeError: '',
    found: null as (PickupRow & { reserved: boolean }) | null,
    confirming: false,
    pending: [] as PickupRow[],
    today: [] as PickupRow[],
  },

  methods: {
    async onLoad(query: Record<string, string | undefined> = {}) {
      const storeId = query.store && ID.test(query.store) ? query.store : ''
      if (storeId) {
        this.setData({ storeId })
        return this.load()
      }
      // Opened without a store: the caller's own stores (one: straight to its desk).
      try {
        const { stores } = await getClerkStores()
        if (stores.length === 1) {
          this.setData({ storeId: stores[0]!.id })
          return this.load()
        }
        this.setData({ phase: stores.length ? 'choose' : 'none', stores })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
      return undefined
    },

    async load(): Promise<void> {
      if (!this.data.store) this.setData({ phase: 'loading', message: '' })
      try {
        const desk = await getClerkDesk(this.data.storeId)
        wx.setNavigationBarTitle({ title: desk.store.name })
        this.setData({
          phase: 'ready',
          store: desk.store,
          pending: desk.pending.map(row),
          today: desk.pickedUpToday.map(row),
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    async onPullDownRefresh(): Promise<void> {
      try {
        await this.load()
      } finally {
        wx.stopPullDownRefresh()
      }
    },

    onRetry() {
      return this.load()
    },

    onHome() {
      goHome()
    },

    onChoose(e: { currentTarget: { dataset: { id: string } } }) {
      this.setData({ storeId: e.currentTarget.dataset.id })
      return this.load()
    },

    onCodeInput(e: { detail: { value: string } }) {
      this.setData({ code: e.detail.value ?? '', codeError: '' })
    },

    onLookup() {
      const code = this.data.code.trim()
      if (!/^\d{6}$/.test(code)) {
        this.setData({ codeError: text.codeInvalid })
        return undefined
      }
      return this.lookup({ code })
    },

    onScan() {
      wx.scanCode({
        onlyFromCamera: true,
        success: (res) => {
          const reservationId = reservationIdFromScan(res.result ?? '')
          if (reservationId) void this.lookup({ reservationId })
          else wx.showToast({ title: text.scanNotPickup, icon: 'none' })
        },
      })
    },

    async lookup(by: { code: string } | { reservationId: string }): Promise<void> {
      try {
        const found = await lookupPickup(this.data.storeId, by)
        this.setData({
          found: { ...row(found), reserved: found.reservation.status === 'reserved' },
          codeError: '',
        })
      } catch (err) {
        this.setData({ found: null, codeError: toServiceError(err).message })
      }
    },

    onPick(e: { currentTarget: { dataset: { id: string } } }) {
      return this.lookup({ reservationId: e.currentTarget.dataset.id })
    },

    /** 确认交付: one handover per reservation; a lost reply is re-sent with the same requestId. */
    async onConfirm(): Promise<void> {
      const found = this.data.found
      if (!found || !found.reserved || this.data.confirming) return
      let intent = intents.get(this)
      if (!intent || intent.id !== found.id) {
        intent = { id: found.id, call: confirmPickup(this.data.storeId, found.id) }
        intents.set(this, intent)
      }
      this.setData({ confirming: true })
      try {
        const done = await intent.call.run()
        intents.delete(this)
        this.setData({ found: { ...row(done), reserved: false }, code: '' })
        wx.showToast({ title: text.confirmed, icon: 'success' })
        await this.load()
      } catch (err) {
        wx.showToast({ title: toServiceError(err).message, icon: 'none' })
      } finally {
        this.setData({ confirming: false })
      }
    },
  },
})
