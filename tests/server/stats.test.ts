import { test } from 'vitest'
import assert from 'node:assert/strict'
import { sql, type RawBuilder } from 'kysely'
import { createSession, smallCatalog, YUBEI_A } from '../helpers/app.js'
import { call } from '../helpers/auth.js'
import { openKiosk } from '../helpers/kiosk.js'

test('overview counts departments, systems, resources, items, features by risk and overdue resources', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/overview')
  assert.deepEqual(body.departments, { total: 4, reported: 3, noSystems: 1, notStarted: 1, late: 2 })
  assert.equal(body.systems, 2)
  assert.equal(body.resources, 4)
  assert.equal(body.items, 7)
  assert.equal(body.features, 5)
  assert.deepEqual(body.featuresByRisk, { red: 1, orange: 0, yellow: 1, blue: 0 })
  assert.equal(body.overdueResources, 1)
  assert.deepEqual(body.freshness, { 'on-time': 1, 'due-soon': 0, overdue: 1, never: 1, 'not-judged': 1 })
})

test('overview follows the same filters as the lists', async () => {
  const t = await smallCatalog()
  const lifeline = (await t.get('/api/stats/overview?domain=lifeline')).body
  assert.equal(lifeline.resources, 2)
  assert.equal(lifeline.systems, 1)
  assert.equal(lifeline.items, 2)
  assert.equal(lifeline.features, 2)
  const red = (await t.get('/api/stats/overview?risk=red')).body
  assert.equal(red.features, 1)
  assert.equal(red.resources, 1)
  const nothing = (await t.get('/api/stats/overview?q=' + encodeURIComponent('不存在的资源'))).body
  assert.equal(nothing.resources, 0)
  assert.equal(nothing.features, 0)
  assert.equal(nothing.items, 0)
})

test('overview says what it is limited to: the viewer\'s clearance and, when narrowed, only the count of every feature', async () => {
  const t = await smallCatalog()
  // The administrator sees everything: nothing to say, no total.
  assert.deepEqual((await t.get('/api/stats/overview')).body.scope, { clearance: 'all', ownRestricted: false, allFeatures: null })
  // A filter narrows the answer: the total of the whole atlas comes with it.
  const lifeline = (await t.get('/api/stats/overview?domain=lifeline')).body
  assert.deepEqual([lifeline.features, lifeline.scope.allFeatures], [2, 5])

  // A public-only wall sees the 2 features of its public resource and 0 major risks, of 5 features in all.
  const wall = await openKiosk(t, 'public')
  const pub = (await call(t, wall, 'GET', '/api/stats/overview')).body
  assert.deepEqual([pub.features, pub.featuresByRisk.red], [2, 0])
  assert.deepEqual(pub.scope, { clearance: 'public', ownRestricted: false, allFeatures: 5 })
  // Only a count of what it may not see: no breakdown by risk, resource or department of the rest.
  assert.doesNotMatch(JSON.stringify(pub), /某化工仓库|危险化学品/)

  const internalWall = (await call(t, await openKiosk(t, 'internal'), 'GET', '/api/stats/overview')).body
  assert.deepEqual([internalWall.features, internalWall.scope.clearance, internalWall.scope.ownRestricted, internalWall.scope.allFeatures], [5, 'internal', false, 5])
  // A leader sees public, internal and their own department's restricted data.
  const leader = await createSession(t.db, { role: 'leader', departmentId: t.ids.emergency })
  assert.deepEqual((await call(t, leader, 'GET', '/api/stats/overview')).body.scope, { clearance: 'internal', ownRestricted: true, allFeatures: 5 })
})

test('coverage shows covered and uncovered annex-1 sub-categories per domain and per department', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/coverage')
  const lifeline = body.domains.find((d: any) => d.code === 'lifeline')
  assert.equal(lifeline.total, 9)
  assert.equal(lifeline.covered, 1)
  const gas = lifeline.subcategories.find((s: any) => s.code === 'gas')
  assert.deepEqual({ resources: gas.resources, features: gas.features, monitoring: gas.monitoring, departments: gas.departments },
    { resources: 2, features: 2, monitoring: 1, departments: 1 })
  assert.equal(body.domains.find((d: any) => d.code === 'natural').covered, 0)
  const emergency = body.byDepartment.find((d: any) => d.departmentId === t.ids.emergency)
  assert.deepEqual(emergency.cells.map((c: any) => c.subcategoryCode).sort(), ['hazard-source', 'hazardous-chemicals'])
  assert.deepEqual(body.byDepartment.find((d: any) => d.departmentId === t.ids.ndrc).cells, [])
})

test('update-cycle distribution counts declared cycles', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/update-cycles')
  const n = Object.fromEntries(body.cycles.map((c: any) => [c.code, c.resources]))
  assert.deepEqual(n, { realtime: 1, daily: 0, weekly: 0, monthly: 1, quarterly: 1, 'half-yearly': 0, yearly: 0, irregular: 1, other: 0 })
  assert.equal(body.cycles[0].label, '实时')
})

test('freshness per department gives on-time rates and a rank; departments with nothing to judge are unranked', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/freshness')
  const by = Object.fromEntries(body.departments.map((d: any) => [d.departmentId, d]))
  assert.equal(by[t.ids.emergency].onTimeRate, 0.5)
  assert.equal(by[t.ids.emergency].rank, 1)
  assert.equal(by[t.ids.city].onTimeRate, 0)
  assert.equal(by[t.ids.city].rank, 2)
  assert.equal(by[t.ids.ndrc].onTimeRate, null)
  assert.equal(by[t.ids.ndrc].rank, null)
})

test('risk levels by kind, by district and by grid cell', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/risk')
  const hazard = body.byKind.find((k: any) => k.kind === 'hazard-source')
  assert.deepEqual([hazard.red, hazard.orange, hazard.yellow, hazard.blue, hazard.total], [1, 0, 1, 0, 2])
  const yubei = body.byDistrict.find((d: any) => d.code === '500112')
  assert.equal(yubei.name, '渝北区')
  assert.equal(yubei.total, 4)
  assert.equal(body.byDistrict.reduce((s: number, d: any) => s + d.total, 0), 5)
  const cellOfA = t.locator.cellOf(YUBEI_A)
  const cell = body.byCell.find((c: any) => c.cellId === cellOfA)
  // Only the red warehouse stands in the cell of point A (a line is placed by its middle vertex, here B).
  assert.deepEqual([cell.red, cell.total], [1, 1])
  assert.equal(body.byCell.reduce((s: number, c: any) => s + c.total, 0), 4)
  // Counted once per data version: a new red hazard in cell A is counted at once.
  await t.fx.features([{ resourceId: t.ids.chem, kind: 'hazard-source', name: '新储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: new Date().toISOString() }])
  const after = (await t.get('/api/stats/risk')).body
  assert.deepEqual(after.byKind.find((k: any) => k.kind === 'hazard-source').red, 2)
  assert.deepEqual(after.byCell.find((c: any) => c.cellId === cellOfA).red, 2)
})

test('reporting progress against the round deadlines', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/stats/reporting')
  assert.equal(body.round.title, '测试批次')
  assert.deepEqual(body.counts, { 'not-started': 1, 'systems-reported': 0, 'resources-reported': 1, 'no-systems': 1, late: 1 })
  const weather = body.departments.find((d: any) => d.departmentId === t.ids.weather)
  assert.equal(weather.status, 'not-started')
  assert.equal(weather.systemsLate, true)
  const city = body.departments.find((d: any) => d.departmentId === t.ids.city)
  assert.equal(city.status, 'late')
  assert.equal(city.resourcesLate, true)
  assert.equal(city.systemsLate, false)
})

test('feature tallies stay equal to a full recount after deletes, moves and regrading', async () => {
  const t = await smallCatalog()
  const k = t.db.kysely
  const rows = async (query: RawBuilder<unknown>) => (await query.execute(k)).rows
  const recount = () => rows(sql`SELECT resource_id, kind, coalesce(risk_level, '') risk, coalesce(district_code, '') district,
    coalesce(cell_id, -1) cell, count(*) n FROM features GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`)
  const tally = () => rows(sql`SELECT resource_id, kind, risk_level risk, district_code district, cell_id cell, n
    FROM feature_tally ORDER BY 1, 2, 3, 4, 5`)
  const recountSummary = () => rows(sql`SELECT resource_id, kind, coalesce(risk_level, '') risk, coalesce(district_code, '') district,
    count(*) n FROM features GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)
  const summary = () => rows(sql`SELECT resource_id, kind, risk_level risk, district_code district, n
    FROM feature_summary ORDER BY 1, 2, 3, 4`)
  const same = async () => {
    assert.deepEqual(await tally(), await recount())
    assert.deepEqual(await summary(), await recountSummary())
  }
  await same()
  await k.updateTable('features').set({ risk_level: 'orange' }).where('name', '=', '某加油站').execute()
  await k.updateTable('features').set({ cell_id: null, district_code: '500105' }).where('name', '=', '可燃气体探测器1号').execute()
  await k.deleteFrom('features').where('name', '=', '某化工仓库').execute()
  await same()
  await k.deleteFrom('resources').where('id', '=', t.ids.gas).execute()
  await t.db.versions.refresh()
  await same()
  const { body } = await t.get('/api/stats/overview')
  assert.equal(body.features, 2)
  assert.deepEqual(body.featuresByRisk, { red: 0, orange: 1, yellow: 0, blue: 0 })
})

test('bad statistics parameters get 400', async () => {
  const t = await smallCatalog()
  for (const path of ['/api/stats/overview?domain=x', '/api/stats/coverage?risk=pink', '/api/stats/freshness?department=0', '/api/stats/risk?kind=,,x']) {
    const r = await t.get(path)
    assert.equal(r.status, 400, path)
    assert.ok(r.body.error.details.parameter, path)
  }
})
