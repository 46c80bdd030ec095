// Runs cloud functions in the local cloud: loads each `main(event, context)` from its TypeScript
// source (tests) or from the built bundle cloudfunctions/<fn>/index.js (`npm start`: the exact
// deployed code), and invokes it as a given WeChat caller, the way CloudBase does.
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { Envelope } from 'wal-core'
import type { CallerIdentity, LocalCloud } from './index'

export type CloudMain = (event: unknown, context: unknown) => Promise<unknown>

export interface FunctionHostOptions {
  cloud: LocalCloud
  /** `source`: cloudfunctions/<fn>/src/index.ts; `bundle`: <bundleDir>/<fn>/index.js. */
  from: 'source' | 'bundle'
  /** Folder of the functions' sources (default: this repository's cloudfunctions/). */
  functionsDir?: string
  /** Folder of the built bundles (default: functionsDir); tests build into a scratch folder. */
  bundleDir?: string
  /** Load only these functions (default: every one found). */
  only?: string[]
  /**
   * Load each function on its first call instead of all at the start (CloudBase's cold start).
   * A missing bundle still fails at the start. The e2e worlds use it: a journey calls a few of
   * the functions, and loading all eleven bundles (~11 MB, two with exceljs) cost seconds per file.
   */
  lazy?: boolean
  /** Extra functions by name (tests and benchmarks: echo, trivial ones). */
  extra?: Record<string, CloudMain>
  /**
   * Invocations this instance runs at once; the others wait their turn, first come first served
   * (CloudBase's per-instance concurrency setting). Default DEFAULT_CONCURRENCY.
   */
  concurrency?: number
}

/**
 * Enough in flight for the group commit to gather a batch, few enough that a burst beyond what
 * the instance can answer queues up instead of interleaving hundreds of transactions: every one
 * of those holds a statistics shard it read until it commits, so conflicts and re-runs, and with
 * them the work per request, would grow with the queue (a congestion collapse). And calls that
 * wait their turn finish sooner than calls that all advance together: at 1,000 submissions/s
 * offered, p99 had a median of ~42 ms over runs with 12 or 8 against ~68 ms with 16 (4 was too
 * few to batch, and collapsed in a slow phase); docs/benchmarks-history.md, fourth round.
 */
export const DEFAULT_CONCURRENCY = 12

export interface FunctionHost {
  readonly names: readonly string[]
  has(name: string): boolean
  /** Runs function `name` for `caller`; always resolves an envelope, never throws. */
  invoke(
    name: string,
    event: Record<string, unknown>,
    caller: CallerIdentity,
  ): Promise<Envelope<unknown>>
}

const DEFAULT_FUNCTIONS_DIR = path.resolve(__dirname, '../cloudfunctions')
const ROOT_NODE_MODULES = path.resolve(__dirname, '../node_modules')

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { ok?: unknown; data?: unknown; error?: { code?: unknown } }
  return v.ok === true ? 'data' in v : v.ok === false && typeof v.error?.code === 'string'
}

function loadMain(file: string, name: string): CloudMain {
  if (!existsSync(file)) {
    throw new Error(
      `function ${name}: ${file} not found${file.endsWith('.js') ? ' (run npm run build)' : ''}`,
    )
  }
  if (file.endsWith('.js')) {
    // The bundle's require('wx-server-sdk') must reach the instance the local cloud patched; a
    // node_modules inside the function folder (npm install from DevTools) would shadow it.
    const sdk = require.resolve('wx-server-sdk', { paths: [path.dirname(file)] })
    if (!sdk.startsWith(ROOT_NODE_MODULES + path.sep)) {
      throw new Error(
        `function ${name}: wx-server-sdk resolves to ${sdk}; remove that node_modules`,
      )
    }
  }
  // require, not import(): in tests it goes through jest's module registry (which transforms
  // the TypeScript and shares the registry with the local cloud), under tsx through node's.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { main?: unknown }
  if (typeof mod.main !== 'function') throw new Error(`function ${name}: ${file} exports no main`)
  return mod.main as CloudMain
}

export function createFunctionHost(options: FunctionHostOptions): FunctionHost {
  const functionsDir = options.functionsDir ?? DEFAULT_FUNCTIONS_DIR
  const bundleDir = options.bundleDir ?? functionsDir
  const found = readdirSync(functionsDir, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && existsSync(path.join(functionsDir, e.name, 'src', 'index.ts')),
    )
    .map((e) => e.name)
  const mains = new Map<string, () => CloudMain>()
  for (const name of [...(options.only ?? found)].sort()) {
    const file =
      options.from === 'source'
        ? path.join(functionsDir, name, 'src', 'index.ts')
        : path.join(bundleDir, name, 'index.js')
    if (options.lazy) {
      if (!existsSync(file)) loadMain(file, name) // throws: not found
      let main: CloudMain | undefined
      mains.set(name, () => (main ??= loadMain(file, name)))
    } else {
      const main = loadMain(file, name)
      mains.set(name, () => main)
    }
  }
  for (const [name, main] of Object.entries(options.extra ?? {})) mains.set(name, () => main)
  const names = [...mains.keys()].sort()
  const slots = slotsOf(options.concurrency ?? DEFAULT_CONCURRENCY)

  return {
    names,
    has: (name) => mains.has(name),
    async invoke(name, event, caller) {
      const load = mains.get(name)
      if (!load) {
        return {
          ok: false,
          error: {
            code: 'UNKNOWN_FUNCTION',
            message: `no cloud function named ${JSON.stringify(name)}`,
          },
        }
      }
      // What CloudBase hands a function called from the mini-program: the caller's data plus
      // userInfo, and a context describing the invocation. Identity for the code is getWXContext.
      const cloudEvent = {
        ...event,
        userInfo: { appId: caller.appid ?? 'wx-local-appid', openId: caller.openid },
      }
      const context = {
        request_id: randomUUID(),
        function_name: name,
        function_version: '$LATEST',
        namespace: 'local',
        memory_limit_in_mb: 256,
        time_limit_in_ms: 3000,
      }
      await slots.take()
      try {
        const main = load()
        const reply = await options.cloud.runAs(caller, () => main(cloudEvent, context))
        if (isEnvelope(reply)) return reply
        console.error(`[function-host] ${name} replied a non-envelope`, reply)
        return {
          ok: false,
          error: { code: 'INTERNAL', message: 'function replied a non-envelope' },
        }
      } catch (err) {
        // defineFunction never throws; a function that does is reported like CloudBase would.
        console.error(`[function-host] ${name} threw`, err)
        return { ok: false, error: { code: 'INTERNAL', message: 'function threw' } }
      } finally {
        slots.give()
      }
    },
  }
}

/** A counting semaphore handing slots over in arrival order. */
function slotsOf(limit: number): { take(): Promise<void>; give(): void } {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`concurrency ${limit}: at least 1`)
  let free = limit
  const queue: Array<() => void> = []
  return {
    take() {
      if (free > 0) {
        free--
        return Promise.resolve()
      }
      return new Promise((resolve) => queue.push(resolve))
    },
    give() {
      const next = queue.shift()
      if (next) next()
      else free++
    },
  }
}
