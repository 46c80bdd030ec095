// What the codes people type, share and scan look like: user codes (用户码), share and invite
// codes (分享码, 邀请码), the scene a mini-program code or a forwarded card carries, and the text of
// a pickup QR. Zod-free: the mini-program ships this module, and core's zod schemas for the same
// codes are built from the patterns here, so each rule is written once.

/** User codes: short, shareable, unambiguous (no 0/O, 1/I/L), never the openid. */
export const USER_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const USER_CODE_LENGTH = 8
/** A user code in its canonical form. */
export const USER_CODE_PATTERN = new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`)

/** Share codes: the user-code alphabet (no 0/O, 1/I/L), 7 characters (~2.8×10¹⁰ codes). */
export const SHARE_CODE_ALPHABET = USER_CODE_ALPHABET
export const SHARE_CODE_LENGTH = 7
/** A share (or invite) code in its canonical form. */
export const SHARE_CODE_PATTERN = new RegExp(`^[${SHARE_CODE_ALPHABET}]{${SHARE_CODE_LENGTH}}$`)

/** A code as typed or kept (spaces around it, lower case) in the form the patterns check. */
export function canonicalCode(raw: string): string {
  return raw.trim().toUpperCase()
}

/** A user code as typed, in its canonical form, or null if it is not one. */
export function parseUserCode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const code = canonicalCode(raw)
  return USER_CODE_PATTERN.test(code) ? code : null
}

/** A share (or invite) code as typed or stored, in its canonical form, or null if it is not one. */
export function parseShareCode(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const code = canonicalCode(raw)
  return SHARE_CODE_PATTERN.test(code) ? code : null
}

/** The most characters of a scene `survey.start` takes: far above a wxacode's 32 (see sceneSchema). */
export const SCENE_MAX_LENGTH = 512

/** Whether `v` is a scene `survey.start` would take. */
export function isScene(v: unknown): v is string {
  return typeof v === 'string' && v.length <= SCENE_MAX_LENGTH
}

/**
 * What a mini-program code's scene (≤ 32 characters) or a shared card's query names: `c=<code>`
 * a share code, `i=<code>` an invite. A bare code is read as a share code (codes printed before
 * the prefix existed).
 */
export type SceneTarget = { kind: 'share'; code: string } | { kind: 'invite'; code: string } | null

export function parseScene(scene: string | null | undefined): SceneTarget {
  if (!scene) return null
  let raw: string
  try {
    raw = decodeURIComponent(scene)
  } catch {
    return null
  }
  if (raw.length > 32) return null
  const m = /^(?:([ci])=)?([A-Za-z0-9]{4,16})$/.exec(raw.trim())
  if (!m) return null
  return { kind: m[1] === 'i' ? 'invite' : 'share', code: m[2]!.toUpperCase() }
}

export const shareScene = (code: string) => `c=${code}`
export const inviteScene = (code: string) => `i=${code}`

/** A reservation id (the pickup QR names one): letters, digits, _ and -. */
export const RESERVATION_ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/

/** What the pickup QR carries: the reservation id, so a clerk's scan finds it at once. */
export const pickupScene = (reservationId: string) => `r=${reservationId}`

/** The reservation id in a scanned pickup QR (`r=<id>`), or null when it is not one. */
export function reservationIdFromScan(text: string): string | null {
  const m = /^r=(.*)$/.exec(text.trim())
  return m && RESERVATION_ID_PATTERN.test(m[1]!) ? m[1]! : null
}
