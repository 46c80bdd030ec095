// Survey use cases: one response per WeChat user per campaign, sections accepted once, quality
// screening, draw chances and sample statistics written in the same transaction as the answers.
import { createHash } from 'node:crypto'
import {
  CODE_STAT_SHARDS,
  QUALITY_FLAG_LABELS,
  STAT_SHARDS,
  SURVEY_ERRORS,
  chinaDayKey,
  decideSection,
  invalidSectionMessage,
  isValidSample,
  countInto,
  counterPaths,
  isRegionAnswer,
  isVisible,
  pickCurrentCampaign,
  shardOf,
  statShardId,
  validateSection,
  visibleSections,
  type AnswerValue,
  type CampaignConfig,
  type Paradata,
  type Progress,
  type QualityFlag,
  type QualitySignals,
  type Questionnaire,
  type SectionStatus,
  type StartReply,
  type SubmitReply,
  type QuestionnaireReply,
  type Version,
  type VersionId,
  type FieldError,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb, isDuplicateKeyError, readDoc, type Transaction } from './db'
import { inTransaction } from './idempotency'
import { getOpenApi } from './openapi'
import { cachedCampaigns, questionnaireFor } from './questionnaires'

export const RESPONSES = 'responses'
export const STAT_SHARDS_COLLECTION = 'statShards'
export const CODE_STATS = 'codeStats'
export const SHARE_CODES = 'shareCodes'

interface SectionRecord {
  /** Whether the section counts as valid: its own screening and the valid-sample rule (core). */
  status: 'valid' | 'invalid'
  flags: QualityFlag[]
  reasons: Partial<Record<QualityFlag, string>>
  submittedAt: Date
  durationMs: number
  /** Draw chances this section granted (0 when invalid): a grant of the chance ledger. */
  chances: number
  /** The submission that was accepted: the same requestId again gets the same reply. */
  requestId?: string
  /** Fingerprint of that submission's input: the same requestId with another input is refused. */
  fingerprint?: string
  /** Recorded for review, never a reason on their own (paradata, refused attempts). */
  signals?: QualitySignals
  /** The client's paradata as sent (bounded by the input schema). */
  paradata?: Paradata | null
  /** The respondent's chances after this section (the reply's chancesTotal). */
  chancesTotal?: number
}

/**
 * Re-runs of a submission after a transaction conflict. Conflicts are expected: every submission
 * ends on one of STAT_SHARDS counter documents, so a burst of concurrent respondents meets on
 * them; each re-run reads the latest state and usually commits at once.
 */
const SUBMIT_CONFLICT_RETRIES = 10

/** Rejected requestIds remembered per section (a retry of one is not a second attempt). */
const REJECTED_REMEMBERED = 10

export interface ResponseDoc {
  _id: string
  campaignId: string
  openid: string
  version: VersionId
  startedAt: Date
  attribution: {
    scene: string | null
    code: string | null
    unitId: string | null
    stationId: string | null
  }
  /** Answers of every accepted section, by question id (display logic and contradictions use them). */
  answers: Record<string, AnswerValue>
  sections: Record<string, SectionRecord>
  /** Submissions refused by validation, per section (screening: repeated attempts). */
  rejected: Record<string, number>
  /**
   * The last refused submissions per section as `<requestId>:<fingerprint>`, so that retrying one
   * does not count again and reusing its requestId for another input is refused.
   */
  rejectedRequests?: Record<string, string[]>
  /**
   * Draw chances granted by the survey: the sum of `sections[*].chances`. The response is the
   * grant ledger — each accepted section's record is written once and never changed — so a grant
   * needs no write beyond the answers'. The draw spends against it (server/draw.ts:
   * balance = chancesGranted − chanceAccounts.spent).
   */
  chancesGranted: number
  lastSubmittedAt: Date | null
  /** Set by the main questionnaire: whether this response is a valid sample, and where from. */
  sample: { valid: boolean; provinceCode: string | null; cityCode: string | null } | null
  contentChecks?: Record<string, { suggest: string; label: string; checkedAt: Date }>
}

interface ShareCodeDoc {
  _id: string
  campaignId?: string
  unitId?: string
  stationId?: string
  active?: boolean
}

const cmd = () => getDb().command

export function responseId(campaignId: string, openid: string): string {
  return `${campaignId}:${openid}`
}

async function openCampaign(now: Date): Promise<CampaignConfig> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  if (picked.status === 'upcoming') {
    throw new AppError(
      'CAMPAIGN_NOT_STARTED',
      `collection opens at ${picked.campaign.window.startsAt}`,
    )
  }
  if (picked.status === 'closed') {
    throw new AppError('CAMPAIGN_CLOSED', `collection closed at ${picked.campaign.window.endsAt}`)
  }
  return picked.campaign
}

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

export async function getQuestionnaire(version: VersionId, now: Date): Promise<QuestionnaireReply> {
  const campaign = await openCampaign(now)
  const q = await questionnaireFor(campaign.id)
  return {
    campaignId: campaign.id,
    version: versionOf(q, version),
    chancesCap: chanceCap(q, version),
  }
}

/** A share code's attribution; unknown or inactive codes are ignored (never the respondent's problem). */
async function resolveScene(
  scene: string | undefined,
  campaignId: string,
): Promise<{ attribution: ResponseDoc['attribution']; warning: string | null }> {
  const none = { ...NO_ATTRIBUTION, scene: scene ?? null }
  if (!scene) return { attribution: none, warning: null }
  const code = /^[A-Za-z0-9_-]{1,32}$/.test(scene) ? scene : null
  const doc = code ? await readDoc<ShareCodeDoc>(getDb().collection(SHARE_CODES).doc(code)) : null
  if (!doc || doc.active === false || (doc.campaignId && doc.campaignId !== campaignId)) {
    console.warn(`[survey.start] unknown share code ${JSON.stringify(scene)} ignored`)
    return { attribution: none, warning: '未识别的分享码，已按普通方式参与' }
  }
  return {
    attribution: {
      scene,
      code: doc._id,
      unitId: doc.unitId ?? null,
      stationId: doc.stationId ?? null,
    },
    warning: null,
  }
}

/** Opened without a share code (or with one that is not known). */
export const NO_ATTRIBUTION: ResponseDoc['attribution'] = {
  scene: null,
  code: null,
  unitId: null,
  stationId: null,
}

/** The response `start` creates: nothing answered yet, the version fixed from now on. */
export function newResponse(
  campaignId: string,
  openid: string,
  version: VersionId,
  startedAt: Date,
  attribution: ResponseDoc['attribution'] = NO_ATTRIBUTION,
): ResponseDoc {
  return {
    _id: responseId(campaignId, openid),
    campaignId,
    openid,
    version,
    startedAt,
    attribution: { ...attribution },
    answers: {},
    sections: {},
    rejected: {},
    chancesGranted: 0,
    lastSubmittedAt: null,
    sample: null,
  }
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
    const resolved = await resolveScene(input.scene, campaign.id)
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
    throw new AppError('VERSION_LOCKED', SURVEY_ERRORS.VERSION_LOCKED)
  return { progress: buildProgress(q, campaign.id, resp), attributionWarning: warning }
}

export async function myResponse(openid: string, now: Date): Promise<Progress> {
  const picked = pickCurrentCampaign(await cachedCampaigns(), now.getTime())
  if (!picked) throw new AppError('NO_CAMPAIGN', 'no campaign is configured')
  const q = await questionnaireFor(picked.campaign.id)
  const resp = await readDoc<ResponseDoc>(
    getDb().collection(RESPONSES).doc(responseId(picked.campaign.id, openid)),
  )
  return buildProgress(q, picked.campaign.id, resp)
}

/** Increment a counter document, creating it on first use (update reports 0 when it is missing). */
async function bump(
  tx: Transaction,
  collection: string,
  id: string,
  paths: string[],
  initial: Record<string, unknown>,
): Promise<void> {
  // One command for every path: the SDK copies it per field anyway, and each one it builds costs.
  const one = cmd().inc(1)
  const data: Record<string, unknown> = {}
  for (const p of paths) data[p] = one
  const res = (await tx.collection(collection).doc(id).update({ data })) as {
    stats: { updated: number }
  }
  if (res.stats.updated > 0) return
  const doc: Record<string, unknown> = { ...initial }
  countInto(doc, paths)
  await tx.collection(collection).doc(id).set({ data: doc })
}

type SubmitOutcome =
  | { kind: 'accepted'; reply: SubmitReply; texts: string[] }
  | { kind: 'rejected'; errors: Record<string, FieldError> }

/** Sorted-key JSON of a submission's input (requestId aside), hashed: what a requestId was used for. */
function submissionFingerprint(input: {
  sectionId: string
  answers: Record<string, AnswerValue>
  paradata?: Paradata | undefined
}): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v
  const body = {
    sectionId: input.sectionId,
    answers: input.answers,
    paradata: input.paradata ?? null,
  }
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex')
    .slice(0, 32)
}

function mismatch(): AppError {
  return new AppError('IDEMPOTENCY_MISMATCH', SURVEY_ERRORS.IDEMPOTENCY_MISMATCH)
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
    if (!resp) throw new AppError('NOT_STARTED', SURVEY_ERRORS.NOT_STARTED)
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
      throw new AppError('SECTION_NOT_AVAILABLE', SURVEY_ERRORS.SECTION_NOT_AVAILABLE)
    }
    if (resp.sections[section.id]) throw new AppError('SECTION_DONE', SURVEY_ERRORS.SECTION_DONE)

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

    // Statistics: one shard per respondent, one update moving every counter of this sample.
    // Last, because a shard is shared by many respondents: the fewer requests between touching
    // it and the commit, the fewer concurrent submissions conflict on it and run again.
    const paths = counterPaths({
      valid: decision.counts,
      day: chinaDayKey(now.getTime()),
      ...(section.kind === 'topic' ? { topicId: section.id } : {}),
      ...(sample?.provinceCode ? { provinceCode: sample.provinceCode } : {}),
      ...(sample?.cityCode ? { cityCode: sample.cityCode } : {}),
      ...(resp.attribution.unitId ? { unitId: resp.attribution.unitId } : {}),
    })
    const shard = shardOf(openid, STAT_SHARDS)
    await bump(tx, STAT_SHARDS_COLLECTION, statShardId(campaign.id, shard), paths, {
      campaignId: campaign.id,
      shard,
    })
    if (section.kind === 'main' && resp.attribution.code) {
      const code = resp.attribution.code
      const codeShard = shardOf(openid, CODE_STAT_SHARDS)
      await bump(
        tx,
        CODE_STATS,
        `${campaign.id}:${code}:${codeShard}`,
        [decision.counts ? 'valid' : 'invalid'],
        {
          campaignId: campaign.id,
          code,
          shard: codeShard,
          valid: 0,
          invalid: 0,
        },
      )
    }

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
    throw new AppError('VALIDATION_FAILED', SURVEY_ERRORS.VALIDATION_FAILED, {
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

/** The response of a caller, for tests and the organiser tools. */
export async function readResponse(
  campaignId: string,
  openid: string,
): Promise<ResponseDoc | null> {
  return readDoc<ResponseDoc>(getDb().collection(RESPONSES).doc(responseId(campaignId, openid)))
}
