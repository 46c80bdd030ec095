// What 积分商城 shows, from the server's reply (pure: tested without rendering).
import { ITEM_KINDS, ITEM_KIND_NAMES } from 'wal-core'
import type { ItemView } from '../../services/store'
import { ALL, priceText, providerText, stockText, text, type KindTab } from './strings'

export interface KindTabView {
  value: KindTab
  label: string
}

/** 全部, then every kind in the catalogue's order. */
export const kindTabs: KindTabView[] = [
  { value: ALL, label: text.all },
  ...ITEM_KINDS.map((kind) => ({ value: kind, label: ITEM_KIND_NAMES[kind] })),
]

export interface ItemCard {
  id: string
  kind: ItemView['kind']
  kindName: string
  title: string
  /** The first image, or '' for the placeholder block that names the kind. */
  image: string
  priceText: string
  providerText: string
  /** 剩余 40 件, 已兑完 or 电子版. */
  stockText: string
  available: boolean
  regionNotice: string
}

export function toItemCard(item: ItemView): ItemCard {
  const soldOut = item.stock !== null && item.stock <= 0
  return {
    id: item.id,
    kind: item.kind,
    kindName: item.kindName,
    title: item.title,
    image: item.images[0] ?? '',
    priceText: priceText(item.pricePoints),
    providerText: providerText(item.provider),
    stockText: soldOut ? text.soldOut : item.stock === null ? text.digital : stockText(item.stock),
    available: item.available && !soldOut,
    regionNotice: item.regionNotice ?? '',
  }
}

/** The cards of one tab. */
export function cardsOf(items: ItemCard[], tab: KindTab): ItemCard[] {
  return tab === ALL ? items : items.filter((i) => i.kind === tab)
}
