import { test } from 'vitest'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { smallCatalog } from '../helpers/app.js'

/**
 * The catalog and the short-term search index are kept in memory per data version. Any writer — the
 * API, a forms import, another process writing SQL — bumps the version through triggers, so the next
 * request shows the change. These tests write with plain SQL (as another process would) after the
 * caches are warm.
 */

const names = async (t: Awaited<ReturnType<typeof smallCatalog>>, path: string) =>
  ((await t.get(path)).body.items as { name: string; systemName?: string }[])

test('renamed systems, reordered departments and new resources show at once, whoever wrote them', async () => {
  const t = await smallCatalog()
  const before = await names(t, '/api/resources')
  assert.deepEqual(before.map((r) => r.name), ['危险化学品企业基础信息', '危险源实时监测', '燃气泄漏报警记录', '燃气管网基础信息'])
  await t.db.kysely.updateTable('systems').set({ name: '危化品监管系统（新）' }).where('id', '=', t.ids.chemSys).execute()
  await t.db.kysely.updateTable('departments').set({ sort_order: -1 }).where('id', '=', t.ids.city).execute()
  await t.db.versions.refresh()
  const after = await names(t, '/api/resources')
  assert.deepEqual(after.map((r) => r.name), ['燃气泄漏报警记录', '燃气管网基础信息', '危险化学品企业基础信息', '危险源实时监测'], 'the reordered department comes first')
  assert.equal(after[2]!.systemName, '危化品监管系统（新）')
  await t.fx.resource(t.ids.gasSys, '燃气用户档案', { subcategory: 'gas', updateCycle: 'monthly' })
  assert.equal((await t.get('/api/stats/overview')).body.resources, 5)
  await t.db.kysely.deleteFrom('resources').where('name', '=', '燃气用户档案').execute()
  await t.db.versions.refresh()
  assert.equal((await t.get('/api/stats/overview')).body.resources, 4)
})

test('freshness is judged at each request\'s time from the kept catalog, and a new update shows at once', async () => {
  const t = await smallCatalog()
  const freshness = async () => Object.fromEntries(((await t.get('/api/resources')).body.items as { name: string; freshness: { status: string } }[]).map((r) => [r.name, r.freshness.status]))
  assert.equal((await freshness())['燃气管网基础信息'], 'never')
  await t.fx.update(t.ids.gas, '2026-06-14T00:00:00.000Z')
  assert.equal((await freshness())['燃气管网基础信息'], 'on-time')
})

test('search finds names added or removed after the index was built, for short and long terms', async () => {
  const t = await smallCatalog()
  const hits = async (q: string) => ((await t.get(`/api/search?q=${encodeURIComponent(q)}`)).body.results as { title: string }[]).map((h) => h.title)
  assert.deepEqual(await hits('管径'), ['管径'])
  assert.deepEqual(await hits('井盖'), [])
  await t.fx.items(t.ids.gas, ['井盖编号', 'Manhole ID'])
  assert.deepEqual(await hits('井盖'), ['井盖编号'], 'a two-character term, served from memory')
  assert.deepEqual(await hits('井盖编'), ['井盖编号'], 'three characters, served by the trigram index')
  assert.deepEqual(await hits('manhole'), ['Manhole ID'], 'ASCII case folded as LIKE does')
  assert.deepEqual(await hits('h'), ['Manhole ID'])
  assert.deepEqual((await names(t, '/api/resources?q=井盖')).map((r) => r.name), ['燃气管网基础信息'])
  await t.db.kysely.deleteFrom('data_items').where('name', '=', '井盖编号').execute()
  await t.db.versions.refresh()
  assert.deepEqual(await hits('井盖'), [])
  // LIKE's wildcards in a user's text are plain characters.
  assert.deepEqual(await hits('%'), [])
  assert.deepEqual(await hits('__'), [])
})

test('the in-memory tally answers like a GROUP BY over feature_tally, also right after features change', async () => {
  const t = await smallCatalog()
  const { tallyCounts } = await import('../../server/stats/tally-index.js')
  const grouped = async (ids: number[] | null, kinds: string[] | undefined, by: string[]) => (await sql<Record<string, unknown>>`
    SELECT ${sql.join(by.map((c) => sql.ref(c)))}, sum(n) AS n FROM feature_tally
    WHERE ${ids ? sql`resource_id IN (${sql.join(ids)})` : sql`1 = 1`} AND ${kinds ? sql`kind IN (${sql.join(kinds)})` : sql`1 = 1`}
    GROUP BY ${sql.join(by.map((c) => sql.ref(c)))}`.execute(t.db.kysely)).rows.map((r) => ({ ...r, n: Number(r.n) }))
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort()
  const check = async () => {
    for (const ids of [null, [t.ids.chem], [t.ids.gas, t.ids.chemLive]]) {
      for (const kinds of [undefined, ['hazard-source']]) {
        for (const by of [['cell_id'], ['cell_id', 'risk_level'], ['kind', 'risk_level', 'district_code']] as const) {
          assert.deepEqual(sorted(await tallyCounts(t.db, ids, kinds, undefined, [...by])), sorted(await grouped(ids, kinds, [...by])), `${JSON.stringify({ ids, kinds, by })}`)
        }
      }
    }
  }
  await check()
  await t.fx.features([{ resourceId: t.ids.chem, kind: 'hazard-source', name: '新仓库', geometry: { type: 'Point', coordinates: [106.6, 29.7] }, riskLevel: 'red', updatedAt: '2026-06-01T00:00:00.000Z' }])
  await check()
  await t.db.kysely.deleteFrom('features').where('resource_id', '=', t.ids.gas).execute()
  await t.db.versions.refresh()
  await check()
})
