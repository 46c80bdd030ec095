// The deploy's port — what a deploy needs from an environment — and its local adapter, which
// deploys into a local cloud's data file exactly as the CloudBase adapter (deploy-cloudbase.ts)
// deploys into an environment: collections, indexes, rules and documents through the emulator's
// management surface, functions copied (bundle, package.json, config.json) into a folder the
// local function host and timers serve.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { IndexDeclaration } from '../emulator/db/collections'
import { DocumentStore } from '../emulator/db/store'
import { FUNCTIONS_DIR } from './build/functions'
import { DEPLOYED_FILES } from './deploy-declarations'
import {
  BUNDLE_SHA_ENV,
  changes,
  type ExistingFunction,
  type ExistingState,
  type Plan,
  type PlanStep,
  type Trigger,
  type WantedFunction,
} from './deploy-plan'

export interface DeployTarget {
  /** For the plan's title: "CloudBase environment x", "local cloud .data/local.sqlite". */
  readonly name: string
  describe(): Promise<ExistingState>
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
  const order: Array<PlanStep['kind']> = [
    'collection',
    'index',
    'rule',
    'data',
    'function',
    'env',
    'trigger',
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

/**
 * The local cloud's data file as a deploy target. Opens the file WITHOUT the repository's
 * declarations, so only what a deploy created exists — the test that the declarations are
 * complete. Functions land in `functionsDir/<name>/` (default `functions/` beside the file).
 */
export class LocalTarget implements DeployTarget {
  readonly name: string
  readonly store: DocumentStore
  readonly functionsDir: string

  constructor(options: { file: string; functionsDir?: string }) {
    this.name = `local cloud ${options.file}`
    this.store = new DocumentStore({ file: options.file, collectionsDir: '/nonexistent' })
    this.functionsDir =
      options.functionsDir ?? path.join(path.dirname(path.resolve(options.file)), 'functions')
  }

  async describe(): Promise<ExistingState> {
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
