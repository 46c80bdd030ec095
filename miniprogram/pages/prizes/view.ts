// What 我的奖品 shows, from myPrizes (pure: tested without rendering).
import type { MyPrize } from '../../services/prizes'
import { formatInstant } from '../../utils/china-time'
import { eligibleText, regionText, text } from './strings'

export function toPrizeView(p: MyPrize) {
  const v = p.verification
  return {
    /** One key per prize: a person may win twice in different draws, never twice in one. */
    key: `${p.drawId}:${p.prizeKind}`,
    drawId: p.drawId,
    title: p.title,
    label: p.label,
    regionText: regionText(p.regionName, p.regionCode),
    revealedText: formatInstant(p.revealedAt),
    claim: p.claim.trim() || text.claimFallback,
    record: {
      algorithm: v.algorithm,
      eligible: eligibleText(v.eligibleCount),
      listDigest: v.listDigest ?? text.notPublished,
      seedHash: v.seedHash ?? text.notPublished,
      seed: v.seed ?? text.notPublished,
    },
  }
}

export type PrizeView = ReturnType<typeof toPrizeView>
