// `npm run data:export -- <dir> [--file <sqlite>]`: the local cloud's collections as JSON files
// (scripts/data-files.ts), from the data file `npm start` uses (WAL_DATA_FILE, .data/local.sqlite).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { DocumentStore } from '../emulator/db/store'
import { exportData } from './data-files'
import { runCli } from './local-data'
import { dataFile } from './seed'

async function cli(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { file: { type: 'string' } },
    allowPositionals: true,
  })
  const dir = positionals[0]
  if (!dir) throw new Error('usage: npm run data:export -- <dir> [--file <sqlite>]')
  const file = path.resolve(values.file ?? dataFile())
  if (!existsSync(file)) throw new Error(`${file} does not exist (npm start creates it)`)
  // The file as it is: its own collections and indexes, nothing declared added.
  const store = new DocumentStore({ file, collectionsDir: '/nonexistent' })
  try {
    const counts = exportData(store, path.resolve(dir))
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    console.log(
      `exported ${total} documents in ${Object.keys(counts).length} collections from ${file} to ${path.resolve(dir)}`,
    )
  } finally {
    store.close()
  }
}

if (require.main === module) runCli(cli)
