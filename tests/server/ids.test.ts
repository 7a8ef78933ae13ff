import { test } from 'vitest'
import assert from 'node:assert/strict'
import { Migrator, sql, type Migration } from 'kysely'
import type { Db } from '../../server/db/connect.js'
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
import { emptyDatabase, testEngine } from '../helpers/database.js'

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
  /** Deletes a row behind the app's back (the app then learns of it, as by a notification on PostgreSQL). */
  const deleteRow = async (table: 'features' | 'users' | 'kiosk_links' | 'access_tokens' | 'survey_rounds' | 'api_keys', id: number) => {
    await t.db.kysely.deleteFrom(table).where('id', '=', id).execute()
    await t.db.versions.refresh()
  }
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
    return Number((await t.db.kysely.selectFrom('features').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id)
  }, (id) => deleteRow('features', id))
  await twice('user', async (n) => (await admin('POST', '/api/admin/users', { username: `temp${n}`, password: 'Lantern-Harbour-2046', displayName: '临时', role: 'leader', departmentId: null })).id,
    (id) => deleteRow('users', id))
  await twice('kiosk link', async (n) => (await admin('POST', '/api/admin/kiosk-links', { label: `临时大屏${n}`, ceiling: 'public', query: '' })).id,
    (id) => deleteRow('kiosk_links', id))
  await twice('token', async (n) => (await call(t, leader, 'POST', '/api/auth/tokens', { label: `临时令牌${n}`, days: 30 })).body.id,
    (id) => deleteRow('access_tokens', id))
  await twice('survey round', async (n) => (await admin('POST', '/api/survey-rounds', {
    title: `临时批次${n}`, systemsDeadline: '2026-07-01T12:00+08:00', resourcesDeadline: '2026-07-10T12:00+08:00', departmentIds: [t.ids.emergency] })).round.id,
  (id) => deleteRow('survey_rounds', id))
  await twice('API key', async (n) => (await admin('POST', `/api/systems/${t.ids.chemSys}/api-keys`, { label: `临时密钥${n}` })).id,
    (id) => deleteRow('api_keys', id))
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

/** The rows a query answers (the same SQL on both engines). */
async function all(db: Db, query: ReturnType<typeof sql>): Promise<unknown[]> {
  return (await query.execute(db.kysely)).rows
}

/**
 * The schema objects around the tables, from each engine's own catalog: indexes, triggers and foreign keys
 * (on SQLite from sqlite_master and PRAGMA foreign_key_list; on PostgreSQL from pg_indexes, pg_trigger and pg_constraint).
 */
async function schemaObjects(db: Db) {
  if (db.engine === 'sqlite') {
    return {
      foreignKeys: Object.fromEntries(await Promise.all(ID_TABLES.map(async (t) => [t, await all(db, sql`SELECT * FROM pragma_foreign_key_list(${t})`)]))),
      indexes: await all(db, sql`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`),
      triggers: await all(db, sql`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid`),
    }
  }
  return {
    foreignKeys: await all(db, sql`SELECT conname, conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' ORDER BY conname`),
    indexes: await all(db, sql`SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`),
    triggers: await all(db, sql`SELECT tgname, tgrelid::regclass::text AS tbl, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`),
  }
}

/** Everything but the tables' own CREATE statements: rows, indexes, triggers, foreign keys, the search index, R*Trees and tallies. */
async function snapshot(db: Db) {
  return {
    rows: Object.fromEntries(await Promise.all(ID_TABLES.map(async (t) => [t, await all(db, sql`SELECT * FROM ${sql.table(t)} ORDER BY id`)]))),
    ...(await schemaObjects(db)),
    search: await all(db, sql`SELECT rowid, title FROM catalog_search ORDER BY rowid`),
    rtrees: [await all(db, sql`SELECT id FROM features_rtree ORDER BY id`), await all(db, sql`SELECT id, kind, name FROM nearby_rtree ORDER BY id`)],
    tallies: [await all(db, sql`SELECT * FROM feature_summary ORDER BY 1, 2, 3, 4`), await all(db, sql`SELECT * FROM resource_item_counts ORDER BY 1`)],
  }
}

/** The CREATE statement of a SQLite table. */
async function createStatementOf(db: Db, table: string): Promise<string> {
  const { rows } = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = ${table}`.execute(db.kysely)
  return rows[0]!.sql
}

/** PostgreSQL: the tables whose id is an identity column (drawn from a sequence, which never gives a value twice). */
async function identityTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name`.execute(db.kysely)
  return rows.map((r) => r.table_name)
}

test('migration 0008 keeps every row, id, index, trigger and foreign key of an existing database, and from then on no id is given twice', async () => {
  // A database of the previous schema, with data of every kind and a gap left by a deleted row.
  const db = await emptyDatabase()
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
  const k = db.kysely
  await k.insertInto('kiosk_links').values({ label: '大屏', token_hash: 'h1', ceiling: 'internal', query: `resource=${resources[2]}`, created_by: analyst.userId, created_at: at }).execute()
  await k.insertInto('access_tokens').values({ user_id: analyst.userId, label: 'QGIS', prefix: 'csa_pat_abc', token_hash: 'h2', created_at: at, expires_at: at }).execute()
  await k.insertInto('api_keys').values({ system_id: sys, prefix: 'k', key_hash: 'h3', label: '接口', created_at: at }).execute()
  await k.insertInto('audit_log').values({ at, username: 'analyst', action: 'export', target: 'GET /api/resources.xlsx', result: 'success' }).execute()
  await k.deleteFrom('data_items').where('id', '=', (eb) => eb.selectFrom('data_items').select((e) => e.fn.min('id').as('id'))).execute()
  const before = await snapshot(db)

  await migrated(migrator(db, '0008-ids-never-reused'))

  assert.deepEqual(await snapshot(db), before)
  if (testEngine() === 'sqlite') {
    // SQLite only: 0008 rebuilds each table with AUTOINCREMENT, which its pragmas, schema text and sqlite_sequence show.
    assert.deepEqual(await all(db, sql`PRAGMA foreign_keys`), [{ foreign_keys: 1 }], 'foreign keys are on again')
    assert.deepEqual(await all(db, sql`PRAGMA foreign_key_check`), [])
    assert.deepEqual(await all(db, sql`PRAGMA integrity_check`), [{ integrity_check: 'ok' }])
    for (const t of ID_TABLES) {
      assert.match(await createStatementOf(db, t), /\bid"? integer primary key autoincrement\b/i, t)
      const max = (await sql<{ max: number | null }>`SELECT max(id) AS max FROM ${sql.table(t)}`.execute(k)).rows[0]!.max
      const seq = (await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = ${t}`.execute(k)).rows[0]?.seq
      assert.equal(seq ?? null, max, `${t}: the highest id given so far is kept`)
    }
  } else {
    // PostgreSQL needs no rebuild: each id is an identity column whose sequence has given the highest id so far.
    const identity = await identityTables(db)
    for (const t of ID_TABLES) assert.ok(identity.includes(t), `${t}: an identity id`)
    for (const t of ID_TABLES) {
      const { max, seq } = (await sql<{ max: number | null; seq: number | null }>`SELECT max(id) AS max,
        pg_sequence_last_value(pg_get_serial_sequence(${t}, 'id')::regclass) AS seq FROM ${sql.table(t)}`.execute(k)).rows[0]!
      assert.equal(seq, max, `${t}: the highest id given so far is kept`)
    }
  }

  // The triggers and cascades work on the rebuilt tables: deleting the newest resource takes its items, features, history and search entries.
  const newest = resources[2]!
  const catalogVersion = async () => Number((await k.selectFrom('data_versions').select('version').where('name', '=', 'catalog').executeTakeFirstOrThrow()).version)
  const version = await catalogVersion()
  await k.deleteFrom('resources').where('id', '=', newest).execute()
  await db.versions.refresh()
  for (const [table, column] of [['data_items', 'resource_id'], ['features', 'resource_id'], ['resource_updates', 'resource_id'], ['feature_summary', 'resource_id'],
    ['resource_item_counts', 'resource_id']] as const) {
    const { n } = (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${newest}`.execute(k)).rows[0]!
    assert.equal(Number(n), 0, table)
  }
  const count = async (query: ReturnType<typeof sql>) => Number(((await query.execute(k)).rows[0] as { n: number }).n)
  assert.equal(await count(sql`SELECT count(*) AS n FROM catalog_search WHERE rowid = ${newest * 4 + 2}`), 0)
  assert.equal(await count(sql`SELECT count(*) AS n FROM features_rtree`), 4)
  assert.ok((await catalogVersion()) > version, 'the catalog version moved')
  const next = await fx.resource(otherSys, '桥梁隧道（新）')
  assert.ok(next > newest, `a new resource gets a new id (${next}), not the deleted ${newest}`)
  const search = await sql<{ title: string }>`SELECT title FROM catalog_search WHERE rowid = ${next * 4 + 2}`.execute(k)
  assert.equal(search.rows[0]?.title, '桥梁隧道（新）')
  await fx.update(next, daysAgo(1))
  const updated = await k.selectFrom('resources').select('last_updated_at').where('id', '=', next).executeTakeFirstOrThrow()
  assert.equal(updated.last_updated_at, daysAgo(1), 'the update history still keeps the last update')

  // Undone, the tables are as before (plain rowid ids on SQLite; PostgreSQL's identity ids stay), with every row.
  const withNew = await snapshot(db)
  await migrated(migrator(db, '0008-ids-never-reused'), 'down')
  assert.deepEqual(await snapshot(db), withNew)
  if (testEngine() === 'sqlite') {
    // SQLite only: the down migration rebuilds the tables without AUTOINCREMENT (on PostgreSQL it does nothing).
    for (const t of ID_TABLES) assert.doesNotMatch(await createStatementOf(db, t), /autoincrement/i, t)
    assert.deepEqual(await all(db, sql`PRAGMA foreign_key_check`), [])
  }
  await db.close()
})

test('the chain the server runs includes 0008: a new database, and one that already ran 0009, never give an id twice', async () => {
  for (const skip of [null, '0008-ids-never-reused']) {
    const db = await emptyDatabase()
    const what = skip ? 'after 0009' : 'new'
    if (skip) await migrated(migrator(db, '0009-two-factor', skip))
    await migrateToLatest(db)
    if (testEngine() === 'sqlite') {
      for (const t of ID_TABLES) assert.match(await createStatementOf(db, t), /autoincrement/i, `${t} (${what})`)
      assert.deepEqual(await all(db, sql`PRAGMA foreign_key_check`), [])
    } else {
      const identity = await identityTables(db)
      for (const t of ID_TABLES) assert.ok(identity.includes(t), `${t} (${what}): an identity id`)
    }
    // And in practice: the newest row deleted, the next one gets a new id.
    const department = async (name: string) => (await db.kysely.insertInto('departments')
      .values({ name, short_name: name, sort_order: 0, created_at: TEST_NOW.toISOString() }).returning('id').executeTakeFirstOrThrow()).id
    const first = await department('临时部门1')
    await db.kysely.deleteFrom('departments').where('id', '=', first).execute()
    const second = await department('临时部门2')
    assert.ok(second > first, `departments (${what}): ${first} then ${second}`)
    await db.close()
  }
})
