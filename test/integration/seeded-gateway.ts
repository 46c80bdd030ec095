// The seeded demo campaign behind the real gateway on loopback, for suites that play journeys
// through HTTP as the mini-program does: a fresh local cloud, the demo seeded at SEEDED_AT, the
// named functions from source, storage served by the same gateway. Registers its own
// beforeAll/afterAll; the returned world is filled once beforeAll has run.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { createGateway } from '../../emulator/gateway'
import { setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'
import { seed } from '../../scripts/seed'

export const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')

export interface SeededGateway {
  local: LocalCloud
  host: FunctionHost
  /** http://127.0.0.1:<port> */
  base: string
}

export function useSeededGateway(options: { only: string[]; now: () => number }): SeededGateway {
  const world = {} as SeededGateway
  let app: FastifyInstance
  beforeAll(async () => {
    world.local = startLocalCloud()
    setClockForTests(options.now)
    clearConfigCache()
    await seed({ nowMs: SEEDED_AT })
    world.host = createFunctionHost({ cloud: world.local, from: 'source', only: options.only })
    app = createGateway({ host: world.host, log: () => {} })
    await app.listen({ port: 0, host: '127.0.0.1' })
    world.base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    world.local.storage.baseUrl = `${world.base}/storage`
  })
  afterAll(async () => {
    await app.close()
    setClockForTests(undefined)
    world.local.close()
  })
  return world
}
