// Privacy notice (个人信息收集与使用说明) before the first answer. Agreeing is stored on the device;
// then the response is started in the chosen version (with the share-code scene, if any) and the
// respondent goes to the next section to answer.
import type { StartReply, VersionId } from 'wal-core'
import type { Retryable } from '../../../services/call'
import { toServiceError } from '../../../services/service-error'
import { startSurvey } from '../../../services/survey'
import { goHome, routes, versionFrom } from '../../../utils/routes'
import { hasConsented, recordConsent } from '../../../utils/survey-store'
import { notice, text } from './strings'
import { inviteCard } from '../../../utils/share'

type Phase = 'ready' | 'starting' | 'error' | 'closed' | 'invalid'

// The start in flight or failed: 重试 re-sends it with the same requestId.
const pendingStarts = new WeakMap<object, Retryable<StartReply>>()

Component({
  data: {
    text,
    notice,
    phase: 'ready' as Phase,
    version: '' as VersionId | '',
    agreed: false,
    message: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const version = versionFrom(query.version)
      if (!version) {
        this.setData({ phase: 'invalid', message: text.badVersion })
        return
      }
      // Someone who agreed before (and was interrupted) finds the box ticked.
      this.setData({ version, agreed: hasConsented() })
    },

    onAgreeChange(e: { detail: { checked: boolean } }) {
      this.setData({ agreed: e.detail.checked })
    },

    async onStart(): Promise<void> {
      const version = versionFrom(this.data.version)
      if (!version || this.data.phase === 'starting') return
      if (!this.data.agreed) {
        wx.showToast({ title: text.mustAgree, icon: 'none' })
        return
      }
      recordConsent(new Date().toISOString())
      let start = pendingStarts.get(this)
      if (!start) {
        start = startSurvey(version)
        pendingStarts.set(this, start)
      }
      this.setData({ phase: 'starting', message: '' })
      try {
        const reply = await start.run()
        pendingStarts.delete(this)
        this.setData({ phase: 'ready' })
        wx.redirectTo({ url: routes.section(version, reply.progress.nextSectionId) })
      } catch (err) {
        const e = toServiceError(err)
        if (e.code === 'CAMPAIGN_CLOSED') {
          this.setData({ phase: 'closed' })
          return
        }
        // VERSION_LOCKED will not change on a retry; everything else may.
        if (e.code === 'VERSION_LOCKED') pendingStarts.delete(this)
        this.setData({ phase: 'error', message: e.message })
      }
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
