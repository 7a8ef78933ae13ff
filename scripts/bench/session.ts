import { randomBytes } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { hashPassword } from '../../server/auth/passwords.js'
import { newTotpSecret, totpCode } from '../../server/auth/two-factor.js'
import { request } from 'node:http'

/**
 * Signs the benchmark in as an administrator (who sees every feature, like the PostGIS side): after the
 * server has migrated the database, a user `bench-admin` with a fresh random password and authenticator
 * key is written into it and signed in through the real two-step sign-in. Returns the session cookie.
 */
export async function benchSession(dbFile: string, url: string): Promise<string> {
  const password = randomBytes(18).toString('base64url')
  const secret = newTotpSecret()
  const hash = await hashPassword(password)
  const db = new BetterSqlite3(dbFile)
  try {
    db.pragma('busy_timeout = 5000')
    const at = new Date().toISOString()
    db.prepare(`INSERT INTO users (username, username_key, display_name, role, department_id, password_hash, password_changed_at, created_at, updated_at)
      VALUES ('bench-admin', 'bench-admin', '基准测试', 'admin', NULL, ?, ?, ?, ?)
      ON CONFLICT (username_key) DO UPDATE SET password_hash = excluded.password_hash, password_changed_at = excluded.password_changed_at, role = 'admin',
        disabled = 0, failed_count = 0, locked_until = NULL`)
      .run(hash, at, at, at)
    const id = db.prepare(`SELECT id FROM users WHERE username_key = 'bench-admin'`).pluck().get() as number
    db.prepare(`INSERT INTO user_two_factor (user_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, ?, 0, ?)
      ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, enabled_at = excluded.enabled_at, last_step = 0`).run(id, secret, at, at)
  } finally {
    db.close()
  }
  const pending = await post(`${url}/api/auth/sign-in`, { username: 'bench-admin', password }, '', 202)
  return post(`${url}/api/auth/sign-in/code`, { code: totpCode(secret, new Date()) }, pending, 200)
}

/** POSTs JSON with a cookie; resolves with the cookie the answer sets. */
function post(url: string, json: unknown, cookie: string, status: number): Promise<string> {
  const body = JSON.stringify(json)
  return new Promise<string>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(cookie ? { cookie } : {}) }
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume()
      const set = res.headers['set-cookie']?.find((c) => !/Max-Age=0/i.test(c))
      if (res.statusCode !== status || !set) reject(new Error(`bench sign-in failed: ${res.statusCode}`))
      else resolve(set.split(';')[0]!)
    })
    req.on('error', reject)
    req.end(body)
  })
}
