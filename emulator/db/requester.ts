// The seam: @cloudbase/database sends every database call through `new Db.reqClass(config).send(
// action, params)`. The local cloud answers those calls from the SQLite store, in the same wire
// format and with the same error codes as CloudBase, so the real wx-server-sdk runs unchanged.
import { Db } from '@cloudbase/database'
import { randomBytes } from 'node:crypto'
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

class LocalRequester {
  constructor(readonly config: unknown) {}

  async send(action: string, params?: Params): Promise<Reply> {
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
}

type ReqClass = new (config: unknown) => { send(action: string, params?: Params): Promise<Reply> }
const dbStatics = Db as unknown as { reqClass: ReqClass }
let sdkRequester: ReqClass | undefined
let seamInstalled = false

/**
 * Route the SDK's database requests to `store` (or back to the real network requester with
 * `undefined`). The SDK assigns Db.reqClass on every cloud.database() call, so the property is
 * pinned with an accessor that remembers the SDK's class but serves ours while a store is active.
 */
export function installDatabaseSeam(store: DocumentStore | undefined): void {
  current = store
  if (seamInstalled) return
  seamInstalled = true
  sdkRequester = dbStatics.reqClass
  Object.defineProperty(Db, 'reqClass', {
    configurable: true,
    get: () => (current ? LocalRequester : sdkRequester),
    set: (cls: ReqClass) => {
      sdkRequester = cls
    },
  })
}
