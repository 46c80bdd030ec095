// The local cloud's data as files, Firebase-emulator style: one `<collection>.json` per collection
// (a JSON array, one document per line, in the store's EJSON so dates and Geo points round-trip,
// ordered by _id) and `collections.json` naming each collection with its indexes and count.
// Export → import into a fresh file → export gives the same bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { indexDeclarationSchema } from '../emulator/db/collections'
import { DocumentStore } from '../emulator/db/store'

export const MANIFEST = 'collections.json'

const manifestSchema = z.object({
  format: z.literal('wal-local-data/1'),
  collections: z.array(
    z.object({
      name: z.string(),
      documents: z.number().int().nonnegative(),
      indexes: z.array(indexDeclarationSchema),
    }),
  ),
})
type Manifest = z.infer<typeof manifestSchema>

/** Writes every collection of `store` into `dir`; returns the documents per collection. */
export function exportData(store: DocumentStore, dir: string): Record<string, number> {
  mkdirSync(dir, { recursive: true })
  const manifest: Manifest = { format: 'wal-local-data/1', collections: [] }
  const counts: Record<string, number> = {}
  for (const name of store.collectionNames()) {
    const lines: string[] = []
    for (const text of store.exportDocuments(name)) lines.push(text)
    writeFileSync(
      path.join(dir, `${name}.json`),
      lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`,
    )
    manifest.collections.push({
      name,
      documents: lines.length,
      indexes: store.listIndexes(name),
    })
    counts[name] = lines.length
  }
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
  return counts
}

/**
 * Reads an export into `store`: each collection is created if missing, with the export's indexes,
 * and its documents written (a document with the same _id is replaced). A collection that already
 * holds documents is refused unless `replace` (then only the exported _ids are overwritten).
 */
export function importData(
  store: DocumentStore,
  dir: string,
  options: { replace?: boolean } = {},
): Record<string, number> {
  const file = path.join(dir, MANIFEST)
  if (!existsSync(file))
    throw new Error(`${dir}: no ${MANIFEST} (not an export of npm run data:export)`)
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  const have = new Set(store.collectionNames())
  if (!options.replace) {
    const busy = manifest.collections.filter((c) => have.has(c.name) && store.count(c.name, {}) > 0)
    if (busy.length > 0)
      throw new Error(
        `the data file already holds documents in ${busy.map((c) => c.name).join(', ')}: import into a fresh file, or pass --replace`,
      )
  }
  const counts: Record<string, number> = {}
  for (const c of manifest.collections) {
    if (!have.has(c.name)) store.createCollection(c.name)
    const existing = store.listIndexes(c.name)
    for (const index of c.indexes)
      if (!existing.some((i) => JSON.stringify(i) === JSON.stringify(index)))
        store.addIndex(c.name, index)
    const docs = JSON.parse(readFileSync(path.join(dir, `${c.name}.json`), 'utf8')) as unknown[]
    if (docs.length !== c.documents)
      throw new Error(
        `${c.name}.json holds ${docs.length} documents, the manifest says ${c.documents}`,
      )
    // JSON.stringify of the parsed EJSON is the exported line again (no whitespace, same order).
    counts[c.name] = store.importDocuments(
      c.name,
      docs.map((d) => JSON.stringify(d)),
    )
  }
  return counts
}
