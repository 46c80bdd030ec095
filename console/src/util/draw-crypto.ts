// SHA-256 and HMAC-SHA256 for the offline draw in the browser, synchronous as core's DrawCrypto
// asks (Web Crypto is async only): @noble/hashes, audited and dependency-free.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import type { DrawCrypto } from 'wal-core'

export const drawCrypto: DrawCrypto = {
  sha256Hex: (text) => bytesToHex(sha256(utf8ToBytes(text))),
  hmacSha256: (key, message) => hmac(sha256, utf8ToBytes(key), utf8ToBytes(message)),
}

/** A fresh seed: 32 random bytes as 64 lowercase hex characters. */
export function newSeed(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
}
