// Draw history (抽奖记录): one's draws, newest first, a page at a time (more on reaching the
// bottom), pull down to refresh, and an empty state that leads to the draw.
import { drawHistory } from '../../../services/draw'
import { toServiceError } from '../../../services/service-error'
import { goBack, routes } from '../../../utils/routes'
import { text } from './strings'
import { toHistoryRow, type HistoryRow } from './view'

type Phase = 'loading' | 'error' | 'ready'

// A refresh makes pages still on their way from an older list stale.
const generations = new WeakMap<object, number>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    items: [] as HistoryRow[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },

  methods: {
    onLoad() {
      return this.load()
    },

    generation(): number {
      return generations.get(this) ?? 0
    },

    /** The first page; `quietly` keeps the list on screen (pull-to-refresh). */
    async load(quietly = false): Promise<void> {
      const generation = this.generation() + 1
      generations.set(this, generation)
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const page = await drawHistory()
        if (generation !== this.generation()) return
        this.setData({
          phase: 'ready',
          items: page.items.map(toHistoryRow),
          nextCursor: page.nextCursor,
          loadingMore: false,
          moreError: '',
        })
      } catch (err) {
        if (generation !== this.generation()) return
        const message = toServiceError(err).message
        // A failed refresh keeps what is shown, and says why.
        if (quietly && this.data.phase === 'ready') wx.showToast({ title: message, icon: 'none' })
        else this.setData({ phase: 'error', message })
      }
    },

    async loadMore(): Promise<void> {
      const cursor = this.data.nextCursor
      if (this.data.phase !== 'ready' || !cursor || this.data.loadingMore) return
      const generation = this.generation()
      this.setData({ loadingMore: true, moreError: '' })
      try {
        const page = await drawHistory(cursor)
        if (generation !== this.generation()) return
        this.setData({
          items: [...this.data.items, ...page.items.map(toHistoryRow)],
          nextCursor: page.nextCursor,
          loadingMore: false,
        })
      } catch (err) {
        if (generation !== this.generation()) return
        this.setData({ loadingMore: false, moreError: toServiceError(err).message })
      }
    },

    async onPullDownRefresh(): Promise<void> {
      try {
        await this.load(true)
      } finally {
        wx.stopPullDownRefresh()
      }
    },

    onReachBottom() {
      return this.loadMore()
    },

    onRetry() {
      return this.load()
    },

    onMore() {
      return this.loadMore()
    },

    onDraw() {
      goBack(routes.drawHub)
    },

    onWallet() {
      wx.navigateTo({ url: routes.wallet })
    },
  },
})
