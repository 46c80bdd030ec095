// The one cache of configuration records (campaigns, questionnaires, reward configs, draw tables):
// configuration changes rarely and every call needs it, so a function instance keeps what it read
// for a short while — billed reads drop from one per call to one per instance per TTL. Window
// checks still use each request's own clock.

/** How long a mutable configuration record is trusted (an operator's change reaches within it). */
export const CONFIG_TTL_MS = 30_000

interface Entry<V> {
  value: V
  at: number
}

const caches = new Set<Map<string, Entry<unknown>>>()

/**
 * A keyed loader whose results are kept for `ttlMs` (Infinity for records that never change,
 * e.g. a draw table version). Failures are not kept: the next call loads again.
 */
export function cachedLoader<V>(
  load: (key: string) => Promise<V>,
  ttlMs: number = CONFIG_TTL_MS,
): (key: string) => Promise<V> {
  const entries = new Map<string, Entry<V>>()
  caches.add(entries as Map<string, Entry<unknown>>)
  return async (key) => {
    // The instance's own clock, not the request's: the TTL is about freshness of this copy.
    const t = Date.now()
    const hit = entries.get(key)
    if (hit && t - hit.at <= ttlMs) return hit.value
    const value = await load(key)
    entries.set(key, { value, at: t })
    return value
  }
}

/** Forget every cached configuration record (tests that re-seed). */
export function clearConfigCache(): void {
  for (const c of caches) c.clear()
}
