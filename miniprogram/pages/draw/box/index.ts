// Treasure box (铜/银/金宝箱, `?kind=copper|silver|gold`): a closed box; a tap sends the draw and
// the box shakes until the server's prize is known, then opens on it. As on the nine-grid, 重试
// after a failure re-sends the same requestId, so it never draws twice.
import type { DrawHub, DrawResult } from 'wal-core'
import { toPrizeView, type PrizeView } from '../components/prize-result/view'
import type { Retryable } from '../../../services/call'
import { drawOnce, getDrawHub } from '../../../services/draw'
import { isCampaignUnavailable, isTransient, toServiceError } from '../../../services/service-error'
import { affordability, formatPercent, prizeLabel } from '../../../utils/reward-format'
import { boxKindFrom, goBack, routes, type BoxKind } from '../../../utils/routes'
import { drawClosed } from '../closed'
import { costText, text } from './strings'

type Phase = 'loading' | 'error' | 'closed' | 'invalid' | 'ready' | 'opening' | 'failed' | 'result'

interface Session {
  kind: BoxKind
  cost: number
  /** The draw in flight or failed: 重试 re-sends it as is. */
  pending: Retryable<DrawResult> | null
}

const sessions = new WeakMap<object, Session>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    /** A closed draw's title: not open yet, ended (closed.ts), or no such draw in this campaign. */
    closedTitle: text.closedTitle,
    canRetry: false,
    kind: '' as BoxKind | '',
    name: '',
    costText: '',
    odds: [] as Array<{ id: string; prize: string; percent: string }>,
    chancesText: '',
    affordable: false,
    missingText: '',
    notice: '',
    prize: null as PrizeView | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const kind = boxKindFrom(query.kind)
      if (!kind) {
        this.setData({ phase: 'invalid', message: text.badKind })
        return Promise.resolve()
      }
      this.setData({ kind })
      return this.load()
    },

    session(): Session | undefined {
      return sessions.get(this)
    },

    async load(): Promise<void> {
      const kind = boxKindFrom(this.data.kind)
      if (!kind) return
      this.setData({ phase: 'loading', message: '' })
      try {
        this.prepare(kind, await getDrawHub())
      } catch (err) {
        const e = toServiceError(err)
        if (isCampaignUnavailable(e)) this.setData({ phase: 'closed', ...drawClosed(e) })
        else this.setData({ phase: 'error', message: e.message })
      }
    },

    prepare(kind: BoxKind, hub: DrawHub) {
      const odds = hub.kinds.find((k) => k.kind === kind)
      if (!odds) {
        this.setData({ phase: 'closed', message: '' })
        return
      }
      sessions.set(this, { kind, cost: odds.cost, pending: null })
      wx.setNavigationBarTitle({ title: odds.name })
      this.setData({
        phase: 'ready',
        name: odds.name,
        costText: costText(odds.cost),
        odds: odds.tiers.map((t) => ({
          id: t.id,
          prize: prizeLabel(t, hub.prizeForm),
          percent: formatPercent(t.probabilityBp),
        })),
        notice: hub.notice ?? '',
        ...this.chancesData(hub.chances.balance),
      })
    },

    chancesData(chances: number) {
      return affordability(chances, this.session()?.cost ?? 1)
    },

    /** Tap the box (or 开启宝箱): one tap, one draw. */
    onOpen() {
      const s = this.session()
      if (!s || this.data.phase !== 'ready' || !this.data.affordable) return
      s.pending = drawOnce(s.kind)
      this.send()
    },

    onRetry() {
      const s = this.session()
      if (!s?.pending || this.data.phase !== 'failed' || !this.data.canRetry) return
      this.send()
    },

    async send(): Promise<void> {
      const s = this.session()
      const call = s?.pending
      if (!s || !call) return
      this.setData({ phase: 'opening', message: '', canRetry: false, prize: null })
      try {
        const result = await call.run()
        if (this.session() !== s) return // the page was left meanwhile
        s.pending = null
        this.setData({
          phase: 'result',
          prize: toPrizeView(result, s.cost),
          ...this.chancesData(result.chancesLeft),
        })
      } catch (err) {
        if (this.session() !== s) return
        const e = toServiceError(err)
        if (isCampaignUnavailable(e)) {
          s.pending = null
          this.setData({ phase: 'closed', ...drawClosed(e) })
          return
        }
        const canRetry = isTransient(e)
        if (!canRetry) s.pending = null
        this.setData({ phase: 'failed', message: e.message, canRetry })
      }
    },

    /** Leaving mid-draw: the draw still completes on the server (see 抽奖记录); nothing to show. */
    onUnload() {
      sessions.delete(this)
    },

    /** 再抽一次: the box closes again and a new draw (new requestId) starts. */
    onAgain() {
      if (this.data.phase !== 'result') return
      this.setData({ phase: 'ready', prize: null })
      this.onOpen()
    },

    /** ✕ on the reveal: the box closes again, ready for the next draw. */
    onClose() {
      if (this.data.phase !== 'result') return
      this.setData({ phase: 'ready', prize: null })
    },

    onWallet() {
      wx.navigateTo({ url: routes.wallet })
    },

    onBack() {
      goBack(routes.drawHub)
    },

    onRetryLoad() {
      return this.load()
    },
  },
})
