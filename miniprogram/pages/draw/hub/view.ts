// What the draw hub renders for a hub reply: plain strings and flags, computed once per reply.
import type { DrawHub, DrawKind, Progress } from 'wal-core'
import { formatPercent, prizeLabel } from '../../../utils/reward-format'
import { missingText } from '../../../utils/reward-format'
import { allAnsweredText, capReachedText, chancesSummary, costText } from './strings'

export interface OddsRow {
  id: string
  /** What the tier pays: "1积分" or "0.1元红包". */
  prize: string
  /** Its probability as the server sent it: "60%". */
  percent: string
}

export interface KindCard {
  kind: DrawKind
  name: string
  costText: string
  odds: OddsRow[]
  affordable: boolean
  /** Why it cannot be drawn now ('' when it can): 还差 n 次机会. */
  reason: string
}

export interface HubView {
  chances: number
  summary: string
  kinds: KindCard[]
  /** The server's notice (a cash budget spent for today), '' for none. */
  notice: string
  /** Nothing can be drawn: point the way to more chances. */
  noneAffordable: boolean
}

export function toHubView(hub: DrawHub): HubView {
  const balance = hub.chances.balance
  const kinds = hub.kinds.map((k) => ({
    kind: k.kind,
    name: k.name,
    costText: costText(k.cost),
    odds: k.tiers.map((t) => ({
      id: t.id,
      prize: prizeLabel(t, hub.prizeForm),
      percent: formatPercent(t.probabilityBp),
    })),
    // The server decides affordability; the reason is only worded here.
    affordable: k.affordable,
    reason: k.affordable ? '' : missingText(Math.max(1, k.cost - balance)),
  }))
  return {
    chances: balance,
    summary: chancesSummary(hub.chances.granted, hub.chances.spent),
    kinds,
    notice: hub.notice ?? '',
    noneAffordable: kinds.every((k) => !k.affordable),
  }
}

/**
 * Why answering earns no more chances ('' when it still does, or when the progress is unknown):
 * the cap is reached, or every section offered has been answered. The hub then explains this
 * instead of offering 去答题.
 */
export function noMoreChancesNote(progress: Progress | null): string {
  if (!progress?.started) return ''
  if (progress.chancesTotal >= progress.chancesCap) return capReachedText(progress.chancesCap)
  if (progress.nextSectionId === null) return allAnsweredText
  return ''
}
