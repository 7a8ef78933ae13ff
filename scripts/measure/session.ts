import { randomBytes } from 'node:crypto'
import { openSqlite } from '../../server/db/connect.js'
import { createSession } from '../../tests/helpers/app.js'
import type { Role } from '../../server/domain/enums.js'

/**
 * Sessions for the in-process measurement scripts: temporary users are written into the database
 * with live sessions under a one-off secret (create the app under measurement with `secret`), and
 * removed again when the process exits. `cookie(role, department)` gives one user's session cookie.
 */
export function measurementSessions(dbFile: string, now: Date) {
  const secret = randomBytes(32).toString('base64url')
  const db = openSqlite(dbFile)
  if (!db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'users'`).get()) {
    throw new Error(`${dbFile} predates accounts: start the server on it once (npm start) to migrate it`)
  }
  const users: number[] = []
  process.on('exit', () => {
    for (const id of users) db.sqlite.prepare(`DELETE FROM users WHERE id = ?`).run(id)
    db.sqlite.close()
  })
  return {
    secret,
    async cookie(role: Role = 'admin', departmentId: number | null = null): Promise<string> {
      const s = await createSession(db, { role, departmentId, username: `measure-${randomBytes(4).toString('hex')}` }, now, secret)
      users.push(s.userId)
      return s.cookie
    },
  }
}
