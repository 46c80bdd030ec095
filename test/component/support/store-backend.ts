// A fake backend behind wx.request for the `store` function: the demo catalogue and stores of
// campaigns/demo/store.json, a balance, reservations the pages make, and a clerk's store. Every
// reply is parsed with the contract's output schema (storeContract), so the fake cannot drift
// from what the real function promises. A repeated requestId gets the first reply.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ERROR_MESSAGES,
  ITEM_KIND_NAMES,
  PHYSICAL_KINDS,
  RESERVATION_STATUS_NAMES,
  distanceMeters,
  ok,
  storeContract,
  storeFileSchema,
  type Envelope,
  type ReservationView,
  type StoreFile,
} from 'wal-core'
import { ContractBackend, failWith } from './fake-backend'

export const demoStore: StoreFile = storeFileSchema.parse(
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../campaigns/demo/store.json'), 'utf8')),
)

export class StoreBackend extends ContractBackend<typeof storeContract> {
  protected readonly contract = storeContract
  balance = 100
  /** Stock by item, then store. */
  stock = new Map(demoStore.items.map((i) => [i.id, new Map(Object.entries(i.stock))]))
  reservations: ReservationView[] = []
  /** The store the caller is a clerk of (others: FORBIDDEN). */
  clerkOf = 'gz-tianhe-jianshe'
  private seq = 0

  private stockOf(itemId: string): number {
    return [...(this.stock.get(itemId)?.values() ?? [])].reduce((a, b) => a + b, 0)
  }

  private itemView(id: string) {
    const item = demoStore.items.find((i) => i.id === id)!
    const physical = PHYSICAL_KINDS.has(item.kind)
    return {
      id: item.id,
      kind: item.kind,
      kindName: ITEM_KIND_NAMES[item.kind],
      title: item.title,
      description: item.description,
      images: item.images,
      pricePoints: item.pricePoints,
      provider: item.provider,
      perPersonLimit: item.perPersonLimit,
      physical,
      regionNotice: item.regions.length ? '仅限在广州市参与调查的网民兑换' : null,
      stock: physical ? this.stockOf(item.id) : null,
      available: !physical || this.stockOf(item.id) > 0,
    }
  }

  private storeView(id: string, near?: { lng: number; lat: number }, itemId?: string) {
    const s = demoStore.stores.find((x) => x.id === id)!
    return {
      id: s.id,
      name: s.name,
      address: s.address,
      location: s.location,
      hours: s.hours,
      phone: s.phone,
      cityCode: s.cityCode,
      distanceMeters: near ? Math.round(distanceMeters(near, s.location)) : null,
      stock: itemId ? (this.stock.get(itemId)?.get(s.id) ?? 0) : null,
    }
  }

  protected handle(e: Record<string, unknown>): Envelope<unknown> {
    switch (e.action) {
      case 'catalogue':
        return ok({
          items: demoStore.items
            .filter((i) => !e.kind || i.kind === e.kind)
            .map((i) => this.itemView(i.id)),
          balance: this.balance,
        })
      case 'item': {
        if (!demoStore.items.some((i) => i.id === e.itemId))
          return failWith('NOT_FOUND', '没有这件商品')
        const redeemed = this.reservations.filter(
          (r) => r.itemId === e.itemId && r.status !== 'cancelled',
        ).length
        return ok({ item: this.itemView(e.itemId as string), balance: this.balance, redeemed })
      }
      case 'nearbyStores': {
        const near = e.near as { lng: number; lat: number } | undefined
        const itemId = e.itemId as string | undefined
        let stores = demoStore.stores.filter(
          (s) => !itemId || (this.stock.get(itemId)?.get(s.id) ?? 0) > 0,
        )
        if (near)
          stores = stores
            .filter((s) => distanceMeters(near, s.location) <= 50_000)
            .sort((a, b) => distanceMeters(near, a.location) - distanceMeters(near, b.location))
        else if (e.cityCode) stores = stores.filter((s) => s.cityCode === e.cityCode)
        return ok({
          stores: stores.map((s) => this.storeView(s.id, near, itemId)),
          cities: [
            { cityCode: '440100', name: '广州市', stores: 6 },
            { cityCode: '440300', name: '深圳市', stores: 6 },
          ],
        })
      }
      case 'store':
        return ok({
          store: this.storeView(e.storeId as string, undefined, e.itemId as string | undefined),
        })
      case 'redeem': {
        const item = demoStore.items.find((i) => i.id === e.itemId)!
        if (this.balance < item.pricePoints)
          return failWith('INSUFFICIENT_POINTS', ERROR_MESSAGES.INSUFFICIENT_POINTS)
        const physical = PHYSICAL_KINDS.has(item.kind)
        const storeId = e.storeId as string | undefined
        if (physical) {
          const left = this.stock.get(item.id)?.get(storeId!) ?? 0
          if (left <= 0) return failWith('OUT_OF_STOCK', ERROR_MESSAGES.OUT_OF_STOCK)
          this.stock.get(item.id)!.set(storeId!, left - 1)
        }
        this.balance -= item.pricePoints
        const s = storeId ? demoStore.stores.find((x) => x.id === storeId)! : null
        const id = `rsv-fake${String(++this.seq).padStart(6, '0')}`
        const r: ReservationView = {
          id,
          itemId: item.id,
          itemTitle: item.title,
          kind: item.kind,
          pricePoints: item.pricePoints,
          status: physical ? 'reserved' : 'delivered',
          statusName: RESERVATION_STATUS_NAMES[physical ? 'reserved' : 'delivered'],
          store: s
            ? { id: s.id, name: s.name, address: s.address, phone: s.phone, location: s.location }
            : null,
          pickupCode: physical ? String(123450 + this.seq) : null,
          scene: physical ? `r=${id}` : null,
          expiresAt: physical ? '2025-03-08T02:00:00.000Z' : null,
          createdAt: '2025-03-01T02:00:00.000Z',
          fileUrl: item.kind === 'report' ? 'http://127.0.0.1/storage/reports/x.pdf' : null,
          certificateNo: item.kind === 'certificate' ? 'WAL2025-0123456789' : null,
        }
        this.reservations.unshift(r)
        return ok({ reservation: r, balance: this.balance })
      }
      case 'myRedemptions':
        return ok({ items: this.reservations })
      case 'pickupQr':
        return ok({ dataUrl: 'data:image/png;base64,iVBORw0KGgo=' })
      case 'cancel': {
        const r = this.reservations.find((x) => x.id === e.reservationId)
        if (!r) return failWith('NOT_FOUND', '没有这条兑换记录')
        if (r.status !== 'reserved')
          return failWith('NO_TRANSITION', `该兑换${r.statusName}，不能再操作`)
        Object.assign(r, {
          status: 'cancelled',
          statusName: RESERVATION_STATUS_NAMES.cancelled,
          pickupCode: null,
          scene: null,
        })
        this.balance += r.pricePoints
        return ok({ reservation: r, balance: this.balance })
      }
      case 'verifyCertificate':
        return e.number === 'WAL2025-0123456789'
          ? ok({
              number: e.number,
              holder: '李晓明',
              nodeName: '天河一队（高校）',
              validSamples: 12,
              issuedAt: '2025-03-01T02:00:00.000Z',
            })
          : failWith('NOT_FOUND', '没有这个编号的证书，请核对后重试')
      case 'clerkStores':
        return ok({ stores: this.clerkOf ? [this.storeView(this.clerkOf)] : [] })
      case 'clerkDesk':
      case 'lookupPickup':
      case 'confirmPickup':
        return this.clerk(e)
      default:
        return failWith('UNKNOWN_ACTION', String(e.action))
    }
  }

  private pickupView(r: ReservationView) {
    return { reservation: r, maskedNickname: '张*丰', userCode: 'ABCD2345' }
  }

  private clerk(e: Record<string, unknown>): Envelope<unknown> {
    if (e.storeId !== this.clerkOf) return failWith('FORBIDDEN', '您不是该自提点的店员')
    const here = this.reservations.filter((r) => r.store?.id === this.clerkOf)
    if (e.action === 'clerkDesk')
      return ok({
        store: this.storeView(this.clerkOf),
        pending: here.filter((r) => r.status === 'reserved').map((r) => this.pickupView(r)),
        pickedUpToday: here.filter((r) => r.status === 'picked_up').map((r) => this.pickupView(r)),
      })
    const r = here.find(
      (x) => x.id === e.reservationId || (e.code !== undefined && x.pickupCode === e.code),
    )
    if (!r) return failWith('NOT_FOUND', '本店没有这个取货码对应的兑换')
    if (e.action === 'lookupPickup') return ok(this.pickupView(r))
    if (r.status !== 'reserved')
      return failWith('NO_TRANSITION', `该兑换${r.statusName}，不能再操作`)
    Object.assign(r, {
      status: 'picked_up',
      statusName: RESERVATION_STATUS_NAMES.picked_up,
      pickupCode: null,
      scene: null,
    })
    return ok(this.pickupView(r))
  }
}
