// A second process writing the same SQLite file (file-store.test.ts): N read-modify-write
// transactions on one document through the store, each retried on conflict; prints its count.
import { DocumentStore } from '../../../emulator/db/store'

const [file, countText] = process.argv.slice(2)
const store = new DocumentStore({
  file,
  collectionsDir: '/nonexistent',
  collections: [{ collection: 'counters', indexes: [] }],
})
let conflicts = 0
process.stdout.write('ready\n')
for (let i = 0; i < Number(countText); i++) {
  for (;;) {
    const txn = store.startTransaction()
    const doc = store.find('counters', { _id: 'c' }, {}, txn)[0] as { n: number }
    store.modify(
      'counters',
      { _id: 'c' },
      { $set: { n: doc.n + 1 } },
      { multi: false, merge: true, upsert: false },
      txn,
    )
    try {
      store.commit(txn)
      break
    } catch (e) {
      if ((e as { code?: string }).code !== 'DATABASE_TRANSACTION_CONFLICT') throw e
      conflicts++
    }
  }
}
store.close()
process.stdout.write(`${JSON.stringify({ conflicts })}\n`)
