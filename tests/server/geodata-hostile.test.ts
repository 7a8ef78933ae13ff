import { test } from 'vitest'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { constants, deflateRawSync } from 'node:zlib'
import { smallCatalog, YUBEI_A } from '../helpers/app.js'
import { upload } from '../helpers/forms.js'
import { csv, dbf, kmlDocument, kmz, shapefileZip, shpAndShx, zip } from '../fixtures/geodata.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>

/** Previews a hostile file and checks that nothing was written. */
async function refused(t: Catalog, bytes: Buffer, name: string) {
  const state = async () => {
    const f = await t.db.kysely.selectFrom('features').select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('id').as('m')]).executeTakeFirstOrThrow()
    const h = await t.db.kysely.selectFrom('resource_updates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
    return { features: Number(f.n), lastFeature: Number(f.m ?? 0), history: Number(h.n) }
  }
  const before = await state()
  const r = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/preview`, bytes, name)
  assert.deepEqual(await state(), before)
  return r
}

const POINT_SHP = { shapeType: 1 as const, fields: [{ name: 'NAME', type: 'C' as const, length: 10 }], records: [{ geometry: { type: 'Point' as const, coordinates: YUBEI_A }, attributes: ['a'] }] }

/**
 * A raw deflate stream of `mib` MiB of zeros built from one compressed MiB repeated: about 1 KB per
 * MiB, so a gigabyte costs the test a megabyte and no gigabyte is ever held.
 */
function zerosDeflated(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH })
  return Buffer.concat([...Array.from({ length: mib }, () => block), deflateRawSync(Buffer.alloc(0))])
}

/** A zip with one entry whose compressed data is given as is (sizes declared as we like). */
function rawZip(name: string, compressed: Buffer, declared: number): Buffer {
  const n = Buffer.from(name)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8)
  local.writeUInt32LE(compressed.length, 18); local.writeUInt32LE(declared, 22); local.writeUInt16LE(n.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10)
  central.writeUInt32LE(compressed.length, 20); central.writeUInt32LE(declared, 24); central.writeUInt16LE(n.length, 28)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10)
  end.writeUInt32LE(46 + n.length, 12); end.writeUInt32LE(30 + n.length + compressed.length, 16)
  return Buffer.concat([local, n, compressed, central, n, end])
}

test('an upload over 20 MB is refused with 413 before it is read', async () => {
  const t = await smallCatalog()
  const r = await refused(t, randomBytes(21 * 1024 * 1024), 'big.zip')
  assert.equal(r.status, 413)
  assert.equal(r.body.error.code, 'too_large')
  assert.match(r.body.error.message, /超过上限 20 MB/)
})

test('zip bombs are refused with bounded memory: a lying entry, a huge declared total, an absurd ratio', async () => {
  const t = await smallCatalog()
  const gigabyte = zerosDeflated(1024)
  assert.ok(gigabyte.length < 2 * 1024 * 1024, 'a 1 GiB bomb in under 2 MB')
  const heapBefore = process.memoryUsage().rss
  // Declares 4 KB, inflates to 1 GiB: inflating stops one byte past the declared size.
  const lying = await refused(t, rawZip('layer.shp', gigabyte, 4096), 'bomb.zip')
  assert.equal(lying.status, 400)
  assert.equal(lying.body.error.code, 'zip_bomb')
  assert.match(lying.body.error.message, /解压后超过其声明的大小，疑似压缩炸弹/)
  // Declares the truth (1 GiB): refused from the directory, before inflating anything.
  const honest = await refused(t, rawZip('layer.shp', gigabyte, 1024 * 1024 * 1024 - 1), 'bomb.zip')
  assert.equal(honest.body.error.code, 'zip_bomb')
  assert.match(honest.body.error.message, /解压后共 1024 MB，超过上限 100 MB/)
  // 50 MB of zeros in 50 KB: within the total, but a ratio no shapefile has.
  const ratio = await refused(t, rawZip('layer.shp', zerosDeflated(50), 50 * 1024 * 1024), 'bomb.zip')
  assert.equal(ratio.body.error.code, 'zip_bomb')
  assert.match(ratio.body.error.message, /压缩比 \d+:1 异常/)
  // How fast is for scripts/measure-hostile-uploads.ts to say (timed asserts fail on a loaded machine).
  const grown = (process.memoryUsage().rss - heapBefore) / 1024 / 1024
  assert.ok(grown < 150, `memory grew by ${grown.toFixed(0)} MB`)
  // The KMZ reader uses the same bounded reader.
  const kmzBomb = await refused(t, rawZip('doc.kml', gigabyte, 4096), 'bomb.kmz')
  assert.equal(kmzBomb.body.error.code, 'zip_bomb')
})

test('too many vertices, features or columns are refused as a whole with 400', async () => {
  const t = await smallCatalog()
  // Short coordinates keep the files under the upload limit: vertices are counted as read, before any check.
  const line = Array.from({ length: 200_001 }, () => [1, 2])
  const feature = await refused(t, Buffer.from(JSON.stringify({ type: 'Feature', geometry: { type: 'LineString', coordinates: line }, properties: { name: 'x' } })), 'line.geojson')
  assert.equal(feature.status, 400)
  assert.equal(feature.body.error.code, 'too_many_vertices')
  assert.match(feature.body.error.message, /第 1 个要素有 200,001 个顶点，超过单个要素上限 200,000 个/)
  // Eleven lines of 190,000 vertices: each allowed, together over 2,000,000.
  const lines = Array.from({ length: 11 }, () => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: line.slice(0, 190_000) }, properties: {} }))
  const total = await refused(t, Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: lines })), 'lines.geojson')
  assert.equal(total.body.error.code, 'too_many_vertices')
  assert.match(total.body.error.message, /顶点总数超过上限 2,000,000 个/)
  // A .shp record declaring more points than allowed is refused before anything is allocated for them.
  const { shp } = shpAndShx(3, [{ type: 'LineString', coordinates: [YUBEI_A, YUBEI_A] }])
  shp.writeInt32LE(300_000, 100 + 8 + 40)
  const shpLie = await refused(t, zip([{ name: 'a.shp', data: shp }]), 'a.zip')
  assert.equal(shpLie.body.error.code, 'too_many_vertices')
  const rows = await refused(t, csv([['名称', '经度', '纬度'], ...Array.from({ length: 100_001 }, (_, i) => [`点${i}`, 106.6, 29.7])]), 'rows.csv')
  assert.equal(rows.body.error.code, 'too_many_features')
  assert.match(rows.body.error.message, /超过上限 100,000 个/)
  const columns = await refused(t, csv([Array.from({ length: 201 }, (_, i) => `c${i}`), Array.from({ length: 201 }, () => 1)]), 'wide.csv')
  assert.equal(columns.body.error.code, 'too_many_columns')
})

test('KML with a DOCTYPE or entity declaration is refused before any XML parser runs, in KML and KMZ', async () => {
  const t = await smallCatalog()
  const xxe = kmlDocument([{ name: '&e;', point: YUBEI_A }]).replace('<kml', '<!DOCTYPE kml [<!ENTITY e SYSTEM "file:///etc/passwd">]><kml').replace('&amp;e;', '&e;')
  const r = await refused(t, Buffer.from(xxe), 'xxe.kml')
  assert.equal(r.status, 400)
  assert.equal(r.body.error.code, 'unsafe_xml')
  assert.match(r.body.error.message, /XML 实体或 DOCTYPE 声明/)
  const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><kml xmlns="http://www.opengis.net/kml/2.2"/>'
  assert.equal((await refused(t, kmz(laughs), 'laughs.kmz')).body.error.code, 'unsafe_xml')
})

test('corrupt and incomplete files are 400 with a message naming the problem', async () => {
  const t = await smallCatalog()
  const corrupt = await refused(t, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(2000)]), 'layer.zip')
  assert.equal(corrupt.status, 400)
  assert.equal(corrupt.body.error.code, 'corrupt_zip')
  assert.match(corrupt.body.error.message, /压缩包已损坏/)
  const noShp = await refused(t, zip([{ name: 'layer.dbf', data: dbf(POINT_SHP.fields, [['a']]) }, { name: 'readme.txt', data: Buffer.from('hello') }]), 'layer.zip')
  assert.equal(noShp.body.error.code, 'no_shp')
  assert.match(noShp.body.error.message, /压缩包中没有 \.shp 文件/)
  // A record whose content length points past the end of the file.
  const { shp } = shpAndShx(1, [{ type: 'Point', coordinates: YUBEI_A }, { type: 'Point', coordinates: YUBEI_A }])
  shp.writeInt32BE(5000, 100 + 28 + 4)
  const lying = await refused(t, zip([{ name: 'a.shp', data: shp }]), 'a.zip')
  assert.equal(lying.body.error.code, 'corrupt_shapefile')
  assert.match(lying.body.error.message, /第 2 条记录声明长度 10000 字节，超出文件范围/)
  // A polyline record too short for the parts and points it declares.
  const line = shpAndShx(3, [{ type: 'LineString', coordinates: [YUBEI_A, YUBEI_A, YUBEI_A] }]).shp
  line.writeInt32LE(1000, 100 + 8 + 36)
  line.writeInt32LE(1000, 100 + 8 + 40)
  assert.match((await refused(t, zip([{ name: 'a.shp', data: line }]), 'a.zip')).body.error.message, /不足以容纳其声明的内容/)
  const header = await refused(t, zip([{ name: 'a.shp', data: randomBytes(300) }]), 'a.zip')
  assert.equal(header.body.error.code, 'corrupt_shapefile')
  // A PNG: fixed bytes (random ones sometimes start with whitespace and '{', which reads as JSON).
  const other = await refused(t, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(992, 0x07)]), 'data.bin')
  assert.equal(other.body.error.code, 'unsupported_format')
  const badJson = await refused(t, Buffer.from('{"type": "FeatureCollection", "features": ['), 'a.geojson')
  assert.equal(badJson.body.error.code, 'not_geojson')
  const beijing = await refused(t, shapefileZip(POINT_SHP, { prj: 'GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]' }), 'bj54.zip')
  assert.equal(beijing.body.error.code, 'unsupported_crs')
  assert.match(beijing.body.error.message, /北京 54 或西安 80/)
})

/** A square ring around (x, y) of half-width d, closed. */
const square = (x: number, y: number, d: number) => [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]
const polygonFile = (...polygons: unknown[]) => Buffer.from(JSON.stringify({
  type: 'FeatureCollection',
  features: polygons.map((coordinates, i) => ({ type: 'Feature', properties: { name: `面${i + 1}`, kind: '设施' }, geometry: { type: 'Polygon', coordinates } })),
}))

test('invalid polygons are problems naming the fault and where it is, and confirm writes nothing; a valid polygon with a hole imports', async () => {
  const t = await smallCatalog()
  const [x, y] = YUBEI_A
  const bowTie = [[[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]]]
  const holeCrossing = [square(x, y, 0.01), square(x + 0.01, y, 0.005)]
  const samePoints = [[[x, y], [x, y], [x, y], [x, y]]]
  const holeOutside = [square(x, y, 0.01), square(x + 0.05, y, 0.005)]
  const good = [square(x, y, 0.01), square(x, y, 0.002)]
  const bytes = polygonFile(bowTie, holeCrossing, samePoints, holeOutside, good)
  const r = await refused(t, bytes, 'polygons.geojson')
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const byFeature = new Map<number, string>(r.body.problems.map((p: { feature: number; message: string }) => [p.feature, p.message]))
  assert.match(byFeature.get(1)!, /^面无效：自相交，位置 106\.635, 29\.725$/)
  assert.match(byFeature.get(2)!, /^面无效：自相交，位置 106\.64, 29\.7[0-9]+$/)
  assert.match(byFeature.get(3)!, /^面无效：不同的点太少/)
  assert.match(byFeature.get(4)!, /^面无效：内环（洞）在外环之外，位置 106\.6[0-9]+, 29\.7[0-9]+$/)
  assert.equal(byFeature.get(5), undefined, 'a polygon with a hole inside it is valid')
  const confirm = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, bytes, 'polygons.geojson', { planHash: r.body.planHash })
  assert.equal(confirm.status, 422)
  const ok = await refused(t, polygonFile(good), 'good.geojson')
  assert.equal(ok.body.problemCount, 0, JSON.stringify(ok.body.problems))
  const imported = await upload(t.app, `/api/resources/${t.ids.chem}/geodata/import`, polygonFile(good), 'good.geojson', { planHash: ok.body.planHash })
  assert.equal(imported.status, 200, JSON.stringify(imported.body))
})

test('nesting far deeper than any geometry or attribute needs is a 400 naming the problem, never a 500', async () => {
  const t = await smallCatalog()
  const cases: [string, string][] = [
    ['coordinates 5,000 deep', `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`],
    ['coordinates 100,000 deep', `{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`],
    ['GeometryCollection 50,000 deep', `{"type":"Feature","properties":{},"geometry":${'{"type":"GeometryCollection","geometries":['.repeat(50_000)}${']}'.repeat(50_000)}}`],
    ['properties 200,000 deep', `{"type":"Feature","geometry":{"type":"Point","coordinates":[106.63,29.72]},"properties":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`],
  ]
  for (const [what, text] of cases) {
    const r = await refused(t, Buffer.from(text), 'deep.geojson')
    assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.body)}`)
    assert.equal(r.body.error.code, 'too_deep', what)
    assert.match(r.body.error.message, /嵌套超过 \d+ 层/, what)
  }
  // KML and WKT in CSV too.
  const kml = await refused(t, Buffer.from(`<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>${'<MultiGeometry>'.repeat(100_000)}<Point><coordinates>106.6,29.7</coordinates></Point>${'</MultiGeometry>'.repeat(100_000)}</Placemark></kml>`), 'deep.kml')
  assert.equal(kml.status, 400, JSON.stringify(kml.body))
  assert.equal(kml.body.error.code, 'too_deep')
  const wkt = await refused(t, Buffer.from(`名称,类型,WKT\nx,设施,"POLYGON${'('.repeat(100_000)}106.6 29.7${')'.repeat(100_000)}"\n`), 'deep.csv')
  assert.notEqual(wkt.status, 500, JSON.stringify(wkt.body))
  assert.equal((await t.app.request('/api/meta')).status, 200)
})
