import { randomBytes } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { hashPassword } from '../../server/auth/passwords.js'
import { request } from 'node:http'

/**
 * Signs the benchmark in as an administrator (who sees every feature, like the PostGIS side): after the
 * server has migrated the database, a user `bench-admin` with a fresh random password is written into it
 * and signed in through the real sign-in endpoint. Returns the session cookie.
 */
export async function benchSession(dbFile: string, url: string): Promise<string> {
  const password = randomBytes(18).toString('base64url')
  const hash = await hashPassword(password)
  const db = new BetterSqlite3(dbFile)
  try {
    db.pragma('busy_timeout = 5000')
    const at = new Date().toISOString()
    db.prepare(`INSERT INTO users (username, username_key, display_name, role, department_id, password_hash, password_changed_at, created_at, updated_at)
      VALUES ('bench-admin', 'bench-admin', '基准测试', 'admin', NULL, ?, ?, ?, ?)
      ON CONFLICT (username_key) DO UPDATE SET password_hash = excluded.password_hash, role = 'admin', disabled = 0, failed_count = 0, locked_until = NULL`)
      .run(hash, at, at, at)
  } finally {
    db.close()
  }
  const body = JSON.stringify({ username: 'bench-admin', password })
  const cookie = await new Promise<string>((resolve, reject) => {
    const req = request(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      const set = res.headers['set-cookie']?.[0]
      if (res.statusCode !== 200 || !set) reject(new Error(`bench sign-in failed: ${res.statusCode}`))
      else resolve(set.split(';')[0]!)
    })
    req.on('error', reject)
    req.end(body)
  })
  return cookie
}
