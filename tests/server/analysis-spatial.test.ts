import { test } from 'vitest'
import assert from 'node:assert/strict'
import { distanceM, type Position } from '../../server/geo/geometry.js'
import { emergencyTypeOf } from '../../server/analysis/surroundings.js'
import { daysAgo, Fixture, smallCatalog, testApp, YUBEI_A } from '../helpers/app.js'

const north = (p: Position, m: number): Position => [p[0], p[1] + m / 111_195]
const east = (p: Position, m: number): Position => [p[0] + m / (111_195 * Math.cos((p[1] * Math.PI) / 180)), p[1]]

test('spatial coverage counts features per grid cell and per district for a kind, and lists the empty cells', async () => {
  const t = await smallCatalog()
  const { status, body } = await t.get('/api/analysis/spatial?kind=hazard-source')
  assert.equal(status, 200)
  const cellA = t.locator.cellOf(YUBEI_A)
  const nonEmpty = body.cells.filter((c: any) => c.n > 0)
  assert.ok(nonEmpty.some((c: any) => c.cellId === cellA && c.n >= 1))
  assert.equal(body.total, 2)
  assert.equal(body.emptyCells.length, body.cells.length - nonEmpty.length)
  assert.deepEqual(body.districts.filter((d: any) => d.n > 0).map((d: any) => [d.name, d.n]), [['渝北区', 2]])
  // A domain filter: the lifeline pipeline and the regulator station outside Yubei.
  const lifeline = (await t.get('/api/analysis/spatial?domain=lifeline')).body
  assert.equal(lifeline.total, 1)
  assert.equal(lifeline.districts.reduce((n: number, d: any) => n + d.n, 0), 2)
})

test('a feature exactly on a grid-cell border is counted once, in one of the two cells it touches', async () => {
  const t = await testApp()
  const fx = new Fixture(t.db, t.locator)
  const sys = await fx.system(await fx.department('渝北区应急局'), '系统')
  const res = await fx.resource(sys, '边界测试')
  // The shared edge of two neighbouring cells near point A, taken from the stored grid.
  const cell = await t.db.kysely.selectFrom('regions').select(['id', 'grid_row', 'grid_col', 'min_x', 'min_y', 'max_y'])
    .where('kind', '=', 'grid').where('id', '=', t.locator.cellOf(YUBEI_A)!).executeTakeFirstOrThrow()
  const west = await t.db.kysely.selectFrom('regions').select('id')
    .where('kind', '=', 'grid').where('grid_row', '=', cell.grid_row).where('grid_col', '=', cell.grid_col! - 1).executeTakeFirstOrThrow()
  const onBorder: Position = [cell.min_x, (cell.min_y + cell.max_y) / 2]
  await fx.features([{ resourceId: res, kind: 'risk-point', name: '边界上的风险点', geometry: { type: 'Point', coordinates: onBorder }, riskLevel: 'red', updatedAt: daysAgo(1) }])
  const { body } = await t.get('/api/analysis/spatial?kind=risk-point')
  const hits = body.cells.filter((c: any) => c.n > 0)
  assert.equal(hits.length, 1)
  assert.equal(hits[0].n, 1)
  assert.ok([cell.id, west.id].includes(hits[0].cellId))
  assert.equal(body.total, 1)
})

test('bad spatial parameters are 400 naming the parameter', async () => {
  const t = await smallCatalog()
  for (const [q, parameter] of [['kind=volcano', 'kind'], ['domain=nowhere', 'domain'], ['risk=purple', 'risk']]) {
    const { status, body } = await t.get(`/api/analysis/spatial?${q}`)
    assert.deepEqual([status, body.error.details.parameter], [400, parameter], q)
  }
})

test('emergency resources are typed by their names', () => {
  assert.equal(emergencyTypeOf('龙溪街道应急避难场所3'), 'shelter')
  assert.equal(emergencyTypeOf('双龙湖消防救援站'), 'fire-station')
  assert.equal(emergencyTypeOf('回兴社区卫生服务中心救护点'), 'medical')
  assert.equal(emergencyTypeOf('木耳镇12号专职救援队'), 'rescue-team')
  assert.equal(emergencyTypeOf('龙山街道防汛物资仓库'), 'supply-depot')
  assert.equal(emergencyTypeOf('某安全技术服务机构1', '应急专家信息'), null)
  assert.equal(emergencyTypeOf('东区1号点', '应急避难场所信息'), 'shelter')
})

async function surroundingsCity() {
  const t = await smallCatalog()
  const fx = new Fixture(t.db, t.locator)
  const sys = await fx.system(t.ids.emergency, '应急资源管理系统')
  const targets = await fx.resource(sys, '重点防护目标信息', { subcategory: 'crowded-place' })
  const supplies = await fx.resource(sys, '应急资源信息', { subcategory: 'hazard-source' })
  const at = (name: string, kind: 'protection-target' | 'emergency-resource', p: Position, capacity?: number) =>
    ({ resourceId: kind === 'protection-target' ? targets : supplies, kind, name, geometry: { type: 'Point' as const, coordinates: p }, capacity: capacity ?? null, updatedAt: daysAgo(1) })
  const places = {
    school: north(YUBEI_A, 300), hospital: east(YUBEI_A, -600), mall: north(YUBEI_A, 1500),
    shelterNear: east(YUBEI_A, 500), shelterMid: north(YUBEI_A, -2500), shelterFar: east(YUBEI_A, 5000),
    team: north(YUBEI_A, 1000), depot: east(YUBEI_A, 4000), medical: north(YUBEI_A, -700), fire: east(YUBEI_A, 12_000),
  }
  await fx.features([
    at('实验小学', 'protection-target', places.school), at('区人民医院', 'protection-target', places.hospital), at('商场', 'protection-target', places.mall),
    at('公园应急避难场所', 'emergency-resource', places.shelterNear, 1000), at('学校操场避难点', 'emergency-resource', places.shelterMid, 500),
    at('远郊应急避难场所', 'emergency-resource', places.shelterFar, 9000), at('危化品应急救援队', 'emergency-resource', places.team, 40),
    at('应急物资储备库', 'emergency-resource', places.depot, 3000), at('社区卫生服务中心救护点', 'emergency-resource', places.medical, 20),
    at('特勤消防站', 'emergency-resource', places.fire, 50),
  ])
  return { ...t, places }
}

test('around a hazard source: its impact radius, the protection targets inside with distances, the nearest resources of each kind', async () => {
  const t = await surroundingsCity()
  const { status, body } = await t.get('/api/analysis/surroundings?feature=1')
  assert.equal(status, 200)
  assert.deepEqual(body.hazard, { id: 1, name: '某化工仓库', riskLevel: 'red', impactRadiusM: 800 })
  assert.equal(body.radiusM, 800)
  const d = (p: Position) => Math.round(distanceM(YUBEI_A, p))
  assert.deepEqual(body.targets.map((x: any) => [x.name, x.distanceM]), [['实验小学', d(t.places.school)], ['区人民医院', d(t.places.hospital)]])
  const nearest = Object.fromEntries(body.emergency.map((e: any) => [e.type, e.nearest.map((n: any) => [n.name, n.distanceM])]))
  assert.deepEqual(nearest['shelter'], [['公园应急避难场所', d(t.places.shelterNear)], ['学校操场避难点', d(t.places.shelterMid)], ['远郊应急避难场所', d(t.places.shelterFar)]])
  assert.deepEqual(nearest['rescue-team'], [['危化品应急救援队', d(t.places.team)]])
  assert.deepEqual(nearest['supply-depot'], [['应急物资储备库', d(t.places.depot)]])
  assert.deepEqual(nearest['medical'], [['社区卫生服务中心救护点', d(t.places.medical)]])
  // The fire station is 12 km away: found by widening the search, not missed.
  assert.deepEqual(nearest['fire-station'], [['特勤消防站', d(t.places.fire)]])
  // Shelters within the default 3 km reach: 1000 + 500 people.
  assert.deepEqual([body.reachM, body.shelters.count, body.shelters.capacity], [3000, 2, 1500])
  const wider = (await t.get('/api/analysis/surroundings?feature=1&reach=6000')).body
  assert.equal(wider.shelters.capacity, 10_500)
})

test('around a free point with a radius the user sets, including an empty radius', async () => {
  const t = await surroundingsCity()
  const p = north(YUBEI_A, 1500)
  const { body } = await t.get(`/api/analysis/surroundings?lon=${p[0]}&lat=${p[1]}&radius=100`)
  assert.equal(body.hazard, null)
  assert.deepEqual(body.targets.map((x: any) => x.name), ['商场'])
  const empty = (await t.get('/api/analysis/surroundings?lon=106.90&lat=30.02&radius=50&reach=50')).body
  assert.deepEqual([empty.targets, empty.shelters.count, empty.shelters.capacity], [[], 0, 0])
})

test('bad surroundings parameters are 400 naming the parameter; an unknown feature is 404', async () => {
  const t = await surroundingsCity()
  const cases: [string, string][] = [
    ['lat=29.7&radius=100', 'lon'],
    ['lon=106.6&radius=100', 'lat'],
    ['lon=106.6&lat=29.7', 'radius'],
    ['lon=106.6&lat=29.7&radius=-5', 'radius'],
    ['lon=106.6&lat=29.7&radius=abc', 'radius'],
    ['lon=200&lat=29.7&radius=100', 'lon'],
    ['lon=106.6&lat=29.7&radius=100&reach=0', 'reach'],
    ['feature=abc', 'feature'],
    ['feature=3', 'radius'],
  ]
  for (const [q, parameter] of cases) {
    const { status, body } = await t.get(`/api/analysis/surroundings?${q}`)
    assert.deepEqual([status, body.error.details.parameter], [400, parameter], q)
  }
  assert.equal((await t.get('/api/analysis/surroundings?feature=99999')).status, 404)
})
