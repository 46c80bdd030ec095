// Draw chances (抽奖机会) earned by valid sections. Default rule (campaign-rules.md): public — main
// grants 5, each topic +1, capped at 10; practitioner — main grants 9, each topic +2, capped at 15.
import type { ChanceRule } from './model'

export const DEFAULT_CHANCE_RULES: Readonly<Record<'public' | 'practitioner', ChanceRule>> = {
  public: { main: 5, perTopic: 1, cap: 10 },
  practitioner: { main: 9, perTopic: 2, cap: 15 },
}

/**
 * Chances granted by one more valid section, given the chances the response has already earned.
 * Invalid sections grant nothing; the total never exceeds the cap.
 */
export function chancesForSection(
  rule: ChanceRule,
  kind: 'main' | 'topic',
  valid: boolean,
  alreadyGranted: number,
): number {
  if (!valid) return 0
  const raw = kind === 'main' ? rule.main : rule.perTopic
  return Math.max(0, Math.min(raw, rule.cap - alreadyGranted))
}
