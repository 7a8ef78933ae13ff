import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createApp } from '../../server/app.js'
import { TEST_NOW, TEST_SECRET, YUBEI_A, YUBEI_B, OUTSIDE_YUBEI, createSession, daysAgo, type TestSession, requester, smallCatalog } from '../helpers/app.js'

/**
 * OGC API – Features Part 1 (OGC 17-069r4) at /api/ogc, one test per requirement class, over a catalog
 * with known answers: smallCatalog (5 features) plus 23 risk points of 渝北区应急局 and 3 restricted
 * risk points of 渝北区城市管理局 that an analyst of 应急局 must never learn about.
 */

const ORIGIN = 'http://localhost'
const RISKS = ['red', 'orange', 'yellow', 'blue', null] as const

async function ogcCatalog() {
  const t = await smallCatalog()
  const hidden = await t.fx.resource(t.ids.gasSys, '燃气隐患点位（受限）', { subcategory: 'gas', sensitivity: 'restricted' })
  await t.fx.features(Array.from({ length: 23 }, (_, i) => ({
    resourceId: t.ids.chem, kind: 'risk-point' as const, name: `风险点${String(i + 1).padStart(2, '0')}`,
    geometry: { type: 'Point' as const, coordinates: [106.60 + i * 0.01, 29.70] as [number, number] },
    riskLevel: RISKS[i % 5], updatedAt: daysAgo(i + 1),
  })))
  // Far to the north-east, so a leak would widen the collection extents.
  await t.fx.features([0, 1, 2].map((i) => ({
    resourceId: hidden, kind: 'risk-point' as const, name: `SECRET-${i}`, geometry: { type: 'Point' as const, coordinates: [106.95, 30.05 + i * 0.01] as [number, number] },
    riskLevel: 'red' as const, updatedAt: daysAgo(0.5),
  })))
  const analyst = await createSession(t.db, { role: 'analyst', departmentId: t.ids.emergency })
  const ids = async (name: string) => Number((await t.db.kysely.selectFrom('features').select('id').where('name', '=', name).executeTakeFirst())?.id)
  return { ...t, hidden, analyst, idOf: ids }
}

type Catalog = Awaited<ReturnType<typeof ogcCatalog>>

async function getAs(t: Catalog, session: TestSession | null, path: string) {
  const res = await t.as(session).request(path.startsWith('http') ? path : `${ORIGIN}${path}`)
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') ?? '' }
}
const get = (t: Catalog, path: string) => getAs(t, t.admin, path)
const link = (links: any[], rel: string) => links.find((l) => l.rel === rel)

/** Follows next links from a first page and returns every feature id in order and the pages seen. */
async function walk(t: Catalog, session: TestSession | null, first: string) {
  const ids: number[] = []
  const pages: any[] = []
  let next: string | undefined = first
  while (next) {
    const r = await getAs(t, session, next)
    assert.equal(r.status, 200, `${next}: ${JSON.stringify(r.body)}`)
    pages.push(r.body)
    ids.push(...r.body.features.map((f: any) => f.id))
    next = link(r.body.links, 'next')?.href
    assert.ok(pages.length < 1000, 'next links never end')
  }
  return { ids, pages }
}

test('/req/core/root-success: the landing page links the API definition, its documentation, conformance and the collections', async () => {
  const t = await ogcCatalog()
  for (const path of ['/api/ogc', '/api/ogc/']) {
    const r = await get(t, path)
    assert.equal(r.status, 200, path)
    assert.match(r.type, /^application\/json/)
    assert.ok(r.body.title.includes('OGC API'))
    const rels = Object.fromEntries(r.body.links.map((l: any) => [l.rel, l]))
    assert.deepEqual(rels['service-desc'], { href: `${ORIGIN}/api/openapi.json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI 3.0 接口定义' })
    assert.equal(rels['service-doc'].href, `${ORIGIN}/api/docs`)
    assert.equal(rels['service-doc'].type, 'text/html')
    assert.equal(rels.conformance.href, `${ORIGIN}/api/ogc/conformance`)
    assert.equal(rels.data.href, `${ORIGIN}/api/ogc/collections`)
    assert.equal(rels.self.href, `${ORIGIN}/api/ogc`)
    for (const l of r.body.links) assert.ok(l.type, `${l.rel} has a type`)
  }
})

test('/req/core/conformance-success: declares Core, OpenAPI 3.0 and GeoJSON, and no HTML', async () => {
  const t = await ogcCatalog()
  const r = await get(t, '/api/ogc/conformance')
  assert.equal(r.status, 200)
  assert.match(r.type, /^application\/json/)
  assert.deepEqual(r.body.conformsTo.sort(), [
    'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
    'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
    'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  ])
})

test('/req/core/fc-md-success, fc-md-links, fc-md-items, fc-md-extent: one collection per feature kind and per domain with links, extent and CRS', async () => {
  const t = await ogcCatalog()
  const r = await get(t, '/api/ogc/collections')
  assert.equal(r.status, 200)
  assert.match(r.type, /^application\/json/)
  assert.equal(link(r.body.links, 'self').href, `${ORIGIN}/api/ogc/collections`)
  const ids = r.body.collections.map((c: any) => c.id)
  assert.deepEqual(ids, ['risk-point', 'hazard-source', 'monitoring-point', 'facility', 'pipeline', 'protection-target', 'emergency-resource',
    'domain-lifeline', 'domain-public', 'domain-production', 'domain-natural'])
  const byId = Object.fromEntries(r.body.collections.map((c: any) => [c.id, c]))
  for (const c of r.body.collections) {
    assert.ok(c.title && c.description, `${c.id} has a title and a description`)
    assert.equal(c.itemType, 'feature')
    assert.deepEqual(c.crs, ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'])
    assert.deepEqual(link(c.links, 'self'), { href: `${ORIGIN}/api/ogc/collections/${c.id}`, rel: 'self', type: 'application/json', title: c.title })
    assert.equal(link(c.links, 'items').href, `${ORIGIN}/api/ogc/collections/${c.id}/items`)
    assert.equal(link(c.links, 'items').type, 'application/geo+json')
    assert.equal(c.extent.spatial.crs, 'http://www.opengis.net/def/crs/OGC/1.3/CRS84')
    assert.equal(c.extent.spatial.bbox.length, 1)
    assert.equal(c.extent.spatial.bbox[0].length, 4)
  }
  assert.equal(byId['risk-point'].title, '风险点')
  assert.equal(byId['domain-lifeline'].title, '城市生命线工程安全')
  // Extents and counts from the features themselves (the administrator sees all 26 risk points).
  assert.equal(byId['risk-point'].itemCount, 26)
  assert.deepEqual(byId['risk-point'].extent.spatial.bbox[0], [106.6, 29.7, 106.95, 30.05 + 2 * 0.01])
  assert.deepEqual(byId['risk-point'].extent.temporal.interval, [[daysAgo(23), daysAgo(0.5)]])
  assert.deepEqual(byId['pipeline'].extent.spatial.bbox[0], [YUBEI_A[0], YUBEI_A[1], YUBEI_B[0], YUBEI_B[1]])
  assert.deepEqual(byId['domain-lifeline'].extent.spatial.bbox[0], [OUTSIDE_YUBEI[0], OUTSIDE_YUBEI[1], 106.95, 30.05 + 2 * 0.01])
  assert.equal(byId['domain-lifeline'].itemCount, 5)
  // A collection with nothing in it shows the district the atlas covers, and no time interval.
  const empty = byId['emergency-resource']
  assert.equal(empty.itemCount, 0)
  const [w, s, e, n] = empty.extent.spatial.bbox[0]
  assert.ok(w < 106.5 && e > 106.9 && s < 29.6 && n > 30.1, `district bbox, got ${empty.extent.spatial.bbox[0]}`)
  assert.equal(empty.extent.temporal, undefined)
})

test('/req/core/sfc-md-success: a single collection is the same document as in the list; an unknown one is 404', async () => {
  const t = await ogcCatalog()
  const list = await get(t, '/api/ogc/collections')
  const one = await get(t, '/api/ogc/collections/domain-production')
  assert.equal(one.status, 200)
  assert.match(one.type, /^application\/json/)
  assert.deepEqual(one.body, list.body.collections.find((c: any) => c.id === 'domain-production'))
  const missing = await get(t, '/api/ogc/collections/no-such-layer')
  assert.equal(missing.status, 404)
  assert.equal(missing.body.error.code, 'not_found')
})

test('/req/core/fc-response and /req/geojson/content: items are a GeoJSON FeatureCollection with numbers, a time stamp, typed links and flat properties', async () => {
  const t = await ogcCatalog()
  const r = await get(t, '/api/ogc/collections/hazard-source/items')
  assert.equal(r.status, 200)
  assert.equal(r.type, 'application/geo+json')
  assert.equal(r.body.type, 'FeatureCollection')
  assert.equal(r.body.numberMatched, 2)
  assert.equal(r.body.numberReturned, 2)
  assert.equal(r.body.timeStamp, TEST_NOW.toISOString())
  assert.equal(link(r.body.links, 'self').href, `${ORIGIN}/api/ogc/collections/hazard-source/items`)
  assert.equal(link(r.body.links, 'self').type, 'application/geo+json')
  assert.equal(link(r.body.links, 'next'), undefined)
  const f = r.body.features[0]
  assert.equal(f.type, 'Feature')
  assert.equal(typeof f.id, 'number')
  assert.deepEqual(f.geometry, { type: 'Point', coordinates: YUBEI_A })
  assert.deepEqual(f.properties, {
    name: '某化工仓库', kind: 'hazard-source', kindLabel: '危险源', riskLevel: 'red', riskLabel: '重大风险',
    department: t.ids.emergency, departmentName: '渝北区应急局', systemId: t.ids.chemSys, systemName: '危化品监管系统',
    resourceId: t.ids.chem, resourceName: '危险化学品企业基础信息', domain: 'production', domainName: '生产安全',
    subcategory: 'hazardous-chemicals', subcategoryName: '危险化学品', sensitivity: 'internal', impactRadiusM: 800, capacity: null,
    capacityUnit: null, districtCode: '500112', cellId: f.properties.cellId, updatedAt: daysAgo(10), indicators: '{"exposure":90}', attributes: '{}',
  })
  for (const v of Object.values(f.properties)) assert.ok(v === null || typeof v !== 'object', 'properties are flat')
})

test('/req/core/fc-limit-definition and fc-limit-response: limit 1..10000, default 10; 0, 10001 and non-numbers are 400', async () => {
  const t = await ogcCatalog()
  const def = await get(t, '/api/ogc/collections/risk-point/items')
  assert.equal(def.body.numberReturned, 10)
  assert.equal(def.body.numberMatched, 26)
  assert.equal((await get(t, '/api/ogc/collections/risk-point/items?limit=1')).body.features.length, 1)
  assert.equal((await get(t, '/api/ogc/collections/risk-point/items?limit=10000')).body.features.length, 26)
  for (const bad of ['0', '10001', 'x', '1.5', '-3', '']) {
    const r = await get(t, `/api/ogc/collections/risk-point/items?limit=${bad}`)
    assert.equal(r.status, 400, `limit=${bad}`)
    assert.equal(r.body.error.details.parameter, 'limit')
  }
})

test('/req/core/fc-links, fc-next, fc-numberMatched/-Returned: walking the next links returns every visible feature exactly once', async () => {
  const t = await ogcCatalog()
  for (const [collection, expected] of [['risk-point', 26], ['domain-production', 25], ['domain-lifeline', 5]] as const) {
    const all = (await t.db.kysely.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id').innerJoin('subcategories as s', 's.code', 'r.subcategory_code')
      .select('f.id').where(collection.startsWith('domain-') ? 's.domain_code' : 'f.kind', '=', collection.replace('domain-', '')).orderBy('f.id').execute()).map((r) => r.id)
    assert.equal(all.length, expected)
    const { ids, pages } = await walk(t, t.admin, `/api/ogc/collections/${collection}/items?limit=4`)
    assert.deepEqual(ids, all, collection)
    assert.equal(pages.length, Math.ceil(expected / 4))
    pages.forEach((p, i) => {
      assert.equal(p.numberMatched, expected)
      assert.equal(p.numberReturned, p.features.length)
      const next = link(p.links, 'next')
      if (next) {
        assert.equal(next.type, 'application/geo+json')
        assert.ok(next.href.startsWith(`${ORIGIN}/api/ogc/collections/${collection}/items?`), 'absolute next link')
      }
      if (i > 0) assert.equal(new URL(link(p.links, 'prev').href).searchParams.get('offset'), String((i - 1) * 4))
      else assert.equal(link(p.links, 'prev'), undefined)
    })
  }
  // The analyst's walk never meets the restricted points, and the count says so too.
  const analyst = await walk(t, t.analyst, '/api/ogc/collections/risk-point/items?limit=5')
  assert.equal(analyst.ids.length, 23)
  assert.equal(analyst.pages[0].numberMatched, 23)
})

test('/req/core/fc-response with offset: any offset answers the same page as following next links, also on a server that handed out no links', async () => {
  const t = await ogcCatalog()
  const { ids } = await walk(t, t.admin, '/api/ogc/collections/risk-point/items?limit=3')
  // A fresh app over the same database has no remembered cursors: offsets are served by skipping rows.
  const fresh = requester(createApp({ db: t.db, now: () => TEST_NOW, sessionSecret: TEST_SECRET }), t.admin)
  for (const offset of [0, 3, 7, 24, 25, 26, 40]) {
    const r = await (await fresh.request(`${ORIGIN}/api/ogc/collections/risk-point/items?limit=3&offset=${offset}`)).json() as any
    assert.deepEqual(r.features.map((f: any) => f.id), ids.slice(offset, offset + 3), `offset ${offset}`)
    assert.equal(r.numberMatched, 26)
    assert.equal(!!link(r.links, 'next'), offset + 3 < 26, `next link at offset ${offset}`)
  }
  for (const bad of ['-1', '2.5', 'abc']) {
    const r = await get(t, `/api/ogc/collections/risk-point/items?offset=${bad}`)
    assert.equal(r.status, 400, `offset=${bad}`)
    assert.equal(r.body.error.details.parameter, 'offset')
  }
})

test('/req/core/fc-bbox-definition and fc-bbox-response: bbox selects features whose geometry box meets it; malformed boxes are 400', async () => {
  const t = await ogcCatalog()
  const names = async (q: string) => (await get(t, `/api/ogc/collections/domain-lifeline/items?${q}`)).body.features.map((f: any) => f.properties.name).sort()
  assert.deepEqual(await names('bbox=106.62,29.71,106.645,29.735'), ['金开大道中压燃气管'])
  assert.deepEqual(await names(`bbox=${OUTSIDE_YUBEI[0] - 0.01},${OUTSIDE_YUBEI[1] - 0.01},${OUTSIDE_YUBEI[0] + 0.01},${OUTSIDE_YUBEI[1] + 0.01}`), ['外区调压站'])
  const near = await get(t, '/api/ogc/collections/risk-point/items?bbox=106.595,29.69,106.655,29.71&limit=2')
  assert.equal(near.body.numberMatched, 6)
  const walked = await walk(t, t.admin, '/api/ogc/collections/risk-point/items?bbox=106.595,29.69,106.655,29.71&limit=2')
  assert.deepEqual(walked.ids, await Promise.all([1, 2, 3, 4, 5, 6].map((i) => t.idOf(`风险点${String(i).padStart(2, '0')}`))))
  for (const bad of ['1,2,3', '106,29,107,30,0,100', 'a,b,c,d', '107,29,106,30', '106,31,107,30', '-200,0,0,10']) {
    const r = await get(t, `/api/ogc/collections/risk-point/items?bbox=${bad}`)
    assert.equal(r.status, 400, `bbox=${bad}`)
    assert.equal(r.body.error.details.parameter, 'bbox')
  }
  assert.match((await get(t, '/api/ogc/collections/risk-point/items?bbox=106,29,0,107,30,100')).body.error.message, /6 numbers/)
})

test('/req/core/fc-time-definition and fc-time-response: datetime filters the update time by instant, closed and open intervals', async () => {
  const t = await ogcCatalog()
  const count = async (dt: string) => {
    const r = await get(t, `/api/ogc/collections/risk-point/items?limit=100&datetime=${encodeURIComponent(dt)}`)
    assert.equal(r.status, 200, `${dt}: ${JSON.stringify(r.body)}`)
    return r.body.numberMatched as number
  }
  // Risk point i was updated i days before TEST_NOW (2026-06-15T04:00Z); the restricted ones half a day before.
  assert.equal(await count(daysAgo(3)), 1)
  assert.equal(await count('2026-06-12T12:00:00+08:00'), 1, 'offsets are honoured')
  assert.equal(await count('2026-06-12T04:00:01Z'), 0)
  assert.equal(await count(`${daysAgo(5)}/${daysAgo(2)}`), 4, 'closed interval, both ends included')
  assert.equal(await count(`../${daysAgo(20)}`), 4)
  assert.equal(await count(`${daysAgo(2)}/..`), 2 + 3)
  assert.equal(await count(`${daysAgo(2)}/`), 2 + 3, 'an empty end is open')
  assert.equal(await count('2026-06-12'), 1, 'a date is that whole UTC day')
  assert.equal(await count('2026-06-10/2026-06-12'), 3)
  for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-02-30', '2026-06-12T00:00:00', `${daysAgo(1)}/${daysAgo(5)}`, 'a/b/c']) {
    const r = await get(t, `/api/ogc/collections/risk-point/items?datetime=${encodeURIComponent(bad)}`)
    assert.equal(r.status, 400, `datetime=${bad}`)
    assert.equal(r.body.error.details.parameter, 'datetime')
  }
})

test('/rec/core/fc-filters: department, subcategory and riskLevel narrow the items; unknown values are 400 naming the parameter', async () => {
  const t = await ogcCatalog()
  const r = async (q: string) => (await get(t, `/api/ogc/collections/domain-lifeline/items?limit=100&${q}`)).body
  assert.equal((await r(`department=${t.ids.city}`)).numberMatched, 5)
  assert.equal((await r(`department=${t.ids.emergency}`)).numberMatched, 0)
  assert.equal((await r('subcategory=gas')).numberMatched, 5)
  assert.equal((await r('subcategory=water-supply')).numberMatched, 0)
  const red = await r('riskLevel=red')
  assert.deepEqual(red.features.map((f: any) => f.properties.name).sort(), ['SECRET-0', 'SECRET-1', 'SECRET-2'])
  const rp = (await get(t, '/api/ogc/collections/risk-point/items?limit=100&riskLevel=orange,blue')).body
  assert.equal(rp.numberMatched, 5 + 4)
  assert.ok(rp.features.every((f: any) => ['orange', 'blue'].includes(f.properties.riskLevel)))
  for (const [q, parameter] of [['riskLevel=purple', 'riskLevel'], ['department=abc', 'department'], ['department=9999', 'department'], ['subcategory=unicorns', 'subcategory']]) {
    const bad = await get(t, `/api/ogc/collections/risk-point/items?${q}`)
    assert.equal(bad.status, 400, q)
    assert.equal(bad.body.error.details.parameter, parameter, q)
  }
})

test('/req/core/query-param-unknown: an unknown parameter is 400 naming it; f=json and f=geojson are accepted, other f values are not', async () => {
  const t = await ogcCatalog()
  for (const q of ['risk=red', 'kind=pipeline', 'sortby=name', 'bbox-crs=EPSG:4326', 'filter=x']) {
    const r = await get(t, `/api/ogc/collections/risk-point/items?${q}`)
    assert.equal(r.status, 400, q)
    assert.equal(r.body.error.details.parameter, q.split('=')[0])
    assert.ok(r.body.error.message.includes(q.split('=')[0]))
  }
  assert.equal((await get(t, '/api/ogc/collections/risk-point/items?f=json')).status, 200)
  assert.equal((await get(t, '/api/ogc/collections/risk-point/items?f=geojson')).status, 200)
  const html = await get(t, '/api/ogc/collections/risk-point/items?f=html')
  assert.equal(html.status, 400)
  assert.equal(html.body.error.details.parameter, 'f')
  const twice = await get(t, '/api/ogc/collections/risk-point/items?limit=1&limit=2')
  assert.equal(twice.status, 400)
  assert.equal(twice.body.error.details.parameter, 'limit')
})

test('/req/core/f-success and f-links: one feature by id with self and collection links; unknown ids and other collections are 404', async () => {
  const t = await ogcCatalog()
  const id = await t.idOf('风险点03')
  const r = await get(t, `/api/ogc/collections/risk-point/items/${id}`)
  assert.equal(r.status, 200)
  assert.equal(r.type, 'application/geo+json')
  assert.equal(r.body.type, 'Feature')
  assert.equal(r.body.id, id)
  assert.equal(r.body.properties.name, '风险点03')
  assert.equal(r.body.properties.riskLevel, 'yellow')
  assert.equal(link(r.body.links, 'self').href, `${ORIGIN}/api/ogc/collections/risk-point/items/${id}`)
  assert.equal(link(r.body.links, 'collection').href, `${ORIGIN}/api/ogc/collections/risk-point`)
  assert.equal((await get(t, `/api/ogc/collections/domain-production/items/${id}`)).status, 200, 'the same feature in its domain collection')
  for (const path of [`/api/ogc/collections/pipeline/items/${id}`, `/api/ogc/collections/domain-lifeline/items/${id}`, '/api/ogc/collections/risk-point/items/999999',
    '/api/ogc/collections/risk-point/items/abc', '/api/ogc/collections/nothing/items/1']) {
    const m = await get(t, path)
    assert.equal(m.status, 404, path)
    assert.match(m.type, /^application\/json/)
    assert.equal(m.body.error.code, 'not_found')
  }
})

test('sensitivity: an analyst gets no restricted feature of another department through items, item by id, counts or extents', async () => {
  const t = await ogcCatalog()
  const secret = await t.idOf('SECRET-0')
  const items = await getAs(t, t.analyst, '/api/ogc/collections/domain-lifeline/items?limit=100')
  assert.equal(items.status, 200)
  assert.equal(items.body.numberMatched, 2)
  assert.ok(!JSON.stringify(items.body).includes('SECRET'))
  assert.equal((await getAs(t, t.analyst, '/api/ogc/collections/domain-lifeline/items?riskLevel=red')).body.numberMatched, 0)
  assert.equal((await getAs(t, t.analyst, `/api/ogc/collections/risk-point/items/${secret}`)).status, 404)
  assert.equal((await get(t, `/api/ogc/collections/risk-point/items/${secret}`)).status, 200, 'the administrator sees it')
  const cols = (await getAs(t, t.analyst, '/api/ogc/collections')).body.collections
  const rp = cols.find((c: any) => c.id === 'risk-point')
  assert.equal(rp.itemCount, 23)
  assert.deepEqual(rp.extent.spatial.bbox[0], [106.6, 29.7, 106.6 + 22 * 0.01, 29.7], 'the hidden points do not widen the extent')
  assert.deepEqual(rp.extent.temporal.interval, [[daysAgo(23), daysAgo(1)]], 'nor the time interval')
  const lifeline = cols.find((c: any) => c.id === 'domain-lifeline')
  assert.equal(lifeline.itemCount, 2)
  assert.deepEqual(lifeline.extent.spatial.bbox[0], [OUTSIDE_YUBEI[0], OUTSIDE_YUBEI[1], YUBEI_B[0], YUBEI_B[1]])
  // Nobody signed in, with public access off: 401.
  assert.equal((await getAs(t, null, '/api/ogc/collections')).status, 401)
})

test('links are absolute and, behind a trusted proxy, use the forwarded scheme and host', async () => {
  const t = await ogcCatalog()
  const proxied = requester(createApp({ db: t.db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, trustProxy: true }), t.admin)
  const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'atlas.example.gov.cn' }
  const landing = await (await proxied.request('http://10.0.0.5:8080/api/ogc', { headers })).json() as any
  assert.equal(link(landing.links, 'data').href, 'https://atlas.example.gov.cn/api/ogc/collections')
  const page = await (await proxied.request('http://10.0.0.5:8080/api/ogc/collections/risk-point/items?limit=5&riskLevel=red', { headers })).json() as any
  const next = new URL(link(page.links, 'next').href)
  assert.equal(next.origin, 'https://atlas.example.gov.cn')
  assert.deepEqual(Object.fromEntries(next.searchParams), { riskLevel: 'red', limit: '5', offset: '5' })
  // Without TRUST_PROXY the forwarded headers are ignored.
  const direct = await (await t.app.request('http://10.0.0.5:8080/api/ogc', { headers })).json() as any
  assert.equal(link(direct.links, 'data').href, 'http://10.0.0.5:8080/api/ogc/collections')
})

test('describedby: each collection links a JSON Schema of its feature properties that matches what items return', async () => {
  const t = await ogcCatalog()
  const c = (await get(t, '/api/ogc/collections/risk-point')).body
  const d = link(c.links, 'describedby')
  assert.equal(d.type, 'application/schema+json')
  const res = await t.app.request(d.href)
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/schema+json')
  const schema = await res.json() as any
  const props = schema.properties.properties.properties
  const f = (await get(t, '/api/ogc/collections/risk-point/items?limit=1')).body.features[0]
  assert.deepEqual(Object.keys(props).sort(), Object.keys(f.properties).sort())
  assert.equal(props.impactRadiusM.type, 'number')
  assert.equal(props.updatedAt.format, 'date-time')
})
