import { randomBytes } from 'node:crypto'
import { openDatabase } from '../../server/db/connect.js'
import { hashPassword } from '../../server/auth/passwords.js'
import { newTotpSecret, totpCode } from '../../server/auth/two-factor.js'
import { request } from 'node:http'

/**
 * Signs the benchmark in as an administrator (who sees every feature, like the PostGIS side): after the
 * server has migrated the database, a user `bench-admin` with a fresh random password and authenticator
 * key is written into it and signed in through the real two-step sign-in. Returns the session cookie.
 */
export async function benchSession(databaseUrl: string, url: string): Promise<string> {
  const password = randomBytes(18).toString('base64url')
  const secret = newTotpSecret()
  const hash = await hashPassword(password)
  const db = openDatabase(databaseUrl)
  try {
    const at = new Date().toISOString()
    const { id } = await db.kysely.insertInto('users').values({
      username: 'bench-admin', username_key: 'bench-admin', display_name: '基准测试', role: 'admin', department_id: null,
      password_hash: hash, password_changed_at: at, created_at: at, updated_at: at,
    }).onConflict((oc) => oc.column('username_key').doUpdateSet({
      password_hash: hash, password_changed_at: at, role: 'admin', disabled: 0, failed_count: 0, locked_until: null,
    })).returning('id').executeTakeFirstOrThrow()
    await db.kysely.insertInto('user_two_factor').values({ user_id: id, secret, enabled_at: at, last_step: 0, created_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret, enabled_at: at, last_step: 0 })).execute()
  } finally {
    await db.close()
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
