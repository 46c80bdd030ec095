// Points store use cases (积分商城 and 礼品自提店): the catalogue, stores nearest first, redeeming
// (points, stock and the reservation in one transaction), cancelling, the clerk's desk and
// pickup, and the timer that refunds expired reservations and reminds a day before. Decisions
// are core's (core/store.ts); records are server/records/store.ts.
import {
  ERROR_MESSAGES,
  ITEM_KIND_NAMES,
  PHYSICAL_KINDS,
  RESERVATION_STATUS_NAMES,
  STOCK_SHARDS,
  afterNoShow,
  decideRedemption,
  distanceMeters,
  maskNickname,
  pickupScene,
  reservationTransition,
  shardOrder,
  type Certificate,
  type ItemView,
  type PickupStore,
  type ReservationEvent,
  type ReservationView,
  type StoreItem,
  type StoreView,
} from 'wal-core'
import QRCode from 'qrcode'
import { AppError } from './app-error'
import type { Caller } from './define-function'
import { getDb, queryDocs, readDoc, type Transaction } from './db'
import { inTransaction, runOnce } from './idempotency'
import {
  accountByUserCode,
  accountInTx,
  ensurePointAccount,
  postEntry,
  readPointAccount,
} from './ledger'
import { getOpenApi } from './openapi'
import { currentCampaign } from './records/campaigns'
import { ORG_MEMBERS, cachedNode } from './records/org'
import { readResponse } from './records/responses'
import { adminNodes, callerKey, isCommittee, type AdminNode } from './records/caller-roles'
import { SHARE_CODES, type ShareCodeDoc } from './records/share-codes'
import { readCodeTotals } from './records/stats'
import {
  CERTIFICATES,
  PICKUP_CODES,
  PICKUP_STORES,
  REDEMPTION_COUNTS,
  RESERVATIONS,
  STOCK_SHARDS_COLLECTION,
  STORE_CLERKS,
  STORE_ITEMS,
  STORE_STANDING,
  clerkId,
  countId,
  itemsOf,
  moveStock,
  pickupCodeId,
  pickupCodeOf,
  readItem,
  readReservation,
  readStanding,
  readStore,
  reservationIdOf,
  seedStock,
  stockAt,
  stockByStore,
  stockShardId,
  storeRulesOf,
  type ItemDoc,
  type ReservationDoc,
  type StockShardDoc,
  type StoreDoc,
} from './records/store'
import { getStorage } from './storage'

const DAY_MS = 86_400_000
const CODE_ATTEMPTS = 8

// ------------------------------------------------------------------------------- views

function regionNotice(item: ItemDoc, cityNames: Record<string, string>): string | null {
  if (item.regions.length === 0) return null
  const names = item.regions.map((c) => cityNames[c] ?? c).join('、')
  return `仅限在${names}参与调查的网民兑换`
}

function itemView(
  item: ItemDoc,
  stock: number | null,
  nowMs: number,
  cities: Record<string, string>,
): ItemView {
  const from = item.availableFrom ? Date.parse(item.availableFrom) : -Infinity
  const until = item.availableUntil ? Date.parse(item.availableUntil) : Infinity
  const physical = PHYSICAL_KINDS.has(item.kind)
  return {
    id: item._id,
    kind: item.kind,
    kindName: ITEM_KIND_NAMES[item.kind],
    title: item.title,
    description: item.description,
    images: item.images,
    pricePoints: item.pricePoints,
    provider: item.provider,
    perPersonLimit: item.perPersonLimit,
    physical,
    regionNotice: regionNotice(item, cities),
    stock: physical ? stock : null,
    available: item.active && nowMs >= from && nowMs < until && (!physical || (stock ?? 0) > 0),
  }
}

function storeView(s: StoreDoc, distance: number | null, stock: number | null): StoreView {
  return {
    id: s._id,
    name: s.name,
    address: s.address,
    location: s.position,
    hours: s.hours,
    phone: s.phone,
    cityCode: s.cityCode,
    distanceMeters: distance === null ? null : Math.round(distance),
    stock,
  }
}

async function reservationView(r: ReservationDoc): Promise<ReservationView> {
  const store = r.storeId ? await readStore(getDb(), r.storeId) : null
  return {
    id: r._id,
    itemId: r.itemId,
    itemTitle: r.itemTitle,
    kind: r.kind,
    pricePoints: r.pricePoints,
    status: r.status,
    statusName: RESERVATION_STATUS_NAMES[r.status],
    store: store
      ? {
          id: store._id,
          name: store.name,
          address: store.address,
          phone: store.phone,
          location: store.position,
        }
      : null,
    pickupCode: r.status === 'reserved' ? r.pickupCode : null,
    scene: r.status === 'reserved' ? pickupScene(r._id) : null,
    expiresAt: r.expiresAt ? new Date(r.expiresAt).toISOString() : null,
    createdAt: new Date(r.createdAt).toISOString(),
    fileUrl: r.fileId && r.status === 'delivered' ? await getStorage().tempUrl(r.fileId) : null,
    certificateNo: r.certificateNo,
  }
}

async function cityNames(campaignId: string): Promise<Record<string, string>> {
  const doc = await readDoc<{ cities: Record<string, string> }>(
    getDb().collection('storeRules').doc(campaignId),
  )
  return doc?.cities ?? {}
}

// ------------------------------------------------------------------------------- browsing

export async function catalogue(
  input: { kind?: ItemDoc['kind'] | undefined },
  /** Null for a console account: it has no wallet, its balance reads 0. */
  openid: string | null,
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  const [items, account, cities] = await Promise.all([
    itemsOf(campaign.id),
    openid === null ? null : readPointAccount(getDb(), openid),
    cityNames(campaign.id),
  ])
  const shown = items.filter((i) => i.active && (!input.kind || i.kind === input.kind))
  const views = await Promise.all(
    shown.map(async (i) => {
      const stock = PHYSICAL_KINDS.has(i.kind)
        ? [...(await stockByStore(i._id)).values()].reduce((a, b) => a + b, 0)
        : null
      return itemView(i, stock, now.getTime(), cities)
    }),
  )
  return { items: views, balance: account?.balance ?? 0 }
}

async function activeItem(itemId: string): Promise<ItemDoc> {
  const item = await readItem(itemId)
  if (!item) throw new AppError('NOT_FOUND', '没有这件商品')
  return item
}

export async function itemDetail(input: { itemId: string }, openid: string, now: Date) {
  const item = await activeItem(input.itemId)
  const [account, count, stock, cities] = await Promise.all([
    readPointAccount(getDb(), openid),
    readDoc<{ count: number }>(
      getDb().collection(REDEMPTION_COUNTS).doc(countId(openid, item._id)),
    ),
    stockByStore(item._id),
    cityNames(item.campaignId),
  ])
  const total = [...stock.values()].reduce((a, b) => a + b, 0)
  return {
    item: itemView(item, total, now.getTime(), cities),
    balance: account?.balance ?? 0,
    redeemed: count?.count ?? 0,
  }
}

/**
 * Stores nearest first: CloudBase's geoNear over the 2dsphere index of `pickupStores.location`
 * (the database orders them; no scan here). Without a position (location refused), a city's stores.
 */
export async function nearbyStores(
  input: {
    near?: { lng: number; lat: number } | undefined
    cityCode?: string | undefined
    itemId?: string | undefined
    maxDistanceKm: number
    limit: number
  },
  now: Date,
) {
  const db = getDb()
  const _ = db.command
  const { campaign } = await currentCampaign(now)
  const stock = input.itemId ? await stockByStore(input.itemId) : null
  const filter: Record<string, unknown> = { active: true }
  if (stock) filter._id = _.in([...stock.entries()].filter(([, n]) => n > 0).map(([id]) => id))
  let stores: StoreDoc[]
  if (input.near) {
    filter.location = _.geoNear({
      geometry: new db.Geo.Point(input.near.lng, input.near.lat),
      maxDistance: input.maxDistanceKm * 1000,
      minDistance: 0,
    })
    stores = await queryDocs<StoreDoc>(
      db.collection(PICKUP_STORES).where(filter).limit(input.limit),
    )
  } else {
    if (input.cityCode) filter.cityCode = input.cityCode
    stores = await queryDocs<StoreDoc>(
      db.collection(PICKUP_STORES).where(filter).orderBy('_id', 'asc').limit(input.limit),
    )
  }
  const near = input.near
  const names = await cityNames(campaign.id)
  // The cities that have stores (for "no store nearby: try the nearest city with stores").
  const all = await queryDocs<{ cityCode: string }>(
    db.collection(PICKUP_STORES).where({ active: true }).field({ cityCode: true }).limit(1000),
  )
  const perCity = new Map<string, number>()
  for (const s of all) perCity.set(s.cityCode, (perCity.get(s.cityCode) ?? 0) + 1)
  return {
    stores: stores.map((s) =>
      storeView(
        s,
        near ? distanceMeters(near, s.position) : null,
        stock ? (stock.get(s._id) ?? 0) : null,
      ),
    ),
    cities: [...perCity.entries()].map(([cityCode, n]) => ({
      cityCode,
      name: names[cityCode] ?? cityCode,
      stores: n,
    })),
  }
}

export async function storeDetail(input: { storeId: string; itemId?: string | undefined }) {
  const store = await readStore(getDb(), input.storeId)
  if (!store || !store.active) throw new AppError('NOT_FOUND', '没有这个自提点')
  const stock = input.itemId
    ? (await stockAt(getDb(), input.itemId, store._id)).reduce((a, s) => a + s.available, 0)
    : null
  return { store: storeView(store, null, stock) }
}

// ------------------------------------------------------------------------------- redeeming

/** Valid samples brought by the person's own share codes this campaign (certificates). */
async function samplesCollected(campaignId: string, openid: string): Promise<number> {
  const codes = await queryDocs<ShareCodeDoc>(
    getDb().collection(SHARE_CODES).where({ campaignId, ownerOpenid: openid }).limit(50),
  )
  let valid = 0
  for (const c of codes) valid += (await readCodeTotals(campaignId, c._id)).valid
  return valid
}

/** The certificate's holder as printed: real name only if the volunteer gave one. */
async function certificateHolder(openid: string) {
  const identity = await readDoc<{ realName: string }>(
    getDb().collection('volunteerIdentities').doc(openid),
  )
  const members = await queryDocs<{ nodeId: string; displayName: string; status: string }>(
    getDb().collection(ORG_MEMBERS).where({ openid, status: 'active' }).limit(10),
  )
  const first = members[0]
  const node = first ? await cachedNode(first.nodeId) : null
  return {
    realName: identity?.realName ?? null,
    displayName: first?.displayName ?? '志愿者',
    nodeName: node?.name ?? '',
  }
}

/** Takes one unit of stock from the first shard that has it, starting at a shard of the request's own. */
async function takeStock(
  tx: Transaction,
  itemId: string,
  storeId: string,
  start: number,
  reservationId: string,
  now: Date,
): Promise<StockShardDoc> {
  for (const i of shardOrder(start)) {
    const shard = await readDoc<StockShardDoc>(
      tx.collection(STOCK_SHARDS_COLLECTION).doc(stockShardId(itemId, storeId, i)),
    )
    if (shard && shard.available > 0)
      return moveStock(tx, shard, {
        id: `${reservationId}:reserve`,
        amount: -1,
        kind: 'reserve',
        ref: reservationId,
        now,
      })
  }
  throw new AppError('OUT_OF_STOCK', ERROR_MESSAGES.OUT_OF_STOCK)
}

/** A 6-digit code not yet given at this store, claimed in `tx`. */
async function claimPickupCode(
  tx: Transaction,
  storeId: string,
  reservationId: string,
): Promise<string> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = pickupCodeOf(reservationId, attempt)
    const ref = tx.collection(PICKUP_CODES).doc(pickupCodeId(storeId, code))
    const taken = await readDoc<{ reservationId: string }>(ref)
    if (taken && taken.reservationId !== reservationId) continue
    if (!taken) await ref.set({ data: { reservationId } })
    return code
  }
  throw new Error(`no free pickup code at ${storeId}`)
}

export async function redeem(
  input: { itemId: string; storeId?: string | undefined; requestId: string },
  openid: string,
  now: Date,
) {
  const item = await activeItem(input.itemId)
  const physical = PHYSICAL_KINDS.has(item.kind)
  if (physical && !input.storeId) throw new AppError('BAD_REQUEST', '请选择自提点')
  const { campaign } = await currentCampaign(now)
  const [rules, response, store] = await Promise.all([
    storeRulesOf(campaign.id),
    readResponse(campaign.id, openid),
    physical && input.storeId ? readStore(getDb(), input.storeId) : Promise.resolve(null),
  ])
  const sample = response?.sample?.valid ? response.sample : null
  const collected = item.kind === 'certificate' ? await samplesCollected(campaign.id, openid) : 0
  const holder = item.kind === 'certificate' ? await certificateHolder(openid) : null
  await ensurePointAccount(openid, now)
  const id = reservationIdOf(openid, input.requestId)
  const reservation = await runOnce(
    { requestId: input.requestId, scope: 'store.redeem', input },
    async (tx) => {
      const countRef = tx.collection(REDEMPTION_COUNTS).doc(countId(openid, item._id))
      const count = await readDoc<{ count: number }>(countRef)
      const standing = await readStanding(tx, openid)
      const decision = decideRedemption({
        item,
        store: store ? { ...store, id: store._id, location: store.position } : null,
        region: sample,
        redeemedBefore: count?.count ?? 0,
        standing,
        validSamplesCollected: collected,
        rules,
        nowMs: now.getTime(),
      })
      if (!decision.ok) throw new AppError(decision.code, decision.message)
      const shard = physical
        ? await takeStock(
            tx,
            item._id,
            store!._id,
            parseInt(id.slice(-4), 16) % STOCK_SHARDS,
            id,
            now,
          )
        : null
      const account = await accountInTx(tx, openid, now)
      await postEntry(tx, account, {
        id: `${openid}:redemption:${id}`,
        kind: 'redemption',
        amount: -item.pricePoints,
        ref: id,
        requestId: input.requestId,
        memo: item.title,
        now,
      })
      const certificateNo =
        item.kind === 'certificate' ? `WAL${campaign.year}-${id.slice(4, 14).toUpperCase()}` : null
      const doc: ReservationDoc = {
        _id: id,
        openid,
        campaignId: campaign.id,
        itemId: item._id,
        itemTitle: item.title,
        kind: item.kind,
        pricePoints: item.pricePoints,
        storeId: shard ? shard.storeId : null,
        shard: shard ? shard.shard : null,
        pickupCode: shard ? await claimPickupCode(tx, shard.storeId, id) : null,
        status: physical ? 'reserved' : 'delivered',
        expiresAt: physical ? new Date(now.getTime() + rules.reservationDays * DAY_MS) : null,
        reminded: false,
        pickedUpAt: null,
        clerk: null,
        fileId: item.kind === 'report' ? item.file : null,
        certificateNo,
        requestId: input.requestId,
        createdAt: now,
        updatedAt: now,
      }
      const { _id, ...data } = doc
      await tx.collection(RESERVATIONS).doc(_id).set({ data })
      await countRef.set({ data: { count: (count?.count ?? 0) + 1 } })
      if (certificateNo && holder)
        await tx
          .collection(CERTIFICATES)
          .doc(certificateNo)
          .set({
            data: { openid, reservationId: id, ...holder, validSamples: collected, issuedAt: now },
          })
      return doc
    },
    { conflictRetries: 30 },
  )
  const account = await readPointAccount(getDb(), openid)
  return { reservation: await reservationView(reservation), balance: account?.balance ?? 0 }
}

export async function myRedemptions(openid: string) {
  const rows = await queryDocs<ReservationDoc>(
    getDb().collection(RESERVATIONS).where({ openid }).orderBy('createdAt', 'desc').limit(100),
  )
  return { items: await Promise.all(rows.map(reservationView)) }
}

/** The QR a clerk scans: the reservation's scene, drawn as a PNG (no open API call needed). */
export async function pickupQr(input: { reservationId: string }, openid: string) {
  const r = await readReservation(getDb(), input.reservationId)
  if (!r || r.openid !== openid || r.status !== 'reserved')
    throw new AppError('NOT_FOUND', '没有待自提的兑换记录')
  return { dataUrl: await QRCode.toDataURL(pickupScene(r._id), { margin: 1, width: 360 }) }
}

/**
 * Ends a reservation by `event` in `tx`: the status moves by core's table (only a reserved one,
 * only once); a cancellation or an expiry returns the points (`refund`) and the stock, with ids
 * fixed by the reservation, so nothing can be returned twice.
 */
async function endReservation(
  tx: Transaction,
  r: ReservationDoc,
  event: ReservationEvent,
  now: Date,
  by: string | null,
): Promise<ReservationDoc> {
  const decision = reservationTransition(
    { status: r.status, expiresAtMs: r.expiresAt ? new Date(r.expiresAt).getTime() : Infinity },
    event,
    now.getTime(),
  )
  if (!decision.ok) throw new AppError('NO_TRANSITION', decision.message)
  const patch: Partial<ReservationDoc> = { status: decision.status, updatedAt: now }
  if (event === 'pickup') Object.assign(patch, { pickedUpAt: now, clerk: by })
  await tx.collection(RESERVATIONS).doc(r._id).update({ data: patch })
  if (decision.refund) {
    const account = await accountInTx(tx, r.openid, now)
    await postEntry(tx, account, {
      id: `${r.openid}:refund:${r._id}`,
      kind: 'refund',
      amount: r.pricePoints,
      ref: r._id,
      requestId: r.requestId,
      memo: `${r.itemTitle}（${event === 'cancel' ? '取消兑换' : '逾期未领取'}）`,
      now,
    })
    if (r.storeId !== null && r.shard !== null) {
      const shard = await readDoc<StockShardDoc>(
        tx.collection(STOCK_SHARDS_COLLECTION).doc(stockShardId(r.itemId, r.storeId, r.shard)),
      )
      if (shard)
        await moveStock(tx, shard, {
          id: `${r._id}:release`,
          amount: 1,
          kind: 'release',
          ref: r._id,
          now,
        })
    }
    const countRef = tx.collection(REDEMPTION_COUNTS).doc(countId(r.openid, r.itemId))
    const count = await readDoc<{ count: number }>(countRef)
    await countRef.set({ data: { count: Math.max(0, (count?.count ?? 1) - 1) } })
  }
  return { ...r, ...patch }
}

export async function cancel(
  input: { reservationId: string; requestId: string },
  openid: string,
  now: Date,
) {
  const r = await runOnce(
    { requestId: input.requestId, scope: 'store.cancel', input },
    async (tx) => {
      const found = await readReservation(tx, input.reservationId)
      if (!found || found.openid !== openid) throw new AppError('NOT_FOUND', '没有这条兑换记录')
      return endReservation(tx, found, 'cancel', now, null)
    },
  )
  const account = await readPointAccount(getDb(), openid)
  return { reservation: await reservationView(r), balance: account?.balance ?? 0 }
}

// ------------------------------------------------------------------------------- clerks

async function clerkStore(storeId: string, openid: string): Promise<StoreDoc> {
  const store = await readStore(getDb(), storeId)
  if (!store) throw new AppError('NOT_FOUND', '没有这个自提点')
  const clerk = await readDoc(getDb().collection(STORE_CLERKS).doc(clerkId(storeId, openid)))
  if (!clerk && !(await isCommittee({ kind: 'wechat', openid })))
    throw new AppError('FORBIDDEN', '您不是该自提点的店员')
  return store
}

async function pickupView(r: ReservationDoc) {
  const account = await readPointAccount(getDb(), r.openid)
  return {
    reservation: await reservationView(r),
    maskedNickname: maskNickname(account?.nickname ?? null),
    userCode: account?.userCode ?? '',
  }
}

export async function lookupPickup(
  input: { storeId: string; code?: string | undefined; reservationId?: string | undefined },
  openid: string,
) {
  const store = await clerkStore(input.storeId, openid)
  let id = input.reservationId ?? null
  if (!id && input.code) {
    const claim = await readDoc<{ reservationId: string }>(
      getDb().collection(PICKUP_CODES).doc(pickupCodeId(store._id, input.code)),
    )
    id = claim?.reservationId ?? null
  }
  const r = id ? await readReservation(getDb(), id) : null
  if (!r || r.storeId !== store._id) throw new AppError('NOT_FOUND', '本店没有这个取货码对应的兑换')
  return pickupView(r)
}

export async function confirmPickup(
  input: { storeId: string; reservationId: string; requestId: string },
  openid: string,
  now: Date,
) {
  const store = await clerkStore(input.storeId, openid)
  const clerk = await ensurePointAccount(openid, now)
  const r = await runOnce(
    { requestId: input.requestId, scope: 'store.confirmPickup', input },
    async (tx) => {
      const found = await readReservation(tx, input.reservationId)
      if (!found || found.storeId !== store._id)
        throw new AppError('NOT_FOUND', '本店没有这个取货码对应的兑换')
      return endReservation(tx, found, 'pickup', now, clerk.userCode)
    },
  )
  return pickupView(r)
}

export async function clerkDesk(input: { storeId: string }, openid: string, now: Date) {
  const store = await clerkStore(input.storeId, openid)
  const db = getDb()
  const pending = await queryDocs<ReservationDoc>(
    db
      .collection(RESERVATIONS)
      .where({ storeId: store._id, status: 'reserved' })
      .orderBy('createdAt', 'desc')
      .limit(50),
  )
  const dayStart = new Date(now.getTime() - ((now.getTime() + 8 * 3_600_000) % DAY_MS))
  const picked = await queryDocs<ReservationDoc>(
    db
      .collection(RESERVATIONS)
      .where({ storeId: store._id, status: 'picked_up', pickedUpAt: db.command.gte(dayStart) })
      .orderBy('createdAt', 'desc')
      .limit(50),
  )
  return {
    store: storeView(store, null, null),
    pending: await Promise.all(pending.map(pickupView)),
    pickedUpToday: await Promise.all(picked.map(pickupView)),
  }
}

export async function clerkStores(openid: string) {
  const mine = await queryDocs<{ storeId: string }>(
    getDb().collection(STORE_CLERKS).where({ openid }).limit(20),
  )
  const stores = await Promise.all(mine.map((c) => readStore(getDb(), c.storeId)))
  return {
    stores: stores
      .filter((s): s is StoreDoc => s !== null && s.active)
      .map((s) => storeView(s, null, null)),
  }
}

/** A clerk for a store: granted by an admin of the unit that recommended it, or the committee. */
export async function grantClerk(
  input: { storeId: string; userCode: string; requestId: string },
  caller: Caller,
  now: Date,
) {
  const store = await readStore(getDb(), input.storeId)
  if (!store) throw new AppError('NOT_FOUND', '没有这个自提点')
  if (!(await mayRunStore(store, caller)))
    throw new AppError('FORBIDDEN', '只有推荐该自提点的单位或组委会可以指定店员')
  const person = await accountByUserCode(input.userCode.toUpperCase())
  if (!person) throw new AppError('RECIPIENT_NOT_FOUND', ERROR_MESSAGES.RECIPIENT_NOT_FOUND)
  const by = callerKey(caller)
  const request = { requestId: input.requestId, scope: 'store.grantClerk', input, caller: by }
  return runOnce(request, async (tx) => {
    await tx
      .collection(STORE_CLERKS)
      .doc(clerkId(store._id, person._id))
      .set({
        data: {
          storeId: store._id,
          openid: person._id,
          userCode: person.userCode,
          grantedBy: by,
          createdAt: now,
        },
      })
    return { storeId: store._id, userCode: person.userCode }
  })
}

/** The committee, or a unit admin of the unit that recommended the store (or a unit above it). */
async function mayRunStore(store: StoreDoc, caller: Caller): Promise<boolean> {
  if (await isCommittee(caller)) return true
  if (!store.recommendedBy) return false
  const unit = await cachedNode(store.recommendedBy)
  if (!unit) return false
  const mine: AdminNode[] = await adminNodes(caller)
  return mine.some((m) => m.role === 'unit_admin' && unit.path.includes(m.node._id))
}

export async function restock(
  input: { storeId: string; itemId: string; amount: number; requestId: string },
  caller: Caller,
  now: Date,
) {
  const store = await readStore(getDb(), input.storeId)
  if (!store) throw new AppError('NOT_FOUND', '没有这个自提点')
  if (!(await mayRunStore(store, caller)))
    throw new AppError('FORBIDDEN', '只有推荐该自提点的单位或组委会可以补货')
  await activeItem(input.itemId)
  const by = callerKey(caller)
  const request = { requestId: input.requestId, scope: 'store.restock', input, caller: by }
  return runOnce(request, async (tx) => {
    const shards = await stockAt(tx, input.itemId, store._id)
    const byIndex = new Map(shards.map((s) => [s.shard, s]))
    // Spread over the shards, the emptiest first, so reservations keep finding stock.
    const order = Array.from({ length: STOCK_SHARDS }, (_, i) => i).sort(
      (a, b) => (byIndex.get(a)?.available ?? 0) - (byIndex.get(b)?.available ?? 0),
    )
    const per = Math.floor(input.amount / STOCK_SHARDS)
    let total = 0
    for (const [n, i] of order.entries()) {
      const amount = per + (n < input.amount % STOCK_SHARDS ? 1 : 0)
      let shard = byIndex.get(i) ?? null
      if (!shard) {
        shard = {
          _id: stockShardId(input.itemId, store._id, i),
          itemId: input.itemId,
          storeId: store._id,
          shard: i,
          available: 0,
        }
        const { _id, ...data } = shard
        await tx.collection(STOCK_SHARDS_COLLECTION).doc(_id).set({ data })
      }
      if (amount > 0)
        shard = await moveStock(tx, shard, {
          id: `restock:${input.requestId}:${i}`,
          amount,
          kind: 'restock',
          ref: by,
          now,
        })
      total += shard.available
    }
    return { itemId: input.itemId, storeId: store._id, stock: total }
  })
}

// ------------------------------------------------------------------------------- organisers

/**
 * An item created or replaced by an organiser. Its stock map names the stores that hold it: a
 * store new to the item gets that first stock (a `seed` entry per shard); stock already there
 * only moves by restock and reservations, never by an edit.
 */
export async function saveItem(
  input: { item: StoreItem; requestId: string },
  caller: Caller,
  now: Date,
) {
  if (!(await isCommittee(caller))) throw new AppError('FORBIDDEN', '只有组委会可以管理商品')
  const { campaign } = await currentCampaign(now)
  const { id, ...item } = input.item
  for (const storeId of Object.keys(item.stock))
    if (!(await readStore(getDb(), storeId)))
      throw new AppError('NOT_FOUND', `没有自提点 ${storeId}`)
  const request = { requestId: input.requestId, scope: 'store.saveItem', input }
  return runOnce({ ...request, caller: callerKey(caller) }, async (tx) => {
    const existing = await readDoc(tx.collection(STORE_ITEMS).doc(id))
    await tx
      .collection(STORE_ITEMS)
      .doc(id)
      .set({ data: { ...item, campaignId: campaign.id } })
    for (const [storeId, total] of Object.entries(item.stock))
      await seedStock(tx, { itemId: id, storeId, total, ref: input.requestId, now })
    return { itemId: id, created: existing === null }
  })
}

/** A pickup store created or replaced: by the committee, or an admin of the unit it names. */
export async function saveStore(input: { store: PickupStore; requestId: string }, caller: Caller) {
  const { id, location, ...rest } = input.store
  const existing = await readStore(getDb(), id)
  const judged = { ...(existing ?? {}), ...rest, _id: id } as StoreDoc
  if (!(await mayRunStore(judged, caller)))
    throw new AppError('FORBIDDEN', '只有组委会或推荐单位可以管理自提点')
  if (existing && !(await mayRunStore(existing, caller)))
    throw new AppError('FORBIDDEN', '只有组委会或推荐单位可以管理自提点')
  const db = getDb()
  const request = { requestId: input.requestId, scope: 'store.saveStore', input }
  return runOnce({ ...request, caller: callerKey(caller) }, async (tx) => {
    await tx
      .collection(PICKUP_STORES)
      .doc(id)
      .set({
        data: {
          ...rest,
          position: location,
          location: new db.Geo.Point(location.lng, location.lat),
        },
      })
    return { storeId: id, created: existing === null }
  })
}

/**
 * 证书查验: what a certificate number stands for. Anyone may check one and sees the holder's name
 * masked (张*明); the holder sees it whole, to print it.
 */
export async function verifyCertificate(
  input: { number: string },
  openid: string | undefined,
): Promise<Certificate> {
  const doc = await readDoc<{
    openid: string
    realName: string | null
    displayName: string
    nodeName: string
    validSamples: number
    issuedAt: Date
  }>(getDb().collection(CERTIFICATES).doc(input.number))
  if (!doc) throw new AppError('NOT_FOUND', '没有这个编号的证书，请核对后重试')
  return {
    number: input.number,
    holder:
      doc.openid === openid
        ? (doc.realName ?? doc.displayName)
        : maskNickname(doc.realName ?? doc.displayName),
    nodeName: doc.nodeName,
    validSamples: doc.validSamples,
    issuedAt: new Date(doc.issuedAt).toISOString(),
  }
}

// ------------------------------------------------------------------------------- timer

/**
 * The timer's run: every reservation past its expiry is refunded exactly once (each in its own
 * transaction that re-reads it: a second timer running at the same time finds it expired and
 * moves on), the person's no-shows counted; reminders go out a day before expiry.
 */
export async function expireDue(now: Date): Promise<{ expired: number; reminded: number }> {
  const db = getDb()
  const _ = db.command
  let expired = 0
  for (;;) {
    const due = await queryDocs<ReservationDoc>(
      db
        .collection(RESERVATIONS)
        .where({ status: 'reserved', expiresAt: _.lte(now) })
        .limit(100),
    )
    let moved = 0
    for (const r of due) {
      const done = await inTransaction(async (tx) => {
        const fresh = await readReservation(tx, r._id)
        if (!fresh || fresh.status !== 'reserved') return false
        await endReservation(tx, fresh, 'expire', now, null)
        const rules = await storeRulesOf(fresh.campaignId)
        const standing = (await readStanding(tx, fresh.openid)) ?? {
          noShows: [],
          pausedUntilMs: null,
        }
        const next = afterNoShow(standing, now.getTime(), rules)
        await tx.collection(STORE_STANDING).doc(fresh.openid).set({ data: next })
        return true
      }, 10)
      if (done) moved += 1
    }
    expired += moved
    if (due.length < 100 || moved === 0) break
  }
  return { expired, reminded: await remindDue(now) }
}

async function remindDue(now: Date): Promise<number> {
  const db = getDb()
  const _ = db.command
  const soon = await queryDocs<ReservationDoc>(
    db
      .collection(RESERVATIONS)
      .where({
        status: 'reserved',
        reminded: false,
        expiresAt: _.lte(new Date(now.getTime() + DAY_MS)),
      })
      .limit(100),
  )
  let sent = 0
  for (const r of soon) {
    // Mark first, then send: a crash in between loses one reminder rather than sending two.
    const mine = await inTransaction(async (tx) => {
      const fresh = await readReservation(tx, r._id)
      if (!fresh || fresh.reminded || fresh.status !== 'reserved') return false
      await tx
        .collection(RESERVATIONS)
        .doc(r._id)
        .update({ data: { reminded: true } })
      return true
    })
    if (!mine) continue
    const store = r.storeId ? await readStore(db, r.storeId) : null
    try {
      await getOpenApi().sendSubscribeMessage({
        openid: r.openid,
        template: 'pickup_reminder',
        page: `pages/store/mine/index?id=${r._id}`,
        data: {
          thing1: r.itemTitle.slice(0, 20),
          thing2: (store?.name ?? '').slice(0, 20),
          character_string3: r.pickupCode ?? '',
          time4: new Date(r.expiresAt!).toISOString(),
        },
      })
      sent += 1
    } catch (err) {
      console.warn(`[store] reminder for ${r._id} not sent: ${(err as Error).message}`)
    }
  }
  return sent
}
