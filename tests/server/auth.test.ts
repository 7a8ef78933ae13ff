import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'vitest'
import { createApp } from '../../server/app.js'
import { ensureAdministrator } from '../../server/auth/bootstrap.js'
import { hashPassword, scryptCost } from '../../server/auth/passwords.js'
import { updateUser } from '../../server/auth/queries.js'
import { loadConfig } from '../../server/config.js'
import type { Db } from '../../server/db/connect.js'
import { createSession, smallCatalog, testApp, TEST_NOW, TEST_SECRET, YUBEI_A, type TestSession } from '../helpers/app.js'
import { bodyOf, call, signIn } from '../helpers/auth.js'
import { freshDatabase, testEngine } from '../helpers/database.js'

type App = Awaited<ReturnType<typeof testApp>>
const MINUTE = 60_000
const GOOD_PASSWORD = 'Hx7-lantern-Quay'



/** Creates a user through the administration API, so the password is really hashed. */
async function createUser(t: App, username: string, password: string, o: { role?: string; departmentId?: number | null } = {}) {
  const r = await call(t, t.admin, 'POST', '/api/admin/users', { username, password, displayName: username, role: o.role ?? 'analyst', departmentId: o.departmentId ?? null })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  return r.body as { id: number; username: string }
}


const sessionCount = async (t: App, userId: number) =>
  Number((await t.db.kysely.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n)
const passwordHash = async (t: App, username: string) =>
  (await t.db.kysely.selectFrom('users').select('password_hash').where('username', '=', username).executeTakeFirstOrThrow()).password_hash
/** The rows of a table. */
const rowCount = async (db: Db, table: 'departments' | 'users' | 'kiosk_links') =>
  Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

test('sign-in sets an HttpOnly, SameSite=Strict session cookie (Secure over https) and answers with the user, permissions and CSRF token', async () => {
  const t = await testApp()
  const user = await createUser(t, 'wangfang', GOOD_PASSWORD)
  const hash = await passwordHash(t, 'wangfang')
  assert.match(hash, /^scrypt\$/)
  assert.equal(hash.includes(GOOD_PASSWORD), false)

  const plain = await signIn(t.raw, 'wangfang', GOOD_PASSWORD)
  assert.equal(plain.status, 200)
  const cookie = plain.setCookie.find((c) => c.startsWith('csa_session='))!
  assert.ok(cookie, 'a csa_session cookie is set')
  assert.match(cookie, /; HttpOnly/i)
  assert.match(cookie, /; SameSite=Strict/i)
  assert.match(cookie, /; Path=\//i)
  assert.doesNotMatch(cookie, /; Secure/i)
  assert.equal(plain.body.user.id, user.id)
  assert.equal(plain.body.user.username, 'wangfang')
  assert.equal(plain.body.user.role, 'analyst')
  assert.deepEqual(plain.body.permissions, { view: true, export: true, edit: 'none', admin: false })
  assert.match(plain.body.csrfToken, /^[A-Za-z0-9_-]{20,}$/)
  // The cookie works: the session answers with this user.
  const me = await call(t, plain.session, 'GET', '/api/auth/session')
  assert.equal(me.body.user.username, 'wangfang')
  assert.equal(me.body.csrfToken, plain.body.csrfToken)

  const secure = await signIn(t.raw, 'wangfang', GOOD_PASSWORD, 'https://atlas.example.gov.cn/api/auth/sign-in')
  assert.equal(secure.status, 200)
  assert.match(secure.setCookie.find((c) => c.startsWith('csa_session='))!, /; Secure/i)
})

test('a wrong password, an unknown user, a locked and a disabled account all get the same 401', async () => {
  const t = await testApp()
  await createUser(t, 'lisi', GOOD_PASSWORD)
  const locked = await createUser(t, 'zhaoliu', GOOD_PASSWORD)
  const disabled = await createUser(t, 'sunqi', GOOD_PASSWORD)
  for (let i = 0; i < 5; i++) assert.equal((await signIn(t.raw, 'zhaoliu', 'not-the-password')).status, 401)
  assert.ok((await t.db.kysely.selectFrom('users').select('locked_until').where('id', '=', locked.id).executeTakeFirstOrThrow()).locked_until, 'five failures lock the account')
  const before = await signIn(t.raw, 'sunqi', GOOD_PASSWORD)
  assert.equal((await call(t, before.session, 'GET', '/api/stats/overview')).status, 200)
  const off = await call(t, t.admin, 'PUT', `/api/admin/users/${disabled.id}`, { displayName: 'sunqi', role: 'analyst', departmentId: null, clearances: [], disabled: true })
  assert.equal(off.status, 200)
  assert.equal((await call(t, before.session, 'GET', '/api/stats/overview')).status, 401, 'disabling ends the live session')

  const answers = [
    await signIn(t.raw, 'lisi', 'wrong-password-1'),
    await signIn(t.raw, 'nobody-here', GOOD_PASSWORD),
    await signIn(t.raw, 'zhaoliu', GOOD_PASSWORD),
    await signIn(t.raw, 'sunqi', GOOD_PASSWORD),
  ]
  for (const a of answers) {
    assert.equal(a.status, 401)
    assert.equal(a.session, null)
    assert.deepEqual(a.setCookie.filter((c) => c.startsWith('csa_session=') && !/Max-Age=0/i.test(c)), [])
  }
  const shapes = answers.map((a) => JSON.stringify(a.body))
  assert.equal(new Set(shapes).size, 1, shapes.join('\n'))
  assert.equal(answers[0]!.body.error.code, 'sign_in_failed')
  assert.match(answers[0]!.body.error.message, /用户名或密码错误/)
})

test('the last active administrator cannot be demoted or disabled, not even by two changes at once', async () => {
  const t = await testApp()
  const activeAdmins = async () => Number((await t.db.kysely.selectFrom('users').select((eb) => eb.fn.countAll().as('n'))
    .where('role', '=', 'admin').where('disabled', '=', 0).executeTakeFirstOrThrow()).n)
  const me = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'test-admin').executeTakeFirstOrThrow()).id
  const change = (id: number, username: string, o: { role: string; disabled: boolean }) =>
    call(t, t.admin, 'PUT', `/api/admin/users/${id}`, { displayName: username, role: o.role, departmentId: null, clearances: [], disabled: o.disabled })
  assert.equal(await activeAdmins(), 1)
  const alone = await change(me, 'test-admin', { role: 'analyst', disabled: false })
  assert.equal(alone.status, 409)
  assert.equal(alone.body.error.code, 'last_admin')
  assert.equal((await change(me, 'test-admin', { role: 'admin', disabled: true })).body.error.code, 'last_admin')

  const other = await createUser(t, 'admin-b', GOOD_PASSWORD, { role: 'admin' })
  assert.equal((await change(other.id, 'admin-b', { role: 'admin', disabled: false })).status, 200, 'a change that keeps an administrator active is fine')
  assert.equal(await activeAdmins(), 2)
  // Two changes at once, each leaving the other administrator (made on the database: through the API, each would also end the session of the other's request).
  const fields = { displayName: 'x', departmentId: null, clearances: [] }
  const both = await Promise.all([
    updateUser(t.db, me, { ...fields, role: 'analyst', disabled: false }, TEST_NOW),
    updateUser(t.db, other.id, { ...fields, role: 'admin', disabled: true }, TEST_NOW),
  ])
  assert.deepEqual(both.sort(), [false, true], 'of two changes at once, the one that would leave no administrator is refused')
  assert.equal(await activeAdmins(), 1)
})

// On SQLite one writer at a time changes the database; on PostgreSQL two transactions run at once, and
// the check must see a change to the other administrator that commits while it waits.
test.skipIf(testEngine() !== 'postgres')('PostgreSQL: disabling an administrator waits for a change to the other one in progress, then sees it', async () => {
  const t = await testApp()
  const me = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'test-admin').executeTakeFirstOrThrow()).id
  const other = await createUser(t, 'admin-c', GOOD_PASSWORD, { role: 'admin' })
  let commit!: () => void
  let demoted!: () => void
  const held = new Promise<void>((r) => (commit = r))
  const inProgress = new Promise<void>((r) => (demoted = r))
  const demotion = t.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ role: 'analyst' }).where('id', '=', me).execute()
    demoted()
    await held
  })
  await inProgress
  const disabling = updateUser(t.db, other.id, { displayName: 'admin-c', departmentId: null, clearances: [], role: 'admin', disabled: true }, TEST_NOW)
  await new Promise((r) => setTimeout(r, 300))
  commit()
  await demotion
  assert.equal(await disabling, false, 'the other administrator is the last one now')
  assert.equal((await t.db.kysely.selectFrom('users').select('disabled').where('id', '=', other.id).executeTakeFirstOrThrow()).disabled, 0)
})

test('five wrong passwords lock the account for 15 minutes, even against the right password; unlocking lifts it', async () => {
  let now = TEST_NOW
  const t = await testApp({ now: () => now })
  await createUser(t, 'chenjing', GOOD_PASSWORD)
  const other = await createUser(t, 'zhouhui', GOOD_PASSWORD)
  for (let i = 0; i < 5; i++) assert.equal((await signIn(t.raw, 'chenjing', `wrong-${i}-password`)).status, 401)
  const sixth = await signIn(t.raw, 'chenjing', GOOD_PASSWORD)
  assert.equal(sixth.status, 401)
  assert.equal(sixth.body.error.code, 'sign_in_failed')
  now = new Date(TEST_NOW.getTime() + 14 * MINUTE)
  assert.equal((await signIn(t.raw, 'chenjing', GOOD_PASSWORD)).status, 401, 'still locked after 14 minutes')
  now = new Date(TEST_NOW.getTime() + 15 * MINUTE + 1000)
  assert.equal((await signIn(t.raw, 'chenjing', GOOD_PASSWORD)).status, 200, 'free again after 15 minutes')

  // An administrator can lift a lock before the 15 minutes are up.
  for (let i = 0; i < 5; i++) assert.equal((await signIn(t.raw, 'zhouhui', `wrong-${i}-password`)).status, 401)
  assert.equal((await signIn(t.raw, 'zhouhui', GOOD_PASSWORD)).status, 401)
  const unlocked = await call(t, t.admin, 'POST', `/api/admin/users/${other.id}/unlock`)
  assert.equal(unlocked.status, 204)
  const after = await signIn(t.raw, 'zhouhui', GOOD_PASSWORD)
  assert.equal(after.status, 200)
  assert.equal(after.body.user.username, 'zhouhui')
})

test('guessing one name is bounded: each failure doubles the wait before its next attempt (up to 20 s), so at most three tries a minute', async () => {
  // The app's clock moves only when the app waits: the test sees exactly how long guessing takes.
  let now = TEST_NOW.getTime()
  const t = await testApp({ now: () => new Date(now), sleep: async (ms) => void (now += ms) })
  const answeredAt: number[] = []
  for (let i = 0; i < 12; i++) {
    const r = await signIn(t.raw, i % 2 ? 'No-Such-User' : 'no-such-user', `guess-${i}-password`)
    assert.equal(r.status, 401, `attempt ${i + 1}`)
    answeredAt.push(now)
  }
  const gaps = answeredAt.slice(1).map((at, i) => at - answeredAt[i]!)
  // 1, 2, 4, 8, 16 s after the first five failures, then 20 s (the answer's own delay comes on top).
  for (const [i, wait] of [1000, 2000, 4000, 8000, 16_000].entries()) assert.ok(gaps[i]! >= wait, `gap ${i + 1}: ${gaps[i]} ms`)
  for (const gap of gaps.slice(5)) assert.ok(gap >= 20_000, `after five failures at most three tries a minute (gap ${gap} ms)`)

  // In parallel it is no faster: attempts for one name run one at a time, three may queue, the rest get 429.
  const start = now
  const parallel = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(t.raw, 'another-name', `parallel-${i}-password`)))
  const statuses = parallel.map((r) => r.status).sort()
  assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429, 429, 429, 429, 429])
  const refused = parallel.find((r) => r.status === 429)!
  assert.equal(refused.body.error.code, 'rate_limited')
  assert.ok(Number(refused.headers.get('retry-after')) > 0)
  assert.ok(now - start >= 1000 + 2000 + 4000, `the four attempts waited for each other (${now - start} ms)`)
  // An existing account also locks after five failures, as before (the lockout test above).
})

test('an office behind one address: 35 failed sign-ins from it for other names never refuse a colleague\'s right password', async () => {
  const t = await testApp()
  await createUser(t, 'colleague', GOOD_PASSWORD)
  for (let i = 0; i < 35; i++) {
    const r = await signIn(t.raw, `visitor-${i % 7}`, `wrong-${i}-password`)
    assert.equal(r.status, 401, `failure ${i + 1}`)
  }
  // The failures were slowed down: the answers from this address were held back, growing to 10 s.
  assert.equal(Math.max(...t.slept), 10_000, `delays asked for: ${t.slept.join(', ')}`)
  const delaysBefore = t.slept.length
  const colleague = await signIn(t.raw, 'colleague', GOOD_PASSWORD)
  assert.equal(colleague.status, 200, JSON.stringify(colleague.body))
  assert.equal(t.slept.length, delaysBefore, 'the right password was answered at once')
})

test('a right password gets through while failures from the same address are held back, and the held-back ones are bounded', async () => {
  // Every wait of the app blocks until the test lets it go.
  const held: (() => void)[] = []
  const t = await testApp({ sleep: () => new Promise<void>((resolve) => held.push(resolve)) })
  await createUser(t, 'colleague', GOOD_PASSWORD)
  const settled: number[] = []
  const failures = Array.from({ length: 25 }, (_, i) => signIn(t.raw, `guess-${i}`, 'not-the-password').then((r) => {
    settled.push(r.status)
    return r.status
  }))
  // Five failures are answered at once; from the sixth on the answers wait, at most ten of them; the rest get 429.
  for (const deadline = Date.now() + 30_000; settled.length < 15 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20))
  await new Promise((r) => setTimeout(r, 100))
  assert.equal(held.length, 10, 'ten answers held back')
  assert.deepEqual([...settled].sort(), [...Array(5).fill(401), ...Array(10).fill(429)])

  const colleague = await signIn(t.raw, 'colleague', GOOD_PASSWORD)
  assert.equal(colleague.status, 200, JSON.stringify(colleague.body))
  assert.equal(held.length, 10, 'the right password waited for nothing')

  for (const release of held.splice(0)) release()
  const statuses = await Promise.all(failures)
  assert.equal(statuses.filter((s) => s === 401).length, 15)
})

test('the wait after a failure is a timer: the server answers other requests meanwhile', async () => {
  const t = await testApp()
  // The app's own default: real time, a real timer.
  const app = createApp({ db: t.db, now: () => new Date(), sessionSecret: TEST_SECRET })
  assert.equal((await signIn(app, 'timer-user', 'first-wrong-password')).status, 401)
  const started = performance.now()
  const second = signIn(app, 'timer-user', 'second-wrong-password').then((r) => ({ status: r.status, ms: performance.now() - started }))
  const meta = await app.request('/api/auth/session')
  const metaMs = performance.now() - started
  assert.equal(meta.status, 200)
  const answered = await second
  assert.equal(answered.status, 401)
  assert.ok(answered.ms >= 950, `the second attempt waited a second (${Math.round(answered.ms)} ms)`)
  assert.ok(metaMs < answered.ms - 500, `another request was answered during the wait (${Math.round(metaMs)} ms)`)
})

test('colleagues signing in from one office address (a shared NAT) are not rate-limited by each other\'s successful sign-ins', async () => {
  const t = await testApp()
  const hash = await hashPassword(GOOD_PASSWORD)
  const names = Array.from({ length: 25 }, (_, i) => `staff-${i}`)
  for (const username of names) {
    const s = await createSession(t.db, { role: 'leader', username })
    await t.db.kysely.updateTable('users').set({ password_hash: hash }).where('id', '=', s.userId).execute()
  }
  await t.db.versions.refresh()
  const statuses = []
  for (const username of names) statuses.push((await signIn(t.raw, username, GOOD_PASSWORD)).status)
  assert.deepEqual(statuses, names.map(() => 200))
})

test('the password policy refuses short, common and name-containing passwords with a Chinese message naming the field', async () => {
  const t = await testApp()
  const weak = ['Ab1-xyz', '12345678', 'password123', 'qwertyuiop', 'Liming-2026!']
  for (const password of weak) {
    const r = await call(t, t.admin, 'POST', '/api/admin/users', { username: 'liming', password, displayName: '李明', role: 'leader', departmentId: null })
    assert.equal(r.status, 400, password)
    assert.equal(r.body.error.details.parameter, 'password', password)
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, password)
  }
  const liming = await t.db.kysely.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('username', '=', 'liming').executeTakeFirstOrThrow()
  assert.equal(Number(liming.n), 0)
  const user = await createUser(t, 'liming', GOOD_PASSWORD, { role: 'leader' })
  const a = await signIn(t.raw, 'liming', GOOD_PASSWORD)
  const b = await signIn(t.raw, 'liming', GOOD_PASSWORD)
  assert.equal(await sessionCount(t, user.id), 2)

  for (const newPassword of weak) {
    const r = await call(t, a.session, 'POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword })
    assert.equal(r.status, 400, newPassword)
    assert.equal(r.body.error.details.parameter, 'newPassword', newPassword)
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, newPassword)
  }
  const hashBefore = await passwordHash(t, 'liming')
  const wrongCurrent = await call(t, a.session, 'POST', '/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'Fresh-meadow-42' })
  assert.equal(wrongCurrent.status, 401)
  assert.equal(await passwordHash(t, 'liming'), hashBefore, 'nothing changes')
  assert.equal(await sessionCount(t, user.id), 2)

  const changed = await call(t, a.session, 'POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: 'Fresh-meadow-42' })
  assert.equal(changed.status, 204)
  assert.equal((await signIn(t.raw, 'liming', GOOD_PASSWORD)).status, 401, 'the old password fails')
  // The session that changed it stays; the other one ends.
  assert.equal((await call(t, a.session, 'GET', '/api/stats/overview')).status, 200)
  assert.equal((await call(t, b.session, 'GET', '/api/stats/overview')).status, 401)
  assert.equal((await signIn(t.raw, 'liming', 'Fresh-meadow-42')).status, 200, 'the new password works')
})

test('a session idle for 30 minutes ends; activity every 20 minutes keeps it for at most 12 hours', async () => {
  let now = TEST_NOW
  const t = await testApp({ now: () => now })
  const at = (ms: number) => { now = new Date(TEST_NOW.getTime() + ms) }
  const busy = await createSession(t.db, { role: 'analyst' })
  const idle = await createSession(t.db, { role: 'analyst' })
  const active = await createSession(t.db, { role: 'leader' })

  at(30 * MINUTE - 1000)
  assert.equal((await call(t, busy, 'GET', '/api/stats/overview')).status, 200)
  at(30 * MINUTE)
  const expired = await call(t, idle, 'GET', '/api/stats/overview')
  assert.equal(expired.status, 401)
  assert.equal(expired.body.error.code, 'unauthenticated')
  assert.equal(await sessionCount(t, idle.userId), 0, 'the idle session is deleted')
  assert.equal((await call(t, idle, 'GET', '/api/auth/session')).body.user, null)
  assert.equal((await call(t, busy, 'GET', '/api/stats/overview')).status, 200, 'used a second ago: still alive')

  // Activity every 20 minutes: each request moves last_seen, until the 12-hour limit.
  const lastSeen = async (s: TestSession) =>
    (await t.db.kysely.selectFrom('sessions').select('last_seen_at').where('user_id', '=', s.userId).executeTakeFirstOrThrow()).last_seen_at
  for (let m = 20; m < 12 * 60; m += 20) {
    at(m * MINUTE)
    assert.equal((await call(t, active, 'GET', '/api/stats/overview')).status, 200, `minute ${m}`)
    assert.equal(await lastSeen(active), now.toISOString())
  }
  at(12 * 60 * MINUTE - 30_000)
  assert.equal((await call(t, active, 'GET', '/api/stats/overview')).status, 200)
  const seen = await lastSeen(active)
  // last_seen is written at most once a minute: a request 29 s after the last write does not move it.
  at(12 * 60 * MINUTE - 1000)
  assert.equal((await call(t, active, 'GET', '/api/stats/overview')).status, 200)
  assert.equal(await lastSeen(active), seen, 'not rewritten within a minute')
  at(12 * 60 * MINUTE)
  assert.equal((await call(t, active, 'GET', '/api/stats/overview')).status, 401, '12 hours after sign-in, even with constant activity')
  assert.equal(await sessionCount(t, active.userId), 0)
})

test('sign-out ends the session: the old cookie no longer works even when replayed', async () => {
  const t = await testApp()
  await createUser(t, 'hewei', GOOD_PASSWORD)
  const { session } = await signIn(t.raw, 'hewei', GOOD_PASSWORD)
  assert.ok(session)
  assert.equal((await call(t, session, 'GET', '/api/stats/overview')).status, 200)
  // Without the CSRF token a page on another site cannot sign anybody out.
  const forged = await t.raw.request('/api/auth/sign-out', { method: 'POST', headers: { cookie: session.cookie } })
  assert.equal(forged.status, 403)
  assert.equal(await sessionCount(t, session.userId), 1)

  const out = await t.as(session).request('/api/auth/sign-out', { method: 'POST' })
  assert.equal(out.status, 204)
  assert.match(out.headers.getSetCookie().find((c) => c.startsWith('csa_session='))!, /Max-Age=0/i)
  assert.equal(await sessionCount(t, session.userId), 0, 'the session row is gone')
  const replay = await call(t, session, 'GET', '/api/stats/overview')
  assert.equal(replay.status, 401)
  const info = await call(t, session, 'GET', '/api/auth/session')
  assert.equal(info.status, 200)
  assert.equal(info.body.user, null)
  assert.equal(info.body.csrfToken, null)
})

test('state-changing requests need the CSRF token and a same-site origin; GETs and the key-authenticated ingest do not', async () => {
  const t = await smallCatalog()
  const departments = () => rowCount(t.db, 'departments')
  const before = await departments()
  const post = (headers: Record<string, string>, name: string) => t.raw.request('/api/departments', {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: t.admin.cookie, ...headers }, body: JSON.stringify({ name }),
  })
  const missing = await post({}, '渝北区水利局')
  assert.equal(missing.status, 403)
  assert.equal((await bodyOf(missing)).error.code, 'csrf')
  const wrong = await post({ 'x-csrf-token': `${t.admin.csrf.slice(0, -2)}xx` }, '渝北区水利局')
  assert.equal(wrong.status, 403)
  assert.equal((await bodyOf(wrong)).error.code, 'csrf')
  const foreign = await post({ 'x-csrf-token': t.admin.csrf, origin: 'https://evil.example.com' }, '渝北区水利局')
  assert.equal(foreign.status, 403)
  assert.equal((await bodyOf(foreign)).error.code, 'csrf')
  assert.equal(await departments(), before, 'nothing was created')

  const good = await post({ 'x-csrf-token': t.admin.csrf, origin: 'http://localhost' }, '渝北区水利局')
  assert.equal(good.status, 201)
  assert.equal(await departments(), before + 1)

  const plainText = await t.raw.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ username: 'test-admin', password: GOOD_PASSWORD }) })
  assert.equal(plainText.status, 415)
  const read = await t.raw.request('/api/stats/overview', { headers: { cookie: t.admin.cookie } })
  assert.equal(read.status, 200)

  const key = await call(t, t.admin, 'POST', `/api/systems/${t.ids.gasSys}/api-keys`, { label: '燃气平台对接' })
  assert.equal(key.status, 201)
  const ingest = await t.raw.request('/api/ingest/updates', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.body.key}` },
    body: JSON.stringify({ resourceId: t.ids.gas, updatedAt: TEST_NOW.toISOString(), recordCount: 12 }),
  })
  assert.equal(ingest.status, 201)
})

test('behind a TLS-terminating reverse proxy (TRUST_PROXY=on) the browser\'s own https Origin is accepted', async () => {
  const t = await testApp()
  await createUser(t, 'proxied-user', GOOD_PASSWORD)
  const app = createApp({ db: t.db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, trustProxy: true })
  const headers = { 'content-type': 'application/json', host: 'atlas.example.gov.cn', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.1.2.3' }
  const ok = await app.request('http://atlas.example.gov.cn/api/auth/sign-in', {
    method: 'POST', headers: { ...headers, origin: 'https://atlas.example.gov.cn' }, body: JSON.stringify({ username: 'proxied-user', password: GOOD_PASSWORD }),
  })
  assert.equal(ok.status, 200, await ok.clone().text())
  const evil = await app.request('http://atlas.example.gov.cn/api/auth/sign-in', {
    method: 'POST', headers: { ...headers, origin: 'https://evil.example.com' }, body: JSON.stringify({ username: 'proxied-user', password: GOOD_PASSWORD }),
  })
  assert.equal(evil.status, 403)
})

/** The small catalog plus a restricted lifeline resource with a feature, so ceilings have something to hide. */
async function catalogWithRestricted() {
  const t = await smallCatalog()
  const secret = await t.fx.resource(t.ids.gasSys, '燃气重点用户信息', { subcategory: 'gas', sensitivity: 'restricted' })
  await t.fx.items(secret, ['用户名称', '用气量'])
  await t.fx.features([{ resourceId: secret, kind: 'facility', name: '重点用户A', geometry: { type: 'Point', coordinates: YUBEI_A }, updatedAt: TEST_NOW.toISOString() }])
  const count = async (domain: string | null, sensitivities: string[]) => {
    const matching = t.db.kysely.selectFrom('resources as r').innerJoin('subcategories as s', 's.code', 'r.subcategory_code')
      .where('r.sensitivity', 'in', sensitivities)
      .$if(domain !== null, (q) => q.where('s.domain_code', '=', domain!))
    const resources = await matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    const features = await matching.innerJoin('features as f', 'f.resource_id', 'r.id').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    return { resources: Number(resources.n), features: Number(features.n) }
  }
  return { ...t, secret, count }
}

test('a kiosk link shows its token once, opens a read-only wall limited to its ceiling and filter, and dies when revoked', async () => {
  const t = await catalogWithRestricted()
  const created = await call(t, t.admin, 'POST', '/api/admin/kiosk-links', { label: '指挥中心大屏', ceiling: 'internal', query: 'domain=lifeline' })
  assert.equal(created.status, 201)
  const token: string = created.body.token
  assert.ok(token.length >= 40, 'a long random token')
  const list = await call(t, t.admin, 'GET', '/api/admin/kiosk-links')
  assert.equal(list.body.items.length, 1)
  assert.equal(list.body.items[0].label, '指挥中心大屏')
  assert.equal(JSON.stringify(list.body).includes(token), false, 'the list never shows the token')
  const row: Record<string, unknown> = await t.db.kysely.selectFrom('kiosk_links').selectAll().executeTakeFirstOrThrow()
  assert.equal(Object.values(row).some((v) => typeof v === 'string' && v.includes(token)), false)
  assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'))

  const open = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  assert.equal(open.status, 200)
  const opened = await bodyOf(open)
  const cookie = open.headers.getSetCookie().find((c) => c.startsWith('csa_session='))!
  assert.match(cookie, /HttpOnly/i)
  const wall: TestSession = { userId: 0, cookie: cookie.split(';')[0]!, csrf: opened.csrfToken }

  const shown = await call(t, wall, 'GET', '/api/stats/overview')
  assert.equal(shown.status, 200)
  const expected = await t.count('lifeline', ['public', 'internal'])
  assert.deepEqual({ resources: shown.body.resources, features: shown.body.features }, expected)
  assert.deepEqual(expected, { resources: 2, features: 2 })
  const adminView = (await call(t, t.admin, 'GET', '/api/stats/overview?domain=lifeline')).body
  assert.equal(adminView.resources, 3, 'the restricted lifeline resource exists and the wall does not count it')
  // The wall's filter is a ceiling too: asking for another domain gives the intersection, which is empty.
  assert.equal((await call(t, t.admin, 'GET', '/api/stats/overview?domain=public')).body.resources, 1)
  const otherDomain = await call(t, wall, 'GET', '/api/stats/overview?domain=public')
  assert.equal(otherDomain.status, 200)
  assert.equal(otherDomain.body.resources, 0)
  assert.equal(otherDomain.body.features, 0)

  const departments = await rowCount(t.db, 'departments')
  const write = await call(t, wall, 'POST', '/api/departments', { name: '大屏建的部门' })
  assert.equal(write.status, 403)
  assert.equal(await rowCount(t.db, 'departments'), departments)
  assert.equal((await call(t, wall, 'PUT', `/api/systems/${t.ids.gasSys}`, {})).status, 403)
  assert.equal((await call(t, wall, 'GET', '/api/admin/users')).status, 403)
  assert.equal((await call(t, wall, 'GET', '/api/admin/audit')).status, 403)
  assert.equal((await call(t, wall, 'GET', '/api/forms/resources/export.xlsx')).status, 403)
  assert.equal((await call(t, wall, 'GET', '/api/supervision/chase-list.xlsx')).status, 403)

  const revoked = await call(t, t.admin, 'POST', `/api/admin/kiosk-links/${created.body.id}/revoke`)
  assert.equal(revoked.status, 200)
  assert.ok(revoked.body.revokedAt)
  assert.equal((await call(t, wall, 'GET', '/api/stats/overview')).status, 401)
  const reopen = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  assert.equal(reopen.status, 401)
  assert.equal((await bodyOf(reopen)).error.code, 'kiosk_invalid')

  const tooHigh = await call(t, t.admin, 'POST', '/api/admin/kiosk-links', { label: '受限大屏', ceiling: 'restricted', query: '' })
  assert.equal(tooHigh.status, 400)
  assert.equal(tooHigh.body.error.details.parameter, 'ceiling')
  assert.equal(await rowCount(t.db, 'kiosk_links'), 1)
})

test('a kiosk link with a public ceiling shows public data only', async () => {
  const t = await catalogWithRestricted()
  const created = await call(t, t.admin, 'POST', '/api/admin/kiosk-links', { label: '大厅屏', ceiling: 'public' })
  assert.equal(created.status, 201)
  const open = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: created.body.token }) })
  const wall: TestSession = { userId: 0, cookie: open.headers.getSetCookie().find((c) => c.startsWith('csa_session='))!.split(';')[0]!, csrf: (await bodyOf(open)).csrfToken }
  const shown = (await call(t, wall, 'GET', '/api/stats/overview')).body
  assert.deepEqual({ resources: shown.resources, features: shown.features }, await t.count(null, ['public']))
})

test('without public access nobody unsigned sees data; with it they see public data only and still cannot export or change anything', async () => {
  const t = await catalogWithRestricted()
  const anon = (path: string, init?: RequestInit) => call(t, null, init?.method ?? 'GET', path, init?.body === undefined ? undefined : JSON.parse(String(init.body)))
  const closed = await anon('/api/stats/overview')
  assert.equal(closed.status, 401)
  assert.equal(closed.body.error.code, 'unauthenticated')
  assert.equal((await anon('/api/meta')).status, 200)
  assert.equal((await anon('/api/regions')).status, 200)
  assert.equal((await anon('/api/auth/session')).body.publicAccess, false)

  const on = await call(t, t.admin, 'PUT', '/api/admin/settings', { publicAccess: true })
  assert.deepEqual([on.status, on.body], [200, { publicAccess: true }])
  const open = await anon('/api/stats/overview')
  assert.equal(open.status, 200)
  const expected = await t.count(null, ['public'])
  assert.deepEqual({ resources: open.body.resources, features: open.body.features }, expected)
  assert.deepEqual(expected, { resources: 1, features: 2 })
  assert.equal((await anon('/api/meta')).status, 200)
  assert.equal((await anon('/api/regions')).status, 200)
  assert.equal((await anon('/api/admin/settings')).status, 401)
  const departments = await rowCount(t.db, 'departments')
  assert.equal((await anon('/api/departments', { method: 'POST', body: JSON.stringify({ name: '匿名建的部门' }) })).status, 401)
  assert.equal(await rowCount(t.db, 'departments'), departments)
  for (const path of ['/api/forms/resources/export.xlsx', '/api/supervision/chase-list.xlsx']) {
    const r = await t.raw.request(path)
    assert.equal(r.status, 401, path)
    assert.doesNotMatch(r.headers.get('content-type') ?? '', /spreadsheetml/)
  }

  await call(t, t.admin, 'PUT', '/api/admin/settings', { publicAccess: false })
  assert.equal((await anon('/api/stats/overview')).status, 401)
})

test('production refuses to start without a strong session secret', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: '' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'changeme' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'a1B2c3D4e5F6g7H8i9J0' }), /SESSION_SECRET/)
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48) }), /SESSION_SECRET/)
  const secret = 'k3Jx9QvP2mZt7LwR4bNc8HdY6sFa1GuE5oKi0VrTqXyWzBnM'
  assert.equal(secret.length, 48)
  assert.equal(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret }).sessionSecret, secret)
})

test('outside production a session secret is generated once into .session-secret (mode 0600) next to the database and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csa-secret-'))
  try {
    const env = { NODE_ENV: 'development', DATABASE_URL: join(dir, 'db', 'atlas.sqlite') }
    const first = loadConfig(env)
    const file = join(dir, 'db', '.session-secret')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(readFileSync(file, 'utf8').trim(), first.sessionSecret)
    assert.ok(first.sessionSecret.length >= 32)
    assert.equal(loadConfig(env).sessionSecret, first.sessionSecret, 'reused on the next start')
    // A tampered, weak file is replaced rather than trusted.
    writeFileSync(file, 'changeme\n')
    const third = loadConfig(env)
    assert.notEqual(third.sessionSecret, 'changeme')
    assert.ok(third.sessionSecret.length >= 32)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the first administrator gets a random strong password once; a weak ADMIN_PASSWORD is refused', async () => {
  const db = await freshDatabase()
  const first = await ensureAdministrator(db, null, TEST_NOW)
  assert.ok(first)
  assert.equal(first.username, 'admin')
  assert.equal(first.generated, true)
  assert.ok(first.password.length >= 16, first.password)
  const stored = await db.kysely.selectFrom('users').select(['role', 'password_hash']).orderBy('id').execute()
  assert.equal(stored.length, 1)
  assert.equal(stored[0]!.role, 'admin')
  assert.equal(stored[0]!.password_hash.includes(first.password), false)
  const app = createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET })
  const signedIn = await signIn(app, 'admin', first.password)
  assert.equal(signedIn.status, 200)
  assert.equal(signedIn.body.user.role, 'admin')
  assert.equal(await ensureAdministrator(db, null, TEST_NOW), null, 'nothing happens once users exist')
  assert.equal(await rowCount(db, 'users'), 1)

  const other = await ensureAdministrator(db, null, TEST_NOW)
  assert.equal(other, null)
  const db2 = await freshDatabase()
  await assert.rejects(ensureAdministrator(db2, 'admin123', TEST_NOW), /ADMIN_PASSWORD/)
  await assert.rejects(ensureAdministrator(db2, 'short', TEST_NOW), /ADMIN_PASSWORD/)
  assert.equal(await rowCount(db2, 'users'), 0)
  const given = await ensureAdministrator(db2, GOOD_PASSWORD, TEST_NOW)
  assert.deepEqual(given, { username: 'admin', password: GOOD_PASSWORD, generated: false })
  const app2 = createApp({ db: db2, now: () => TEST_NOW, sessionSecret: TEST_SECRET })
  assert.equal((await signIn(app2, 'admin', GOOD_PASSWORD)).status, 200)
})

test('a 2 MB JSON body is refused with 413 and a JSON error', async () => {
  const t = await testApp()
  const before = await rowCount(t.db, 'departments')
  const big = JSON.stringify({ name: '超大请求部门', shortName: 'x'.repeat(2 * 1024 * 1024) })
  const res = await t.app.request('/api/departments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })
  assert.equal(res.status, 413)
  const body = await bodyOf(res)
  assert.equal(body.error.code, 'too_large')
  assert.equal(await rowCount(t.db, 'departments'), before)
})

test('API and page responses carry the security headers', async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'csa-web-'))
  try {
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="app"></div></body></html>')
    const db = await freshDatabase()
    const app = createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, webRoot })
    for (const path of ['/api/meta', '/api/stats/overview', '/', '/screen', '/kiosk/abc']) {
      const res = await app.request(path)
      const csp = res.headers.get('content-security-policy') ?? ''
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? ''
      assert.equal(scriptSrc, "script-src 'self'", `${path}: ${csp}`)
      assert.match(csp, /frame-ancestors 'none'/, path)
      assert.doesNotMatch(csp, /unsafe-eval/, path)
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path)
      if (!path.startsWith('/api/')) {
        assert.equal(res.status, 200, path)
        assert.match(res.headers.get('content-type') ?? '', /text\/html/, path)
      }
    }
  } finally {
    rmSync(webRoot, { recursive: true, force: true })
  }
})

test('passwords are hashed with scrypt N = 2^15 unless PASSWORD_HASH_COST says otherwise; outside tests it cannot go below 2^14', () => {
  assert.equal(scryptCost(undefined, false), 15)
  assert.equal(scryptCost('', false), 15)
  assert.equal(scryptCost('17', false), 17)
  assert.throws(() => scryptCost('10', false), /PASSWORD_HASH_COST must be a whole number from 14 to 20/)
  assert.throws(() => scryptCost('15.5', false), /PASSWORD_HASH_COST/)
  assert.throws(() => scryptCost('21', false), /PASSWORD_HASH_COST/)
  assert.equal(scryptCost('10', true), 10)
})

test('the same user name or department name created twice at once: one is made, the other is a 409 naming the name, never a 500', async () => {
  const t = await testApp()
  const post = (path: string, body: unknown) => t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const user = { username: 'zhangwei', displayName: '张伟', role: 'analyst', password: 'Qx7-harbour-Lamp-31' }
  const users = await Promise.all([post('/api/admin/users', user), post('/api/admin/users', user)])
  assert.deepEqual(users.map((r) => r.status).sort(), [201, 409])
  const refused = users.find((r) => r.status === 409)!
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, /用户名「zhangwei」已被使用/)
  const departments = await Promise.all([0, 1].map(() => post('/api/departments', { name: '渝北区水利局' })))
  assert.deepEqual(departments.map((r) => r.status).sort(), [201, 409])
  const made = await t.db.kysely.selectFrom('departments').select('id').where('name', '=', '渝北区水利局').execute()
  assert.equal(made.length, 1)
})
