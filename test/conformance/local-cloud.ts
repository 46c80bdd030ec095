// Shared setup for the conformance suites: a fresh in-memory local cloud and the REAL SDK client.
import cloud from 'wx-server-sdk'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import type { CollectionDeclaration } from '../../emulator/db/collections'

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

export type SdkDb = ReturnType<typeof cloud.database>

export function openLocalCloud(
  collections: Array<Partial<CollectionDeclaration> & { collection: string }>,
  clock?: () => number,
): { local: LocalCloud; db: SdkDb } {
  const local = startLocalCloud({
    collectionsDir: '/nonexistent',
    collections: collections.map((c) => ({ indexes: [], ...c })),
    ...(clock ? { clock } : {}),
  })
  return { local, db: cloud.database() }
}

/** The SDK's error shape: errCode (number) and errMsg. */
export interface SdkError {
  errCode: number
  errMsg: string
}

export async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p
  } catch (e) {
    return e as SdkError
  }
  throw new Error('expected the SDK call to fail')
}

export { cloud }
