// What a share code does to a sample: the chain fixed on the response at start, and — in the
// transaction of the section that decides the sample — the code's and its nodes' counters, the
// owner's share reward and the developing node's override accrual (rules: core/org.ts).
import { ATTRIBUTION_WARNINGS, decideAttribution, parseScene, sampleRewards } from 'wal-core'
import type { Transaction } from './db'
import { accountInTx, postEntry } from './ledger'
import { NO_ATTRIBUTION, type ResponseDoc } from './records/responses'
import { readCode, rewardAccountOf } from './records/share-codes'
import { countAttributedSample } from './records/stats'

type Attribution = ResponseDoc['attribution']

/** The deciding submission's facts the code's and chain's counters need. */
export interface SampleFacts {
  valid: boolean
  /** China-time day (`d20240717`) and hour (`09`). */
  day: string
  hour: string
  provinceCode: string | null
  cityCode: string | null
  paradataOutlier: boolean
}

/** A scene's attribution for a new response; unknown, paused or foreign codes are ignored with a warning. */
export async function resolveAttribution(
  scene: string | undefined,
  campaignId: string,
  openid: string,
  db: Parameters<typeof readCode>[0],
): Promise<{ attribution: Attribution; warning: string | null }> {
  const none = { ...NO_ATTRIBUTION, scene: scene ?? null }
  const target = parseScene(scene)
  const doc = target?.kind === 'share' ? await readCode(db, target.code) : null
  const decision = decideAttribution(scene, doc, campaignId, openid)
  if (!decision.attributed) {
    if (decision.reason === 'none') return { attribution: none, warning: null }
    console.warn(
      `[survey.start] share code ${JSON.stringify((scene ?? '').slice(0, 64))} ignored: ${decision.reason}`,
    )
    return { attribution: none, warning: ATTRIBUTION_WARNINGS[decision.reason] }
  }
  const code = doc!
  const chain = code.chain
  return {
    attribution: {
      scene: scene ?? null,
      code: code._id,
      unitId: chain?.unitId ?? code.unitId ?? null,
      stationId: chain?.stationId ?? code.stationId ?? null,
      teamId: chain?.teamId ?? null,
      nodePath: chain?.nodePath ?? [],
      rewardAccount: rewardAccountOf(code),
      overrideNodeId: chain?.overrideNodeId ?? null,
      overrideRate: chain?.overrideRate ?? 0,
      selfReferral: decision.selfReferral,
    },
    warning: null,
  }
}

/**
 * Inside the transaction that decides a sample (its main section): count it for its code and every
 * node of the code's chain (two writes) and, when it is valid, give the code's owner one point (`share_reward`,
 * id `sr:<response id>`: a second posting for the same sample cannot exist) and accrue the
 * override on the developing node's counter. Nothing happens for a sample without a code.
 */
export async function creditCodeSample(
  tx: Transaction,
  resp: ResponseDoc,
  sample: SampleFacts,
  requestId: string,
  now: Date,
): Promise<void> {
  const { valid } = sample
  const a = resp.attribution
  if (!a.code) return
  const rewards = valid
    ? sampleRewards(a)
    : { shareRewardTo: null, overrideTo: null, overrideRate: 0 }
  if (rewards.shareRewardTo) {
    const account = await accountInTx(tx, rewards.shareRewardTo, now)
    await postEntry(tx, account, {
      id: `sr:${resp._id}`,
      kind: 'share_reward',
      amount: 1,
      ref: resp._id,
      requestId,
      memo: a.code,
      now,
    })
  }
  // Counters last: they are shared by many respondents (records/stats.ts says why).
  await countAttributedSample(tx, resp.campaignId, resp.openid, a, {
    ...sample,
    teamId: a.teamId ?? null,
    at: now,
    overrideTo: rewards.overrideTo,
    overrideRate: rewards.overrideRate,
  })
}
