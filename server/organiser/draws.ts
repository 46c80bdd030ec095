// The verifiable offline lucky draw (线下抽奖): define (region, prizes) → commit (the eligible
// list — valid respondents of the region as pseudonymous ids — is fixed, its digest published
// with the hash of a seed only the organiser holds) → reveal (the seed; winners follow from it by
// core's wal-draw-v1, docs/console.md) — and 我的奖品 for the winners in the mini-program.
import { createHash, createHmac } from 'node:crypto'
import {
  DRAW_ALGORITHM,
  DrawRuleError,
  drawWinners,
  listDigest,
  seedHash,
  sortedIds,
  type DrawCrypto,
  type DrawRecord,
  type MyPrize,
} from 'wal-core'
import { AppError } from '../app-error'
import { getDb, queryDocs, readDoc } from '../db'
import { currentCampaign } from '../records/campaigns'
import { RESPONSES } from '../records/responses'
import { getStorage } from '../storage'
import { auditedOnce, pseudonymizer, type Access } from './access'

export const OFFLINE_DRAWS = 'offlineDraws'
export const DRAW_WINNERS = 'drawWinners'
const LIST_CHUNK = 5_000

export const nodeCrypto: DrawCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  hmacSha256: (key, message) => createHmac('sha256', key).update(message, 'utf8').digest(),
}

type Prize = DrawRecord['prizes'][number]

interface DrawDoc {
  _id: string
  type: 'draw'
  campaignId: string
  title: string
  regionCode: string
  prizes: Prize[]
  status: DrawRecord['status']
  /** The caller's node for a unit admin's draw (null: the committee's). */
  ownerNodeId: string | null
  by: string
  eligibleCount: number | null
  listDigest: string | null
  listChunks: number
  listFileId: string | null
  seedHash: string | null
  seed: string | null
  winners: DrawRecord['winners']
  definedAt: Date
  committedAt: Date | null
  revealedAt: Date | null
}

async function record(d: DrawDoc): Promise<DrawRecord> {
  return {
    drawId: d._id,
    campaignId: d.campaignId,
    title: d.title,
    regionCode: d.regionCode,
    prizes: d.prizes,
    status: d.status,
    algorithm: DRAW_ALGORITHM,
    eligibleCount: d.eligibleCount,
    listDigest: d.listDigest,
    seedHash: d.seedHash,
    seed: d.seed,
    listUrl: d.listFileId ? await getStorage().tempUrl(d.listFileId) : null,
    winners: d.winners,
    definedAt: new Date(d.definedAt).toISOString(),
    committedAt: d.committedAt ? new Date(d.committedAt).toISOString() : null,
    revealedAt: d.revealedAt ? new Date(d.revealedAt).toISOString() : null,
  }
}

/** Whether a region (6 digits; a province ends in 0000) lies in a node's region. */
function regionWithin(region: string, node: { provinceCode: string; cityCode: string | null }) {
  if (node.cityCode) return region === node.cityCode
  return region.slice(0, 2) === node.provinceCode.slice(0, 2)
}

/** The caller's node a draw of that region belongs to (null for the committee), or FORBIDDEN. */
function ownerFor(access: Access, regionCode: string): string | null {
  if (access.committee) return null
  const own = access.admin.find((a) => regionWithin(regionCode, a.node.region))
  if (!own) throw new AppError('FORBIDDEN', '只能在本单位所在地区举办抽奖')
  return own.node._id
}

async function readDraw(access: Access, drawId: string): Promise<DrawDoc> {
  const d = await readDoc<DrawDoc>(getDb().collection(OFFLINE_DRAWS).doc(drawId))
  if (!d || d.type !== 'draw') throw new AppError('NOT_FOUND', '没有这个抽奖')
  if (!access.committee && !access.admin.some((a) => a.node._id === d.ownerNodeId))
    throw new AppError('FORBIDDEN', '该抽奖不在您管理的范围内')
  return d
}

export async function defineDraw(
  access: Access,
  input: { title: string; regionCode: string; prizes: Prize[]; requestId: string },
  now: Date,
): Promise<DrawRecord> {
  const { campaign } = await currentCampaign(now)
  const ownerNodeId = ownerFor(access, input.regionCode)
  const drawId = `od-${createHash('sha256').update(`${access.key}:${input.requestId}`).digest('hex').slice(0, 16)}`
  const doc = await auditedOnce(
    access,
    { scope: 'organiser.defineDraw', requestId: input.requestId, input },
    now,
    async (tx) => {
      const d: DrawDoc = {
        _id: drawId,
        type: 'draw',
        campaignId: campaign.id,
        title: input.title,
        regionCode: input.regionCode,
        prizes: input.prizes,
        status: 'defined',
        ownerNodeId,
        by: access.key,
        eligibleCount: null,
        listDigest: null,
        listChunks: 0,
        listFileId: null,
        seedHash: null,
        seed: null,
        winners: null,
        definedAt: now,
        committedAt: null,
        revealedAt: null,
      }
      const { _id, ...data } = d
      await tx.collection(OFFLINE_DRAWS).doc(_id).set({ data })
      return d
    },
    {
      action: 'defineDraw',
      target: (d) => d._id,
      before: () => null,
      after: (d) => ({ title: d.title, regionCode: d.regionCode, prizes: d.prizes }),
    },
  )
  return record({ ...doc, _id: drawId })
}

/** The eligible pseudonymous ids: valid samples of the region (paged ≤ 1,000 by _id). */
async function eligibleIds(campaignId: string, regionCode: string): Promise<string[]> {
  const pseudonym = await pseudonymizer(campaignId)
  const _ = getDb().command
  const field = regionCode.endsWith('0000') ? 'sample.provinceCode' : 'sample.cityCode'
  const ids: string[] = []
  let last = ''
  for (;;) {
    const page = await queryDocs<{ _id: string; openid: string }>(
      getDb()
        .collection(RESPONSES)
        .where({ campaignId, 'sample.valid': true, [field]: regionCode, _id: _.gt(last) })
        .field({ openid: true })
        .orderBy('_id', 'asc')
        .limit(1000),
    )
    for (const r of page) ids.push(pseudonym(r.openid))
    if (page.length < 1000) return sortedIds(ids)
    last = page[page.length - 1]!._id
  }
}

export async function commitDraw(
  access: Access,
  input: { drawId: string; seedHash: string; requestId: string },
  now: Date,
): Promise<DrawRecord> {
  const draw = await readDraw(access, input.drawId)
  if (draw.status !== 'defined') return record(draw)
  const ids = await eligibleIds(draw.campaignId, draw.regionCode)
  const slots = draw.prizes.reduce((s, p) => s + p.count, 0)
  if (ids.length < slots)
    throw new AppError(
      'NO_TRANSITION',
      `该地区只有 ${ids.length} 名有效受访者，少于 ${slots} 份奖品`,
    )
  const digest = listDigest(ids, nodeCrypto)
  // The list is kept in chunks named by its digest (a retry with another list cannot mix them)
  // and published as a file; the draw then points at it in one transaction.
  const chunks = Math.ceil(ids.length / LIST_CHUNK)
  for (let k = 0; k < chunks; k++) {
    await getDb()
      .collection(OFFLINE_DRAWS)
      .doc(`${draw._id}#${digest.slice(0, 12)}#${k}`)
      .set({ data: { type: 'list', ids: ids.slice(k * LIST_CHUNK, (k + 1) * LIST_CHUNK) } })
  }
  const listFileId = await getStorage().put(
    `draws/${draw._id}-eligible.txt`,
    Buffer.from(ids.join('\n'), 'utf8'),
  )
  const done = await auditedOnce(
    access,
    { scope: 'organiser.commitDraw', requestId: input.requestId, input },
    now,
    async (tx) => {
      const d = await readDoc<DrawDoc>(tx.collection(OFFLINE_DRAWS).doc(draw._id))
      if (!d || d.status !== 'defined') throw new AppError('NO_TRANSITION', '该抽奖已公布承诺')
      const patch = {
        status: 'committed' as const,
        eligibleCount: ids.length,
        listDigest: digest,
        listChunks: chunks,
        listFileId,
        seedHash: input.seedHash,
        committedAt: now,
      }
      await tx.collection(OFFLINE_DRAWS).doc(draw._id).update({ data: patch })
      return { ...d, _id: draw._id, ...patch }
    },
    {
      action: 'commitDraw',
      target: (d) => d._id,
      before: () => ({ status: 'defined' }),
      after: (d) => ({
        status: d.status,
        listDigest: d.listDigest,
        seedHash: d.seedHash,
        eligibleCount: d.eligibleCount,
      }),
    },
  )
  return record(done)
}

async function storedList(d: DrawDoc): Promise<string[]> {
  const ids: string[] = []
  for (let k = 0; k < d.listChunks; k++) {
    const chunk = await readDoc<{ ids: string[] }>(
      getDb()
        .collection(OFFLINE_DRAWS)
        .doc(`${d._id}#${d.listDigest!.slice(0, 12)}#${k}`),
    )
    if (!chunk) throw new Error(`draw ${d._id}: list chunk ${k} missing`)
    ids.push(...chunk.ids)
  }
  return ids
}

export async function revealDraw(
  access: Access,
  input: { drawId: string; seed: string; requestId: string },
  now: Date,
): Promise<DrawRecord> {
  const draw = await readDraw(access, input.drawId)
  if (draw.status === 'defined')
    throw new AppError('NO_TRANSITION', '请先公布承诺（名单摘要与种子哈希）')
  if (draw.status === 'committed' && seedHash(input.seed, nodeCrypto) !== draw.seedHash)
    throw new AppError('SEED_MISMATCH', '该种子与公布的种子哈希不符')
  let done = draw
  if (draw.status === 'committed') {
    const ids = await storedList(draw)
    if (listDigest(ids, nodeCrypto) !== draw.listDigest)
      throw new Error(`draw ${draw._id}: stored list changed`)
    let winners: NonNullable<DrawRecord['winners']>
    try {
      winners = drawWinners(ids, draw.listDigest!, input.seed, draw.prizes, nodeCrypto)
    } catch (err) {
      if (err instanceof DrawRuleError) throw new AppError('NO_TRANSITION', err.message)
      throw err
    }
    done = await auditedOnce(
      access,
      { scope: 'organiser.revealDraw', requestId: input.requestId, input },
      now,
      async (tx) => {
        const d = await readDoc<DrawDoc>(tx.collection(OFFLINE_DRAWS).doc(draw._id))
        if (!d || d.status !== 'committed') throw new AppError('NO_TRANSITION', '该抽奖已开奖')
        const patch = { status: 'revealed' as const, seed: input.seed, winners, revealedAt: now }
        await tx.collection(OFFLINE_DRAWS).doc(draw._id).update({ data: patch })
        return { ...d, _id: draw._id, ...patch }
      },
      {
        action: 'revealDraw',
        target: (d) => d._id,
        before: () => ({ status: 'committed' }),
        after: (d) => ({ status: d.status, seed: d.seed, winners: d.winners?.length ?? 0 }),
      },
    )
  }
  // Winners by pseudonym for 我的奖品: idempotent writes by slot (a retry completes them).
  const kinds = new Map(done.prizes.map((p) => [p.kind, p]))
  for (const w of done.winners ?? []) {
    const prize = kinds.get(w.prizeKind)!
    await getDb()
      .collection(DRAW_WINNERS)
      .doc(`${done._id}:${w.slot}`)
      .set({
        data: {
          drawId: done._id,
          campaignId: done.campaignId,
          pseudonym: w.id,
          prizeKind: w.prizeKind,
          label: prize.label,
          claim: prize.claim,
          title: done.title,
          revealedAt: done.revealedAt,
        },
      })
  }
  return record(done)
}

export async function listDraws(access: Access, now: Date) {
  const { campaign } = await currentCampaign(now)
  const docs = await queryDocs<DrawDoc>(
    getDb()
      .collection(OFFLINE_DRAWS)
      .where({ campaignId: campaign.id, type: 'draw' })
      .orderBy('definedAt', 'desc')
      .limit(100),
  )
  const mine = docs.filter(
    (d) => access.committee || access.admin.some((a) => a.node._id === d.ownerNodeId),
  )
  return { draws: await Promise.all(mine.map(record)) }
}

export async function getDraw(access: Access, input: { drawId: string }) {
  return record(await readDraw(access, input.drawId))
}

/** 我的奖品: the caller's prizes of revealed offline draws (found by their pseudonymous id). */
export async function myPrizes(openid: string, now: Date): Promise<{ prizes: MyPrize[] }> {
  const { campaign } = await currentCampaign(now)
  const me = (await pseudonymizer(campaign.id))(openid)
  const won = await queryDocs<{
    drawId: string
    title: string
    prizeKind: string
    label: string
    claim?: string
    revealedAt: Date
  }>(getDb().collection(DRAW_WINNERS).where({ pseudonym: me }).limit(100))
  if (won.length === 0) return { prizes: [] }
  // Each prize carries its draw's public record: the draws it names, read once each by id.
  const _ = getDb().command
  const ids = [...new Set(won.map((w) => w.drawId))]
  const [draws, cities] = await Promise.all([
    queryDocs<DrawDoc>(
      getDb()
        .collection(OFFLINE_DRAWS)
        .where({ _id: _.in(ids) })
        .limit(ids.length),
    ),
    readDoc<{ cities?: Record<string, string> }>(
      getDb().collection('storeRules').doc(campaign.id),
    ).then((d) => d?.cities ?? {}),
  ])
  const byId = new Map(draws.map((d) => [d._id, d]))
  const prizes: MyPrize[] = []
  for (const w of won) {
    const d = byId.get(w.drawId)
    if (!d) continue
    prizes.push({
      drawId: w.drawId,
      title: w.title,
      regionCode: d.regionCode,
      regionName: cities[d.regionCode] ?? null,
      prizeKind: w.prizeKind,
      label: w.label,
      claim: w.claim ?? '',
      revealedAt: new Date(w.revealedAt).toISOString(),
      verification: {
        algorithm: DRAW_ALGORITHM,
        eligibleCount: d.eligibleCount,
        listDigest: d.listDigest,
        seedHash: d.seedHash,
        seed: d.seed,
      },
    })
  }
  return { prizes: prizes.sort((a, b) => (a.revealedAt < b.revealedAt ? 1 : -1)) }
}
