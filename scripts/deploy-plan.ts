// The deploy's decision, pure: what the repository declares (collections and indexes, security
// rules, functions with their triggers and environment, campaign documents and the storage files
// they name, the organiser console's static hosting files) against what a target
// has → one step per thing, each create / update / unchanged / remove / would-remove. No I/O here:
// scripts/deploy.ts reads both sides, prints this plan and applies it through a DeployTarget.
import type { CollectionDeclaration, IndexDeclaration } from '../emulator/db/collections'

export interface Trigger {
  name: string
  type: string
  config: string
}

/** A function as the repository declares it (cloudfunctions/<name>/ and the operator's env). */
export interface WantedFunction {
  name: string
  /** The built folder: index.js, package.json, config.json. */
  dir: string
  /** sha256 of those files: recorded on the target, so an unchanged bundle is not uploaded again. */
  bundleSha256: string
  triggers: Trigger[]
  /** Environment variables set from the operator's environment (values are never printed). */
  env: Record<string, string>
  /** Variables the function reads that the operator's environment does not set. */
  missingEnv: string[]
}

export interface ExistingFunction {
  name: string
  /** What the last deploy recorded (WAL_BUNDLE_SHA256), or null when unknown. */
  bundleSha256: string | null
  triggers: Trigger[]
  env: Record<string, string>
}

/** A file to put on the target: in cloud storage, or on static hosting (path with its prefix). */
export interface WantedFile {
  /** The path on the target: `reports/x.pdf` in storage, `console/index.html` on hosting. */
  path: string
  /** md5 of the bytes, hex: what COS reports as a simply-uploaded object's ETag. */
  md5: string
  bytes: Buffer
}

/** A file the target has; `md5` null when it cannot tell (a multipart upload's ETag). */
export interface ExistingFile {
  path: string
  md5: string | null
}

export interface DeclaredState {
  collections: CollectionDeclaration[]
  /** Collection → its security rule as JSON text. */
  rules: Record<string, string>
  functions: WantedFunction[]
  /** Files the campaign documents name in cloud storage (the seed's placeholders). */
  storage?: WantedFile[]
  /** The built organiser console, each path under `hosting.prefix`. */
  hosting?: { prefix: string; files: WantedFile[] }
}

export interface ExistingState {
  collections: Array<{ name: string; indexes: IndexDeclaration[] }>
  rules: Record<string, string>
  functions: ExistingFunction[]
  /** The target's copies of the declared storage paths (others in storage are none of ours). */
  storage?: ExistingFile[]
  /** Every file on static hosting under the console's prefix; null: hosting is not enabled. */
  hosting?: ExistingFile[] | null
}

/** One campaign document as the seed would leave it, against what the target holds. */
export interface DataChange {
  collection: string
  id: string
  action: 'create' | 'update' | 'unchanged'
  /** The document as EJSON text (what is written). */
  text: string
}

export type StepAction = 'create' | 'update' | 'unchanged' | 'remove' | 'would-remove' | 'kept'

export type PlanStep =
  | { kind: 'collection'; target: string; action: StepAction; detail?: string }
  | {
      kind: 'index'
      target: string
      action: StepAction
      collection: string
      index: IndexDeclaration
      detail?: string
    }
  | { kind: 'rule'; target: string; action: StepAction; rule: string }
  | {
      kind: 'function'
      target: string
      action: StepAction
      fn?: WantedFunction
      detail?: string
    }
  | {
      kind: 'env'
      target: string
      action: StepAction
      fn: WantedFunction
      /** Names only: what is added, changed or dropped (values never leave the step). */
      changed: string[]
    }
  | { kind: 'trigger'; target: string; action: StepAction; fn: string; trigger: Trigger }
  | {
      kind: 'data'
      target: string
      action: StepAction
      collection: string
      id: string
      text: string
    }
  /** A file in cloud storage (never removed: storage also holds uploads and generated files). */
  | { kind: 'storage'; target: string; action: StepAction; file: WantedFile }
  /** A file on static hosting; `file` absent for one no longer built (removed with --prune). */
  | { kind: 'hosting'; target: string; action: StepAction; file?: WantedFile }

export interface Plan {
  steps: PlanStep[]
  /** Things the operator should know before applying (missing secrets, say). */
  warnings: string[]
  prune: boolean
}

export interface PlanOptions {
  /** Remove what the repository no longer declares (indexes, functions, triggers). */
  prune: boolean
}

/** The canonical text of an index declaration, for comparing two of them. */
function indexKey(index: IndexDeclaration): string {
  return JSON.stringify({
    unique: index.unique,
    keys: index.keys.map((k) => [k.field, k.direction]),
  })
}

function triggerKey(t: Trigger): string {
  return JSON.stringify([t.type, t.config])
}

function indexText(index: IndexDeclaration): string {
  const keys = index.keys.map((k) => `${k.field} ${k.direction}`).join(', ')
  return `${index.unique ? 'unique ' : ''}(${keys})`
}

/** Compares declarations with a target; `data` comes from the seed run against the target. */
export function planDeploy(
  declared: DeclaredState,
  existing: ExistingState,
  data: DataChange[],
  options: PlanOptions,
): Plan {
  const steps: PlanStep[] = []
  const warnings: string[] = []
  const removal: StepAction = options.prune ? 'remove' : 'would-remove'

  const haveCollections = new Map(existing.collections.map((c) => [c.name, c.indexes]))
  for (const decl of declared.collections) {
    const have = haveCollections.get(decl.collection)
    steps.push({
      kind: 'collection',
      target: decl.collection,
      action: have ? 'unchanged' : 'create',
    })
    const haveIndexes = new Map((have ?? []).map((i) => [i.name, i]))
    for (const index of decl.indexes) {
      const current = haveIndexes.get(index.name)
      steps.push({
        kind: 'index',
        target: `${decl.collection}.${index.name}`,
        collection: decl.collection,
        index,
        action: !current
          ? 'create'
          : indexKey(current) === indexKey(index)
            ? 'unchanged'
            : 'update',
        detail:
          current && indexKey(current) !== indexKey(index)
            ? `${indexText(current)} → ${indexText(index)}`
            : indexText(index),
      })
    }
    for (const current of haveIndexes.values()) {
      if (decl.indexes.some((i) => i.name === current.name)) continue
      steps.push({
        kind: 'index',
        target: `${decl.collection}.${current.name}`,
        collection: decl.collection,
        index: current,
        action: removal,
        detail: `${indexText(current)}, not declared`,
      })
    }
  }
  const declaredNames = new Set(declared.collections.map((c) => c.collection))
  for (const name of haveCollections.keys()) {
    if (declaredNames.has(name)) continue
    // A collection holds data: a deploy never drops one, --prune or not.
    steps.push({
      kind: 'collection',
      target: name,
      action: 'kept',
      detail: 'not declared; a deploy never drops a collection (drop it by hand if it is unused)',
    })
  }

  for (const [collection, rule] of Object.entries(declared.rules)) {
    const current = existing.rules[collection]
    steps.push({
      kind: 'rule',
      target: collection,
      rule,
      action:
        current === undefined
          ? 'create'
          : canonicalJson(current) === canonicalJson(rule)
            ? 'unchanged'
            : 'update',
    })
  }

  const haveFunctions = new Map(existing.functions.map((f) => [f.name, f]))
  for (const fn of declared.functions) {
    const current = haveFunctions.get(fn.name)
    if (fn.missingEnv.length > 0)
      warnings.push(`${fn.name}: not set in your environment: ${fn.missingEnv.join(', ')}`)
    steps.push({
      kind: 'function',
      target: fn.name,
      fn,
      action: !current
        ? 'create'
        : current.bundleSha256 === fn.bundleSha256
          ? 'unchanged'
          : 'update',
      detail: `bundle ${fn.bundleSha256.slice(0, 12)}`,
    })
    const changed = envChanges(current?.env ?? {}, fn.env)
    steps.push({
      kind: 'env',
      target: fn.name,
      fn,
      changed,
      action: !current ? 'create' : changed.length > 0 ? 'update' : 'unchanged',
    })
    const haveTriggers = new Map((current?.triggers ?? []).map((t) => [t.name, t]))
    for (const trigger of fn.triggers) {
      const t = haveTriggers.get(trigger.name)
      steps.push({
        kind: 'trigger',
        target: `${fn.name}/${trigger.name}`,
        fn: fn.name,
        trigger,
        action: !t ? 'create' : triggerKey(t) === triggerKey(trigger) ? 'unchanged' : 'update',
      })
    }
    for (const t of haveTriggers.values()) {
      if (fn.triggers.some((w) => w.name === t.name)) continue
      steps.push({
        kind: 'trigger',
        target: `${fn.name}/${t.name}`,
        fn: fn.name,
        trigger: t,
        action: removal,
      })
    }
  }
  const declaredFunctions = new Set(declared.functions.map((f) => f.name))
  for (const f of existing.functions) {
    if (!declaredFunctions.has(f.name))
      steps.push({
        kind: 'function',
        target: f.name,
        action: removal,
        detail: 'not in cloudfunctions/',
      })
  }

  const haveStorage = new Map((existing.storage ?? []).map((f) => [f.path, f.md5]))
  for (const file of declared.storage ?? [])
    steps.push({
      kind: 'storage',
      target: file.path,
      file,
      action: fileAction(haveStorage, file),
    })

  for (const d of data) {
    steps.push({
      kind: 'data',
      target: `${d.collection}/${d.id}`,
      collection: d.collection,
      id: d.id,
      text: d.text,
      action: d.action,
    })
  }

  if (declared.hosting) {
    const { prefix, files } = declared.hosting
    if (existing.hosting === null)
      warnings.push(
        'static hosting is not enabled in this environment: enable it (CloudBase console → 静态网站托管) before applying, or the console upload fails',
      )
    const haveHosting = new Map(
      (existing.hosting ?? []).filter((f) => f.path.startsWith(prefix)).map((f) => [f.path, f.md5]),
    )
    for (const file of files)
      steps.push({
        kind: 'hosting',
        target: file.path,
        file,
        action: fileAction(haveHosting, file),
      })
    const built = new Set(files.map((f) => f.path))
    for (const path of haveHosting.keys())
      if (!built.has(path)) steps.push({ kind: 'hosting', target: path, action: removal })
  }
  return { steps, warnings, prune: options.prune }
}

/** By content hash: missing → create, same md5 → unchanged, else (or unknown) → update. */
function fileAction(have: Map<string, string | null>, file: WantedFile): StepAction {
  if (!have.has(file.path)) return 'create'
  return have.get(file.path) === file.md5 ? 'unchanged' : 'update'
}

/** Names of the variables added, changed or dropped; the function's own WAL_BUNDLE_SHA256 aside. */
function envChanges(have: Record<string, string>, want: Record<string, string>): string[] {
  const names = new Set([...Object.keys(have), ...Object.keys(want)])
  names.delete(BUNDLE_SHA_ENV)
  return [...names].filter((n) => have[n] !== want[n]).sort()
}

/** The variable a deploy records the bundle's hash in (CloudBase keeps no hash of our own). */
export const BUNDLE_SHA_ENV = 'WAL_BUNDLE_SHA256'

export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v
  return JSON.stringify(sort(JSON.parse(text)))
}

/** Steps that change the target (what `apply` runs). */
export function changes(plan: Plan): PlanStep[] {
  return plan.steps.filter(
    (s) => s.action === 'create' || s.action === 'update' || s.action === 'remove',
  )
}

const SYMBOL: Record<StepAction, string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  remove: '-',
  'would-remove': '?',
  kept: '!',
}

const HEADINGS: Record<PlanStep['kind'], string> = {
  collection: 'Collections',
  index: 'Indexes',
  rule: 'Security rules (clients read and write nothing directly)',
  function: 'Functions',
  env: 'Function environment variables (values never printed)',
  trigger: 'Timer triggers',
  storage: 'Cloud storage files (named by the campaign data)',
  data: 'Campaign data',
  hosting: 'Static hosting (the organiser console)',
}

/**
 * The plan as lines for a terminal. Unchanged things are counted, not listed (a deploy of an
 * unchanged repository prints its summary only); campaign documents are listed when they change.
 * Never prints an environment variable's value.
 */
export function formatPlan(plan: Plan, targetName: string): string {
  const out: string[] = [`Deploy plan for ${targetName}`]
  for (const kind of Object.keys(HEADINGS) as Array<PlanStep['kind']>) {
    const of = plan.steps.filter((s) => s.kind === kind)
    if (of.length === 0) continue
    const unchanged = of.filter((s) => s.action === 'unchanged').length
    out.push('', `${HEADINGS[kind]}: ${of.length - unchanged} to act on, ${unchanged} unchanged`)
    if (kind === 'data') {
      out.push(...dataLines(of))
      continue
    }
    if (kind === 'storage' || kind === 'hosting') {
      out.push(...fileLines(of))
      continue
    }
    for (const s of of) {
      if (s.action === 'unchanged') continue
      out.push(`  ${SYMBOL[s.action]} ${s.action.padEnd(12)} ${s.target}${describe(s)}`)
    }
  }
  const count = (a: StepAction) => plan.steps.filter((s) => s.action === a).length
  out.push(
    '',
    `Summary: ${count('create')} to create, ${count('update')} to update, ${count('remove')} to remove, ` +
      `${count('unchanged')} unchanged` +
      (count('would-remove') > 0
        ? `, ${count('would-remove')} not declared (removed only with --prune)`
        : '') +
      (count('kept') > 0 ? `, ${count('kept')} undeclared collection(s) kept` : ''),
  )
  for (const w of plan.warnings) out.push(`Warning: ${w}`)
  return out.join('\n')
}

/** Campaign documents by collection (hundreds of stock shards are one line), updates named. */
function dataLines(steps: PlanStep[]): string[] {
  const by = new Map<string, PlanStep[]>()
  for (const s of steps)
    if (s.kind === 'data') by.set(s.collection, [...(by.get(s.collection) ?? []), s])
  const lines: string[] = []
  for (const [collection, of] of [...by].sort(([a], [b]) => a.localeCompare(b))) {
    const n = (a: StepAction) => of.filter((s) => s.action === a).length
    if (n('create') + n('update') === 0) continue
    const updated = of
      .filter((s) => s.action === 'update')
      .map((s) => s.target.slice(collection.length + 1))
    lines.push(
      `  ${n('update') > 0 ? SYMBOL.update : SYMBOL.create} ${collection.padEnd(20)} ${n('create')} to create, ${n('update')} to update, ${n('unchanged')} unchanged` +
        (updated.length > 0
          ? `  (updated: ${updated.slice(0, 10).join(', ')}${updated.length > 10 ? ', …' : ''})`
          : ''),
    )
  }
  return lines
}

/** Files grouped by action, up to 10 named each (a console build is hundreds of files). */
function fileLines(steps: PlanStep[]): string[] {
  const lines: string[] = []
  for (const action of ['create', 'update', 'remove', 'would-remove'] as const) {
    const of = steps.filter((s) => s.action === action)
    if (of.length === 0) continue
    const names = of.map((s) => s.target)
    const size = of.reduce(
      (n, s) =>
        n + ((s.kind === 'storage' || s.kind === 'hosting') && s.file ? s.file.bytes.length : 0),
      0,
    )
    lines.push(
      `  ${SYMBOL[action]} ${action.padEnd(12)} ${of.length} file(s)${size > 0 ? `, ${formatBytes(size)}` : ''}: ` +
        `${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length - 10} more)` : ''}`,
    )
  }
  return lines
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MB`
    : n >= 1024
      ? `${(n / 1024).toFixed(0)} kB`
      : `${n} B`
}

function describe(s: PlanStep): string {
  switch (s.kind) {
    case 'index':
    case 'collection':
      return s.detail ? `  ${s.detail}` : ''
    case 'function':
      return s.detail ? `  (${s.detail})` : ''
    case 'env': {
      const names = s.action === 'create' ? Object.keys(s.fn.env).sort() : s.changed
      return names.length > 0 ? `  ${names.map((n) => `${n}=${mask(s.fn.env[n])}`).join(' ')}` : ''
    }
    case 'trigger':
      return `  ${s.trigger.type} "${s.trigger.config}"`
    case 'rule':
      return `  ${s.rule}`
    case 'data':
    case 'storage':
    case 'hosting':
      return ''
  }
}

/** What is printed for a variable's value: whether it is set, never what it is. */
export function mask(value: string | undefined): string {
  return value === undefined ? '(removed)' : value === '' ? '(empty)' : '••••'
}
