// One questionnaire section (the main questionnaire or a topic, 专题) on one scrolling page, with
// a sticky progress header. Answers are checked on the device with core's validateSection before
// anything is sent, kept as a draft on every change, and submitted once (retries reuse the
// requestId). See docs/survey-ux.md for why a section scrolls rather than showing one question
// per screen.
import {
  otherKey,
  validateSection,
  type AllAnswers,
  type AnswerValue,
  type FieldError,
  type Paradata,
  type Section,
  type SubmitReply,
  type VersionId,
} from 'wal-core'
import type { Retryable } from '../../../services/call'
// A code names its own message: toServiceError(code) would read the code as a thrown error.
import { ServiceError, toServiceError } from '../../../services/service-error'
import {
  fieldErrorsOf,
  getQuestionnaire,
  myResponse,
  submitSection,
} from '../../../services/survey'
import { goHome, routes, sectionFrom, versionFrom } from '../../../utils/routes'
import {
  addSubmitted,
  clearDraft,
  compactAnswers,
  loadDraft,
  loadSubmitted,
  rememberSubmitReply,
  saveDraft,
  type DraftAnswers,
} from '../../../utils/survey-store'
import { answeredOf, finishedDescription, partOf, text } from './strings'
import {
  buildItems,
  firstError,
  itemChanges,
  progressOf,
  withAnswers,
  withErrors,
  type Item,
} from './view'

type Phase = 'loading' | 'ready' | 'error' | 'closed' | 'finished' | 'submitted' | 'unavailable'

/** What the page holds besides what it renders. */
interface Session {
  campaignId: string
  version: VersionId
  section: Section
  earlier: AllAnswers
  answers: DraftAnswers
  /** The submit in flight or failed: re-sent as is (same requestId) while the answers stay. */
  pending: { key: string; call: Retryable<SubmitReply> } | null
  /** When the section appeared, and per question its first answer and changes (paradata). */
  shownAt: number
  touched: Paradata['questions']
}

/** What the page measured, sent with the submission (recorded for review, core/quality.ts). */
function paradataOf(session: Session, at: number): Paradata {
  return {
    visibleMs: Math.max(0, Math.round(at - session.shownAt)),
    questions: { ...session.touched },
  }
}

const sessions = new WeakMap<object, Session>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    version: '' as VersionId | '',
    /** The section asked for in the query ('' for the next one), kept for 重试. */
    requested: '',
    title: '',
    intro: '',
    partText: '',
    answeredText: '',
    percent: 0,
    restored: false,
    items: [] as Item[],
    submitting: false,
    submitError: '',
    nextSectionId: '',
    finishedText: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      return this.load(versionFrom(query.version), sectionFrom(query.section))
    },

    session(): Session | undefined {
      return sessions.get(this)
    },

    async load(version: VersionId | null, requested: string | null): Promise<void> {
      if (!version) {
        this.setData({ phase: 'unavailable', message: '' })
        return
      }
      this.setData({ phase: 'loading', version, requested: requested ?? '', message: '' })
      try {
        const [reply, progress] = await Promise.all([getQuestionnaire(version), myResponse()])
        if (!progress.started) {
          // Consent and `start` come first; the consent page brings the respondent back here.
          wx.redirectTo({ url: routes.consent(version) })
          return
        }
        if (progress.version !== version) {
          this.setData({
            phase: 'unavailable',
            message: new ServiceError('VERSION_LOCKED').message,
          })
          return
        }
        const sectionId = requested ?? progress.nextSectionId
        if (!sectionId) {
          this.setData({
            phase: 'finished',
            finishedText: finishedDescription(progress.chancesTotal),
          })
          return
        }
        const index = progress.sections.findIndex((s) => s.id === sectionId)
        const entry = progress.sections[index]
        const section = reply.version.sections.find((s) => s.id === sectionId)
        if (!entry || !section) {
          this.setData({
            phase: 'unavailable',
            message: new ServiceError('SECTION_NOT_AVAILABLE').message,
          })
          return
        }
        if (entry.status !== 'todo') {
          this.setData({ phase: 'submitted', nextSectionId: progress.nextSectionId ?? '' })
          return
        }
        const earlier = loadSubmitted(reply.campaignId, version)
        const answers: DraftAnswers = loadDraft(reply.campaignId, version, section.id)
        sessions.set(this, {
          campaignId: reply.campaignId,
          version,
          section,
          earlier,
          answers,
          pending: null,
          shownAt: Date.now(),
          touched: {},
        })
        const items = buildItems(section, answers, earlier)
        this.setData({
          phase: 'ready',
          title: section.title,
          intro: section.intro ?? '',
          partText: partOf(index + 1, progress.sections.length),
          restored: Object.keys(answers).length > 0,
          items,
          ...this.progressData(items),
        })
      } catch (err) {
        const e = toServiceError(err)
        if (e.code === 'CAMPAIGN_CLOSED') this.setData({ phase: 'closed' })
        else this.setData({ phase: 'error', message: e.message })
      }
    },

    progressData(items: readonly Item[]) {
      const { answered, total } = progressOf(items)
      return {
        answeredText: answeredOf(answered, total),
        percent: total === 0 ? 0 : Math.round((answered / total) * 100),
      }
    },

    /** A question reported a change: keep it, save the draft, re-apply display logic. */
    onAnswer(e: { detail: { key: string; value: AnswerValue | null } }) {
      const session = this.session()
      if (!session) return
      const { key, value } = e.detail
      session.answers = { ...session.answers, [key]: value }
      const changedId = this.data.items.find((i) => i.id === key || otherKey(i.id) === key)?.id
      if (changedId) {
        const seen = session.touched[changedId]
        session.touched[changedId] = seen
          ? { firstMs: seen.firstMs, changes: seen.changes + 1 }
          : { firstMs: Math.max(0, Math.round(Date.now() - session.shownAt)), changes: 0 }
      }
      this.update(
        withAnswers(
          session.section,
          this.data.items,
          session.answers,
          session.earlier,
          changedId ?? null,
        ),
      )
      saveDraft(session.campaignId, session.version, session.section.id, session.answers)
    },

    /** Render `next` by sending only what changed (a section has up to 30 questions). */
    update(next: Item[]) {
      this.setData({ ...itemChanges(this.data.items, next), ...this.progressData(next) })
    },

    showErrors(errors: Readonly<Record<string, FieldError>>, message: string) {
      this.update(withErrors(this.data.items, errors))
      const first = firstError(this.data.items, errors)
      if (first) wx.pageScrollTo({ selector: `#item-${first}`, duration: 300 })
      wx.showToast({ title: message, icon: 'none', duration: 2500 })
    },

    async onSubmit(): Promise<void> {
      const session = this.session()
      if (!session || this.data.submitting) return
      const checked = validateSection(
        session.section,
        compactAnswers(session.answers),
        session.earlier,
      )
      if (!checked.ok) {
        this.showErrors(checked.errors, text.fixErrors)
        return
      }
      this.update(withErrors(this.data.items, {}))
      const key = JSON.stringify(checked.answers)
      if (!session.pending || session.pending.key !== key) {
        session.pending = {
          key,
          call: submitSection(session.section.id, checked.answers, paradataOf(session, Date.now())),
        }
      }
      this.setData({ submitting: true, submitError: '' })
      const { campaignId, version, section } = session
      try {
        const reply = await session.pending.call.run()
        session.pending = null
        clearDraft(campaignId, version, section.id)
        addSubmitted(campaignId, version, checked.answers)
        rememberSubmitReply(reply)
        this.setData({ submitting: false })
        wx.redirectTo({ url: routes.done(version, section.id) })
      } catch (err) {
        const e = toServiceError(err)
        this.setData({ submitting: false })
        switch (e.code) {
          case 'VALIDATION_FAILED':
            // The server remembered this rejection under the requestId: a changed answer needs a
            // new request, and an unchanged one would be rejected again.
            session.pending = null
            this.showErrors(fieldErrorsOf(e) ?? {}, e.message)
            break
          case 'SECTION_DONE':
            clearDraft(campaignId, version, section.id)
            wx.redirectTo({ url: routes.done(version, section.id) })
            break
          case 'CAMPAIGN_CLOSED':
            this.setData({ phase: 'closed' })
            break
          case 'NOT_STARTED':
          case 'SECTION_NOT_AVAILABLE':
          case 'VERSION_LOCKED':
            this.setData({ phase: 'unavailable', message: e.message })
            break
          default:
            // Network, timeout, a busy server: the answers stay, 重新提交 re-sends the same request.
            this.setData({ submitError: e.message })
        }
      }
    },

    onRetry() {
      const version = versionFrom(this.data.version)
      return this.load(version, sectionFrom(this.data.requested))
    },

    onNext() {
      const version = versionFrom(this.data.version)
      if (version) wx.redirectTo({ url: routes.section(version, this.data.nextSectionId) })
    },

    onHome() {
      goHome()
    },
  },
})
