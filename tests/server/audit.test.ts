import assert from 'node:assert/strict'
import { test } from 'vitest'
import { createApp } from '../../server/app.js'
import { annex3Workbook, upload, type CellInput } from '../helpers/forms.js'
import { createSession, smallCatalog, testApp, TEST_SECRET, type TestSession } from '../helpers/app.js'
import { call, signIn } from '../helpers/auth.js'

type App = Awaited<ReturnType<typeof testApp>>
const GOOD_PASSWORD = 'Hx7-lantern-Quay'
const NEW_PASSWORD = 'Fresh-meadow-42'

interface Entry { id: number; at: string; userId: number | null; username: string; role: string; address: string; action: string; target: string; result: string; detail: string }




/** The audit log as the administrator sees it on screen. */
async function audit(t: App, query = '', as: TestSession = t.admin): Promise<{ items: Entry[]; total: number }> {
  const r = await call(t, as, 'GET', `/api/admin/audit?pageSize=500${query ? `&${query}` : ''}`)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return r.body
}

/** The one entry matching, with a time in Asia/Shanghai. */
function entry(items: Entry[], match: Partial<Entry>): Entry {
  const found = items.filter((e) => Object.entries(match).every(([k, v]) => e[k as keyof Entry] === v))
  assert.ok(found.length >= 1, `no audit entry ${JSON.stringify(match)} in\n${items.map((e) => JSON.stringify(e)).join('\n')}`)
  const e = found[0]!
  assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/)
  return e
}

const SYSTEM = {
  name: '应急物资管理系统', buildLevel: 'district', builder: '区应急局', operator: '区应急局', deployment: 'gov-cloud', runStatus: 'maintained',
  securityLevel: 'level2', sharesData: true, sharingModes: ['api', 'file'], networks: ['gov-extranet'], reviewer: '李四', filler: '张三',
  phone: '023-67810000', filledAt: '2022-03-20',
}
const EMERGENCY = '渝北区应急局'
const SYS = '危化品监管系统'
/** The emergency department's form without its second resource: an import that removes one resource. */
const IMPORT_ROWS: CellInput[][] = [
  [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '企业名称', '字符串 C', 50, '每月'],
  [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '统一社会信用代码', '字符串 C', 50, '每月'],
  [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '联系电话', '字符串 C', 50, '每月'],
]

test('sign-ins, sign-outs, refusals, changes, imports, exports, user, kiosk and settings changes are all in the audit log', async () => {
  const t = await smallCatalog()
  const admin = 'test-admin'

  // Users: create, update, reset password, unlock.
  const created = await call(t, t.admin, 'POST', '/api/admin/users', { username: 'auditee', password: GOOD_PASSWORD, displayName: '审计对象', role: 'analyst', departmentId: null })
  assert.equal(created.status, 201)
  const userId: number = created.body.id
  assert.equal((await call(t, t.admin, 'PUT', `/api/admin/users/${userId}`, { displayName: '审计对象', role: 'leader', departmentId: t.ids.city, clearances: [] })).status, 200)
  assert.equal((await call(t, t.admin, 'POST', `/api/admin/users/${userId}/password`, { password: NEW_PASSWORD })).status, 204)
  assert.equal((await signIn(t.raw, 'auditee', GOOD_PASSWORD)).status, 401)
  assert.equal((await signIn(t.raw, 'ghost-user', GOOD_PASSWORD)).status, 401)
  assert.equal((await call(t, t.admin, 'POST', `/api/admin/users/${userId}/unlock`)).status, 204)
  const { session } = await signIn(t.raw, 'auditee', NEW_PASSWORD)
  assert.ok(session)
  assert.equal((await call(t, session, 'POST', '/api/auth/password', { currentPassword: NEW_PASSWORD, newPassword: GOOD_PASSWORD })).status, 204)
  assert.equal((await call(t, session, 'POST', '/api/auth/sign-out')).status, 204)

  // Refusals: a reporter editing another department's system; an anonymous read.
  const reporter = await createSession(t.db, { role: 'reporter', departmentId: t.ids.emergency, username: 'reporter-emergency' })
  const refused = await call(t, reporter, 'PUT', `/api/systems/${t.ids.gasSys}`, { ...SYSTEM, name: '燃气监管平台' })
  assert.equal(refused.status, 403)
  assert.equal((await call(t, null, 'GET', '/api/stats/overview')).status, 401)

  // Catalog changes, an import and an export.
  const system = await call(t, t.admin, 'POST', `/api/departments/${t.ids.emergency}/systems`, SYSTEM)
  assert.equal(system.status, 201)
  assert.equal((await call(t, t.admin, 'PUT', `/api/systems/${system.body.id}`, { ...SYSTEM, name: '应急物资保障系统' })).status, 200)
  assert.equal((await call(t, t.admin, 'DELETE', `/api/systems/${system.body.id}`)).status, 200)
  const bytes = await annex3Workbook(IMPORT_ROWS)
  const preview = await upload(t.app, '/api/forms/resources/preview', bytes, 'form.xlsx', { department: String(t.ids.emergency) })
  assert.equal(preview.status, 200)
  const imported = await upload(t.app, '/api/forms/resources/import', bytes, 'form.xlsx', { department: String(t.ids.emergency), planHash: preview.body.planHash })
  assert.equal(imported.status, 200, JSON.stringify(imported.body))
  const exported = await t.app.request(`/api/forms/systems/export.xlsx?department=${t.ids.emergency}`)
  assert.equal(exported.status, 200)

  // Kiosk links and settings.
  const kiosk = await call(t, t.admin, 'POST', '/api/admin/kiosk-links', { label: '指挥中心大屏', ceiling: 'internal', query: 'domain=lifeline' })
  assert.equal(kiosk.status, 201)
  const open = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: kiosk.body.token }) })
  assert.equal(open.status, 200)
  assert.equal((await call(t, t.admin, 'POST', `/api/admin/kiosk-links/${kiosk.body.id}/revoke`)).status, 200)
  const stale = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: kiosk.body.token }) })
  assert.equal(stale.status, 401)
  assert.equal((await call(t, t.admin, 'PUT', '/api/admin/settings', { publicAccess: true })).status, 200)

  const { items, total } = await audit(t)
  assert.equal(items.length, total)
  const signInFail = entry(items, { action: 'sign-in', result: 'failure', username: 'auditee', userId })
  assert.match(signInFail.detail, /密码错误/)
  const ghost = entry(items, { action: 'sign-in', result: 'failure', username: 'ghost-user' })
  assert.equal(ghost.target, 'ghost-user')
  assert.equal(ghost.userId, null)
  entry(items, { action: 'sign-in', result: 'success', username: 'auditee', role: 'leader' })
  entry(items, { action: 'password-change', result: 'success', username: 'auditee' })
  entry(items, { action: 'sign-out', result: 'success', username: 'auditee', target: 'auditee' })
  const refusal = entry(items, { action: 'refused', result: 'refused', username: 'reporter-emergency', role: 'reporter', target: `PUT /api/systems/${t.ids.gasSys}` })
  assert.match(refusal.detail, /^403/)
  const anonymous = entry(items, { action: 'refused', result: 'refused', username: '', target: 'GET /api/stats/overview' })
  assert.match(anonymous.detail, /^401/)
  entry(items, { action: 'create', result: 'success', username: admin, target: `POST /api/departments/${t.ids.emergency}/systems` })
  entry(items, { action: 'update', result: 'success', username: admin, target: `PUT /api/systems/${system.body.id}` })
  entry(items, { action: 'delete', result: 'success', username: admin, target: `DELETE /api/systems/${system.body.id}` })
  entry(items, { action: 'import', result: 'success', username: admin, target: 'POST /api/forms/resources/import' })
  const exportEntry = entry(items, { action: 'export', result: 'success', username: admin, target: 'GET /api/forms/systems/export.xlsx' })
  assert.equal(exportEntry.detail, `department=${t.ids.emergency}`)
  assert.match(entry(items, { action: 'user-create', result: 'success', username: admin, target: 'auditee' }).detail, /analyst/)
  assert.match(entry(items, { action: 'user-update', result: 'success', username: admin, target: 'auditee' }).detail, /analyst→leader/)
  entry(items, { action: 'user-password', result: 'success', username: admin, target: 'auditee' })
  entry(items, { action: 'user-unlock', result: 'success', username: admin, target: 'auditee' })
  assert.match(entry(items, { action: 'kiosk-create', result: 'success', username: admin, target: '指挥中心大屏' }).detail, /internal.*domain=lifeline/)
  entry(items, { action: 'kiosk-open', result: 'success', username: '大屏:指挥中心大屏', target: '指挥中心大屏' })
  entry(items, { action: 'kiosk-open', result: 'failure' })
  entry(items, { action: 'kiosk-revoke', result: 'success', username: admin, target: '指挥中心大屏' })
  entry(items, { action: 'settings', result: 'success', username: admin, target: 'public_access' })
  // Reading (previews, lists, the audit log itself) is not a change and is not logged as one.
  assert.equal(items.some((e) => e.target.includes('/preview') || e.target.startsWith('GET /api/admin/audit')), false)
  // Newest first.
  assert.deepEqual(items.map((e) => e.id), [...items.map((e) => e.id)].sort((a, b) => b - a))

  // Filters: by action, user, result and Shanghai calendar day.
  const signIns = await audit(t, 'action=sign-in')
  assert.deepEqual(signIns.items.map((e) => `${e.username}:${e.result}`).sort(), ['auditee:failure', 'auditee:success', 'ghost-user:failure'])
  const byUser = await audit(t, 'user=reporter-emergency')
  assert.ok(byUser.items.length >= 1)
  assert.ok(byUser.items.every((e) => e.username === 'reporter-emergency'))
  const refusals = await audit(t, 'result=refused')
  assert.equal(refusals.total, items.filter((e) => e.result === 'refused').length)
  assert.ok(refusals.items.length >= 2 && refusals.items.every((e) => e.result === 'refused'))
  const combined = await audit(t, 'action=refused&user=reporter-emergency')
  assert.deepEqual(combined.items.map((e) => e.target), [`PUT /api/systems/${t.ids.gasSys}`])
  // TEST_NOW is 2026-06-15 12:00 in Shanghai.
  assert.equal((await audit(t, 'from=2026-06-15&to=2026-06-15')).total, total)
  assert.equal((await audit(t, 'from=2026-06-16')).total, 0)
  assert.equal((await audit(t, 'to=2026-06-14')).total, 0)
  const bad = await call(t, t.admin, 'GET', '/api/admin/audit?from=15/06/2026')
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.details.parameter, 'from')
})

test('the audit log records the client address when behind a trusted proxy', async () => {
  const t = await testApp()
  const proxied = createApp({ db: t.db, now: () => new Date('2026-06-15T04:00:00.000Z'), sessionSecret: TEST_SECRET, trustProxy: true })
  const res = await proxied.request('/api/auth/sign-in', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.20.30.40, 172.16.0.1' }, body: JSON.stringify({ username: 'nobody', password: GOOD_PASSWORD }),
  })
  assert.equal(res.status, 401)
  const { items } = await audit(t, 'action=sign-in')
  assert.equal(entry(items, { username: 'nobody' }).address, '10.20.30.40')
})

test('the audit log is append-only: no UPDATE or DELETE of a recent entry, no API to erase it, and only administrators read it', async () => {
  // A real clock: the retention trigger compares with the database's own time.
  const t = await testApp({ now: () => new Date() })
  const admin = await createSession(t.db, { role: 'admin' }, new Date())
  assert.equal((await signIn(t.raw, 'intruder', GOOD_PASSWORD)).status, 401)
  const { items } = await audit(t, '', admin)
  const fresh = entry(items, { action: 'sign-in', username: 'intruder' })
  const k = t.db.kysely
  const row = () => k.selectFrom('audit_log').selectAll().where('id', '=', fresh.id).executeTakeFirst()
  const before = await row()
  assert.ok(before)
  await assert.rejects(k.updateTable('audit_log').set({ result: 'success', username: 'someone-else' }).where('id', '=', fresh.id).execute(), /append-only/)
  await assert.rejects(k.deleteFrom('audit_log').where('id', '=', fresh.id).execute(), /180 days/)
  await assert.rejects(k.deleteFrom('audit_log').execute(), /180 days/)
  assert.deepEqual(await row(), before)

  const count = async () => Number((await k.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  const n = await count()
  for (const [method, path] of [['DELETE', '/api/admin/audit'], ['DELETE', `/api/admin/audit/${fresh.id}`], ['PUT', `/api/admin/audit/${fresh.id}`], ['POST', '/api/admin/audit']]) {
    const r = await call(t, admin, method!, path!, method === 'DELETE' ? undefined : { result: 'success' })
    assert.ok(r.status === 404 || r.status === 405, `${method} ${path}: ${r.status}`)
  }
  assert.ok((await count()) >= n, 'nothing was removed')
  assert.deepEqual(await row(), before)

  for (const role of ['leader', 'analyst', 'reporter'] as const) {
    const departmentId = role === 'reporter'
      ? (await k.insertInto('departments').values({ name: `部门-${role}`, short_name: role, sort_order: 0, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()).id
      : null
    if (departmentId !== null) await t.db.versions.refresh()
    const s = await createSession(t.db, { role, departmentId }, new Date())
    const r = await call(t, s, 'GET', '/api/admin/audit')
    assert.equal(r.status, 403, role)
    assert.equal(r.body.items, undefined)
  }
})
