// 我的志愿服务: the volunteer's memberships (team › station › unit), their share code with its QR,
// today's and total valid/invalid samples against the target, points earned from sharing, the
// poster, forwarding a card that carries the code, pausing the code, and the way in for people
// who have not joined yet (scan or type an invite). Pull down to refresh the counts.
import { toServiceError } from '../../services/service-error'
import {
  ensureMyCode,
  getCodeImage,
  getMe,
  inviteCodeFrom,
  leaveNode,
  setCodeActive,
} from '../../services/volunteer'
import { routes, goHome } from '../../utils/routes'
import { shareTitle, text } from './strings'
import { toVolunteerView, type VolunteerView } from './view'

type Phase = 'loading' | 'ready' | 'error'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    view: null as VolunteerView | null,
    /** QR image URL by code ('' while loading, 'failed' when it could not be fetched). */
    images: {} as Record<string, string>,
    inviteDraft: '',
    inviteError: '',
    busy: false,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    async load(): Promise<void> {
      if (!this.data.view) this.setData({ phase: 'loading', message: '' })
      try {
        const view = toVolunteerView(await getMe())
        this.setData({ phase: 'ready', view })
        await this.loadImages(view)
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    async loadImages(view: VolunteerView): Promise<void> {
      const codes = view.memberships.map((m) => m.code?.code).filter((c): c is string => !!c)
      await Promise.all(
        codes
          .filter((code) => !this.data.images[code] || this.data.images[code] === 'failed')
          .map(async (code) => {
            try {
              const image = await getCodeImage(code)
              this.setData({ [`images.${code}`]: image.url })
            } catch (err) {
              console.warn('[volunteer] code image', toServiceError(err).detail)
              this.setData({ [`images.${code}`]: 'failed' })
            }
          }),
      )
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

    onRetryImage() {
      const view = this.data.view
      if (view) return this.loadImages(view)
      return undefined
    },

    onPoster(e: { currentTarget: { dataset: { node: string } } }) {
      wx.navigateTo({ url: routes.volunteerPoster(e.currentTarget.dataset.node) })
    },

    onManage(e: { currentTarget: { dataset: { node: string } } }) {
      wx.navigateTo({ url: routes.volunteerNode(e.currentTarget.dataset.node) })
    },

    onWallet() {
      wx.navigateTo({ url: routes.wallet })
    },

    async onToggleCode(e: { currentTarget: { dataset: { code: string; active: boolean } } }) {
      const { code, active } = e.currentTarget.dataset
      if (this.data.busy) return
      if (active) {
        const { confirm } = await wx.showModal({
          title: text.pauseConfirmTitle,
          content: text.pauseConfirm,
        })
        if (!confirm) return
      }
      await this.mutate(() => setCodeActive(code, !active).run())
    },

    /** A member without a code (e.g. granted a role before codes existed) makes one. */
    async onMakeCode(e: { currentTarget: { dataset: { node: string } } }) {
      if (this.data.busy) return
      await this.mutate(() => ensureMyCode(e.currentTarget.dataset.node).run())
    },

    async onLeave(e: { currentTarget: { dataset: { node: string } } }) {
      if (this.data.busy) return
      const { confirm } = await wx.showModal({ title: text.leave, content: text.leaveConfirm })
      if (confirm) await this.mutate(() => leaveNode(e.currentTarget.dataset.node).run())
    },

    /** A change, then a fresh view; a refusal is said in a toast and the view stays as it was. */
    async mutate(change: () => Promise<unknown>): Promise<void> {
      this.setData({ busy: true })
      try {
        await change()
        await this.load()
      } catch (err) {
        wx.showToast({ title: toServiceError(err).message, icon: 'none' })
      } finally {
        this.setData({ busy: false })
      }
    },

    onInviteInput(e: { detail: { value: string } }) {
      this.setData({ inviteDraft: e.detail.value ?? '', inviteError: '' })
    },

    onOpenInvite() {
      const code = inviteCodeFrom({ code: this.data.inviteDraft.trim() })
      if (!code) {
        this.setData({ inviteError: text.inviteInvalid })
        return
      }
      wx.navigateTo({ url: routes.volunteerJoin(code) })
    },

    onScanInvite() {
      wx.scanCode({
        success: (res) => {
          // A mini-program code carries its scene in `path` (…?scene=i%3DCODE); a QR its text.
          const scene = /[?&]scene=([^&]+)/.exec(res.path ?? res.result ?? '')?.[1] ?? res.result
          const code = inviteCodeFrom({ scene })
          if (code) wx.navigateTo({ url: routes.volunteerJoin(code) })
          else wx.showToast({ title: text.scanNotInvite, icon: 'none' })
        },
      })
    },

    /** A forwarded card opens home with the code's scene: it attributes as a scanned code does. */
    onShareAppMessage() {
      const own = this.data.view?.memberships.find((m) => m.code?.active)?.code?.code
      return {
        title: shareTitle(this.data.view?.slogan ?? ''),
        path: own ? routes.homeWithScene(`c=${own}`) : routes.home,
      }
    },
  },
})
