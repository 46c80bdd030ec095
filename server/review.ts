// The committee's review of a sample (复核), both ways. Confirm-invalid: a sample counted valid is
// marked invalid, its counters move from valid to invalid, and every reward that hung on it is
// taken back by entries — the share reward by a `reversal` on the code owner's account (a debt if
// it was spent), the override by taking its accrual back (the next settlement posts the
// reversal). Restore-valid is the inverse: the counters move back, the share reward is given
// (a `share_reward` if none was ever given — a sample screened invalid at submission — else a
// `correction` that cancels the reversal) and the override accrues again. Each review is a new
// generation of the sample's review, so its entries have ids of their own. Draw chances stay as
// they are both ways: they were granted (or not) at submission and spent on draws whose prizes
// are records of their own (docs/rules.md).
import { chinaDayKey, chinaHourKey, counterPaths, sampleRewards } from 'wal-core'
import { AppError } from './app-error'
import { getDb, readDoc, type Transaction } from './db'
import { runOnce } from './idempotency'
import { POINT_ENTRIES, accountInTx, postEntry } from './ledger'
import { questionnaireFor } from './records/campaigns'
import { RESPONSES, type ResponseDoc } from './records/responses'
import { hasRole } from './records/roles'
import { moveAttributedSample, moveSampleCounters } from './records/stats'

/** The review a response carries once reviewed. */
export interface ReviewRecord {
  outcome: 'invalid' | 'valid'
  reason: string
  by: string
  at: Date
  /** 1 for the first review, +1 for each later one (entry ids of each review differ). */
  generation?: number
}

type Reviewed = ResponseDoc & { review?: ReviewRecord }

/** Sections a review moves: every section counted the other way that the outcome changes. */
function sectionsToMove(
  resp: ResponseDoc,
  mainId: string,
  toValid: boolean,
): Array<[string, ResponseDoc['sections'][string]]> {
  return Object.entries(resp.sections).filter(([id, rec]) => {
    if (!toValid) return rec.status === 'valid'
    if (rec.status === 'valid') return false
    // Restoring: the main part, and topics whose only fault was the invalid main part.
    return id === mainId || rec.flags.every((f) => f === 'main_invalid')
  })
}

/** Move the campaign counters of the sample and of the sections that change. */
async function moveCampaignCounters(
  tx: Transaction,
  resp: ResponseDoc,
  mainId: string,
  moved: Array<[string, unknown]>,
  toValid: boolean,
  at: number,
): Promise<void> {
  const day = chinaDayKey(at)
  const facts = {
    day,
    hour: chinaHourKey(at),
    ...(resp.sample?.provinceCode ? { provinceCode: resp.sample.provinceCode } : {}),
    ...(resp.sample?.cityCode ? { cityCode: resp.sample.cityCode } : {}),
    ...(resp.attribution.unitId ? { unitId: resp.attribution.unitId } : {}),
    ...(resp.attribution.stationId ? { stationId: resp.attribution.stationId } : {}),
    ...(resp.attribution.teamId ? { teamId: resp.attribution.teamId } : {}),
  }
  const amounts = new Map<string, number>()
  const add = (p: string, n: number) => amounts.set(p, (amounts.get(p) ?? 0) + n)
  for (const p of counterPaths({ ...facts, valid: !toValid })) add(p, -1)
  for (const p of counterPaths({ ...facts, valid: toValid })) add(p, 1)
  const [from, to] = toValid ? ['invalid', 'valid'] : ['valid', 'invalid']
  for (const [id] of moved) {
    if (id === mainId) continue
    add(`topics.${id}.${from}`, -1)
    add(`topics.${id}.${to}`, 1)
  }
  await moveSampleCounters(tx, resp.campaignId, resp.openid, [...amounts], day)
}

export interface ReviewOutcome {
  responseId: string
  valid: boolean
  reversed: { shareReward: boolean; overrideNodeId: string | null }
  /** The sample's review before and after (for the audit log). */
  before: { valid: boolean; review: ReviewRecord | null }
}

/**
 * A review of one sample by the committee (the caller checked the role): `invalid` or `valid`.
 * `who` keys the requestId (the WeChat openid, or `web:<uid>` for a console account).
 * `inTx` runs in the same transaction after the review (the audit entry).
 */
export async function reviewSample(
  input: { responseId: string; reason: string; requestId: string },
  outcome: 'invalid' | 'valid',
  who: { key: string; caller?: string },
  now: Date,
  inTx?: (tx: Transaction, result: ReviewOutcome) => Promise<void>,
): Promise<ReviewOutcome> {
  // The main section's id from the questionnaire (the version is fixed at start, so a read
  // before the transaction names the same section the transaction sees).
  const first = await readDoc<ResponseDoc>(getDb().collection(RESPONSES).doc(input.responseId))
  if (!first) throw new AppError('NOT_FOUND', '没有这份样本')
  const q = await questionnaireFor(first.campaignId)
  const mainId = q.versions.find((v) => v.id === first.version)?.sections[0]?.id ?? 'main'
  const toValid = outcome === 'valid'
  const scope = toValid ? 'survey.restoreSample' : 'survey.invalidateSample'
  return runOnce(
    { requestId: input.requestId, scope, input, ...(who.caller ? { caller: who.caller } : {}) },
    async (tx) => {
      const resp = await readDoc<Reviewed>(tx.collection(RESPONSES).doc(input.responseId))
      if (!resp) throw new AppError('NOT_FOUND', '没有这份样本')
      const main = resp.sections[mainId]
      if (!resp.sample || !main) throw new AppError('NO_TRANSITION', '这份答卷还不是样本')
      if (resp.sample.valid === toValid)
        throw new AppError(
          'NO_TRANSITION',
          toValid ? '这份样本已是有效样本' : '这份样本已是无效样本，无需复核为无效',
        )
      const generation = (resp.review?.generation ?? (resp.review ? 1 : 0)) + 1
      const moved = sectionsToMove(resp, mainId, toValid)
      const _ = getDb().command
      const sections: Record<string, unknown> = {}
      for (const [id, rec] of moved)
        sections[id] = _.set({ ...rec, status: toValid ? 'valid' : 'invalid' })
      const review: ReviewRecord = {
        outcome,
        reason: input.reason,
        by: who.key,
        at: now,
        generation,
      }
      await tx
        .collection(RESPONSES)
        .doc(resp._id)
        .update({
          data: {
            sample: _.set({ ...resp.sample, valid: toValid }),
            sections,
            review: _.set(review),
          },
        })

      const a = resp.attribution
      const rewards = sampleRewards(a)
      const memo = `${toValid ? '复核有效' : '复核无效'}：${input.reason}`
      if (rewards.shareRewardTo) {
        const account = await accountInTx(tx, rewards.shareRewardTo, now)
        const given = await readDoc(tx.collection(POINT_ENTRIES).doc(`sr:${resp._id}`))
        const posting = !toValid
          ? {
              id: generation === 1 ? `rv:sr:${resp._id}` : `rv:sr:${resp._id}:${generation}`,
              kind: 'reversal' as const,
              amount: -1,
            }
          : given
            ? { id: `rs:sr:${resp._id}:${generation}`, kind: 'correction' as const, amount: 1 }
            : { id: `sr:${resp._id}`, kind: 'share_reward' as const, amount: 1 }
        await postEntry(tx, account, {
          ...posting,
          ref: resp._id,
          requestId: input.requestId,
          memo: posting.kind === 'share_reward' ? (a.code ?? memo) : memo,
          now,
        })
      }
      const at = new Date(main.submittedAt).getTime()
      if (a.code) {
        await moveAttributedSample(tx, resp.campaignId, resp.openid, a, {
          valid: !toValid,
          day: chinaDayKey(at),
          hour: chinaHourKey(at),
          provinceCode: resp.sample.provinceCode ?? null,
          cityCode: resp.sample.cityCode ?? null,
          teamId: a.teamId ?? null,
          at: now,
          overrideTo: rewards.overrideTo,
          overrideRate: rewards.overrideRate,
        })
      }
      await moveCampaignCounters(tx, resp, mainId, moved, toValid, at)
      const result: ReviewOutcome = {
        responseId: resp._id,
        valid: toValid,
        reversed: {
          shareReward: !toValid && rewards.shareRewardTo !== null,
          overrideNodeId: toValid ? null : rewards.overrideTo,
        },
        before: { valid: resp.sample.valid, review: resp.review ?? null },
      }
      if (inTx) await inTx(tx, result)
      return result
    },
  )
}

/** The review function's confirm-invalid (a WeChat organiser). */
export async function invalidateSample(
  input: { responseId: string; reason: string; requestId: string },
  openid: string,
  now: Date,
): Promise<{
  responseId: string
  reversed: { shareReward: boolean; overrideNodeId: string | null }
}> {
  if (!(await hasRole(openid, 'organiser')))
    throw new AppError('FORBIDDEN', '只有组委会可以复核样本')
  const r = await reviewSample(input, 'invalid', { key: openid }, now)
  return { responseId: r.responseId, reversed: r.reversed }
}
