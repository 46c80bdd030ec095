// Wallet (我的积分): the points balance, one's user code (for receiving transfers, copyable), the
// nickname others see masked, the way to transfer, cash red envelopes waiting to be claimed (when
// there are any), and the entries of the ledger with their kinds in Chinese, a page at a time
// (more on reaching the bottom); pull down to refresh.
import { maskNickname, type Balance } from 'wal-core'
import type { Retryable } from '../../services/call'
import { listPendingPayouts } from '../../services/payout'
import { isTransient, toServiceError } from '../../services/service-error'
import { getBalance, listEntries, nicknameRefusal, setNickname } from '../../services/wallet'
import {
  firstPageData,
  loadFirstPage,
  loadMorePage,
  refreshOnPullDown,
  type ListPhase,
} from '../../utils/paged-list'
import { goHome, routes } from '../../utils/routes'
import { cashWaitingText, maskedPreview, text } from './strings'
import { toEntryRow, type EntryRow } from './view'

const NICKNAME_MAX = 20

interface Session {
  /** The nickname save in flight or failed: saving the same name again re-sends it as is. */
  nickname: { name: string; call: Retryable<Balance> } | null
}

const sessions = new WeakMap<object, Session>()

/**
 * How many red envelopes wait to be claimed. The wallet is about points: if this extra look
 * fails, the card is simply not shown rather than the page failing.
 */
function countWaitingPayouts(): Promise<number> {
  return listPendingPayouts().then(
    (items) => items.length,
    () => 0,
  )
}

function nicknameData(b: Balance) {
  return {
    nickname: b.nickname ?? '',
    maskedText: maskedPreview(maskNickname(b.nickname)),
  }
}

Component({
  data: {
    text,
    phase: 'loading' as ListPhase,
    message: '',
    balance: 0,
    cashWaiting: 0,
    cashWaitingText: '',
    userCode: '',
    nickname: '',
    maskedText: '',
    editingNickname: false,
    nicknameDraft: '',
    nicknameError: '',
    savingNickname: false,
    items: [] as EntryRow[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  methods: {
    onLoad() {
      return this.load()
    },

    session(): Session {
      let s = sessions.get(this)
      if (!s) {
        s = { nickname: null }
        sessions.set(this, s)
      }
      return s
    },

    /** Back from a transfer: the balance has changed. */
    onShow() {
      if (this.data.phase === 'ready') return this.load(true)
      return Promise.resolve()
    },

    /** Balance and the first page of entries; `quietly` keeps the page on screen. */
    load(quietly = false): Promise<void> {
      return loadFirstPage(this, quietly, async () => {
        const [balance, page, waiting] = await Promise.all([
          getBalance(),
          listEntries(),
          countWaitingPayouts(),
        ])
        return {
          ...firstPageData(page, toEntryRow),
          balance: balance.balance,
          cashWaiting: waiting,
          cashWaitingText: cashWaitingText(waiting),
          userCode: balance.userCode,
          ...nicknameData(balance),
        }
      })
    },

    loadMore(): Promise<void> {
      return loadMorePage(this, listEntries, toEntryRow)
    },

    onPullDownRefresh(): Promise<void> {
      return refreshOnPullDown((quietly) => this.load(quietly))
    },

    onReachBottom() {
      return this.loadMore()
    },

    onMore() {
      return this.loadMore()
    },

    onRetry() {
      return this.load()
    },

    onCopyCode() {
      const code = this.data.userCode
      if (!code) return
      wx.setClipboardData({
        data: code,
        success: () => wx.showToast({ title: text.copied, icon: 'none' }),
      })
    },

    onEditNickname() {
      this.setData({ editingNickname: true, nicknameDraft: this.data.nickname, nicknameError: '' })
    },

    onCancelNickname() {
      this.session().nickname = null
      this.setData({ editingNickname: false, nicknameError: '', savingNickname: false })
    },

    onNicknameInput(e: { detail: { value: string } }) {
      this.setData({ nicknameDraft: e.detail.value ?? '', nicknameError: '' })
    },

    async onSaveNickname(): Promise<void> {
      if (this.data.savingNickname) return
      const name = this.data.nicknameDraft.trim()
      if (!name) {
        this.setData({ nicknameError: text.nicknameRequired })
        return
      }
      if ([...name].length > NICKNAME_MAX) {
        this.setData({ nicknameError: text.nicknameTooLong })
        return
      }
      const s = this.session()
      if (!s.nickname || s.nickname.name !== name) s.nickname = { name, call: setNickname(name) }
      const pending = s.nickname
      this.setData({ savingNickname: true, nicknameError: '' })
      try {
        const balance = await pending.call.run()
        s.nickname = null
        this.setData({ savingNickname: false, editingNickname: false, ...nicknameData(balance) })
        wx.showToast({ title: text.nicknameSaved, icon: 'none' })
      } catch (err) {
        const e = toServiceError(err)
        // A refused name stays refused under its requestId: another name needs a new request.
        if (!isTransient(e)) s.nickname = null
        const message =
          nicknameRefusal(e) === 'CONTENT_RISKY'
            ? text.nicknameRisky
            : e.code === 'BAD_REQUEST'
              ? text.nicknameInvalid
              : e.message
        this.setData({ savingNickname: false, nicknameError: message })
      }
    },

    onTransfer() {
      wx.navigateTo({ url: routes.transfer })
    },

    onDraw() {
      wx.navigateTo({ url: routes.drawHub })
    },

    onCash() {
      wx.navigateTo({ url: routes.cash })
    },

    onPrivacy() {
      wx.navigateTo({ url: routes.privacy })
    },

    onHome() {
      goHome()
    },
  },
})
