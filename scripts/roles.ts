// `npx tsx scripts/roles.ts grant|revoke <openid> organiser [--file <data.sqlite>]`: sets a role in
// the local cloud's `roles` collection. Roles are never written by a cloud function and never
// taken from a request; in CloudBase an operator edits `roles` in the console (docs/operations.md).
import path from 'node:path'
import { getDb, readDoc } from '../server/db'
import { ROLES, type Role } from '../server/records/roles'
import { dataFile } from './seed'
import { onLocalData, runCli } from './local-data'

const KNOWN: readonly Role[] = ['organiser']

/** The roles of `openid` after granting or revoking `role`. */
async function setRole(openid: string, role: Role, grant: boolean): Promise<string[]> {
  const ref = getDb().collection(ROLES).doc(openid)
  const current = (await readDoc<{ roles?: string[] }>(ref))?.roles ?? []
  const roles = grant ? [...new Set([...current, role])] : current.filter((r) => r !== role)
  await ref.set({ data: { roles, updatedAt: new Date() } })
  return roles
}

async function cli(): Promise<void> {
  const [verb, openid, role] = process.argv.slice(2)
  if ((verb !== 'grant' && verb !== 'revoke') || !openid || !KNOWN.includes(role as Role)) {
    console.error(
      'usage: npx tsx scripts/roles.ts grant|revoke <openid> organiser [--file <data.sqlite>]',
    )
    process.exitCode = 2
    return
  }
  const at = process.argv.indexOf('--file')
  const file = at >= 0 ? path.resolve(process.argv[at + 1] ?? '') : dataFile()
  await onLocalData(file, async () => {
    const roles = await setRole(openid, role as Role, verb === 'grant')
    console.log(`${openid}: roles [${roles.join(', ')}] in ${file}`)
  })
}

if (require.main === module) runCli(cli)
