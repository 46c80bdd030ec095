// Section complete (提交结果): whether the section counted, the draw chances it earned and the
// total, then the way on: the next topic, the list of all sections, the draw (once there are
// chances) or home. Right after a submit the page shows that submit's reply; opened any other way it asks
// the server for the progress.
import type { Progress, VersionId } from 'wal-core'
import { toServiceError } from '../../../services/service-error'
import { myResponse } from '../../../services/survey'
import { goHome, routes, sectionFrom, versionFrom } from '../../../utils/routes'
import { takeSubmitReply } from '../../../utils/survey-store'
import { earned, statusLabel, text, total } from './strings'
import { inviteCard } from '../../../utils/share'

type Phase = 'loading' | 'ready' | 'error'

interface SectionEntry {
  id: string
  title: string
  status: keyof typeof statusLabel
  statusText: string
  /** A section still to answer, and open to answering now. */
  open: boolean
}

interface DoneView {
  valid: boolean
  /** A fresh submit: its chances and message are known. */
  fresh: boolean
  title: string
  message: string
  earnedText: string
  totalText: string
  /** Chances have been earned: 去抽奖 leads to the draw hub. */
  canDraw: boolean
  nextSectionId: string
  nextTitle: string
  sections: SectionEntry[]
}

function toView(
  progress: Progress,
  sectionId: string,
  submit: { valid: boolean; message: string | null; chancesGranted: number } | null,
): DoneView {
  const status = progress.sections.find((s) => s.id === sectionId)?.status ?? 'valid'
  const valid = submit ? submit.valid : status !== 'invalid'
  const mainDone = progress.sections.some((s) => s.kind === 'main' && s.status !== 'todo')
  const next = progress.sections.find((s) => s.id === progress.nextSectionId)
  return {
    valid,
    fresh: submit !== null,
    title: submit ? (valid ? text.validTitle : text.invalidTitle) : text.submittedTitle,
    message: submit?.message ?? '',
    earnedText: submit ? earned(submit.chancesGranted) : '',
    totalText: total(progress.chancesTotal, progress.chancesCap),
    canDraw: progress.chancesTotal > 0,
    nextSectionId: next?.id ?? '',
    nextTitle: next?.title ?? '',
    sections: progress.sections.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      statusText: statusLabel[s.status],
      open: s.status === 'todo' && (s.kind === 'main' || mainDone),
    })),
  }
}

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    version: '' as VersionId | '',
    sectionId: '',
    showTopics: false,
    view: null as DoneView | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const version = versionFrom(query.version)
      const sectionId = sectionFrom(query.section)
      if (!version || !sectionId) {
        goHome()
        return Promise.resolve()
      }
      this.setData({ version, sectionId })
      const reply = takeSubmitReply(sectionId)
      if (reply) {
        this.setData({ phase: 'ready', view: toView(reply.progress, sectionId, reply) })
        return Promise.resolve()
      }
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const progress = await myResponse()
        this.setData({ phase: 'ready', view: toView(progress, this.data.sectionId, null) })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },

    onNext() {
      const version = versionFrom(this.data.version)
      const next = this.data.view?.nextSectionId
      if (version && next) wx.redirectTo({ url: routes.section(version, next) })
    },

    onToggleTopics() {
      this.setData({ showTopics: !this.data.showTopics })
    },

    onOpenSection(e: { currentTarget: { dataset: { id: string; open: boolean } } }) {
      const version = versionFrom(this.data.version)
      const { id, open } = e.currentTarget.dataset
      if (version && open) wx.redirectTo({ url: routes.section(version, id) })
    },

    onDraw() {
      if (this.data.view?.canDraw) wx.navigateTo({ url: routes.drawHub })
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
