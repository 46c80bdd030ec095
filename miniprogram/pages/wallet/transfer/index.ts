// Transfer points (积分转赠): enter the recipient's user code and an amount → the server names the
// recipient (masked nickname) → confirm in a dialog → transfer → success with the new balance.
// The server's refusals appear under the field they concern; a transfer that got no answer is
// re-sent with the same requestId (重试), so it can never move points twice.
import { checkTransferAmount } from 'wal-core'
import type { Retryable } from '../../../services/call'
import { isTransient, toServiceError, type ServiceError } from '../../../services/service-error'
import {
  getBalance,
  normaliseUserCode,
  previewTransfer,
  transferPoints,
  type TransferResult,
} from '../../../services/wallet'
import { goBack, routes } from '../../../utils/routes'
import {
  available,
  dialogContent,
  doneText,
  newBalance,
  overBalance,
  type Limits,
  pointsText,
  recipientText,
  text,
} from './strings'

type Phase = 'loading' | 'error' | 'edit' | 'checking' | 'preview' | 'sending' | 'done'

/** Refusals about the recipient, shown under the code; about the amount, under the amount. */
const CODE_CODES = new Set(['RECIPIENT_NOT_FOUND', 'SELF_TRANSFER'])
const AMOUNT_CODES = new Set(['INSUFFICIENT_POINTS', 'DAILY_CAP', 'BAD_AMOUNT'])

interface Session {
  /** The transfer in flight or failed, for this code and amount: 重试 re-sends it as is. */
  pending: { key: string; call: Retryable<TransferResult> } | null
}

const sessions = new WeakMap<object, Session>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    balance: 0,
    limits: null as Limits | null,
    availableText: '',
    code: '',
    amount: '',
    codeError: '',
    amountError: '',
    /** A failure that belongs to no field (network, server busy). */
    formError: '',
    canRetry: false,
    /** Checked by the server: the canonical code and the recipient's masked nickname. */
    toCode: '',
    points: 0,
    recipient: '',
    pointsText: '',
    dialogVisible: false,
    dialogContent: '',
    doneText: '',
    newBalanceText: '',
  },

  methods: {
    onLoad() {
      return this.load()
    },

    session(): Session {
      let s = sessions.get(this)
      if (!s) {
        s = { pending: null }
        sessions.set(this, s)
      }
      return s
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const b = await getBalance()
        const limits: Limits = {
          minAmount: b.transfer.minAmount,
          maxAmount: b.transfer.maxAmount,
          dailyCap: b.transfer.dailyCap,
          sentToday: b.transfer.sentToday,
        }
        this.setData({
          phase: 'edit',
          balance: b.balance,
          limits,
          availableText: available(b.balance, limits),
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onCodeInput(e: { detail: { value: string } }) {
      this.setData({ code: e.detail.value ?? '', codeError: '', formError: '' })
    },

    onAmountInput(e: { detail: { value: string } }) {
      this.setData({ amount: e.detail.value ?? '', amountError: '', formError: '' })
    },

    /** The amount as a whole number of points, or the message saying what is wrong with it. */
    checkedAmount(): number | string {
      const raw = this.data.amount.trim()
      if (!raw) return text.amountRequired
      if (!/^\d+$/.test(raw) || Number(raw) < 1) return text.amountNotWhole
      const amount = Number(raw)
      if (amount > this.data.balance) return overBalance(this.data.balance)
      const limits = this.data.limits
      // core's rule, the same the server applies (its message names the limit).
      const check = limits
        ? checkTransferAmount(limits, amount, limits.sentToday)
        : { ok: true as const }
      return check.ok ? amount : check.message
    },

    /** 下一步: check the fields here, then ask the server who the code belongs to. */
    async onNext(): Promise<void> {
      if (this.data.phase !== 'edit') return
      const toCode = normaliseUserCode(this.data.code)
      const amount = this.checkedAmount()
      const codeError = toCode ? '' : text.codeInvalid
      const amountError = typeof amount === 'string' ? amount : ''
      if (!toCode || typeof amount === 'string') {
        this.setData({ codeError, amountError, formError: '' })
        return
      }
      this.setData({ phase: 'checking', codeError: '', amountError: '', formError: '' })
      try {
        const preview = await previewTransfer(toCode)
        this.setData({
          phase: 'preview',
          toCode: preview.toCode,
          points: amount,
          recipient: recipientText(preview.maskedNickname, preview.toCode),
          pointsText: pointsText(amount),
          dialogContent: dialogContent(amount, preview.maskedNickname, preview.toCode),
          canRetry: false,
        })
      } catch (err) {
        this.showError(toServiceError(err), 'edit')
      }
    },

    /** Put a refusal under its field (back to editing), or show it for the whole form. */
    showError(e: ServiceError, stay: Phase) {
      if (CODE_CODES.has(e.code)) {
        this.setData({ phase: 'edit', codeError: e.message, dialogVisible: false })
      } else if (AMOUNT_CODES.has(e.code)) {
        this.setData({ phase: 'edit', amountError: e.message, dialogVisible: false })
      } else {
        this.setData({ phase: stay, formError: e.message, canRetry: isTransient(e) })
      }
    },

    onEdit() {
      if (this.data.phase !== 'preview') return
      this.setData({ phase: 'edit', formError: '', canRetry: false })
    },

    /** 确认转赠 on the preview: the last word is the dialog's. */
    onConfirm() {
      if (this.data.phase !== 'preview') return
      this.setData({ dialogVisible: true })
    },

    onDialogCancel() {
      this.setData({ dialogVisible: false })
    },

    onDialogConfirm() {
      this.setData({ dialogVisible: false })
      return this.send()
    },

    /** 重试 after a transfer that got no answer: the same request, the same requestId. */
    onRetry() {
      if (this.data.phase !== 'preview' || !this.data.canRetry) return Promise.resolve()
      return this.send()
    },

    async send(): Promise<void> {
      if (this.data.phase !== 'preview') return
      const s = this.session()
      const { toCode, points } = this.data
      const key = `${toCode}:${points}`
      if (!s.pending || s.pending.key !== key) {
        s.pending = { key, call: transferPoints(toCode, points) }
      }
      const pending = s.pending
      this.setData({ phase: 'sending', formError: '', canRetry: false })
      try {
        const result = await pending.call.run()
        s.pending = null
        const before = this.data.limits
        const limits = before && {
          ...before,
          sentToday: before.sentToday + result.amount,
        }
        this.setData({
          phase: 'done',
          balance: result.balance,
          limits,
          availableText: available(result.balance, limits),
          doneText: doneText(result.amount, result.maskedNickname),
          newBalanceText: newBalance(result.balance),
        })
      } catch (err) {
        const e = toServiceError(err)
        // Only a transfer that may not have happened is re-sent as is; a refusal is final.
        if (!isTransient(e)) s.pending = null
        this.showError(e, 'preview')
      }
    },

    /** 继续转赠: a fresh form (and, when sent, a new requestId). */
    onAgain() {
      this.setData({
        phase: 'edit',
        code: '',
        amount: '',
        codeError: '',
        amountError: '',
        formError: '',
        canRetry: false,
      })
    },

    onBack() {
      goBack(routes.wallet)
    },

    onRetryLoad() {
      return this.load()
    },
  },
})
