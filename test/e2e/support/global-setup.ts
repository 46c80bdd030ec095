// Builds what the journeys run against, once per jest run: the function bundles (the deployed
// code, as `npm start` serves it) and the browser preview, into .data/ scratch folders, and the
// organiser console into console/dist/ when its sources are newer (as `npm start` does). Seeds the
// demo once into a template database that every journey's world starts from as a copy (seeding
// takes ~5 s; a world on a seeded copy, whose re-seed changes nothing, starts in ~1 s).
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { buildFunctions, REPO_ROOT } from '../../../scripts/build/functions'
import { buildPreview } from '../../../scripts/build/preview'

export const E2E_BUNDLES = path.join(REPO_ROOT, '.data', 'e2e-bundles')
export const E2E_PREVIEW = path.join(REPO_ROOT, '.data', 'e2e-preview')
/** The seeded demo (data.sqlite and its storage/), copied by each world (support/world.ts). */
export const E2E_TEMPLATE = path.join(REPO_ROOT, '.data', 'e2e-template')

/** A repository script under tsx in its own process (jest's global setup has no module mapping
 * for `wal-core`; tsx has, from the tsconfig paths). Its error carries the script's stderr. */
function script(file: string, env: Record<string, string> = {}): Promise<unknown> {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  })
  run.catch(() => undefined) // awaited, and reported, once the builds in this process are done
  return run
}

export default async function globalSetup(): Promise<void> {
  // The seed and the console's Vite build (when stale) run beside the function and preview
  // builds: none needs another's output, and on two cores they overlap.
  rmSync(E2E_TEMPLATE, { recursive: true, force: true })
  const seeded = script('scripts/seed.ts', {
    WAL_DATA_FILE: path.join(E2E_TEMPLATE, 'data.sqlite'),
  })
  const consoleBuilt = script('scripts/build/console.ts')
  try {
    await buildFunctions({ outDir: E2E_BUNDLES })
    await buildPreview({ outDir: E2E_PREVIEW })
  } finally {
    await Promise.all([seeded, consoleBuilt])
  }
}
