// One read-modify-write increment of counters/c in a store transaction (file-store.test.ts and
// its second process), committed as the SDK's requests commit (group commit): true when it
// committed, false when it lost to a concurrent change.
import type { DocumentStore } from '../../../emulator/db/store'

export async function incrementOnce(
  store: DocumentStore,
  /** Runs between the read and the write (the test yields there, so that others commit). */
  between: () => Promise<void> | void = () => {},
): Promise<boolean> {
  const txn = store.startTransaction()
  const doc = store.find('counters', { _id: 'c' }, {}, txn)[0] as { n: number }
  await between()
  store.modify(
    'counters',
    { _id: 'c' },
    { $set: { n: doc.n + 1 } },
    { multi: false, merge: true, upsert: false },
    txn,
  )
  try {
    await store.commitQueued(txn)
    return true
  } catch (e) {
    if ((e as { code?: string }).code !== 'DATABASE_TRANSACTION_CONFLICT') throw e
    return false
  }
}
