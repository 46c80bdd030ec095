// A fake backend behind wx.request that answers the campaign and survey functions from the real
// questionnaire (campaigns/2024/questionnaire.json) with core's own rules, the way the cloud
// function does. Tests can make the next call fail or answer it themselves.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ERROR_MESSAGES,
  chancesForSection,
  ok,
  questionnaireSchema,
  validateSection,
  visibleSections,
  type Envelope,
  type Progress,
  type Questionnaire,
  type SectionAnswers,
  type SubmitReply,
  type Version,
  type VersionId,
} from 'wal-core'
import { campaign2024 } from './campaigns'
import { FakeBackend, failWith, type Reply, type ScriptedAnswer } from './fake-backend'

export const questionnaire: Questionnaire = questionnaireSchema.parse(
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../campaigns/2024/questionnaire.json'), 'utf8'),
  ),
)

export function versionOf(id: VersionId): Version {
  return questionnaire.versions.find((v) => v.id === id)!
}

export class SurveyBackend extends FakeBackend {
  version: VersionId | null = null
  answers: SectionAnswers = {}
  statuses: Record<string, 'valid' | 'invalid'> = {}
  chances = 0
  private readonly replies = new Map<string, Envelope<unknown>>()

  protected answer(
    name: string,
    event: Record<string, unknown>,
    override: ScriptedAnswer | undefined,
    { succeed, fail }: Reply,
  ): void {
    // Answer asynchronously, as the network does.
    void Promise.resolve().then(() => {
      if (override && 'networkError' in override) {
        fail(override.networkError)
        return
      }
      succeed(override ? override.envelope : this.handle(name, event))
    })
  }

  /** Start a response in `version` with these sections already answered. */
  startedIn(version: VersionId, done: Record<string, SectionAnswers> = {}): this {
    this.version = version
    for (const [id, answers] of Object.entries(done)) this.accept(id, answers)
    return this
  }

  actions(name = 'survey'): string[] {
    return this.sent.filter((s) => s.name === name).map((s) => String(s.event.action))
  }

  progress(): Progress {
    if (!this.version) {
      return {
        started: false,
        campaignId: 'wal-2024',
        version: null,
        sections: [],
        chancesTotal: 0,
        chancesCap: 0,
        nextSectionId: null,
      }
    }
    const sections = visibleSections(versionOf(this.version), this.answers).map((s) => ({
      id: s.id,
      kind: s.kind,
      title: s.title,
      status: this.statuses[s.id] ?? ('todo' as const),
    }))
    const mainDone = 'main' in this.statuses
    return {
      started: true,
      campaignId: 'wal-2024',
      version: this.version,
      sections,
      chancesTotal: this.chances,
      chancesCap: questionnaire.chances[this.version].cap,
      nextSectionId:
        sections.find((s) => s.status === 'todo' && (s.kind === 'main' || mainDone))?.id ?? null,
    }
  }

  private accept(sectionId: string, answers: SectionAnswers): number {
    const section = versionOf(this.version!).sections.find((s) => s.id === sectionId)!
    this.answers = { ...this.answers, ...answers }
    this.statuses[sectionId] = 'valid'
    const granted = chancesForSection(
      questionnaire.chances[this.version!],
      section.kind,
      true,
      this.chances,
    )
    this.chances += granted
    return granted
  }

  private handle(name: string, event: Record<string, unknown>): Envelope<unknown> {
    if (name === 'campaign') return ok(campaign2024)
    switch (event.action) {
      case 'getQuestionnaire': {
        const version = event.version as VersionId
        return ok({
          campaignId: 'wal-2024',
          version: versionOf(version),
          chancesCap: questionnaire.chances[version].cap,
        })
      }
      case 'myResponse':
        return ok(this.progress())
      case 'start': {
        if (this.version && this.version !== event.version) {
          return failWith('VERSION_LOCKED', ERROR_MESSAGES.VERSION_LOCKED)
        }
        this.version = event.version as VersionId
        return ok({ progress: this.progress(), attributionWarning: null })
      }
      case 'submitSection':
        return this.submit(event)
      default:
        return failWith('UNKNOWN_ACTION', String(event.action))
    }
  }

  private submit(event: Record<string, unknown>): Envelope<unknown> {
    const requestId = String(event.requestId)
    const repeat = this.replies.get(requestId)
    if (repeat) return repeat
    if (!this.version) return failWith('NOT_STARTED', '请先开始答题')
    const sectionId = String(event.sectionId)
    const section = versionOf(this.version).sections.find((s) => s.id === sectionId)
    if (!section) return failWith('SECTION_NOT_AVAILABLE', '该部分暂不可作答')
    if (this.statuses[sectionId]) return failWith('SECTION_DONE', '该部分已提交')
    const checked = validateSection(section, event.answers as SectionAnswers, this.answers)
    const reply: Envelope<unknown> = checked.ok
      ? ok(this.submitted(sectionId, checked.answers))
      : failWith('VALIDATION_FAILED', 'validation failed', { errors: checked.errors })
    this.replies.set(requestId, reply)
    return reply
  }

  private submitted(sectionId: string, answers: SectionAnswers): SubmitReply {
    const granted = this.accept(sectionId, answers)
    return {
      sectionId,
      valid: true,
      flags: [],
      message: null,
      checks: [],
      chancesGranted: granted,
      chancesTotal: this.chances,
      progress: this.progress(),
    }
  }
}
