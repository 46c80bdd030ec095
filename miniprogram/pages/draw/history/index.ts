// Draw history (抽奖记录): one's draws, newest first, a page at a time (more on reaching the
// bottom), pull down to refresh, and an empty state that leads to the draw.
import { drawHistory } from '../../../services/draw'
import {
  firstPageData,
  loadFirstPage,
  loadMorePage,
  refreshOnPullDown,
  type ListPhase,
} from '../../../utils/paged-list'
import { goBack, routes } from '../../../utils/routes'
import { text } from './strings'
import { toHistoryRow, type HistoryRow } from './view'

Component({
  data: {
    text,
    phase: 'loading' as ListPhase,
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

    /** The first page; `quietly` keeps the list on screen (pull-to-refresh). */
    load(quietly = false): Promise<void> {
      return loadFirstPage(this, quietly, async () =>
        firstPageData(await drawHistory(), toHistoryRow),
      )
    },

    loadMore(): Promise<void> {
      return loadMorePage(this, drawHistory, toHistoryRow)
    },

    onPullDownRefresh(): Promise<void> {
      return refreshOnPullDown((quietly) => this.load(quietly))
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
