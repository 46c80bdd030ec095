// Steps the journeys share: earning draw chances through the real survey function, reading the
// local cloud's database as the functions left it, and the frame's own controls (system sheets,
// pull-down refresh, location) that live outside the page a person sees.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { publicMainAnswers } from '../../component/support/answers'
import { getDb } from '../../../server/db'
import type { FunctionHost } from '../../../emulator/function-host'
import type { EnvelopeLike, Phone, World } from './world'

const MINUTE = 60_000

/**
 * `openid` answers the public main part through the survey function (start, minutes later the
 * submission), as the pages would send it: 5 draw chances. `scene` is a share code's scene. A
 * `speeder` submits at once: the server screens the sample out (invalid, no chances).
 */
export async function answerMain(
  world: Cloud,
  openid: string,
  scene?: string,
  pace: 'person' | 'speeder' = 'person',
): Promise<number> {
  const started = await world.call(
    'survey',
    { action: 'start', version: 'public', requestId: randomUUID(), ...(scene ? { scene } : {}) },
    openid,
  )
  if (!started.ok) throw new Error(`survey.start: ${JSON.stringify(started.error)}`)
  if (pace === 'person') world.advance(10 * MINUTE) // a person takes minutes; the server screens speeders
  const submitted = await world.call(
    'survey',
    {
      action: 'submitSection',
      sectionId: 'main',
      answers: publicMainAnswers,
      requestId: randomUUID(),
    },
    openid,
  )
  if (!submitted.ok || submitted.data.valid !== (pace === 'person'))
    throw new Error(`survey.submitSection: ${JSON.stringify(submitted.error ?? submitted.data)}`)
  return submitted.data.chancesGranted as number
}

/** What the setup steps need of a world: calling functions as someone, moving the clock. */
export type Cloud = Pick<World, 'call' | 'advance'>

/** Calls `name` as `openid` and returns its data, or throws with the function's error. */
async function called(
  cloud: Cloud,
  name: string,
  event: Record<string, unknown>,
  openid: string,
): Promise<EnvelopeLike['data']> {
  const reply = await cloud.call(name, { ...event, requestId: randomUUID() }, openid)
  if (!reply.ok) throw new Error(`${name}.${String(event.action)}: ${JSON.stringify(reply.error)}`)
  return reply.data
}

/**
 * A volunteer's certificate, earned as a volunteer earns it: the volunteer's share code for
 * `nodeId`, the valid main parts of `samples` people who came through it (1 point each), then
 * 志愿者证书 redeemed in the store. Returns the certificate's number (its page's `no`).
 */
export async function earnCertificate(
  cloud: Cloud,
  volunteer: string,
  nodeId: string,
  samples = 10,
): Promise<string> {
  const { code } = await called(cloud, 'volunteer', { action: 'ensureCode', nodeId }, volunteer)
  for (let i = 1; i <= samples; i++)
    await answerMain(cloud, `${volunteer}-sample-${i}`, `c=${code as string}`)
  const { reservation } = await called(
    cloud,
    'store',
    { action: 'redeem', itemId: 'certificate-volunteer' },
    volunteer,
  )
  return reservation.certificateNo as string
}

/** An invite to join `nodeId` as a volunteer, made by that node's admin. Returns its code. */
export async function inviteTo(cloud: Cloud, admin: string, nodeId: string): Promise<string> {
  const { code } = await called(cloud, 'volunteer', { action: 'createInvite', nodeId }, admin)
  return code as string
}

/** The seeded committee console account (campaigns/demo/console-users.json). */
export const COMMITTEE_UID = 'demo-committee'

export interface OfflineDrawInput {
  title: string
  /** 6-digit region code: the eligible are the valid respondents of that city (or province). */
  regionCode: string
  prizes: Array<{ kind: string; label: string; count: number; claim: string }>
}

/**
 * An offline lucky draw held by a console account through the organiser function, as the
 * console's 线下抽奖 sends it: define, commit (the seed's SHA-256 only), reveal the seed.
 * Returns the revealed draw's public record.
 */
export async function holdOfflineDraw(
  host: Pick<FunctionHost, 'invoke'>,
  draw: OfflineDrawInput,
  uid = COMMITTEE_UID,
): Promise<{ drawId: string; seed: string; winners: Array<{ id: string; prizeKind: string }> }> {
  const call = async (event: Record<string, unknown>) => {
    const reply = (await host.invoke(
      'organiser',
      { ...event, requestId: randomUUID() },
      { openid: '', webUid: uid },
    )) as EnvelopeLike
    if (!reply.ok)
      throw new Error(`organiser.${String(event.action)}: ${JSON.stringify(reply.error)}`)
    return reply.data
  }
  const seed = randomBytes(32).toString('hex')
  const { drawId } = await call({ action: 'defineDraw', ...draw })
  await call({
    action: 'commitDraw',
    drawId,
    seedHash: createHash('sha256').update(seed, 'utf8').digest('hex'),
  })
  return call({ action: 'revealDraw', drawId, seed })
}

/** Documents of `collection` matching `where`, read straight from the local cloud. */
export async function docs<T = Record<string, unknown>>(
  collection: string,
  where: Record<string, unknown> = {},
): Promise<T[]> {
  return (await getDb().collection(collection).where(where).limit(1000).get()).data as T[]
}

export async function doc<T = Record<string, unknown>>(
  collection: string,
  id: string,
): Promise<T | undefined> {
  const found = await docs<T>(collection, { _id: id })
  return found[0]
}

/** Presses `text` in the dialog or system sheet the frame shows over the page. */
export async function pressInFrame(phone: Phone, text: string): Promise<void> {
  await phone.page.locator('#wal-phone').getByText(text, { exact: true }).last().click()
}

/**
 * A page's own class in the preview's DOM: classes are prefixed per component as simulate does
 * (`wj--chances__value`) and WXML ids are not rendered, so journeys find things by class or text.
 */
export const cls = (name: string): string => `[class*="--${name}"]`

/** The number the first element of class `name` on the top page shows. */
export async function numberIn(phone: Phone, name: string): Promise<number> {
  const text = await phone.screen.locator(cls(name)).first().innerText()
  return Number(text.replace(/[^\d.-]/g, ''))
}

/** The panel's 下拉刷新: the top page's onPullDownRefresh, as a drag down would. */
export async function pullDown(phone: Phone): Promise<void> {
  await phone.page.locator('#wal-pull').click()
}

/** Allows or refuses the location permission from the panel (the next getLocation asks it). */
export async function setLocationAllowed(phone: Phone, allowed: boolean): Promise<void> {
  await phone.page.locator('#wal-location-allowed').setChecked(allowed)
}
