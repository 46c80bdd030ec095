// One gateway instance of a cluster (emulator/cluster.ts): opens the shared database file, loads
// the functions, listens on the shared port, answers the primary's questions, stops on request.
import { startLocalCloud } from './index'
import {
  WORKER_CONFIG_ENV,
  type GatewayWorkerConfig,
  type PrimaryMessage,
  type WorkerMessage,
} from './cluster'
import { createFunctionHost } from './function-host'
import { createGateway } from './gateway'
import { startTimers } from './timers'
import { startTrace } from './trace'

async function main(): Promise<void> {
  const text = process.env[WORKER_CONFIG_ENV]
  if (!text || !process.send) throw new Error('gateway-worker runs as a cluster worker')
  const config = JSON.parse(text) as GatewayWorkerConfig
  process.setSourceMapsEnabled(true)
  // The primary checkpoints the shared file (one thread for all instances).
  const cloud = startLocalCloud({ file: config.file, checkpointThread: false })
  const host = createFunctionHost({ cloud, ...config.functions })
  const app = createGateway({
    host,
    ...(config.log === false ? { log: () => {} } : {}),
    ...(config.bodyLimits ? { bodyLimits: config.bodyLimits } : {}),
    ...(config.bodyLimit ? { bodyLimit: config.bodyLimit } : {}),
  })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const stopTimers = config.timersDir ? startTimers(host, config.timersDir) : () => {}
  const { groupCommits } = cloud.store
  const tracer = config.trace
    ? startTrace(() => ({
        transactions: groupCommits.transactions,
        lockWaits: groupCommits.lockWaits,
      }))
    : undefined
  const send = (msg: WorkerMessage) => process.send!(msg)
  send({ type: 'listening', port })

  process.on('message', (msg: PrimaryMessage) => {
    if (msg.type === 'stats') {
      const cpu = process.cpuUsage()
      send({
        type: 'stats',
        id: msg.id,
        stats: {
          pid: process.pid,
          ops: { ...cloud.store.ops },
          cpuMicros: cpu.user + cpu.system,
          rssMiB: process.memoryUsage().rss / 2 ** 20,
          groupCommits: { ...cloud.store.groupCommits },
        },
      })
    } else if (msg.type === 'trace') {
      send({ type: 'trace', id: msg.id, trace: tracer?.since(msg.sinceMs) ?? null })
    } else if (msg.type === 'stop') {
      tracer?.stop()
      stopTimers()
      // Calls in flight finish, then the database closes cleanly.
      void app.close().then(() => {
        cloud.close()
        process.exit(0)
      })
    }
  })
}

main().catch((err: unknown) => {
  console.error('[gateway-worker]', err)
  process.exit(1)
})
