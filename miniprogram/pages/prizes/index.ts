// 我的奖品: the offline-draw prizes the caller won — the draw, its region, the prize, how to
// claim it — each with the draw's public record (list digest, seed hash, revealed seed) so a
// winner can see the draw was fair. Loading, error (retry, way home) and empty states; pull
// down to refresh.
import { getMyPrizes } from '../../services/prizes'
import { toServiceError } from '../../services/service-error'
import { goHome } from '../../utils/routes'
import { text } from './strings'
import { toPrizeView, type PrizeView } from './view'

type Phase = 'loading' | 'ready' | 'error'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    prizes: [] as PrizeView[],
    /** The prize whose verification record is open ('' for none). */
    open: '',
  },

  methods: {
    onLoad() {
      return this.load()
    },

    async load(): Promise<void> {
      if (this.data.phase !== 'ready') this.setData({ phase: 'loading', message: '' })
      try {
        const prizes = (await getMyPrizes()).map(toPrizeView)
        this.setData({ phase: 'ready', prizes })
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

    onToggleRecord(e: { currentTarget: { dataset: { key: string } } }) {
      const key = e.currentTarget.dataset.key
      this.setData({ open: this.data.open === key ? '' : key })
    },

    /** Copy one value of the record (a digest or the seed) to check it elsewhere. */
    onCopy(e: { currentTarget: { dataset: { value: string } } }) {
      wx.setClipboardData({ data: e.currentTarget.dataset.value })
    },
  },
})
