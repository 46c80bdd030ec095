// 分享海报: the volunteer's code on a poster with the campaign's slogan and mascot line, their
// display name and station, drawn with Canvas 2D, saved to the album (a refused permission leads
// to the settings, never a dead end) or forwarded as a card that carries the code.
import { toServiceError } from '../../../services/service-error'
import { getCodeImage, getMe } from '../../../services/volunteer'
import { canvasNode, saveCanvasToAlbum } from '../../../utils/canvas'
import { goBack, routes } from '../../../utils/routes'
import { shareTitle } from '../strings'
import { POSTER_HEIGHT, POSTER_WIDTH, posterSteps, type PosterStep } from './layout'
import { text } from './strings'

type Phase = 'loading' | 'ready' | 'error'

/** The part of Canvas 2D (the same as the web's) the poster uses. */
interface Context2D {
  fillStyle: string
  font: string
  textAlign: string
  scale(x: number, y: number): void
  beginPath(): void
  roundRect(x: number, y: number, w: number, h: number, r: number): void
  fill(): void
  fillRect(x: number, y: number, w: number, h: number): void
  fillText(text: string, x: number, y: number): void
  drawImage(image: unknown, x: number, y: number, w: number, h: number): void
}

interface CanvasNode {
  width: number
  height: number
  getContext(kind: '2d'): Context2D
  createImage(): {
    src: string
    onload: (() => void) | null
    onerror: ((e: unknown) => void) | null
  }
}

/** Replays the layout on the canvas, loading images as it goes. */
async function draw(canvas: CanvasNode, steps: PosterStep[], ratio: number): Promise<void> {
  canvas.width = POSTER_WIDTH * ratio
  canvas.height = POSTER_HEIGHT * ratio
  const ctx = canvas.getContext('2d')
  ctx.scale(ratio, ratio)
  for (const s of steps) {
    if (s.kind === 'rect') {
      ctx.fillStyle = s.color
      if (s.radius) {
        ctx.beginPath()
        ctx.roundRect(s.x, s.y, s.w, s.h, s.radius)
        ctx.fill()
      } else ctx.fillRect(s.x, s.y, s.w, s.h)
    } else if (s.kind === 'text') {
      ctx.font = s.font
      ctx.fillStyle = s.color
      ctx.textAlign = s.align
      ctx.fillText(s.text, s.x, s.y)
    } else {
      const image = canvas.createImage()
      await new Promise<void>((resolve, reject) => {
        image.onload = () => resolve()
        image.onerror = reject
        image.src = s.src
      })
      ctx.drawImage(image, s.x, s.y, s.w, s.h)
    }
  }
}

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    nodeId: '',
    code: '',
    slogan: '',
    saving: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      this.setData({ nodeId: query.node ?? '' })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const me = await getMe()
        const m = me.memberships.find((x) => x.node.id === this.data.nodeId && x.code?.active)
        if (!m?.code) throw new Error(text.noCode)
        const image = await getCodeImage(m.code.code).catch(() => null)
        const steps = posterSteps({
          campaignName: me.campaignName,
          slogan: me.slogan,
          displayName: m.displayName,
          pathText: m.path.slice(-2).join(' · '),
          code: m.code.code,
          imageUrl: image?.url ?? null,
        })
        this.setData({ phase: 'ready', code: m.code.code, slogan: me.slogan })
        const canvas = await this.canvas()
        await draw(canvas, steps, wx.getWindowInfo().pixelRatio || 2)
      } catch (err) {
        const message =
          err instanceof Error && err.message === text.noCode
            ? text.noCode
            : toServiceError(err).message
        this.setData({ phase: 'error', message })
      }
    },

    /** The page's canvas node (Canvas 2D: `type="2d"` in the template). */
    canvas(): Promise<CanvasNode> {
      return canvasNode<CanvasNode>(this, '#poster')
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.volunteer)
    },

    async onSave(): Promise<void> {
      if (this.data.saving) return
      this.setData({ saving: true })
      try {
        await saveCanvasToAlbum(await this.canvas(), text)
      } finally {
        this.setData({ saving: false })
      }
    },

    onShareAppMessage() {
      return {
        title: shareTitle(this.data.slogan),
        path: this.data.code ? routes.homeWithScene(`c=${this.data.code}`) : routes.home,
      }
    },
  },
})
