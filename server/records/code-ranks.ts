// Records of `codeRanks`: per node (`<campaignId>:<nodeId>`), the share codes of its subtree with
// the most valid samples — at most RANKED_CODES_KEPT, kept by the ranking pass (server/code-ranking.ts,
// a timer) — so 我的单位 and the dashboard read one small document, not every code of a unit
// (thousands in a large one, 8 counter shards each). `<campaignId>:~pass` holds the pass's mark.
import { type RankedCode, type Tally } from 'wal-core'
import { getDb, readDoc } from '../db'

export const CODE_RANKS = 'codeRanks'

export interface CodeRankDoc {
  _id: string
  campaignId: string
  nodeId: string
  codes: RankedCode[]
  updatedAt: Date
}

/** Where the ranking pass got to: when the last pass started (the next looks a little before). */
export interface RankPassDoc {
  _id: string
  campaignId: string
  startedAt: Date
  codes: number
  nodes: number
}

export const codeRankId = (campaignId: string, nodeId: string) => `${campaignId}:${nodeId}`
/** Not a node id: those are `[A-Za-z0-9_-]`. */
export const rankPassId = (campaignId: string) => `${campaignId}:~pass`

/** A ranked code as a page shows it: its counts of `day`, zero when the pass read another day. */
export interface TopCode {
  code: string
  label: string | null
  total: Tally
  today: Tally
}

/** A node's top codes (at most `limit`) as of the last ranking pass: one read by id. */
export async function readTopCodes(
  campaignId: string,
  nodeId: string,
  day: string,
  limit: number,
): Promise<{ codes: TopCode[]; rankedAt: string | null }> {
  const doc = await readDoc<CodeRankDoc>(
    getDb().collection(CODE_RANKS).doc(codeRankId(campaignId, nodeId)),
  )
  return {
    codes: (doc?.codes ?? []).slice(0, limit).map((c) => ({
      code: c.code,
      label: c.label,
      total: { valid: c.valid, invalid: c.invalid },
      today: c.day === day ? c.today : { valid: 0, invalid: 0 },
    })),
    rankedAt: doc ? new Date(doc.updatedAt).toISOString() : null,
  }
}
