// 志愿者证书 / 证书查验: a certificate by its number. Its holder sees it drawn whole (Canvas 2D)
// and can save it to the album; anyone else who opens the number (e.g. from a printed
// certificate) sees that it is genuine, with the name masked.
import type { Certificate } from 'wal-core'
import { toServiceError } from '../../../services/service-error'
import { verifyCertificate } from '../../../services/store'
import { canvasNode, saveCanvasToAlbum } from '../../../utils/canvas'
import { goBack, routes } from '../../../utils/routes'
import { CERT_HEIGHT, CERT_WIDTH, certificateSteps, issuedText, type CertStep } from './layout'

type Phase = 'loading' | 'ready' | 'error'

const text = {
  loading: '正在查验证书…',
  loadFailed: '查验失败',
  retry: '重试',
  back: '返回',
  noNumber: '没有证书编号',
  genuine: '证书真实有效',
  holder: '持证人',
  node: '服务组织',
  samples: '有效样本',
  issued: '颁发日期',
  save: '保存到相册',
  saved: '已保存到相册',
  saveFailed: '保存失败，请重试',
  deniedTitle: '需要相册权限',
  deniedContent: '保存证书需要“添加到相册”权限，请在设置中开启后重试。',
  openSetting: '去设置',
}

interface Canvas2D {
  width: number
  height: number
  getContext(kind: '2d'): {
    fillStyle: string
    strokeStyle: string
    lineWidth: number
    font: string
    textAlign: string
    scale(x: number, y: number): void
    fillRect(x: number, y: number, w: number, h: number): void
    strokeRect(x: number, y: number, w: number, h: number): void
    fillText(t: string, x: number, y: number): void
  }
}

function draw(canvas: Canvas2D, steps: CertStep[], ratio: number): void {
  canvas.width = CERT_WIDTH * ratio
  canvas.height = CERT_HEIGHT * ratio
  const ctx = canvas.getContext('2d')
  ctx.scale(ratio, ratio)
  ctx.textAlign = 'center'
  for (const s of steps) {
    if (s.kind === 'rect' && s.stroke) {
      ctx.strokeStyle = s.color
      ctx.lineWidth = 4
      ctx.strokeRect(s.x, s.y, s.w, s.h)
    } else if (s.kind === 'rect') {
      ctx.fillStyle = s.color
      ctx.fillRect(s.x, s.y, s.w, s.h)
    } else {
      ctx.font = s.font
      ctx.fillStyle = s.color
      ctx.fillText(s.text, s.x, s.y)
    }
  }
}

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    number: '',
    cert: null as Certificate | null,
    issued: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const number = (query.no ?? '').trim().toUpperCase()
      if (!number) {
        this.setData({ phase: 'error', message: text.noNumber })
        return undefined
      }
      this.setData({ number })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const cert = await verifyCertificate(this.data.number)
        this.setData({ phase: 'ready', cert, issued: issuedText(cert.issuedAt) })
        const canvas = await this.canvas().catch(() => null)
        if (canvas) draw(canvas, certificateSteps(cert), wx.getWindowInfo().pixelRatio || 2)
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    canvas(): Promise<Canvas2D> {
      return canvasNode<Canvas2D>(this, '#certificate')
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.myRedemptions)
    },

    async onSave(): Promise<void> {
      await saveCanvasToAlbum(await this.canvas(), text)
    },

    onShareAppMessage() {
      return { title: `志愿者证书 ${this.data.number}`, path: routes.certificate(this.data.number) }
    },
  },
})
