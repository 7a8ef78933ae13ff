import { test } from 'vitest'
import assert from 'node:assert/strict'
import { Migrator, type Migration } from 'kysely'
import { openSqlite, type Db } from '../../server/db/connect.js'
import { migrateToLatest } from '../../server/db/migrate.js'
import { seedTaxonomy } from '../../server/selection/taxonomy.js'
import { seedRegions, RegionLocator } from '../../server/geo/regions.js'
import * as m0001 from '../../server/db/migrations/0001-catalog.js'
import * as m0003 from '../../server/db/migrations/0003-supervision.js'
import * as m0004 from '../../server/db/migrations/0004-tiles.js'
import * as m0005 from '../../server/db/migrations/0005-access.js'
import * as m0006 from '../../server/db/migrations/0006-access-tokens.js'
import * as m0007 from '../../server/db/migrations/0007-catalog-version.js'
import * as m0008 from '../../server/db/migrations/0008-ids-never-reused.js'
import * as m0009 from '../../server/db/migrations/0009-two-factor.js'
import { Fixture, TEST_NOW, YUBEI_A, YUBEI_B, createSession, daysAgo, smallCatalog } from '../helpers/app.js'
import { call } from '../helpers/auth.js'
import { openKiosk } from '../helpers/kiosk.js'

/**
 * Ids are never given twice (migration 0008): what names an id — a kiosk link's or token's filter, a
 * bookmark, an OGC client, an audit entry — never comes to name something else.
 */

test('ids are never given again: after deleting the newest department, system, resource, item, feature, user, kiosk link, token, survey round or API key, a new one gets a new id', async () => {
  const t = await smallCatalog()
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await call(t, t.admin, method, path, body)
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  const sql = (text: string, ...args: unknown[]) => t.db.sqlite.prepare(text).run(...args)
  const system = { buildLevel: 'district', builder: '', operator: '', deployment: 'gov-cloud', runStatus: 'maintained', securityLevel: 'level2',
    sharesData: false, sharingModes: [], networks: ['gov-extranet'] }
  const resource = (name: string, items: string[]) => ({ name, subcategoryCode: 'gas', provisionMode: 'api', updateCycle: 'monthly', subjectClass: 'place',
    purpose: 'basic', sharingAttribute: 'conditional', sensitivity: 'internal', items: items.map((n) => ({ name: n, dataType: 'C', length: 20 })) })
  const reused: string[] = []
  /** Creates, deletes and creates again: the second id must be new. */
  const twice = async (what: string, create: (n: number) => Promise<number>, remove: (id: number) => Promise<unknown>) => {
    const first = await create(1)
    await remove(first)
    const second = await create(2)
    if (second <= first) reused.push(`${what}: ${first} then ${second}`)
    return second
  }
  const leader = await createSession(t.db, { role: 'leader', departmentId: t.ids.emergency })

  await twice('department', async (n) => (await admin('POST', '/api/departments', { name: `临时部门${n}` })).id, (id) => admin('DELETE', `/api/departments/${id}`))
  await twice('system', async (n) => (await admin('POST', `/api/departments/${t.ids.emergency}/systems`, { ...system, name: `临时系统${n}` })).id,
    (id) => admin('DELETE', `/api/systems/${id}`))
  // A wall bound to the newest resource must not see the one created after it was deleted.
  let walled = 0
  const resourceId = await twice('resource', async (n) => {
    const id = (await admin('POST', `/api/systems/${t.ids.chemSys}/resources`, resource(`临时资源${n}`, ['名称']))).id as number
    if (n === 1) walled = id
    return id
  }, (id) => admin('DELETE', `/api/resources/${id}`))
  const itemIds = async () => ((await admin('GET', `/api/resources/${resourceId}`)).items as { id: number; name: string }[])
  await twice('data item', async (n) => {
    await admin('PUT', `/api/resources/${resourceId}`, resource('临时资源2', ['名称', `字段${n}`]))
    return (await itemIds()).find((i) => i.name === `字段${n}`)!.id
  }, () => admin('PUT', `/api/resources/${resourceId}`, resource('临时资源2', ['名称'])))
  await twice('feature', async (n) => {
    await t.fx.features([{ resourceId, kind: 'facility', name: `临时要素${n}`, geometry: { type: 'Point', coordinates: YUBEI_A }, updatedAt: TEST_NOW.toISOString() }])
    return t.db.sqlite.prepare(`SELECT max(id) FROM features`).pluck().get() as number
  }, async (id) => sql(`DELETE FROM features WHERE id = ?`, id))
  await twice('user', async (n) => (await admin('POST', '/api/admin/users', { username: `temp${n}`, password: 'Lantern-Harbour-2046', displayName: '临时', role: 'leader', departmentId: null })).id,
    async (id) => sql(`DELETE FROM users WHERE id = ?`, id))
  await twice('kiosk link', async (n) => (await admin('POST', '/api/admin/kiosk-links', { label: `临时大屏${n}`, ceiling: 'public', query: '' })).id,
    async (id) => sql(`DELETE FROM kiosk_links WHERE id = ?`, id))
  await twice('token', async (n) => (await call(t, leader, 'POST', '/api/auth/tokens', { label: `临时令牌${n}`, days: 30 })).body.id,
    async (id) => sql(`DELETE FROM access_tokens WHERE id = ?`, id))
  await twice('survey round', async (n) => (await admin('POST', '/api/survey-rounds', {
    title: `临时批次${n}`, systemsDeadline: '2026-07-01T12:00+08:00', resourcesDeadline: '2026-07-10T12:00+08:00', departmentIds: [t.ids.emergency] })).round.id,
  async (id) => sql(`DELETE FROM survey_rounds WHERE id = ?`, id))
  await twice('API key', async (n) => (await admin('POST', `/api/systems/${t.ids.chemSys}/api-keys`, { label: `临时密钥${n}` })).id,
    async (id) => sql(`DELETE FROM api_keys WHERE id = ?`, id))
  assert.deepEqual(reused, [])

  const wall = await openKiosk(t, 'internal', `resource=${walled}`)
  const shown = await call(t, wall, 'GET', '/api/resources')
  assert.equal(shown.body.total, 0, 'the wall of a deleted resource shows nothing, not its successor')
  assert.equal((await call(t, wall, 'GET', `/api/resources/${resourceId}`)).status, 404)
})

const CHAIN: [string, Migration][] = [
  ['0001-catalog', m0001], ['0003-supervision', m0003], ['0004-tiles', m0004], ['0005-access', m0005],
  ['0006-access-tokens', m0006], ['0007-catalog-version', m0007], ['0008-ids-never-reused', m0008], ['0009-two-factor', m0009],
]
/** The migration chain up to `last` (without `skip`): a database as it was when that was the newest migration. */
function migrator(db: Db, last: string, skip?: string): Migrator {
  const migrations = Object.fromEntries(CHAIN.filter(([name]) => name <= last && name !== skip))
  return new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } })
}
async function migrated(m: Migrator, direction: 'up' | 'down' = 'up'): Promise<void> {
  const { error } = direction === 'up' ? await m.migrateToLatest() : await m.migrateDown()
  if (error) throw error
}

const ID_TABLES = ['departments', 'survey_rounds', 'systems', 'resources', 'data_items', 'resource_updates', 'features', 'api_keys',
  'users', 'kiosk_links', 'access_tokens', 'audit_log']

/** Everything but the tables' own CREATE statements: rows, indexes, triggers, foreign keys, the search index, R*Trees and tallies. */
function snapshot(db: Db) {
  const all = (q: string) => db.sqlite.prepare(q).all()
  return {
    rows: Object.fromEntries(ID_TABLES.map((t) => [t, all(`SELECT * FROM ${t} ORDER BY id`)])),
    foreignKeys: Object.fromEntries(ID_TABLES.map((t) => [t, all(`PRAGMA foreign_key_list(${t})`)])),
    indexes: all(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`),
    triggers: all(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid`),
    search: all(`SELECT rowid, title FROM catalog_search ORDER BY rowid`),
    rtrees: [all(`SELECT id FROM features_rtree ORDER BY id`), all(`SELECT id, kind, name FROM nearby_rtree ORDER BY id`)],
    tallies: [all(`SELECT * FROM feature_summary ORDER BY 1, 2, 3, 4`), all(`SELECT * FROM resource_item_counts ORDER BY 1`)],
  }
}

test('migration 0008 keeps every row, id, index, trigger and foreign key of an existing database, and from then on no id is given twice', async () => {
  // A database of the previous schema, with data of every kind and a gap left by a deleted row.
  const db = openSqlite(':memory:')
  await migrated(migrator(db, '0007-catalog-version'))
  await seedTaxonomy(db)
  await seedRegions(db)
  const fx = new Fixture(db, await RegionLocator.load(db))
  const dept = await fx.department('渝北区应急局')
  const other = await fx.department('渝北区交通局')
  const sys = await fx.system(dept, '危化品监管系统')
  const otherSys = await fx.system(other, '交通监管系统')
  const resources = [await fx.resource(sys, '危险化学品企业'), await fx.resource(sys, '危险源监测'), await fx.resource(otherSys, '桥梁隧道')]
  for (const [i, r] of resources.entries()) {
    await fx.items(r, ['名称', '地址', `字段${i}`])
    await fx.update(r, daysAgo(10 + i))
    await fx.features([
      { resourceId: r, kind: 'protection-target', name: `目标${i}`, geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) },
      { resourceId: r, kind: 'hazard-source', name: `危险源${i}`, geometry: { type: 'Point', coordinates: YUBEI_B }, riskLevel: 'yellow', updatedAt: daysAgo(1) },
    ])
  }
  await fx.round([dept, other], {})
  const analyst = await createSession(db, { role: 'analyst', username: 'analyst' })
  await createSession(db, { role: 'reporter', departmentId: other, clearances: [dept] })
  const at = TEST_NOW.toISOString()
  db.sqlite.prepare(`INSERT INTO kiosk_links (label, token_hash, ceiling, query, created_by, created_at) VALUES ('大屏', 'h1', 'internal', ?, ?, ?)`).run(`resource=${resources[2]}`, analyst.userId, at)
  db.sqlite.prepare(`INSERT INTO access_tokens (user_id, label, prefix, token_hash, created_at, expires_at) VALUES (?, 'QGIS', 'csa_pat_abc', 'h2', ?, ?)`).run(analyst.userId, at, at)
  db.sqlite.prepare(`INSERT INTO api_keys (system_id, prefix, key_hash, label, created_at) VALUES (?, 'k', 'h3', '接口', ?)`).run(sys, at)
  db.sqlite.prepare(`INSERT INTO audit_log (at, username, action, target, result) VALUES (?, 'analyst', 'export', 'GET /api/resources.xlsx', 'success')`).run(at)
  db.sqlite.prepare(`DELETE FROM data_items WHERE id = (SELECT min(id) FROM data_items)`).run()
  const before = snapshot(db)

  await migrated(migrator(db, '0008-ids-never-reused'))

  assert.deepEqual(snapshot(db), before)
  assert.equal(db.sqlite.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again')
  assert.deepEqual(db.sqlite.pragma('foreign_key_check'), [])
  assert.equal(db.sqlite.pragma('integrity_check', { simple: true }), 'ok')
  for (const t of ID_TABLES) {
    assert.match(db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(t) as string, /\bid"? integer primary key autoincrement\b/i, t)
    const max = db.sqlite.prepare(`SELECT max(id) FROM ${t}`).pluck().get() as number | null
    const seq = db.sqlite.prepare(`SELECT seq FROM sqlite_sequence WHERE name = ?`).pluck().get(t) as number | undefined
    assert.equal(seq ?? null, max, `${t}: the highest id given so far is kept`)
  }

  // The triggers and cascades work on the rebuilt tables: deleting the newest resource takes its items, features, history and search entries.
  const newest = resources[2]!
  const catalogVersion = () => db.sqlite.prepare(`SELECT version FROM data_versions WHERE name = 'catalog'`).pluck().get() as number
  const version = catalogVersion()
  db.sqlite.prepare(`DELETE FROM resources WHERE id = ?`).run(newest)
  for (const [table, column] of [['data_items', 'resource_id'], ['features', 'resource_id'], ['resource_updates', 'resource_id'], ['feature_summary', 'resource_id'],
    ['resource_item_counts', 'resource_id']] as const) {
    assert.equal(db.sqlite.prepare(`SELECT count(*) FROM ${table} WHERE ${column} = ?`).pluck().get(newest), 0, table)
  }
  assert.equal(db.sqlite.prepare(`SELECT count(*) FROM catalog_search WHERE rowid = ?`).pluck().get(newest * 4 + 2), 0)
  assert.equal(db.sqlite.prepare(`SELECT count(*) FROM features_rtree`).pluck().get(), 4)
  assert.ok(catalogVersion() > version, 'the catalog version moved')
  const next = await fx.resource(otherSys, '桥梁隧道（新）')
  assert.ok(next > newest, `a new resource gets a new id (${next}), not the deleted ${newest}`)
  assert.equal(db.sqlite.prepare(`SELECT title FROM catalog_search WHERE rowid = ?`).pluck().get(next * 4 + 2), '桥梁隧道（新）')
  await fx.update(next, daysAgo(1))
  assert.equal(db.sqlite.prepare(`SELECT last_updated_at FROM resources WHERE id = ?`).pluck().get(next), daysAgo(1), 'the update history still keeps the last update')

  // Undone, the tables are as before (plain rowid ids), with every row.
  const withNew = snapshot(db)
  await migrated(migrator(db, '0008-ids-never-reused'), 'down')
  assert.deepEqual(snapshot(db), withNew)
  for (const t of ID_TABLES) assert.doesNotMatch(db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(t) as string, /autoincrement/i, t)
  assert.deepEqual(db.sqlite.pragma('foreign_key_check'), [])
  await db.close()
})

test('the chain the server runs includes 0008: a new database, and one that already ran 0009, never give an id twice', async () => {
  for (const skip of [null, '0008-ids-never-reused']) {
    const db = openSqlite(':memory:')
    if (skip) await migrated(migrator(db, '0009-two-factor', skip))
    await migrateToLatest(db)
    for (const t of ID_TABLES) assert.match(db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(t) as string, /autoincrement/i, `${t} (${skip ? 'after 0009' : 'new'})`)
    assert.deepEqual(db.sqlite.pragma('foreign_key_check'), [])
    await db.close()
  }
})
