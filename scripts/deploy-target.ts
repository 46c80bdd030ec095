// The deploy's port — what a deploy needs from an environment — and its local adapter, which
// deploys into a local cloud's data file exactly as the CloudBase adapter (deploy-cloudbase.ts)
// deploys into an environment: collections, indexes, rules and documents through the emulator's
// management surface, functions copied (bundle, package.json, config.json) into a folder the
// local function host and timers serve, storage files into the local cloud's storage folder, and
// the console's static hosting files into a `hosting/` folder with their md5s kept in the file.
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { IndexDeclaration } from '../emulator/db/collections'
import { DocumentStore } from '../emulator/db/store'
import { LOCAL_FILE_PREFIX, LocalFileStore } from '../emulator/storage'
import { FUNCTIONS_DIR } from './build/functions'
import { DEPLOYED_FILES } from './deploy-declarations'
import {
  BUNDLE_SHA_ENV,
  changes,
  type ExistingFunction,
  type ExistingFile,
  type ExistingState,
  type Plan,
  type PlanStep,
  type Trigger,
  type WantedFile,
  type WantedFunction,
} from './deploy-plan'

export interface DeployTarget {
  /** For the plan's title: "CloudBase environment x", "local cloud .data/local.sqlite". */
  readonly name: string
  /** What exists; `hostingPrefix`: the folder on static hosting whose files are listed. */
  describe(hostingPrefix: string): Promise<ExistingState>
  /** The fileID a file at this storage path has on the target (after describe). */
  fileId(cloudPath: string): string
  /** The target's copies of these storage paths with their md5s (missing ones left out). */
  readStorage(paths: string[]): Promise<ExistingFile[]>
  /** Puts files in cloud storage at their paths, replacing what is there. */
  uploadStorage(files: WantedFile[]): Promise<void>
  /** Puts files on static hosting at their paths (prefix included), replacing what is there. */
  uploadHosting(files: WantedFile[]): Promise<void>
  deleteHosting(paths: string[]): Promise<void>
  /** The target's copies of these documents, as EJSON text (missing ones are left out). */
  readDocuments(collection: string, ids: string[]): Promise<string[]>
  createCollection(name: string): Promise<void>
  createIndex(collection: string, index: IndexDeclaration): Promise<void>
  dropIndex(collection: string, name: string): Promise<void>
  setRule(collection: string, rule: string): Promise<void>
  /** Writes documents (EJSON text) under their `_id`s, replacing what is there. */
  writeDocuments(collection: string, texts: string[]): Promise<void>
  /** Creates the function or uploads its new code; sets its environment (and the bundle hash). */
  deployFunction(fn: WantedFunction, mode: 'create' | 'update'): Promise<void>
  setEnv(fn: WantedFunction): Promise<void>
  setTrigger(fn: string, trigger: Trigger): Promise<void>
  deleteTrigger(fn: string, name: string): Promise<void>
  deleteFunction(name: string): Promise<void>
  close(): Promise<void>
}

/** Applies a plan's changes in dependency order; `log` gets one line per step done. */
export async function applyPlan(
  plan: Plan,
  target: DeployTarget,
  log: (line: string) => void = () => {},
): Promise<number> {
  const todo = changes(plan)
  // Storage files before the documents naming them; the console after the functions it calls.
  const order: Array<PlanStep['kind']> = [
    'collection',
    'index',
    'rule',
    'storage',
    'data',
    'function',
    'env',
    'trigger',
    'hosting',
  ]
  let done = 0
  const step = (s: PlanStep) => {
    done += 1
    log(`  ${s.action} ${s.kind} ${s.target}`)
  }
  for (const kind of order) {
    const steps = todo.filter((s) => s.kind === kind)
    if (kind === 'data') {
      // Documents go in batches per collection (one request each on CloudBase).
      const byCollection = new Map<string, string[]>()
      for (const s of steps)
        if (s.kind === 'data')
          byCollection.set(s.collection, [...(byCollection.get(s.collection) ?? []), s.text])
      for (const [collection, texts] of byCollection) {
        for (let i = 0; i < texts.length; i += 100)
          await target.writeDocuments(collection, texts.slice(i, i + 100))
        done += texts.length
        log(`  write ${texts.length} document(s) to ${collection}`)
      }
      continue
    }
    if (kind === 'storage' || kind === 'hosting') {
      // Files go up in batches of 50 (one line each); removals (hosting, --prune) in one.
      const up = steps.flatMap((s) =>
        (s.kind === 'storage' || s.kind === 'hosting') && s.file && s.action !== 'remove'
          ? [s.file]
          : [],
      )
      for (let i = 0; i < up.length; i += 50) {
        const batch = up.slice(i, i + 50)
        if (kind === 'storage') await target.uploadStorage(batch)
        else await target.uploadHosting(batch)
        done += batch.length
        log(
          `  upload ${batch.length} file(s) to ${kind === 'storage' ? 'cloud storage' : 'static hosting'}`,
        )
      }
      const gone = steps.filter((s) => s.action === 'remove').map((s) => s.target)
      if (gone.length > 0) {
        await target.deleteHosting(gone)
        done += gone.length
        log(`  remove ${gone.length} file(s) from static hosting`)
      }
      continue
    }
    for (const s of steps) {
      switch (s.kind) {
        case 'collection':
          await target.createCollection(s.target)
          break
        case 'index':
          if (s.action !== 'create') await target.dropIndex(s.collection, s.index.name)
          if (s.action !== 'remove') await target.createIndex(s.collection, s.index)
          break
        case 'rule':
          await target.setRule(s.target, s.rule)
          break
        case 'function':
          if (s.action === 'remove') await target.deleteFunction(s.target)
          else await target.deployFunction(s.fn!, s.action === 'create' ? 'create' : 'update')
          break
        case 'env':
          // A created function got its environment with its code.
          if (s.action === 'update') await target.setEnv(s.fn)
          break
        case 'trigger':
          if (s.action === 'remove') await target.deleteTrigger(s.fn, s.trigger.name)
          else await target.setTrigger(s.fn, s.trigger)
          break
      }
      step(s)
    }
  }
  return done
}

interface LocalFunctionManifest {
  bundleSha256: string
  triggers: Trigger[]
  /** Names of the variables a deploy set (the local host runs with this process's environment). */
  envNames: string[]
}

export function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex')
}

/**
 * The local cloud's data file as a deploy target. Opens the file WITHOUT the repository's
 * declarations, so only what a deploy created exists — the test that the declarations are
 * complete. Beside the file (by default): functions in `functions/<name>/`, storage files in
 * `storage/` (the folder the local cloud serves; fileIDs `cloud://local/<path>`), static hosting
 * files in `hosting/<path>` with each one's md5 kept in the file (`_management`, kind `hosting`),
 * as CloudBase's hosting bucket reports an ETag.
 */
export class LocalTarget implements DeployTarget {
  readonly name: string
  readonly store: DocumentStore
  readonly functionsDir: string
  readonly storage: LocalFileStore
  readonly hostingDir: string

  constructor(options: {
    file: string
    functionsDir?: string
    storageDir?: string
    hostingDir?: string
  }) {
    this.name = `local cloud ${options.file}`
    this.store = new DocumentStore({ file: options.file, collectionsDir: '/nonexistent' })
    const beside = (dir: string) => path.join(path.dirname(path.resolve(options.file)), dir)
    this.functionsDir = options.functionsDir ?? beside('functions')
    this.storage = new LocalFileStore(options.storageDir ?? beside('storage'))
    this.hostingDir = options.hostingDir ?? beside('hosting')
  }

  fileId(cloudPath: string): string {
    return `${LOCAL_FILE_PREFIX}${cloudPath}`
  }

  async readStorage(paths: string[]): Promise<ExistingFile[]> {
    return paths.flatMap((p) => {
      const bytes = this.storage.read(p)
      return bytes ? [{ path: p, md5: md5(bytes) }] : []
    })
  }

  async uploadStorage(files: WantedFile[]): Promise<void> {
    for (const f of files) await this.storage.put(f.path, f.bytes)
  }

  async uploadHosting(files: WantedFile[]): Promise<void> {
    for (const f of files) {
      const out = this.hostingFile(f.path)
      mkdirSync(path.dirname(out), { recursive: true })
      writeFileSync(out, f.bytes)
      this.store.setManagement('hosting', f.path, JSON.stringify({ md5: md5(f.bytes) }))
    }
  }

  async deleteHosting(paths: string[]): Promise<void> {
    for (const p of paths) {
      rmSync(this.hostingFile(p), { force: true })
      this.store.setManagement('hosting', p, null)
    }
  }

  /** The bytes of a file on the local static hosting, or null (tests). */
  readHosting(p: string): Buffer | null {
    const file = this.hostingFile(p)
    return existsSync(file) ? readFileSync(file) : null
  }

  private hostingFile(p: string): string {
    const file = path.resolve(this.hostingDir, `.${path.posix.normalize(`/${p}`)}`)
    if (!file.startsWith(path.resolve(this.hostingDir) + path.sep))
      throw new Error(`not a hosting path: ${p}`)
    return file
  }

  async describe(hostingPrefix: string): Promise<ExistingState> {
    const functions: ExistingFunction[] = Object.entries(this.store.management('function')).map(
      ([name, text]) => {
        const m = JSON.parse(text) as LocalFunctionManifest
        return {
          name,
          bundleSha256: m.bundleSha256,
          triggers: m.triggers,
          // Values are not kept locally: names only, compared as set-or-not.
          env: Object.fromEntries(m.envNames.map((n) => [n, LOCAL_ENV_VALUE])),
        }
      },
    )
    return {
      collections: this.store
        .collectionNames()
        .map((name) => ({ name, indexes: this.store.listIndexes(name) })),
      rules: this.store.management('rule'),
      functions,
      hosting: Object.entries(this.store.management('hosting'))
        .filter(([p]) => p.startsWith(hostingPrefix))
        .map(([p, text]) => ({ path: p, md5: (JSON.parse(text) as { md5: string }).md5 })),
    }
  }

  async readDocuments(collection: string, ids: string[]): Promise<string[]> {
    const wanted = new Set(ids)
    const out: string[] = []
    for (const text of this.store.exportDocuments(collection))
      if (wanted.has((JSON.parse(text) as { _id: string })._id)) out.push(text)
    return out
  }

  async createCollection(name: string): Promise<void> {
    this.store.createCollection(name)
  }

  async createIndex(collection: string, index: IndexDeclaration): Promise<void> {
    this.store.addIndex(collection, index)
  }

  async dropIndex(collection: string, name: string): Promise<void> {
    this.store.dropIndex(collection, name)
  }

  async setRule(collection: string, rule: string): Promise<void> {
    this.store.setManagement('rule', collection, rule)
  }

  async writeDocuments(collection: string, texts: string[]): Promise<void> {
    this.store.importDocuments(collection, texts)
  }

  async deployFunction(fn: WantedFunction): Promise<void> {
    const dir = path.join(this.functionsDir, fn.name)
    mkdirSync(dir, { recursive: true })
    for (const file of DEPLOYED_FILES)
      copyFileSync(
        path.join(file === 'index.js' ? fn.dir : path.join(FUNCTIONS_DIR, fn.name), file),
        path.join(dir, file),
      )
    // config.json carries the triggers too; a deploy writes them separately (setTrigger), so
    // the manifest starts without any.
    this.writeManifest(fn.name, { bundleSha256: fn.bundleSha256, envNames: Object.keys(fn.env) })
  }

  async setEnv(fn: WantedFunction): Promise<void> {
    this.writeManifest(fn.name, { envNames: Object.keys(fn.env) })
  }

  async setTrigger(fn: string, trigger: Trigger): Promise<void> {
    const m = this.manifest(fn)
    this.writeManifest(fn, {
      triggers: [...m.triggers.filter((t) => t.name !== trigger.name), trigger],
    })
  }

  async deleteTrigger(fn: string, name: string): Promise<void> {
    this.writeManifest(fn, { triggers: this.manifest(fn).triggers.filter((t) => t.name !== name) })
  }

  async deleteFunction(name: string): Promise<void> {
    rmSync(path.join(this.functionsDir, name), { recursive: true, force: true })
    this.store.setManagement('function', name, null)
  }

  async close(): Promise<void> {
    this.store.close()
  }

  private manifest(name: string): LocalFunctionManifest {
    const text = this.store.management('function')[name]
    return text
      ? (JSON.parse(text) as LocalFunctionManifest)
      : { bundleSha256: '', triggers: [], envNames: [] }
  }

  private writeManifest(name: string, patch: Partial<LocalFunctionManifest>): void {
    this.store.setManagement('function', name, JSON.stringify({ ...this.manifest(name), ...patch }))
  }
}

/** What a local manifest's variable compares as: the local cloud keeps names, not values. */
const LOCAL_ENV_VALUE = '(set)'

/** The local target plans with every variable's value as "(set)" (names compared, not values). */
export function localEnv(fn: WantedFunction): WantedFunction {
  return {
    ...fn,
    env: Object.fromEntries(Object.keys(fn.env).map((n) => [n, LOCAL_ENV_VALUE])),
  }
}

export { BUNDLE_SHA_ENV }
