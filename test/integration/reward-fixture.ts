// The draw, wallet and payout functions on a fresh in-memory local cloud: the test campaign open,
// a draw table and reward configuration stored as the seed stores them, and helpers that set up
// chances, points and roles the way the product writes them.
import { chinaDayKey, chinaHourKey, counterPaths, drawTableSchema, type DrawTable } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { CAMPAIGNS_COLLECTION, QUESTIONNAIRES_COLLECTION } from '../../server/records/campaigns'
import { getDb, runTransaction, setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'
import { ROLES } from '../../server/records/roles'
import { DRAW_TABLES, REWARD_CONFIGS } from '../../server/reward-config'
import { drawTableId, rewardFileSchema, type RewardConfig } from '../../server/reward-rules'
import { RESPONSES, newResponse } from '../../server/records/responses'
import { countSample } from '../../server/records/stats'
import { CAMPAIGN, OPEN_AT, QUESTIONNAIRE } from './survey-fixture'
import table2024 from '../../campaigns/2024/draw-table.json'

export { CAMPAIGN, OPEN_AT }

export const TABLE_2024: DrawTable = drawTableSchema.parse(table2024)

/** One tier per kind (100 %): the prize of every draw is known in advance. */
export function certainTable(
  prizeForm: 'points' | 'cash',
  tier: { points: number; cashFen: number },
): DrawTable {
  const kind = (cost: number) => ({
    cost,
    tiers: [
      { id: 't1', points: tier.points * cost, cashFen: tier.cashFen * cost, weightBp: 10_000 },
    ],
  })
  return drawTableSchema.parse({
    version: `certain-${prizeForm}`,
    prizeForm,
    kinds: { nine_grid: kind(1), copper: kind(3), silver: kind(6), gold: kind(9) },
  })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are parsed where it matters
export type LooseReply = { ok: boolean; data?: any; error?: any }

export interface RewardWorld {
  cloud: LocalCloud
  host: FunctionHost
  clock: { now: number }
  call(fn: 'draw' | 'wallet' | 'payout', openid: string, event: object): Promise<LooseReply>
}

/** Store `table` and a reward configuration drawing from it (defaults unless `rewards` says otherwise). */
export async function useRewards(
  table: DrawTable,
  rewards: Partial<Omit<RewardConfig, 'campaignId'>> = {},
): Promise<void> {
  await getDb()
    .collection(DRAW_TABLES)
    .doc(drawTableId(CAMPAIGN.id, table.version))
    .set({ data: { campaignId: CAMPAIGN.id, version: table.version, table } })
  const config: RewardConfig = {
    ...rewardFileSchema.parse({}),
    ...rewards,
    campaignId: CAMPAIGN.id,
    drawTableVersion: table.version,
  }
  await getDb().collection(REWARD_CONFIGS).doc(CAMPAIGN.id).set({ data: config })
}

export async function openRewardWorld(
  options: { table?: DrawTable; rewards?: Partial<Omit<RewardConfig, 'campaignId'>> } = {},
): Promise<RewardWorld> {
  const cloud = startLocalCloud()
  const host = createFunctionHost({ cloud, from: 'source', only: ['draw', 'wallet', 'payout'] })
  const clock = { now: OPEN_AT }
  setClockForTests(() => clock.now)
  clearConfigCache()
  const table = options.table ?? TABLE_2024
  await getDb().collection(CAMPAIGNS_COLLECTION).doc(CAMPAIGN.id).set({ data: CAMPAIGN })
  // The questionnaire names the main section the fixture's grants are records of (reconcile).
  await getDb().collection(QUESTIONNAIRES_COLLECTION).doc(CAMPAIGN.id).set({ data: QUESTIONNAIRE })
  await useRewards(table, options.rewards)
  return {
    cloud,
    host,
    clock,
    call: (fn, openid, event) =>
      host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<LooseReply>,
  }
}

export function closeRewardWorld(world: RewardWorld): void {
  setClockForTests(undefined)
  clearConfigCache()
  world.cloud.close()
}

/**
 * Draw chances as a valid survey section grants them: the response with its section record, and
 * the sample counted in its statistics shard (as survey.submitSection does, so reconcile is clean).
 */
export async function grantChances(openid: string, amount: number): Promise<void> {
  const at = new Date(OPEN_AT)
  const response = newResponse(CAMPAIGN.id, openid, 'public', at)
  const { _id, ...data } = {
    ...response,
    sections: {
      main: {
        status: 'valid' as const,
        flags: [],
        reasons: {},
        submittedAt: at,
        durationMs: 300_000,
        chances: amount,
        requestId: 'fixture-grant',
        chancesTotal: amount,
      },
    },
    chancesGranted: amount,
    lastSubmittedAt: at,
  }
  await runTransaction(async (tx) => {
    await tx.collection(RESPONSES).doc(_id).set({ data })
    await countSample(
      tx,
      CAMPAIGN.id,
      openid,
      counterPaths({
        valid: true,
        day: chinaDayKey(at.getTime()),
        hour: chinaHourKey(at.getTime()),
      }),
      chinaDayKey(at.getTime()),
    )
  })
}

export async function makeOrganiser(openid: string): Promise<void> {
  await getDb()
    .collection(ROLES)
    .doc(openid)
    .set({ data: { roles: ['organiser'] } })
}

/** Every document of `collections`, to prove "nothing written". */
export async function snapshot(collections: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const c of collections) out[c] = (await getDb().collection(c).limit(1000).get()).data
  return out
}

let seq = 0
export function rid(label = 'r'): string {
  seq += 1
  return `${label}-${seq.toString().padStart(6, '0')}`
}
