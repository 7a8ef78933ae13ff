import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createSession, smallCatalog, YUBEI_A, YUBEI_B, YUBEI_FAR } from '../helpers/app.js'
import { upload } from '../helpers/forms.js'
import {
  csv, gaussKrugerForward, gcj02ToBd09, kmlDocument, kmz, metresBetween, PRJ_CGCS2000, prjGk3, shapefileZip, wgs84ToGcj02,
} from '../fixtures/geodata.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>
type Pos = [number, number]

const preview = (t: Catalog, resourceId: number, bytes: Buffer, name: string, fields: Record<string, string> = {}) =>
  upload(t.app, `/api/resources/${resourceId}/geodata/preview`, bytes, name, fields)

/** Previews, then imports with the preview's plan hash; returns both answers. */
async function previewAndImport(t: Catalog, resourceId: number, bytes: Buffer, name: string, fields: Record<string, string> = {}) {
  const p = await preview(t, resourceId, bytes, name, fields)
  assert.equal(p.status, 200, JSON.stringify(p.body))
  assert.deepEqual(p.body.problems, [], 'no problems expected')
  const i = await upload(t.app, `/api/resources/${resourceId}/geodata/import`, bytes, name, { ...fields, planHash: p.body.planHash })
  assert.equal(i.status, 200, JSON.stringify(i.body))
  return { preview: p.body, imported: i.body }
}

const storedFeatures = async (t: Catalog, resourceId: number) =>
  (await t.db.kysely.selectFrom('features').select(['id', 'kind', 'name', 'geometry', 'risk_level', 'attributes', 'district_code'])
    .where('resource_id', '=', resourceId).orderBy('id').execute())
    .map((r) => ({ ...r, geometry: JSON.parse(r.geometry), attributes: JSON.parse(r.attributes) }))
const historyOf = (t: Catalog, resourceId: number) =>
  t.db.kysely.selectFrom('resource_updates').select(['id', 'updated_at', 'record_count', 'source', 'note']).where('resource_id', '=', resourceId).orderBy('id').execute()

const pointFeature = (p: Pos, props: Record<string, unknown>) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: props })
const square = ([x, y]: Pos, d = 0.002): Pos[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]

test('GeoJSON: the preview counts, bounds and maps the columns and writes nothing; the import replaces the features and records the update', async () => {
  const t = await smallCatalog()
  const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [
    pointFeature(YUBEI_A, { 名称: '新加油站', 风险等级: '较大风险', 企业编码: 'A001' }),
    pointFeature(YUBEI_B, { 名称: '新仓库', 风险等级: 'red', 企业编码: 'A002' }),
    pointFeature(YUBEI_FAR, { 名称: '新储罐', 风险等级: '', 企业编码: 'A003' }),
  ] }))
  const oldIds = (await storedFeatures(t, t.ids.chem)).map((f) => f.id)
  const overview = (await t.get('/api/stats/overview')).body
  const historyBefore = (await historyOf(t, t.ids.chem))
  const p = await preview(t, t.ids.chem, file, 'hazards.geojson')
  assert.equal(p.status, 200)
  assert.equal(p.body.format, 'geojson')
  assert.equal(p.body.featureCount, 3)
  assert.deepEqual(p.body.geometryTypes, { Point: 3 })
  assert.deepEqual(p.body.bounds, [YUBEI_A[0], YUBEI_A[1], YUBEI_FAR[0], YUBEI_FAR[1]])
  assert.deepEqual(p.body.crs, { requested: 'auto', used: 'wgs84', label: 'WGS84 经纬度', fromPrj: false })
  assert.deepEqual(p.body.columns.map((c: any) => c.name), ['名称', '风险等级', '企业编码'])
  assert.deepEqual(p.body.columns[2].samples, ['A001', 'A002', 'A003'])
  // No kind column: the resource's existing features are hazard sources.
  assert.deepEqual(p.body.mapping, { name: '名称', kind: null, kindFixed: 'hazard-source', risk: '风险等级', lon: null, lat: null, wkt: null })
  assert.equal(p.body.existingFeatures, 2)
  assert.equal(p.body.problemCount, 0)
  assert.deepEqual(p.body.preview.features.map((f: any) => f.properties), [
    { n: 1, name: '新加油站', kind: 'hazard-source', riskLevel: 'orange' },
    { n: 2, name: '新仓库', kind: 'hazard-source', riskLevel: 'red' },
    { n: 3, name: '新储罐', kind: 'hazard-source', riskLevel: null },
  ])
  assert.match(p.body.planHash, /^[0-9a-f]{64}$/)
  // A preview writes nothing.
  assert.deepEqual((await storedFeatures(t, t.ids.chem)).map((f) => f.id), oldIds)
  assert.deepEqual((await historyOf(t, t.ids.chem)), historyBefore)

  const i = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, file, 'hazards.geojson', { planHash: p.body.planHash })
  assert.equal(i.status, 200)
  assert.equal(i.body.inserted, 3)
  assert.equal(i.body.removed, 2)
  const stored = (await storedFeatures(t, t.ids.chem))
  assert.deepEqual(stored.map((f) => f.name), ['新加油站', '新仓库', '新储罐'])
  assert.ok(stored.every((f) => !oldIds.includes(f.id)), 'old features are gone')
  assert.deepEqual(stored[0]!.attributes, { 企业编码: 'A001' })
  assert.ok(stored.every((f) => f.district_code !== null), 'regions located')
  const history = (await historyOf(t, t.ids.chem))
  assert.equal(history.length, historyBefore.length + 1)
  const last = history[history.length - 1]!
  assert.deepEqual({ ...last }, { id: i.body.updateId, updated_at: i.body.updatedAt, record_count: 3, source: 'geodata', note: '空间数据导入：geojson，3 个要素，替换原有 2 个' })
  // Statistics, the feature query and the resource page see the import at once.
  const after = (await t.get('/api/stats/overview')).body
  assert.equal(after.features, overview.features + 1)
  const listed = (await t.get(`/api/features?resource=${t.ids.chem}&limit=100`)).body
  assert.deepEqual(listed.features.map((f: any) => f.properties.name).sort(), ['新仓库', '新储罐', '新加油站'])
  const page = (await t.get(`/api/resources/${t.ids.chem}`)).body
  assert.equal(page.resource.freshness.lastUpdatedAt, i.body.updatedAt)
  assert.equal(page.updates[0].source, 'geodata')
})

test('CSV with longitude/latitude columns (UTF-8 with BOM): columns guessed, a kind column read by label', async () => {
  const t = await smallCatalog()
  const file = csv([['名称', '经度', '纬度', '类型', '管理单位'], ['消防站一', YUBEI_A[0], YUBEI_A[1], '应急资源', '区消防救援支队'], ['消防站二', YUBEI_B[0], YUBEI_B[1], 'emergency-resource', '']], 'utf-8-bom')
  const { preview: p } = await previewAndImport(t, t.ids.gasAlarm, file, 'stations.csv')
  assert.equal(p.format, 'csv')
  assert.equal(p.encoding, 'utf-8')
  assert.deepEqual(p.mapping, { name: '名称', kind: '类型', kindFixed: null, risk: null, lon: '经度', lat: '纬度', wkt: null })
  assert.deepEqual(p.columns.find((c: any) => c.name === '经度'), { name: '经度', samples: [String(YUBEI_A[0]), String(YUBEI_B[0])], type: 'number' })
  const stored = (await storedFeatures(t, t.ids.gasAlarm))
  assert.deepEqual(stored.map((f) => [f.name, f.kind, f.geometry.coordinates]), [['消防站一', 'emergency-resource', YUBEI_A], ['消防站二', 'emergency-resource', YUBEI_B]])
  assert.deepEqual(stored.map((f) => f.attributes), [{ 管理单位: '区消防救援支队' }, { 管理单位: null }])
})

test('CSV with a WKT column, encoded in GBK: detected as GBK, polygons and points read', async () => {
  const t = await smallCatalog()
  const ring = square(YUBEI_A).map((p) => `${p[0]} ${p[1]}`).join(', ')
  const file = csv([['名称', 'WKT', '备注'], ['人民广场', `POLYGON ((${ring}))`, '重点防护'], ['中心小学', `POINT (${YUBEI_B[0]} ${YUBEI_B[1]})`, '学校']], 'gbk')
  const { preview: p } = await previewAndImport(t, t.ids.gasAlarm, file, 'targets.csv', { mapping: JSON.stringify({ kindFixed: 'protection-target' }) })
  assert.equal(p.encoding, 'gbk')
  assert.deepEqual(p.mapping, { name: '名称', kind: null, kindFixed: 'protection-target', risk: null, lon: null, lat: null, wkt: 'WKT' })
  assert.deepEqual(p.geometryTypes, { Polygon: 1, Point: 1 })
  const stored = (await storedFeatures(t, t.ids.gasAlarm))
  assert.deepEqual(stored.map((f) => [f.name, f.geometry.type, f.attributes.备注]), [['人民广场', 'Polygon', '重点防护'], ['中心小学', 'Point', '学校']])
  assert.deepEqual(stored[0]!.geometry.coordinates, [square(YUBEI_A)])
})

test('KML and KMZ: placemarks with ExtendedData, points and polygons', async () => {
  const t = await smallCatalog()
  const doc = kmlDocument([
    { name: '调压站', point: YUBEI_A, data: { 风险等级: '一般风险', 编号: 'T-1' } },
    { name: '储配站', polygon: square(YUBEI_B), data: { 风险等级: '重大风险', 编号: 'T-2' } },
  ])
  const fields = { mapping: JSON.stringify({ kindFixed: 'facility' }) }
  const { preview: p } = await previewAndImport(t, t.ids.gas, Buffer.from(doc), 'stations.kml', fields)
  assert.equal(p.format, 'kml')
  assert.deepEqual(p.mapping.name, 'name')
  assert.deepEqual(p.mapping.risk, '风险等级')
  let stored = (await storedFeatures(t, t.ids.gas))
  assert.deepEqual(stored.map((f) => [f.name, f.kind, f.geometry.type, f.risk_level, f.attributes.编号]),
    [['调压站', 'facility', 'Point', 'yellow', 'T-1'], ['储配站', 'facility', 'Polygon', 'red', 'T-2']])
  assert.deepEqual(stored[1]!.geometry.coordinates, [square(YUBEI_B)])
  // The same document zipped as a KMZ (named .zip: detected from the content).
  const { preview: z, imported } = await previewAndImport(t, t.ids.gas, kmz(doc), 'stations.zip', fields)
  assert.equal(z.format, 'kmz')
  assert.equal(imported.removed, 2)
  stored = (await storedFeatures(t, t.ids.gas))
  assert.deepEqual(stored.map((f) => f.name), ['调压站', '储配站'])
})

test('zipped shapefile, geographic CGCS2000 .prj and a .cpg naming GBK: Chinese field names and values read', async () => {
  const t = await smallCatalog()
  const file = shapefileZip({
    shapeType: 1, encoding: 'gbk',
    fields: [{ name: '名称', type: 'C', length: 40 }, { name: '风险等级', type: 'C', length: 10 }, { name: '储量', type: 'N', length: 10, decimals: 1 }, { name: '在用', type: 'L', length: 1 }],
    records: [
      { geometry: { type: 'Point', coordinates: YUBEI_A }, attributes: ['液化气储罐', '重大风险', 120.5, true] },
      { geometry: { type: 'Point', coordinates: YUBEI_B }, attributes: ['危化品仓库', '低风险', null, false] },
    ],
  }, { prj: PRJ_CGCS2000, cpg: 'GBK' })
  const { preview: p } = await previewAndImport(t, t.ids.chem, file, 'hazards.zip')
  assert.equal(p.format, 'shapefile')
  assert.deepEqual(p.crs, { requested: 'auto', used: 'cgcs2000', label: 'CGCS2000 经纬度', fromPrj: true })
  assert.equal(p.encoding, 'gbk')
  assert.deepEqual(p.columns.map((c: any) => [c.name, c.type]), [['名称', 'text'], ['风险等级', 'text'], ['储量', 'number'], ['在用', 'boolean']])
  const stored = (await storedFeatures(t, t.ids.chem))
  assert.deepEqual(stored.map((f) => [f.name, f.risk_level, f.attributes, f.geometry.coordinates]),
    [['液化气储罐', 'red', { 储量: 120.5, 在用: true }, YUBEI_A], ['危化品仓库', 'blue', { 储量: null, 在用: false }, YUBEI_B]])
})

test('zipped shapefile in a projected CGCS2000 3° Gauss-Krüger zone: converted to WGS84 within 1 m, with or without the zone number', async () => {
  const t = await smallCatalog()
  // Yubei lies in the 3° zone 35 (central meridian 105°E). Eastings and northings by Snyder's series, not proj4.
  const truth: Pos[] = [YUBEI_A, [106.7, 29.8]]
  for (const withZone of [false, true]) {
    const fe = withZone ? 35_500_000 : 500_000
    const projected = truth.map((p) => gaussKrugerForward(p, 105, fe))
    const polygon = square(YUBEI_B, 0.01).map((p) => gaussKrugerForward(p, 105, fe))
    const file = shapefileZip({
      shapeType: 5, fields: [{ name: 'MC', type: 'C', length: 20 }],
      records: [{ geometry: { type: 'Polygon', coordinates: [polygon] }, attributes: ['园区'] }],
    }, { prj: prjGk3(105, withZone) })
    const { preview: p } = await previewAndImport(t, t.ids.gas, file, 'park.zip', { mapping: JSON.stringify({ kindFixed: 'protection-target' }) })
    assert.equal(p.crs.used, 'cgcs2000-gk')
    assert.equal(p.crs.fromPrj, true)
    assert.equal(p.crs.label, withZone ? 'CGCS2000 / 3-degree Gauss-Kruger zone 35' : 'CGCS2000 / 3-degree Gauss-Kruger CM 105E')
    assert.equal(p.mapping.name, 'MC')
    const ring = (await storedFeatures(t, t.ids.gas))[0]!.geometry.coordinates[0] as Pos[]
    // RFC 7946 orientation (counter-clockwise outer ring), each corner back where it was.
    square(YUBEI_B, 0.01).forEach((corner, k) => assert.ok(metresBetween(ring[k]!, corner) < 1, `corner ${k}: ${metresBetween(ring[k]!, corner)} m`))
    const points = shapefileZip({
      shapeType: 1, fields: [{ name: 'NAME', type: 'C', length: 20 }],
      records: projected.map((p, k) => ({ geometry: { type: 'Point', coordinates: p }, attributes: [`控制点${k + 1}`] })),
    }, { prj: prjGk3(105, withZone) })
    // A declared crs that conflicts with the .prj loses, with a warning.
    const { preview: q } = await previewAndImport(t, t.ids.chem, points, 'points.zip', { crs: 'gcj02' })
    assert.ok(q.warnings.some((w: string) => /不一致，已按文件的坐标系转换/.test(w)), q.warnings.join())
    const stored = (await storedFeatures(t, t.ids.chem))
    truth.forEach((p, k) => {
      const d = metresBetween(stored[k]!.geometry.coordinates, p)
      assert.ok(d < 1, `${withZone ? 'zone' : 'CM'} point ${k}: ${d.toFixed(3)} m from the truth`)
    })
  }
})

test('GCJ-02 and BD-09 points return to their known WGS84 positions within 1 m', async () => {
  const t = await smallCatalog()
  // Start from WGS84, apply the published forward formulas, import declaring the system, compare.
  const truth: Pos[] = [YUBEI_A, [106.55, 29.57], [116.3975, 39.9087]]
  const gcj = truth.map(wgs84ToGcj02)
  const bd = gcj.map(gcj02ToBd09)
  assert.ok(metresBetween(gcj[0]!, truth[0]!) > 100, 'the GCJ-02 offset is hundreds of metres')
  for (const [crs, positions] of [['gcj02', gcj], ['bd09', bd]] as const) {
    const file = csv([['名称', 'lng', 'lat'], ...positions.map((p, k) => [`点${k + 1}`, p[0].toFixed(9), p[1].toFixed(9)])])
    const { preview: p } = await previewAndImport(t, t.ids.chem, file, `${crs}.csv`, { crs })
    assert.equal(p.crs.used, crs)
    const stored = (await storedFeatures(t, t.ids.chem))
    truth.forEach((w, k) => {
      const d = metresBetween(stored[k]!.geometry.coordinates, w)
      assert.ok(d < 1, `${crs} point ${k + 1}: ${d.toFixed(3)} m from the truth`)
    })
  }
})

test('the preview lists every problem with its feature number and field; the import of such a file is 422 and writes nothing', async () => {
  const t = await smallCatalog()
  const f = (geometry: unknown, props: Record<string, unknown>) => ({ type: 'Feature', geometry, properties: props })
  const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [
    f({ type: 'Point', coordinates: YUBEI_A }, { name: '正常', kind: '风险点', risk: '重大风险' }),
    f(null, { name: '无几何', kind: '风险点' }),
    f({ type: 'Polygon', coordinates: [square(YUBEI_A).slice(0, 4)] }, { name: '未闭合', kind: '设施' }),
    f({ type: 'Polygon', coordinates: [[YUBEI_A, YUBEI_B, YUBEI_A]] }, { name: '点太少', kind: '设施' }),
    f({ type: 'Point', coordinates: [2.35, 48.85] }, { name: '巴黎', kind: '风险点' }),
    f({ type: 'Point', coordinates: [YUBEI_A[1], YUBEI_A[0]] }, { name: '颠倒', kind: '风险点' }),
    f({ type: 'Point', coordinates: YUBEI_B }, { name: '  ', kind: '风险点' }),
    f({ type: 'Point', coordinates: YUBEI_B }, { name: '风险未知', kind: '风险点', risk: '极高' }),
    f({ type: 'Point', coordinates: YUBEI_B }, { name: '类型未知', kind: '飞船' }),
    f({ type: 'LineString', coordinates: [YUBEI_A, YUBEI_B] }, { name: '线状风险点', kind: 'risk-point' }),
    f({ type: 'MultiLineString', coordinates: [[YUBEI_A, YUBEI_B], [YUBEI_B, YUBEI_FAR]] }, { name: '多段管线', kind: '管网' }),
    f({ type: 'Point', coordinates: ['106.6', 'x'] }, { name: '坐标是文本', kind: '风险点' }),
  ] }))
  const before = { features: (await storedFeatures(t, t.ids.chem)), history: (await historyOf(t, t.ids.chem)) }
  const p = await preview(t, t.ids.chem, file, 'problems.geojson')
  assert.equal(p.status, 200)
  assert.equal(p.body.featureCount, 12)
  assert.equal(p.body.mapping.kind, 'kind')
  assert.equal(p.body.mapping.risk, 'risk')
  const got = p.body.problems.map((x: any) => `${x.feature} ${x.field} ${x.message}`)
  const expected: [number, string, RegExp][] = [
    [2, 'geometry', /^几何为空$/],
    [3, 'geometry', /^多边形第 1 个环未闭合$/],
    [4, 'geometry', /^多边形第 1 个环少于 4 个点$/],
    [5, 'geometry', /^坐标 \[2\.35, 48\.85\] 超出中国范围/],
    [6, 'geometry', /^经纬度疑似颠倒/],
    [7, 'name', /^名称为空$/],
    [8, 'risk', /^未知的风险等级「极高」/],
    [9, 'kind', /^未知的要素类型「飞船」/],
    [10, 'geometry', /^风险点的几何应为点，不能是线$/],
    [11, 'geometry', /MultiLineString.*请拆分为单线要素/],
    [12, 'geometry', /^几何无效：坐标应为数字$/],
  ]
  assert.equal(p.body.problemCount, expected.length, got.join('\n'))
  expected.forEach(([n, field, message], k) => {
    const x = p.body.problems[k]
    assert.equal(x.feature, n, got.join('\n'))
    assert.equal(x.field, field, got[k])
    assert.match(x.message, message, got[k])
  })
  // Only the good feature is drawn.
  assert.deepEqual(p.body.preview.features.map((x: any) => x.properties.n), [1])
  const i = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, file, 'problems.geojson', { planHash: p.body.planHash })
  assert.equal(i.status, 422)
  assert.equal(i.body.error.code, 'geodata_invalid')
  assert.equal(i.body.error.details.problems.length, expected.length)
  assert.deepEqual((await storedFeatures(t, t.ids.chem)), before.features)
  assert.deepEqual((await historyOf(t, t.ids.chem)), before.history)
})

test('CSV problems: non-numeric or missing coordinates and bad WKT, each with its row number', async () => {
  const t = await smallCatalog()
  const lonLat = await preview(t, t.ids.chem, csv([['名称', '经度', '纬度'], ['好', 106.6, 29.7], ['坏经度', '东经106', 29.7], ['缺纬度', 106.6, '']]), 'p.csv',
    { mapping: JSON.stringify({ lon: '经度', lat: '纬度' }) })
  assert.deepEqual(lonLat.body.problems, [
    { feature: 2, field: 'lon', message: '经度「东经106」不是数字' },
    { feature: 3, field: 'lat', message: '纬度为空' },
  ])
  const wkt = await preview(t, t.ids.chem, csv([['名称', 'geometry'], ['好', 'POINT (106.6 29.7)'], ['坏', 'POINT (106.6)'], ['空', '']]), 'w.csv')
  assert.equal(wkt.body.mapping.wkt, 'geometry')
  assert.equal(wkt.body.problems.length, 2)
  assert.deepEqual(wkt.body.problems.map((x: any) => [x.feature, x.field]), [[2, 'geometry'], [3, 'geometry']])
  assert.match(wkt.body.problems[0].message, /^WKT 格式错误/)
  assert.equal(wkt.body.problems[1].message, 'WKT 为空')
})

test('without a kind column or existing features the preview asks for a kind; choosing one clears it', async () => {
  const t = await smallCatalog()
  const file = Buffer.from(JSON.stringify(pointFeature(YUBEI_A, { name: '监测站' })))
  const p = await preview(t, t.ids.gasAlarm, file, 'one.json')
  assert.equal(p.body.mapping.kindFixed, null)
  assert.deepEqual(p.body.problems.map((x: any) => [x.feature, x.field]), [[0, 'kind']])
  const chosen = await preview(t, t.ids.gasAlarm, file, 'one.json', { mapping: JSON.stringify({ kindFixed: 'monitoring-point' }) })
  assert.equal(chosen.body.problemCount, 0)
})

test('an import whose plan changed since the preview is 409 with the fresh preview, and writes nothing', async () => {
  const t = await smallCatalog()
  const file = Buffer.from(JSON.stringify(pointFeature(YUBEI_A, { name: '新点' })))
  const p = await preview(t, t.ids.chem, file, 'one.json')
  // Someone else changes the resource's features in between.
  await t.fx.features([{ resourceId: t.ids.chem, kind: 'hazard-source', name: '刚推送的点', geometry: { type: 'Point', coordinates: YUBEI_B }, updatedAt: new Date().toISOString() }])
  const before = { features: (await storedFeatures(t, t.ids.chem)), history: (await historyOf(t, t.ids.chem)) }
  const stale = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, file, 'one.json', { planHash: p.body.planHash })
  assert.equal(stale.status, 409)
  assert.equal(stale.body.error.code, 'plan_changed')
  assert.equal(stale.body.error.details.preview.existingFeatures, 3)
  assert.notEqual(stale.body.error.details.preview.planHash, p.body.planHash)
  // Different options than previewed are a changed plan too.
  const fresh = stale.body.error.details.preview.planHash
  const otherCrs = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, file, 'one.json', { planHash: fresh, crs: 'gcj02' })
  assert.equal(otherCrs.status, 409)
  assert.deepEqual((await storedFeatures(t, t.ids.chem)), before.features)
  assert.deepEqual((await historyOf(t, t.ids.chem)), before.history)
  const missing = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, file, 'one.json')
  assert.equal(missing.status, 400)
  assert.equal(missing.body.error.details.parameter, 'planHash')
})

test('reporters import only into their own department (403 otherwise); a resource the viewer cannot see is 404', async () => {
  const t = await smallCatalog()
  const hidden = await t.fx.resource(t.ids.gasSys, '受限管网', { sensitivity: 'restricted' })
  const reporter = t.as(await createSession(t.db, { role: 'reporter', departmentId: t.ids.emergency }))
  const analyst = t.as(await createSession(t.db, { role: 'analyst', departmentId: t.ids.emergency }))
  const file = Buffer.from(JSON.stringify(pointFeature(YUBEI_A, { name: '点' })))
  const path = (id: number, what: string) => `/api/resources/${id}/geodata/${what}`
  assert.equal((await upload(reporter, path(t.ids.chem, 'preview'), file, 'a.json')).status, 200)
  const other = await upload(reporter, path(t.ids.gas, 'preview'), file, 'a.json')
  assert.equal(other.status, 403)
  assert.equal(other.body.error.code, 'forbidden')
  assert.equal((await upload(reporter, path(t.ids.gas, 'import'), file, 'a.json', { planHash: '0'.repeat(64) })).status, 403)
  assert.equal((await upload(analyst, path(t.ids.chem, 'preview'), file, 'a.json')).status, 403)
  const invisible = await upload(reporter, path(hidden, 'preview'), file, 'a.json')
  assert.equal(invisible.status, 404)
  assert.equal(JSON.stringify(invisible.body).includes('受限管网'), false)
  assert.equal((await upload(t.app, path(999, 'preview'), file, 'a.json')).status, 404)
  assert.equal((await upload(t.raw, path(t.ids.chem, 'preview'), file, 'a.json')).status, 401)
  assert.equal((await storedFeatures(t, t.ids.gas)).length, 2)
})

test('bad options are 400 naming the parameter', async () => {
  const t = await smallCatalog()
  const file = Buffer.from(JSON.stringify(pointFeature(YUBEI_A, { name: '点' })))
  for (const [fields, parameter] of [
    [{ crs: 'epsg:3857' }, 'crs'], [{ encoding: 'latin1' }, 'encoding'], [{ mapping: '{' }, 'mapping'],
    [{ mapping: JSON.stringify({ kindFixed: 'spaceship' }) }, 'mapping'], [{ mapping: JSON.stringify({ colour: 'x' }) }, 'mapping'],
  ] as const) {
    const r = await preview(t, t.ids.chem, file, 'a.json', fields)
    assert.equal(r.status, 400, JSON.stringify(fields))
    assert.equal(r.body.error.details.parameter, parameter)
  }
})

test('a GeoJSON legacy crs member naming a CGCS2000 Gauss-Krüger EPSG code is converted', async () => {
  const t = await smallCatalog()
  // EPSG:4523 (3° zone 35, zone number in the false easting): 106.63°E 29.72°N, as computed by Snyder's
  // series in the fixtures and by GDAL 3.6 (`gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4544`, then + 35 000 000).
  const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4523' } },
    features: [pointFeature([35_657_723.162, 3_290_187.816], { name: '控制点' })] }))
  const { preview: p } = await previewAndImport(t, t.ids.chem, file, 'gk.geojson')
  assert.deepEqual(p.crs, { requested: 'auto', used: 'cgcs2000-gk', label: 'CGCS2000 / 3-degree Gauss-Kruger zone 35', fromPrj: true })
  const d = metresBetween((await storedFeatures(t, t.ids.chem))[0]!.geometry.coordinates, [106.63, 29.72])
  assert.ok(d < 1, `${d} m`)
})
