// What the repository declares for a deploy: collections and indexes (database/collections/),
// security rules (database/security-rules.json), the built functions with their timer triggers and
// the environment variables each one reads (values from the operator's environment), and the
// campaign documents — computed by running scripts/seed.ts itself against a scratch local cloud
// that holds the target's current copies of those documents, so the seed's own rules (keep an
// open demo window, never rewrite stock, refuse a changed draw table) decide what changes — and
// the files the seed puts in storage (placeholder report PDFs, content SVGs), named in those
// documents by the target's fileIDs; and the built organiser console for static hosting.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { startLocalCloud } from '../emulator'
import { loadCollectionDeclarations, type CollectionDeclaration } from '../emulator/db/collections'
import { OPTIONAL_ENV, REQUIRED_ENV } from '../server/wechat-pay/config'
import { clearConfigCache } from '../server/records/config-cache'
import { registerLocalStorage } from '../server/storage'
import { FUNCTIONS_DIR, REPO_ROOT, functionNames } from './build/functions'
import type { DataChange, Trigger, WantedFile, WantedFunction } from './deploy-plan'
import { seed } from './seed'

export const COLLECTIONS_DIR = path.join(REPO_ROOT, 'database', 'collections')
export const SECURITY_RULES_FILE = path.join(REPO_ROOT, 'database', 'security-rules.json')

/**
 * The environment variables each function reads, set on deploy from the operator's environment
 * (never committed, never printed). `required`: without it the function cannot do its job
 * (payouts stay queued, reminders fail, deletion cannot pseudonymise); the plan warns.
 */
export const FUNCTION_ENV: Record<
  string,
  { required: readonly string[]; optional: readonly string[] }
> = {
  payout: { required: REQUIRED_ENV, optional: OPTIONAL_ENV },
  store: { required: ['WAL_TEMPLATE_PICKUP_REMINDER'], optional: [] },
  privacy: { required: ['WAL_PSEUDONYM_KEY'], optional: [] },
}

const ruleSchema = z.object({ read: z.literal(false), write: z.literal(false) }).strict()
const rulesFileSchema = z.object({
  description: z.string().optional(),
  collections: z.record(z.string(), ruleSchema),
})

/**
 * The security rule of every declared collection as JSON text. A collection without a rule, or a
 * rule that lets clients read or write, stops the deploy: every access goes through a function.
 */
export function loadSecurityRules(
  collections: CollectionDeclaration[],
  file = SECURITY_RULES_FILE,
): Record<string, string> {
  const parsed = rulesFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} — every rule is {"read": false, "write": false}`,
    )
  const rules: Record<string, string> = {}
  const missing: string[] = []
  for (const c of collections) {
    const rule = parsed.data.collections[c.collection]
    if (!rule) missing.push(c.collection)
    else rules[c.collection] = JSON.stringify(rule)
  }
  if (missing.length > 0)
    throw new Error(
      `${file}: no rule for ${missing.join(', ')} (add {"read": false, "write": false})`,
    )
  return rules
}

const functionConfigSchema = z.object({
  permissions: z.object({ openapi: z.array(z.string()) }).optional(),
  triggers: z
    .array(z.object({ name: z.string(), type: z.literal('timer'), config: z.string() }))
    .optional(),
})

/** The files a function deploys (the bundle and what CloudBase reads beside it). */
export const DEPLOYED_FILES = ['index.js', 'package.json', 'config.json'] as const

export interface FunctionDeclOptions {
  /** Folder of the built functions (default cloudfunctions/). */
  bundleDir?: string
  /** Where variable values come from (default process.env); `null`: set none (the local cloud). */
  env?: Record<string, string | undefined> | null
}

/** Every function with a src/index.ts, as built in `bundleDir`. */
export function loadFunctions(options: FunctionDeclOptions = {}): WantedFunction[] {
  const bundleDir = options.bundleDir ?? FUNCTIONS_DIR
  return functionNames().map((name) => {
    const dir = path.join(bundleDir, name)
    const hash = createHash('sha256')
    for (const file of DEPLOYED_FILES) {
      const full = path.join(file === 'index.js' ? dir : path.join(FUNCTIONS_DIR, name), file)
      if (!existsSync(full))
        throw new Error(
          `${name}: ${full} not found${file === 'index.js' ? ' (npm run build)' : ''}`,
        )
      hash.update(`${file}\u0000`).update(readFileSync(full)).update('\u0000')
    }
    const config = functionConfigSchema.parse(
      JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, name, 'config.json'), 'utf8')),
    )
    const triggers: Trigger[] = config.triggers ?? []
    const names = FUNCTION_ENV[name] ?? { required: [], optional: [] }
    const env: Record<string, string> = {}
    const missingEnv: string[] = []
    if (options.env !== null) {
      const source = options.env ?? process.env
      for (const n of [...names.required, ...names.optional]) {
        const v = source[n]
        if (v !== undefined && v !== '') env[n] = v
        else if (names.required.includes(n)) missingEnv.push(n)
      }
    }
    return { name, dir, bundleSha256: hash.digest('hex'), triggers, env, missingEnv }
  })
}

export function loadCollections(dir = COLLECTIONS_DIR): CollectionDeclaration[] {
  return loadCollectionDeclarations(dir)
}

/** Reads the target's current copies of documents (EJSON text), by collection and ids. */
export type ReadDocuments = (collection: string, ids: string[]) => Promise<string[]>

/** Where the console goes on static hosting (its Vite `base` is /console/). */
export const CONSOLE_HOSTING_PREFIX = 'console/'

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex')
}

/**
 * Every file of the built console (`distDir`, console/dist by default) as it goes on static
 * hosting, under `prefix`. A missing build stops the deploy (npm run build:console).
 */
export function loadHostingFiles(distDir: string, prefix = CONSOLE_HOSTING_PREFIX): WantedFile[] {
  if (!existsSync(path.join(distDir, 'index.html')))
    throw new Error(
      `${distDir}: no console build (deploy without --no-build, or npm run build:console)`,
    )
  const out: WantedFile[] = []
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (e.name === '.DS_Store') continue
      const full = path.join(dir, e.name)
      if (e.isDirectory()) walk(full, `${rel}${e.name}/`)
      else {
        const bytes = readFileSync(full)
        out.push({ path: `${prefix}${rel}${e.name}`, md5: md5(bytes), bytes })
      }
    }
  }
  walk(distDir, '')
  return out
}

export interface SeedPlanOptions {
  nowMs: number
  campaignsDir?: string
  /** The target's collections: documents of others are not there to read. */
  existingCollections: ReadonlySet<string>
  /** The fileID a storage path gets on the target (default: the local cloud's). */
  fileId?: (cloudPath: string) => string
}

/** What the seed would write: documents, and the files it puts in storage (by path). */
export interface SeedPlan {
  documents: DataChange[]
  files: WantedFile[]
}

/**
 * What the seed would write to the target. Two runs on scratch in-memory local clouds: the first
 * finds which documents the seed writes; the target's copies of those are read; the second run
 * starts from them, and what it changes is the plan. The seed's storage is a recorder: the files
 * it puts (placeholders generated at deploy time exactly as the local seed makes them) are kept
 * for upload, and it hands back the TARGET's fileID, so the documents name the uploaded files.
 * Uses (and replaces) the process's local cloud, so call it before opening one for anything else.
 */
export async function seedChanges(
  readDocuments: ReadDocuments,
  options: SeedPlanOptions,
): Promise<SeedPlan> {
  const first = await seededRun(new Map(), options)
  const current = new Map<string, string[]>()
  for (const [collection, docs] of first.after) {
    if (!options.existingCollections.has(collection)) continue
    const texts = await readDocuments(collection, [...docs.keys()])
    if (texts.length > 0) current.set(collection, texts)
  }
  const second = await seededRun(current, options)
  const files = [...second.files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, bytes]) => ({ path: p, md5: md5(bytes), bytes }))
  const out: DataChange[] = []
  for (const [collection, docs] of second.after) {
    const before = second.before.get(collection)
    for (const [id, text] of docs) {
      const had = before?.get(id)
      out.push({
        collection,
        id,
        text,
        action: had === undefined ? 'create' : had === text ? 'unchanged' : 'update',
      })
    }
  }
  return { documents: out, files }
}

type Snapshot = Map<string, Map<string, string>>

async function seededRun(
  preload: Map<string, string[]>,
  options: SeedPlanOptions,
): Promise<{ before: Snapshot; after: Snapshot; files: Map<string, Buffer> }> {
  // Its storage is the recorder below: no folder is made or written.
  const scratch = startLocalCloud({ storageDir: '/nonexistent' })
  const files = new Map<string, Buffer>()
  const fileId = options.fileId ?? ((p: string) => `cloud://local/${p}`)
  // Replaces the scratch cloud's storage folder (scratch.close() unregisters it).
  registerLocalStorage({
    async put(cloudPath, bytes) {
      files.set(cloudPath, bytes)
      return fileId(cloudPath)
    },
    async tempUrl(id) {
      return id
    },
  })
  try {
    clearConfigCache()
    for (const [collection, texts] of preload) scratch.store.importDocuments(collection, texts)
    const snapshot = (): Snapshot => {
      const out: Snapshot = new Map()
      for (const c of scratch.store.collectionNames()) {
        const docs = new Map<string, string>()
        for (const text of scratch.store.exportDocuments(c))
          docs.set((JSON.parse(text) as { _id: string })._id, text)
        if (docs.size > 0) out.set(c, docs)
      }
      return out
    }
    const before = snapshot()
    await seed({ nowMs: options.nowMs, campaignsDir: options.campaignsDir })
    return { before, after: snapshot(), files }
  } finally {
    scratch.close()
    clearConfigCache()
  }
}
