// `npm run deploy -- --env <envId> [--dry-run] [--prune]` or `npm run deploy -- --local [--file f]`:
// read what the repository declares, compare it with what the target has, print the plan, and
// (without --dry-run) apply it. docs/deploy.md.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { CONSOLE_DIST, buildConsole } from './build/console'
import { REPO_ROOT, buildFunctions } from './build/functions'
import { CloudBaseTarget, DeployError } from './deploy-cloudbase'
import {
  CONSOLE_HOSTING_PREFIX,
  loadCollections,
  loadFunctions,
  loadHostingFiles,
  loadSecurityRules,
  seedChanges,
} from './deploy-declarations'
import { changes, formatPlan, planDeploy, type Plan } from './deploy-plan'
import { LocalTarget, applyPlan, localEnv, type DeployTarget } from './deploy-target'
import { runCli } from './local-data'
import { dataFile } from './seed'

export interface DeployOptions {
  target: DeployTarget
  dryRun: boolean
  prune: boolean
  /** The local cloud keeps no variable values: names are planned, values never set. */
  local: boolean
  /** Folder of the built functions (default cloudfunctions/; tests build into a scratch one). */
  bundleDir?: string
  /** The built console for static hosting (default console/dist); null: leave hosting alone. */
  consoleDir?: string | null
  nowMs?: number
  campaignsDir?: string
  log?: (line: string) => void
}

export interface DeployResult {
  plan: Plan
  applied: number
}

/** Plans and (unless dry-run) applies; the caller closes the target. */
export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? console.log
  const collections = loadCollections()
  const rules = loadSecurityRules(collections)
  const functions = loadFunctions({
    ...(options.bundleDir ? { bundleDir: options.bundleDir } : {}),
    ...(options.local ? { env: null } : {}),
  })
  const consoleDir = options.consoleDir === undefined ? CONSOLE_DIST : options.consoleDir
  const hosting = consoleDir ? loadHostingFiles(consoleDir, CONSOLE_HOSTING_PREFIX) : null
  const existing = await options.target.describe(CONSOLE_HOSTING_PREFIX)
  const seeded = await seedChanges((c, ids) => options.target.readDocuments(c, ids), {
    nowMs: options.nowMs ?? Date.now(),
    ...(options.campaignsDir ? { campaignsDir: options.campaignsDir } : {}),
    existingCollections: new Set(existing.collections.map((c) => c.name)),
    fileId: (p) => options.target.fileId(p),
  })
  existing.storage = await options.target.readStorage(seeded.files.map((f) => f.path))
  const plan = planDeploy(
    {
      collections,
      rules,
      functions: options.local ? functions.map(localEnv) : functions,
      storage: seeded.files,
      ...(hosting ? { hosting: { prefix: CONSOLE_HOSTING_PREFIX, files: hosting } } : {}),
    },
    existing,
    seeded.documents,
    { prune: options.prune },
  )
  log(formatPlan(plan, options.target.name))
  if (options.dryRun || changes(plan).length === 0) {
    log(options.dryRun ? '\nDry run: nothing changed.' : '\nNothing to do.')
    return { plan, applied: 0 }
  }
  log('\nApplying:')
  const applied = await applyPlan(plan, options.target, log)
  log(`Done: ${applied} change(s) applied to ${options.target.name}.`)
  return { plan, applied }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      local: { type: 'boolean', default: false },
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      prune: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  })
  if (!values.local && !values.env)
    throw new DeployError(
      'usage: npm run deploy -- --env <envId> [--dry-run] [--prune] | --local [--file <sqlite>]',
    )
  // The console for CloudBase is built apart (.data/console-<envId>/, calling the functions
  // through @cloudbase/js-sdk for that environment), so console/dist stays the local one.
  const consoleDir = values.local
    ? CONSOLE_DIST
    : path.join(REPO_ROOT, '.data', `console-${values.env!}`)
  if (!values['no-build']) {
    const built = await buildFunctions()
    console.log(`built ${built.length} function bundle(s)`)
    const { built: consoleBuilt } = values.local
      ? buildConsole()
      : buildConsole({ force: true, outDir: consoleDir, cloudbaseEnv: values.env! })
    console.log(consoleBuilt ? 'built the organiser console' : 'organiser console up to date')
  }
  const target: DeployTarget = values.local
    ? new LocalTarget({ file: path.resolve(values.file ?? dataFile()) })
    : await CloudBaseTarget.connect(values.env!)
  try {
    await runDeploy({
      target,
      dryRun: values['dry-run'],
      prune: values.prune,
      local: values.local,
      consoleDir,
    })
  } finally {
    await target.close()
  }
}

if (require.main === module) runCli(cli)
