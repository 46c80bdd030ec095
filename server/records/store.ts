// Records of the points store: the catalogue (`storeItems`), pickup stores (`pickupStores`, with a
// 2dsphere index on `location`), stock split over shards with its append-only entries, the
// reservations and what hangs on them (pickup codes, per-person counts, standing, clerks,
// certificates). Names, document types, id rules and the small reads every use case shares.
import { createHash } from 'node:crypto'
import {
  STOCK_SHARDS,
  pickupCodeFrom,
  splitStock,
  type ItemKind,
  type PickupStore,
  type ReservationStatus,
  type Standing,
  type StoreItem,
  type StoreRules,
} from 'wal-core'
import { getDb, queryDocs, readDoc, type Transaction } from '../db'
import { cachedLoader } from './config-cache'

export const STORE_ITEMS = 'storeItems'
export const PICKUP_STORES = 'pickupStores'
export const STOCK_SHARDS_COLLECTION = 'stockShards'
export const STOCK_ENTRIES = 'stockEntries'
export const RESERVATIONS = 'reservations'
export const PICKUP_CODES = 'pickupCodes'
export const REDEMPTION_COUNTS = 'redemptionCounts'
export const STORE_STANDING = 'storeStanding'
export const STORE_CLERKS = 'storeClerks'
export const CERTIFICATES = 'certificates'
/** The store rules of a campaign (reservation days, no-shows, certificates), in `rewardConfigs`' sibling. */
export const STORE_RULES = 'storeRules'

type Db = Transaction | ReturnType<typeof getDb>

export type ItemDoc = StoreItem & { _id: string; campaignId: string }

/** `location` is a Geo.Point (indexed, for geoNear); `position` the same as plain numbers. */
export type StoreDoc = Omit<PickupStore, 'location'> & {
  _id: string
  location: unknown
  position: { lng: number; lat: number }
}

export interface StockShardDoc {
  _id: string
  itemId: string
  storeId: string
  shard: number
  available: number
}

export type StockEntryKind = 'seed' | 'restock' | 'reserve' | 'release'

export interface StockEntryDoc {
  _id: string
  itemId: string
  storeId: string
  shard: number
  amount: number
  kind: StockEntryKind
  ref: string
  createdAt: Date
}

export interface ReservationDoc {
  _id: string
  openid: string
  campaignId: string
  itemId: string
  itemTitle: string
  kind: ItemKind
  pricePoints: number
  storeId: string | null
  shard: number | null
  pickupCode: string | null
  status: ReservationStatus
  expiresAt: Date | null
  reminded: boolean
  pickedUpAt: Date | null
  clerk: string | null
  /** Reports: the file unlocked; certificates: the certificate number. */
  fileId: string | null
  certificateNo: string | null
  requestId: string
  createdAt: Date
  updatedAt: Date
}

export const stockShardId = (itemId: string, storeId: string, shard: number) =>
  `${itemId}:${storeId}:${shard}`

/** A reservation's id from its caller and requestId: a retry names the same reservation. */
export function reservationIdOf(openid: string, requestId: string): string {
  return `rsv-${createHash('sha256').update(`${openid}|${requestId}`).digest('hex').slice(0, 24)}`
}

/** The pickup code of a reservation at a store, attempt n (a taken code moves to the next). */
export function pickupCodeOf(reservationId: string, attempt: number): string {
  return pickupCodeFrom(createHash('sha256').update(`${reservationId}#${attempt}`).digest())
}

export const pickupCodeId = (storeId: string, code: string) => `${storeId}:${code}`
export const countId = (openid: string, itemId: string) => `${openid}:${itemId}`
export const clerkId = (storeId: string, openid: string) => `${storeId}:${openid}`

export const readItem = cachedLoader(
  async (itemId: string) => readDoc<ItemDoc>(getDb().collection(STORE_ITEMS).doc(itemId)),
  5_000,
)

export async function readStore(db: Db, storeId: string): Promise<StoreDoc | null> {
  return readDoc<StoreDoc>(db.collection(PICKUP_STORES).doc(storeId))
}

export async function itemsOf(campaignId: string): Promise<ItemDoc[]> {
  return queryDocs<ItemDoc>(getDb().collection(STORE_ITEMS).where({ campaignId }).limit(100))
}

const DEFAULT_RULES: StoreRules = {
  reservationDays: 7,
  noShowLimit: 3,
  noShowWindowDays: 30,
  pauseDays: 14,
  certificateMinSamples: 10,
}

export const storeRulesOf = cachedLoader(async (campaignId: string): Promise<StoreRules> => {
  const doc = await readDoc<{ rules: StoreRules }>(getDb().collection(STORE_RULES).doc(campaignId))
  return doc?.rules ?? DEFAULT_RULES
})

/** An item's stock at one store: its shards summed (a few document reads, never a scan). */
export async function stockAt(db: Db, itemId: string, storeId: string): Promise<StockShardDoc[]> {
  const shards = await Promise.all(
    Array.from({ length: STOCK_SHARDS }, (_, i) =>
      readDoc<StockShardDoc>(
        db.collection(STOCK_SHARDS_COLLECTION).doc(stockShardId(itemId, storeId, i)),
      ),
    ),
  )
  return shards.filter((s): s is StockShardDoc => s !== null)
}

/** Stock per store of an item (one query over its shards). */
export async function stockByStore(itemId: string): Promise<Map<string, number>> {
  const shards = await queryDocs<StockShardDoc>(
    getDb().collection(STOCK_SHARDS_COLLECTION).where({ itemId }).limit(1000),
  )
  const out = new Map<string, number>()
  for (const s of shards) out.set(s.storeId, (out.get(s.storeId) ?? 0) + s.available)
  return out
}

/** Moves a shard's stock and writes its entry, in `tx` (the shard as read in `tx`). */
export async function moveStock(
  tx: Transaction,
  shard: StockShardDoc,
  entry: { id: string; amount: number; kind: StockEntryKind; ref: string; now: Date },
): Promise<StockShardDoc> {
  const available = shard.available + entry.amount
  if (available < 0) throw new Error(`stock of ${shard._id} would go below zero`)
  const doc: StockEntryDoc = {
    _id: entry.id,
    itemId: shard.itemId,
    storeId: shard.storeId,
    shard: shard.shard,
    amount: entry.amount,
    kind: entry.kind,
    ref: entry.ref,
    createdAt: entry.now,
  }
  await tx.collection(STOCK_ENTRIES).add({ data: doc })
  await tx.collection(STOCK_SHARDS_COLLECTION).doc(shard._id).update({ data: { available } })
  return { ...shard, available }
}

/**
 * The first stock of an item at a store, split over its shards with one `seed` entry each — only
 * when the item has none there yet (afterwards stock moves by entries only). True if written.
 */
export async function seedStock(
  db: Db,
  at: { itemId: string; storeId: string; total: number; ref: string; now: Date },
): Promise<boolean> {
  const { itemId, storeId } = at
  if (await readDoc(db.collection(STOCK_SHARDS_COLLECTION).doc(stockShardId(itemId, storeId, 0))))
    return false
  for (const [shard, available] of splitStock(at.total).entries()) {
    const id = stockShardId(itemId, storeId, shard)
    await db
      .collection(STOCK_SHARDS_COLLECTION)
      .doc(id)
      .set({ data: { itemId, storeId, shard, available } })
    await db
      .collection(STOCK_ENTRIES)
      .doc(`seed:${id}`)
      .set({
        data: {
          itemId,
          storeId,
          shard,
          amount: available,
          kind: 'seed',
          ref: at.ref,
          createdAt: at.now,
        },
      })
  }
  return true
}

export async function readStanding(
  db: Db,
  openid: string,
): Promise<(Standing & { _id: string }) | null> {
  return readDoc<Standing & { _id: string }>(db.collection(STORE_STANDING).doc(openid))
}

export async function isClerkOf(storeId: string, openid: string): Promise<boolean> {
  return (await readDoc(getDb().collection(STORE_CLERKS).doc(clerkId(storeId, openid)))) !== null
}

export async function readReservation(db: Db, id: string): Promise<ReservationDoc | null> {
  return readDoc<ReservationDoc>(db.collection(RESERVATIONS).doc(id))
}
