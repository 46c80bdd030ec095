// Builds what the journeys run against, once per jest run: the function bundles (the deployed
// code, as `npm start` serves it) and the browser preview, into .data/ scratch folders, and the
// organiser console into console/dist/ when its sources are newer (as `npm start` does). Seeds the
// demo once into a template database that every journey's world starts from as a copy (seeding
// takes ~5 s; starting on a seeded copy, whose re-seed changes nothing, well under 1 s).
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { buildConsole } from '../../../scripts/build/console'
import { buildFunctions, REPO_ROOT } from '../../../scripts/build/functions'
import { buildPreview } from '../../../scripts/build/preview'

export const E2E_BUNDLES = path.join(REPO_ROOT, '.data', 'e2e-bundles')
export const E2E_PREVIEW = path.join(REPO_ROOT, '.data', 'e2e-preview')
/** The seeded demo (data.sqlite and its storage/), copied by each world (support/world.ts). */
export const E2E_TEMPLATE = path.join(REPO_ROOT, '.data', 'e2e-template')

export default async function globalSetup(): Promise<void> {
  await buildFunctions({ outDir: E2E_BUNDLES })
  await buildPreview({ outDir: E2E_PREVIEW })
  buildConsole()
  // `npm run seed` on the template's file, in its own process: jest's global setup has no
  // module mapping for `wal-core`, tsx has (tsconfig paths). It closes the file when done.
  rmSync(E2E_TEMPLATE, { recursive: true, force: true })
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'seed.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, WAL_DATA_FILE: path.join(E2E_TEMPLATE, 'data.sqlite') },
    stdio: 'pipe', // a failure's message carries its stderr
  })
}
