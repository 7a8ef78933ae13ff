import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createApp } from '../../server/app.js'
import { createSession, requester, smallCatalog, TEST_NOW, TEST_SECRET, YUBEI_A, YUBEI_B, OUTSIDE_YUBEI } from '../helpers/app.js'
import { bodyOf } from '../helpers/auth.js'

/**
 * The catalog as DCAT JSON-LD for the open-data portal (GET /api/catalog.jsonld): one dcat:Dataset per
 * resource the caller may see, with publisher, update frequency, access rights, extent and working
 * distribution links; Hydra paging.
 */

type Dataset = Record<string, any>
const title = (d: Dataset) => d['dct:title']['@value'] as string

async function catalog(t: Awaited<ReturnType<typeof smallCatalog>>, path = '/api/catalog.jsonld') {
  const res = await t.app.request(path)
  assert.equal(res.status, 200, await res.clone().text())
  assert.match(res.headers.get('content-type') ?? '', /^application\/ld\+json/)
  return (await res.json()) as Record<string, any>
}

test('every resource is a dcat:Dataset with its department as publisher, its update frequency, themes and access rights', async () => {
  const t = await smallCatalog()
  const doc = await catalog(t)
  assert.equal(doc['@type'], 'dcat:Catalog')
  assert.equal(doc['@context'].dcat, 'http://www.w3.org/ns/dcat#')
  assert.equal(doc['hydra:totalItems'], 4)
  const byTitle = new Map((doc['dcat:dataset'] as Dataset[]).map((d) => [title(d), d]))
  assert.deepEqual([...byTitle.keys()].sort(), ['危险化学品企业基础信息', '危险源实时监测', '燃气泄漏报警记录', '燃气管网基础信息'].sort())

  const chem = byTitle.get('危险化学品企业基础信息')!
  assert.equal(chem['@type'], 'dcat:Dataset')
  assert.equal(chem['dct:publisher']['foaf:name']['@value'], '渝北区应急局')
  assert.equal(chem['dct:publisher']['@type'], 'foaf:Organization')
  assert.equal(chem['dct:accrualPeriodicity']['@id'], 'http://purl.org/cld/freq/monthly')
  assert.equal(chem['dct:accessRights']['@id'], 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED', '内部 data is restricted access')
  assert.match(chem['dct:modified']['@value'], /^\d{4}-\d{2}-\d{2}T/)
  assert.match(chem['dct:description']['@value'], /共 3 个数据项、2 个空间要素/)
  assert.ok(chem['@id'].endsWith(`/departments/${t.ids.emergency}/systems/${t.ids.chemSys}/resources/${t.ids.chem}`), 'the landing page is the resource page of the web app')
  assert.deepEqual(chem['dcat:theme'].map((x: Dataset) => x['skos:prefLabel']['@value']).sort(), ['危险化学品', '生产安全'].sort())

  assert.equal(byTitle.get('危险源实时监测')!['dct:accrualPeriodicity']['@id'], 'http://purl.org/cld/freq/continuous')
  assert.equal(byTitle.get('燃气管网基础信息')!['dct:accrualPeriodicity']['@id'], 'http://purl.org/cld/freq/quarterly')
  assert.equal(byTitle.get('燃气管网基础信息')!['dct:accessRights']['@id'], 'http://publications.europa.eu/resource/authority/access-right/PUBLIC')
  assert.equal(byTitle.get('燃气泄漏报警记录')!['dct:modified'], undefined, 'never updated: no modified date is invented')
})

test('distributions link to working endpoints: the GeoJSON of the resource\'s own features, its record, and the OGC API', async () => {
  const t = await smallCatalog()
  const doc = await catalog(t)
  const gas = (doc['dcat:dataset'] as Dataset[]).find((d) => title(d) === '燃气管网基础信息')!
  const geojson = gas['dcat:distribution'].find((x: Dataset) => x['dcat:mediaType']['@id'].endsWith('geo+json'))
  const url = new URL(geojson['dcat:accessURL']['@id'])
  const features = await bodyOf(await t.app.request(`${url.pathname}${url.search}`))
  assert.deepEqual(features.features.map((f: Dataset) => f.properties.name).sort(), ['外区调压站', '金开大道中压燃气管'])
  assert.ok(geojson['dcat:accessService']['dcat:endpointURL']['@id'].endsWith('/api/ogc'))
  const record = gas['dcat:distribution'].find((x: Dataset) => x['dcat:mediaType']['@id'].endsWith('/json'))
  const r = new URL(record['dcat:accessURL']['@id'])
  assert.equal((await bodyOf(await t.app.request(r.pathname))).resource.name, '燃气管网基础信息')
  // Its extent covers both features: the pipeline in Yubei and the station outside it.
  const wkt = gas['dct:spatial']['dcat:bbox']['@value'] as string
  const nums = wkt.match(/-?\d+(\.\d+)?/g)!.map(Number)
  assert.equal(Math.min(...nums.filter((_, i) => i % 2 === 0)), Math.min(YUBEI_A[0], YUBEI_B[0], OUTSIDE_YUBEI[0]))
  assert.equal(Math.max(...nums.filter((_, i) => i % 2 === 1)), Math.max(YUBEI_A[1], YUBEI_B[1], OUTSIDE_YUBEI[1]))
  // A resource without features has no spatial distribution and no extent.
  const alarm = (doc['dcat:dataset'] as Dataset[]).find((d) => title(d) === '燃气泄漏报警记录')!
  assert.equal(alarm['dcat:distribution'].length, 1)
  assert.equal(alarm['dct:spatial'], undefined)
})

test('links are absolute on this site, also behind a trusted proxy; Hydra pages through a large catalog', async () => {
  const t = await smallCatalog()
  const first = await catalog(t, '/api/catalog.jsonld?pageSize=3')
  assert.equal(first['dcat:dataset'].length, 3)
  const next = new URL(first['hydra:view']['hydra:next'])
  assert.equal(next.searchParams.get('page'), '2')
  assert.equal(next.searchParams.get('pageSize'), '3')
  const second = await catalog(t, `${next.pathname}${next.search}`)
  assert.equal(second['dcat:dataset'].length, 1)
  assert.equal(second['hydra:view']['hydra:next'], undefined)
  const titles = [...first['dcat:dataset'], ...second['dcat:dataset']].map(title)
  assert.equal(new Set(titles).size, 4, 'each resource exactly once over the pages')
  const bad = await t.app.request('/api/catalog.jsonld?pageSize=0')
  assert.equal(bad.status, 400)
  assert.equal((await bodyOf(bad)).error.details.parameter, 'pageSize')
  const filtered = await catalog(t, '/api/catalog.jsonld?sensitivity=public')
  assert.deepEqual(filtered['dcat:dataset'].map(title), ['燃气管网基础信息'])
  assert.ok(filtered['@id'].startsWith('http://localhost/'))

  // Behind a TLS-terminating proxy (TRUST_PROXY=on) the links carry the address the portal uses.
  const proxied = requester(createApp({ db: t.db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, trustProxy: true }), t.admin)
  const res = await proxied.request('/api/catalog.jsonld', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'atlas.example.gov.cn' } })
  const doc = await bodyOf(res)
  assert.equal(doc['@id'], 'https://atlas.example.gov.cn/api/catalog.jsonld')
  assert.ok(doc['dcat:dataset'].every((d: Dataset) => d['@id'].startsWith('https://atlas.example.gov.cn/departments/')))
})

test('the catalog lists only what the caller may see: nobody without public access gets 401, a visitor only public resources', async () => {
  const t = await smallCatalog()
  await t.db.kysely.updateTable('resources').set({ sensitivity: 'restricted' }).where('id', '=', t.ids.chemLive).execute()
  await t.db.versions.refresh()
  const analyst = await createSession(t.db, { role: 'analyst', departmentId: t.ids.city })
  const seen = await bodyOf(await t.as(analyst).request('/api/catalog.jsonld'))
  assert.ok(!seen['dcat:dataset'].map(title).includes('危险源实时监测'), 'another department\'s restricted resource is not listed')
  assert.equal(seen['hydra:totalItems'], 3)
  assert.equal((await t.raw.request('/api/catalog.jsonld')).status, 401)
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  const visitor = await bodyOf(await t.raw.request('/api/catalog.jsonld'))
  assert.deepEqual(visitor['dcat:dataset'].map(title), ['燃气管网基础信息'])
})
