// Bundles each cloudfunctions/<fn>/src/index.ts into a self-contained cloudfunctions/<fn>/index.js:
// the exact file WeChat DevTools / CloudBase CLI deploy (its package.json only pins wx-server-sdk).
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { build, type Plugin } from 'esbuild'

export const REPO_ROOT = path.resolve(__dirname, '../..')
export const FUNCTIONS_DIR = path.join(REPO_ROOT, 'cloudfunctions')

/**
 * zod re-exports all of its ~50 message locales (`z.locales`), about half of a function bundle.
 * The functions only use the default English messages, so the bundle gets a locales module with
 * English alone: smaller code to load on every CloudBase cold start.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? {
            path: path.resolve(args.resolveDir, path.dirname(args.path), 'en.js'),
            namespace: 'zod-locales',
          }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)}`,
      resolveDir: path.dirname(args.path),
    }))
  },
}

export interface BuiltFunction {
  name: string
  file: string
  bytes: number
}

/** Names of the functions with a TypeScript entry (cloudfunctions/<fn>/src/index.ts). */
export function functionNames(dir: string = FUNCTIONS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'src', 'index.ts')))
    .map((e) => e.name)
    .sort()
}

export interface BuildFunctionsOptions {
  /** Where `<fn>/index.js` is written; defaults to cloudfunctions/ (tests use a scratch folder). */
  outDir?: string
  /** Only these functions (default: all). */
  only?: string[]
}

export async function buildFunctions(
  options: BuildFunctionsOptions = {},
): Promise<BuiltFunction[]> {
  const outDir = options.outDir ?? FUNCTIONS_DIR
  const names = options.only ?? functionNames()
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(outDir, name, 'index.js')
      await build({
        entryPoints: [path.join(FUNCTIONS_DIR, name, 'src', 'index.ts')],
        outfile: file,
        bundle: true,
        platform: 'node',
        // CloudBase runs Node.js 16.13 or 18.15 (chosen per function); node16 covers both.
        target: 'node16',
        format: 'cjs',
        // Installed by CloudBase from the function's package.json; locally it resolves to the root
        // node_modules, the very instance the local cloud has patched. Everything else is inlined.
        // @cloudbase/node-sdk is wx-server-sdk's own dependency (installed with it): the web
        // caller's identity is read through it (server/define-function.ts).
        external: ['wx-server-sdk', '@cloudbase/node-sdk'],
        tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
        // A separate map keeps the deployed file small; `npm start` enables source maps so local
        // stack traces point at the TypeScript.
        sourcemap: 'linked',
        sourcesContent: false,
        legalComments: 'none',
        plugins: [zodEnglishOnly],
        logLevel: 'warning',
      })
      return { name, file, bytes: statSync(file).size }
    }),
  )
}
