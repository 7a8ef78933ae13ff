import assert from 'node:assert/strict'
import { test } from 'vitest'
import { Secret, URI } from 'otpauth'
import { createApp } from '../../server/app.js'
import { ensureAdministrator } from '../../server/auth/bootstrap.js'
import { loadConfig } from '../../server/config.js'
import { totpCode } from '../../server/auth/two-factor.js'
import { TEST_NOW, TEST_SECRET, testApp, type TestSession } from '../helpers/app.js'
import { call, signIn, signInCode } from '../helpers/auth.js'

/**
 * Two-factor sign-in (TOTP, RFC 6238) and password ageing: enrolment, the code step, recovery codes,
 * lockout, administrators made to enrol, expired passwords changed first, an administrator's reset.
 */

type App = Awaited<ReturnType<typeof testApp>>
const GOOD_PASSWORD = 'Hx7-lantern-Quay'
const MINUTE = 60_000
const DAY = 86_400_000

/** A test app on a clock the test moves (each TOTP code works once, so tests step to the next 30 s). */
async function clockedApp(o: { passwordMaxAgeDays?: number } = {}) {
  const clock = { t: TEST_NOW.getTime() }
  const t = await testApp({ now: () => new Date(clock.t), ...o })
  return { ...t, clock, advance: (ms: number) => void (clock.t += ms), at: () => new Date(clock.t) }
}

async function createUser(t: App, username: string, role = 'analyst') {
  const r = await call(t, t.admin, 'POST', '/api/admin/users', { username, password: GOOD_PASSWORD, displayName: username, role, departmentId: null })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  return r.body as { id: number; username: string }
}

/** Enrols a session's user through the API; the key and the recovery codes. */
async function enrol(t: App & { at: () => Date }, session: TestSession) {
  const setup = await call(t, session, 'POST', '/api/auth/two-factor/setup')
  assert.equal(setup.status, 200, JSON.stringify(setup.body))
  const enabled = await call(t, session, 'POST', '/api/auth/two-factor/enable', { code: totpCode(setup.body.secret, t.at()) })
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body))
  return { secret: setup.body.secret as string, recoveryCodes: enabled.body.recoveryCodes as string[] }
}

async function passwordSession(t: App, username: string, password = GOOD_PASSWORD): Promise<TestSession> {
  const r = await signIn(t.raw, username, password)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return r.session!
}

const auditOf = (t: App, action: string) =>
  t.db.kysely.selectFrom('audit_log').select(['username', 'target', 'result', 'detail']).where('action', '=', action).orderBy('id').execute()

/** A user's failed sign-ins and lockout. */
const lockoutOf = (t: App, id: number) => t.db.kysely.selectFrom('users').select(['failed_count', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow()

test('enrolment shows the key as a QR code and as text, turns on with a current code, and shows ten recovery codes once (only hashes stored)', async () => {
  const t = await clockedApp()
  await createUser(t, 'wangfang')
  const session = await passwordSession(t, 'wangfang')
  assert.deepEqual((await call(t, session, 'GET', '/api/auth/two-factor')).body, { enabled: false, required: false, enabledAt: null, recoveryCodesLeft: 0 })

  const setup = await call(t, session, 'POST', '/api/auth/two-factor/setup')
  assert.equal(setup.status, 200)
  const uri = URI.parse(setup.body.uri)
  assert.equal(uri.issuer, '城市安全数据资源一张图')
  assert.equal(uri.label, 'wangfang')
  assert.equal(uri.secret.base32, setup.body.secret)
  assert.equal(Secret.fromBase32(setup.body.secret).bytes.length, 20)
  assert.match(setup.body.qrCode, /^data:image\/svg\+xml;base64,/)
  assert.match(Buffer.from(setup.body.qrCode.split(',')[1], 'base64').toString('utf8'), /^<svg[^>]*viewBox/)
  assert.equal((await auditOf(t, 'two-factor-enable')).length, 0, 'nothing is on until a code confirms it')

  const wrong = await call(t, session, 'POST', '/api/auth/two-factor/enable', { code: '000000' === totpCode(setup.body.secret, t.at()) ? '111111' : '000000' })
  assert.equal(wrong.status, 400)
  assert.equal(wrong.body.error.details.parameter, 'code')
  assert.equal((await call(t, session, 'GET', '/api/auth/two-factor')).body.enabled, false)

  const enabled = await call(t, session, 'POST', '/api/auth/two-factor/enable', { code: totpCode(setup.body.secret, t.at()) })
  assert.equal(enabled.status, 200)
  const codes: string[] = enabled.body.recoveryCodes
  assert.equal(codes.length, 10)
  assert.equal(new Set(codes).size, 10)
  for (const c of codes) assert.match(c, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
  const stored = (await t.db.kysely.selectFrom('recovery_codes').select('code_hash').execute()).map((r) => r.code_hash)
  assert.equal(stored.length, 10)
  assert.ok(stored.every((h) => /^[0-9a-f]{64}$/.test(h) && !codes.some((c) => h.includes(c.replace('-', '')))), 'only hashes are stored')

  const status = (await call(t, session, 'GET', '/api/auth/two-factor')).body
  assert.equal(status.enabled, true)
  assert.equal(status.recoveryCodesLeft, 10)
  assert.equal((await call(t, session, 'POST', '/api/auth/two-factor/setup')).status, 409, 'an enabled key is not replaced behind the user\'s back')
  assert.deepEqual((await auditOf(t, 'two-factor-enable')).map((e) => [e.username, e.result]), [['wangfang', 'failure'], ['wangfang', 'success']])
  const users = (await call(t, t.admin, 'GET', '/api/admin/users')).body.items as { username: string; twoFactor: boolean }[]
  assert.equal(users.find((u) => u.username === 'wangfang')!.twoFactor, true, 'the administrator\'s user list shows it')
})

test('sign-in becomes two steps: the password alone gives no session; a code works once; a recovery code works once', async () => {
  const t = await clockedApp()
  await createUser(t, 'lisi')
  const { secret, recoveryCodes } = await enrol(t, await passwordSession(t, 'lisi'))
  t.advance(30_000)

  const first = await signIn(t.raw, 'lisi', GOOD_PASSWORD)
  assert.equal(first.status, 202)
  assert.deepEqual(first.body, { secondFactor: 'totp', expiresInSeconds: 300 })
  assert.equal(first.session, null)
  assert.equal(first.setCookie.some((c) => c.startsWith('csa_session=')), false, 'no session before the code')
  const pendingCookie = first.setCookie.find((c) => c.startsWith('csa_sign_in='))!
  assert.match(pendingCookie, /HttpOnly/i)
  assert.match(pendingCookie, /SameSite=Strict/i)
  assert.match(pendingCookie, /Path=\/api\/auth\/sign-in/i)
  const asPending = await t.raw.request('/api/stats/overview', { headers: { cookie: first.pending! } })
  assert.equal(asPending.status, 401, 'the pending sign-in is not a session')

  const code = totpCode(secret, t.at())
  const done = await signInCode(t.raw, first.pending, code)
  assert.equal(done.status, 200, JSON.stringify(done.body))
  assert.equal(done.body.user.username, 'lisi')
  assert.equal((await call(t, done.session, 'GET', '/api/stats/overview')).status, 200)
  assert.equal((await signInCode(t.raw, first.pending, code)).body.error.code, 'sign_in_expired', 'the pending sign-in ended with it')

  // The same code again (same 30 s): refused, as RFC 6238 recommends.
  const again = await signIn(t.raw, 'lisi', GOOD_PASSWORD)
  const replay = await signInCode(t.raw, again.pending, code)
  assert.equal(replay.status, 401)
  assert.equal(replay.body.error.code, 'code_invalid')
  t.advance(30_000)
  assert.equal((await signInCode(t.raw, again.pending, totpCode(secret, t.at()))).status, 200, 'the next code works')

  // A recovery code, typed in lower case with spaces: once.
  const recovery = recoveryCodes[3]!
  const withRecovery = await signIn(t.raw, 'lisi', GOOD_PASSWORD)
  const recovered = await signInCode(t.raw, withRecovery.pending, ` ${recovery.toLowerCase().replace('-', ' ')} `)
  assert.equal(recovered.status, 200, JSON.stringify(recovered.body))
  assert.match((await auditOf(t, 'sign-in')).at(-1)!.detail, /恢复码.*剩余 9 个/)
  const reused = await signInCode(t.raw, (await signIn(t.raw, 'lisi', GOOD_PASSWORD)).pending, recovery)
  assert.equal(reused.status, 401)
  assert.equal(reused.body.error.code, 'code_invalid')

  // No pending sign-in, or one past its five minutes: start again with the password.
  assert.equal((await signInCode(t.raw, null, totpCode(secret, t.at()))).body.error.code, 'sign_in_expired')
  const late = await signIn(t.raw, 'lisi', GOOD_PASSWORD)
  t.advance(5 * MINUTE)
  const expired = await signInCode(t.raw, late.pending, totpCode(secret, t.at()))
  assert.equal(expired.status, 401)
  assert.equal(expired.body.error.code, 'sign_in_expired')
})

test('wrong codes count toward the lockout: a right password does not reset it, and five failures lock the account', async () => {
  const t = await clockedApp()
  const user = await createUser(t, 'chenjing')
  const { secret } = await enrol(t, await passwordSession(t, 'chenjing'))
  t.advance(30_000)
  const wrongCode = () => (totpCode(secret, t.at()) === '123456' ? '654321' : '123456')

  const a = await signIn(t.raw, 'chenjing', GOOD_PASSWORD)
  for (let i = 0; i < 2; i++) assert.equal((await signInCode(t.raw, a.pending, wrongCode())).body.error.code, 'code_invalid')
  const b = await signIn(t.raw, 'chenjing', GOOD_PASSWORD)
  assert.equal(b.status, 202, 'the right password again')
  assert.equal((await lockoutOf(t, user.id)).failed_count, 2, 'and the failures still count')
  for (let i = 0; i < 2; i++) assert.equal((await signInCode(t.raw, b.pending, wrongCode())).status, 401)
  const fifth = await signInCode(t.raw, b.pending, 'WRONG-CODE1')
  assert.equal(fifth.body.error.code, 'sign_in_expired', 'the fifth failure locks the account and ends the pending sign-in')
  assert.ok((await lockoutOf(t, user.id)).locked_until, 'locked')

  const locked = await signIn(t.raw, 'chenjing', GOOD_PASSWORD)
  assert.equal(locked.status, 401, 'even the right password and code cannot get in while locked')
  assert.equal(locked.body.error.code, 'sign_in_failed')
  const failures = await auditOf(t, 'two-factor-code')
  assert.equal(failures.length, 5)
  assert.ok(failures.every((f) => f.result === 'failure' && f.username === 'chenjing'))
  assert.match(failures.at(-1)!.detail, /锁定 15 分钟/)

  t.advance(15 * MINUTE + 1000)
  const after = await signIn(t.raw, 'chenjing', GOOD_PASSWORD)
  assert.equal((await signInCode(t.raw, after.pending, totpCode(secret, t.at()))).status, 200, 'free again after 15 minutes')
})

test('guessing codes is slowed like guessing passwords: each wrong code delays the next one', async () => {
  const t = await clockedApp()
  await createUser(t, 'zhouhui')
  const { secret } = await enrol(t, await passwordSession(t, 'zhouhui'))
  t.advance(30_000)
  const p = await signIn(t.raw, 'zhouhui', GOOD_PASSWORD)
  const before = t.slept.length
  await signInCode(t.raw, p.pending, totpCode(secret, t.at()) === '111111' ? '222222' : '111111')
  await signInCode(t.raw, p.pending, totpCode(secret, t.at()) === '111111' ? '222222' : '111111')
  assert.ok(t.slept.slice(before).includes(1000), `the second code waited for the first failure (delays ${t.slept.slice(before).join(', ')})`)
})

test('an administrator without a second factor can do nothing until enrolled; the first administrator enrols at the first sign-in', async () => {
  const t = await clockedApp()
  await t.db.kysely.deleteFrom('users').execute()
  await t.db.versions.refresh()
  const first = await ensureAdministrator(t.db, GOOD_PASSWORD, t.at())
  assert.ok(first)
  const signedIn = await signIn(t.raw, 'admin', GOOD_PASSWORD)
  assert.equal(signedIn.status, 200)
  assert.equal(signedIn.body.required, 'enrol-two-factor')
  const admin = signedIn.session!
  assert.equal((await call(t, admin, 'GET', '/api/auth/session')).body.required, 'enrol-two-factor')

  for (const [method, path, body] of [
    ['GET', '/api/stats/overview'], ['GET', '/api/admin/users'], ['GET', '/api/admin/audit'], ['POST', '/api/departments', { name: '未启用两步验证建的部门' }],
    ['POST', '/api/auth/tokens', { label: '绕过', days: 30 }], ['POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: 'Fresh-meadow-42' }],
  ] as [string, string, unknown?][]) {
    const r = await call(t, admin, method, path, body)
    assert.equal(r.status, 403, `${method} ${path}`)
    assert.equal(r.body.error.code, 'two_factor_required', `${method} ${path}`)
  }
  const created = await t.db.kysely.selectFrom('departments').select((eb) => eb.fn.countAll().as('n')).where('name', '=', '未启用两步验证建的部门').executeTakeFirstOrThrow()
  assert.equal(Number(created.n), 0)
  assert.equal((await call(t, admin, 'GET', '/api/auth/two-factor')).body.required, true)

  const { secret } = await enrol(t, admin)
  assert.equal((await call(t, admin, 'GET', '/api/auth/session')).body.required, null)
  assert.equal((await call(t, admin, 'GET', '/api/stats/overview')).status, 200, 'enrolled: the same session works')
  const disable = await call(t, admin, 'POST', '/api/auth/two-factor/disable', { password: GOOD_PASSWORD, code: totpCode(secret, t.at()) })
  assert.equal(disable.status, 409, 'an administrator cannot turn it off')

  t.advance(30_000)
  const next = await signIn(t.raw, 'admin', GOOD_PASSWORD)
  assert.equal(next.status, 202, 'from now on the administrator signs in with a code')
  const withCode = await signInCode(t.raw, next.pending, totpCode(secret, t.at()))
  assert.equal(withCode.status, 200)
  assert.equal(withCode.body.required, null)
  assert.equal(withCode.body.permissions.admin, true)
})

test('a password older than PASSWORD_MAX_AGE_DAYS must be changed before anything else (0 turns the limit off)', async () => {
  const t = await clockedApp({ passwordMaxAgeDays: 90 })
  await createUser(t, 'liming')
  t.advance(89 * DAY)
  const young = await signIn(t.raw, 'liming', GOOD_PASSWORD)
  assert.equal(young.body.required, null)
  assert.equal(young.body.passwordMaxAgeDays, 90)
  const { token } = (await call(t, young.session, 'POST', '/api/auth/tokens', { label: 'QGIS', days: 30 })).body
  const withToken = () => t.raw.request('/api/resources', { headers: { authorization: `Bearer ${token}` } })
  assert.equal((await withToken()).status, 200)
  t.advance(DAY)
  const tokenRefused = await withToken()
  assert.equal(tokenRefused.status, 403, 'the account\'s tokens wait for the new password too')
  assert.equal(((await tokenRefused.json()) as { error: { code: string } }).error.code, 'password_change_required')

  const old = await signIn(t.raw, 'liming', GOOD_PASSWORD)
  assert.equal(old.status, 200)
  assert.equal(old.body.required, 'change-password')
  const refused = await call(t, old.session, 'GET', '/api/stats/overview')
  assert.equal(refused.status, 403)
  assert.equal(refused.body.error.code, 'password_change_required')
  assert.equal((await call(t, old.session, 'POST', '/api/auth/two-factor/setup')).status, 403)

  const same = await call(t, old.session, 'POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: GOOD_PASSWORD })
  assert.equal(same.status, 400)
  assert.equal(same.body.error.details.parameter, 'newPassword')
  const changed = await call(t, old.session, 'POST', '/api/auth/password', { currentPassword: GOOD_PASSWORD, newPassword: 'Fresh-meadow-42' })
  assert.equal(changed.status, 204)
  assert.equal((await call(t, old.session, 'GET', '/api/auth/session')).body.required, null)
  assert.equal((await call(t, old.session, 'GET', '/api/stats/overview')).status, 200)
  assert.equal((await withToken()).status, 200)

  // Off: a password of three years is fine.
  const off = createApp({ db: t.db, now: () => new Date(t.clock.t + 1000 * DAY), sessionSecret: TEST_SECRET, passwordMaxAgeDays: 0 })
  const forever = await signIn(off, 'liming', 'Fresh-meadow-42')
  assert.equal(forever.status, 200)
  assert.equal(forever.body.required, null)

  assert.equal(loadConfig({ DATABASE_URL: ':memory:' }).passwordMaxAgeDays, 90)
  assert.equal(loadConfig({ DATABASE_URL: ':memory:', PASSWORD_MAX_AGE_DAYS: '0' }).passwordMaxAgeDays, 0)
  assert.equal(loadConfig({ DATABASE_URL: ':memory:', PASSWORD_MAX_AGE_DAYS: '180' }).passwordMaxAgeDays, 180)
  for (const bad of ['-1', '90d', '1.5', '99999']) assert.throws(() => loadConfig({ DATABASE_URL: ':memory:', PASSWORD_MAX_AGE_DAYS: bad }), /PASSWORD_MAX_AGE_DAYS/, bad)
})

test('an administrator resets a user\'s second factor: audited, the user\'s sessions end, and the user signs in with the password again', async () => {
  const t = await clockedApp()
  const user = await createUser(t, 'sunqi')
  const session = await passwordSession(t, 'sunqi')
  await enrol(t, session)
  const leader = await passwordSession(t, (await createUser(t, 'leader-x', 'leader')).username)

  assert.equal((await call(t, leader, 'POST', `/api/admin/users/${user.id}/two-factor/reset`)).status, 403, 'only administrators')
  const reset = await call(t, t.admin, 'POST', `/api/admin/users/${user.id}/two-factor/reset`)
  assert.equal(reset.status, 204)
  assert.equal((await call(t, session, 'GET', '/api/stats/overview')).status, 401, 'the user\'s sessions ended')
  assert.deepEqual((await auditOf(t, 'two-factor-reset')).map((e) => [e.username, e.target, e.result]), [['test-admin', 'sunqi', 'success']])
  const codesLeft = await t.db.kysely.selectFrom('recovery_codes').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).executeTakeFirstOrThrow()
  assert.equal(Number(codesLeft.n), 0)
  assert.equal((await call(t, t.admin, 'POST', `/api/admin/users/${user.id}/two-factor/reset`)).status, 409, 'nothing left to reset')

  const again = await signIn(t.raw, 'sunqi', GOOD_PASSWORD)
  assert.equal(again.status, 200, 'the password alone again')
  const users = (await call(t, t.admin, 'GET', '/api/admin/users')).body.items as { username: string; twoFactor: boolean }[]
  assert.equal(users.find((u) => u.username === 'sunqi')!.twoFactor, false)

  // Reset for an administrator: the next sign-in must enrol again.
  const other = await createUser(t, 'admin-two', 'admin')
  const otherSession = await passwordSession(t, 'admin-two')
  t.advance(30_000)
  await enrol(t, otherSession)
  assert.equal((await call(t, t.admin, 'POST', `/api/admin/users/${other.id}/two-factor/reset`)).status, 204)
  const reenrol = await signIn(t.raw, 'admin-two', GOOD_PASSWORD)
  assert.equal(reenrol.body.required, 'enrol-two-factor')
})

test('a user turns their own second factor off with password and code; wrong ones are refused and audited', async () => {
  const t = await clockedApp()
  await createUser(t, 'hewei')
  const session = await passwordSession(t, 'hewei')
  const { secret, recoveryCodes } = await enrol(t, session)
  t.advance(30_000)

  const wrongPassword = await call(t, session, 'POST', '/api/auth/two-factor/disable', { password: 'not-my-password', code: totpCode(secret, t.at()) })
  assert.equal(wrongPassword.status, 401)
  const wrongCode = await call(t, session, 'POST', '/api/auth/two-factor/disable', { password: GOOD_PASSWORD, code: 'AAAAA-AAAAA' })
  assert.equal(wrongCode.status, 400)
  assert.equal((await call(t, session, 'GET', '/api/auth/two-factor')).body.enabled, true)

  // New recovery codes need a current code; the old ones stop working.
  const renewed = await call(t, session, 'POST', '/api/auth/two-factor/recovery-codes', { code: totpCode(secret, t.at()) })
  assert.equal(renewed.status, 200)
  assert.equal(renewed.body.recoveryCodes.length, 10)
  const oldCode = await call(t, session, 'POST', '/api/auth/two-factor/disable', { password: GOOD_PASSWORD, code: recoveryCodes[0] })
  assert.equal(oldCode.status, 400, 'an old recovery code no longer works')

  const off = await call(t, session, 'POST', '/api/auth/two-factor/disable', { password: GOOD_PASSWORD, code: renewed.body.recoveryCodes[0] })
  assert.equal(off.status, 204)
  assert.equal((await call(t, session, 'GET', '/api/auth/two-factor')).body.enabled, false)
  assert.equal((await signIn(t.raw, 'hewei', GOOD_PASSWORD)).status, 200, 'the password alone again')
  assert.deepEqual((await auditOf(t, 'two-factor-disable')).map((e) => e.result), ['failure', 'failure', 'failure', 'success'])
  assert.deepEqual((await auditOf(t, 'recovery-codes')).map((e) => e.result), ['success'])
})

test('a code sent twice at once works once: enabling, new recovery codes and the sign-in code each accept only one of the two', async () => {
  const t = await clockedApp()
  await createUser(t, 'zhaolei')
  const session = await passwordSession(t, 'zhaolei')
  const setup = await call(t, session, 'POST', '/api/auth/two-factor/setup')
  const secret: string = setup.body.secret
  const enableTwice = await Promise.all([0, 1].map(() => call(t, session, 'POST', '/api/auth/two-factor/enable', { code: totpCode(secret, t.at()) })))
  assert.deepEqual(enableTwice.map((r) => r.status).sort(), [200, 409], 'the key is turned on once, with one set of recovery codes')
  const shown: string[] = enableTwice.find((r) => r.status === 200)!.body.recoveryCodes
  assert.equal((await t.db.kysely.selectFrom('recovery_codes').select('id').execute()).length, 10)

  t.advance(30_000)
  const renewTwice = await Promise.all([0, 1].map(() => call(t, session, 'POST', '/api/auth/two-factor/recovery-codes', { code: totpCode(secret, t.at()) })))
  assert.deepEqual(renewTwice.map((r) => r.status).sort(), [200, 400], 'one code renews the recovery codes once')
  assert.notDeepEqual(renewTwice.find((r) => r.status === 200)!.body.recoveryCodes, shown)

  t.advance(30_000)
  const pending = await signIn(t.raw, 'zhaolei', GOOD_PASSWORD)
  const code = totpCode(secret, t.at())
  const both = await Promise.all([signInCode(t.raw, pending.pending, code), signInCode(t.raw, pending.pending, code)])
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 401], 'the same code signs in once')
})
