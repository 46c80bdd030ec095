// Cloud storage behind one port: files the functions make (share-code images, channel-code
// tables) are uploaded once and handed out as temporary URLs. In CloudBase the adapter calls
// cloud.uploadFile / getTempFileURL; the local cloud registers a folder on disk served by the
// gateway (emulator/storage.ts).
import cloud from 'wx-server-sdk'

export interface FileStore {
  /** Stores `bytes` at `cloudPath` (replacing what was there) and returns its file id. */
  put(cloudPath: string, bytes: Buffer): Promise<string>
  /** A URL the client can download the file from for a while (CloudBase: 2 hours by default). */
  tempUrl(fileId: string): Promise<string>
}

const LOCAL_STORAGE = Symbol.for('wal-survey.local-storage')

/** Used by the local cloud only. */
export function registerLocalStorage(store: FileStore | undefined): void {
  ;(globalThis as Record<symbol, unknown>)[LOCAL_STORAGE] = store
}

const cloudStorage: FileStore = {
  async put(cloudPath, bytes) {
    const res = await cloud.uploadFile({ cloudPath, fileContent: bytes })
    return res.fileID
  },
  async tempUrl(fileId) {
    const res = (await cloud.getTempFileURL({ fileList: [fileId] })) as {
      fileList: Array<{ tempFileURL?: string }>
    }
    const url = res.fileList[0]?.tempFileURL
    if (!url) throw new Error(`no temporary URL for ${fileId}`)
    return url
  },
}

export function getStorage(): FileStore {
  return (
    ((globalThis as Record<symbol, unknown>)[LOCAL_STORAGE] as FileStore | undefined) ??
    cloudStorage
  )
}
