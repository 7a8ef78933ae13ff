import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Fixture, TEST_NOW, createSession, testApp, YUBEI_A } from '../helpers/app.js'
import { bodyOf, call } from '../helpers/auth.js'

/**
 * Personal access tokens: what a desktop GIS client (QGIS, GDAL, ArcGIS Pro) or a script sends instead
 * of a session cookie. They read exactly what their owner may read, change nothing, and stop working
 * when revoked, expired or when the account is disabled.
 */

const DAY = 86_400_000

async function catalog(now: { t: Date }) {
  const t = await testApp({ now: () => now.t })
  const fx = new Fixture(t.db, t.locator)
  const a = await fx.department('渝北区应急局')
  const b = await fx.department('渝北区交通局')
  const own = await fx.resource(await fx.system(a, '应急系统'), 'TOK-OWN-restricted', { sensitivity: 'restricted' })
  const other = await fx.resource(await fx.system(b, '交通系统'), 'TOK-OTHER-restricted', { sensitivity: 'restricted' })
  const open = await fx.resource(await fx.system(b, '交通公开系统'), 'TOK-OTHER-public', { sensitivity: 'public' })
  await fx.features([
    { resourceId: other, kind: 'risk-point', name: 'TOK-F-hidden', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: TEST_NOW.toISOString() },
    { resourceId: open, kind: 'risk-point', name: 'TOK-F-open', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: TEST_NOW.toISOString() },
  ])
  const analyst = await createSession(t.db, { role: 'analyst', departmentId: a, username: 'analyst-a' }, now.t)
  return { t, a, b, own, other, open, analyst }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` })

test('a token is shown once, stored only as its SHA-256, listed by prefix, and its creation is audited', async () => {
  const now = { t: TEST_NOW }
  const { t, analyst } = await catalog(now)
  const made = await call(t, analyst, 'POST', '/api/auth/tokens', { label: 'QGIS 办公电脑', days: 90 })
  assert.equal(made.status, 201)
  assert.match(made.body.token, /^csa_pat_[A-Za-z0-9_-]{43}$/)
  assert.equal(made.body.expiresAt, new Date(TEST_NOW.getTime() + 90 * DAY).toISOString())
  assert.ok(made.body.token.startsWith(made.body.prefix))
  const stored = (await t.db.kysely.selectFrom('access_tokens').select('token_hash').orderBy('id').execute()).map((r) => r.token_hash)
  assert.deepEqual(stored, [createHash('sha256').update(made.body.token).digest('hex')])
  const list = await call(t, analyst, 'GET', '/api/auth/tokens')
  assert.equal(list.body.items.length, 1)
  assert.equal(list.body.items[0].label, 'QGIS 办公电脑')
  assert.ok(!JSON.stringify(list.body).includes(made.body.token), 'the list never shows the token again')
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'username', 'target']).where('action', '=', 'token-create').orderBy('id').execute()
  assert.deepEqual(audit, [{ action: 'token-create', username: 'analyst-a', target: 'QGIS 办公电脑' }])
})

test('a token reads what its owner may read, through Bearer or HTTP Basic with the token as password', async () => {
  const now = { t: TEST_NOW }
  const { t, own, other, open, analyst } = await catalog(now)
  const { token } = (await call(t, analyst, 'POST', '/api/auth/tokens', { label: 'GDAL', days: 30 })).body
  for (const headers of [bearer(token), basic('analyst-a', token), basic('', token)]) {
    const res = await t.raw.request('/api/resources?pageSize=100', { headers })
    assert.equal(res.status, 200)
    const names = (await bodyOf(res)).items.map((r: { name: string }) => r.name).sort()
    assert.deepEqual(names, ['TOK-OTHER-public', 'TOK-OWN-restricted'], 'own restricted data and public data, not another department\'s restricted data')
  }
  assert.equal((await t.raw.request(`/api/resources/${own}`, { headers: bearer(token) })).status, 200)
  assert.equal((await t.raw.request(`/api/resources/${other}`, { headers: bearer(token) })).status, 404)
  assert.equal((await t.raw.request(`/api/resources/${open}`, { headers: bearer(token) })).status, 200)
  const features = await bodyOf(await t.raw.request('/api/features', { headers: bearer(token) }))
  assert.deepEqual(features.features.map((f: { properties: { name: string } }) => f.properties.name), ['TOK-F-open'])
  // The same answer as the owner's browser session.
  const viaToken = await bodyOf(await t.raw.request('/api/stats/overview', { headers: bearer(token) }))
  const viaSession = (await call(t, analyst, 'GET', '/api/stats/overview')).body
  assert.deepEqual(viaToken, viaSession)
  const used = (await t.db.kysely.selectFrom('access_tokens').select('last_used_at').orderBy('id').executeTakeFirstOrThrow()).last_used_at
  assert.equal(used, TEST_NOW.toISOString())
})

test('a token cannot change anything, administer, or manage tokens, even an administrator\'s', async () => {
  const now = { t: TEST_NOW }
  const { t, a } = await catalog(now)
  const admin = await createSession(t.db, { role: 'admin', username: 'admin-2' }, now.t)
  const { token } = (await call(t, admin, 'POST', '/api/auth/tokens', { label: '脚本', days: 30 })).body
  const post = await t.raw.request('/api/departments', { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ name: '新部门' }) })
  assert.equal(post.status, 403)
  assert.match((await bodyOf(post)).error.message, /只能读取/)
  const put = await t.raw.request(`/api/departments/${a}`, { method: 'DELETE', headers: bearer(token) })
  assert.equal(put.status, 403)
  assert.equal((await t.raw.request('/api/admin/users', { headers: bearer(token) })).status, 403)
  assert.equal((await t.raw.request('/api/auth/tokens', { headers: bearer(token) })).status, 403)
  const made = await t.raw.request('/api/auth/tokens', { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ label: 'x', days: 30 }) })
  assert.equal(made.status, 403)
  const created = await t.db.kysely.selectFrom('departments').select((eb) => eb.fn.countAll().as('n')).where('name', '=', '新部门').executeTakeFirstOrThrow()
  assert.equal(Number(created.n), 0)
})

test('a revoked, expired, unknown or disabled owner\'s token gets 401, never an anonymous answer', async () => {
  const now = { t: TEST_NOW }
  const { t, analyst } = await catalog(now)
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  await t.db.versions.refresh()
  const first = (await call(t, analyst, 'POST', '/api/auth/tokens', { label: '一', days: 30 })).body
  const second = (await call(t, analyst, 'POST', '/api/auth/tokens', { label: '二', days: 30 })).body
  assert.equal((await t.raw.request('/api/resources', { headers: bearer(first.token) })).status, 200)

  const revoked = await call(t, analyst, 'POST', `/api/auth/tokens/${first.id}/revoke`)
  assert.equal(revoked.status, 200)
  assert.ok(revoked.body.revokedAt)
  const res = await t.raw.request('/api/resources', { headers: bearer(first.token) })
  assert.equal(res.status, 401)
  assert.equal((await bodyOf(res)).error.code, 'token_invalid')
  assert.equal((await t.raw.request('/api/resources', { headers: bearer(`${first.token.slice(0, -1)}x`) })).status, 401)
  assert.equal((await t.raw.request('/api/resources', { headers: bearer(second.token) })).status, 200, 'the other token still works')

  now.t = new Date(TEST_NOW.getTime() + 30 * DAY + 1000)
  assert.equal((await t.raw.request('/api/resources', { headers: bearer(second.token) })).status, 401, 'expired after 30 days')

  now.t = TEST_NOW
  await t.db.kysely.updateTable('users').set({ disabled: 1 }).where('id', '=', analyst.userId).execute()
  await t.db.versions.refresh()
  assert.equal((await t.raw.request('/api/resources', { headers: bearer(second.token) })).status, 401, 'a disabled account\'s tokens stop working')
  // Someone else's token id cannot be revoked.
  const other = await createSession(t.db, { role: 'leader', username: 'leader-x' }, now.t)
  assert.equal((await call(t, other, 'POST', `/api/auth/tokens/${second.id}/revoke`)).status, 404)
})

test('HTTP Basic with a password instead of a token is refused with a message that says to use a token; OGC clients are told to authenticate', async () => {
  const now = { t: TEST_NOW }
  const { t } = await catalog(now)
  const res = await t.raw.request('/api/resources', { headers: basic('analyst-a', 'my-password-1') })
  assert.equal(res.status, 401)
  assert.match((await bodyOf(res)).error.message, /个人访问令牌/)
  const ogc = await t.raw.request('/api/ogc/collections')
  assert.equal(ogc.status, 401)
  assert.match(ogc.headers.get('www-authenticate') ?? '', /^Basic realm=/)
  // The web app's own requests never get a browser password prompt.
  assert.equal((await t.raw.request('/api/resources')).headers.get('www-authenticate'), null)
})

test('token requests are validated: label and lifetime named in the error, at most 20 live tokens', async () => {
  const now = { t: TEST_NOW }
  const { t, analyst } = await catalog(now)
  const noLabel = await call(t, analyst, 'POST', '/api/auth/tokens', { label: ' ', days: 30 })
  assert.equal(noLabel.status, 400)
  assert.equal(noLabel.body.error.details.parameter, 'label')
  const badDays = await call(t, analyst, 'POST', '/api/auth/tokens', { label: 'x', days: 7 })
  assert.equal(badDays.status, 400)
  assert.equal(badDays.body.error.details.parameter, 'days')
  for (let i = 0; i < 20; i++) assert.equal((await call(t, analyst, 'POST', '/api/auth/tokens', { label: `t${i}`, days: 30 })).status, 201)
  const tooMany = await call(t, analyst, 'POST', '/api/auth/tokens', { label: 'one more', days: 30 })
  assert.equal(tooMany.status, 409)
  assert.equal((await call(t, null, 'GET', '/api/auth/tokens')).status, 401)
})
