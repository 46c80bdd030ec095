// The volunteer journey end to end through the gateway, on the seeded demo campaign: a station
// admin invites, a volunteer applies and is approved, shows their code (a real QR decoded back
// to its scene), three people answer through it — two valid, one speeder — and the volunteer has
// exactly 2 points, the station its override accrual, the pages' numbers say so.
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { questionnaireSchema, type VersionId } from 'wal-core'
import { questionnaireFor } from '../../server/records/campaigns'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { SEEDED_AT, useSeededGateway } from './seeded-gateway'

const clock = { now: SEEDED_AT + 3_600_000 }

const world = useSeededGateway({ only: ['survey', 'volunteer', 'wallet'], now: () => clock.now })

let seq = 0
const rid = (label: string) => `${label}-${String(++seq).padStart(6, '0')}`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(fn: string, openid: string, body: object): Promise<any> {
  const res = await fetch(`${world.base}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(body),
  })
  const envelope = (await res.json()) as { ok: boolean; data?: unknown; error?: object }
  if (!envelope.ok) throw Object.assign(new Error(JSON.stringify(envelope.error)), envelope.error)
  return envelope.data
}

const ADMIN = 'o-demo-station-admin'
const VOLUNTEER = 'o-new-volunteer'

async function answerThrough(
  openid: string,
  scene: string,
  secondsTaken: number,
  version: VersionId = 'public',
) {
  const q = questionnaireSchema.parse(await questionnaireFor('demo'))
  await call('survey', openid, { action: 'start', version, scene, requestId: rid('start') })
  clock.now += secondsTaken * 1000
  return call('survey', openid, {
    action: 'submitSection',
    sectionId: 'main',
    answers: validMainAnswers(q, version, seededRandom(openid.length * 7919)),
    requestId: rid('submit'),
  })
}

it('a volunteer joins through an invite, shows a code, and earns exactly one point per valid sample', async () => {
  // The station admin (seeded) invites to a team under their station.
  const invite = await call('volunteer', ADMIN, {
    action: 'createInvite',
    nodeId: 'gz-tianhe-t1',
    maxUses: 10,
    expiresInDays: 7,
    requestId: rid('invite'),
  })
  expect(invite).toMatchObject({ state: 'open', role: 'volunteer', scene: `i=${invite.code}` })

  // The volunteer opens it, applies with a display name and a real name (for a certificate).
  const info = await call('volunteer', VOLUNTEER, { action: 'inviteInfo', code: invite.code })
  expect(info).toMatchObject({ node: { id: 'gz-tianhe-t1' }, state: 'open', myStatus: null })
  expect(info.path).toEqual([
    '广东省网络空间安全协会',
    '广州市网络安全协会',
    '天河区网络安全志愿服务站',
    '天河一队（高校）',
  ])
  const applied = await call('volunteer', VOLUNTEER, {
    action: 'apply',
    code: invite.code,
    displayName: '小李',
    realName: '李晓明',
    requestId: rid('apply'),
  })
  expect(applied.status).toBe('pending')

  // The admin sees the application and approves it; the volunteer now has a code.
  const before = await call('volunteer', ADMIN, { action: 'nodeOverview', nodeId: 'gz-tianhe-t1' })
  const pending = before.pending.find((m: { displayName: string }) => m.displayName === '小李')
  expect(pending).toBeDefined()
  await call('volunteer', ADMIN, {
    action: 'review',
    nodeId: 'gz-tianhe-t1',
    memberCode: pending.memberCode,
    decision: 'approve',
    requestId: rid('review'),
  })
  const me = await call('volunteer', VOLUNTEER, { action: 'me' })
  const mine = me.memberships.find((m: { node: { id: string } }) => m.node.id === 'gz-tianhe-t1')
  expect(mine).toMatchObject({ status: 'active', role: 'volunteer', displayName: '小李' })
  const code: string = mine.code.code
  expect(code).toMatch(/^[23456789A-HJKMNP-Z]{7}$/)
  expect(me.hasRealName).toBe(true)

  // Its image is a real QR code that decodes back to the scene, served from storage.
  const image = await call('volunteer', VOLUNTEER, { action: 'codeImage', code })
  const png = PNG.sync.read(Buffer.from(await (await fetch(image.url)).arrayBuffer()))
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
  expect(decoded?.data).toBe(`pages/home/index?scene=${encodeURIComponent(`c=${code}`)}`)
  // A second request reuses the stored image (the open API is rate-limited).
  const again = await call('volunteer', VOLUNTEER, { action: 'codeImage', code })
  expect(again.fileId).toBe(image.fileId)
  expect(world.local.openapi.log.codes.filter((c) => c.scene === `c=${code}`)).toHaveLength(1)

  // Three people answer through the code: two at a normal pace, one far too fast.
  const r1 = await answerThrough('o-resp-1', `c=${code}`, 600)
  const r2 = await answerThrough('o-resp-2', `c=${code}`, 600)
  const r3 = await answerThrough('o-resp-3', `c=${code}`, 2)
  expect([r1.valid, r2.valid, r3.valid]).toEqual([true, true, false])
  expect(r3.flags).toContain('speeder')

  const wallet = await call('wallet', VOLUNTEER, { action: 'balance' })
  expect(wallet.balance).toBe(2)
  const after = await call('volunteer', VOLUNTEER, { action: 'me' })
  const shown = after.memberships.find(
    (m: { node: { id: string } }) => m.node.id === 'gz-tianhe-t1',
  )
  expect(shown.code.total).toEqual({ valid: 2, invalid: 1 })
  expect(shown.code.today).toEqual({ valid: 2, invalid: 1 })
  expect(after.pointsFromSharing).toBe(2)

  // The ranking timer's pass (every minute): 我的单位 reads its list, one document per node.
  const ranked = await world.host.invoke(
    'volunteer',
    { Type: 'Timer', TriggerName: 'rankCodes' },
    { openid: '' },
  )
  expect(ranked).toMatchObject({ ok: true, data: { codes: 1, nodes: 4 } })

  // The station (15%) accrued 2 × 15 hundredths; whole points are settled when they add up.
  const station = await call('volunteer', ADMIN, { action: 'nodeOverview', nodeId: 'gz-tianhe' })
  expect(station.total).toEqual({ valid: 2, invalid: 1 })
  expect(station.override).toMatchObject({ samples: 2, accruedHundredths: 30, settled: 0 })
  const team = station.children.find((c: { id: string }) => c.id === 'gz-tianhe-t1')
  expect(team.total).toEqual({ valid: 2, invalid: 1 })
  // 我的单位: each sub-unit's counts of today, and the code ranked by valid samples (counters).
  expect(team.today).toEqual({ valid: 2, invalid: 1 })
  expect(station.topCodes).toEqual([
    { code, label: null, total: { valid: 2, invalid: 1 }, today: { valid: 2, invalid: 1 } },
  ])
  const settled = await call('volunteer', ADMIN, {
    action: 'settleOverride',
    nodeId: 'gz-tianhe',
    requestId: rid('settle'),
  })
  expect(settled).toMatchObject({ posted: 0, settled: 0, accruedHundredths: 30 })
  // The unit above the station counts the samples too (its subtree), but takes no override.
  const city = await call('volunteer', 'o-demo-unit-admin', {
    action: 'nodeOverview',
    nodeId: 'gd-gz',
  })
  expect(city.total).toEqual({ valid: 2, invalid: 1 })
  expect(city.override.samples).toBe(0)
  expect(city.topCodes.map((c: { code: string }) => c.code)).toEqual([code])

  // reconcile covers the new collections: test/integration/reconcile.test.ts
})
