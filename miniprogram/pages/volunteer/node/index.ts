// 组织管理 (a team leader's, station's or unit's admin on the phone): today's and total valid
// samples against the target, each sub-unit's progress, members with their codes' counts and
// signals (pause a code), applications to approve, invites to create (with their QR) or close,
// and the node's override (服务站奖励) with a settle button. Pull down to refresh.
import type { Retryable } from '../../../services/call'
import { toServiceError } from '../../../services/service-error'
import {
  closeInvite,
  createInvite,
  getNodeOverview,
  reviewMember,
  setCodeActive,
  settleOverride,
  transferFromNode,
} from '../../../services/volunteer'
import { goBack, routes } from '../../../utils/routes'
import { text, transferTitle } from './strings'
import { toNodeView, type NodeView } from './view'

type Phase = 'loading' | 'ready' | 'error'

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,47}$/

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    nodeId: '',
    view: null as NodeView | null,
    busy: false,
    /** The invite just created: its code and image, shown until the page reloads. */
    newInvite: null as { code: string; url: string } | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const id = query.id ?? ''
      if (!NODE_ID.test(id)) {
        this.setData({ phase: 'error', message: text.noNode })
        return undefined
      }
      this.setData({ nodeId: id })
      return this.load()
    },

    async load(): Promise<void> {
      if (!this.data.view) this.setData({ phase: 'loading', message: '' })
      try {
        const view = toNodeView(await getNodeOverview(this.data.nodeId))
        wx.setNavigationBarTitle({ title: view.name })
        this.setData({ phase: 'ready', view })
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

    onBack() {
      goBack(routes.volunteer)
    },

    onChild(e: { currentTarget: { dataset: { id: string } } }) {
      wx.navigateTo({ url: routes.volunteerNode(e.currentTarget.dataset.id) })
    },

    /** One change, then fresh numbers; a refusal is said in a toast. */
    async mutate<T>(
      change: Retryable<T>,
      after?: (result: T) => Promise<void> | void,
    ): Promise<void> {
      if (this.data.busy) return
      this.setData({ busy: true })
      try {
        const result = await change.run()
        if (after) await after(result)
        await this.load()
        wx.showToast({ title: text.done, icon: 'success' })
      } catch (err) {
        wx.showToast({ title: toServiceError(err).message, icon: 'none' })
      } finally {
        this.setData({ busy: false })
      }
    },

    onReview(e: {
      currentTarget: { dataset: { member: string; decision: 'approve' | 'reject' } }
    }) {
      const { member, decision } = e.currentTarget.dataset
      return this.mutate(reviewMember(this.data.nodeId, member, decision))
    },

    onToggleCode(e: { currentTarget: { dataset: { code: string; active: boolean } } }) {
      const { code, active } = e.currentTarget.dataset
      return this.mutate(setCodeActive(code, !active))
    },

    onCreateInvite() {
      return this.mutate(
        createInvite({
          nodeId: this.data.nodeId,
          maxUses: 200,
          expiresInDays: 14,
          autoApprove: false,
        }),
        (invite) => {
          this.setData({ newInvite: { code: invite.code, url: invite.image.url } })
        },
      )
    },

    onCloseInvite(e: { currentTarget: { dataset: { code: string } } }) {
      return this.mutate(closeInvite(e.currentTarget.dataset.code), () => {
        if (this.data.newInvite?.code === e.currentTarget.dataset.code)
          this.setData({ newInvite: null })
      })
    },

    /** 转给成员: an amount typed in the modal, then one transfer (same limits as the wallet's). */
    async onTransfer(e: { currentTarget: { dataset: { member: string; name: string } } }) {
      const { member, name } = e.currentTarget.dataset
      const { confirm, content } = await wx.showModal({
        title: transferTitle(name, this.data.view?.balance ?? 0),
        editable: true,
        placeholderText: text.transferPlaceholder,
      })
      if (!confirm) return
      const amount = Number((content ?? '').trim())
      if (!Number.isInteger(amount) || amount < 1) {
        wx.showToast({ title: text.transferBadAmount, icon: 'none' })
        return
      }
      await this.mutate(transferFromNode(this.data.nodeId, member, amount))
    },

    onSettle() {
      return this.mutate(settleOverride(this.data.nodeId))
    },
  },
})
