// Collection declarations (database/collections/<name>.json): the collections that exist and their
// indexes. The local cloud turns them into SQLite tables and expression indexes; the deploy script
// turns the same files into CloudBase indexes.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const segment = /^[A-Za-z_][A-Za-z0-9_]*$/

export const collectionNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'collection names are letters, digits, _ and -')

export const fieldPathSchema = z
  .string()
  .refine(
    (p) => p.split('.').every((s) => segment.test(s)),
    'field paths are dot-separated identifiers',
  )

export const indexDeclarationSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
    unique: z.boolean().default(false),
    keys: z
      .array(
        z.object({
          field: fieldPathSchema,
          // '2dsphere': a geo index on a field of GeoJSON Points (db.Geo.Point), which CloudBase
          // requires for geoNear / geoWithin and the aggregate geoNear stage.
          direction: z.union([z.literal(1), z.literal(-1), z.literal('2dsphere')]).default(1),
        }),
      )
      .min(1),
  })
  .refine(
    (i) => !i.keys.some((k) => k.direction === '2dsphere') || (i.keys.length === 1 && !i.unique),
    'a 2dsphere index has one key and is not unique (compound geo indexes are not emulated)',
  )
export type IndexDeclaration = z.infer<typeof indexDeclarationSchema>

export const collectionDeclarationSchema = z.object({
  collection: collectionNameSchema,
  description: z.string().optional(),
  indexes: z.array(indexDeclarationSchema).default([]),
})
export type CollectionDeclaration = z.infer<typeof collectionDeclarationSchema>

/** Read and validate every declaration file in `dir`; a bad file fails with its name and the issue. */
export function loadCollectionDeclarations(dir: string): CollectionDeclaration[] {
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  return files.sort().map((file) => {
    const path = join(dir, file)
    const parsed = collectionDeclarationSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
    if (!parsed.success) {
      throw new Error(
        `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      )
    }
    if (`${parsed.data.collection}.json` !== file) {
      throw new Error(`${path}: file name must be ${parsed.data.collection}.json`)
    }
    return parsed.data
  })
}
