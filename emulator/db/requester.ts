// The seam: @cloudbase/database sends every database call through `new Db.reqClass(config).send(
// action, params)`. The local cloud answers those calls from the SQLite store, in the same wire
// format and with the same error codes as CloudBase, so the real wx-server-sdk runs unchanged.
import { Db } from '@cloudbase/database'
import { randomBytes } from 'node:crypto'
import Module from 'node:module'
import path from 'node:path'
import type { DocumentStore, FindOptions } from './store'
import { DbError } from './errors'
import { decode, encode, type Doc } from './wire'

type Params = Record<string, unknown>
type Reply = Record<string, unknown>

let current: DocumentStore | undefined

// Request ids unique in this process (and, by the random part, across processes) without drawing
// random bytes for every request.
const requestIdPrefix = `${randomBytes(8).toString('hex')}-`
let requestCount = 0

function asDoc(value: unknown): Doc {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : {}
}

function str(params: Params, name: string): string | undefined {
  const v = params[name]
  return typeof v === 'string' ? v : undefined
}

function collectionName(params: Params): string {
  const name = str(params, 'collectionName')
  if (!name) throw new DbError('INVALID_PARAM', 'collectionName is required')
  return name
}

/**
 * Execute one SDK request against the store: synchronously, except a commit, which waits for the
 * store's group commit. Exported for the conformance tests' raw checks.
 */
export function execute(
  store: DocumentStore,
  action: string,
  params: Params,
): Reply | Promise<Reply> {
  const now = store.now()
  const txnId = str(params, 'transactionId')
  const query = () => asDoc(decode(str(params, 'query'), now))
  switch (action) {
    case 'database.addCollection':
      store.createCollection(collectionName(params))
      return {}
    case 'database.getDocument': {
      const options: FindOptions = {}
      const order = decode(str(params, 'order'), now)
      if (order) options.order = order as FindOptions['order']
      const projection = decode(str(params, 'projection'), now)
      if (projection) options.projection = projection as Doc
      if (typeof params.offset === 'number') options.offset = params.offset
      if (typeof params.limit === 'number') options.limit = Math.min(params.limit, 1000)
      const list = store.findEncoded(collectionName(params), query(), options, txnId)
      return { data: { list, offset: options.offset ?? 0, limit: options.limit ?? 100 } }
    }
    case 'database.calculateDocument':
      return { data: { total: store.count(collectionName(params), query()) } }
    case 'database.insertDocument': {
      const data = Array.isArray(params.data) ? (params.data as string[]) : []
      const docs = data.map((d) => asDoc(decode(d, now)))
      return { data: { insertedIds: store.insert(collectionName(params), docs, txnId) } }
    }
    case 'database.modifyDocument': {
      const res = store.modify(
        collectionName(params),
        query(),
        asDoc(decode(str(params, 'data'), now)),
        {
          multi: params.multi !== false,
          merge: params.merge !== false,
          upsert: params.upsert === true,
        },
        txnId,
      )
      return { data: { updated: res.updated, upsert_id: res.upsertedId } }
    }
    case 'database.modifyAndReturnDoc': {
      const res = store.modifyAndReturn(
        collectionName(params),
        query(),
        asDoc(decode(str(params, 'data'), now)),
        txnId,
      )
      return { data: { updated: res.updated, doc: res.doc ? encode(res.doc) : null } }
    }
    case 'database.removeDocument':
      return {
        data: {
          deleted: store.remove(
            collectionName(params),
            query(),
            { multi: params.multi !== false },
            txnId,
          ),
        },
      }
    case 'database.aggregateDocuments': {
      const stages = (Array.isArray(params.stages) ? params.stages : []) as Array<{
        stageKey: string
        stageValue: string
      }>
      const pipeline = stages.map((s) => ({ [s.stageKey]: decode(s.stageValue, now) }))
      return { data: { list: store.aggregate(collectionName(params), pipeline).map(encode) } }
    }
    case 'database.startTransaction':
      return { transactionId: store.startTransaction() }
    case 'database.commitTransaction':
      return store.commitQueued(str(params, 'transactionId') ?? '').then(() => ({}))
    case 'database.abortTransaction':
      store.abort(str(params, 'transactionId') ?? '')
      return {}
    default:
      throw new DbError(
        'DATABASE_INVALID_OPERRATOR',
        `local cloud: database action ${action} is not supported`,
      )
  }
}

type ReqClass = new (config: unknown) => { send(action: string, params?: Params): Promise<Reply> }

/** What an SDK's network requester does with a reply that carries a `code`: throw it, or not. */
type ProcessReturn = (reply: Reply) => Reply

/**
 * CloudBase's error as @cloudbase/node-sdk raises it (its TcbError): an Error with `code`,
 * `message` and `requestId`. Used when the requester in place is not a node-sdk one.
 */
class CloudBaseError extends Error {
  readonly code: string
  readonly requestId: string
  constructor(reply: Reply) {
    super(String(reply.message ?? ''))
    this.name = 'TcbError'
    this.code = String(reply.code)
    this.requestId = String(reply.requestId ?? '')
  }
}

const throwAlways: ProcessReturn = (reply) => {
  throw new CloudBaseError(reply)
}

const processReturnOf = new WeakMap<ReqClass, ProcessReturn>()

/**
 * The error handling of the SDK whose requester `cls` is. @cloudbase/node-sdk's database requester
 * hands every reply to `request()`, which passes one with a `code` to `processReturn`: that throws
 * a TcbError unless the app called `setThrowOnCode(false)`. The local requester stands in for that
 * class, so it calls the very same function of the same node-sdk copy (wx-server-sdk 4.0.2 has its
 * own copy, 3.17.2; a direct dependency may be another): the caller sees what CloudBase's reply
 * would have made of it, rejections included, so a failed write inside a transaction fails the
 * transaction instead of letting it commit the rest.
 */
function processReturnFor(cls: ReqClass | undefined): ProcessReturn {
  if (!cls) return throwAlways
  const known = processReturnOf.get(cls)
  if (known) return known
  let found: ProcessReturn = throwAlways
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!mod || !/[\\/]tcbdbapirequester\.js$/.test(file)) continue
    const exported = mod.exports as { TcbDBApiHttpRequester?: unknown }
    if (exported.TcbDBApiHttpRequester !== cls) continue
    const utils = mod.require(path.join(path.dirname(file), 'utils.js')) as {
      processReturn?: ProcessReturn
    }
    if (typeof utils.processReturn === 'function') found = utils.processReturn
    break
  }
  processReturnOf.set(cls, found)
  return found
}

/** A requester class standing in for `sdkClass` (the class the SDK assigned to Db.reqClass). */
function localRequesterFor(sdkClass: ReqClass | undefined): ReqClass {
  const processReturn = processReturnFor(sdkClass)
  return class LocalRequester {
    constructor(readonly config: unknown) {}

    async send(action: string, params?: Params): Promise<Reply> {
      const reply = await answer(action, params)
      return reply.code ? processReturn(reply) : reply
    }
  }
}

/** The reply CloudBase's HTTP API would give: data, or `{ code, message }`; never throws. */
async function answer(action: string, params?: Params): Promise<Reply> {
  const store = current
  const requestId = requestIdPrefix + (requestCount++).toString(36)
  if (!store)
    return { code: 'DATABASE_REQUEST_FAILED', message: 'local cloud is not running', requestId }
  // A network round trip in CloudBase: let other requests run before and after this one.
  await new Promise<void>((resolve) => setImmediate(resolve))
  store.countOp(action)
  try {
    const result = execute(store, action, params ?? {})
    // Every reply is a fresh object: it takes the requestId itself instead of being copied.
    const reply = result instanceof Promise ? await result : result
    reply.requestId = requestId
    return reply
  } catch (e) {
    if (e instanceof DbError) return { code: e.code, message: e.message, requestId }
    console.error('[local cloud] internal error on', action, e)
    return {
      code: 'DATABASE_REQUEST_FAILED',
      message: `local cloud internal error: ${(e as Error).message}`,
      requestId,
    }
  }
}

interface DbClass {
  reqClass: ReqClass
}

/** Each copy of @cloudbase/database's Db class, with the SDK requester it was last given. */
const patched = new WeakSet<object>()

/**
 * Pin `Db.reqClass` of one copy of @cloudbase/database with an accessor: the SDK assigns its
 * requester on every `database()` call; the accessor remembers it and, while a store is active,
 * serves a local requester that answers from the store and then errs the way that SDK's would.
 */
function patchDb(db: DbClass): void {
  if (patched.has(db)) return
  patched.add(db)
  let sdkRequester: ReqClass | undefined = db.reqClass
  let local: ReqClass | undefined
  Object.defineProperty(db, 'reqClass', {
    configurable: true,
    get: () => {
      if (!current) return sdkRequester
      local ??= localRequesterFor(sdkRequester)
      return local
    },
    set: (cls: ReqClass) => {
      if (cls !== sdkRequester) local = undefined
      sdkRequester = cls
    },
  })
}

const DATABASE_ENTRY = /[\\/]@cloudbase[\\/]database[\\/]dist[\\/]commonjs[\\/]index\.js$/

/**
 * Every copy of @cloudbase/database in the process gets the seam, not only the one this file
 * imports: @cloudbase/node-sdk installed as a dependency of its own (3.18 beside wx-server-sdk's
 * 3.17.2) may resolve a copy of its own, and would otherwise talk to the network. Copies already
 * loaded are found in require.cache; later ones as they load.
 */
function patchEveryCopy(): void {
  patchDb(Db as unknown as DbClass)
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod && DATABASE_ENTRY.test(file)) patchExports(mod.exports)
  }
  const loader = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown
  }
  const load = loader._load
  loader._load = function (request, parent, isMain) {
    const exported = load.call(this, request, parent, isMain)
    if (request === '@cloudbase/database' || request.endsWith('/database/dist/commonjs/index.js'))
      patchExports(exported)
    return exported
  }
}

function patchExports(exported: unknown): void {
  const db = (exported as { Db?: unknown } | null)?.Db
  if (typeof db === 'function' && 'reqClass' in db) patchDb(db as unknown as DbClass)
}

let seamInstalled = false

/**
 * Route the SDKs' database requests to `store` (or back to their real network requesters with
 * `undefined`).
 */
export function installDatabaseSeam(store: DocumentStore | undefined): void {
  current = store
  if (seamInstalled) return
  seamInstalled = true
  patchEveryCopy()
}
