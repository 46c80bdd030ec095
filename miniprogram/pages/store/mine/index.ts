// 我的兑换: one's redemptions in three tabs — 待自提 (the big pickup code and its QR for the clerk,
// the store with 导航 and 电话, when it lapses, 取消兑换), 已完成 (picked up, or delivered reports
// to open) and 已取消或过期 (points given back). Opened with ?id= from the pickup reminder, it
// shows that reservation's tab, scrolls to it and marks it. Pull down to refresh.
import type { Retryable } from '../../../services/call'
import { isTransient, toServiceError } from '../../../services/service-error'
import {
  cancelRedemption,
  getPickupQr,
  listRedemptions,
  type ReservationView,
} from '../../../services/store'
import { goHome, routes } from '../../../utils/routes'
import { openReport } from '../item/report'
import { text } from './strings'
import {
  groupTabs,
  initialGroup,
  toRow,
  type Group,
  type GroupTab,
  type RedemptionRow,
} from './view'

type Phase = 'loading' | 'error' | 'ready'

/** Cancellations that got no answer, by reservation: asking again re-sends the same request. */
const cancels = new WeakMap<
  object,
  Map<string, Retryable<{ reservation: ReservationView; balance: number }>>
>()

const RESERVATION_ID = /^[A-Za-z0-9_-]{6,64}$/

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    rows: [] as RedemptionRow[],
    tabs: [] as GroupTab[],
    tab: 'pending' as Group,
    shown: [] as RedemptionRow[],
    /** The reservation the page was opened for (a reminder), marked and scrolled to. */
    highlight: '',
    /** Pickup QR data URLs by reservation ('failed' when it could not be had). */
    qr: {} as Record<string, string>,
    /** A refusal or failure of the last action, said above the list. */
    notice: '',
    /** The reservation being cancelled. */
    cancelling: '',
    opening: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const id = query.id ?? ''
      this.setData({ highlight: RESERVATION_ID.test(id) ? id : '' })
      return this.load().then(() => this.scrollToHighlight())
    },

    /** Back from the store with a new reservation: show it. */
    onShow() {
      if (this.data.phase === 'ready') return this.load(true)
      return Promise.resolve()
    },

    /** `quietly` keeps the list on screen; a failed quiet reload keeps it and says why. */
    async load(quietly = false): Promise<void> {
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const { items } = await listRedemptions()
        const rows = items.map(toRow)
        const tab = quietly ? this.data.tab : initialGroup(rows, this.data.highlight)
        this.setData({
          phase: 'ready',
          rows,
          tabs: groupTabs(rows),
          tab,
          shown: rows.filter((r) => r.group === tab),
        })
        await this.loadQrs()
      } catch (err) {
        const message = toServiceError(err).message
        if (quietly && this.data.phase === 'ready') wx.showToast({ title: message, icon: 'none' })
        else this.setData({ phase: 'error', message })
      }
    },

    /** The QR of every reservation waiting for pickup that has none yet. */
    async loadQrs(): Promise<void> {
      const ids = this.data.rows
        .filter((r) => r.pickupCode && (!this.data.qr[r.id] || this.data.qr[r.id] === 'failed'))
        .map((r) => r.id)
      await Promise.all(
        ids.map(async (id) => {
          try {
            const { dataUrl } = await getPickupQr(id)
            this.setData({ [`qr.${id}`]: dataUrl })
          } catch (err) {
            console.warn('[store] pickup QR', toServiceError(err).detail)
            this.setData({ [`qr.${id}`]: 'failed' })
          }
        }),
      )
    },

    scrollToHighlight() {
      const id = this.data.highlight
      if (id && this.data.rows.some((r) => r.id === id))
        wx.pageScrollTo({ selector: `#r-${id}`, duration: 300 })
    },

    async onPullDownRefresh(): Promise<void> {
      try {
        await this.load(true)
      } finally {
        wx.stopPullDownRefresh()
      }
    },

    onRetry() {
      return this.load()
    },

    onRetryQr() {
      return this.loadQrs()
    },

    onHome() {
      goHome()
    },

    onStore() {
      wx.navigateTo({ url: routes.store })
    },

    onTabChange(e: { detail: { value: Group } }) {
      const tab = e.detail.value
      this.setData({ tab, shown: this.data.rows.filter((r) => r.group === tab) })
    },

    row(id: string): RedemptionRow | undefined {
      return this.data.rows.find((r) => r.id === id)
    },

    onNavigate(e: { currentTarget: { dataset: { id: string } } }) {
      const store = this.row(e.currentTarget.dataset.id)?.store
      if (!store) return
      wx.openLocation({
        latitude: store.latitude,
        longitude: store.longitude,
        name: store.name,
        address: store.address,
        scale: 17,
      })
    },

    onCall(e: { currentTarget: { dataset: { id: string } } }) {
      const store = this.row(e.currentTarget.dataset.id)?.store
      if (store) wx.makePhoneCall({ phoneNumber: store.phone })
    },

    onCertificate(e: { currentTarget: { dataset: { no: string } } }) {
      wx.navigateTo({ url: routes.certificate(e.currentTarget.dataset.no) })
    },

    async onOpenReport(e: { currentTarget: { dataset: { id: string } } }): Promise<void> {
      const url = this.row(e.currentTarget.dataset.id)?.fileUrl
      if (!url || this.data.opening) return
      this.setData({ opening: true })
      try {
        await openReport(url)
      } catch (err) {
        console.warn('[store] open report', toServiceError(err).detail)
        wx.showToast({ title: text.openFailed, icon: 'none' })
      } finally {
        this.setData({ opening: false })
      }
    },

    /** 取消兑换, after a confirm; then the list as it is now (a refusal says why). */
    async onCancel(e: { currentTarget: { dataset: { id: string } } }): Promise<void> {
      const id = e.currentTarget.dataset.id
      if (this.data.cancelling) return
      const { confirm } = await wx.showModal({
        title: text.cancelTitle,
        content: text.cancelConfirm,
        confirmText: text.cancelOk,
        cancelText: text.cancelKeep,
      })
      if (!confirm) return
      let mine = cancels.get(this)
      if (!mine) {
        mine = new Map()
        cancels.set(this, mine)
      }
      const call = mine.get(id) ?? cancelRedemption(id)
      mine.set(id, call)
      this.setData({ cancelling: id, notice: '' })
      try {
        await call.run()
        mine.delete(id)
        this.setData({ cancelling: '' })
        wx.showToast({ title: text.cancelled, icon: 'none' })
      } catch (err) {
        const e = toServiceError(err)
        this.setData({ cancelling: '', notice: e.message })
        // Only a cancellation that may not have happened is re-sent as is. A refusal means the
        // reservation has moved on (picked up, expired): the list below shows it as it is now.
        if (isTransient(e)) return
        mine.delete(id)
      }
      await this.load(true)
    },
  },
})
