// The one valid-sample rule (campaign-rules.md, "Decision (valid sample)"): a response is a valid
// sample only if its main section passed screening; a topic counts as valid only if the main is
// valid and the topic passed its own screening. Every reward that hangs on a sample — draw chances,
// share-code points, overrides, subsidies, offline-draw eligibility — asks these functions.

/** What a stored section says of itself: whether it passed its own screening. */
export interface ScreenedSection {
  status: 'valid' | 'invalid'
}

/** The part of a stored response the rule reads: its sections by id, the main one by id. */
export interface SampleSections {
  sections: Readonly<Record<string, ScreenedSection | undefined>>
}

/** Why a section that passed its own screening still does not count. */
export type NotCountedReason = 'main_invalid'

/** Whether the response is a valid sample: its main section was submitted and passed screening. */
export function isValidSample(resp: SampleSections, mainSectionId: string): boolean {
  return resp.sections[mainSectionId]?.status === 'valid'
}

/**
 * Whether one section counts as valid, given whether it passed its own screening and how the main
 * section stands. The main section counts by its own screening alone; a topic needs both.
 */
export function sectionCounts(
  kind: 'main' | 'topic',
  passedOwnScreening: boolean,
  mainValid: boolean,
): { counts: boolean; reason: NotCountedReason | null } {
  if (kind === 'main') return { counts: passedOwnScreening, reason: null }
  if (!mainValid) return { counts: false, reason: 'main_invalid' }
  return { counts: passedOwnScreening, reason: null }
}
