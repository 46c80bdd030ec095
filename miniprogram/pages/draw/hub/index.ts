// Draw hub (幸运抽奖): the chances left (抽奖机会), the nine-grid and the three treasure boxes with
// their cost and published odds, and the way to one's draw history and wallet. Kinds that cost
// more chances than are left are disabled with the reason. Written as a Component so
// miniprogram-simulate can render it in tests.
import { isDrawKind } from 'wal-core'
import { getDrawHub } from '../../../services/draw'
import { isCampaignUnavailable, toServiceError } from '../../../services/service-error'
import { myResponse } from '../../../services/survey'
import { drawPageOf, goHome, routes } from '../../../utils/routes'
import { drawClosed } from '../closed'
import { text } from './strings'
import { noMoreChancesNote, toHubView, type HubView } from './view'
import { inviteCard } from '../../../utils/share'

type Phase = 'loading' | 'ready' | 'error' | 'closed'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    closedTitle: '',
    view: null as HubView | null,
    /** Nothing affordable and answering earns no more (the cap, or all answered): why. */
    noMoreNote: '',
  },

  methods: {
    onLoad() {
      return this.load()
    },

    /** Back from a draw: the chances have changed, refresh without a loading screen. */
    onShow() {
      if (this.data.phase === 'ready') return this.load(true)
      return Promise.resolve()
    },

    async load(quietly = false): Promise<void> {
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const hub = await getDrawHub()
        const view = toHubView(hub)
        // Out of chances: 去答题 only if answering can still earn some (asked only then).
        const noMoreNote = view.noneAffordable ? await this.noMoreChances() : ''
        this.setData({ phase: 'ready', view, noMoreNote })
      } catch (err) {
        const e = toServiceError(err)
        if (isCampaignUnavailable(e)) this.setData({ phase: 'closed', ...drawClosed(e) })
        else this.setData({ phase: 'error', message: e.message })
      }
    },

    /** Why answering earns no more chances; '' when it does or the progress cannot be read. */
    async noMoreChances(): Promise<string> {
      try {
        return noMoreChancesNote(await myResponse())
      } catch {
        return '' // unknown: keep the way to the survey, as before
      }
    },

    onRetry() {
      return this.load()
    },

    onLearn() {
      wx.navigateTo({ url: routes.learn })
    },

    onDraw(e: { currentTarget: { dataset: { kind: string } } }) {
      const kind = e.currentTarget.dataset.kind
      if (!isDrawKind(kind)) return
      const card = this.data.view?.kinds.find((k) => k.kind === kind)
      if (card?.affordable) wx.navigateTo({ url: drawPageOf(kind) })
    },

    onHistory() {
      wx.navigateTo({ url: routes.drawHistory })
    },

    /** The wallet replaces the hub: hub ⇄ wallet back and forth must not fill WeChat's 10 pages. */
    onWallet() {
      wx.redirectTo({ url: routes.wallet })
    },

    onHome() {
      goHome()
    },

    /** 转发: a friend opens home through the code this person came with (or their own). */
    onShareAppMessage() {
      return inviteCard()
    },
  },
})
