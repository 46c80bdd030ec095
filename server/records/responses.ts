// Records of the `responses` collection: one document per (campaign, WeChat user) holding the
// version, attribution, merged answers, one record per accepted section (the draw-chance grant
// ledger) and the sample. Written by the survey use cases; read by the draw for chance grants.
import type { AnswerValue, Paradata, QualityFlag, QualitySignals, VersionId } from 'wal-core'
import { getDb, readDoc, type Transaction } from '../db'

export const RESPONSES = 'responses'

export interface SectionRecord {
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
    /** Fixed from the code's chain at start (codes made before chains existed lack them). */
    teamId?: string | null
    nodePath?: string[]
    /** Account the share reward goes to (the volunteer's openid or `node:<id>`). */
    rewardAccount?: string | null
    overrideNodeId?: string | null
    overrideRate?: number
    /** The respondent owns the code: counted, but no share reward and no override. */
    selfReferral?: boolean
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

/** The id rule: the (campaign, user) pair, so concurrent starts race on one key and one wins. */
export function responseId(campaignId: string, openid: string): string {
  return `${campaignId}:${openid}`
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

/** A response read inside a transaction (null before `start`). */
export function readResponseIn(
  tx: Transaction,
  campaignId: string,
  openid: string,
): Promise<ResponseDoc | null> {
  return readDoc<ResponseDoc>(tx.collection(RESPONSES).doc(responseId(campaignId, openid)))
}

/** The response of a caller, for tests and the organiser tools. */
export async function readResponse(
  campaignId: string,
  openid: string,
): Promise<ResponseDoc | null> {
  return readDoc<ResponseDoc>(getDb().collection(RESPONSES).doc(responseId(campaignId, openid)))
}
