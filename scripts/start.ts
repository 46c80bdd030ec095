// `npm start`: the local cloud in one command — build the bundles and the browser preview, open
// the database file, seed, and serve the functions and the preview over HTTP until Ctrl+C.
// The end-to-end tests and `npm run screens` start the same thing in-process (startLocal).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { build } from './build'
import { buildPreview, PREVIEW_DIST } from './build/preview'
import { dataFile, seed, type SeedOutcome } from './seed'
import { startLocalCloud, type LocalCloud } from '../emulator'
import { createFunctionHost, type FunctionHost } from '../emulator/function-host'
import { createGateway } from '../emulator/gateway'
import { startTimers } from '../emulator/timers'
import { servePreview } from '../preview/serve'
import { serveConsole } from './build/console'

export interface StartOptions {
  /** SQLite file of the local cloud. */
  file: string
  port: number
  bind?: string
  /** Folder of the function bundles (default cloudfunctions/, where `npm run build` writes). */
  bundleDir?: string
  /** Folder of the built preview (default preview/dist/). */
  previewDir?: string
  /** One line per call (default: stdout). */
  log?: (line: string) => void
  /** Load each function on its first call (FunctionHostOptions.lazy; default false: all at start). */
  lazyFunctions?: boolean
  /** Run the functions' timer triggers (default true). */
  timers?: boolean
  nowMs?: number
}

export interface LocalServer {
  base: string
  cloud: LocalCloud
  host: FunctionHost
  gateway: FastifyInstance
  seeded: Record<string, SeedOutcome>
  close(): Promise<void>
}

/** The local cloud, seeded, with its gateway and the preview listening on `port` (0: any free). */
export async function startLocal(options: StartOptions): Promise<LocalServer> {
  mkdirSync(path.dirname(options.file), { recursive: true })
  const cloud = startLocalCloud({ file: options.file })
  const seeded = await seed(options.nowMs === undefined ? {} : { nowMs: options.nowMs })
  const host = createFunctionHost({
    cloud,
    from: 'bundle',
    ...(options.bundleDir ? { bundleDir: options.bundleDir } : {}),
    ...(options.lazyFunctions ? { lazy: true } : {}),
  })
  const gateway = createGateway({ host, ...(options.log ? { log: options.log } : {}) })
  servePreview(gateway, options.previewDir ?? PREVIEW_DIST)
  serveConsole(gateway)
  const bind = options.bind ?? '127.0.0.1'
  await gateway.listen({ port: options.port, host: bind })
  const address = gateway.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const base = `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}`
  // Storage URLs (share-code images, tables) point at this gateway, whatever its port.
  if (!process.env.WAL_STORAGE_URL) cloud.storage.baseUrl = `${base}/storage`
  // Timer triggers (config.json), e.g. the payout function every minute, as CloudBase runs them.
  const stopTimers =
    options.timers === false
      ? () => {}
      : startTimers(host, path.resolve(__dirname, '../cloudfunctions'))
  return {
    base,
    cloud,
    host,
    gateway,
    seeded,
    async close() {
      stopTimers()
      await gateway.close() // finishes the calls in flight, then the database closes cleanly
      cloud.close()
    },
  }
}

async function start(): Promise<void> {
  // Stack traces from the bundles point at the TypeScript sources (index.js.map beside each).
  process.setSourceMapsEnabled(true)
  await build()
  const preview = await buildPreview({ miniprogramNpm: false })
  console.log(
    `  preview: ${preview.pages} pages, ${preview.components} components (${preview.ms} ms)`,
  )

  const file = dataFile()
  const server = await startLocal({
    file,
    port: Number(process.env.WAL_PORT || 3900),
    bind: process.env.WAL_HOST || '127.0.0.1',
  })
  const { base, host, seeded } = server

  console.log(`
WAL Survey local cloud
  console    ${base}/console/   (organiser web console; sign in with a console account — docs/console.md)
  preview    ${base}/preview/   (the mini-program in the browser; ?as=volunteer, ?scene=c%3DCODE — docs/preview.md)
  functions  ${host.names.join(', ')}
  gateway    ${base}/functions/<name>   (POST, JSON event, header x-wx-openid)
  health     ${base}/health
  data file  ${file}   (WAL_DATA_FILE; seeded: ${Object.entries(seeded)
    .map(([id, outcome]) => `${id} ${outcome}`)
    .join(', ')})
  try        curl -s -X POST ${base}/functions/campaign -H 'content-type: application/json' -H 'x-wx-openid: o-local-dev' -d '{"action":"getCurrent"}'
  stop       Ctrl+C (or SIGTERM)
`)

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping`)
    await server.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

if (require.main === module) {
  start().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
