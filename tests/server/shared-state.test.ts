import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, test } from 'vitest'
import { createApp } from '../../server/app.js'
import { SharedRateLimiter } from '../../server/auth/rate-limit.js'
import { hashPassword } from '../../server/auth/passwords.js'
import { newTotpSecret, totpCode } from '../../server/auth/two-factor.js'
import { openDatabase, type Db } from '../../server/db/connect.js'
import { prepareDatabase } from '../../server/prepare.js'
import { RegionLocator } from '../../server/geo/regions.js'
import { tileAt } from '../../scripts/bench/viewports.js'
import { createSession, Fixture, requester, TEST_NOW, TEST_SECRET, YUBEI_A } from '../helpers/app.js'
import { signIn, signInCode } from '../helpers/auth.js'
import { newDatabaseUrl, testEngine } from '../helpers/database.js'

// Two apps, each with its own connection to one database (a SQLite file, or a PostgreSQL database): what
// two server processes share (the in-memory catalog, tile index and tile cache are keyed by the
// database's data versions: read on each request on SQLite, learnt by notification on PostgreSQL).
const dir = mkdtempSync(join(tmpdir(), 'atlas-shared-'))
const opened: Db[] = []
afterAll(async () => {
  for (const db of opened) await db.close()
  rmSync(dir, { recursive: true, force: true })
})

async function twoConnections() {
  const url = await newDatabaseUrl(dir)
  const open = () => {
    const db = openDatabase(url, { poolSize: 5, idleTimeoutMs: 1000 })
    opened.push(db)
    return db
  }
  const first = open()
  await prepareDatabase(first)
  return [first, open()] as const
}

/**
 * Reads what one process answers until `done` holds: the first answer must hold on SQLite (every request
 * reads the data versions); on PostgreSQL a write reaches the other process by notification, within a second.
 */
async function seen<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = performance.now() + (testEngine() === 'postgres' ? 1000 : 0)
  for (;;) {
    const value = await read()
    if (done(value) || performance.now() >= deadline) return value
    await new Promise((r) => setTimeout(r, 25))
  }
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
  const at = TEST_NOW.toISOString()
  await a.kysely.insertInto('users').values({
    username: 'liwei', username_key: 'liwei', display_name: '李伟', role: 'analyst', password_hash: await hashPassword('Hx7-lantern-Quay'),
    password_changed_at: at, created_at: at, updated_at: at,
  }).execute()
  await a.versions.refresh()
  await b.versions.refresh()
  const deps = { now: () => TEST_NOW, sessionSecret: TEST_SECRET, sleep: async () => {} }
  const appA = createApp({ ...deps, db: a })
  const appB = createApp({ ...deps, db: b })
  for (const app of [appA, appB, appA, appB]) assert.equal((await signIn(app, 'liwei', 'wrong-password-1')).status, 401)
  const lockedUntil = async (db: Db) => (await db.kysely.selectFrom('users').select('locked_until').where('username', '=', 'liwei').executeTakeFirstOrThrow()).locked_until
  assert.equal(await lockedUntil(a), null, 'four failures: not locked yet')
  assert.equal((await signIn(appB, 'liwei', 'wrong-password-1')).status, 401)
  assert.ok(await lockedUntil(b), 'the fifth, through the other process, locks it')
  assert.equal((await signIn(appA, 'liwei', 'Hx7-lantern-Quay')).status, 401, 'locked for both processes, even against the right password')
})

test('a sign-in code sent through two processes at once signs in once', async () => {
  const [a, b] = await twoConnections()
  const at = TEST_NOW.toISOString()
  const { id } = await a.kysely.insertInto('users').values({
    username: 'zhouyan', username_key: 'zhouyan', display_name: '周燕', role: 'analyst', password_hash: await hashPassword('Hx7-lantern-Quay'),
    password_changed_at: at, created_at: at, updated_at: at,
  }).returning('id').executeTakeFirstOrThrow()
  const secret = newTotpSecret()
  await a.kysely.insertInto('user_two_factor').values({ user_id: id, secret, enabled_at: at, last_step: 0, created_at: at }).execute()
  const deps = { now: () => TEST_NOW, sessionSecret: TEST_SECRET, sleep: async () => {} }
  const appA = createApp({ ...deps, db: a })
  const appB = createApp({ ...deps, db: b })
  const pending = await signIn(appA, 'zhouyan', 'Hx7-lantern-Quay')
  assert.equal(pending.status, 202)
  const code = totpCode(secret, TEST_NOW)
  const both = await Promise.all([signInCode(appA, pending.pending, code), signInCode(appB, pending.pending, code)])
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 401], 'one of the two is refused')
  assert.equal((await a.kysely.selectFrom('sessions').select('token_hash').where('user_id', '=', id).execute()).length, 1, 'one session')
})

test(`a write through one process is seen through the other ${testEngine() === 'postgres' ? 'within a second' : 'at once'}: lists, statistics and tiles`, async () => {
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

  const after = await seen(read, (v) => v.names[0] === '危险化学品企业名录' && v.features === 1 && v.red === 1 && v.tile > 0)
  assert.deepEqual([after.names, after.features, after.red], [['危险化学品企业名录'], 1, 1])
  assert.ok(after.tile > 0, 'the tile process B serves now holds the new feature')
})
