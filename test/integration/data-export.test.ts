// npm run data:export / data:import: the seeded demo plus some activity (a survey, a draw, points,
// a redemption with its Geo-pointed store) exported, imported into a fresh file, exported again:
// the same bytes, every document equal, reconcile clean on the copy.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { questionnaireSchema } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { DocumentStore } from '../../emulator/db/store'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { exportData, importData } from '../../scripts/data-files'
import { reconcile } from '../../scripts/reconcile'
import { seed } from '../../scripts/seed'
import { getDb, setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'

const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const clock = { now: SEEDED_AT + 3_600_000 }
let dir: string
let cloud: LocalCloud
let host: FunctionHost

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any }
const call = (fn: string, openid: string, event: object) =>
  host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<Reply>

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wal-export-'))
  cloud = startLocalCloud({ file: path.join(dir, 'source.sqlite') })
  setClockForTests(() => clock.now)
  clearConfigCache()
  await seed({ nowMs: SEEDED_AT })
  host = createFunctionHost({
    cloud,
    from: 'source',
    only: ['survey', 'draw', 'wallet', 'store'],
  })
  await getDb()
    .collection('roles')
    .doc('o-org')
    .set({ data: { roles: ['organiser'] } })
  for (const [i, me] of ['o-exp-1', 'o-exp-2'].entries()) {
    await call('survey', me, { action: 'start', version: 'public', requestId: `export-start-${i}` })
    clock.now += 10 * 60_000
    const { _id: _ignored, ...q } = (await getDb().collection('questionnaires').doc('demo').get())
      .data as Record<string, unknown>
    const answers = validMainAnswers(questionnaireSchema.parse(q), 'public', seededRandom(i + 1))
    answers.region = {
      provinceCode: '440000',
      provinceName: '广东省',
      cityCode: '440100',
      cityName: '广州市',
    }
    const sent = await call('survey', me, {
      action: 'submitSection',
      sectionId: 'main',
      requestId: `export-main-${i}`,
      answers,
    })
    expect(sent).toEqual(expect.objectContaining({ ok: true }))
    expect(
      (await call('draw', me, { action: 'draw', kind: 'nine_grid', requestId: `export-draw-${i}` }))
        .ok,
    ).toBe(true)
    const { userCode } = (await call('wallet', me, { action: 'balance' })).data
    await call('wallet', 'o-org', {
      action: 'grantActivityReward',
      reason: '导出测试',
      grants: [{ userCode, amount: 100 }],
      requestId: `export-grant-${i}`,
    })
    const redeemed = await call('store', me, {
      action: 'redeem',
      itemId: 'mug-safety',
      storeId: 'gz-tianhe-jianshe',
      requestId: `export-redeem-${i}`,
    })
    expect(redeemed.ok).toBe(true)
  }
}, 60_000)

afterAll(() => {
  setClockForTests(undefined)
  cloud.close()
  rmSync(dir, { recursive: true, force: true })
})

function filesOf(d: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(d)
      .sort()
      .map((f) => [f, readFileSync(path.join(d, f), 'utf8')]),
  )
}

it('round-trips byte for byte into a fresh file; every document equal, reconcile clean', async () => {
  expect(reconcile(cloud.store).differences).toEqual([])
  const first = path.join(dir, 'first')
  const counts = exportData(cloud.store, first)
  expect(counts.responses).toBe(2)
  expect(counts.reservations).toBe(2)
  expect(counts.pickupStores).toBe(12)

  // A fresh file with nothing declared: the export alone brings collections and indexes.
  const copy = new DocumentStore({
    file: path.join(dir, 'copy.sqlite'),
    collectionsDir: '/nonexistent',
  })
  expect(importData(copy, first)).toEqual(counts)
  for (const name of cloud.store.collectionNames()) {
    expect(copy.listIndexes(name)).toEqual(cloud.store.listIndexes(name))
    expect(copy.find(name, {}, { order: { _id: 1 } })).toEqual(
      cloud.store.find(name, {}, { order: { _id: 1 } }),
    )
  }
  const store = copy.find('pickupStores', { _id: 'gz-tianhe-jianshe' })[0]!
  expect(store.location).toEqual({ type: 'Point', coordinates: [113.3612, 23.1247] })
  expect(copy.find('responses', {})[0]!.startedAt).toBeInstanceOf(Date)
  expect(reconcile(copy).differences).toEqual([])

  const second = path.join(dir, 'second')
  exportData(copy, second)
  expect(filesOf(second)).toEqual(filesOf(first))

  // Into a file that has data: refused unless --replace.
  expect(() => importData(copy, first)).toThrow(/already holds documents .*--replace/)
  expect(importData(copy, first, { replace: true })).toEqual(counts)
  copy.close()
})
