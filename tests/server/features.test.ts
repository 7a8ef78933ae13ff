import { test } from 'vitest'
import assert from 'node:assert/strict'
import { smallCatalog, OUTSIDE_YUBEI, YUBEI_A, TEST_NOW } from '../helpers/app.js'

test('features are an RFC 7946 FeatureCollection filtered by bbox', async () => {
  const t = await smallCatalog()
  const all = await t.get('/api/features')
  assert.equal(all.status, 200)
  assert.match(all.headers.get('content-type')!, /application\/geo\+json/)
  assert.equal(all.body.type, 'FeatureCollection')
  assert.equal(all.body.features.length, 5)
  const f = all.body.features[0]
  assert.equal(f.type, 'Feature')
  assert.deepEqual(f.geometry, { type: 'Point', coordinates: YUBEI_A })
  const near = await t.get('/api/features?bbox=106.62,29.71,106.645,29.735')
  assert.deepEqual(near.body.features.map((x: any) => x.properties.name).sort(), ['某加油站', '某化工仓库', '金开大道中压燃气管'])
  const outside = await t.get(`/api/features?bbox=${OUTSIDE_YUBEI[0] - 0.01},${OUTSIDE_YUBEI[1] - 0.01},${OUTSIDE_YUBEI[0] + 0.01},${OUTSIDE_YUBEI[1] + 0.01}`)
  assert.deepEqual(outside.body.features.map((x: any) => x.properties.name), ['外区调压站'])
  assert.notEqual(outside.body.features[0].properties.districtCode, '500112')
})

test('features filter by kind, risk level, domain, department and resource like the catalog', async () => {
  const t = await smallCatalog()
  const names = async (q: string) => (await t.get(`/api/features?${q}`)).body.features.map((x: any) => x.properties.name).sort()
  assert.deepEqual(await names('kind=pipeline'), ['金开大道中压燃气管'])
  assert.deepEqual(await names('risk=red,orange'), ['某化工仓库'])
  assert.deepEqual(await names('domain=lifeline'), ['外区调压站', '金开大道中压燃气管'])
  assert.deepEqual(await names(`department=${t.ids.emergency}&kind=monitoring-point`), ['可燃气体探测器1号'])
  assert.deepEqual(await names(`resource=${t.ids.chem}`), ['某加油站', '某化工仓库'])
  assert.deepEqual(await names('freshness=never'), ['外区调压站', '金开大道中压燃气管'])
  assert.deepEqual(await names('q=' + encodeURIComponent('没有这个')), [])
})

test('feature paging follows the next link until every feature is seen once', async () => {
  const t = await smallCatalog()
  const seen: number[] = []
  let path: string | null = '/api/features?limit=2'
  let pages = 0
  while (path) {
    const r: any = await t.get(path)
    seen.push(...r.body.features.map((x: any) => x.id))
    assert.equal(r.body.numberReturned, r.body.features.length)
    path = r.body.links.find((l: any) => l.rel === 'next')?.href ?? null
    pages++
  }
  assert.equal(pages, 3)
  assert.deepEqual(seen, [1, 2, 3, 4, 5])
})

test('a feature carries its indicator breakdown and provenance: department, system, resource, freshness', async () => {
  const t = await smallCatalog()
  const { status, body } = await t.get('/api/features/1')
  assert.equal(status, 200)
  assert.equal(body.properties.riskLevel, 'red')
  assert.deepEqual(body.properties.indicators, { exposure: 90 })
  assert.equal(body.properties.impactRadiusM, 800)
  const p = body.properties.provenance
  assert.equal(p.department.name, '渝北区应急局')
  assert.equal(p.system.name, '危化品监管系统')
  assert.equal(p.resource.name, '危险化学品企业基础信息')
  assert.equal(p.resource.updateCycle, 'monthly')
  assert.equal(p.domain.name, '生产安全')
  assert.equal(p.subcategory.name, '危险化学品')
  assert.equal(p.freshness.status, 'on-time')
  assert.equal(Date.parse(p.freshness.dueAt), Date.parse(p.freshness.lastUpdatedAt) + 31 * 86_400_000)
  assert.ok(Date.parse(p.freshness.dueAt) > TEST_NOW.getTime())
})

test('bad feature parameters get 400 naming the parameter', async () => {
  const t = await smallCatalog()
  const cases: [string, string][] = [
    ['bbox=1,2,3', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['bbox=106.7,29.7,106.6,29.8', 'bbox'],
    ['bbox=-200,0,10,10', 'bbox'],
    ['bbox=1,2,3,', 'bbox'],
    ['limit=0', 'limit'],
    ['limit=10001', 'limit'],
    ['limit=2.5', 'limit'],
    ['after=-1', 'after'],
    ['kind=volcano', 'kind'],
    ['risk=purple', 'risk'],
  ]
  for (const [q, parameter] of cases) {
    const r = await t.get(`/api/features?${q}`)
    assert.equal(r.status, 400, q)
    assert.equal(r.body.error.details.parameter, parameter, q)
  }
})

test('regions serve the Chongqing districts with Yubei marked, and a ~1 km grid over Yubei', async () => {
  const t = await smallCatalog()
  const d = await t.get('/api/regions?type=district')
  assert.equal(d.body.features.length, 38)
  const yubei = d.body.features.filter((f: any) => f.properties.focus)
  assert.deepEqual(yubei.map((f: any) => f.properties.name), ['渝北区'])
  const g = await t.get('/api/regions?type=grid')
  // Yubei covers about 1,450 km²: cells touching it, each about 1 km², number somewhat more.
  assert.ok(g.body.features.length > 1300 && g.body.features.length < 2100, String(g.body.features.length))
  const cell = g.body.features[0]
  const [[x0, y0], [x1], [, y2]] = cell.geometry.coordinates[0]
  const kmX = (x1 - x0) * 111.32 * Math.cos((y0 * Math.PI) / 180)
  const kmY = (y2 - y0) * 111.32
  assert.ok(Math.abs(kmX - 1) < 0.02 && Math.abs(kmY - 1) < 0.02, `${kmX} × ${kmY} km`)
  const bad = await t.get('/api/regions?type=province')
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.details.parameter, 'type')
})
