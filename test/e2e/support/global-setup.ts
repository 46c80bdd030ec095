// Builds what the journeys run against, once per jest run: the function bundles (the deployed
// code, as `npm start` serves it) and the browser preview, into .data/ scratch folders, and the
// organiser console into console/dist/ when its sources are newer (as `npm start` does).
import path from 'node:path'
import { buildConsole } from '../../../scripts/build/console'
import { buildFunctions, REPO_ROOT } from '../../../scripts/build/functions'
import { buildPreview } from '../../../scripts/build/preview'

export const E2E_BUNDLES = path.join(REPO_ROOT, '.data', 'e2e-bundles')
export const E2E_PREVIEW = path.join(REPO_ROOT, '.data', 'e2e-preview')

export default async function globalSetup(): Promise<void> {
  await buildFunctions({ outDir: E2E_BUNDLES })
  await buildPreview({ outDir: E2E_PREVIEW })
  buildConsole()
}
