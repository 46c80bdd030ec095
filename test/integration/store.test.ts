// The points store end to end on the seeded demo: the nearest pickup stores by geoNear, a gift
// reserved (points, stock and reservation together), the clerk's pickup, a cancellation, an expiry
// refunded once by the timer, the refusals (points, region, limit, no-shows), and the storms:
// 1,000 reservations for 50 in stock, cancel against pickup, two timers at once.
import { getDb } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'
import { RESPONSES, responseId, newResponse } from '../../server/records/responses'
import { ROLES } from '../../server/records/roles'
import { reconcile } from '../../scripts/reconcile'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { questionnaireFor } from '../../server/records/campaigns'
import { questionnaireSchema } from 'wal-core'
import { SEEDED_AT, useSeededGateway } from './seeded-gateway'

const clock = { now: SEEDED_AT + 3_600_000 }
const TIANHE = { lng: 113.3615, lat: 23.1245 }
const JIANSHE = 'gz-tianhe-jianshe'
const CLERK = 'o-demo-clerk'

const world = useSeededGateway({
  only: ['store', 'wallet', 'survey', 'volunteer'],
  now: () => clock.now,
})
beforeAll(async () => {
  await getDb()
    .collection(ROLES)
    .doc('o-store-organiser')
    .set({ data: { roles: ['organiser'] } })
})

let seq = 0
const rid = (label: string) => `${label}-${String(++seq).padStart(6, '0')}`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string; message: string } }

async function http(fn: string, openid: string, body: object): Promise<Reply> {
  const res = await fetch(`${world.base}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Reply
}
/** In process (the storms: a thousand HTTP requests would test the loopback, not the store). */
const direct = (fn: string, openid: string, event: object) =>
  world.host.invoke(fn, event as Record<string, unknown>, { openid }) as Promise<Reply>

async function fund(openids: string[], amount: number): Promise<void> {
  const codes: string[] = []
  for (const o of openids)
    codes.push((await direct('wallet', o, { action: 'balance' })).data.userCode)
  for (let i = 0; i < codes.length; i += 500) {
    const granted = await direct('wallet', 'o-store-organiser', {
      action: 'grantActivityReward',
      reason: '商城测试积分',
      grants: codes.slice(i, i + 500).map((userCode) => ({ userCode, amount })),
      requestId: rid('fund'),
    })
    expect(granted.ok).toBe(true)
  }
}

async function balanceOf(openid: string): Promise<number> {
  return (await direct('wallet', openid, { action: 'balance' })).data.balance
}

async function stockOf(itemId: string, storeId: string): Promise<number> {
  return (await direct('store', 'o-any', { action: 'store', storeId, itemId })).data.store.stock
}

/** A valid sample from `cityCode` (the region restriction reads it). */
async function sampleFrom(openid: string, cityCode: string): Promise<void> {
  const { _id, ...data } = newResponse('demo', openid, 'public', new Date(clock.now))
  await getDb()
    .collection(RESPONSES)
    .doc(responseId('demo', openid))
    .set({ data: { ...data, sample: { valid: true, provinceCode: '440000', cityCode } } })
  expect(_id).toBe(responseId('demo', openid))
}

describe('finding a store', () => {
  it('lists pickup stores nearest first, with distances, from the database geoNear', async () => {
    const reply = await http('store', 'o-browse', {
      action: 'nearbyStores',
      near: TIANHE,
      itemId: 'mug-safety',
      limit: 5,
    })
    expect(reply.ok).toBe(true)
    const stores = reply.data.stores as Array<{ id: string; distanceMeters: number; stock: number }>
    expect(stores[0]!.id).toBe(JIANSHE)
    expect(stores[0]!.distanceMeters).toBeLessThan(100)
    const distances = stores.map((s) => s.distanceMeters)
    expect(distances).toEqual([...distances].sort((a, b) => a - b))
    expect(stores.every((s) => s.stock > 0)).toBe(true)
    expect(stores.every((s) => s.id.startsWith('gz-'))).toBe(true) // Shenzhen is 100 km away
  })

  it('without a position, lists a city; the cities with stores are named', async () => {
    const reply = await http('store', 'o-browse', { action: 'nearbyStores', cityCode: '440300' })
    expect(reply.data.stores).toHaveLength(6)
    expect(
      reply.data.stores.every((s: { distanceMeters: null }) => s.distanceMeters === null),
    ).toBe(true)
    expect(reply.data.cities).toEqual(
      expect.arrayContaining([
        { cityCode: '440100', name: '广州市', stores: 6 },
        { cityCode: '440300', name: '深圳市', stores: 6 },
      ]),
    )
  })

  it('a store far from every store gets an empty list, not an error', async () => {
    const reply = await http('store', 'o-browse', {
      action: 'nearbyStores',
      near: { lng: 87.6, lat: 43.8 },
    })
    expect(reply.ok).toBe(true)
    expect(reply.data.stores).toEqual([])
  })
})

describe('reserving, picking up, cancelling, expiring', () => {
  it('reserves a gift, shows the code, and the clerk hands it over', async () => {
    await fund(['o-shopper'], 100)
    const before = await stockOf('mug-safety', JIANSHE)
    const catalogue = await http('store', 'o-shopper', { action: 'catalogue' })
    expect(catalogue.data.balance).toBe(100)
    expect(catalogue.data.items.find((i: { id: string }) => i.id === 'mug-safety')).toMatchObject({
      pricePoints: 30,
      physical: true,
      available: true,
    })
    const reserved = await http('store', 'o-shopper', {
      action: 'redeem',
      itemId: 'mug-safety',
      storeId: JIANSHE,
      requestId: rid('redeem'),
    })
    expect(reserved.ok).toBe(true)
    const r = reserved.data.reservation
    expect(r).toMatchObject({ status: 'reserved', statusName: '待自提', store: { id: JIANSHE } })
    expect(r.pickupCode).toMatch(/^\d{6}$/)
    expect(r.scene).toBe(`r=${r.id}`)
    expect(reserved.data.balance).toBe(70)
    expect(await stockOf('mug-safety', JIANSHE)).toBe(before - 1)

    // Someone who is not a clerk of this store cannot see or hand it over.
    const stranger = await http('store', 'o-shopper', {
      action: 'lookupPickup',
      storeId: JIANSHE,
      code: r.pickupCode,
    })
    expect(stranger.error?.code).toBe('FORBIDDEN')

    const seen = await http('store', CLERK, {
      action: 'lookupPickup',
      storeId: JIANSHE,
      code: r.pickupCode,
    })
    expect(seen.data).toMatchObject({
      reservation: { id: r.id, itemTitle: '网络安全主题保温杯' },
      maskedNickname: '微信用户',
    })
    const desk = await http('store', CLERK, { action: 'clerkDesk', storeId: JIANSHE })
    expect(
      desk.data.pending.map((p: { reservation: { id: string } }) => p.reservation.id),
    ).toContain(r.id)

    const confirmId = rid('pickup')
    const picked = await http('store', CLERK, {
      action: 'confirmPickup',
      storeId: JIANSHE,
      reservationId: r.id,
      requestId: confirmId,
    })
    expect(picked.data.reservation.status).toBe('picked_up')
    const again = await http('store', CLERK, {
      action: 'confirmPickup',
      storeId: JIANSHE,
      reservationId: r.id,
      requestId: confirmId,
    })
    expect(again.data.reservation.status).toBe('picked_up') // the same request: its first reply
    const twice = await http('store', CLERK, {
      action: 'confirmPickup',
      storeId: JIANSHE,
      reservationId: r.id,
      requestId: rid('pickup'),
    })
    expect(twice.error?.code).toBe('NO_TRANSITION')
    const deskAfter = await http('store', CLERK, { action: 'clerkDesk', storeId: JIANSHE })
    expect(deskAfter.data.pickedUpToday).toHaveLength(1)
    // The stock left with the gift; the points stay spent.
    expect(await stockOf('mug-safety', JIANSHE)).toBe(before - 1)
    expect(await balanceOf('o-shopper')).toBe(70)
  })

  it('a cancelled reservation returns points and stock once; the same requestId with another item is refused', async () => {
    await fund(['o-canceller'], 100)
    const before = await stockOf('cable-3in1', JIANSHE)
    const redeemId = rid('redeem')
    const r = (
      await http('store', 'o-canceller', {
        action: 'redeem',
        itemId: 'cable-3in1',
        storeId: JIANSHE,
        requestId: redeemId,
      })
    ).data.reservation
    const mismatch = await http('store', 'o-canceller', {
      action: 'redeem',
      itemId: 'tote-clean-net',
      storeId: JIANSHE,
      requestId: redeemId,
    })
    expect(mismatch.error?.code).toBe('IDEMPOTENCY_MISMATCH')
    const cancelled = await http('store', 'o-canceller', {
      action: 'cancel',
      reservationId: r.id,
      requestId: rid('cancel'),
    })
    expect(cancelled.data).toMatchObject({ balance: 100, reservation: { status: 'cancelled' } })
    expect(await stockOf('cable-3in1', JIANSHE)).toBe(before)
    const twice = await http('store', 'o-canceller', {
      action: 'cancel',
      reservationId: r.id,
      requestId: rid('cancel'),
    })
    expect(twice.error?.code).toBe('NO_TRANSITION')
    expect(await balanceOf('o-canceller')).toBe(100)
    const others = await http('store', 'o-shopper', {
      action: 'cancel',
      reservationId: r.id,
      requestId: rid('cancel'),
    })
    expect(others.error?.code).toBe('NOT_FOUND')
  })

  it('an unclaimed reservation expires and is refunded exactly once, even with two timers at once', async () => {
    await fund(['o-forgetful'], 100)
    const before = await stockOf('tote-clean-net', JIANSHE)
    const r = (
      await http('store', 'o-forgetful', {
        action: 'redeem',
        itemId: 'tote-clean-net',
        storeId: JIANSHE,
        requestId: rid('redeem'),
      })
    ).data.reservation
    expect(await balanceOf('o-forgetful')).toBe(80)

    // A day before expiry the reminder goes out once.
    clock.now += 6.5 * 86_400_000
    await world.host.invoke('store', { Type: 'Timer' }, { openid: '' })
    await world.host.invoke('store', { Type: 'Timer' }, { openid: '' })
    expect(world.local.openapi.log.messages.filter((m) => m.openid === 'o-forgetful')).toHaveLength(
      1,
    )

    clock.now += 86_400_000
    const [a, b] = await Promise.all([
      world.host.invoke('store', { Type: 'Timer' }, { openid: '' }),
      world.host.invoke('store', { Type: 'Timer' }, { openid: '' }),
    ])
    expect([a, b].every((x) => (x as Reply).ok)).toBe(true)
    expect((a as Reply).data.expired + (b as Reply).data.expired).toBeGreaterThanOrEqual(1)
    expect(await balanceOf('o-forgetful')).toBe(100)
    expect(await stockOf('tote-clean-net', JIANSHE)).toBe(before)
    const mine = await http('store', 'o-forgetful', { action: 'myRedemptions' })
    expect(mine.data.items.find((x: { id: string }) => x.id === r.id)).toMatchObject({
      status: 'expired',
      pickupCode: null,
    })
    const late = await http('store', CLERK, {
      action: 'confirmPickup',
      storeId: JIANSHE,
      reservationId: r.id,
      requestId: rid('late'),
    })
    expect(late.error?.code).toBe('NO_TRANSITION')
    clock.now -= 7.5 * 86_400_000
  })

  it('a report unlocks its file; the certificate needs samples collected', async () => {
    await fund(['o-reader'], 100)
    const report = await http('store', 'o-reader', {
      action: 'redeem',
      itemId: 'report-2024-national',
      requestId: rid('redeem'),
    })
    expect(report.data.reservation).toMatchObject({ status: 'delivered', store: null })
    const pdf = await fetch(report.data.reservation.fileUrl)
    expect((await pdf.text()).startsWith('%PDF-')).toBe(true)
    const cert = await http('store', 'o-reader', {
      action: 'redeem',
      itemId: 'certificate-volunteer',
      requestId: rid('redeem'),
    })
    expect(cert.error).toMatchObject({ code: 'NOT_ELIGIBLE' })
    expect(cert.error!.message).toContain('10 份有效样本')
    expect(await balanceOf('o-reader')).toBe(90)
  })
})

describe('refusals leave nothing written', () => {
  it('not enough points, a local-only item from elsewhere, no store, bad input', async () => {
    await fund(['o-poor'], 10)
    const poor = await http('store', 'o-poor', {
      action: 'redeem',
      itemId: 'mug-safety',
      storeId: JIANSHE,
      requestId: rid('r'),
    })
    expect(poor.error?.code).toBe('INSUFFICIENT_POINTS')

    await fund(['o-shenzhen', 'o-guangzhou'], 200)
    await sampleFrom('o-shenzhen', '440300')
    await sampleFrom('o-guangzhou', '440100')
    const far = await http('store', 'o-shenzhen', {
      action: 'redeem',
      itemId: 'powerbank-gz-local',
      storeId: JIANSHE,
      requestId: rid('r'),
    })
    expect(far.error).toMatchObject({ code: 'REGION_RESTRICTED' })
    const near = await http('store', 'o-guangzhou', {
      action: 'redeem',
      itemId: 'powerbank-gz-local',
      storeId: JIANSHE,
      requestId: rid('r'),
    })
    expect(near.ok).toBe(true)

    const noStore = await http('store', 'o-shenzhen', {
      action: 'redeem',
      itemId: 'mug-safety',
      requestId: rid('r'),
    })
    expect(noStore.error?.code).toBe('BAD_REQUEST')
    const elsewhere = await http('store', 'o-shenzhen', {
      action: 'redeem',
      itemId: 'plush-four-treasures',
      storeId: 'sz-longhua-minzhi',
      requestId: rid('r'),
    })
    expect(elsewhere.error?.code).toBe('STORE_CLOSED')
    const bad = await http('store', 'o-shenzhen', {
      action: 'redeem',
      itemId: 'Mug!',
      storeId: JIANSHE,
      requestId: rid('r'),
    })
    expect(bad.error?.code).toBe('BAD_REQUEST')
    expect(await balanceOf('o-shenzhen')).toBe(200)
    expect(await balanceOf('o-poor')).toBe(10)
  })

  it('three no-shows pause reservations', async () => {
    await fund(['o-noshow'], 500)
    for (let i = 0; i < 3; i++) {
      const r = await http('store', 'o-noshow', {
        action: 'redeem',
        itemId: 'tote-clean-net',
        storeId: JIANSHE,
        requestId: rid('r'),
      })
      expect(r.error).toBeUndefined()
      clock.now += 8 * 86_400_000
      await world.host.invoke('store', { Type: 'Timer' }, { openid: '' })
    }
    const paused = await http('store', 'o-noshow', {
      action: 'redeem',
      itemId: 'tote-clean-net',
      storeId: JIANSHE,
      requestId: rid('r'),
    })
    expect(paused.error?.code).toBe('RESERVATIONS_PAUSED')
    expect(await balanceOf('o-noshow')).toBe(500)
    clock.now -= 24 * 86_400_000
  })
})

describe('storms', () => {
  it('1,000 concurrent reservations of an item with 50 in stock: exactly 50 succeed', async () => {
    const users = Array.from({ length: 1000 }, (_, i) => `o-rush-${i}`)
    await fund(users, 100)
    await direct('store', 'o-store-organiser', {
      action: 'restock',
      storeId: 'gz-panyu-shiqiao',
      itemId: 'tote-clean-net',
      amount: 25,
      requestId: rid('restock'),
    })
    const stock = await stockOf('tote-clean-net', 'gz-panyu-shiqiao')
    expect(stock).toBe(50) // 25 seeded, 25 restocked
    const replies = await Promise.all(
      users.map((u) =>
        direct('store', u, {
          action: 'redeem',
          itemId: 'tote-clean-net',
          storeId: 'gz-panyu-shiqiao',
          requestId: `rush-${u}`,
        }),
      ),
    )
    const ok = replies.filter((r) => r.ok).length
    const codes = new Set(replies.filter((r) => !r.ok).map((r) => r.error!.code))
    expect(ok).toBe(50)
    expect([...codes]).toEqual(['OUT_OF_STOCK'])
    expect(await stockOf('tote-clean-net', 'gz-panyu-shiqiao')).toBe(0)
    const balances = await Promise.all(users.map(balanceOf))
    expect(balances.filter((b) => b === 80)).toHaveLength(50)
    expect(balances.filter((b) => b === 100)).toHaveLength(950)
  })

  it('one person sending 10 redemptions at once gets only the per-person limit', async () => {
    await fund(['o-greedy'], 1000)
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        direct('store', 'o-greedy', {
          action: 'redeem',
          itemId: 'plush-four-treasures',
          storeId: JIANSHE,
          requestId: `greedy-${i}-xx`,
        }),
      ),
    )
    expect(replies.filter((r) => r.ok)).toHaveLength(1)
    expect(new Set(replies.filter((r) => !r.ok).map((r) => r.error!.code))).toEqual(
      new Set(['LIMIT_REACHED']),
    )
    expect(await balanceOf('o-greedy')).toBe(950)
  })

  it('cancel against pickup: one wins, the other is told clearly, points move once', async () => {
    await fund(['o-race'], 100)
    const r = (
      await direct('store', 'o-race', {
        action: 'redeem',
        itemId: 'cable-3in1',
        storeId: JIANSHE,
        requestId: rid('r'),
      })
    ).data.reservation
    const [cancel, pickup] = await Promise.all([
      direct('store', 'o-race', { action: 'cancel', reservationId: r.id, requestId: rid('c') }),
      direct('store', CLERK, {
        action: 'confirmPickup',
        storeId: JIANSHE,
        reservationId: r.id,
        requestId: rid('p'),
      }),
    ])
    expect([cancel.ok, pickup.ok].filter(Boolean)).toHaveLength(1)
    const loser = cancel.ok ? pickup : cancel
    expect(loser.error?.code).toBe('NO_TRANSITION')
    expect(await balanceOf('o-race')).toBe(cancel.ok ? 100 : 85)
  })
})

describe('certificates and the catalogue', () => {
  it('a volunteer with enough valid samples redeems a certificate anyone can verify by number', async () => {
    // Two valid samples are enough in this test (the demo asks for 10).
    const rules = await getDb().collection('storeRules').doc('demo').get()
    const stored = (rules as unknown as { data: { rules: object; cities: object } }).data
    await getDb()
      .collection('storeRules')
      .doc('demo')
      .set({
        data: { cities: stored.cities, rules: { ...stored.rules, certificateMinSamples: 2 } },
      })
    clearConfigCache()
    const volunteer = 'o-demo-volunteer'
    const code = (
      await direct('volunteer', volunteer, {
        action: 'ensureCode',
        nodeId: 'gz-tianhe-t1',
        requestId: rid('code'),
      })
    ).data.code
    const q = questionnaireSchema.parse(await questionnaireFor('demo'))
    for (const who of ['o-cert-1', 'o-cert-2']) {
      await direct('survey', who, {
        action: 'start',
        version: 'public',
        scene: `c=${code}`,
        requestId: rid('start'),
      })
      clock.now += 600_000
      const submitted = await direct('survey', who, {
        action: 'submitSection',
        sectionId: 'main',
        answers: validMainAnswers(q, 'public', seededRandom(who.length * 31)),
        requestId: rid('submit'),
      })
      expect(submitted.data.valid).toBe(true)
    }
    expect(await balanceOf(volunteer)).toBe(2) // 1 point per valid sample, now spent on the certificate
    await fund([volunteer], 3)
    const cert = await http('store', volunteer, {
      action: 'redeem',
      itemId: 'certificate-volunteer',
      requestId: rid('cert'),
    })
    expect(cert.data.reservation).toMatchObject({ status: 'delivered', kind: 'certificate' })
    const mine = await http('store', volunteer, { action: 'myRedemptions' })
    const number = mine.data.items[0].certificateNo as string
    expect(number).toMatch(/^WAL2025-[0-9A-F]{10}$/)
    const own = await http('store', volunteer, { action: 'verifyCertificate', number })
    expect(own.data).toMatchObject({
      holder: '小安',
      nodeName: '天河一队（高校）',
      validSamples: 2,
    })
    const other = await http('store', 'o-checker', { action: 'verifyCertificate', number })
    expect(other.data.holder).toBe('小*')
    const wrong = await http('store', 'o-checker', {
      action: 'verifyCertificate',
      number: 'WAL2025-0000000000',
    })
    expect(wrong.error?.code).toBe('NOT_FOUND')
    clock.now -= 1_200_000
  })

  it('organisers add items; a unit recommends a new store that geoNear then finds', async () => {
    const item = {
      id: 'sticker-pack',
      kind: 'cultural',
      title: '四宝贴纸一套',
      pricePoints: 5,
      provider: '网安联秘书处',
      stock: { [JIANSHE]: 8 },
    }
    const refused = await http('store', 'o-shopper', {
      action: 'saveItem',
      item,
      requestId: rid('item'),
    })
    expect(refused.error?.code).toBe('FORBIDDEN')
    const saved = await http('store', 'o-store-organiser', {
      action: 'saveItem',
      item,
      requestId: rid('item'),
    })
    expect(saved.data).toEqual({ itemId: 'sticker-pack', created: true })
    expect(await stockOf('sticker-pack', JIANSHE)).toBe(8)
    const bad = await http('store', 'o-store-organiser', {
      action: 'saveItem',
      item: { ...item, stock: {} },
      requestId: rid('item'),
    })
    expect(bad.error?.code).toBe('BAD_REQUEST') // a physical item needs a store

    const store = {
      id: 'gz-tianhe-zhujiang',
      name: '天河珠江新城网安驿站',
      address: '广州市天河区花城大道 85 号',
      location: { lng: 113.3245, lat: 23.1199 },
      hours: '周一至周五 10:00–20:00',
      phone: '020-38880000',
      provinceCode: '440000',
      cityCode: '440100',
      recommendedBy: 'gd-gz',
    }
    const stranger = await http('store', 'o-shopper', {
      action: 'saveStore',
      store,
      requestId: rid('store'),
    })
    expect(stranger.error?.code).toBe('FORBIDDEN')
    const unit = await http('store', 'o-demo-unit-admin', {
      action: 'saveStore',
      store,
      requestId: rid('store'),
    })
    expect(unit.data).toEqual({ storeId: 'gz-tianhe-zhujiang', created: true })
    const near = await http('store', 'o-browse', {
      action: 'nearbyStores',
      near: { lng: 113.3246, lat: 23.12 },
      limit: 1,
    })
    expect(near.data.stores[0].id).toBe('gz-tianhe-zhujiang')
  })
})

describe('reconcile', () => {
  it('finds points and stock clean after everything above, and notices a shard moved without its entry', async () => {
    const clean = reconcile(world.local.store)
    expect(clean.differences).toEqual([])
    expect(clean.store.reservations).toBeGreaterThan(50)
    expect(clean.store.shards).toBeGreaterThan(100)

    const shard = 'mug-safety:gz-tianhe-jianshe:0'
    await getDb()
      .collection('stockShards')
      .doc(shard)
      .update({ data: { available: getDb().command.inc(1) } })
    const broken = reconcile(world.local.store)
    expect(broken.differences).toEqual([expect.objectContaining({ kind: 'stock', account: shard })])
    await getDb()
      .collection('stockShards')
      .doc(shard)
      .update({ data: { available: getDb().command.inc(-1) } })
  })
})
