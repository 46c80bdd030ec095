// `npm run verify-draw -- <record.json> [list.txt]`: recompute a published offline draw (the
// organiser function's draw record) from its eligible list — the list file next to the record,
// or its listUrl — and print whether the digest, the seed's hash and every winner check out.
// Algorithm: core/offline-draw.ts (wal-draw-v1), docs/console.md.
import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { verifyDraw, type DrawCrypto } from 'wal-core'

const crypto: DrawCrypto = {
  sha256Hex: (t) => createHash('sha256').update(t, 'utf8').digest('hex'),
  hmacSha256: (k, m) => createHmac('sha256', k).update(m, 'utf8').digest(),
}

async function main(): Promise<void> {
  const [recordFile, listFile] = process.argv.slice(2)
  if (!recordFile) {
    console.error('usage: npm run verify-draw -- <record.json> [eligible-list.txt]')
    process.exit(2)
  }
  const record = JSON.parse(readFileSync(recordFile, 'utf8'))
  const text = listFile
    ? readFileSync(listFile, 'utf8')
    : await (await fetch(String(record.listUrl))).text()
  const ids = text.split('\n').filter((l) => l !== '')
  const result = verifyDraw(record, ids, crypto)
  console.log(
    `draw ${record.drawId} (${record.algorithm}): ${ids.length} eligible, ${record.winners?.length ?? 0} winners`,
  )
  if (result.ok) console.log('verified: list digest, seed hash and every winner recomputed')
  else for (const p of result.problems) console.log(`MISMATCH ${p}`)
  process.exit(result.ok ? 0 : 1)
}

void main()
