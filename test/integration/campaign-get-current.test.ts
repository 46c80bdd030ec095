// campaign.getCurrent on the in-memory local cloud, through the function host and the real SDK.
import { currentCampaignSchema } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { loadCampaigns } from '../../campaigns/load'
import { CAMPAIGNS_COLLECTION } from '../../server/records/campaigns'
import { getDb, readDoc, setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'
import { seed } from '../../scripts/seed'

let cloud: LocalCloud
let host: FunctionHost
const caller = { openid: 'o-netizen-1' }

beforeEach(() => {
  // Each test seeds its own campaigns: nothing read by an earlier one may be kept.
  clearConfigCache()
  cloud = startLocalCloud()
  host = createFunctionHost({ cloud, from: 'source', only: ['campaign'] })
})
afterEach(() => {
  setClockForTests(undefined)
  cloud.close()
})

async function insert2024(): Promise<void> {
  const c2024 = loadCampaigns().find((c) => c.id === 'wal-2024')!
  await getDb().collection(CAMPAIGNS_COLLECTION).doc(c2024.id).set({ data: c2024 })
}

async function getCurrentAt(iso: string) {
  setClockForTests(new Date(iso))
  return host.invoke('campaign', { action: 'getCurrent' }, caller)
}

test('replies NO_CAMPAIGN when no campaign is configured', async () => {
  await expect(getCurrentAt('2024-07-20T12:00:00+08:00')).resolves.toEqual({
    ok: false,
    error: { code: 'NO_CAMPAIGN', message: expect.any(String) },
  })
})

test('during the window the campaign is open, in the reply shape the client checks', async () => {
  await insert2024()
  const reply = await getCurrentAt('2024-07-20T12:00:00+08:00')
  if (!reply.ok) throw new Error(JSON.stringify(reply))
  expect(currentCampaignSchema.parse(reply.data)).toEqual(reply.data)
  expect(reply.data).toMatchObject({
    id: 'wal-2024',
    year: 2024,
    status: 'open',
    serverTime: '2024-07-20T04:00:00.000Z',
  })
})

test.each([
  ['2024-07-16T23:59:59+08:00', 'upcoming'],
  ['2024-07-17T00:00:00+08:00', 'open'],
  ['2024-07-26T23:59:59+08:00', 'open'],
  ['2024-07-27T00:00:00+08:00', 'closed'],
])('at %s the 2024 campaign is %s (07-26 24:00 is the end)', async (iso, status) => {
  await insert2024()
  await expect(getCurrentAt(iso)).resolves.toMatchObject({
    ok: true,
    data: { id: 'wal-2024', status },
  })
})

test('an open demo wins over a closed real campaign, and an upcoming one over a closed one', async () => {
  await seed({ nowMs: Date.parse('2025-03-01T10:00:00+08:00') })
  await expect(getCurrentAt('2025-03-02T10:00:00+08:00')).resolves.toMatchObject({
    data: { id: 'demo', status: 'open', window: { startsAt: '2025-03-01T00:00:00+08:00' } },
  })
  await expect(getCurrentAt('2024-07-01T10:00:00+08:00')).resolves.toMatchObject({
    data: { id: 'wal-2024', status: 'upcoming' },
  })
})

test('a hand-broken campaign document is skipped, not fatal', async () => {
  await insert2024()
  await getDb()
    .collection(CAMPAIGNS_COLLECTION)
    .doc('broken')
    .set({ data: { id: 'broken', window: 'soon' } })
  const warned = jest.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    await expect(getCurrentAt('2024-07-20T12:00:00+08:00')).resolves.toMatchObject({
      data: { id: 'wal-2024' },
    })
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('broken'))
  } finally {
    warned.mockRestore()
  }
})

describe('seed', () => {
  const day1 = Date.parse('2025-03-01T10:00:00+08:00')

  test('creates every campaign, and a second run changes nothing while the demo is open', async () => {
    await expect(seed({ nowMs: day1 })).resolves.toEqual({
      demo: 'created',
      'demo console accounts (2)': 'created',
      'demo questionnaire': 'created',
      'demo draw table 2024.1': 'created',
      'demo rewards': 'created',
      'demo organisations (10 nodes)': 'created',
      'demo retention (180 days)': 'created',
      'demo store (7 items, 12 stores)': 'created',
      'demo content (8 items, 3 quizzes, 112 faqs)': 'created',
      'wal-2024': 'created',
      'wal-2024 questionnaire': 'created',
      'wal-2024 draw table 2024.1': 'created',
      'wal-2024 rewards': 'created',
      'wal-2024 retention (180 days)': 'created',
    })
    cloud.store.resetOps()
    await expect(seed({ nowMs: day1 + 5 * 86_400_000 })).resolves.toEqual({
      demo: 'unchanged',
      'demo console accounts (2)': 'unchanged',
      'demo questionnaire': 'unchanged',
      'demo draw table 2024.1': 'unchanged',
      'demo rewards': 'unchanged',
      'demo organisations (10 nodes)': 'unchanged',
      'demo retention (180 days)': 'unchanged',
      'demo store (7 items, 12 stores)': 'unchanged',
      'demo content (8 items, 3 quizzes, 112 faqs)': 'unchanged',
      'wal-2024': 'unchanged',
      'wal-2024 questionnaire': 'unchanged',
      'wal-2024 draw table 2024.1': 'unchanged',
      'wal-2024 rewards': 'unchanged',
      'wal-2024 retention (180 days)': 'unchanged',
    })
    expect(cloud.store.ops['database.modifyDocument'] ?? 0).toBe(0)
  })

  test('refreshes the demo window once it is no longer open', async () => {
    await seed({ nowMs: day1 })
    const later = day1 + 30 * 86_400_000 // 2025-03-31, long after the 10-day window
    await expect(seed({ nowMs: later })).resolves.toMatchObject({
      demo: 'updated',
      'wal-2024': 'unchanged',
    })
    const demo = await readDoc<{ window: { startsAt: string } }>(
      getDb().collection(CAMPAIGNS_COLLECTION).doc('demo'),
    )
    expect(demo?.window.startsAt).toBe('2025-03-31T00:00:00+08:00')
  })
})
