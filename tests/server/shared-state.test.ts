import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, test } from 'vitest'
import { createApp } from '../../server/app.js'
import { SharedRateLimiter } from '../../server/auth/rate-limit.js'
import { hashPassword } from '../../server/auth/passwords.js'
import { openSqlite } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'
import { TEST_NOW, TEST_SECRET } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'

// Two apps, each with its own connection to one database file: what two server processes share.
const dir = mkdtempSync(join(tmpdir(), 'atlas-shared-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function twoConnections() {
  const file = join(dir, `atlas-${Math.random().toString(36).slice(2)}.sqlite`)
  const first = openSqlite(file)
  await prepareDatabase(first)
  return [first, openSqlite(file)] as const
}

test('the upload limit is counted in the database: 30 uploads a minute in all, however many processes take them', async () => {
  const [a, b] = await twoConnections()
  const viaA = new SharedRateLimiter(a, 'upload', 30, 60_000)
  const viaB = new SharedRateLimiter(b, 'upload', 30, 60_000)
  const t = TEST_NOW.getTime()
  for (let i = 0; i < 15; i++) assert.equal(viaA.hit('u7', t + i), 0)
  for (let i = 0; i < 15; i++) assert.equal(viaB.hit('u7', t + 100 + i), 0)
  assert.equal(viaA.hit('u7', t + 1_000), 59, 'the 31st in the minute waits for the window to end')
  assert.equal(viaB.hit('u8', t + 1_000), 0, 'another user counts alone')
  assert.equal(viaB.hit('u7', t + 60_000), 0, 'a new window starts after a minute')
})

test('failed sign-ins spread over two processes lock the account after five in all', async () => {
  const [a, b] = await twoConnections()
  a.sqlite.prepare(`INSERT INTO users (username, username_key, display_name, role, password_hash, password_changed_at, created_at, updated_at)
    VALUES ('liwei', 'liwei', '李伟', 'analyst', ?, ?, ?, ?)`).run(await hashPassword('Hx7-lantern-Quay'), TEST_NOW.toISOString(), TEST_NOW.toISOString(), TEST_NOW.toISOString())
  const deps = { now: () => TEST_NOW, sessionSecret: TEST_SECRET, sleep: async () => {} }
  const appA = createApp({ ...deps, db: a })
  const appB = createApp({ ...deps, db: b })
  for (const app of [appA, appB, appA, appB]) assert.equal((await signIn(app, 'liwei', 'wrong-password-1')).status, 401)
  assert.equal(a.sqlite.prepare(`SELECT locked_until FROM users WHERE username = 'liwei'`).pluck().get(), null, 'four failures: not locked yet')
  assert.equal((await signIn(appB, 'liwei', 'wrong-password-1')).status, 401)
  assert.ok(b.sqlite.prepare(`SELECT locked_until FROM users WHERE username = 'liwei'`).pluck().get(), 'the fifth, through the other process, locks it')
  assert.equal((await signIn(appA, 'liwei', 'Hx7-lantern-Quay')).status, 401, 'locked for both processes, even against the right password')
})
