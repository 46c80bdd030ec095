// `npm run seed`: puts the campaigns of campaigns/<folder>/campaign.json into the local cloud's
// `campaigns` collection through the real SDK, with each campaign's questionnaire, draw table
// (`drawTables`, immutable per version) and reward configuration (`rewardConfigs`).
// Idempotent: a second run changes nothing.
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import type { CampaignConfig, CampaignWindow, OrgFile } from 'wal-core'
import {
  chinaDayStart,
  contentFileSchema,
  faqFileSchema,
  orgFileSchema,
  pathOf,
  retentionFileSchema,
  storeFileSchema,
  windowStatus,
} from 'wal-core'
import { ensurePointAccount } from '../server/ledger'
import { RETENTION_POLICIES } from '../server/privacy'
import { CONSOLE_USERS } from '../server/records/caller-roles'
import { ORG_MEMBERS, ORG_NODES, memberId, nodeDoc, type OrgMemberDoc } from '../server/records/org'
import {
  CampaignDataError,
  loadCampaignData,
  loadCampaigns,
  loadDrawTable,
  loadQuestionnaire,
} from '../campaigns/load'
import { CAMPAIGNS_COLLECTION, QUESTIONNAIRES_COLLECTION } from '../server/records/campaigns'
import { getDb, readDoc } from '../server/db'
import { onLocalData, runCli } from './local-data'
import { seedContent } from './seed-content'
import { seedStore } from './seed-store'
import { DRAW_TABLES, REWARD_CONFIGS } from '../server/reward-config'
import { drawTableId, rewardFileSchema, type RewardConfig } from '../server/reward-rules'

/** The campaign whose window the seed keeps open for local development. */
export const DEMO_CAMPAIGN_ID = 'demo'
const DEMO_DAYS = 10

/** A 10-day window opening today 00:00 in Asia/Shanghai (what a real campaign window looks like). */
export function demoWindow(nowMs: number): CampaignWindow {
  return {
    startsAt: chinaDayStart(nowMs),
    endsAt: chinaDayStart(nowMs + DEMO_DAYS * 86_400_000),
    timeZone: 'Asia/Shanghai',
  }
}

export interface SeedOptions {
  /** Defaults to the real clock. */
  nowMs?: number
  /** Defaults to the campaigns/ folder of this repository. */
  campaignsDir?: string
}

export type SeedOutcome = 'created' | 'updated' | 'unchanged'

/** Seeds the campaigns into whatever database the SDK is connected to (the local cloud here). */
export async function seed(options: SeedOptions = {}): Promise<Record<string, SeedOutcome>> {
  const nowMs = options.nowMs ?? Date.now()
  const campaigns = loadCampaigns(options.campaignsDir)
  const collection = getDb().collection(CAMPAIGNS_COLLECTION)
  const outcomes: Record<string, SeedOutcome> = {}
  for (const fromFile of campaigns) {
    const doc = await readDoc<Record<string, unknown>>(collection.doc(fromFile.id))
    const stored = doc ? withoutId(doc) : null
    let wanted: CampaignConfig = fromFile
    if (fromFile.id === DEMO_CAMPAIGN_ID) {
      const storedWindow = stored?.window as CampaignWindow | undefined
      // Keep a still-open demo window as it is, so re-seeding mid-demo changes nothing.
      const window =
        storedWindow && windowStatus(storedWindow, nowMs) === 'open'
          ? storedWindow
          : demoWindow(nowMs)
      wanted = { ...fromFile, window, year: Number(window.startsAt.slice(0, 4)) }
    }
    outcomes[fromFile.id] = await upsert(CAMPAIGNS_COLLECTION, fromFile.id, wanted, stored)
    const questionnaire = loadQuestionnaire(fromFile, options.campaignsDir)
    if (questionnaire) {
      const qDoc = await readDoc<Record<string, unknown>>(
        getDb().collection(QUESTIONNAIRES_COLLECTION).doc(fromFile.id),
      )
      const qOutcome = await upsert(
        QUESTIONNAIRES_COLLECTION,
        fromFile.id,
        questionnaire,
        qDoc ? withoutId(qDoc) : null,
      )
      outcomes[`${fromFile.id} questionnaire`] = qOutcome
    }
    Object.assign(outcomes, await seedRewards(fromFile, options.campaignsDir))
    Object.assign(outcomes, await seedOrg(fromFile, options.campaignsDir, new Date(nowMs)))
    Object.assign(outcomes, await seedConsoleUsers(fromFile, options.campaignsDir))
    // The retention period the privacy notice promises (the privacy function's timer reads it).
    const retention = loadCampaignData(
      fromFile,
      'retention.json',
      retentionFileSchema,
      options.campaignsDir,
    )
    if (retention) {
      const stored = await readDoc<Record<string, unknown>>(
        getDb().collection(RETENTION_POLICIES).doc(fromFile.id),
      )
      outcomes[`${fromFile.id} retention (${retention.days} days)`] = await upsert(
        RETENTION_POLICIES,
        fromFile.id,
        { campaignId: fromFile.id, ...retention },
        stored ? withoutId(stored) : null,
      )
    }
    const store = loadCampaignData(fromFile, 'store.json', storeFileSchema, options.campaignsDir)
    if (store)
      outcomes[
        `${fromFile.id} store (${store.items.length} items, ${store.stores.length} stores)`
      ] = await seedStore(fromFile, store, new Date(nowMs))
    const content = loadCampaignData(
      fromFile,
      'content.json',
      contentFileSchema,
      options.campaignsDir,
    )
    const faq = loadCampaignData(fromFile, 'faq.json', faqFileSchema, options.campaignsDir)
    if (content || faq)
      outcomes[
        `${fromFile.id} content (${content?.items.length ?? 0} items, ${content?.quizzes.length ?? 0} quizzes, ${faq?.faqs.length ?? 0} faqs)`
      ] = await seedContent(content, faq, new Date(nowMs))
  }
  return outcomes
}

/**
 * The draw table under `<campaignId>:<version>` and the reward configuration pointing at it. A
 * stored table is never changed: a different table under a stored version is refused, because
 * every draw records the version it used and must keep meaning what it meant.
 */
async function seedRewards(
  campaign: CampaignConfig,
  campaignsDir: string | undefined,
): Promise<Record<string, SeedOutcome>> {
  const table = loadDrawTable(campaign, campaignsDir)
  if (!table) return {}
  const rewards =
    loadCampaignData(campaign, 'rewards.json', rewardFileSchema, campaignsDir) ??
    rewardFileSchema.parse({})
  if (table.prizeForm === 'cash' && !rewards.cash) {
    throw new CampaignDataError(
      `${campaign.id}: the draw table pays cash, so rewards.json needs "cash" (budget and cap)`,
    )
  }
  const tableId = drawTableId(campaign.id, table.version)
  const storedTable = await readDoc<Record<string, unknown>>(
    getDb().collection(DRAW_TABLES).doc(tableId),
  )
  const wantedTable = { campaignId: campaign.id, version: table.version, table }
  const storedTableData = storedTable ? withoutId(storedTable) : null
  if (
    storedTableData &&
    !isDeepStrictEqual(storedTableData, JSON.parse(JSON.stringify(wantedTable)))
  ) {
    throw new CampaignDataError(
      `draw table ${tableId} differs from the stored one: a changed table needs a new version`,
    )
  }
  const tableOutcome = await upsert(DRAW_TABLES, tableId, wantedTable, storedTableData)
  const config: RewardConfig = {
    ...rewards,
    campaignId: campaign.id,
    drawTableVersion: table.version,
  }
  const storedConfig = await readDoc<Record<string, unknown>>(
    getDb().collection(REWARD_CONFIGS).doc(campaign.id),
  )
  return {
    [`${campaign.id} draw table ${table.version}`]: tableOutcome,
    [`${campaign.id} rewards`]: await upsert(
      REWARD_CONFIGS,
      campaign.id,
      config,
      storedConfig ? withoutId(storedConfig) : null,
    ),
  }
}

/**
 * The organisation tree of `org.json` into `orgNodes` (each node with its path, and the file's
 * default override rate written into every station and unit without one), and the demo's
 * members with their wallets. Members already stored keep their history.
 */
async function seedOrg(
  campaign: CampaignConfig,
  campaignsDir: string | undefined,
  now: Date,
): Promise<Record<string, SeedOutcome>> {
  const org = loadCampaignData(campaign, 'org.json', orgFileSchema, campaignsDir)
  if (!org) return {}
  return {
    [`${campaign.id} organisations (${org.nodes.length} nodes)`]: await seedOrganisations(org, now),
  }
}

/** Writes an organisation file's nodes and members (idempotent; tests seed their own trees). */
export async function seedOrganisations(org: OrgFile, now: Date): Promise<SeedOutcome> {
  const parents = new Map(org.nodes.map((n) => [n.id, n.parent]))
  const counts: Record<SeedOutcome, number> = { created: 0, updated: 0, unchanged: 0 }
  for (const node of org.nodes) {
    const rated = node.kind === 'unit' || node.kind === 'joint_unit' || node.kind === 'station'
    const wanted = nodeDoc(
      { ...node, ...(rated ? { overrideRate: node.overrideRate ?? org.defaultOverrideRate } : {}) },
      pathOf(node.id, (id) => parents.get(id)),
    )
    const { _id, ...data } = wanted
    const stored = await readDoc<Record<string, unknown>>(getDb().collection(ORG_NODES).doc(_id))
    counts[await upsert(ORG_NODES, _id, data, stored ? withoutId(stored) : null)] += 1
  }
  let members = 0
  for (const m of org.members) {
    const ref = getDb().collection(ORG_MEMBERS).doc(memberId(m.node, m.openid))
    if (await readDoc(ref)) continue
    const account = await ensurePointAccount(m.openid, now)
    const doc: Omit<OrgMemberDoc, '_id'> = {
      nodeId: m.node,
      openid: m.openid,
      userCode: account.userCode,
      role: m.role,
      status: 'active',
      displayName: m.displayName,
      inviteCode: null,
      history: [{ at: now, event: 'grant', by: 'seed', role: m.role }],
      createdAt: now,
      updatedAt: now,
    }
    await ref.set({ data: doc })
    members += 1
  }
  return counts.created > 0
    ? 'created'
    : counts.updated > 0 || members > 0
      ? 'updated'
      : 'unchanged'
}

/**
 * `console-users.json`: the demo's web console accounts (`consoleUsers/<uid>`), so a desk can sign
 * in locally (gateway `POST /auth/sign-in { uid }`). In CloudBase an account is a CloudBase
 * login whose uid or custom user id must equal the document id; nobody can sign in as these
 * demo ids there unless an operator issues them a ticket.
 */
const consoleUsersFileSchema = z.object({
  accounts: z.array(
    z.object({
      uid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      name: z.string().min(1),
      committee: z.boolean(),
      nodeIds: z.array(z.string()),
    }),
  ),
})

async function seedConsoleUsers(
  campaign: CampaignConfig,
  campaignsDir: string | undefined,
): Promise<Record<string, SeedOutcome>> {
  const file = loadCampaignData(
    campaign,
    'console-users.json',
    consoleUsersFileSchema,
    campaignsDir,
  )
  if (!file) return {}
  const outcomes: SeedOutcome[] = []
  for (const { uid, ...account } of file.accounts) {
    const stored = await readDoc<Record<string, unknown>>(
      getDb().collection(CONSOLE_USERS).doc(uid),
    )
    outcomes.push(
      await upsert(
        CONSOLE_USERS,
        uid,
        { ...account, active: true },
        stored ? withoutId(stored) : null,
      ),
    )
  }
  const outcome = outcomes.includes('created')
    ? 'created'
    : outcomes.includes('updated')
      ? 'updated'
      : 'unchanged'
  return { [`${campaign.id} console accounts (${file.accounts.length})`]: outcome }
}

/** Writes `wanted` unless the stored document already equals it (so re-seeding changes nothing). */
async function upsert(
  collectionName: string,
  id: string,
  wanted: object,
  stored: Record<string, unknown> | null,
): Promise<SeedOutcome> {
  if (stored && isDeepStrictEqual(stored, JSON.parse(JSON.stringify(wanted)))) return 'unchanged'
  await getDb().collection(collectionName).doc(id).set({ data: wanted })
  return stored ? 'updated' : 'created'
}

function withoutId(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id: _ignored, ...rest } = doc
  return rest
}

/** The local data file, shared by `npm start` and `npm run seed`. */
export function dataFile(): string {
  return path.resolve(process.env.WAL_DATA_FILE || '.data/local.sqlite')
}

async function cli(): Promise<void> {
  const file = dataFile()
  await onLocalData(file, async () => {
    const outcomes = await seed()
    console.log(`seeded ${file}`)
    for (const [id, outcome] of Object.entries(outcomes))
      console.log(`  campaign ${id}: ${outcome}`)
  })
}

if (require.main === module) runCli(cli)
