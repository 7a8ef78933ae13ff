import { test } from 'vitest'
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { smallCatalog, tileOf, YUBEI_A, YUBEI_B, daysAgo } from '../helpers/app.js'
import { tileBounds } from '../../server/tiles/tile-math.js'

type App = Awaited<ReturnType<typeof smallCatalog>>

async function fetchTile(t: App, path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { 'accept-encoding': 'gzip', ...headers } })
  const body = Buffer.from(await res.arrayBuffer())
  return { res, body }
}

/** Decodes a gzip-compressed tile into plain features per layer (properties and GeoJSON geometry). */
function decode(gz: Buffer, z: number, x: number, y: number) {
  const tile = new VectorTile(new PbfReader(gunzipSync(gz)))
  const out: Record<string, { properties: Record<string, unknown>; geometry: { type: string; coordinates: any } }[]> = {}
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = Array.from({ length: layer.length }, (_, i) => {
      const f = layer.feature(i)
      return { properties: f.properties, geometry: f.toGeoJSON(x, y, z).geometry as any }
    })
  }
  return out
}

const ids = (layer: { properties: Record<string, unknown> }[] | undefined) => (layer ?? []).map((f) => Number(f.properties.id)).sort((a, b) => a - b)

test('a street-level tile holds exactly the features the GeoJSON endpoint returns for its bounds and filters', async () => {
  const t = await smallCatalog()
  const z = 15
  const [x, y] = tileOf(YUBEI_A, z)
  for (const filter of ['', 'domain=lifeline', 'risk=red', `department=${t.ids.emergency}`, 'kind=pipeline,hazard-source']) {
    const { res, body } = await fetchTile(t, `/api/tiles/${z}/${x}/${y}.mvt${filter ? `?${filter}` : ''}`)
    assert.equal(res.status, 200, filter)
    const layers = decode(body, z, x, y)
    // Points belong to the tile they stand in; lines to every tile they cross (with its buffer).
    const [w, s, e, n] = tileBounds(z, x, y)
    const [bw, bs, be, bn] = tileBounds(z, x, y, 64)
    const geo = (await t.get(`/api/features?bbox=${bw},${bs},${be},${bn}${filter ? `&${filter}` : ''}`)).body.features as any[]
    const expected = geo.filter((f) => f.geometry.type !== 'Point' ||
      (f.geometry.coordinates[0] >= w && f.geometry.coordinates[0] < e && f.geometry.coordinates[1] > s && f.geometry.coordinates[1] <= n))
    const got = [...ids(layers.points), ...ids(layers.alerts), ...ids(layers.lines), ...ids(layers.polygons)].sort((a, b) => a - b)
    assert.deepEqual(got, expected.map((f) => f.id).sort((a, b) => a - b), `filter "${filter}"`)
    // Properties enough to style and to open: id, name, kind, risk level, domain.
    for (const f of expected) {
      const layer = f.geometry.type === 'LineString' ? layers.lines : f.properties.riskLevel === 'red' ? layers.alerts : layers.points
      const drawn = layer!.find((d) => d.properties.id === f.id)!
      assert.equal(drawn.properties.kind, f.properties.kind)
      assert.equal(drawn.properties.name, f.properties.name)
      assert.equal(drawn.properties.riskLevel, f.properties.riskLevel ?? undefined)
      assert.equal(drawn.properties.domainCode, f.properties.domainCode)
      // A hazard's impact radius comes with it, for the circle drawn around it.
      assert.equal(drawn.properties.impactRadiusM, f.properties.impactRadiusM ?? undefined)
      if (f.geometry.type === 'Point') {
        // Within a metre or so of the real position (tile units at z15 are ~1 m).
        assert.ok(Math.abs(drawn.geometry.coordinates[0] - f.geometry.coordinates[0]) < 2e-5)
        assert.ok(Math.abs(drawn.geometry.coordinates[1] - f.geometry.coordinates[1]) < 2e-5)
      }
    }
  }
})

test('at low zoom dense points become clusters with their count and worst risk; red risks stay in their own layer', async () => {
  const t = await smallCatalog()
  const levels = ['blue', 'yellow', 'orange', 'blue', null] as const
  await t.fx.features(levels.map((riskLevel, i) => ({
    resourceId: t.ids.chem, kind: 'risk-point' as const, name: `聚合测试点${i}`, riskLevel,
    geometry: { type: 'Point' as const, coordinates: [YUBEI_B[0] + i * 1e-4, YUBEI_B[1]] as [number, number] }, updatedAt: daysAgo(1),
  })))
  const z = 10
  const [x, y] = tileOf(YUBEI_B, z)
  const layers = decode((await fetchTile(t, `/api/tiles/${z}/${x}/${y}.mvt`)).body, z, x, y)
  const clusters = layers.points!.filter((f) => f.properties.cluster)
  // B's yellow station and the five new points share one cluster cell: six points, worst orange.
  const cluster = clusters.find((c) => c.properties.point_count === 6)
  assert.ok(cluster, JSON.stringify(layers.points!.map((f) => f.properties)))
  assert.equal(cluster.properties.worstRisk, 'orange')
  assert.equal(cluster.properties.point_count_abbreviated, '6')
  // The red warehouse at A is not folded into it.
  assert.deepEqual(layers.alerts!.map((f) => f.properties.name), ['某化工仓库'])
})

test('tiles are gzip-compressed with a strong ETag; If-None-Match gets 304 and the browser is told to revalidate', async () => {
  const t = await smallCatalog()
  const [x, y] = tileOf(YUBEI_A, 14)
  const path = `/api/tiles/14/${x}/${y}.mvt`
  const first = await fetchTile(t, path)
  assert.equal(first.res.headers.get('content-type'), 'application/vnd.mapbox-vector-tile')
  assert.equal(first.res.headers.get('content-encoding'), 'gzip')
  assert.equal(first.res.headers.get('cache-control'), 'no-cache')
  const etag = first.res.headers.get('etag')!
  assert.match(etag, /^"[^"]+"$/, 'a strong validator')
  const again = await fetchTile(t, path, { 'if-none-match': etag })
  assert.equal(again.res.status, 304)
  assert.equal(again.body.length, 0)
  assert.equal(again.res.headers.get('etag'), etag)
  const other = await fetchTile(t, path, { 'if-none-match': '"something-else"' })
  assert.equal(other.res.status, 200)
  // A client that cannot take gzip gets the same tile uncompressed, under its own validator.
  const plain = await t.app.request(path)
  assert.equal(plain.headers.get('content-encoding'), null)
  assert.notEqual(plain.headers.get('etag'), etag)
  assert.deepEqual(Buffer.from(await plain.arrayBuffer()), gunzipSync(first.body))
})

test('an import, an edit or a delete changes the tile and its ETag at once', async () => {
  const t = await smallCatalog()
  const z = 15
  const [x, y] = tileOf(YUBEI_A, z)
  const path = `/api/tiles/${z}/${x}/${y}.mvt`
  const before = await fetchTile(t, path)
  await t.fx.features([{ resourceId: t.ids.chem, kind: 'hazard-source', name: '新导入的储罐', geometry: { type: 'Point', coordinates: [YUBEI_A[0] + 2e-4, YUBEI_A[1]] },
    riskLevel: 'orange', updatedAt: daysAgo(0) }])
  const afterInsert = await fetchTile(t, path, { 'if-none-match': before.res.headers.get('etag')! })
  assert.equal(afterInsert.res.status, 200, 'the old ETag no longer matches')
  assert.notEqual(afterInsert.res.headers.get('etag'), before.res.headers.get('etag'))
  const names = (b: Buffer) => Object.values(decode(b, z, x, y)).flat().map((f) => f.properties.name)
  assert.ok(names(afterInsert.body).includes('新导入的储罐'))

  await t.db.kysely.updateTable('features').set({ risk_level: 'red' }).where('name', '=', '新导入的储罐').execute()
  await t.db.versions.refresh()
  const afterEdit = decode((await fetchTile(t, path)).body, z, x, y)
  assert.ok(afterEdit.alerts!.some((f) => f.properties.name === '新导入的储罐'), 'regraded red: now drawn as an alert')

  await t.db.kysely.deleteFrom('features').where('name', '=', '新导入的储罐').execute()
  await t.db.versions.refresh()
  assert.ok(!names((await fetchTile(t, path)).body).includes('新导入的储罐'))
})

test('bad tile coordinates and filters get 400 naming the parameter', async () => {
  const t = await smallCatalog()
  const cases: [string, string][] = [
    ['/api/tiles/23/0/0.mvt', 'z'],
    ['/api/tiles/x/0/0.mvt', 'z'],
    ['/api/tiles/3/8/0.mvt', 'x'],
    ['/api/tiles/3/0/8.mvt', 'y'],
    ['/api/tiles/3/0/0.png', 'y'],
    ['/api/tiles/3/0/-1.mvt', 'y'],
    ['/api/tiles/10/0/0.mvt?risk=pink', 'risk'],
    ['/api/tiles/10/0/0.mvt?kind=x', 'kind'],
    ['/api/tiles/10/0/0.mvt?domain=nowhere', 'domain'],
    ['/api/tiles/10/0/0.mvt?department=0', 'department'],
  ]
  for (const [path, parameter] of cases) {
    const r = await t.get(path)
    assert.equal(r.status, 400, path)
    assert.equal(r.body.error.details.parameter, parameter, path)
  }
})
