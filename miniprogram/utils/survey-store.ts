// What the survey keeps on the device: the privacy consent, a draft per section (so an
// interrupted answer survives closing the app), the answers of submitted sections (display logic
// in later sections may depend on them) and the last submit reply for the completion page.
import { isSectionAnswers, type SectionAnswers, type SubmitReply } from 'wal-core'

const CONSENT_KEY = 'wal.survey.consent'
/** Bumped when the privacy notice changes materially, so people agree to the new text. */
export const CONSENT_NOTICE_VERSION = '2024-1'

const draftKey = (campaignId: string, version: string, sectionId: string) =>
  `wal.survey.draft.${campaignId}.${version}.${sectionId}`
const submittedKey = (campaignId: string, version: string) =>
  `wal.survey.answers.${campaignId}.${version}`

/** A section's answers as the page holds them: null marks an answer that was cleared. */
export type DraftAnswers = Record<string, SectionAnswers[string] | null>

export function hasConsented(): boolean {
  const stored: unknown = wx.getStorageSync(CONSENT_KEY)
  return (
    typeof stored === 'object' &&
    stored !== null &&
    (stored as { notice?: unknown }).notice === CONSENT_NOTICE_VERSION
  )
}

export function recordConsent(atIso: string): void {
  wx.setStorageSync(CONSENT_KEY, { notice: CONSENT_NOTICE_VERSION, at: atIso })
}

/** Storage may hold anything (an older app, a full disk): read only what parses. */
function readAnswers(key: string): SectionAnswers {
  const stored: unknown = wx.getStorageSync(key)
  return isSectionAnswers(stored) ? stored : {}
}

/** Drop cleared answers (null): core's validation treats a present key as an answer. */
export function compactAnswers(answers: DraftAnswers): SectionAnswers {
  const out: SectionAnswers = {}
  for (const [key, value] of Object.entries(answers)) {
    if (value !== null && value !== undefined) out[key] = value
  }
  return out
}

export function loadDraft(campaignId: string, version: string, sectionId: string): SectionAnswers {
  return readAnswers(draftKey(campaignId, version, sectionId))
}

export function saveDraft(
  campaignId: string,
  version: string,
  sectionId: string,
  answers: DraftAnswers,
): void {
  try {
    wx.setStorageSync(draftKey(campaignId, version, sectionId), compactAnswers(answers))
  } catch (err) {
    // A full storage must not stop anyone answering; the draft is a convenience.
    console.warn('[survey] draft not saved', err)
  }
}

export function clearDraft(campaignId: string, version: string, sectionId: string): void {
  wx.removeStorageSync(draftKey(campaignId, version, sectionId))
}

/** Answers of the sections this device submitted, for display logic in later sections. */
export function loadSubmitted(campaignId: string, version: string): SectionAnswers {
  return readAnswers(submittedKey(campaignId, version))
}

export function addSubmitted(campaignId: string, version: string, answers: SectionAnswers): void {
  const merged = { ...loadSubmitted(campaignId, version), ...answers }
  try {
    wx.setStorageSync(submittedKey(campaignId, version), merged)
  } catch (err) {
    console.warn('[survey] submitted answers not kept', err)
  }
}

// The submit reply travels to the completion page in memory: it is shown once, right after the
// submit; a page opened later reads the progress from the server instead.
let lastSubmit: SubmitReply | null = null

export function rememberSubmitReply(reply: SubmitReply): void {
  lastSubmit = reply
}

/** The reply of the submit that just completed `sectionId`, once; null if there is none. */
export function takeSubmitReply(sectionId: string): SubmitReply | null {
  const reply = lastSubmit && lastSubmit.sectionId === sectionId ? lastSubmit : null
  lastSubmit = null
  return reply
}
