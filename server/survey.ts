// Survey use cases: one response per WeChat user per campaign, sections accepted once, quality
// screening, draw chances and sample statistics written in the same transaction as the answers.
import {
  QUALITY_FLAG_LABELS,
  ERROR_MESSAGES,
  chinaDayKey,
  chinaHourKey,
  counterPaths,
  isParadataOutlier,
  decideSection,
  invalidSectionMessage,
  isRegionAnswer,
  isValidSample,
  isVisible,
  validateSection,
  visibleSections,
  type AnswerValue,
  type FieldError,
  type Paradata,
  type Progress,
  type Questionnaire,
  type QuestionnaireReply,
  type SectionStatus,
  type StartReply,
  type SubmitReply,
  type Version,
  type VersionId,
} from 'wal-core'
import { AppError } from './app-error'
import { sharedReply } from './shared-reply'
import { getDb, isDuplicateKeyError, readDoc } from './db'
import { fingerprintOf, inTransaction } from './idempotency'
import { getOpenApi } from './openapi'
import { currentCampaign, openCampaign, questionnaireFor } from './records/campaigns'
import {
  RESPONSES,
  newResponse,
  responseId,
  type ResponseDoc,
  type SectionRecord,
} from './records/responses'
import { countSample } from './records/stats'
import { creditCodeSample, resolveAttribution } from './share-rewards'

/**
 * Re-runs of a submission after a transaction conflict. Conflicts are expected: every submission
 * ends on one of STAT_SHARDS counter documents, so a burst of concurrent respondents meets on
 * them; each re-run reads the latest state and usually commits at once.
 */
const SUBMIT_CONFLICT_RETRIES = 10

/** Rejected requestIds remembered per section (a retry of one is not a second attempt). */
const REJECTED_REMEMBERED = 10

const cmd = () => getDb().command

function versionOf(q: Questionnaire, id: VersionId): Version {
  const v = q.versions.find((x) => x.id === id)
  if (!v) throw new AppError('NOT_FOUND', `this campaign has no ${id} version`)
  return v
}

function chanceCap(q: Questionnaire, version: VersionId): number {
  return q.chances[version].cap // checked with the questionnaire when it was loaded
}

export function buildProgress(
  q: Questionnaire,
  campaignId: string,
  resp: ResponseDoc | null,
): Progress {
  if (!resp) {
    return {
      started: false,
      campaignId,
      version: null,
      sections: [],
      chancesTotal: 0,
      chancesCap: 0,
      nextSectionId: null,
    }
  }
  const version = versionOf(q, resp.version)
  const mainDone = version.sections[0]!.id in resp.sections
  const sections = visibleSections(version, resp.answers).map((s) => ({
    id: s.id,
    kind: s.kind,
    title: s.title,
    status: (resp.sections[s.id]?.status ?? 'todo') as SectionStatus,
  }))
  const next = sections.find((s) => s.status === 'todo' && (s.kind === 'main' || mainDone))
  return {
    started: true,
    campaignId,
    version: resp.version,
    sections,
    chancesTotal: resp.chancesGranted,
    chancesCap: chanceCap(q, resp.version),
    nextSectionId: next?.id ?? null,
  }
}

/** One reply per loaded questionnaire and version (sharedReply: parsed for the wire once). */
const questionnaireReplies = new WeakMap<Questionnaire, Map<string, QuestionnaireReply>>()

export async function getQuestionnaire(version: VersionId, now: Date): Promise<QuestionnaireReply> {
  const campaign = await openCampaign(now)
  const q = await questionnaireFor(campaign.id)
  const replies = questionnaireReplies.get(q) ?? new Map<string, QuestionnaireReply>()
  questionnaireReplies.set(q, replies)
  const key = `${campaign.id}:${version}`
  let reply = replies.get(key)
  if (!reply) {
    reply = sharedReply({
      campaignId: campaign.id,
      version: versionOf(q, version),
      chancesCap: chanceCap(q, version),
    })
    replies.set(key, reply)
  }
  return reply
}

export async function start(
  input: { version: VersionId; scene?: string | undefined },
  openid: string,
  now: Date,
): Promise<StartReply> {
  const campaign = await openCampaign(now)
  const q = await questionnaireFor(campaign.id)
  versionOf(q, input.version)
  const id = responseId(campaign.id, openid)
  const coll = getDb().collection(RESPONSES)
  let resp = await readDoc<ResponseDoc>(coll.doc(id))
  let warning: string | null = null
  if (!resp) {
    const resolved = await resolveAttribution(input.scene, campaign.id, openid, getDb())
    warning = resolved.warning
    const fresh = newResponse(campaign.id, openid, input.version, now, resolved.attribution)
    try {
      // The _id is the (campaign, user) pair: concurrent starts race on one key and one wins.
      await coll.add({ data: fresh })
      resp = fresh
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      resp = await readDoc<ResponseDoc>(coll.doc(id))
      if (!resp) throw err
    }
  }
  if (resp.version !== input.version)
    throw new AppError('VERSION_LOCKED', ERROR_MESSAGES.VERSION_LOCKED)
  return { progress: buildProgress(q, campaign.id, resp), attributionWarning: warning }
}

export async function myResponse(openid: string, now: Date): Promise<Progress> {
  const { campaign } = await currentCampaign(now)
  const q = await questionnaireFor(campaign.id)
  const resp = await readDoc<ResponseDoc>(
    getDb().collection(RESPONSES).doc(responseId(campaign.id, openid)),
  )
  return buildProgress(q, campaign.id, resp)
}

type SubmitOutcome =
  | { kind: 'accepted'; reply: SubmitReply; texts: string[] }
  | { kind: 'rejected'; errors: Record<string, FieldError> }

/** What a requestId was used for: the shared fingerprint of the submission's input. */
function submissionFingerprint(input: {
  sectionId: string
  answers: Record<string, AnswerValue>
  paradata?: Paradata | undefined
}): string {
  const body = {
    sectionId: input.sectionId,
    answers: input.answers,
    paradata: input.paradata ?? null,
  }
  return fingerprintOf(body).slice(0, 32)
}

function mismatch(): AppError {
  return new AppError('IDEMPOTENCY_MISMATCH', ERROR_MESSAGES.IDEMPOTENCY_MISMATCH)
}

export async function submitSection(
  input: {
    sectionId: string
    answers: Record<string, AnswerValue>
    paradata?: Paradata | undefined
    requestId: string
  },
  openid: string,
  now: Date,
): Promise<SubmitReply> {
  const campaign = await openCampaign(now)
  const q = await questionnaireFor(campaign.id)
  const id = responseId(campaign.id, openid)
  const fingerprint = submissionFingerprint(input)
  const refusedKey = `${input.requestId}:${fingerprint}`
  // Exactly once without a `requests` record: the requestId is kept in the response this
  // transaction reads anyway (the accepted section's record, or the section's rejected ids),
  // two database operations fewer per submission than runOnce. A retry after a commit finds it.
  const outcome = await inTransaction<SubmitOutcome>(async (tx) => {
    const _ = cmd()
    const resp = await readDoc<ResponseDoc>(tx.collection(RESPONSES).doc(id))
    if (!resp) throw new AppError('NOT_STARTED', ERROR_MESSAGES.NOT_STARTED)
    // The requestId was used before: the same input gets the first reply, another is refused.
    for (const [sectionId, rec] of Object.entries(resp.sections)) {
      if (rec.requestId !== input.requestId) continue
      if (sectionId !== input.sectionId || (rec.fingerprint && rec.fingerprint !== fingerprint))
        throw mismatch()
      return { kind: 'accepted', texts: [], reply: replyOf(q, campaign.id, resp, sectionId, rec) }
    }
    for (const refused of Object.values(resp.rejectedRequests ?? {})) {
      for (const key of refused) {
        if (key.startsWith(`${input.requestId}:`) && key !== refusedKey) throw mismatch()
      }
    }
    const version = versionOf(q, resp.version)
    const main = version.sections[0]!
    const section = version.sections.find((s) => s.id === input.sectionId)
    const mainDone = main.id in resp.sections
    if (
      !section ||
      (section.kind === 'topic' && !mainDone) ||
      !isVisible(section.visibleIf, resp.answers)
    ) {
      throw new AppError('SECTION_NOT_AVAILABLE', ERROR_MESSAGES.SECTION_NOT_AVAILABLE)
    }
    if (resp.sections[section.id]) throw new AppError('SECTION_DONE', ERROR_MESSAGES.SECTION_DONE)

    const checked = validateSection(section, input.answers, resp.answers)
    if (!checked.ok) {
      // Counted once per request: a retry gets the same errors without a second attempt.
      const refused = resp.rejectedRequests?.[section.id] ?? []
      if (!refused.includes(refusedKey)) {
        await tx
          .collection(RESPONSES)
          .doc(id)
          .update({
            data: {
              rejected: { [section.id]: _.inc(1) },
              rejectedRequests: {
                [section.id]: _.set([...refused, refusedKey].slice(-REJECTED_REMEMBERED)),
              },
            },
          })
      }
      return { kind: 'rejected', errors: checked.errors }
    }

    // The server's own clock is the speed floor: since start, or since the last section.
    const since = Math.max(
      new Date(resp.startedAt).getTime(),
      resp.lastSubmittedAt ? new Date(resp.lastSubmittedAt).getTime() : 0,
    )
    const durationMs = Math.max(0, now.getTime() - since)
    const decision = decideSection(
      {
        section,
        answers: checked.answers,
        shown: checked.shown,
        earlier: resp.answers,
        durationMs,
        rejectedAttempts: resp.rejected?.[section.id] ?? 0,
        paradata: input.paradata,
        mainValid: isValidSample(resp, main.id),
        chancesSoFar: resp.chancesGranted,
        rule: q.chances[resp.version],
      },
      q.quality,
    )
    const record: SectionRecord = {
      status: decision.counts ? 'valid' : 'invalid',
      flags: decision.flags,
      reasons: decision.reasons,
      submittedAt: now,
      durationMs,
      chances: decision.chances,
      requestId: input.requestId,
      fingerprint,
      chancesTotal: resp.chancesGranted + decision.chances,
      signals: decision.signals,
      paradata: input.paradata ?? null,
    }

    let sample = resp.sample
    if (section.kind === 'main') {
      const region = Object.values(checked.answers).find(isRegionAnswer)
      sample = {
        valid: decision.counts,
        provinceCode: region?.provinceCode ?? null,
        cityCode: region?.cityCode ?? null,
      }
    }
    // One value for the merged map: the transaction read the response, so nothing is lost, and
    // the SDK encodes one $set instead of one per question (a third of the update's cost).
    const mergedAnswers = { ...resp.answers, ...checked.answers }
    await tx
      .collection(RESPONSES)
      .doc(id)
      .update({
        data: {
          answers: _.set(mergedAnswers),
          sections: { [section.id]: _.set(record) },
          // A value, not an $inc: the transaction read the total, and commit checks nothing moved.
          chancesGranted: resp.chancesGranted + decision.chances,
          lastSubmittedAt: now,
          sample: _.set(sample),
        },
      })

    // The main section decides the sample: its share code's reward and counters, then (last,
    // records/stats.ts says why) the campaign's counters.
    const day = chinaDayKey(now.getTime())
    if (section.kind === 'main')
      await creditCodeSample(
        tx,
        resp,
        {
          valid: decision.counts,
          day,
          hour: chinaHourKey(now.getTime()),
          provinceCode: sample?.provinceCode ?? null,
          cityCode: sample?.cityCode ?? null,
          paradataOutlier: isParadataOutlier(decision.signals),
        },
        input.requestId,
        now,
      )
    const paths = counterPaths({
      valid: decision.counts,
      day,
      hour: chinaHourKey(now.getTime()),
      ...(section.kind === 'topic' ? { topicId: section.id } : {}),
      ...(sample?.provinceCode ? { provinceCode: sample.provinceCode } : {}),
      ...(sample?.cityCode ? { cityCode: sample.cityCode } : {}),
      ...(resp.attribution.unitId ? { unitId: resp.attribution.unitId } : {}),
      ...(resp.attribution.stationId ? { stationId: resp.attribution.stationId } : {}),
      ...(resp.attribution.teamId ? { teamId: resp.attribution.teamId } : {}),
    })
    await countSample(tx, campaign.id, openid, paths, day)

    const after: ResponseDoc = {
      ...resp,
      answers: mergedAnswers,
      sections: { ...resp.sections, [section.id]: record },
      chancesGranted: resp.chancesGranted + decision.chances,
      lastSubmittedAt: now,
      sample,
    }
    const texts = section.questions
      .filter(
        (qq) =>
          qq.type === 'text' &&
          typeof checked.answers[qq.id] === 'string' &&
          checked.answers[qq.id] !== '',
      )
      .map((qq) => qq.id)
    return { kind: 'accepted', texts, reply: replyOf(q, campaign.id, after, section.id, record) }
  }, SUBMIT_CONFLICT_RETRIES)

  if (outcome.kind === 'rejected') {
    throw new AppError('VALIDATION_FAILED', ERROR_MESSAGES.VALIDATION_FAILED, {
      errors: outcome.errors,
    })
  }
  // Outside the transaction (it may have run more than once): the content-security check of open
  // answers. Risky text stays stored, flagged, never shown; a failed check leaves it unchecked.
  if (outcome.texts.length > 0) await checkTexts(id, openid, input.answers, outcome.texts, now)
  return outcome.reply
}

/** The reply to an accepted section, from its record (also what a retry of it gets). */
function replyOf(
  q: Questionnaire,
  campaignId: string,
  resp: ResponseDoc,
  sectionId: string,
  record: SectionRecord,
): SubmitReply {
  const valid = record.status === 'valid'
  const kind = sectionId === versionOf(q, resp.version).sections[0]!.id ? 'main' : 'topic'
  return {
    sectionId,
    valid,
    flags: record.flags,
    message: valid ? null : invalidSectionMessage(kind, record.flags),
    checks: record.flags.map((f) => QUALITY_FLAG_LABELS[f] ?? '作答异常'),
    chancesGranted: record.chances,
    chancesTotal: record.chancesTotal ?? resp.chancesGranted,
    progress: buildProgress(q, campaignId, resp),
  }
}

async function checkTexts(
  id: string,
  openid: string,
  answers: Record<string, AnswerValue>,
  questionIds: string[],
  now: Date,
): Promise<void> {
  const _ = cmd()
  for (const qid of questionIds) {
    const content = String(answers[qid] ?? '').trim()
    try {
      const result = await getOpenApi().checkContent({ content, openid })
      await getDb()
        .collection(RESPONSES)
        .doc(id)
        .update({
          data: {
            contentChecks: {
              [qid]: _.set({ suggest: result.suggest, label: result.label, checkedAt: now }),
            },
          },
        })
    } catch (err) {
      console.error(`[survey] content check of ${qid} failed; left unchecked`, err)
    }
  }
}
