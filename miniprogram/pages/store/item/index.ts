// 商品详情: an item's images, price, provider, description, per-person limit (and how many one
// already has), region notice and availability. A gift or cultural product is reserved at a
// pickup store (选择自提点 → the store map); a report or certificate is redeemed here after a
// confirm dialog, and a report opens at once. Refusals show the server's own sentence in the
// page; a redemption that got no answer is re-sent with the same requestId (重试), so points are
// never taken twice.
import type { Retryable } from '../../../services/call'
import { isTransient, toServiceError } from '../../../services/service-error'
import { getItem, redeemItem, type ReservationView } from '../../../services/store'
import { goBack, goHome, routes } from '../../../utils/routes'
import { openReport } from './report'
import { balanceText, dialogContent, text } from './strings'
import { toItemPage, type ItemPage } from './view'

type Phase = 'loading' | 'error' | 'ready' | 'sending' | 'done'

interface Redeemed {
  reservation: ReservationView
  balance: number
}

/** The redemption in flight or lost, for this page's item: 重试 re-sends it as is. */
const pending = new WeakMap<object, Retryable<Redeemed>>()

const ITEM_ID = /^[a-z0-9][a-z0-9-]{0,47}$/

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    itemId: '',
    item: null as ItemPage | null,
    balance: 0,
    dialogVisible: false,
    dialogContent: '',
    /** A refusal or a failure, said under the button. */
    refusal: '',
    /** The last send got no answer: the button re-sends the same request. */
    canRetry: false,
    doneText: '',
    balanceText: '',
    fileUrl: '',
    opening: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const itemId = query.id ?? ''
      if (!ITEM_ID.test(itemId)) {
        this.setData({ phase: 'error', message: text.noItem })
        return undefined
      }
      this.setData({ itemId })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const reply = await getItem(this.data.itemId)
        this.setData({
          phase: 'ready',
          item: toItemPage(reply.item, reply.balance, reply.redeemed),
          balance: reply.balance,
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    /** Back from reserving at a store: the balance and one's redemptions have changed. */
    async onShow(): Promise<void> {
      if (this.data.phase !== 'ready') return
      const fresh = await this.freshItem()
      if (this.data.phase === 'ready') this.setData(fresh)
    },

    onRetryLoad() {
      return this.load()
    },

    onBackStore() {
      goBack(routes.store)
    },

    /** The main button: a store for a physical item, the confirm dialog for a digital one. */
    onAction() {
      const item = this.data.item
      if (this.data.phase !== 'ready' || !item || item.blocked) return undefined
      if (item.physical) {
        wx.navigateTo({ url: routes.storeMap(item.id) })
        return undefined
      }
      if (this.data.canRetry) return this.send()
      this.setData({
        dialogVisible: true,
        dialogContent: dialogContent(item.price, item.title, this.data.balance - item.price),
      })
      return undefined
    },

    onDialogCancel() {
      this.setData({ dialogVisible: false })
    },

    onDialogConfirm() {
      this.setData({ dialogVisible: false })
      return this.send()
    },

    async send(): Promise<void> {
      if (this.data.phase !== 'ready') return
      let call = pending.get(this)
      if (!call) {
        call = redeemItem(this.data.itemId)
        pending.set(this, call)
      }
      this.setData({ phase: 'sending', refusal: '', canRetry: false })
      try {
        const { reservation, balance } = await call.run()
        pending.delete(this)
        this.setData({
          phase: 'done',
          balance,
          balanceText: balanceText(balance),
          doneText: reservation.kind === 'report' ? text.doneReport : text.doneCertificate,
          fileUrl: reservation.fileUrl ?? '',
        })
      } catch (err) {
        const e = toServiceError(err)
        // Only a redemption that may not have happened is re-sent as is; a refusal is final, and
        // what it was about (the balance, one's redemptions, the stock) is shown afresh with it.
        const retry = isTransient(e)
        if (!retry) pending.delete(this)
        const fresh = retry ? {} : await this.freshItem()
        this.setData({ ...fresh, phase: 'ready', refusal: e.message, canRetry: retry })
      }
    },

    /** The item and balance as they are now, or nothing when they cannot be had. */
    async freshItem(): Promise<{ item?: ItemPage; balance?: number }> {
      try {
        const reply = await getItem(this.data.itemId)
        return {
          item: toItemPage(reply.item, reply.balance, reply.redeemed),
          balance: reply.balance,
        }
      } catch {
        return {}
      }
    },

    async onOpenReport(): Promise<void> {
      const url = this.data.fileUrl
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

    onMine() {
      wx.navigateTo({ url: routes.myRedemptions })
    },

    onSurvey() {
      goHome()
    },

    onDraw() {
      wx.navigateTo({ url: routes.drawHub })
    },

    onShareAppMessage() {
      const item = this.data.item
      return {
        title: item ? item.title : text.shareTitle,
        path: item ? routes.storeItem(item.id) : routes.store,
      }
    },
  },
})
