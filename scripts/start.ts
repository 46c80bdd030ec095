// `npm start`: the local cloud in one command — build the bundles, open the database file, seed,
// and serve the functions over HTTP until Ctrl+C.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { build } from './build'
import { dataFile, seed } from './seed'
import { startLocalCloud } from '../emulator'
import { createFunctionHost } from '../emulator/function-host'
import { createGateway } from '../emulator/gateway'
import { startTimers } from '../emulator/timers'

async function start(): Promise<void> {
  // Stack traces from the bundles point at the TypeScript sources (index.js.map beside each).
  process.setSourceMapsEnabled(true)
  await build()

  const file = dataFile()
  mkdirSync(path.dirname(file), { recursive: true })
  const cloud = startLocalCloud({ file })
  const seeded = await seed()
  const host = createFunctionHost({ cloud, from: 'bundle' })
  const gateway = createGateway({ host })

  const port = Number(process.env.WAL_PORT || 3900)
  const bind = process.env.WAL_HOST || '127.0.0.1'
  await gateway.listen({ port, host: bind })
  const base = `http://${bind === '0.0.0.0' ? '127.0.0.1' : bind}:${port}`
  // Timer triggers (config.json), e.g. the payout function every minute, as CloudBase runs them.
  const stopTimers = startTimers(host, path.resolve(__dirname, '../cloudfunctions'))

  console.log(`
WAL Survey local cloud
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
    stopTimers()
    await gateway.close() // finishes the calls in flight, then the database closes cleanly
    cloud.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

start().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
