// Records of `shareCodes`: one document per share code (`_id` = the code), fixing at creation the
// chain it attributes samples to.
import { getDb, readDoc } from '../db'

export const SHARE_CODES = 'shareCodes'

export interface ShareCodeDoc {
  _id: string
  campaignId?: string
  unitId?: string
  stationId?: string
  active?: boolean
}

/** The codes a scene may name: the wxacode scene alphabet, at most 32 characters. */
const CODE = /^[A-Za-z0-9_-]{1,32}$/

/** The share code a scene names, or null (malformed or unknown). */
export async function readShareCode(scene: string): Promise<ShareCodeDoc | null> {
  if (!CODE.test(scene)) return null
  return readDoc<ShareCodeDoc>(getDb().collection(SHARE_CODES).doc(scene))
}
