// Serves the built preview (preview/dist/) and its CJK web font on the gateway: GET /preview/…,
// and / redirects there. Same origin as /functions/, so the pages' calls need no CORS.
import type { FastifyInstance } from 'fastify'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

/** The font package whose CSS and files /preview/fonts/ serves (Noto Sans SC, OFL). */
const FONT_DIR = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'))

/** A file under `dir` for a URL path, or null (never outside `dir`). */
function fileIn(dir: string, rel: string): string | null {
  const file = path.resolve(dir, `.${path.posix.normalize(`/${rel}`)}`)
  if (!file.startsWith(dir + path.sep)) return null
  return existsSync(file) && statSync(file).isFile() ? file : null
}

export function servePreview(app: FastifyInstance, distDir: string): void {
  app.get('/', async (_req, reply) => reply.redirect('/preview/'))
  app.get('/preview', async (_req, reply) => reply.redirect('/preview/'))
  app.get('/preview/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'] || 'index.html'
    const file = rel.startsWith('fonts/')
      ? fileIn(FONT_DIR, rel.slice('fonts/'.length))
      : fileIn(distDir, rel)
    if (!file) return reply.code(404).type('text/plain').send('not found')
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream'
    // Fonts never change; the app's files change with every build.
    reply.header('cache-control', rel.startsWith('fonts/') ? 'max-age=86400' : 'no-cache')
    return reply.type(type).send(readFileSync(file))
  })
}
