// The deploy's CloudBase adapter, on Tencent's official management SDK (@cloudbase/manager-node):
// collections and indexes (CreateIndexes/DropIndexes through updateCollection), security rules
// (ModifyResourcePermission, CUSTOM), documents (RunCommands: find by _id, upsert by _id),
// functions (createFunction / updateFunctionCode / updateFunctionConfig, timer triggers), files in
// cloud storage (storage.uploadFile; md5 read from the COS ETag) and the organiser console on static
// hosting (hosting.uploadFiles / deleteFiles, listed through the hosting bucket).
// Credentials: TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY [/ TENCENTCLOUD_SESSIONTOKEN].
import { EJSON } from 'bson'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { IndexDeclaration } from '../emulator/db/collections'
import {
  BUNDLE_SHA_ENV,
  type ExistingFile,
  type ExistingFunction,
  type ExistingState,
  type Trigger,
  type WantedFile,
  type WantedFunction,
} from './deploy-plan'
import type { DeployTarget } from './deploy-target'

/** A failure the CLI reports as one line (no stack): credentials, environment, permissions. */
export class DeployError extends Error {}

/** CloudBase runs Node.js 16.13 for these bundles (scripts/build/functions.ts targets node16). */
const RUNTIME = 'Nodejs16.13'
/** The functions' timeout in seconds (payout's batch and the store timer finish well within it). */
const TIMEOUT_S = 20

interface ManagerLike {
  database: import('@cloudbase/manager-node/types/database').DatabaseService
  functions: import('@cloudbase/manager-node/types/function').FunctionService
  permission: import('@cloudbase/manager-node/types/permission').PermissionService
  storage: import('@cloudbase/manager-node/types/storage').StorageService
  hosting: import('@cloudbase/manager-node/types/hosting').HostingService
  env: import('@cloudbase/manager-node/types/env').EnvService
}

/**
 * A COS object's md5 from its ETag (`"<md5>"` for a simple upload; a multipart upload's ETag is
 * not an md5: null, planned as an update). Files under 5 MB go up simply (manager-node).
 */
export function md5OfEtag(etag: string | undefined): string | null {
  const m = /^"?([0-9a-f]{32})"?$/i.exec(etag ?? '')
  return m ? m[1]!.toLowerCase() : null
}

/** The credentials from the environment, or one line saying what is missing. */
export function cloudbaseCredentials(env: Record<string, string | undefined> = process.env): {
  secretId: string
  secretKey: string
  token?: string
} {
  const secretId = env.TENCENTCLOUD_SECRETID
  const secretKey = env.TENCENTCLOUD_SECRETKEY
  if (!secretId || !secretKey) {
    throw new DeployError(
      'no CloudBase credentials: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (and TENCENTCLOUD_SESSIONTOKEN for temporary keys) — a CAM key with access to this environment',
    )
  }
  const token = env.TENCENTCLOUD_SESSIONTOKEN
  return { secretId, secretKey, ...(token ? { token } : {}) }
}

/**
 * One line for an SDK failure, never its stack or a secret: the API's error code and message.
 * Signature and key errors get the hint that the credentials are wrong.
 */
export function describeCloudbaseError(err: unknown, envId: string): string {
  const e = err as { code?: unknown; message?: unknown; requestId?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]! : String(err)
  if (
    /AuthFailure|SecretId|Signature|InvalidCredential|UnauthorizedOperation/i.test(code + message)
  )
    return `CloudBase refused the credentials (${code || 'AuthFailure'}): check TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY and that the key may manage environment ${envId}`
  if (/ResourceNotFound|InvalidEnv|EnvId/i.test(code + message))
    return `CloudBase environment ${envId} not found or not reachable with this key (${code || message})`
  return `CloudBase: ${code ? `${code}: ` : ''}${message}`
}

export class CloudBaseTarget implements DeployTarget {
  readonly name: string
  /** The environment's storage bucket (describe reads it): fileIDs are cloud://<env>.<bucket>/<path>. */
  private bucket: string | undefined
  private tmp: string | undefined

  private constructor(
    private readonly envId: string,
    private readonly app: ManagerLike,
  ) {
    this.name = `CloudBase environment ${envId}`
  }

  /** Connects with the environment's credentials; DeployError (one line) when they are missing. */
  static async connect(envId: string): Promise<CloudBaseTarget> {
    const credentials = cloudbaseCredentials()
    // Loaded only for a CloudBase deploy: the local deploy and the tests never need it.
    const { default: CloudBase } = await import('@cloudbase/manager-node')
    const app = new CloudBase({ ...credentials, envId }) as unknown as ManagerLike
    return new CloudBaseTarget(envId, app)
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw new DeployError(`${what}: ${describeCloudbaseError(err, this.envId)}`)
    }
  }

  fileId(cloudPath: string): string {
    if (!this.bucket)
      throw new DeployError(
        `environment ${this.envId} has no cloud storage bucket to name files in`,
      )
    // As manager-node's own cloudPathToFileId.
    return `cloud://${this.envId}.${this.bucket}/${cloudPath}`
  }

  async readStorage(paths: string[]): Promise<ExistingFile[]> {
    const wanted = new Set(paths)
    const out: ExistingFile[] = []
    // One listing per folder the files are in (content/covers/, reports/, …).
    for (const dir of new Set(paths.map((p) => path.posix.dirname(p)))) {
      const list = await this.call(`list storage ${dir}/`, () =>
        this.app.storage.walkCloudDir(dir === '.' ? '' : dir),
      )
      for (const f of list) if (wanted.has(f.Key)) out.push({ path: f.Key, md5: md5OfEtag(f.ETag) })
    }
    return out
  }

  /** manager-node uploads from local paths: the bytes go through a scratch folder. */
  private localCopy(file: WantedFile): string {
    this.tmp ??= mkdtempSync(path.join(tmpdir(), 'wal-deploy-'))
    const out = path.join(this.tmp, `${file.md5}${path.posix.extname(file.path)}`)
    writeFileSync(out, file.bytes)
    return out
  }

  async uploadStorage(files: WantedFile[]): Promise<void> {
    for (const f of files)
      await this.call(`upload ${f.path} to cloud storage`, () =>
        this.app.storage.uploadFile({ localPath: this.localCopy(f), cloudPath: f.path }),
      )
  }

  async uploadHosting(files: WantedFile[]): Promise<void> {
    const list = files.map((f) => ({ localPath: this.localCopy(f), cloudPath: f.path }))
    await this.call(`upload ${files.length} file(s) to static hosting`, () =>
      this.app.hosting.uploadFiles({ files: list, parallel: 5, retryCount: 2 }),
    )
  }

  async deleteHosting(paths: string[]): Promise<void> {
    for (const p of paths)
      await this.call(`remove ${p} from static hosting`, () =>
        this.app.hosting.deleteFiles({ cloudPath: p, isDir: false }),
      )
  }

  /** The hosting bucket's files under `prefix`, or null when static hosting is not enabled. */
  private async hostingFiles(prefix: string): Promise<ExistingFile[] | null> {
    const info = await this.call('read static hosting', () => this.app.hosting.getInfo())
    const site = (info ?? []).find((h) => h.Status === 'online')
    if (!site) return null
    const list = await this.call(`list static hosting ${prefix}`, () =>
      // The SDK's own hosting.listFiles walks the whole bucket; this lists the prefix only.
      this.app.storage.walkCloudDirCustom({ prefix, bucket: site.Bucket, region: site.Regoin }),
    )
    return list
      .filter((f) => !f.Key.endsWith('/'))
      .map((f) => ({ path: f.Key, md5: md5OfEtag(f.ETag) }))
  }

  async describe(hostingPrefix: string): Promise<ExistingState> {
    const envInfo = await this.call('read environment', () => this.app.env.getEnvInfo())
    this.bucket = envInfo.EnvInfo.Storages?.[0]?.Bucket
    const collections: ExistingState['collections'] = []
    for (let offset = 0; ; offset += 100) {
      const page = await this.call('list collections', () =>
        this.app.database.listCollections({ MgoOffset: offset, MgoLimit: 100 }),
      )
      for (const c of page.Collections ?? []) {
        const info = await this.call(`describe ${c.CollectionName}`, () =>
          this.app.database.describeCollection(c.CollectionName),
        )
        collections.push({
          name: c.CollectionName,
          indexes: (info.Indexes ?? [])
            .filter((i) => i.Name !== '_id_')
            .map((i) => ({
              name: i.Name,
              unique: i.Unique,
              keys: i.Keys.map((k) => ({
                field: k.Name ?? '',
                direction:
                  k.Direction === '2dsphere' ? '2dsphere' : Number(k.Direction) === -1 ? -1 : 1,
              })),
            })) as IndexDeclaration[],
        })
      }
      if ((page.Collections ?? []).length < 100) break
    }
    const rules: Record<string, string> = {}
    if (collections.length > 0) {
      const perms = await this.call('read security rules', () =>
        this.app.permission.describeResourcePermission({
          resourceType: 'collection',
          resources: collections.map((c) => c.name),
        }),
      )
      for (const p of perms.Data.PermissionList ?? [])
        if (p.Resource && p.Permission === 'CUSTOM' && p.SecurityRule)
          rules[p.Resource] = p.SecurityRule
    }
    const functions: ExistingFunction[] = []
    const list = await this.call('list functions', () => this.app.functions.listFunctions(100, 0))
    for (const f of list) {
      const name = f.FunctionName!
      const detail = await this.call(`read function ${name}`, () =>
        this.app.functions.getFunctionDetail(name),
      )
      const env = Object.fromEntries(
        (detail.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]),
      )
      functions.push({
        name,
        bundleSha256: env[BUNDLE_SHA_ENV] ?? null,
        env,
        triggers: (detail.Triggers ?? [])
          .filter((t) => t.Type === 'timer')
          .map((t) => ({ name: t.TriggerName, type: t.Type, config: t.TriggerDesc })),
      })
    }
    return { collections, rules, functions, hosting: await this.hostingFiles(hostingPrefix) }
  }

  async readDocuments(collection: string, ids: string[]): Promise<string[]> {
    const out: string[] = []
    for (let i = 0; i < ids.length; i += 100) {
      const res = await this.call(`read ${collection}`, () =>
        this.app.database.runCommands({
          MgoCommands: [
            {
              TableName: collection,
              CommandType: 'QUERY',
              Command: JSON.stringify({
                find: collection,
                filter: { _id: { $in: ids.slice(i, i + 100) } },
                limit: 100,
              }),
            },
          ],
        }),
      )
      // Data: one JSON string per command, an array of canonical EJSON documents.
      for (const batch of res.Data ?? []) out.push(...(JSON.parse(batch) as string[]))
    }
    return out
  }

  async createCollection(name: string): Promise<void> {
    await this.call(`create collection ${name}`, () =>
      this.app.database.createCollectionIfNotExists(name),
    )
  }

  async createIndex(collection: string, index: IndexDeclaration): Promise<void> {
    await this.call(`create index ${collection}.${index.name}`, () =>
      this.app.database.updateCollection(collection, {
        CreateIndexes: [
          {
            IndexName: index.name,
            MgoKeySchema: {
              MgoIsUnique: index.unique,
              MgoIndexKeys: index.keys.map((k) => ({
                Name: k.field,
                Direction: String(k.direction),
              })),
            },
          },
        ],
      }),
    )
  }

  async dropIndex(collection: string, name: string): Promise<void> {
    await this.call(`drop index ${collection}.${name}`, () =>
      this.app.database.updateCollection(collection, { DropIndexes: [{ IndexName: name }] }),
    )
  }

  async setRule(collection: string, rule: string): Promise<void> {
    await this.call(`security rule of ${collection}`, () =>
      this.app.permission.modifyResourcePermission({
        resourceType: 'collection',
        resource: collection,
        permission: 'CUSTOM',
        securityRule: rule,
      }),
    )
  }

  async writeDocuments(collection: string, texts: string[]): Promise<void> {
    const updates = texts.map((text) => {
      // Canonical EJSON: dates as $date, numbers kept exact.
      const doc = EJSON.parse(text, { relaxed: true }) as { _id: string }
      return { q: { _id: doc._id }, u: EJSON.serialize(doc, { relaxed: false }), upsert: true }
    })
    await this.call(`write ${collection}`, () =>
      this.app.database.runCommands({
        MgoCommands: [
          {
            TableName: collection,
            CommandType: 'UPDATE',
            Command: JSON.stringify({ update: collection, updates }),
          },
        ],
      }),
    )
  }

  private funcConfig(fn: WantedFunction) {
    return {
      name: fn.name,
      runtime: RUNTIME,
      timeout: TIMEOUT_S,
      installDependency: true,
      envVariables: { ...fn.env, [BUNDLE_SHA_ENV]: fn.bundleSha256 },
      // Only the bundle, package.json and config.json go up (config.json: open API permissions).
      ignore: ['src', 'src/**', 'node_modules', 'node_modules/**', '*.map'],
    }
  }

  async deployFunction(fn: WantedFunction, mode: 'create' | 'update'): Promise<void> {
    const functionRootPath = path.dirname(fn.dir)
    if (mode === 'create') {
      await this.call(`create function ${fn.name}`, () =>
        this.app.functions.createFunction({
          func: this.funcConfig(fn),
          functionRootPath,
          force: false,
        }),
      )
      return
    }
    await this.call(`upload function ${fn.name}`, () =>
      this.app.functions.updateFunctionCode({ func: this.funcConfig(fn), functionRootPath }),
    )
    await this.setEnv(fn)
  }

  async setEnv(fn: WantedFunction): Promise<void> {
    const { ignore: _ignore, ...config } = this.funcConfig(fn)
    await this.call(`configure function ${fn.name}`, () =>
      this.app.functions.updateFunctionConfig(config),
    )
  }

  async setTrigger(fn: string, trigger: Trigger): Promise<void> {
    // BatchCreateTrigger refuses an existing name: a changed schedule is deleted first.
    await this.app.functions.deleteFunctionTrigger(fn, trigger.name).catch(() => undefined)
    await this.call(`trigger ${fn}/${trigger.name}`, () =>
      this.app.functions.createFunctionTriggers(fn, [trigger]),
    )
  }

  async deleteTrigger(fn: string, name: string): Promise<void> {
    await this.call(`delete trigger ${fn}/${name}`, () =>
      this.app.functions.deleteFunctionTrigger(fn, name),
    )
  }

  async deleteFunction(name: string): Promise<void> {
    await this.call(`delete function ${name}`, () => this.app.functions.deleteFunction(name))
  }

  async close(): Promise<void> {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true })
  }
}
