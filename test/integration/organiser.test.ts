// The organiser function through the real function host and gateway: the dashboard equals a
// recount of the stored responses, the export's rows are the valid samples with no openid in the
// file, the offline draw commits, reveals and verifies (a changed list or seed is caught), a
// target table with bad rows writes nothing, the review moves both ways with reconcile clean,
// subsidies settle once, and a unit admin meets FORBIDDEN outside their subtree with nothing
// written; every mutation leaves an audit entry.
import type { AddressInfo } from 'node:net'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { chinaDayKey, chinaHourKey, questionnaireSchema, seedHash, verifyDraw } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { createGateway } from '../../emulator/gateway'
import { getDb, setClockForTests } from '../../server/db'
import { clearPseudonymKey, pseudonymizer } from '../../server/organiser/access'
import { nodeCrypto } from '../../server/organiser/draws'
import { questionnaireFor } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'
import { ROLES } from '../../server/records/roles'
import { reconcile } from '../../scripts/reconcile'
import { seed } from '../../scripts/seed'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'

const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const clock = { now: SEEDED_AT + 3_600_000 }
const COMMITTEE_WEB = 'committee-1'
const SZ_WEB = 'sz-admin-1'
let local: LocalCloud
let host: FunctionHost
let app: FastifyInstance
let base: string

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string; message: string } }
let seq = 0
const rid = (label: string) => `${label}-${String(++seq).padStart(6, '0')}`

async function web(uid: string, body: object): Promise<Reply> {
  const res = await fetch(`${base}/functions/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cb-uid': uid },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Reply
}
const wx = (fn: string, openid: string, event: object) =>
  host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<Reply>

/** Every document of a collection (a test's small data set). */
async function all(collection: string): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = []
  for (let skip = 0; ; skip += 1000) {
    const page = (await getDb().collection(collection).skip(skip).limit(1000).get()).data
    out.push(...(page as Array<Record<string, unknown>>))
    if (page.length < 1000) return out
  }
}
const count = async (collection: string) => (await all(collection)).length

beforeAll(async () => {
  local = startLocalCloud()
  setClockForTests(() => clock.now)
  clearConfigCache()
  clearPseudonymKey()
  await seed({ nowMs: SEEDED_AT })
  host = createFunctionHost({
    cloud: local,
    from: 'source',
    only: ['organiser', 'survey', 'volunteer', 'wallet'],
  })
  app = createGateway({ host, log: () => {} })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  local.storage.baseUrl = `${base}/storage`
  const users = getDb().collection('consoleUsers')
  await users
    .doc(COMMITTEE_WEB)
    .set({ data: { name: '秘书处', committee: true, nodeIds: [], active: true } })
  await users
    .doc(SZ_WEB)
    .set({ data: { name: '深圳协会', committee: false, nodeIds: ['gd-sz'], active: true } })
  await getDb()
    .collection(ROLES)
    .doc('o-org-wx')
    .set({ data: { roles: ['organiser'] } })

  // The seeded campaign: respondents through a Tianhe volunteer's code, through a Nanshan node
  // code, and without a code; every fourth a speeder (invalid).
  const q = questionnaireSchema.parse(await questionnaireFor('demo'))
  const tianhe = (
    await wx('volunteer', 'o-demo-volunteer', {
      action: 'ensureCode',
      nodeId: 'gz-tianhe-t1',
      requestId: rid('code'),
    })
  ).data.code
  const nanshan = (
    await wx('volunteer', 'o-demo-unit-admin', {
      action: 'ensureCode',
      nodeId: 'sz-nanshan',
      forNode: true,
      requestId: rid('code'),
    })
  ).data.code
  for (let i = 0; i < 30; i++) {
    const who = `o-resp-${i}`
    const scene = i < 14 ? `c=${tianhe}` : i < 22 ? `c=${nanshan}` : undefined
    await wx('survey', who, {
      action: 'start',
      version: 'public',
      ...(scene ? { scene } : {}),
      requestId: rid('start'),
    })
    clock.now += i % 4 === 3 ? 2_000 : 600_000
    // Every fifth sends paradata whose page time the server's clock cannot have seen (an
    // implausible timing: a paradata outlier, counted for the paradata alert, not invalid).
    const r = await wx('survey', who, {
      action: 'submitSection',
      sectionId: 'main',
      answers: validMainAnswers(q, 'public', seededRandom(1000 + i)),
      ...(i % 5 === 1 ? { paradata: { visibleMs: 9_000_000, questions: {} } } : {}),
      requestId: rid('submit'),
    })
    expect(r.ok).toBe(true)
  }
}, 120_000)

afterAll(async () => {
  await app.close()
  setClockForTests(undefined)
  local.close()
})

interface Resp {
  _id: string
  openid: string
  sample: { valid: boolean; cityCode: string | null; provinceCode: string | null } | null
  attribution: { nodePath?: string[]; teamId?: string | null; code?: string | null }
  sections: Record<
    string,
    {
      submittedAt: Date | string
      signals: { paradata: { plausible: boolean; fast: boolean } | null }
    }
  >
}
const responses = async () => (await all('responses')) as unknown as Resp[]

it('signs a console account in through the gateway, and refuses an unknown one', async () => {
  const ok = await fetch(`${base}/auth/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ uid: COMMITTEE_WEB }),
  })
  expect(await ok.json()).toMatchObject({
    ok: true,
    data: { uid: COMMITTEE_WEB, header: 'x-cb-uid', committee: true },
  })
  const no = await fetch(`${base}/auth/sign-in`, {
    method: 'POST',
    body: JSON.stringify({ uid: 'nobody-1' }),
  })
  expect(no.status).toBe(401)
  expect((await web('nobody-1', { action: 'whoami' })).error?.code).toBe('FORBIDDEN')
})

it('dashboard numbers equal a recount of the stored responses', async () => {
  const rs = await responses()
  const recount = (filter: (r: Resp) => boolean) => ({
    valid: rs.filter((r) => r.sample && filter(r) && r.sample.valid).length,
    invalid: rs.filter((r) => r.sample && filter(r) && !r.sample.valid).length,
  })
  const national = await web(COMMITTEE_WEB, { action: 'dashboard' })
  expect(national.ok).toBe(true)
  expect(national.data.national).toEqual(recount(() => true))
  const byCity: Record<string, { valid: number; invalid: number }> = {}
  for (const r of rs) {
    if (!r.sample?.cityCode) continue
    const t = (byCity[r.sample.cityCode] ??= { valid: 0, invalid: 0 })
    if (r.sample.valid) t.valid++
    else t.invalid++
  }
  expect(
    Object.fromEntries(
      national.data.cities.map((c: { code: string; valid: number; invalid: number }) => [
        c.code,
        { valid: c.valid, invalid: c.invalid },
      ]),
    ),
  ).toEqual(byCity)
  const hours = national.data.hours.reduce(
    (s: number, h: { valid: number; invalid: number }) => s + h.valid + h.invalid,
    0,
  )
  const days = national.data.days.reduce(
    (s: number, h: { valid: number; invalid: number }) => s + h.valid + h.invalid,
    0,
  )
  expect(days).toBe(rs.length)
  expect(hours).toBeLessThanOrEqual(rs.length)

  const gd = await wx('organiser', 'o-demo-unit-admin', { action: 'dashboard' })
  expect(gd.data.scope.nodeId).toBe('gd')
  expect(gd.data.total).toEqual(recount((r) => (r.attribution.nodePath ?? []).includes('gd')))
  const row = (id: string) => gd.data.nodes.find((n: { nodeId: string }) => n.nodeId === id)
  expect(row('gz-tianhe').total).toEqual(
    recount((r) => (r.attribution.nodePath ?? []).includes('gz-tianhe')),
  )
  expect(row('sz-nanshan').total).toEqual(
    recount((r) => (r.attribution.nodePath ?? []).includes('sz-nanshan')),
  )
  expect(gd.data.national).toEqual(national.data.national)
  const token = await wx('organiser', 'o-demo-unit-admin', { action: 'changeToken' })
  expect(token.data.token).toBe(gd.data.token)

  const codes = await web(SZ_WEB, { action: 'codeBreakdown', nodeId: 'gd-sz' })
  expect(codes.data.codes).toHaveLength(1)
  expect(codes.data.codes[0].total).toEqual(
    recount((r) => (r.attribution.nodePath ?? []).includes('sz-nanshan')),
  )
})

it("a unit's and a station's province → city, day and hour breakdowns equal a recount", async () => {
  const rs = (await responses()).filter((r) => r.sample)
  /** The breakdowns of a node's samples, recounted from the responses themselves. */
  const recount = (nodeId: string) => {
    const mine = rs.filter((r) => (r.attribution.nodePath ?? []).includes(nodeId))
    const by = (key: (r: Resp) => string | null) => {
      const out: Record<string, { valid: number; invalid: number }> = {}
      for (const r of mine) {
        const k = key(r)
        if (!k) continue
        const t = (out[k] ??= { valid: 0, invalid: 0 })
        if (r.sample!.valid) t.valid++
        else t.invalid++
      }
      return out
    }
    const at = (r: Resp) => new Date(r.sections.main!.submittedAt).getTime()
    return {
      provinces: by((r) => r.sample!.provinceCode),
      cities: by((r) => r.sample!.cityCode),
      days: by((r) => chinaDayKey(at(r)).slice(1)),
      hours: by((r) =>
        chinaDayKey(at(r)) === chinaDayKey(clock.now) ? chinaHourKey(at(r)) : null,
      ),
      paradata: mine.filter((r) => {
        const p = r.sections.main!.signals.paradata
        return p !== null && (!p.plausible || p.fast)
      }).length,
    }
  }
  type Row = { valid: number; invalid: number } & Record<string, unknown>
  const keyed = (list: Row[], key: string) =>
    Object.fromEntries(list.map((x) => [x[key], { valid: x.valid, invalid: x.invalid }]))
  const asServed = (d: {
    provinces: Row[]
    cities: Row[]
    days: Row[]
    hours: Row[]
    flags: Record<string, number>
  }) => ({
    provinces: keyed(d.provinces, 'code'),
    cities: keyed(d.cities, 'code'),
    days: keyed(d.days, 'day'),
    hours: keyed(d.hours, 'hour'),
    paradata: d.flags.paradataOutliers,
  })

  const gd = await wx('organiser', 'o-demo-unit-admin', { action: 'dashboard' })
  const expected = recount('gd')
  expect(Object.keys(expected.cities).length).toBeGreaterThan(0)
  expect(expected.paradata).toBeGreaterThan(0)
  expect(asServed(gd.data)).toEqual(expected)
  // A city unit's and a station's own slices, read by the unit admin and by a Shenzhen account.
  for (const [caller, nodeId] of [
    [() => wx('organiser', 'o-demo-unit-admin', { action: 'dashboard', nodeId: 'gd-gz' }), 'gd-gz'],
    [() => web(SZ_WEB, { action: 'dashboard', nodeId: 'sz-nanshan' }), 'sz-nanshan'],
  ] as const) {
    const d = await caller()
    expect(d.ok).toBe(true)
    expect(asServed(d.data)).toEqual(recount(nodeId))
  }
  // The ranking timer's pass, then the unit's top codes: the two codes by valid samples.
  expect(gd.data.topCodes).toEqual([])
  const pass = await host.invoke(
    'volunteer',
    { Type: 'Timer', TriggerName: 'rankCodes' },
    { openid: '' },
  )
  expect(pass).toMatchObject({ ok: true, data: { codes: 2 } })
  const ranked = await wx('organiser', 'o-demo-unit-admin', { action: 'dashboard' })
  const byCode = new Map<string, { valid: number; invalid: number }>()
  for (const r of rs) {
    const c = r.attribution.code
    if (!c) continue
    const t = byCode.get(c) ?? { valid: 0, invalid: 0 }
    if (r.sample!.valid) t.valid++
    else t.invalid++
    byCode.set(c, t)
  }
  expect(
    ranked.data.topCodes.map((c: { code: string; total: object }) => [c.code, c.total]),
  ).toEqual([...byCode].sort((a, b) => b[1].valid - a[1].valid))
  expect(ranked.data.rankedAt).not.toBeNull()

  // The next day: today's hours are empty, the seeded day's are read from that day's documents.
  const seededDay = chinaDayKey(clock.now).slice(1)
  const saved = clock.now
  clock.now += 86_400_000
  try {
    const next = await wx('organiser', 'o-demo-unit-admin', { action: 'dashboard' })
    expect(next.data.hours).toEqual([])
    expect(keyed(next.data.days, 'day')[seededDay]).toEqual(gd.data.total)
    const past = await wx('organiser', 'o-demo-unit-admin', { action: 'dashboard', day: seededDay })
    expect(keyed(past.data.hours, 'hour')).toEqual(expected.hours)
  } finally {
    clock.now = saved
  }
})

it('a unit admin outside their subtree: FORBIDDEN for stats, export, review and draws, nothing written', async () => {
  const before = {
    jobs: await count('exportJobs'),
    draws: await count('offlineDraws'),
    audit: await count('auditLog'),
  }
  expect((await web(SZ_WEB, { action: 'dashboard', nodeId: 'gz-tianhe' })).error?.code).toBe(
    'FORBIDDEN',
  )
  // Another unit's province/city and hour breakdowns, by day too: the same refusal.
  expect(
    (await web(SZ_WEB, { action: 'dashboard', nodeId: 'gd-gz', day: '20250301' })).error?.code,
  ).toBe('FORBIDDEN')
  expect(
    (await wx('organiser', 'o-demo-station-admin', { action: 'dashboard', nodeId: 'gd' })).error
      ?.code,
  ).toBe('FORBIDDEN')
  expect((await web(SZ_WEB, { action: 'codeBreakdown', nodeId: 'gd' })).error?.code).toBe(
    'FORBIDDEN',
  )
  expect(
    (
      await web(SZ_WEB, {
        action: 'startExport',
        nodeId: 'gz-tianhe',
        format: 'csv',
        requestId: rid('x'),
      })
    ).error?.code,
  ).toBe('FORBIDDEN')
  expect((await web(SZ_WEB, { action: 'reviewQueue', nodeId: 'gz-tianhe' })).error?.code).toBe(
    'FORBIDDEN',
  )
  const tianheSample = (await responses()).find(
    (r) => (r.attribution.nodePath ?? []).includes('gz-tianhe') && r.sample?.valid,
  )!
  expect(
    (
      await web(SZ_WEB, {
        action: 'confirmInvalid',
        responseId: tianheSample._id,
        reason: '越权',
        requestId: rid('x'),
      })
    ).error?.code,
  ).toBe('FORBIDDEN')
  expect(
    (
      await web(SZ_WEB, {
        action: 'defineDraw',
        title: '广州抽奖',
        regionCode: '440100',
        prizes: [{ kind: 'phone', label: '话费', count: 1, claim: '到场领取' }],
        requestId: rid('x'),
      })
    ).error?.code,
  ).toBe('FORBIDDEN')
  expect((await web(SZ_WEB, { action: 'subsidyReport' })).error?.code).toBe('FORBIDDEN')
  expect((await web(SZ_WEB, { action: 'auditLog' })).error?.code).toBe('FORBIDDEN')
  expect({
    jobs: await count('exportJobs'),
    draws: await count('offlineDraws'),
    audit: await count('auditLog'),
  }).toEqual(before)
})

it('exports the valid samples of a scope as CSV and XLSX with a codebook, no openid anywhere', async () => {
  const rs = await responses()
  const valid = rs.filter((r) => r.sample?.valid)
  const csvJob = await web(COMMITTEE_WEB, {
    action: 'startExport',
    format: 'csv',
    requestId: rid('export'),
  })
  expect(csvJob.data).toMatchObject({ status: 'done', rows: valid.length, expected: valid.length })
  const csv = await (await fetch(csvJob.data.url)).text()
  const lines = csv.trim().split(/\r\n/)
  expect(lines).toHaveLength(valid.length + 1)
  for (const r of rs) expect(csv).not.toContain(r.openid)
  const ids = lines.slice(1).map((l) => l.split(',')[0])
  expect(new Set(ids).size).toBe(valid.length)

  const sz = valid.filter((r) => (r.attribution.nodePath ?? []).includes('gd-sz'))
  const xJob = await web(SZ_WEB, {
    action: 'startExport',
    nodeId: 'gd-sz',
    format: 'xlsx',
    requestId: rid('export'),
  })
  expect(xJob.data).toMatchObject({ status: 'done', rows: sz.length })
  const bytes = Buffer.from(await (await fetch(xJob.data.url)).arrayBuffer())
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  expect(wb.getWorksheet('samples')!.rowCount).toBe(sz.length + 1)
  expect(wb.getWorksheet('codebook')!.rowCount).toBeGreaterThan(5)
  const text = JSON.stringify(wb.getWorksheet('samples')!.getSheetValues())
  for (const r of rs) expect(text).not.toContain(r.openid)
  const polled = await web(SZ_WEB, { action: 'exportJob', jobId: xJob.data.jobId })
  expect(polled.data.status).toBe('done')
  expect((await web(SZ_WEB, { action: 'exportJob', jobId: csvJob.data.jobId })).error?.code).toBe(
    'NOT_FOUND',
  )
})

it('runs an offline draw: commit, reveal, verify; a changed list or seed is detected', async () => {
  const rs = await responses()
  const cities = new Map<string, number>()
  for (const r of rs)
    if (r.sample?.valid && r.sample.cityCode)
      cities.set(r.sample.cityCode, (cities.get(r.sample.cityCode) ?? 0) + 1)
  const [city, eligible] = [...cities].sort((a, b) => b[1] - a[1])[0]!
  const prizes = [
    { kind: 'phone', label: '50 元话费', count: 1, claim: '凭中奖页面到活动现场领取' },
    {
      kind: 'data',
      label: '10GB 流量包',
      count: Math.min(2, eligible - 1),
      claim: '三日内充入中奖手机号',
    },
  ]
  const defined = await web(COMMITTEE_WEB, {
    action: 'defineDraw',
    title: '线下抽奖',
    regionCode: city,
    prizes,
    requestId: rid('draw'),
  })
  expect(defined.data.status).toBe('defined')
  const seed = 'ab'.repeat(32)
  const committed = await web(COMMITTEE_WEB, {
    action: 'commitDraw',
    drawId: defined.data.drawId,
    seedHash: seedHash(seed, nodeCrypto),
    requestId: rid('commit'),
  })
  expect(committed.data).toMatchObject({ status: 'committed', eligibleCount: eligible })
  const wrong = await web(COMMITTEE_WEB, {
    action: 'revealDraw',
    drawId: defined.data.drawId,
    seed: 'cd'.repeat(32),
    requestId: rid('reveal'),
  })
  expect(wrong.error?.code).toBe('SEED_MISMATCH')
  const revealed = await web(COMMITTEE_WEB, {
    action: 'revealDraw',
    drawId: defined.data.drawId,
    seed,
    requestId: rid('reveal'),
  })
  expect(revealed.data.status).toBe('revealed')
  const winners = revealed.data.winners as Array<{ id: string }>
  expect(new Set(winners.map((w) => w.id)).size).toBe(winners.length)

  const list = (await (await fetch(revealed.data.listUrl)).text()).split('\n')
  expect(list).toHaveLength(eligible)
  expect(verifyDraw(revealed.data, list, nodeCrypto)).toEqual({ ok: true, problems: [] })
  expect(verifyDraw(revealed.data, list.slice(1), nodeCrypto).ok).toBe(false)
  expect(verifyDraw({ ...revealed.data, seed: 'cd'.repeat(32) }, list, nodeCrypto).ok).toBe(false)

  // The winners see their prize in the mini-program; someone else sees none.
  let seen = 0
  for (const r of rs) {
    const mine = await wx('organiser', r.openid, { action: 'myPrizes' })
    expect(mine.ok).toBe(true)
    seen += mine.data.prizes.length
    for (const p of mine.data.prizes)
      expect(p).toMatchObject({
        drawId: defined.data.drawId,
        regionCode: revealed.data.regionCode,
        claim: expect.any(String),
        // The public record travels with the prize: the winner can recompute the draw.
        verification: {
          algorithm: revealed.data.algorithm,
          eligibleCount: eligible,
          listDigest: revealed.data.listDigest,
          seedHash: revealed.data.seedHash,
          seed,
        },
      })
  }
  expect(seen).toBe(winners.length)
})

it('imports a target table: bad rows are reported and nothing is written; a good one is written and audited', async () => {
  const before = (await getDb().collection('orgNodes').doc('gz-tianhe').get()).data as {
    targets: Record<string, number>
  }
  const bad = [
    '单位编号,单位名称,目标样本数',
    'gz-tianhe,天河,9000',
    'nowhere,无,10',
    'gz-tianhe-t1,一队,-5',
    'gz-tianhe,天河,100',
  ].join('\n')
  const r = await wx('organiser', 'o-demo-station-admin', {
    action: 'importTargets',
    format: 'csv',
    file: Buffer.from(bad).toString('base64'),
    requestId: rid('targets'),
  })
  expect(r.data.written).toBe(0)
  expect(r.data.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5])
  expect(
    ((await getDb().collection('orgNodes').doc('gz-tianhe').get()).data as typeof before).targets,
  ).toEqual(before.targets)

  const foreign = ['单位编号,目标样本数', 'sz-nanshan,10'].join('\n')
  const f = await wx('organiser', 'o-demo-station-admin', {
    action: 'importTargets',
    format: 'csv',
    file: Buffer.from(foreign).toString('base64'),
    requestId: rid('targets'),
  })
  expect(f.data.errors[0]).toMatchObject({ row: 2, column: '单位编号' })

  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('任务')
  ws.addRow(['单位编号', '单位名称', '目标样本数'])
  ws.addRow(['gz-tianhe', '天河', 9000])
  ws.addRow(['gz-tianhe-t1', '一队', 4000])
  const file = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64')
  const good = await wx('organiser', 'o-demo-station-admin', {
    action: 'importTargets',
    format: 'xlsx',
    file,
    requestId: rid('targets'),
  })
  expect(good.data).toMatchObject({ written: 2, errors: [] })
  const after = (await getDb().collection('orgNodes').doc('gz-tianhe').get()).data as typeof before
  expect(after.targets.demo).toBe(9000)
  const log = await web(COMMITTEE_WEB, { action: 'auditLog', limit: 200 })
  expect(
    log.data.entries.find((e: { action: string }) => e.action === 'importTargets'),
  ).toMatchObject({
    action: 'importTargets',
    who: { kind: 'wechat', id: 'o-demo-station-admin' },
    before: { 'gz-tianhe': before.targets.demo ?? 0 },
  })
  const exported = await web(SZ_WEB, { action: 'exportTargets', nodeId: 'gd-sz' })
  expect(exported.data.rows).toBeGreaterThan(0)
})

it('review both ways: confirm-invalid then restore-valid, counters and rewards follow, reconcile clean', async () => {
  const sample = (await responses()).find(
    (r) => (r.attribution.nodePath ?? []).includes('gz-tianhe') && r.sample?.valid,
  )!
  const dash = async () =>
    (await web(COMMITTEE_WEB, { action: 'dashboard', nodeId: 'gz-tianhe' })).data.total
  const start = await dash()
  const inv = await web(COMMITTEE_WEB, {
    action: 'confirmInvalid',
    responseId: sample._id,
    reason: '复核：雷同',
    requestId: rid('inv'),
  })
  expect(inv.data).toEqual({ responseId: sample._id, valid: false })
  expect(await dash()).toEqual({ valid: start.valid - 1, invalid: start.invalid + 1 })
  expect(reconcile(local.store).differences).toEqual([])
  const again = await web(COMMITTEE_WEB, {
    action: 'confirmInvalid',
    responseId: sample._id,
    reason: '复核：雷同',
    requestId: rid('inv'),
  })
  expect(again.error?.code).toBe('NO_TRANSITION')
  expect(
    (
      await wx('organiser', 'o-demo-unit-admin', {
        action: 'restoreValid',
        responseId: sample._id,
        reason: '申诉',
        requestId: rid('rs'),
      })
    ).error?.code,
  ).toBe('FORBIDDEN')
  const rs = await web(COMMITTEE_WEB, {
    action: 'restoreValid',
    responseId: sample._id,
    reason: '申诉成立',
    requestId: rid('rs'),
  })
  expect(rs.data).toEqual({ responseId: sample._id, valid: true })
  expect(await dash()).toEqual(start)
  // A speeder restored: it gets the share reward it never had.
  const speeder = (await responses()).find(
    (r) => (r.attribution.nodePath ?? []).includes('gz-tianhe') && r.sample && !r.sample.valid,
  )!
  const queue = await web(COMMITTEE_WEB, { action: 'reviewQueue', flag: 'speeder' })
  expect(JSON.stringify(queue.data)).not.toContain(speeder.openid)
  const pseudonym = (await pseudonymizer('demo'))(speeder.openid)
  const item = queue.data.items.find((i: { respondent: string }) => i.respondent === pseudonym)
  expect(item).toMatchObject({
    valid: false,
    flags: ['speeder'],
    responseId: expect.stringMatching(/^h\./),
  })
  const restored = await web(COMMITTEE_WEB, {
    action: 'restoreValid',
    responseId: item.responseId,
    reason: '网速原因',
    requestId: rid('rs'),
  })
  expect(restored.data).toEqual({ responseId: item.responseId, valid: true })
  await web(COMMITTEE_WEB, {
    action: 'confirmInvalid',
    responseId: sample._id,
    reason: '再次复核',
    requestId: rid('inv'),
  })
  expect(reconcile(local.store).differences).toEqual([])
  const actions = (await web(COMMITTEE_WEB, { action: 'auditLog', limit: 200 })).data.entries.map(
    (e: { action: string }) => e.action,
  )
  expect(actions).toEqual(
    expect.arrayContaining([
      'confirmInvalid',
      'restoreValid',
      'defineDraw',
      'commitDraw',
      'revealDraw',
      'startExport',
    ]),
  )
})

it('subsidies: money or points per unit; points settle once to the unit account', async () => {
  const report = await web(COMMITTEE_WEB, { action: 'subsidyReport' })
  const gd = report.data.rows.find((r: { nodeId: string }) => r.nodeId === 'gd')
  expect(gd).toMatchObject({ form: 'money', moneyFen: gd.valid * 10, points: gd.valid })
  await web(COMMITTEE_WEB, {
    action: 'setSubsidyForm',
    nodeId: 'gd',
    form: 'points',
    requestId: rid('form'),
  })
  const requestId = rid('settle')
  const settled = await web(COMMITTEE_WEB, { action: 'settleSubsidies', requestId })
  expect(settled.data.settled).toEqual([{ nodeId: 'gd', points: gd.valid }])
  expect(await web(COMMITTEE_WEB, { action: 'settleSubsidies', requestId })).toEqual(settled)
  expect(
    (await web(COMMITTEE_WEB, { action: 'settleSubsidies', requestId: rid('settle') })).data.points,
  ).toBe(0)
  const account = (await getDb().collection('pointAccounts').doc('node:gd').get()).data as {
    balance: number
  }
  expect(account.balance).toBeGreaterThanOrEqual(gd.valid)
  const table = await web(COMMITTEE_WEB, { action: 'exportSubsidies' })
  expect(table.data.rows).toBe(report.data.rows.length)
  expect(reconcile(local.store).differences).toEqual([])
})

it('activity rewards: a CSV preview names the bad lines; the grant is one idempotent batch', async () => {
  const code = (await wx('wallet', 'o-resp-0', { action: 'balance' })).data.userCode
  const preview = await web(COMMITTEE_WEB, {
    action: 'previewRewards',
    csv: `用户码,积分\n${code},5\nBADCODE1,3\n`,
  })
  expect(preview.data.errors).toBe(1)
  const grant = await web(COMMITTEE_WEB, {
    action: 'grantRewards',
    csv: `${code},5\n`,
    reason: '线下活动',
    requestId: rid('grant'),
  })
  expect(grant.data).toMatchObject({ granted: 1, total: 5 })
  expect((await web(SZ_WEB, { action: 'previewRewards', csv: `${code},5` })).error?.code).toBe(
    'FORBIDDEN',
  )
})
