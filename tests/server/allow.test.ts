import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { test } from 'vitest'
import { unstatedAccess } from '../../server/app.js'
import { allow } from '../../server/auth/allow.js'
import { apiRoutes } from '../../server/openapi/generate.js'
import { call } from '../helpers/auth.js'
import { createSession, smallCatalog, testApp } from '../helpers/app.js'

test('every endpoint states who may call it, and every change states its audit entry', async () => {
  const t = await testApp()
  const routes = apiRoutes(t.raw.routes)
  assert.ok(routes.length > 80)
  assert.deepEqual(routes.filter((r) => !r.access).map((r) => r.key), [])
  const unaudited = routes.filter((r) => r.method !== 'GET' && !(r.access && 'audit' in r.access)).map((r) => r.key)
  assert.deepEqual(unaudited, [], 'a POST, PUT or DELETE names its audit action (or null for none, as a preview)')
})

test('an endpoint without allow() is found, so that the app refuses to start with it', () => {
  const app = new Hono().basePath('/api')
    .get('/stated', allow('read'), (c) => c.json({}))
    .post('/forgotten', (c) => c.json({}))
  assert.deepEqual(unstatedAccess(app.routes), ['POST /api/forgotten'])
})

test('the audit entry a route declares is what the log records, for successes, failures and refusals', async () => {
  const t = await smallCatalog()
  const reporter = await createSession(t.db, { role: 'reporter', departmentId: t.ids.emergency, username: 'rep' })
  const created = await call(t, reporter, 'POST', `/api/systems/${t.ids.chemSys}/api-keys`, { label: '推送' })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const refused = await call(t, reporter, 'POST', `/api/systems/${t.ids.gasSys}/api-keys`, { label: '别人的系统' })
  assert.equal(refused.status, 403)
  const invalid = await call(t, reporter, 'POST', `/api/systems/${t.ids.chemSys}/api-keys`, { label: 'x'.repeat(51) })
  assert.equal(invalid.status, 400)
  const log = await call(t, t.admin, 'GET', '/api/admin/audit?pageSize=50')
  const mine = (log.body.items as { username: string; action: string; result: string; target: string }[]).filter((e) => e.username === 'rep')
  assert.deepEqual(mine.map((e) => [e.action, e.result, e.target]).sort(), [
    ['create', 'failure', `POST /api/systems/${t.ids.chemSys}/api-keys`],
    ['create', 'success', `POST /api/systems/${t.ids.chemSys}/api-keys`],
    ['refused', 'refused', `POST /api/systems/${t.ids.gasSys}/api-keys`],
  ])
})
