// The verifiable offline lucky draw (线下抽奖): winners follow deterministically from a committed
// seed and the published digest of the sorted eligible list, so anyone with the record and the
// list recomputes them (scripts/verify-draw.ts). Pure: SHA-256 and HMAC-SHA256 are passed in
// (node:crypto on the server and in the script), as core never touches a platform API.
//
// The algorithm (docs/console.md, "The offline draw"), version `wal-draw-v1`:
// 1. ids: the eligible pseudonymous ids, sorted by UTF-16 code unit (they are ASCII), distinct.
// 2. listDigest = hex SHA-256 of the ids joined by "\n" (UTF-8, no trailing newline).
// 3. seedHash = hex SHA-256 of the seed, the seed being 64 lowercase hex characters (as text).
// 4. Prize slots: each prize kind in its defined order, `count` slots each, numbered from 0.
// 5. A counter c starts at 0. For each slot in order, repeat: block = HMAC-SHA256(key = the seed
//    as UTF-8 text, message = `${listDigest}:${c}`), c += 1; x = the block's first 6 bytes as a
//    big-endian unsigned integer (0 ≤ x < 2^48); if x ≥ floor(2^48 / n) · n, reject (no modulo
//    bias); i = x mod n; if ids[i] already won, reject (nobody wins twice); else ids[i] wins.
// There must be at least as many ids as slots.

export const DRAW_ALGORITHM = 'wal-draw-v1'

export interface DrawCrypto {
  /** Hex SHA-256 of a UTF-8 string. */
  sha256Hex(text: string): string
  /** HMAC-SHA256 of `message` under `key` (both UTF-8 strings). */
  hmacSha256(key: string, message: string): Uint8Array
}

export interface DrawPrize {
  kind: string
  count: number
}

export interface DrawWinner {
  slot: number
  prizeKind: string
  index: number
  id: string
}

const TWO_48 = 2 ** 48

/** The eligible ids as the draw uses them: sorted, duplicates removed. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

export function listDigest(sorted: readonly string[], crypto: DrawCrypto): string {
  return crypto.sha256Hex(sorted.join('\n'))
}

export function seedHash(seed: string, crypto: DrawCrypto): string {
  return crypto.sha256Hex(seed)
}

export function isSeed(seed: string): boolean {
  return /^[0-9a-f]{64}$/.test(seed)
}

export class DrawRuleError extends Error {}

/** The winners of every prize slot, in slot order. */
export function drawWinners(
  sorted: readonly string[],
  digest: string,
  seed: string,
  prizes: readonly DrawPrize[],
  crypto: DrawCrypto,
): DrawWinner[] {
  const n = sorted.length
  const slots = prizes.reduce((sum, p) => sum + p.count, 0)
  if (!isSeed(seed)) throw new DrawRuleError('the seed must be 64 lowercase hex characters')
  if (slots > n) throw new DrawRuleError(`${slots} prizes but only ${n} eligible`)
  const limit = Math.floor(TWO_48 / n) * n
  const won = new Set<number>()
  const winners: DrawWinner[] = []
  let counter = 0
  let slot = 0
  for (const prize of prizes) {
    for (let k = 0; k < prize.count; k++) {
      for (;;) {
        const block = crypto.hmacSha256(seed, `${digest}:${counter}`)
        counter += 1
        let x = 0
        for (let b = 0; b < 6; b++) x = x * 256 + block[b]!
        if (x >= limit) continue
        const index = x % n
        if (won.has(index)) continue
        won.add(index)
        winners.push({ slot, prizeKind: prize.kind, index, id: sorted[index]! })
        break
      }
      slot += 1
    }
  }
  return winners
}

export interface DrawVerification {
  ok: boolean
  problems: string[]
}

/** Recompute a published draw: the list's digest, the seed's hash, and every winner. */
export function verifyDraw(
  record: {
    listDigest: string | null
    seedHash: string | null
    seed: string | null
    prizes: readonly DrawPrize[]
    winners: readonly DrawWinner[] | null
  },
  ids: readonly string[],
  crypto: DrawCrypto,
): DrawVerification {
  const problems: string[] = []
  const sorted = sortedIds(ids)
  if (sorted.length !== ids.length) problems.push('the list is not sorted and distinct')
  else if (sorted.some((id, i) => id !== ids[i])) problems.push('the list is not sorted')
  const digest = listDigest(sorted, crypto)
  if (digest !== record.listDigest)
    problems.push(`the list's digest is ${digest}, the record publishes ${record.listDigest}`)
  if (!record.seed) problems.push('the seed is not revealed yet')
  else if (seedHash(record.seed, crypto) !== record.seedHash)
    problems.push('the revealed seed does not hash to the committed seedHash')
  if (problems.length === 0 && record.seed) {
    const again = drawWinners(sorted, digest, record.seed, record.prizes, crypto)
    const published = record.winners ?? []
    if (again.length !== published.length)
      problems.push(`${again.length} winners recomputed, ${published.length} published`)
    again.forEach((w, i) => {
      const p = published[i]
      if (!p || p.id !== w.id || p.prizeKind !== w.prizeKind || p.slot !== w.slot)
        problems.push(`slot ${w.slot}: recomputed ${w.id}, published ${p?.id ?? 'none'}`)
    })
  }
  return { ok: problems.length === 0, problems }
}
