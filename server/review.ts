// The committee's review of a sample (复核): a sample found invalid after it was counted valid is
// marked so, its counters move from valid to invalid, and every reward that hung on it is taken
// back by entries — the share reward by a `reversal` on the code owner's account (a debt if it
// was spent), the override by taking its accrual back (the next settlement posts the reversal).
// Draw chances the respondent already received stay: they were spent on draws whose prizes are
// records of their own (docs/rules.md).
import {
  STAT_SHARDS,
  chinaDayKey,
  counterPaths,
  sampleRewards,
  shardOf,
  statShardId,
} from 'wal-core'
import { AppError } from './app-error'
import { getDb, readDoc, type Transaction } from './db'
import { runOnce } from './idempotency'
import { accountInTx, postEntry } from './ledger'
import { questionnaireFor } from './records/campaigns'
import { RESPONSES, type ResponseDoc } from './records/responses'
import { hasRole } from './records/roles'
import { STAT_SHARDS_COLLECTION, bumpBy, moveAttributedSampleToInvalid } from './records/stats'

/** Move one sample's campaign counters from valid to invalid in its respondent's shard. */
async function moveCampaignCounters(
  tx: Transaction,
  resp: ResponseDoc,
  day: string,
): Promise<void> {
  const facts = {
    day,
    ...(resp.sample?.provinceCode ? { provinceCode: resp.sample.provinceCode } : {}),
    ...(resp.sample?.cityCode ? { cityCode: resp.sample.cityCode } : {}),
    ...(resp.attribution.unitId ? { unitId: resp.attribution.unitId } : {}),
    ...(resp.attribution.stationId ? { stationId: resp.attribution.stationId } : {}),
    ...(resp.attribution.teamId ? { teamId: resp.attribution.teamId } : {}),
  }
  const amounts: Record<string, number> = {}
  for (const p of counterPaths({ ...facts, valid: true })) amounts[p] = -1
  for (const p of counterPaths({ ...facts, valid: false })) amounts[p] = 1
  // Topics counted valid only because the main part was: they are invalid now too.
  for (const [id, rec] of Object.entries(resp.sections)) {
    if (id === 'main' || rec.status !== 'valid') continue
    amounts[`topics.${id}.valid`] = -1
    amounts[`topics.${id}.invalid`] = 1
  }
  const shard = shardOf(resp.openid, STAT_SHARDS)
  await bumpBy(tx, STAT_SHARDS_COLLECTION, statShardId(resp.campaignId, shard), amounts, {
    campaignId: resp.campaignId,
    shard,
  })
}

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
  // The main section's id from the questionnaire (the version is fixed at start, so a read
  // before the transaction names the same section the transaction sees).
  const before = await readDoc<ResponseDoc>(getDb().collection(RESPONSES).doc(input.responseId))
  if (!before) throw new AppError('NOT_FOUND', '没有这份样本')
  const q = await questionnaireFor(before.campaignId)
  const mainId = q.versions.find((v) => v.id === before.version)?.sections[0]?.id ?? 'main'
  return runOnce(
    { requestId: input.requestId, scope: 'survey.invalidateSample', input },
    async (tx) => {
      const resp = await readDoc<ResponseDoc>(tx.collection(RESPONSES).doc(input.responseId))
      if (!resp) throw new AppError('NOT_FOUND', '没有这份样本')
      const main = resp.sections[mainId]
      if (!resp.sample?.valid || !main)
        throw new AppError('NO_TRANSITION', '这份样本已是无效样本，无需复核为无效')
      const day = chinaDayKey(new Date(main.submittedAt).getTime())
      const _ = getDb().command
      const sections: Record<string, unknown> = {}
      for (const [id, rec] of Object.entries(resp.sections))
        if (rec.status === 'valid') sections[id] = _.set({ ...rec, status: 'invalid' })
      await tx
        .collection(RESPONSES)
        .doc(resp._id)
        .update({
          data: {
            sample: _.set({ ...resp.sample, valid: false }),
            sections,
            review: _.set({ outcome: 'invalid', reason: input.reason, by: openid, at: now }),
          },
        })
      const a = resp.attribution
      const rewards = sampleRewards(a)
      if (rewards.shareRewardTo) {
        const account = await accountInTx(tx, rewards.shareRewardTo, now)
        await postEntry(tx, account, {
          id: `rv:sr:${resp._id}`,
          kind: 'reversal',
          amount: -1,
          ref: resp._id,
          requestId: input.requestId,
          memo: `复核无效：${input.reason}`,
          now,
        })
      }
      if (a.code) {
        await moveAttributedSampleToInvalid(tx, resp.campaignId, resp.openid, a, {
          valid: true,
          day,
          overrideTo: rewards.overrideTo,
          overrideRate: rewards.overrideRate,
        })
      }
      await moveCampaignCounters(tx, resp, day)
      return {
        responseId: resp._id,
        reversed: {
          shareReward: rewards.shareRewardTo !== null,
          overrideNodeId: rewards.overrideTo,
        },
      }
    },
  )
}
