import type { Db } from '../db/connect.js'
import { hashPassword, passwordProblem, randomPassword } from './passwords.js'
import { countUsers, insertUser } from './queries.js'

const FIRST_ADMIN = 'admin'

/**
 * There is no default password: on a database without users, the first administrator is created with
 * the password from ADMIN_PASSWORD (checked like any other) or a random one that the caller prints once.
 */
export async function ensureAdministrator(db: Db, given: string | null, now: Date): Promise<{ username: string; password: string; generated: boolean } | null> {
  if (await countUsers(db) > 0) return null
  if (given !== null) {
    const problem = passwordProblem(given, FIRST_ADMIN)
    if (problem) throw new Error(`invalid configuration:\n  ADMIN_PASSWORD: ${problem}`)
  }
  const password = given ?? randomPassword()
  await insertUser(db, FIRST_ADMIN, { displayName: '系统管理员', role: 'admin', departmentId: null, clearances: [] }, await hashPassword(password), now)
  return { username: FIRST_ADMIN, password, generated: given === null }
}
