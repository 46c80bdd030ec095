// Local cloud storage: files under one folder, file ids `cloud://local/<path>`, served by the
// gateway at /storage/<path> (its temporary URL). Stands in for CloudBase storage (server/storage.ts).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import type { FileStore } from '../server/storage'

export const LOCAL_FILE_PREFIX = 'cloud://local/'
const SAFE_PATH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$/

export class LocalFileStore implements FileStore {
  constructor(
    readonly dir: string,
    /** Where the gateway serves the files; set by `npm start` once it knows its port. */
    public baseUrl = process.env.WAL_STORAGE_URL ?? 'http://127.0.0.1:3900/storage',
  ) {}

  private fileOf(cloudPath: string): string {
    if (!SAFE_PATH.test(cloudPath) || cloudPath.split('/').includes('..'))
      throw new Error(`not a storage path: ${cloudPath}`)
    return path.join(this.dir, cloudPath)
  }

  async put(cloudPath: string, bytes: Buffer): Promise<string> {
    const file = this.fileOf(cloudPath)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, bytes)
    return `${LOCAL_FILE_PREFIX}${cloudPath}`
  }

  async tempUrl(fileId: string): Promise<string> {
    if (!fileId.startsWith(LOCAL_FILE_PREFIX)) throw new Error(`not a local file id: ${fileId}`)
    return `${this.baseUrl}/${fileId.slice(LOCAL_FILE_PREFIX.length)}`
  }

  /** The bytes of a stored file (the gateway's /storage route, tests), or null. */
  read(cloudPath: string): Buffer | null {
    let file: string
    try {
      file = this.fileOf(cloudPath)
    } catch {
      return null
    }
    return existsSync(file) ? readFileSync(file) : null
  }

  readFileId(fileId: string): Buffer | null {
    return fileId.startsWith(LOCAL_FILE_PREFIX)
      ? this.read(fileId.slice(LOCAL_FILE_PREFIX.length))
      : null
  }
}
