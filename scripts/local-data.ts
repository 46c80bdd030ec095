// What the small local-data scripts (seed, roles, cash-demo) share: run against the local cloud
// on a data file (created if missing, closed after), and report a failure as a CLI does.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { startLocalCloud } from '../emulator'

/** Runs `fn` with the local cloud open on `file`, then closes it whatever happened. */
export async function onLocalData<T>(file: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true })
  const cloud = startLocalCloud({ file })
  try {
    return await fn()
  } finally {
    cloud.close()
  }
}

/** A script's entry point: its error message on stderr and exit code 1 on failure. */
export function runCli(cli: () => Promise<void>): void {
  cli().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  })
}
