// Seeds a campaign's points store from campaigns/<folder>/store.json: rules and city names,
// the catalogue, the pickup stores (location as a Geo.Point for the 2dsphere index), each item's
// first stock split over its shards with `seed` stock entries, the demo's clerks, and — for
// reports whose file is not in storage yet — a placeholder PDF. Idempotent: stock is written once
// (afterwards it only moves by entries), everything else is rewritten only when it changed.
import { isDeepStrictEqual } from 'node:util'
import type { CampaignConfig, StoreFile } from 'wal-core'
import { getDb, readDoc } from '../server/db'
import { ensurePointAccount } from '../server/ledger'
import {
  PICKUP_STORES,
  STORE_CLERKS,
  STORE_ITEMS,
  STORE_RULES,
  clerkId,
  seedStock,
} from '../server/records/store'
import { getStorage } from '../server/storage'

type Outcome = 'created' | 'updated' | 'unchanged'

/** Set `data` under `id` unless the stored document already equals it (ignoring `_id`). */
async function upsert(
  collection: string,
  id: string,
  data: Record<string, unknown>,
  compare = data,
) {
  const stored = await readDoc<Record<string, unknown>>(getDb().collection(collection).doc(id))
  if (stored) {
    const { _id: _ignored, ...rest } = stored
    const picked = Object.fromEntries(Object.keys(compare).map((k) => [k, rest[k]]))
    if (isDeepStrictEqual(picked, JSON.parse(JSON.stringify(compare)))) return 'unchanged'
  }
  await getDb().collection(collection).doc(id).set({ data })
  return stored ? 'updated' : 'created'
}

/** A one-page PDF saying what the file stands in for (real reports are uploaded by the committee). */
export function placeholderPdf(title: string): Buffer {
  const text = title.replace(/[^\x20-\x7e]/g, '').replace(/[()\\]/g, '')
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj 0 -28 Td /F1 12 Tf (Placeholder for the local demo: the committee uploads the real report.) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

export async function seedStore(
  campaign: CampaignConfig,
  file: StoreFile,
  now: Date,
): Promise<Outcome> {
  const db = getDb()
  const outcomes: Outcome[] = []
  const { stores, items, cities, clerks, ...rules } = file
  outcomes.push(await upsert(STORE_RULES, campaign.id, { rules, cities }))
  for (const store of stores) {
    const { id, location, ...rest } = store
    const data = { ...rest, position: location }
    // The Geo.Point is written with the rest but compared through `position`, its plain twin.
    outcomes.push(
      await upsert(
        PICKUP_STORES,
        id,
        { ...data, location: new db.Geo.Point(location.lng, location.lat) },
        data,
      ),
    )
  }
  for (const item of items) {
    const { id, ...rest } = item
    let fileId = item.file
    if (item.kind === 'report' && item.file && !item.file.startsWith('cloud://')) {
      // Locally the report is a placeholder PDF put in storage once; in CloudBase the committee
      // uploads the real one at this path and the item names its fileID.
      fileId = await getStorage().put(item.file, placeholderPdf(`WAL Survey - ${item.id}`))
    }
    outcomes.push(await upsert(STORE_ITEMS, id, { ...rest, file: fileId, campaignId: campaign.id }))
    for (const [storeId, total] of Object.entries(item.stock))
      if (await seedStock(db, { itemId: id, storeId, total, ref: campaign.id, now }))
        outcomes.push('created')
  }
  for (const c of clerks) {
    const ref = db.collection(STORE_CLERKS).doc(clerkId(c.store, c.openid))
    if (await readDoc(ref)) continue
    const account = await ensurePointAccount(c.openid, now)
    await ref.set({
      data: {
        storeId: c.store,
        openid: c.openid,
        userCode: account.userCode,
        grantedBy: 'seed',
        createdAt: now,
      },
    })
    outcomes.push('created')
  }
  return outcomes.includes('created')
    ? 'created'
    : outcomes.includes('updated')
      ? 'updated'
      : 'unchanged'
}
