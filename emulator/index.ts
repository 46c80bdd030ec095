// The local cloud: one entry that opens the SQLite-backed document database, plugs it into the
// real wx-server-sdk (Db.reqClass seam), routes open APIs to fakes and serves per-request identity.
import { DocumentStore, type DocumentStoreOptions } from './db/store'
import { installDatabaseSeam } from './db/requester'
import { FakeOpenApi } from './openapi'
import { registerLocalOpenApi } from '../server/openapi'
import { runAsCaller, type CallerIdentity } from './wx-context'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { registerLocalStorage } from '../server/storage'
import { LocalFileStore } from './storage'

export type { CallerIdentity } from './wx-context'
export { DocumentStore } from './db/store'
export { FakeOpenApi } from './openapi'

export type LocalCloudOptions = DocumentStoreOptions & {
  /** Folder of the local cloud storage; default: `storage/` beside the data file, or a fresh temporary folder. */
  storageDir?: string
}

export interface LocalCloud {
  readonly store: DocumentStore
  readonly openapi: FakeOpenApi
  readonly storage: LocalFileStore
  /** Run `fn` as a request from `caller` (what the gateway does for each call). */
  runAs<T>(caller: CallerIdentity, fn: () => Promise<T>): Promise<T>
  close(): void
}

let active: LocalCloud | undefined

/**
 * Start the local cloud. The SDK seam is process-wide, so one local cloud is active at a time;
 * starting another replaces the previous one (tests start a fresh in-memory one per file).
 */
export function startLocalCloud(options: LocalCloudOptions = {}): LocalCloud {
  active?.close()
  const store = new DocumentStore(options)
  const openapi = new FakeOpenApi()
  const storageDir =
    options.storageDir ??
    (options.file && options.file !== ':memory:'
      ? path.join(path.dirname(options.file), 'storage')
      : mkdtempSync(path.join(tmpdir(), 'wal-storage-')))
  const storage = new LocalFileStore(storageDir)
  installDatabaseSeam(store)
  registerLocalOpenApi(openapi)
  registerLocalStorage(storage)
  const cloud: LocalCloud = {
    store,
    openapi,
    storage,
    runAs: (caller, fn) => runAsCaller(caller, fn),
    close() {
      if (active === cloud) {
        installDatabaseSeam(undefined)
        registerLocalOpenApi(undefined)
        registerLocalStorage(undefined)
        active = undefined
      }
      store.close()
    },
  }
  active = cloud
  return cloud
}
