// Records of the `roles` collection: the committee's roles per WeChat user (`_id` = openid),
// written by an operator (scripts/roles.ts locally, the console in CloudBase), never by a function.
import { getDb, readDoc } from '../db'

export const ROLES = 'roles'

export type Role = 'organiser'

/** Roles come from the `roles` collection (`_id` = openid), never from the request. */
export async function hasRole(openid: string, role: Role): Promise<boolean> {
  const doc = await readDoc<{ roles?: unknown }>(getDb().collection(ROLES).doc(openid))
  return Array.isArray(doc?.roles) && doc.roles.includes(role)
}
