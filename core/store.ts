// The points store (积分商城) and community pickup stores (礼品自提店): the catalogue and store
// data, and the decisions a redemption, a pickup, a cancellation and an expiry take. Pure: time,
// randomness and distances are passed in (docs/rules.md, "The points store").
import { z } from 'zod'
import { RESERVATION_ID_PATTERN } from './codes'
import { defineContract } from './contract-kit'
import { requestIdSchema } from './survey'
import {
  ITEM_KINDS,
  RESERVATION_STATUSES,
  RESERVATION_STATUS_NAMES,
  type ItemKind,
  type ReservationStatus,
} from './vocabulary'

/** Kinds handed over at a pickup store; the others are digital. */
export const PHYSICAL_KINDS: ReadonlySet<ItemKind> = new Set(['gift', 'cultural'])

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'ids are lower-case letters, digits and -')
const regionCode = z.string().regex(/^\d{6}$/)

export const storeItemSchema = z
  .object({
    id,
    kind: z.enum(ITEM_KINDS),
    title: z.string().min(1).max(40),
    description: z.string().max(500).default(''),
    /** Images in cloud storage (fileIDs or https URLs), shown in order. */
    images: z.array(z.string().min(1).max(500)).max(9).default([]),
    pricePoints: z.number().int().min(1).max(100_000),
    /** The supporting unit (支持单位) that provides it. */
    provider: z.string().min(1).max(60),
    perPersonLimit: z.number().int().min(1).max(100).default(1),
    availableFrom: z.iso.datetime({ offset: true }).nullable().default(null),
    availableUntil: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Province or city codes whose respondents may redeem it; empty: everyone ("仅限本地网民"). */
    regions: z.array(regionCode).default([]),
    /** Physical items: stock per pickup store. */
    stock: z.record(id, z.number().int().min(0).max(1_000_000)).default({}),
    /** Reports: the file a redemption unlocks (cloud storage path or fileID). */
    file: z.string().max(500).nullable().default(null),
    active: z.boolean().default(true),
  })
  .superRefine((item, ctx) => {
    const physical = PHYSICAL_KINDS.has(item.kind)
    if (physical && Object.keys(item.stock).length === 0)
      ctx.addIssue({
        code: 'custom',
        message: `${item.id}: a physical item needs stock at a store`,
      })
    if (!physical && Object.keys(item.stock).length > 0)
      ctx.addIssue({ code: 'custom', message: `${item.id}: a digital item has no store stock` })
    if (item.kind === 'report' && !item.file)
      ctx.addIssue({ code: 'custom', message: `${item.id}: a report needs its file` })
  })
export type StoreItem = z.infer<typeof storeItemSchema>

export const pickupStoreSchema = z.object({
  id,
  name: z.string().min(1).max(40),
  address: z.string().min(1).max(120),
  /** WGS-84 (wx.getLocation's type 'wgs84', and what openLocation expects with 'gcj02' close by). */
  location: z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
  /** Opening hours as shown, e.g. 周一至周日 09:00–21:00. */
  hours: z.string().min(1).max(60),
  phone: z.string().regex(/^[0-9-]{7,20}$/),
  provinceCode: regionCode,
  cityCode: regionCode,
  /** The initiating unit that recommended the store (its admins grant clerks). */
  recommendedBy: id.nullable().default(null),
  active: z.boolean().default(true),
})
export type PickupStore = z.infer<typeof pickupStoreSchema>

export const storeFileSchema = z
  .object({
    /** Days a reservation waits for pickup before it expires and is refunded. */
    reservationDays: z.number().int().min(1).max(30).default(7),
    /** Expired reservations within `noShowWindowDays` that pause a person's reservations. */
    noShowLimit: z.number().int().min(1).max(20).default(3),
    noShowWindowDays: z.number().int().min(1).max(365).default(30),
    pauseDays: z.number().int().min(1).max(90).default(14),
    /** Valid samples a volunteer's codes must have brought for a certificate. */
    certificateMinSamples: z.number().int().min(1).default(10),
    /** Names of the cities that have stores (the city list when location is refused). */
    cities: z.record(regionCode, z.string().min(1).max(20)),
    stores: z.array(pickupStoreSchema).min(1),
    items: z.array(storeItemSchema).min(1),
    /** Demo data only: clerks who already hold a store (their openids are the demo's personas). */
    clerks: z.array(z.object({ store: id, openid: z.string().min(1).max(64) })).default([]),
  })
  .superRefine((file, ctx) => {
    const stores = new Set(file.stores.map((s) => s.id))
    if (stores.size !== file.stores.length)
      ctx.addIssue({ code: 'custom', message: 'store ids repeat' })
    for (const store of file.stores)
      if (!(store.cityCode in file.cities))
        ctx.addIssue({ code: 'custom', message: `${store.id}: no name for city ${store.cityCode}` })
    const items = new Set(file.items.map((i) => i.id))
    if (items.size !== file.items.length)
      ctx.addIssue({ code: 'custom', message: 'item ids repeat' })
    for (const item of file.items)
      for (const storeId of Object.keys(item.stock))
        if (!stores.has(storeId))
          ctx.addIssue({ code: 'custom', message: `${item.id}: no store ${storeId}` })
  })
export type StoreFile = z.infer<typeof storeFileSchema>
export type StoreRules = Omit<StoreFile, 'stores' | 'items' | 'cities' | 'clerks'>

// ------------------------------------------------------------------------------- reservations

export type ReservationEvent = 'pickup' | 'cancel' | 'expire'

/** The one transition table: only a reserved gift moves, and only once. */
const TRANSITIONS: Readonly<Record<ReservationEvent, ReservationStatus>> = {
  pickup: 'picked_up',
  cancel: 'cancelled',
  expire: 'expired',
}

export type TransitionDecision =
  { ok: true; status: ReservationStatus; refund: boolean } | { ok: false; message: string }

export function reservationTransition(
  current: { status: ReservationStatus; expiresAtMs: number },
  event: ReservationEvent,
  nowMs: number,
): TransitionDecision {
  if (current.status !== 'reserved')
    return { ok: false, message: `该兑换${RESERVATION_STATUS_NAMES[current.status]}，不能再操作` }
  if (event === 'expire' && nowMs < current.expiresAtMs)
    return { ok: false, message: '该兑换尚未到期' }
  if (event === 'pickup' && nowMs >= current.expiresAtMs)
    return { ok: false, message: '该兑换已过期，积分将自动退回' }
  return { ok: true, status: TRANSITIONS[event], refund: event !== 'pickup' }
}

/** A person's standing: paused after repeated no-shows (config), until `pausedUntilMs`. */
export interface Standing {
  noShows: number[]
  pausedUntilMs: number | null
}

/** The standing after one more expiry at `nowMs`: no-shows in the window, paused when too many. */
export function afterNoShow(standing: Standing, nowMs: number, rules: StoreRules): Standing {
  const since = nowMs - rules.noShowWindowDays * 86_400_000
  const noShows = [...standing.noShows.filter((t) => t >= since), nowMs]
  return noShows.length >= rules.noShowLimit
    ? { noShows: [], pausedUntilMs: nowMs + rules.pauseDays * 86_400_000 }
    : { noShows, pausedUntilMs: standing.pausedUntilMs }
}

export type RedemptionRefusal =
  | 'ITEM_UNAVAILABLE'
  | 'STORE_CLOSED'
  | 'REGION_RESTRICTED'
  | 'LIMIT_REACHED'
  | 'RESERVATIONS_PAUSED'
  | 'NOT_ELIGIBLE'

/** What a redemption needs to know; stock and points are checked where they are written. */
export interface RedemptionFacts {
  item: StoreItem
  /** The chosen store (physical items), or null. */
  store: PickupStore | null
  /** The person's region from their sample this campaign (null when they have none). */
  region: { provinceCode: string | null; cityCode: string | null } | null
  redeemedBefore: number
  standing: Standing | null
  /** Certificates: the valid samples the person's codes brought. */
  validSamplesCollected: number
  rules: StoreRules
  nowMs: number
}

export type RedemptionDecision =
  { ok: true } | { ok: false; code: RedemptionRefusal; message: string }

/** Whether a person may redeem this item (at this store) now, and if not, why, in Chinese. */
export function decideRedemption(f: RedemptionFacts): RedemptionDecision {
  const { item } = f
  const refuse = (code: RedemptionRefusal, message: string): RedemptionDecision => ({
    ok: false,
    code,
    message,
  })
  const from = item.availableFrom ? Date.parse(item.availableFrom) : -Infinity
  const until = item.availableUntil ? Date.parse(item.availableUntil) : Infinity
  if (!item.active || f.nowMs < from || f.nowMs >= until)
    return refuse('ITEM_UNAVAILABLE', '该商品当前不可兑换')
  if (PHYSICAL_KINDS.has(item.kind)) {
    if (!f.store || !f.store.active || !(f.store.id in item.stock))
      return refuse('STORE_CLOSED', '该自提点暂停营业或不提供此商品，请选择其他自提点')
  }
  if (item.regions.length > 0) {
    const r = f.region
    const local = r && item.regions.some((code) => code === r.provinceCode || code === r.cityCode)
    if (!local) return refuse('REGION_RESTRICTED', '该商品仅限本地参与调查的网民兑换')
  }
  if (f.redeemedBefore >= item.perPersonLimit)
    return refuse('LIMIT_REACHED', `每人限兑 ${item.perPersonLimit} 件`)
  if (f.standing?.pausedUntilMs && f.nowMs < f.standing.pausedUntilMs)
    return refuse('RESERVATIONS_PAUSED', '多次预约未领取，预约功能暂停使用，请稍后再试')
  if (item.kind === 'certificate' && f.validSamplesCollected < f.rules.certificateMinSamples)
    return refuse(
      'NOT_ELIGIBLE',
      `志愿者证书需通过您的分享码收集 ${f.rules.certificateMinSamples} 份有效样本（当前 ${f.validSamplesCollected} 份）`,
    )
  return { ok: true }
}

// ------------------------------------------------------------------------------- codes (see also codes.ts)

/** A 6-digit pickup code from bytes (a digest the server computes): stable for the same bytes. */
export function pickupCodeFrom(bytes: ArrayLike<number>): string {
  const n = ((bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]!) % 1_000_000
  return String(n).padStart(6, '0')
}

/** Stock shards per (item, store): a popular item is not one hot document (docs/data-model.md). */
export const STOCK_SHARDS = 4

/** How an item's stock at a store is split over its shards (the first shards take the remainder). */
export function splitStock(total: number, shards = STOCK_SHARDS): number[] {
  return Array.from(
    { length: shards },
    (_, i) => Math.floor(total / shards) + (i < total % shards ? 1 : 0),
  )
}

/** Shards in the order a reservation tries them: from a random start, each once. */
export function shardOrder(start: number, shards = STOCK_SHARDS): number[] {
  return Array.from({ length: shards }, (_, i) => (start + i) % shards)
}

// ------------------------------------------------------------------------------- contract

const coords = z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })

export const storeInputs = {
  catalogue: z.object({ kind: z.enum(ITEM_KINDS).optional() }),
  item: z.object({ itemId: id }),
  /** Nearest stores first: around a position, or in a city when location was refused. */
  nearbyStores: z.object({
    near: coords.optional(),
    cityCode: regionCode.optional(),
    itemId: id.optional(),
    maxDistanceKm: z.number().min(1).max(500).default(50),
    limit: z.number().int().min(1).max(50).default(20),
  }),
  store: z.object({ storeId: id, itemId: id.optional() }),
  redeem: z.object({ itemId: id, storeId: id.optional(), requestId: requestIdSchema }),
  myRedemptions: z.object({}),
  /** The pickup QR of one's own reservation, as a PNG data URL (the clerk scans it). */
  pickupQr: z.object({ reservationId: z.string().regex(RESERVATION_ID_PATTERN) }),
  cancel: z.object({
    reservationId: z.string().regex(RESERVATION_ID_PATTERN),
    requestId: requestIdSchema,
  }),
  /** Clerks: a reservation by its QR (reservation id) or its 6-digit code at their store. */
  lookupPickup: z.object({
    storeId: id,
    code: z
      .string()
      .regex(/^\d{6}$/, '取货码为 6 位数字')
      .optional(),
    reservationId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{6,64}$/)
      .optional(),
  }),
  confirmPickup: z.object({
    storeId: id,
    reservationId: z.string().regex(RESERVATION_ID_PATTERN),
    requestId: requestIdSchema,
  }),
  clerkDesk: z.object({ storeId: id }),
  /** The stores the caller is a clerk of (the clerk's way in). */
  clerkStores: z.object({}),
  /** The store's units or the committee: clerks and stock. */
  grantClerk: z.object({
    storeId: id,
    userCode: z.string().min(8).max(8),
    requestId: requestIdSchema,
  }),
  /** Organisers: an item of the catalogue, created or replaced (stock moves only by restock). */
  saveItem: z.object({ item: storeItemSchema, requestId: requestIdSchema }),
  /** Organisers or the recommending unit's admins: a pickup store, created or replaced. */
  saveStore: z.object({ store: pickupStoreSchema, requestId: requestIdSchema }),
  /** Anyone: a volunteer certificate by its number (证书查验). */
  verifyCertificate: z.object({
    number: z.string().regex(/^WAL\d{4}-[0-9A-F]{10}$/, '证书编号格式不正确'),
  }),
  restock: z.object({
    storeId: id,
    itemId: id,
    amount: z.number().int().min(1).max(100_000),
    requestId: requestIdSchema,
  }),
}

const storeView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  location: coords,
  hours: z.string(),
  phone: z.string(),
  cityCode: z.string(),
  /** Metres from the position asked about (null when listed by city). */
  distanceMeters: z.number().nullable(),
  /** Stock of the item asked about (null when none was asked). */
  stock: z.number().int().nullable(),
})
export type StoreView = z.infer<typeof storeView>

const itemView = z.object({
  id: z.string(),
  kind: z.enum(ITEM_KINDS),
  kindName: z.string(),
  title: z.string(),
  description: z.string(),
  images: z.array(z.string()),
  pricePoints: z.number().int(),
  provider: z.string(),
  perPersonLimit: z.number().int(),
  physical: z.boolean(),
  regionNotice: z.string().nullable(),
  /** Total stock over all stores (physical), null for digital items. */
  stock: z.number().int().nullable(),
  available: z.boolean(),
})
export type ItemView = z.infer<typeof itemView>

const reservationView = z.object({
  id: z.string(),
  itemId: z.string(),
  itemTitle: z.string(),
  kind: z.enum(ITEM_KINDS),
  pricePoints: z.number().int(),
  status: z.enum(RESERVATION_STATUSES),
  statusName: z.string(),
  store: z
    .object({
      id: z.string(),
      name: z.string(),
      address: z.string(),
      phone: z.string(),
      location: coords,
    })
    .nullable(),
  pickupCode: z.string().nullable(),
  scene: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  /** Reports: where the file is (a temporary URL). */
  fileUrl: z.string().nullable(),
  /** Certificates: the number it is verified by. */
  certificateNo: z.string().nullable(),
})
export type ReservationView = z.infer<typeof reservationView>

export const catalogueReplySchema = z.object({
  items: z.array(itemView),
  balance: z.number().int(),
})
export const itemReplySchema = z.object({
  item: itemView,
  balance: z.number().int(),
  redeemed: z.number().int(),
})
export const storesReplySchema = z.object({
  stores: z.array(storeView),
  cities: z.array(z.object({ cityCode: z.string(), name: z.string(), stores: z.number().int() })),
})
export const storeReplySchema = z.object({ store: storeView })
export const redeemReplySchema = z.object({
  reservation: reservationView,
  balance: z.number().int(),
})
export const redemptionsReplySchema = z.object({ items: z.array(reservationView) })
export const cancelReplySchema = z.object({
  reservation: reservationView,
  balance: z.number().int(),
})
export const pickupViewSchema = z.object({
  reservation: reservationView,
  /** The person as the clerk sees them: masked nickname and user code. */
  maskedNickname: z.string(),
  userCode: z.string(),
})
export const clerkDeskSchema = z.object({
  store: storeView,
  pending: z.array(pickupViewSchema),
  pickedUpToday: z.array(pickupViewSchema),
})
/** A volunteer certificate as printed and as verified (the real name only if the volunteer gave one). */
export const certificateSchema = z.object({
  number: z.string(),
  holder: z.string(),
  nodeName: z.string(),
  validSamples: z.number().int(),
  issuedAt: z.string(),
})
export type Certificate = z.infer<typeof certificateSchema>

export const restockReplySchema = z.object({
  itemId: z.string(),
  storeId: z.string(),
  stock: z.number().int(),
})

/** The `store` function's contract (core/contracts.ts explains the shape). */
export const storeContract = defineContract('store', {
  catalogue: { input: storeInputs.catalogue, output: catalogueReplySchema },
  item: { input: storeInputs.item, output: itemReplySchema },
  nearbyStores: { input: storeInputs.nearbyStores, output: storesReplySchema },
  store: { input: storeInputs.store, output: storeReplySchema },
  redeem: { input: storeInputs.redeem, output: redeemReplySchema, mutating: true },
  myRedemptions: { input: storeInputs.myRedemptions, output: redemptionsReplySchema },
  pickupQr: { input: storeInputs.pickupQr, output: z.object({ dataUrl: z.string() }) },
  cancel: { input: storeInputs.cancel, output: cancelReplySchema, mutating: true },
  lookupPickup: { input: storeInputs.lookupPickup, output: pickupViewSchema },
  confirmPickup: { input: storeInputs.confirmPickup, output: pickupViewSchema, mutating: true },
  clerkDesk: { input: storeInputs.clerkDesk, output: clerkDeskSchema },
  clerkStores: { input: storeInputs.clerkStores, output: z.object({ stores: z.array(storeView) }) },
  grantClerk: {
    input: storeInputs.grantClerk,
    output: z.object({ storeId: z.string(), userCode: z.string() }),
    mutating: true,
  },
  restock: { input: storeInputs.restock, output: restockReplySchema, mutating: true },
  saveItem: {
    input: storeInputs.saveItem,
    output: z.object({ itemId: z.string(), created: z.boolean() }),
    mutating: true,
  },
  saveStore: {
    input: storeInputs.saveStore,
    output: z.object({ storeId: z.string(), created: z.boolean() }),
    mutating: true,
  },
  verifyCertificate: { input: storeInputs.verifyCertificate, output: certificateSchema },
  /** The timer's run (or an organiser's): expiries refunded, reminders sent. */
  expireDue: {
    input: z.object({}),
    output: z.object({ expired: z.number().int(), reminded: z.number().int() }),
  },
})
