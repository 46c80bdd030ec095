// `npm run data:import -- <dir> [--file <sqlite>] [--replace]`: an export (npm run data:export)
// into a local data file — a fresh one by default; --replace overwrites the exported documents of
// a file that has data. Stop `npm start` first (or import into another file and point
// WAL_DATA_FILE at it).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { DocumentStore } from '../emulator/db/store'
import { importData } from './data-files'
import { runCli } from './local-data'
import { dataFile } from './seed'

async function cli(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { file: { type: 'string' }, replace: { type: 'boolean', default: false } },
    allowPositionals: true,
  })
  const dir = positionals[0]
  if (!dir) throw new Error('usage: npm run data:import -- <dir> [--file <sqlite>] [--replace]')
  const file = path.resolve(values.file ?? dataFile())
  mkdirSync(path.dirname(file), { recursive: true })
  const store = new DocumentStore({ file, collectionsDir: '/nonexistent' })
  try {
    const counts = importData(store, path.resolve(dir), { replace: values.replace })
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    console.log(
      `imported ${total} documents in ${Object.keys(counts).length} collections into ${file}`,
    )
  } finally {
    store.close()
  }
}

if (require.main === module) runCli(cli)
