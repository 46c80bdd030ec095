// What the item page shows, from the server's reply (pure: tested without rendering).
import type { ItemView } from '../../../services/store'
import { limitText, priceText, shortText, stockLeftText, text } from './strings'

/** What stops redeeming now: nothing, the item, the person's limit, or their points. */
export type Blocked = '' | 'unavailable' | 'soldOut' | 'limit' | 'points'

export interface ItemPage {
  id: string
  kind: ItemView['kind']
  kindName: string
  title: string
  images: string[]
  /** More than one image: a swiper; one: that image; none: a placeholder naming the kind. */
  swiper: boolean
  image: string
  price: number
  priceText: string
  provider: string
  description: string
  limitText: string
  regionNotice: string
  availabilityText: string
  physical: boolean
  blocked: Blocked
  /** The button's words when blocked (its usual words otherwise come from `text`). */
  blockedText: string
  /** Points missing (blocked by points), with the sentence that says so. */
  shortBy: number
  shortText: string
}

export function toItemPage(item: ItemView, balance: number, redeemed: number): ItemPage {
  const soldOut = item.stock !== null && item.stock <= 0
  const shortBy = Math.max(0, item.pricePoints - balance)
  const blocked: Blocked = !item.available
    ? soldOut
      ? 'soldOut'
      : 'unavailable'
    : soldOut
      ? 'soldOut'
      : redeemed >= item.perPersonLimit
        ? 'limit'
        : shortBy > 0
          ? 'points'
          : ''
  const blockedText = {
    '': '',
    unavailable: text.unavailable,
    soldOut: text.soldOut,
    limit: text.limitReached,
    points: text.notEnough,
  }[blocked]
  return {
    id: item.id,
    kind: item.kind,
    kindName: item.kindName,
    title: item.title,
    images: item.images,
    swiper: item.images.length > 1,
    image: item.images[0] ?? '',
    price: item.pricePoints,
    priceText: priceText(item.pricePoints),
    provider: item.provider,
    description: item.description,
    limitText: limitText(item.perPersonLimit, redeemed),
    regionNotice: item.regionNotice ?? '',
    availabilityText: item.physical
      ? soldOut
        ? text.soldOut
        : `${text.physicalNote}（${stockLeftText(item.stock ?? 0)}）`
      : item.available
        ? text.digitalNote
        : text.unavailable,
    physical: item.physical,
    blocked,
    blockedText,
    shortBy,
    shortText: blocked === 'points' ? shortText(shortBy, balance) : '',
  }
}
