// Records of `shareCodes`: one document per share code (`_id` = the code), fixing at creation the
// chain it attributes samples to, who owns it, and where its share reward and override go.
import { createHash } from 'node:crypto'
import { codeFromBytes, parseScene, type CodeChain } from 'wal-core'
import { getDb, queryDocs, readDoc, type Transaction } from '../db'

export const SHARE_CODES = 'shareCodes'
export const CODE_IMAGES = 'codeImages'

/** volunteer: a person's code; node: a node's own code; channel: one of a unit's channel codes. */
export type ShareCodeOwnerKind = 'volunteer' | 'node' | 'channel'

export interface ShareCodeDoc {
  _id: string
  campaignId?: string
  ownerKind?: ShareCodeOwnerKind
  /** The volunteer's openid (self-referral, their wallet); null for node and channel codes. */
  ownerOpenid?: string | null
  /** The node the code hangs under: the volunteer's team, or the node that owns it. */
  ownerNodeId?: string | null
  label?: string | null
  batchId?: string | null
  target?: number
  chain?: CodeChain
  /** Kept beside the chain: the statistics' unit key, and codes written before chains existed. */
  unitId?: string | null
  stationId?: string | null
  active?: boolean
  createdAt?: Date
  updatedAt?: Date
}

/** The wallet a code's share reward goes to: the volunteer's own, or its node's account. */
export function rewardAccountOf(doc: ShareCodeDoc): string | null {
  if (doc.ownerKind === 'volunteer') return doc.ownerOpenid ?? null
  if (doc.ownerNodeId) return nodeAccountId(doc.ownerNodeId)
  return null
}

/** Node accounts are points accounts like users', under an id no openid can take. */
export const nodeAccountId = (nodeId: string) => `node:${nodeId}`

/**
 * The code of an owner: derived from (campaign, owner, attempt), so concurrent first requests for
 * one owner make the same code and one insert wins; a code another owner holds (2.8×10¹⁰ codes:
 * rare) moves to the next attempt.
 */
export function derivedCode(ownerKey: string, attempt: number): string {
  return codeFromBytes(createHash('sha256').update(`${ownerKey}#${attempt}`).digest())
}

/** The share code a scene names, or null (malformed or unknown). */
export async function readShareCode(scene: string): Promise<ShareCodeDoc | null> {
  const target = parseScene(scene)
  if (!target || target.kind !== 'share') return null
  return readDoc<ShareCodeDoc>(getDb().collection(SHARE_CODES).doc(target.code))
}

export function readCode(
  db: Transaction | ReturnType<typeof getDb>,
  code: string,
): Promise<ShareCodeDoc | null> {
  return readDoc<ShareCodeDoc>(db.collection(SHARE_CODES).doc(code))
}

/** A volunteer's code in a campaign under a node, or null. */
export async function codeOfVolunteer(
  campaignId: string,
  openid: string,
  nodeId: string,
): Promise<ShareCodeDoc | null> {
  const found = await queryDocs<ShareCodeDoc>(
    getDb()
      .collection(SHARE_CODES)
      .where({ campaignId, ownerOpenid: openid, ownerNodeId: nodeId })
      .limit(1),
  )
  return found[0] ?? null
}

export function codesOfNode(campaignId: string, nodeId: string): Promise<ShareCodeDoc[]> {
  return queryDocs<ShareCodeDoc>(
    getDb().collection(SHARE_CODES).where({ campaignId, ownerNodeId: nodeId }).limit(1000),
  )
}

export function codesOfBatch(batchId: string): Promise<ShareCodeDoc[]> {
  return queryDocs<ShareCodeDoc>(
    getDb().collection(SHARE_CODES).where({ batchId }).orderBy('label', 'asc').limit(1000),
  )
}
