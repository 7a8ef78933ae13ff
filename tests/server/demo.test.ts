import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { freshDatabase } from '../helpers/database.js'
import { RegionLocator, loadBoundaries, FOCUS_DISTRICT } from '../../server/geo/regions.js'
import { pointInArea, type Geometry, type Position } from '../../server/geo/geometry.js'
import { createApp } from '../../server/app.js'
import { TEST_SECRET, createSession, requester } from '../helpers/app.js'
import { generateDemo, DEFAULT_SEED } from '../../server/demo/generate.js'

const NOW = new Date('2026-11-21T02:00:00.000Z')

async function demoDb(scale: number, seed = DEFAULT_SEED) {
  const db = await freshDatabase()
  const summary = await generateDemo(db, await RegionLocator.load(db), { scale, seed, now: NOW })
  return { db, summary }
}

async function fingerprint(db: Awaited<ReturnType<typeof demoDb>>['db']): Promise<string> {
  const h = createHash('sha256')
  for (const table of ['departments', 'survey_round_departments', 'systems', 'resources', 'data_items', 'resource_updates', 'features'] as const) {
    const order = table === 'survey_round_departments' ? ['round_id', 'department_id'] : ['id']
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.join(order.map((c) => sql.ref(c)))}`.execute(db.kysely)
    for (const row of rows.rows) h.update(JSON.stringify(row))
  }
  return h.digest('hex')
}

test('the demo city is deterministic: same seed, scale and time give the same database', async () => {
  const a = await demoDb(0.2)
  const b = await demoDb(0.2)
  assert.equal(await fingerprint(a.db), await fingerprint(b.db))
  const c = await demoDb(0.2, DEFAULT_SEED + 1)
  assert.notEqual(await fingerprint(a.db), await fingerprint(c.db))
})

test('the demo city has the size and shape the product promises', async () => {
  const { db, summary } = await demoDb(1)
  assert.equal(summary.departments, 13)
  assert.ok(summary.systems >= 35 && summary.systems <= 50, `systems ${summary.systems}`)
  assert.ok(summary.resources >= 180 && summary.resources <= 240, `resources ${summary.resources}`)
  assert.ok(summary.items >= 2500 && summary.items <= 3500, `items ${summary.items}`)
  assert.ok(summary.features >= 18_000 && summary.features <= 24_000, `features ${summary.features}`)
  const app = requester(createApp({ db, now: () => NOW, sessionSecret: TEST_SECRET }), await createSession(db, { role: 'admin' }, NOW))
  const get = async (p: string) => (await app.request(p)).json() as Promise<any>
  const meta = await get('/api/meta')
  assert.equal(meta.demo, true)
  assert.equal(meta.demoInfo.label, '示例数据')
  // Every kind of feature, and risk points graded in all four colours.
  const risk = await get('/api/stats/risk')
  assert.deepEqual(risk.byKind.map((k: any) => k.kind).sort(),
    ['emergency-resource', 'facility', 'hazard-source', 'monitoring-point', 'pipeline', 'protection-target', 'risk-point'])
  const points = risk.byKind.find((k: any) => k.kind === 'risk-point')
  for (const level of ['red', 'orange', 'yellow', 'blue']) assert.ok(points[level] > 0, level)
  // All four domains are present, and some sub-categories are deliberately uncovered.
  const coverage = await get('/api/stats/coverage')
  for (const d of coverage.domains) assert.ok(d.covered > 0, d.name)
  const uncovered = coverage.domains.flatMap((d: any) => d.subcategories).filter((s: any) => s.resources === 0).map((s: any) => s.name)
  assert.ok(uncovered.length >= 2, uncovered.join())
  // Reporting: one department reported "no systems", another has not reported, and some are late.
  const reporting = await get('/api/stats/reporting')
  assert.equal(reporting.round.systemsDeadline, '2022-03-21T04:00:00.000Z')
  assert.equal(reporting.round.resourcesDeadline, '2022-03-29T10:00:00.000Z')
  assert.ok(reporting.counts['no-systems'] >= 1)
  assert.ok(reporting.counts['not-started'] >= 1)
  assert.ok(reporting.counts.late >= 1)
  // Some departments fall behind their declared cycles.
  const fresh = await get('/api/stats/freshness')
  assert.ok(fresh.totals.overdue > 0 && fresh.totals.never > 0 && fresh.totals['on-time'] > fresh.totals.overdue)
  const rates = fresh.departments.filter((d: any) => d.onTimeRate !== null).map((d: any) => d.onTimeRate)
  assert.ok(Math.min(...rates) < 0.6 && Math.max(...rates) > 0.85, rates.join())
  // Hazard sources carry impact radii; emergency resources capacity; graded features their indicators.
  const hazards = await get('/api/features?kind=hazard-source&limit=50')
  assert.ok(hazards.features.every((f: any) => f.properties.impactRadiusM > 0 && Object.keys(f.properties.indicators).length === 13))
  const shelters = await get('/api/features?kind=emergency-resource&limit=50')
  assert.ok(shelters.features.some((f: any) => f.properties.capacity > 0))
})

test('every demo feature lies inside the real Yubei boundary', async () => {
  const { db } = await demoDb(0.5)
  const yubei = loadBoundaries().find((b) => b.properties.code === FOCUS_DISTRICT.code)!
  let checked = 0
  for (const row of await db.kysely.selectFrom('features').select(['geometry', 'district_code']).execute()) {
    const g = JSON.parse(row.geometry) as Geometry
    const positions: Position[] = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2)
    for (const p of positions) assert.ok(pointInArea(p, yubei.geometry), `outside Yubei: ${p}`)
    assert.equal(row.district_code, FOCUS_DISTRICT.code)
    checked++
  }
  assert.ok(checked > 9000)
})
