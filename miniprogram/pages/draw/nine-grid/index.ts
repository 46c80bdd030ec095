// Nine-grid draw (九宫格): eight prizes round a start button. Tapping start sends the draw and
// spins at once; the ring keeps cruising until the server's result is known, then slows down and
// stops on a cell showing the tier the server drew (utils/spin.ts plans the steps). The page
// never picks a prize.
//
// - Background mid-spin (onHide): the animation stops; the result is shown as soon as it is known
//   (at once if it already is), so returning never replays the spin and never draws again.
// - A failed call stops the spin; 重试 re-sends the SAME requestId, so the server answers with
//   the first draw if it happened and a retry can never draw twice.
import type { DrawHub, DrawResult } from 'wal-core'
import { toPrizeView, type PrizeView } from '../components/prize-result/view'
import type { Retryable } from '../../../services/call'
import { drawOnce, getDrawHub } from '../../../services/draw'
import { isCampaignUnavailable, isTransient, toServiceError } from '../../../services/service-error'
import { affordability } from '../../../utils/reward-format'
import { goBack, routes } from '../../../utils/routes'
import {
  CRUISE_DELAY_MS,
  landingPlan,
  landingPosition,
  nextPosition,
  type SpinStep,
} from '../../../utils/spin'
import { drawClosed } from '../closed'
import { costText, text } from './strings'
import { buildGrid, type GridCell } from './view'

type Phase = 'loading' | 'error' | 'closed' | 'ready' | 'spinning' | 'failed' | 'result'

/** What the page holds besides what it renders. */
interface Session {
  cost: number
  tiersByPosition: number[]
  /** The draw in flight or failed: 重试 re-sends it as is. Null once it has a result. */
  pending: Retryable<DrawResult> | null
  /** The result of the current draw, once known. */
  result: DrawResult | null
  timer: ReturnType<typeof setTimeout> | null
  hidden: boolean
}

const sessions = new WeakMap<object, Session>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    /** A closed draw's title: not open yet, ended (closed.ts), or no such draw in this campaign. */
    closedTitle: text.closedTitle,
    /** The failed draw can be re-sent as is (nothing came back, or the server asked for it). */
    canRetry: false,
    cells: [] as GridCell[],
    /** The lit ring position, -1 for none. */
    active: -1,
    chances: 0,
    chancesText: '',
    costText: '',
    affordable: false,
    missingText: '',
    notice: '',
    prize: null as PrizeView | null,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    session(): Session | undefined {
      return sessions.get(this)
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        this.prepare(await getDrawHub())
      } catch (err) {
        const e = toServiceError(err)
        if (isCampaignUnavailable(e)) this.setData({ phase: 'closed', ...drawClosed(e) })
        else this.setData({ phase: 'error', message: e.message })
      }
    },

    prepare(hub: DrawHub) {
      const kind = hub.kinds.find((k) => k.kind === 'nine_grid')
      if (!kind || kind.tiers.length === 0) {
        this.setData({ phase: 'closed', message: '' })
        return
      }
      const { cells, tiersByPosition } = buildGrid(kind, hub.prizeForm)
      sessions.set(this, {
        cost: kind.cost,
        tiersByPosition,
        pending: null,
        result: null,
        timer: null,
        hidden: false,
      })
      this.setData({
        phase: 'ready',
        cells,
        active: -1,
        costText: costText(kind.cost),
        notice: hub.notice ?? '',
        ...this.chancesData(hub.chances.balance),
      })
    },

    chancesData(chances: number) {
      return { chances, ...affordability(chances, this.session()?.cost ?? 1) }
    },

    /**
     * The centre button: one tap, one draw (taps while it runs do nothing). After a result it
     * starts the next draw, like 再抽一次.
     */
    onStart() {
      const s = this.session()
      const phase = this.data.phase
      if (!s || (phase !== 'ready' && phase !== 'result') || !this.data.affordable) return
      s.pending = drawOnce('nine_grid')
      s.result = null
      this.spin()
    },

    /** 重试 after a failure: the same call, the same requestId. */
    onRetry() {
      const s = this.session()
      if (!s?.pending || this.data.phase !== 'failed' || !this.data.canRetry) return
      this.spin()
    },

    spin() {
      const s = this.session()
      const call = s?.pending
      if (!s || !call) return
      this.setData({ phase: 'spinning', message: '', canRetry: false, prize: null })
      if (!s.hidden) this.cruise()
      call.run().then(
        (result) => this.arrived(call, result),
        (err: unknown) => this.failed(call, err),
      )
    },

    /** Light the next cell, again and again, until the result is known. */
    cruise() {
      const s = this.session()
      if (!s) return
      this.stop()
      const tick = () => {
        this.setData({ active: nextPosition(this.data.active) })
        s.timer = setTimeout(tick, CRUISE_DELAY_MS)
      }
      tick()
    },

    stop() {
      const s = this.session()
      if (s?.timer) clearTimeout(s.timer)
      if (s) s.timer = null
    },

    arrived(call: Retryable<DrawResult>, result: DrawResult) {
      const s = this.session()
      if (!s || s.pending !== call) return
      s.pending = null
      s.result = result
      if (s.hidden) {
        this.finish()
        return
      }
      const target = landingPosition(this.data.active, result.tierIndex, s.tiersByPosition)
      if (target < 0) {
        this.finish()
        return
      }
      this.stop()
      this.play(landingPlan(this.data.active, target), 0)
    },

    play(steps: readonly SpinStep[], i: number) {
      const s = this.session()
      const step = steps[i]
      if (!s || !step) {
        this.finish()
        return
      }
      this.setData({ active: step.position })
      if (i === steps.length - 1) this.finish()
      else s.timer = setTimeout(() => this.play(steps, i + 1), step.delayMs)
    },

    /** Show the result now: the cell of the drawn tier lit, the prize, the chances left. */
    finish() {
      const s = this.session()
      const result = s?.result
      if (!s || !result || this.data.phase !== 'spinning') return
      this.stop()
      const lit = s.tiersByPosition[this.data.active] === result.tierIndex
      const active = lit
        ? this.data.active
        : landingPosition(this.data.active, result.tierIndex, s.tiersByPosition)
      this.setData({
        phase: 'result',
        active,
        prize: toPrizeView(result, s.cost),
        ...this.chancesData(result.chancesLeft),
      })
    },

    failed(call: Retryable<DrawResult>, err: unknown) {
      const s = this.session()
      if (!s || s.pending !== call) return
      this.stop()
      const e = toServiceError(err)
      if (isCampaignUnavailable(e)) {
        s.pending = null
        this.setData({ phase: 'closed', ...drawClosed(e), active: -1 })
        return
      }
      const canRetry = isTransient(e)
      // Anything else (no chances left, a refused request) is refused again: the intent is over.
      if (!canRetry) s.pending = null
      this.setData({ phase: 'failed', message: e.message, canRetry, active: -1 })
    },

    onHide() {
      const s = this.session()
      if (!s) return
      s.hidden = true
      if (this.data.phase !== 'spinning') return
      this.stop()
      // Landing was under way: skip the rest of it.
      if (s.result) this.finish()
    },

    onShow() {
      const s = this.session()
      if (!s) return
      s.hidden = false
      // Still waiting for the server: keep the ring moving.
      if (this.data.phase === 'spinning' && !s.result) this.cruise()
    },

    /** Leaving mid-draw: the draw still completes on the server (see 抽奖记录); nothing to show. */
    onUnload() {
      this.stop()
      sessions.delete(this)
    },

    /** 再抽一次: a new draw, with a new requestId. */
    onAgain() {
      this.onStart()
    },

    /** ✕ on the reveal: back to the grid, the drawn cell still lit; start draws again. */
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
