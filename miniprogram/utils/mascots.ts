// The campaign's four mascots (安全满意网络四宝), drawn for this app as small SVGs in
// /assets/mascots/ (main package: home and every empty state show them). docs/design.md.

/** 安安 (shield), 全全 (lock), 满满 (sun, for rewards), 意意 (heart, for thanks). */
export type Mascot = 'an' | 'quan' | 'man' | 'yi'

const MASCOTS: readonly Mascot[] = ['an', 'quan', 'man', 'yi']

/** The image path of `mascot` (安安 for anything else). */
export function mascotSrc(mascot: Mascot): string {
  return `/assets/mascots/${MASCOTS.includes(mascot) ? mascot : 'an'}.svg`
}
