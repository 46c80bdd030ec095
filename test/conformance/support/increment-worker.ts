// A second process writing the same SQLite file (file-store.test.ts): N read-modify-write
// transactions on one document through the store, each retried on conflict; prints its count.
// It starts on a line from the parent and yields inside each transaction as the parent does, so
// that the two overlap even when one process is scheduled late on a loaded machine.
import { DocumentStore } from '../../../emulator/db/store'
import { incrementOnce } from './increment'

const [file, countText] = process.argv.slice(2)
const store = new DocumentStore({
  file,
  collectionsDir: '/nonexistent',
  collections: [{ collection: 'counters', indexes: [] }],
})
let conflicts = 0
process.stdout.write('ready\n')
async function run(): Promise<void> {
  for (let i = 0; i < Number(countText); i++) {
    while (!(await incrementOnce(store, () => new Promise((r) => setImmediate(r))))) conflicts++
  }
  store.close()
  process.stdout.write(`${JSON.stringify({ conflicts })}\n`)
}
process.stdin.once('data', () => void run())
