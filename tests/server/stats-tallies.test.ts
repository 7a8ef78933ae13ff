import { test } from 'vitest'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { smallCatalog } from '../helpers/app.js'

test('data-item counts per resource stay equal to a full recount after inserts, moves and deletes, and the overview reads them', async () => {
  const t = await smallCatalog()
  const k = t.db.kysely
  const recount = async () => (await sql`SELECT resource_id, count(*) n FROM data_items GROUP BY 1 ORDER BY 1`.execute(k)).rows
  const tally = async () => (await sql`SELECT resource_id, n FROM resource_item_counts ORDER BY 1`.execute(k)).rows
  assert.deepEqual(await tally(), await recount())
  await t.fx.items(t.ids.gasAlarm, ['报警时间', '报警位置', '处置状态'])
  assert.deepEqual(await tally(), await recount())
  await k.updateTable('data_items').set({ resource_id: t.ids.chem }).where('name', '=', '管径').execute()
  await k.deleteFrom('data_items').where('name', '=', '材质').execute()
  assert.deepEqual(await tally(), await recount())
  // Deleting a resource cascades to its items, and the tally follows.
  await k.deleteFrom('resources').where('id', '=', t.ids.chemLive).execute()
  await t.db.versions.refresh()
  assert.deepEqual(await tally(), await recount())
  const all = (await t.get('/api/stats/overview')).body
  const { n } = await k.selectFrom('data_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(all.items, Number(n))
  const lifeline = (await t.get('/api/stats/overview?domain=lifeline')).body
  assert.equal(lifeline.items, 3, 'the gas alarm records gained three items; the pipeline resource has none left')
})

test('every write to features or to the catalog behind the filters bumps the data version the tile cache is keyed by', async () => {
  const t = await smallCatalog()
  const k = t.db.kysely
  const version = async () => Object.fromEntries((await k.selectFrom('data_versions').select(['name', 'version']).execute()).map((r) => [r.name, Number(r.version)]))
  const v0 = await version()
  await k.updateTable('features').set((eb) => ({ name: eb('name', '||', '（改）') })).where('id', '=', 1).execute()
  const v1 = await version()
  assert.ok(v1.features! > v0.features!)
  await k.updateTable('resources').set({ subcategory_code: 'water-supply' }).where('id', '=', t.ids.gas).execute()
  const v2 = await version()
  assert.ok(v2.catalog! > v1.catalog!)
  await t.fx.update(t.ids.gas, new Date().toISOString())
  assert.ok((await version()).catalog! > v2.catalog!, 'an update record changes freshness, which filters use')
})
