// The questionnaire (cloud function `survey`, contract in core/contracts.ts): read the questionnaire
// and one's progress, start a response, submit a section.
import {
  contractRef,
  fieldErrorsFrom,
  isScene,
  type FieldError,
  type Paradata,
  type Progress,
  type QuestionnaireReply,
  type SectionAnswers,
  type StartReply,
  type SubmitReply,
  type VersionId,
  type surveyContract,
} from 'wal-core'
import { callAction, retryableAction, type Retryable } from './call'
import type { ServiceError } from './service-error'

const surveyFn = contractRef<typeof surveyContract>('survey')

const SCENE_KEY = 'wal.survey.scene'

/** One version of the current campaign's questionnaire, with its chance cap. */
export function getQuestionnaire(version: VersionId): Promise<QuestionnaireReply> {
  return callAction(surveyFn, 'getQuestionnaire', { version })
}

/** The caller's progress in the current campaign (started: false before `start`). */
export function myResponse(): Promise<Progress> {
  return callAction(surveyFn, 'myResponse', {})
}

/**
 * Start (or resume) the caller's response in `version`. The share-code scene the app was opened
 * with goes along, so the sample is attributed to whoever shared the code.
 */
export function startSurvey(version: VersionId): Retryable<StartReply> {
  const scene = rememberedScene()
  return retryableAction(surveyFn, 'start', scene ? { version, scene } : { version })
}

/**
 * Submit one section's answers (already checked on the device with core's validateSection), with
 * what the page measured while it was on screen.
 */
export function submitSection(
  sectionId: string,
  answers: SectionAnswers,
  paradata?: Paradata,
): Retryable<SubmitReply> {
  const input = paradata ? { sectionId, answers, paradata } : { sectionId, answers }
  return retryableAction(surveyFn, 'submitSection', input)
}

/** The per-question errors of a VALIDATION_FAILED reply (question id → problem), else null. */
export function fieldErrorsOf(err: ServiceError): Record<string, FieldError> | null {
  return err.code === 'VALIDATION_FAILED' ? fieldErrorsFrom(err.details) : null
}

/**
 * Keep the scene of a mini-program code (wxacode `scene`, URL-encoded in the page query) until
 * `start`. Kept in storage: a person may scan at a stand and answer later. Anything that is not a
 * valid scene is ignored rather than sent.
 */
export function rememberScene(raw: unknown): void {
  if (typeof raw !== 'string' || raw === '') return
  const scene = decodeScene(raw)
  if (scene && isScene(scene)) wx.setStorageSync(SCENE_KEY, scene)
}

function decodeScene(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch (err) {
    console.warn('[survey] undecodable scene ignored', err)
    return null
  }
}

/** The share code's scene this person came with (kept until the response starts), if any. */
export function rememberedScene(): string | undefined {
  const stored: unknown = wx.getStorageSync(SCENE_KEY)
  return typeof stored === 'string' && stored !== '' ? stored : undefined
}
