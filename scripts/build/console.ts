// The organiser console (console/, Vite + Vue 3 + TDesign): built into console/dist/ by
// `npm run build` (skipped while the build is newer than every source), served by `npm start` at
// /console/ on the gateway's origin, so its calls to /functions/ and /auth/ need no CORS.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'

const REPO_ROOT = path.resolve(__dirname, '../..')
export const CONSOLE_DIST = path.join(REPO_ROOT, 'console', 'dist')
const SOURCES = [path.join(REPO_ROOT, 'console'), path.join(REPO_ROOT, 'core')]

function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const p = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return latest
}

/**
 * Build the console unless the build is newer than console/ and core/ (or `force`). `outDir`
 * (default console/dist) and `cloudbaseEnv`: the deploy builds a CloudBase environment's console
 * apart (VITE_CLOUDBASE_ENV set), leaving console/dist the local one.
 */
export function buildConsole(
  options: { force?: boolean; outDir?: string; cloudbaseEnv?: string } = {},
): { built: boolean; ms: number } {
  const started = Date.now()
  const outDir = options.outDir ?? CONSOLE_DIST
  const index = path.join(outDir, 'index.html')
  const stale =
    !existsSync(index) || statSync(index).mtimeMs < Math.max(...SOURCES.map((d) => newest(d)))
  if (!options.force && !stale) return { built: false, ms: Date.now() - started }
  const res = spawnSync(
    process.execPath,
    [
      // By path: vite's exports do not name bin/vite.js, and jest's resolver honours them.
      path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'console/vite.config.ts',
      '--logLevel',
      'warn',
      ...(options.outDir ? ['--outDir', outDir, '--emptyOutDir'] : []),
    ],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: options.cloudbaseEnv
        ? { ...process.env, VITE_CLOUDBASE_ENV: options.cloudbaseEnv }
        : process.env,
    },
  )
  if (res.status !== 0) throw new Error('the console build failed (vite build, above)')
  return { built: true, ms: Date.now() - started }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
}

/** GET /console/… from `distDir` (index.html for the bare path; never outside the folder). */
export function serveConsole(app: FastifyInstance, distDir: string = CONSOLE_DIST): void {
  app.get('/console', async (_req, reply) => reply.redirect('/console/'))
  app.get('/console/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'] || 'index.html'
    const file = path.resolve(distDir, `.${path.posix.normalize(`/${rel}`)}`)
    if (!file.startsWith(distDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(existsSync(distDir) ? 'not found' : 'console not built: npm run build')
    }
    // Vite's assets carry a content hash; index.html must be fetched afresh.
    reply.header(
      'cache-control',
      rel.startsWith('assets/') ? 'max-age=31536000, immutable' : 'no-cache',
    )
    return reply
      .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
      .send(readFileSync(file))
  })
}

if (require.main === module) {
  const { built, ms } = buildConsole({ force: process.argv.includes('--force') })
  console.log(built ? `console built in ${ms} ms` : 'console up to date')
}
