import { test } from 'vitest'
import assert from 'node:assert/strict'
import { smallCatalog } from '../helpers/app.js'

test('data-item counts per resource stay equal to a full recount after inserts, moves and deletes, and the overview reads them', async () => {
  const t = await smallCatalog()
  const recount = () => t.db.sqlite.prepare(`SELECT resource_id, count(*) n FROM data_items GROUP BY 1 ORDER BY 1`).all()
  const tally = () => t.db.sqlite.prepare(`SELECT resource_id, n FROM resource_item_counts ORDER BY 1`).all()
  assert.deepEqual(tally(), recount())
  await t.fx.items(t.ids.gasAlarm, ['报警时间', '报警位置', '处置状态'])
  assert.deepEqual(tally(), recount())
  t.db.sqlite.prepare(`UPDATE data_items SET resource_id = ? WHERE name = '管径'`).run(t.ids.chem)
  t.db.sqlite.prepare(`DELETE FROM data_items WHERE name = '材质'`).run()
  assert.deepEqual(tally(), recount())
  // Deleting a resource cascades to its items, and the tally follows.
  t.db.sqlite.prepare(`DELETE FROM resources WHERE id = ?`).run(t.ids.chemLive)
  assert.deepEqual(tally(), recount())
  const all = (await t.get('/api/stats/overview')).body
  assert.equal(all.items, (t.db.sqlite.prepare(`SELECT count(*) n FROM data_items`).get() as { n: number }).n)
  const lifeline = (await t.get('/api/stats/overview?domain=lifeline')).body
  assert.equal(lifeline.items, 3, 'the gas alarm records gained three items; the pipeline resource has none left')
})

test('every write to features or to the catalog behind the filters bumps the data version the tile cache is keyed by', async () => {
  const t = await smallCatalog()
  const version = () => Object.fromEntries(t.db.sqlite.prepare(`SELECT name, version FROM data_versions`).all().map((r: any) => [r.name, r.version]))
  const v0 = version()
  t.db.sqlite.prepare(`UPDATE features SET name = name || '（改）' WHERE id = 1`).run()
  const v1 = version()
  assert.ok(v1.features > v0.features)
  t.db.sqlite.prepare(`UPDATE resources SET subcategory_code = 'water-supply' WHERE id = ?`).run(t.ids.gas)
  const v2 = version()
  assert.ok(v2.catalog > v1.catalog)
  await t.fx.update(t.ids.gas, new Date().toISOString())
  assert.ok(version().catalog > v2.catalog, 'an update record changes freshness, which filters use')
})
