// 待领取红包: the cash red envelopes the user won that wait for them. WeChat Pay's merchant
// transfer needs the winner to confirm receipt in WeChat (wx.requestMerchantTransfer) within
// 24 hours; an envelope not confirmed in time is not lost and can be claimed again (a new
// transfer). After the confirmation page closes the server is asked where the money is.
import { toServiceError } from '../../../services/service-error'
import {
  checkPayout,
  confirmReceipt,
  listPendingPayouts,
  reclaimPayout,
  type PayoutClaim,
  type PendingPayout,
  type TransferConfirm,
} from '../../../services/payout'
import { refreshOnPullDown, type ListPhase } from '../../../utils/paged-list'
import { goBack, routes } from '../../../utils/routes'
import { claimFailed, text } from './strings'
import { toCashRow, type CashRow } from './view'

/** How a notice looks: money arrived, on its way, needs another go, or the claim failed. */
type NoticeTone = 'success' | 'info' | 'warning' | 'error'

interface Notice {
  notice: string
  noticeTone: NoticeTone
}

/** What the server's answer says, once the winner has done what they could. */
const CLAIM_NOTICE: Record<PayoutClaim['status'], Notice> = {
  paid: { notice: text.paid, noticeTone: 'success' },
  awaiting_user: { notice: text.confirmedPending, noticeTone: 'info' },
  processing: { notice: text.processing, noticeTone: 'info' },
  closing: { notice: text.closing, noticeTone: 'warning' },
  expired: { notice: text.expired, noticeTone: 'warning' },
  failed: { notice: text.failed, noticeTone: 'warning' },
}

const failedNotice = (reason: string): Notice => ({
  notice: claimFailed(reason),
  noticeTone: 'error',
})

/** The envelopes as loaded, with what the confirmation page needs (not shown, so not in data). */
const loaded = new WeakMap<object, PendingPayout[]>()

Component({
  data: {
    text,
    phase: 'loading' as ListPhase,
    message: '',
    items: [] as CashRow[],
    /** The envelope being claimed; the other buttons wait. */
    busyKey: '',
    /** What happened to the last claim, and how it looks. */
    notice: '',
    noticeTone: 'info' as NoticeTone,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    /** Back from WeChat's confirmation page (or elsewhere): show where things stand now. */
    onShow() {
      if (this.data.phase === 'ready' && this.data.busyKey === '') return this.load(true)
      return Promise.resolve()
    },

    /** `quietly` keeps the list on screen (pull-to-refresh, coming back). */
    async load(quietly = false): Promise<void> {
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const items = await listPendingPayouts()
        loaded.set(this, items)
        this.setData({ phase: 'ready', items: items.map(toCashRow) })
      } catch (err) {
        const message = toServiceError(err).message
        if (quietly && this.data.phase === 'ready') wx.showToast({ title: message, icon: 'none' })
        else this.setData({ phase: 'error', message })
      }
    },

    onPullDownRefresh(): Promise<void> {
      return refreshOnPullDown((quietly) => this.load(quietly))
    },

    onRetry() {
      return this.load()
    },

    async onClaim(e: { currentTarget: { dataset: { key?: string } } }): Promise<void> {
      const key = e.currentTarget.dataset.key ?? ''
      const payout = (loaded.get(this) ?? []).find((p) => p.payoutKey === key)
      if (!payout || this.data.busyKey !== '') return
      this.setData({ busyKey: key, notice: '' })
      try {
        let confirm: TransferConfirm | null = payout.confirm
        if (payout.state === 'expired') {
          // A new transfer first; its confirmation comes back at once.
          const claimed = await reclaimPayout(key)
          confirm = claimed.item?.confirm ?? null
          if (!confirm) {
            this.setData(CLAIM_NOTICE[claimed.status])
            return
          }
        }
        if (!confirm) return
        await this.confirm(key, confirm)
      } catch (err) {
        this.setData(failedNotice(toServiceError(err).message))
      } finally {
        this.setData({ busyKey: '' })
        await this.load(true)
      }
    },

    /** WeChat's page, then the server's word on where the money is. */
    async confirm(key: string, confirm: TransferConfirm): Promise<void> {
      const outcome = await confirmReceipt(confirm)
      if (outcome.kind === 'unsupported') {
        wx.showModal({
          title: text.unsupportedTitle,
          content: text.unsupported,
          showCancel: false,
          confirmText: text.understood,
        })
        return
      }
      if (outcome.kind === 'cancelled') {
        wx.showToast({ title: text.cancelled, icon: 'none' })
        return
      }
      if (outcome.kind === 'failed') {
        // WeChat's errMsg (requestMerchantTransfer:fail …) is for us, not for the winner: it goes
        // to the log. Most often an overdue transfer: the list reloaded after this says so.
        console.warn('requestMerchantTransfer failed:', outcome.errMsg)
        this.setData(failedNotice(text.transferFailed))
        return
      }
      const after = await checkPayout(key)
      if (after.status === 'paid') wx.showToast({ title: text.paidToast, icon: 'success' })
      this.setData(CLAIM_NOTICE[after.status])
    },

    onBack() {
      goBack(routes.wallet)
    },
  },
})
