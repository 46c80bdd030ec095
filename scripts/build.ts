// `npm run build`: the deployable cloud function bundles and the mini-program's generated parts.
import path from 'node:path'
import { buildFunctions, REPO_ROOT } from './build/functions'
import { buildMiniprogram } from './build/miniprogram'
import { buildConsole } from './build/console'

export async function build(): Promise<void> {
  const started = Date.now()
  const functions = await buildFunctions()
  for (const fn of functions) {
    const shown = path.relative(REPO_ROOT, fn.file)
    console.log(`  ${shown.padEnd(40)} ${(fn.bytes / 1024).toFixed(1).padStart(8)} KiB`)
  }
  await buildMiniprogram()
  const consoleBuild = buildConsole()
  console.log(
    `  console/dist/ ${consoleBuild.built ? `built (${consoleBuild.ms} ms)` : 'up to date'}`,
  )
  console.log(
    `built ${functions.length} function(s) and the mini-program in ${Date.now() - started} ms`,
  )
}

if (require.main === module) {
  build().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
