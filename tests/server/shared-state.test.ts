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
import { RegionLocator } from '../../server/geo/regions.js'
import { tileAt } from '../../scripts/bench/viewports.js'
import { createSession, Fixture, requester, TEST_NOW, TEST_SECRET, YUBEI_A } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'

// Two apps, each with its own connection to one database file: what two server processes share
// (the in-memory catalog, tile index and tile cache check the database's data versions on each request).
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
  for (let i = 0; i < 15; i++) assert.equal(await viaA.hit('u7', t + i), 0)
  for (let i = 0; i < 15; i++) assert.equal(await viaB.hit('u7', t + 100 + i), 0)
  assert.equal(await viaA.hit('u7', t + 1_000), 59, 'the 31st in the minute waits for the window to end')
  assert.equal(await viaB.hit('u8', t + 1_000), 0, 'another user counts alone')
  assert.equal(await viaB.hit('u7', t + 60_000), 0, 'a new window starts after a minute')
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

test('a write through one process is seen through the other at once: lists, statistics and tiles', async () => {
  const [a, b] = await twoConnections()
  const fx = new Fixture(a, await RegionLocator.load(a))
  const dept = await fx.department('渝北区应急局')
  const sys = await fx.system(dept, '危化品监管系统')
  const res = await fx.resource(sys, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals', updateCycle: 'monthly' })
  await fx.items(res, ['企业名称'])
  const admin = await createSession(a, { role: 'admin' })
  const deps = { now: () => TEST_NOW, sessionSecret: TEST_SECRET, sleep: async () => {} }
  const viaA = requester(createApp({ ...deps, db: a }), admin)
  const viaB = requester(createApp({ ...deps, db: b }), admin)
  const { z, x, y } = tileAt(YUBEI_A, 14)
  const read = async () => {
    const list = (await (await viaB.request('/api/resources')).json()) as { items: { id: number; name: string }[] }
    const overview = (await (await viaB.request('/api/stats/overview')).json()) as { features: number; featuresByRisk: { red: number } }
    const tile = await viaB.request(`/api/tiles/${z}/${x}/${y}.mvt`)
    return { names: list.items.map((r) => r.name), features: overview.features, red: overview.featuresByRisk.red, tile: tile.status === 200 ? new Uint8Array(await tile.arrayBuffer()).length : 0 }
  }
  const before = await read()
  assert.deepEqual([before.names, before.features, before.red, before.tile], [['危险化学品企业基础信息'], 0, 0, 0])

  // Process A renames the resource through the API and a department system adds a red hazard source.
  const body = { name: '危险化学品企业名录', subcategoryCode: 'hazardous-chemicals', provisionMode: 'database', updateCycle: 'monthly', subjectClass: 'place',
    purpose: 'basic', sharingAttribute: 'conditional', sensitivity: 'internal', reviewer: '', filler: '', phone: '', filledAt: null, items: [{ name: '企业名称', dataType: 'C', length: 50 }] }
  const renamed = await viaA.request(`/api/resources/${res}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  assert.equal(renamed.status, 200, await renamed.text())
  await fx.features([{ resourceId: res, kind: 'hazard-source', name: '某化工仓库', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: TEST_NOW.toISOString() }])

  const after = await read()
  assert.deepEqual([after.names, after.features, after.red], [['危险化学品企业名录'], 1, 1])
  assert.ok(after.tile > 0, 'the tile process B serves now holds the new feature')
})
