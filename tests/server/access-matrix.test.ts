import { test } from 'vitest'
import assert from 'node:assert/strict'
import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import ExcelJS from 'exceljs'
import { Fixture, TEST_NOW, YUBEI_A, createSession, daysAgo, smallCatalog, testApp, type TestSession } from '../helpers/app.js'
import { call } from '../helpers/auth.js'
import { openKiosk } from '../helpers/kiosk.js'
import { annex3Workbook } from '../helpers/forms.js'

/**
 * The authorisation matrix of SPEC §6: every endpoint of the API, as every kind of viewer (nobody,
 * a visitor when public access is on, leader, analyst, reporter, a reporter cleared for another
 * department's restricted data, administrator, wall screens with a public and an internal ceiling,
 * and walls whose link's filter narrows them further), against the own and the other department,
 * over resources of each sensitivity. Each resource, item and feature carries a marker name; a
 * hidden marker in any response (JSON, decoded vector tile, spreadsheet cell) or a count that includes
 * a hidden row fails, and so does any status other than the expected one. A route the matrix does not
 * know fails too, so a new endpoint must be added here.
 */

const SENS = ['public', 'internal', 'restricted'] as const
type Sens = (typeof SENS)[number]
type Dept = 'A' | 'B'
type ViewerName = 'anonymous' | 'visitor' | 'leader' | 'analyst' | 'reporter' | 'reporter-cleared' | 'admin' | 'kiosk-public' | 'kiosk-internal'
  | 'kiosk-department' | 'kiosk-sensitivity'
const VIEWERS: ViewerName[] = ['anonymous', 'visitor', 'leader', 'analyst', 'reporter', 'reporter-cleared', 'admin', 'kiosk-public', 'kiosk-internal',
  'kiosk-department', 'kiosk-sensitivity']
/** Wall screens whose link also carries a filter (department A; internal resources only): the filter is part of their ceiling. */
const FILTERED_WALLS: ViewerName[] = ['kiosk-department', 'kiosk-sensitivity']
/** Everyone with a department belongs to A. */
const SIGNED_IN: ViewerName[] = ['leader', 'analyst', 'reporter', 'reporter-cleared', 'admin']

function sees(v: ViewerName, dept: Dept, s: Sens): boolean {
  switch (v) {
    case 'anonymous': return false
    case 'visitor': case 'kiosk-public': return s === 'public'
    case 'kiosk-internal': return s !== 'restricted'
    case 'kiosk-department': return s !== 'restricted' && dept === 'A'
    case 'kiosk-sensitivity': return s === 'internal'
    case 'leader': case 'analyst': case 'reporter': return s !== 'restricted' || dept === 'A'
    case 'reporter-cleared': case 'admin': return true
  }
}

// Sensitivity is part of the marker so the point of a leak is obvious in a failure message.
const resourceName = (d: Dept, s: Sens) => `MXR-${d}-${s}`
const itemName = (d: Dept, s: Sens) => `MXI-${d}-${s}`
const featureName = (d: Dept, s: Sens) => `MXF-${d}-${s}`
const ALL = (['A', 'B'] as Dept[]).flatMap((d) => SENS.map((s) => ({ d, s })))
const markersOf = (d: Dept, s: Sens) => [resourceName(d, s), itemName(d, s), featureName(d, s)]
const hiddenMarkers = (v: ViewerName) => ALL.filter(({ d, s }) => !sees(v, d, s)).flatMap(({ d, s }) => markersOf(d, s))
const visible = (v: ViewerName, d?: Dept) => ALL.filter((r) => (d === undefined || r.d === d) && sees(v, r.d, r.s))
/** Whether a department (and its system) is listed: always, except to a filtered wall, which lists only those holding what it may see. */
const listed = (v: ViewerName, d: Dept) => !FILTERED_WALLS.includes(v) || visible(v, d).length > 0
/** A department's or system's own page: 404 to a filtered wall when it holds nothing the wall may see. */
const pageStatus = (d: Dept) => (v: ViewerName) => (v === 'anonymous' ? 401 : listed(v, d) ? 200 : 404)

// Every feature lies in one street-level tile; at z10 they cluster.
const CENTRE: [number, number] = [106.6312, 29.7189]
function tileOf([lon, lat]: [number, number], z: number): [number, number] {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)]
}

async function matrixCatalog() {
  const t = await testApp()
  const fx = new Fixture(t.db, t.locator)
  const dept = { A: await fx.department('渝北区应急局'), B: await fx.department('渝北区交通局') }
  const sys = { A: await fx.system(dept.A, 'MXS-A'), B: await fx.system(dept.B, 'MXS-B') }
  const res = {} as Record<string, number>
  const feat = {} as Record<string, number>
  for (const [i, { d, s }] of ALL.entries()) {
    const id = await fx.resource(sys[d], resourceName(d, s), { sensitivity: s, subcategory: 'gas' })
    res[`${d}-${s}`] = id
    await fx.items(id, [itemName(d, s)])
    // Overdue (monthly, last updated 90 days ago), so it is on the chase list.
    await fx.update(id, daysAgo(90))
    await fx.features([{ resourceId: id, kind: 'protection-target', name: featureName(d, s), riskLevel: 'red',
      geometry: { type: 'Point', coordinates: [CENTRE[0] + i * 1e-4, CENTRE[1]] }, updatedAt: daysAgo(1) }])
    feat[`${d}-${s}`] = (await t.db.kysely.selectFrom('features').select('id').where('name', '=', featureName(d, s)).executeTakeFirstOrThrow()).id
  }
  await fx.round([dept.A, dept.B], {})
  // An open alarm at each feature (the matrix's features stand in for monitoring points): named by the feature's marker.
  const alarm = {} as Record<string, number>
  for (const [i, { d, s }] of ALL.entries()) {
    const at = TEST_NOW.toISOString()
    const { id } = await t.db.kysely.insertInto('alarms').values({
      feature_id: feat[`${d}-${s}`]!, sensor_id: null, resource_id: res[`${d}-${s}`]!, department_id: dept[d], point_name: featureName(d, s),
      x: CENTRE[0] + i * 1e-4, y: CENTRE[1], kind: 'threshold', channel: 'gas', level: 'red', status: 'pending', value: 60, threshold: 50, unit: '%LEL',
      raised_at: at, last_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()
    alarm[`${d}-${s}`] = Number(id)
  }
  return { t, dept, sys, res, feat, alarm }
}
type Catalog = Awaited<ReturnType<typeof matrixCatalog>>

/** The sessions of the matrix; kiosk sessions come from opening real kiosk links. */
async function viewers(c: Catalog): Promise<Record<ViewerName, TestSession | null>> {
  const { t, dept } = c
  const kiosk = async (ceiling: 'public' | 'internal', query = ''): Promise<TestSession> => {
    const created = await (await t.app.request('/api/admin/kiosk-links', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: `wall-${ceiling}-${query}`, ceiling, query }) })).json() as { token: string }
    const opened = await t.raw.request('/api/kiosk/open', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: created.token }) })
    assert.equal(opened.status, 200)
    const csrf = ((await opened.json()) as { csrfToken: string }).csrfToken
    return { userId: 0, cookie: opened.headers.get('set-cookie')!.split(';')[0]!, csrf }
  }
  return {
    anonymous: null,
    visitor: null,
    leader: await createSession(t.db, { role: 'leader', departmentId: dept.A }),
    analyst: await createSession(t.db, { role: 'analyst', departmentId: dept.A }),
    reporter: await createSession(t.db, { role: 'reporter', departmentId: dept.A }),
    'reporter-cleared': await createSession(t.db, { role: 'reporter', departmentId: dept.A, clearances: [dept.B] }),
    admin: t.admin,
    'kiosk-public': await kiosk('public'),
    'kiosk-internal': await kiosk('internal'),
    'kiosk-department': await kiosk('internal', `department=${dept.A}`),
    'kiosk-sensitivity': await kiosk('internal', 'sensitivity=internal'),
  }
}

/** Everything a response lets out, as text: JSON, the names in a vector tile, the cells of a workbook. */
async function bodyText(res: Response): Promise<{ text: string; json: any; tile: VectorTile | null }> {
  const type = res.headers.get('content-type') ?? ''
  const received = Buffer.from(await res.arrayBuffer())
  const bytes = res.headers.get('content-encoding') === 'gzip' ? gunzipSync(received) : received
  if (type.includes('vnd.mapbox-vector-tile')) {
    const tile = new VectorTile(new PbfReader(bytes))
    const names: string[] = []
    for (const layer of Object.values(tile.layers)) for (let i = 0; i < layer.length; i++) names.push(JSON.stringify(layer.feature(i).properties))
    return { text: names.join('\n'), json: null, tile }
  }
  if (type.includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const cells: string[] = []
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => {
      // Merged cells other than the first have no text of their own.
      if (!cell.isMerged || cell.master === cell) cells.push(String(cell.text))
    })))
    return { text: cells.join('\n'), json: null, tile: null }
  }
  const text = bytes.toString('utf8')
  let json: any = null
  try { json = JSON.parse(text) } catch { /* not JSON */ }
  return { text, json, tile: null }
}

interface ReadCase {
  route: string
  path: (c: Catalog) => string
  /** Expected status per viewer (default: 200 for whoever may view, 401 nobody, 403 refused). */
  status?: (v: ViewerName) => number
  /** What a 2xx answer must show: markers that must be present, counts that must match. */
  check?: (v: ViewerName, body: Awaited<ReturnType<typeof bodyText>>, c: Catalog) => void
}

const viewStatus = (v: ViewerName) => (v === 'anonymous' ? 401 : 200)
/** Signed-in users only: supervision, analyses, survey rounds. */
const signedInStatus = (v: ViewerName) => (v === 'anonymous' || v === 'visitor' ? 401 : v.startsWith('kiosk') ? 403 : 200)
/** Exports: analysts and administrators; reporters their own department. */
const exportStatus = (ownDepartmentOnly: boolean) => (v: ViewerName) =>
  v === 'anonymous' || v === 'visitor' ? 401 : v === 'analyst' || v === 'admin' || (ownDepartmentOnly && v.startsWith('reporter')) ? 200 : 403

const presentAll = (text: string, wanted: string[], where: string) => {
  for (const m of wanted) assert.ok(text.includes(m), `${where}: ${m} should be shown`)
}

const READS: ReadCase[] = [
  { route: 'GET /api/departments', path: () => '/api/departments', check: (v, b, c) => {
    for (const d of ['A', 'B'] as Dept[]) {
      const row = b.json.items.find((i: any) => i.id === c.dept[d])
      assert.equal(row !== undefined, listed(v, d), `department ${d} listed`)
      if (!row) continue
      assert.equal(row.resourceCount, visible(v, d).length, `resources of ${d}`)
      assert.equal(row.featureCount, visible(v, d).length, `features of ${d}`)
      assert.equal(row.itemCount, visible(v, d).length, `items of ${d}`)
    }
  } },
  { route: 'GET /api/departments/:id', path: (c) => `/api/departments/${c.dept.B}`, status: pageStatus('B'), check: (v, b) => {
    const counts = b.json.freshness.counts as Record<string, number>
    assert.equal(Object.values(counts).reduce((a, n) => a + n, 0), visible(v, 'B').length)
    assert.equal(b.json.department.resourceCount, visible(v, 'B').length, 'resources of B')
    assert.equal(b.json.department.featureCount, visible(v, 'B').length, 'features of B')
    assert.equal(b.json.department.itemCount, visible(v, 'B').length, 'items of B')
  } },
  { route: 'GET /api/systems', path: () => '/api/systems', check: (v, b) => {
    assert.deepEqual(b.json.items.map((s: any) => s.name), (['A', 'B'] as Dept[]).filter((d) => listed(v, d)).map((d) => `MXS-${d}`))
    for (const s of b.json.items) assert.equal(s.resourceCount, visible(v, s.name === 'MXS-A' ? 'A' : 'B').length, s.name)
  } },
  { route: 'GET /api/systems/:id', path: (c) => `/api/systems/${c.sys.B}`, status: pageStatus('B'), check: (v, b) => {
    assert.equal(b.json.system.resourceCount, visible(v, 'B').length, 'resources of system B')
    presentAll(b.text, visible(v, 'B').map((r) => resourceName(r.d, r.s)), 'system B')
  } },
  { route: 'GET /api/resources', path: () => '/api/resources?pageSize=100', check: (v, b) => {
    assert.equal(b.json.total, visible(v).length)
    presentAll(b.text, visible(v).map((r) => resourceName(r.d, r.s)), 'resources')
  } },
  { route: 'GET /api/items', path: () => '/api/items?pageSize=100', check: (v, b) => {
    assert.equal(b.json.total, visible(v).length)
    presentAll(b.text, visible(v).map((r) => itemName(r.d, r.s)), 'items')
  } },
  { route: 'GET /api/search', path: () => '/api/search?q=MX&limit=100',
    status: (v) => (v.startsWith('kiosk') ? 403 : viewStatus(v)),
    check: (v, b) => presentAll(b.text, visible(v).flatMap((r) => [resourceName(r.d, r.s), itemName(r.d, r.s)]), 'search') },
  { route: 'GET /api/features', path: () => '/api/features?limit=100', check: (v, b) => {
    assert.equal(b.json.features.length, visible(v).length)
    presentAll(b.text, visible(v).map((r) => featureName(r.d, r.s)), 'features')
  } },
  { route: 'GET /api/stats/overview', path: () => '/api/stats/overview', check: (v, b) => {
    const n = visible(v).length
    assert.equal(b.json.resources, n, 'resources')
    assert.equal(b.json.items, n, 'items')
    assert.equal(b.json.features, n, 'features')
    assert.equal(b.json.featuresByRisk.red, n, 'red features')
  } },
  { route: 'GET /api/stats/coverage', path: () => '/api/stats/coverage', check: (v, b) => {
    const gas = b.json.domains.flatMap((d: any) => d.subcategories).find((s: any) => s.code === 'gas')
    assert.equal(gas.resources, visible(v).length)
  } },
  { route: 'GET /api/stats/update-cycles', path: () => '/api/stats/update-cycles', check: (v, b) => {
    assert.equal(b.json.cycles.reduce((a: number, c: any) => a + c.resources, 0), visible(v).length)
  } },
  { route: 'GET /api/stats/freshness', path: () => '/api/stats/freshness', check: (v, b, c) => {
    for (const d of ['A', 'B'] as Dept[]) {
      const row = b.json.departments.find((r: any) => r.departmentId === c.dept[d])
      assert.equal(row !== undefined, listed(v, d), `department ${d} listed`)
      if (!row) continue
      assert.equal(Object.values(row.counts as Record<string, number>).reduce((a, n) => a + n, 0), visible(v, d).length, `freshness of ${d}`)
    }
  } },
  { route: 'GET /api/stats/risk', path: () => '/api/stats/risk', check: (v, b) => {
    const target = b.json.byKind.find((k: any) => k.kind === 'protection-target')
    assert.equal(target?.red ?? 0, visible(v).length)
  } },
  { route: 'GET /api/stats/reporting', path: () => '/api/stats/reporting', status: signedInStatus },
  { route: 'GET /api/supervision/freshness', path: () => '/api/supervision/freshness', status: signedInStatus, check: (v, b) => {
    assert.equal(b.json.resources.length, visible(v).length)
    presentAll(b.text, visible(v).map((r) => resourceName(r.d, r.s)), 'supervision')
  } },
  { route: 'GET /api/supervision/chase-list.xlsx', path: () => '/api/supervision/chase-list.xlsx', status: exportStatus(false),
    check: (v, b) => presentAll(b.text, visible(v).map((r) => resourceName(r.d, r.s)), 'chase list') },
  { route: 'GET /api/analysis/coverage', path: () => '/api/analysis/coverage', status: signedInStatus, check: (v, b) => {
    const gas = b.json.rows.find((r: any) => r.code === 'gas')
    assert.equal(gas.total.resources, visible(v).length, 'resources')
    assert.equal(gas.total.features, visible(v).length, 'features')
  } },
  { route: 'GET /api/analysis/conflicts', path: () => '/api/analysis/conflicts?scope=all', status: signedInStatus },
  { route: 'GET /api/analysis/sharing', path: () => '/api/analysis/sharing', status: signedInStatus, check: (v, b) => assert.equal(b.json.total, visible(v).length) },
  { route: 'GET /api/analysis/spatial', path: () => '/api/analysis/spatial', status: signedInStatus, check: (v, b) => {
    assert.equal(b.json.total, visible(v).length)
  } },
  { route: 'GET /api/analysis/surroundings', path: () => `/api/analysis/surroundings?lon=${CENTRE[0]}&lat=${CENTRE[1]}&radius=500`, status: signedInStatus, check: (v, b) => {
    assert.equal(b.json.targets.length, visible(v).length)
    presentAll(b.text, visible(v).map((r) => featureName(r.d, r.s)), 'surroundings')
  } },
  { route: 'GET /api/survey-rounds', path: () => '/api/survey-rounds', status: signedInStatus },
  { route: 'GET /api/survey-rounds/:id', path: () => '/api/survey-rounds/1', status: signedInStatus },
  { route: 'GET /api/forms/:form/export.xlsx', path: () => '/api/forms/resources/export.xlsx', status: exportStatus(false),
    check: (v, b) => presentAll(b.text, visible(v).map((r) => resourceName(r.d, r.s)), 'annex 3 export') },
  { route: 'GET /api/forms/:form/export.xlsx', path: (c) => `/api/forms/resources/export.xlsx?department=${c.dept.A}`, status: exportStatus(true),
    check: (v, b) => presentAll(b.text, visible(v, 'A').map((r) => resourceName(r.d, r.s)), 'annex 3 export of A') },
  { route: 'GET /api/forms/:form/export.xlsx', path: () => '/api/forms/systems/export.xlsx', status: exportStatus(false), check: (_v, b) => presentAll(b.text, ['MXS-A', 'MXS-B'], 'annex 2') },
  { route: 'GET /api/forms/:form/template.xlsx', path: (c) => `/api/forms/systems/template.xlsx?department=${c.dept.A}`, status: exportStatus(true) },
  { route: 'GET /api/forms/:form/template.xlsx', path: (c) => `/api/forms/systems/template.xlsx?department=${c.dept.B}`, status: exportStatus(false) },
  { route: 'GET /api/systems/:id/api-keys', path: (c) => `/api/systems/${c.sys.A}/api-keys`,
    status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v.startsWith('kiosk') ? 403 : v === 'admin' || v.startsWith('reporter') ? 200 : 403) },
  { route: 'GET /api/systems/:id/api-keys', path: (c) => `/api/systems/${c.sys.B}/api-keys`,
    status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/admin/users', path: () => '/api/admin/users', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/admin/kiosk-links', path: () => '/api/admin/kiosk-links', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/admin/audit', path: () => '/api/admin/audit', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/admin/settings', path: () => '/api/admin/settings', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/admin/federation-tokens', path: () => '/api/admin/federation-tokens', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/harvest/sources', path: () => '/api/harvest/sources', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  { route: 'GET /api/harvest/jobs', path: () => '/api/harvest/jobs', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  // The city's view counts exactly the resources each viewer may see, in every district row and department row.
  { route: 'GET /api/city/districts', path: () => '/api/city/districts', check: (v, b) => {
    assert.equal(b.json.items.reduce((n: number, d: any) => n + d.resources, 0), visible(v).length)
  } },
  { route: 'GET /api/city/districts/:key/departments', path: () => '/api/city/districts/local/departments', check: (v, b) => {
    assert.equal(b.json.items.reduce((n: number, d: any) => n + d.resources, 0), visible(v).length)
  } },
  { route: 'GET /api/meta', path: () => '/api/meta', status: () => 200 },
  // Health and readiness are for load balancers and orchestrators: anyone, saying nothing of the data.
  { route: 'GET /api/health', path: () => '/api/health', status: () => 200 },
  { route: 'GET /api/ready', path: () => '/api/ready', status: () => 200 },
  { route: 'GET /api/regions', path: () => '/api/regions', status: () => 200 },
  { route: 'GET /api/auth/session', path: () => '/api/auth/session', status: () => 200 },
  // OGC API – Features: the matrix's features are protection targets of the gas sub-category (urban lifeline domain).
  { route: 'GET /api/ogc', path: () => '/api/ogc' },
  { route: 'GET /api/ogc/conformance', path: () => '/api/ogc/conformance' },
  { route: 'GET /api/ogc/collections', path: () => '/api/ogc/collections', check: (v, b) => {
    const shown = visible(v).map((r) => ALL.indexOf(r))
    for (const id of ['protection-target', 'domain-lifeline']) {
      const col = b.json.collections.find((x: any) => x.id === id)
      assert.equal(col.itemCount, shown.length, `${id} count`)
      // Hidden features would widen the extent: every feature lies east of the previous one.
      if (shown.length) assert.deepEqual([col.extent.spatial.bbox[0][0], col.extent.spatial.bbox[0][2]],
        [CENTRE[0] + Math.min(...shown) * 1e-4, CENTRE[0] + Math.max(...shown) * 1e-4], `${id} extent`)
    }
  } },
  { route: 'GET /api/ogc/collections/:collectionId', path: () => '/api/ogc/collections/domain-lifeline', check: (v, b) => assert.equal(b.json.itemCount, visible(v).length) },
  { route: 'GET /api/ogc/collections/:collectionId/schema', path: () => '/api/ogc/collections/protection-target/schema' },
  { route: 'GET /api/ogc/collections/:collectionId/items', path: () => '/api/ogc/collections/protection-target/items?limit=100', check: (v, b) => {
    assert.equal(b.json.numberMatched, visible(v).length)
    assert.equal(b.json.features.length, visible(v).length)
    presentAll(b.text, visible(v).map((r) => featureName(r.d, r.s)), 'OGC items')
  } },
  // The description of the API (not its data) is open to everyone; it names no catalog data, so no marker can leak.
  { route: 'GET /api/openapi.json', path: () => '/api/openapi.json', status: () => 200 },
  { route: 'GET /api/docs', path: () => '/api/docs', status: () => 200 },
  { route: 'GET /api/auth/tokens', path: () => '/api/auth/tokens', status: signedInStatus },
  { route: 'GET /api/catalog.jsonld', path: () => '/api/catalog.jsonld', check: (v, b) => assert.equal(b.json['hydra:totalItems'], visible(v).length) },
  // Alarms: what the viewer may see, and a department's reporters their own department's only.
  { route: 'GET /api/alarms', path: () => '/api/alarms?limit=100', check: (v, b) => {
    assert.equal(b.json.total, alarmsSeen(v).length)
    presentAll(b.text, alarmsSeen(v).map((r) => featureName(r.d, r.s)), 'alarms')
  } },
  { route: 'GET /api/alarms/summary', path: () => '/api/alarms/summary', check: (v, b) => assert.equal(b.json.open, alarmsSeen(v).length) },
  { route: 'GET /api/alarms/:id', path: (c) => `/api/alarms/${c.alarm['B-public']}`,
    status: (v) => (v === 'anonymous' ? 401 : alarmsSeen(v).some((r) => r.d === 'B' && r.s === 'public') ? 200 : 404) },
  { route: 'GET /api/alarms/:id', path: (c) => `/api/alarms/${c.alarm['A-restricted']}`,
    status: (v) => (v === 'anonymous' ? 401 : alarmsSeen(v).some((r) => r.d === 'A' && r.s === 'restricted') ? 200 : 404) },
  // The rules and the clocks are configuration: signed-in users read them; what came in per system is the administrators'.
  { route: 'GET /api/monitoring/rules', path: () => '/api/monitoring/rules', status: signedInStatus },
  { route: 'GET /api/monitoring/sla', path: () => '/api/monitoring/sla', status: signedInStatus },
  { route: 'GET /api/monitoring/intake', path: () => '/api/monitoring/intake', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' ? 200 : 403) },
  // Risk grading: the models are configuration, read by signed-in users.
  { route: 'GET /api/risk-models', path: () => '/api/risk-models', status: signedInStatus },
  // The 四色图 counts the graded points (the matrix's are protection targets: none), for whoever may see the map.
  { route: 'GET /api/risk/regions', path: () => '/api/risk/regions?type=grid', check: (_v, b) => assert.deepEqual(b.json.items, []) },
  { route: 'GET /api/risk/region-rule', path: () => '/api/risk/region-rule', status: signedInStatus },
  { route: 'GET /api/risk/register.xlsx', path: () => '/api/risk/register.xlsx', status: exportStatus(false) },
  { route: 'GET /api/risk-models/:scope/versions', path: () => '/api/risk-models/default/versions', status: signedInStatus },
  // The basemap is what every map shows, walls and visitors included.
  { route: 'GET /api/basemap', path: () => '/api/basemap', check: (_v, b) => assert.equal(b.json.type, 'embedded') },
  { route: 'GET /api/risk/categories', path: () => '/api/risk/categories', check: (_v, b) => assert.deepEqual(b.json.items, []) },
  { route: 'GET /api/risk/reassessment', path: () => '/api/risk/reassessment', status: signedInStatus, check: (_v, b) => assert.deepEqual(b.json.items, []) },
  { route: 'GET /api/risk/reassessment-rule', path: () => '/api/risk/reassessment-rule', status: signedInStatus },
  // The assessment template: reporters (their own department's points) and administrators.
  { route: 'GET /api/risk/assessments/template.xlsx', path: () => '/api/risk/assessments/template.xlsx', status: (v) => (v === 'anonymous' || v === 'visitor' ? 401 : v === 'admin' || v.startsWith('reporter') ? 200 : 403) },
]

/** The alarms a viewer sees: those of what it may see; a reporter, only its own department's (A). */
const alarmsSeen = (v: ViewerName) => (v.startsWith('reporter') ? visible(v, 'A') : visible(v))

/** One resource or feature by id: 200 when visible, 404 when hidden (as if it did not exist), 401 for nobody. */
const BY_ID: { route: string; path: (c: Catalog, d: Dept, s: Sens) => string; name: (d: Dept, s: Sens) => string }[] = [
  { route: 'GET /api/resources/:id', path: (c, d, s) => `/api/resources/${c.res[`${d}-${s}`]}`, name: resourceName },
  { route: 'GET /api/features/:id', path: (c, d, s) => `/api/features/${c.feat[`${d}-${s}`]}`, name: featureName },
  { route: 'GET /api/ogc/collections/:collectionId/items/:featureId', path: (c, d, s) => `/api/ogc/collections/domain-lifeline/items/${c.feat[`${d}-${s}`]}`, name: featureName },
  { route: 'GET /api/features/:id/assessments', path: (c, d, s) => `/api/features/${c.feat[`${d}-${s}`]}/assessments`, name: featureName },
]

test('every read endpoint answers each viewer with exactly what its sensitivity and department allow', async () => {
  const c = await matrixCatalog()
  const sessions = await viewers(c)
  const unexpected: string[] = []
  const [x16, y16] = tileOf(CENTRE, 16)
  const [x10, y10] = tileOf(CENTRE, 10)
  const tiles: ReadCase[] = [
    { route: 'GET /api/tiles/:z/:x/:file', path: () => `/api/tiles/16/${x16}/${y16}.mvt`, check: (v, b) => {
      const names = Object.values(b.tile!.layers).flatMap((l) => Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.name)))
      assert.deepEqual(names.sort(), visible(v).map((r) => featureName(r.d, r.s)).sort())
    } },
    { route: 'GET /api/tiles/:z/:x/:file', path: () => `/api/tiles/10/${x10}/${y10}.mvt`, check: (v, b) => {
      // Clustered: the counts of the clusters, plus single points, add up to what the viewer may see.
      let n = 0
      for (const l of Object.values(b.tile!.layers)) for (let i = 0; i < l.length; i++) n += Number(l.feature(i).properties.point_count ?? 1)
      assert.equal(n, visible(v).length)
    } },
  ]
  for (const v of VIEWERS) {
    await c.t.app.request('/api/admin/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicAccess: v === 'visitor' }) })
    const as = c.t.as(sessions[v])
    const hidden = hiddenMarkers(v)
    for (const rc of [...READS, ...tiles]) {
      const path = rc.path(c)
      const res = await as.request(path, { headers: { 'accept-encoding': 'gzip' } })
      const expected = (rc.status ?? viewStatus)(v)
      const where = `${v} ${path}`
      if (res.status !== expected) {
        unexpected.push(`${where}: ${res.status}, expected ${expected}`)
        continue
      }
      if (res.status >= 300) continue
      const body = await bodyText(res)
      const leaked = hidden.filter((m) => body.text.includes(m))
      if (leaked.length) unexpected.push(`${where}: leaks ${leaked.join(', ')}`)
      try {
        rc.check?.(v, body, c)
      } catch (err) {
        unexpected.push(`${where}: ${(err as Error).message.split('\n')[0]}`)
      }
    }
    for (const b of BY_ID) {
      for (const { d, s } of ALL) {
        const path = b.path(c, d, s)
        const res = await as.request(path)
        const expected = v === 'anonymous' ? 401 : sees(v, d, s) ? 200 : 404
        if (res.status !== expected) unexpected.push(`${v} ${path} (${d} ${s}): ${res.status}, expected ${expected}`)
        const text = await res.text()
        if (res.status === 200 && !text.includes(b.name(d, s))) unexpected.push(`${v} ${path}: does not show ${b.name(d, s)}`)
        const leaked = hidden.filter((m) => text.includes(m))
        if (leaked.length) unexpected.push(`${v} ${path}: leaks ${leaked.join(', ')}`)
      }
    }
  }
  assert.deepEqual(unexpected, [])
})

const SYSTEM = {
  buildLevel: 'district', builder: '建设单位', operator: '管理单位', deployment: 'gov-cloud', runStatus: 'maintained', securityLevel: 'level2',
  sharesData: true, sharingModes: ['api'], networks: ['gov-extranet'], reviewer: '李四', filler: '张三', phone: '023-67810000', filledAt: '2022-03-20',
}
const RESOURCE = {
  subcategoryCode: 'gas', provisionMode: 'api', updateCycle: 'monthly', subjectClass: 'place', purpose: 'basic',
  sharingAttribute: 'conditional', sensitivity: 'internal', items: [{ name: '名称', dataType: 'C', length: 50 }],
}

interface WriteCase {
  route: string
  /** Prepares the target (as the administrator) and returns the request. */
  request: (c: Catalog, d: Dept, n: number) => Promise<{ path: string; init: RequestInit }>
  /** The status when allowed. */
  ok: number
  /** Who may: by default administrators, and reporters for their own department. */
  may?: (v: ViewerName, d: Dept) => boolean
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const adminJson = async (c: Catalog, method: string, path: string, body: unknown) => (await (await c.t.app.request(path, json(method, body))).json()) as any
const editor = (v: ViewerName, d: Dept) => v === 'admin' || (v.startsWith('reporter') && d === 'A')
const adminOnly = (v: ViewerName) => v === 'admin'
/** A 风险评估导入表 of one row, as CSV. */
const assessmentSheet = (featureId: number): RequestInit => {
  const fd = new FormData()
  fd.set('file', new File([`要素编号,可能性,后果\n${featureId},3,3\n`], 'assessments.csv'))
  return { method: 'POST', body: fd }
}

const WRITES: WriteCase[] = [
  { route: 'POST /api/departments/:id/systems', ok: 201, request: async (c, d, n) => ({ path: `/api/departments/${c.dept[d]}/systems`, init: json('POST', { ...SYSTEM, name: `新系统${n}` }) }) },
  { route: 'PUT /api/systems/:id', ok: 200, request: async (c, d, n) => ({ path: `/api/systems/${c.sys[d]}`, init: json('PUT', { ...SYSTEM, name: `MXS-${d}`, filler: `张${n}` }) }) },
  { route: 'DELETE /api/systems/:id', ok: 200, request: async (c, d, n) => {
    const { id } = await adminJson(c, 'POST', `/api/departments/${c.dept[d]}/systems`, { ...SYSTEM, name: `待删系统${n}` })
    return { path: `/api/systems/${id}`, init: { method: 'DELETE' } }
  } },
  { route: 'POST /api/systems/:id/resources', ok: 201, request: async (c, d, n) => ({ path: `/api/systems/${c.sys[d]}/resources`, init: json('POST', { ...RESOURCE, name: `新资源${n}` }) }) },
  { route: 'PUT /api/resources/:id', ok: 200, request: async (c, d, n) => {
    const { id } = await adminJson(c, 'POST', `/api/systems/${c.sys[d]}/resources`, { ...RESOURCE, name: `待改资源${n}` })
    return { path: `/api/resources/${id}`, init: json('PUT', { ...RESOURCE, name: `已改资源${n}` }) }
  } },
  { route: 'DELETE /api/resources/:id', ok: 200, request: async (c, d, n) => {
    const { id } = await adminJson(c, 'POST', `/api/systems/${c.sys[d]}/resources`, { ...RESOURCE, name: `待删资源${n}` })
    return { path: `/api/resources/${id}`, init: { method: 'DELETE' } }
  } },
  { route: 'POST /api/forms/:form/preview', ok: 200, request: async (c, d) => {
    const fd = new FormData()
    const bytes = await annex3Workbook([])
    fd.set('file', new File([new Uint8Array(bytes)], 'annex3.xlsx'))
    fd.set('department', String(c.dept[d]))
    return { path: '/api/forms/resources/preview', init: { method: 'POST', body: fd } }
  } },
  { route: 'POST /api/forms/:form/import', ok: 422, request: async (c, d) => {
    // An import with a stale plan hash: allowed importers get 409/422, never a write; the refusal comes first.
    const fd = new FormData()
    fd.set('file', new File([new Uint8Array(await annex3Workbook([]))], 'annex3.xlsx'))
    fd.set('department', String(c.dept[d]))
    fd.set('planHash', 'stale')
    return { path: '/api/forms/resources/import', init: { method: 'POST', body: fd } }
  } },
  { route: 'POST /api/resources/:id/geodata/preview', ok: 200, request: async (c, d) => {
    const fd = new FormData()
    fd.set('file', new File([JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: CENTRE }, properties: { name: '导入点' } })], 'one.geojson'))
    return { path: `/api/resources/${c.res[`${d}-public`]}/geodata/preview`, init: { method: 'POST', body: fd } }
  } },
  { route: 'POST /api/resources/:id/geodata/import', ok: 409, request: async (c, d) => {
    // A plan hash no preview gave: allowed importers get 409 and nothing is written; the refusal comes first.
    const fd = new FormData()
    fd.set('file', new File([JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: CENTRE }, properties: { name: '导入点' } })], 'one.geojson'))
    fd.set('planHash', '0'.repeat(64))
    return { path: `/api/resources/${c.res[`${d}-public`]}/geodata/import`, init: { method: 'POST', body: fd } }
  } },
  { route: 'POST /api/departments/:id/no-systems', ok: 409, request: async (c, d) => ({ path: `/api/departments/${c.dept[d]}/no-systems`, init: { method: 'POST' } }) },
  { route: 'POST /api/systems/:id/api-keys', ok: 201, request: async (c, d, n) => ({ path: `/api/systems/${c.sys[d]}/api-keys`, init: json('POST', { label: `k${n}` }) }) },
  { route: 'POST /api/systems/:id/api-keys/:keyId/revoke', ok: 200, request: async (c, d, n) => {
    const { id } = await adminJson(c, 'POST', `/api/systems/${c.sys[d]}/api-keys`, { label: `r${n}` })
    return { path: `/api/systems/${c.sys[d]}/api-keys/${id}/revoke`, init: { method: 'POST' } }
  } },
  { route: 'POST /api/survey-rounds', ok: 201, may: adminOnly, request: async (c, _d, n) => ({ path: '/api/survey-rounds', init: json('POST', {
    title: `批次${n}`, systemsDeadline: '2026-07-01T12:00+08:00', resourcesDeadline: '2026-07-10T12:00+08:00', departmentIds: [c.dept.A, c.dept.B] }) }) },
  { route: 'PUT /api/survey-rounds/:id', ok: 200, may: adminOnly, request: async (c, _d, n) => ({ path: '/api/survey-rounds/1', init: json('PUT', {
    title: `测试批次${n}`, systemsDeadline: '2026-03-21T12:00+08:00', resourcesDeadline: '2026-03-29T18:00+08:00', departmentIds: [c.dept.A, c.dept.B] }) }) },
  { route: 'POST /api/departments', ok: 201, may: adminOnly, request: async (_c, _d, n) => ({ path: '/api/departments', init: json('POST', { name: `新部门${n}` }) }) },
  { route: 'PUT /api/departments/:id', ok: 200, may: adminOnly, request: async (c, d) => ({ path: `/api/departments/${c.dept[d]}`, init: json('PUT', { name: d === 'A' ? '渝北区应急局' : '渝北区交通局' }) }) },
  { route: 'DELETE /api/departments/:id', ok: 204, may: adminOnly, request: async (c, _d, n) => {
    const { id } = await adminJson(c, 'POST', '/api/departments', { name: `待删部门${n}` })
    return { path: `/api/departments/${id}`, init: { method: 'DELETE' } }
  } },
  { route: 'POST /api/admin/users', ok: 201, may: adminOnly, request: async (c, d, n) => ({ path: '/api/admin/users', init: json('POST', {
    username: `user${n}`, displayName: `用户${n}`, role: 'reporter', departmentId: c.dept[d], password: 'Lantern-Harbour-2046' }) }) },
  { route: 'PUT /api/admin/users/:id', ok: 200, may: adminOnly, request: async (c, d, n) => {
    const u = await adminJson(c, 'POST', '/api/admin/users', { username: `edit${n}`, displayName: '用户', role: 'leader', departmentId: c.dept[d], password: 'Lantern-Harbour-2046' })
    return { path: `/api/admin/users/${u.id}`, init: json('PUT', { displayName: '改名', role: 'analyst', departmentId: c.dept[d], clearances: [] }) }
  } },
  { route: 'POST /api/admin/users/:id/password', ok: 204, may: adminOnly, request: async (c, d, n) => {
    const u = await adminJson(c, 'POST', '/api/admin/users', { username: `pw${n}`, displayName: '用户', role: 'leader', departmentId: c.dept[d], password: 'Lantern-Harbour-2046' })
    return { path: `/api/admin/users/${u.id}/password`, init: json('POST', { password: 'Quarry-Meadow-5713' }) }
  } },
  { route: 'POST /api/admin/users/:id/unlock', ok: 204, may: adminOnly, request: async (c) => ({ path: `/api/admin/users/${c.t.admin.userId}/unlock`, init: { method: 'POST' } }) },
  { route: 'POST /api/admin/kiosk-links', ok: 201, may: adminOnly, request: async (_c, _d, n) => ({ path: '/api/admin/kiosk-links', init: json('POST', { label: `屏${n}`, ceiling: 'public', query: '' }) }) },
  { route: 'POST /api/admin/kiosk-links/:id/revoke', ok: 200, may: adminOnly, request: async (c, _d, n) => {
    const k = await adminJson(c, 'POST', '/api/admin/kiosk-links', { label: `撤${n}`, ceiling: 'public', query: '' })
    return { path: `/api/admin/kiosk-links/${k.id}/revoke`, init: { method: 'POST' } }
  } },
  { route: 'POST /api/admin/federation-tokens', ok: 201, may: adminOnly, request: async (_c, _d, n) => ({ path: '/api/admin/federation-tokens', init: json('POST', { label: `市级${n}`, ceiling: 'public' }) }) },
  { route: 'POST /api/admin/federation-tokens/:id/revoke', ok: 200, may: adminOnly, request: async (c, _d, n) => {
    const k = await adminJson(c, 'POST', '/api/admin/federation-tokens', { label: `撤${n}`, ceiling: 'internal' })
    return { path: `/api/admin/federation-tokens/${k.id}/revoke`, init: { method: 'POST' } }
  } },
  { route: 'PUT /api/admin/settings', ok: 200, may: adminOnly, request: async () => ({ path: '/api/admin/settings', init: json('PUT', { publicAccess: false }) }) },
  { route: 'POST /api/monitoring/rules', ok: 201, may: adminOnly, request: async () => ({ path: '/api/monitoring/rules',
    init: json('POST', { kind: 'threshold', channel: 'gas', level: 'red', threshold: 60, clearValue: 50 }) }) },
  { route: 'PUT /api/monitoring/rules/:id', ok: 200, may: adminOnly, request: async (c) => {
    const r = await adminJson(c, 'POST', '/api/monitoring/rules', { kind: 'silence', channel: 'smoke', level: 'blue', silenceMinutes: 20 })
    return { path: `/api/monitoring/rules/${r.id}`, init: json('PUT', { kind: 'silence', channel: 'smoke', level: 'yellow', silenceMinutes: 25 }) }
  } },
  { route: 'DELETE /api/monitoring/rules/:id', ok: 200, may: adminOnly, request: async (c) => {
    const r = await adminJson(c, 'POST', '/api/monitoring/rules', { kind: 'silence', channel: 'smoke', level: 'blue', silenceMinutes: 20 })
    return { path: `/api/monitoring/rules/${r.id}`, init: { method: 'DELETE' } }
  } },
  // The matrix's features are protection targets: allowed assessors get 400 naming the kind (never a write); refusals come first.
  { route: 'POST /api/features/:id/assessments', ok: 400, request: async (c, d) => ({ path: `/api/features/${c.feat[`${d}-public`]}/assessments`,
    init: json('POST', { inputs: { kind: 'matrix', likelihood: 3, consequence: 3 } }) }) },
  { route: 'PUT /api/basemap', ok: 200, may: adminOnly, request: async () => ({ path: '/api/basemap', init: json('PUT', { type: 'embedded' }) }) },
  { route: 'PUT /api/risk/reassessment-rule', ok: 200, may: adminOnly, request: async () => ({ path: '/api/risk/reassessment-rule', init: json('PUT', { intervalDays: 365, afterEventDays: 30, dueSoonDays: 30 }) }) },
  // Importing assessments: reporters and administrators; each row is checked against the importer's department (the
  // matrix's features are protection targets, so every row is a problem: the preview lists it, the import refuses it whole).
  { route: 'POST /api/risk/assessments/preview', ok: 200, may: (v) => v === 'admin' || v.startsWith('reporter'), request: async (c, d) => ({ path: '/api/risk/assessments/preview', init: assessmentSheet(c.feat[`${d}-public`]) }) },
  { route: 'POST /api/risk/assessments/import', ok: 400, may: (v) => v === 'admin' || v.startsWith('reporter'), request: async (c, d) => ({ path: '/api/risk/assessments/import', init: assessmentSheet(c.feat[`${d}-public`]) }) },
  { route: 'PUT /api/risk/region-rule', ok: 200, may: adminOnly, request: async () => ({ path: '/api/risk/region-rule',
    init: json('PUT', { weights: { red: 10, orange: 5, yellow: 2, blue: 1 }, cuts: { red: 10, orange: 5, yellow: 2 } }) }) },
  { route: 'PUT /api/risk-models/:scope', ok: 200, may: adminOnly, request: async () => {
    const { DEFAULT_MATRIX } = await import('../../server/domain/risk-grading.js')
    return { path: '/api/risk-models/default', init: json('PUT', { config: DEFAULT_MATRIX }) }
  } },
  { route: 'PUT /api/monitoring/sla', ok: 200, may: adminOnly, request: async (c) => ({ path: '/api/monitoring/sla', init: json('PUT', await (await c.t.app.request('/api/monitoring/sla')).json()) }) },
  { route: 'POST /api/auth/tokens', ok: 201, may: (v) => SIGNED_IN.includes(v), request: async (_c, _d, n) => ({ path: '/api/auth/tokens', init: json('POST', { label: `令牌${n}`, days: 30 }) }) },
]

test('every state-changing endpoint allows exactly the roles and departments it should, and refuses the rest', async () => {
  const c = await matrixCatalog()
  const sessions = await viewers(c)
  const unexpected: string[] = []
  let n = 0
  for (const v of VIEWERS) {
    // Public access on for the visitor: reading is allowed, writing never is.
    await c.t.app.request('/api/admin/settings', json('PUT', { publicAccess: v === 'visitor' }))
    for (const w of WRITES) {
      for (const d of ['A', 'B'] as Dept[]) {
        const { path, init } = await w.request(c, d, ++n)
        const res = await c.t.as(sessions[v]).request(path, init)
        const allowed = (w.may ?? editor)(v, d)
        const expected = allowed ? w.ok : v === 'anonymous' || v === 'visitor' ? 401 : 403
        if (res.status !== expected) unexpected.push(`${v} ${init.method} ${path} (${d}): ${res.status}, expected ${expected} — ${(await res.text()).slice(0, 160)}`)
      }
    }
  }
  await c.t.app.request('/api/admin/settings', json('PUT', { publicAccess: false }))
  assert.deepEqual(unexpected, [])
  // Refused requests changed nothing: only the administrator's and the own reporters' new systems exist.
  const created = await c.t.db.kysely.selectFrom('systems').select((eb) => eb.fn.countAll().as('n')).where('name', 'like', '新系统%').executeTakeFirstOrThrow()
  assert.equal(Number(created.n), 2 + 2 + 2 /* admin A and B, each reporter A */ - 2 /* reporters cannot create in B */)
})

test('an id the viewer may not see answers 404 to every method, exactly like a missing one; one they see but may not change answers 403', async () => {
  const c = await matrixCatalog()
  const { t } = c
  const missingId = 987_654
  const upload = (planHash?: string) => {
    const fd = new FormData()
    fd.set('file', new File([JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: CENTRE }, properties: { name: '导入点' } })], 'one.geojson'))
    if (planHash) fd.set('planHash', planHash)
    return fd
  }
  /** Every way of reaching one resource by id, reading and changing. */
  const resourceRequests = (id: number): [string, RequestInit][] => [
    [`/api/resources/${id}`, { method: 'GET' }],
    [`/api/resources/${id}`, json('PUT', { ...RESOURCE, name: '改名' })],
    [`/api/resources/${id}`, { method: 'DELETE' }],
    [`/api/resources/${id}/geodata/preview`, { method: 'POST', body: upload() }],
    [`/api/resources/${id}/geodata/import`, { method: 'POST', body: upload('0'.repeat(64)) }],
  ]
  // The error a missing id gets, with the id taken out: a hidden id must get the very same.
  const answer = async (res: Response, id: number) => ({ status: res.status, body: (await res.text()).replaceAll(String(id), '<id>') })
  const unexpected: string[] = []
  for (const v of ['leader', 'analyst', 'reporter'] as const) {
    const as = t.as(await createSession(t.db, { role: v, departmentId: c.dept.A }))
    const hidden = c.res['B-restricted']!
    for (const [i, [path, init]] of resourceRequests(hidden).entries()) {
      const [missingPath, missingInit] = resourceRequests(missingId)[i]!
      const got = await answer(await as.request(path, init), hidden)
      const missing = await answer(await as.request(missingPath, missingInit), missingId)
      if (missing.status !== 404) unexpected.push(`${v} ${missingInit.method} ${missingPath}: ${missing.status}, expected 404`)
      if (got.status !== missing.status || got.body !== missing.body) unexpected.push(`${v} ${init.method} ${path} (hidden): ${got.status} ${got.body}, a missing id gets ${missing.status} ${missing.body}`)
    }
    // Another department's internal resource: seen, so a change is refused (403), not denied to exist.
    for (const [path, init] of resourceRequests(c.res['B-internal']!)) {
      const res = await as.request(path, init)
      const expected = init.method === 'GET' ? 200 : 403
      if (res.status !== expected) unexpected.push(`${v} ${init.method} ${path} (seen): ${res.status}, expected ${expected}`)
    }
    // Hidden features of the hidden resource: 404 like a missing feature.
    for (const path of [`/api/features/${c.feat['B-restricted']}`, `/api/features/${missingId}`]) {
      const res = await as.request(path)
      if (res.status !== 404) unexpected.push(`${v} GET ${path}: ${res.status}, expected 404`)
    }
    // Systems, departments and survey rounds every signed-in user sees: a missing id is 404 for every method; an existing one the viewer may not change is 403.
    const others: [existing: string, missing: string, init: RequestInit][] = [
      [`/api/systems/${c.sys.B}`, `/api/systems/${missingId}`, json('PUT', { ...SYSTEM, name: 'MXS-B' })],
      [`/api/systems/${c.sys.B}`, `/api/systems/${missingId}`, { method: 'DELETE' }],
      [`/api/systems/${c.sys.B}/resources`, `/api/systems/${missingId}/resources`, json('POST', { ...RESOURCE, name: '新资源' })],
      [`/api/systems/${c.sys.B}/api-keys`, `/api/systems/${missingId}/api-keys`, json('POST', { label: 'k' })],
      [`/api/departments/${c.dept.B}/systems`, `/api/departments/${missingId}/systems`, json('POST', { ...SYSTEM, name: '新系统' })],
      [`/api/departments/${c.dept.B}`, `/api/departments/${missingId}`, json('PUT', { name: '改名的部门' })],
      [`/api/departments/${c.dept.B}`, `/api/departments/${missingId}`, { method: 'DELETE' }],
      ['/api/survey-rounds/1', `/api/survey-rounds/${missingId}`, json('PUT', {
        title: '改名', systemsDeadline: '2026-03-21T12:00+08:00', resourcesDeadline: '2026-03-29T18:00+08:00', departmentIds: [c.dept.A] })],
    ]
    for (const [existing, missing, init] of others) {
      const seen = await as.request(existing, init)
      if (seen.status !== 403) unexpected.push(`${v} ${init.method} ${existing}: ${seen.status}, expected 403`)
      const gone = await as.request(missing, init)
      if (gone.status !== 404) unexpected.push(`${v} ${init.method} ${missing}: ${gone.status}, expected 404`)
    }
  }
  assert.deepEqual(unexpected, [])
  // Nothing was changed by any of it.
  const resources = await t.db.kysely.selectFrom('resources').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(resources.n), ALL.length)
  const restricted = await t.db.kysely.selectFrom('resources').select('name').where('id', '=', c.res['B-restricted']!).executeTakeFirstOrThrow()
  assert.equal(restricted.name, resourceName('B', 'restricted'))
})

/** The small catalog plus a restricted lifeline resource with a feature, so ceilings and filters have something to hide. */
async function catalogWithRestricted() {
  const t = await smallCatalog()
  const secret = await t.fx.resource(t.ids.gasSys, '燃气重点用户信息', { subcategory: 'gas', sensitivity: 'restricted' })
  await t.fx.items(secret, ['用户名称', '用气量'])
  await t.fx.features([{ resourceId: secret, kind: 'facility', name: '重点用户A', geometry: { type: 'Point', coordinates: YUBEI_A }, updatedAt: TEST_NOW.toISOString() }])
  return { ...t, secret }
}

test('a kiosk link limited to one department answers 404 for another department and lists and counts only its own', async () => {
  const t = await catalogWithRestricted()
  const { emergency, city, chemSys, gasSys, chem, gas } = t.ids
  const wall = await openKiosk(t, 'internal', `department=${emergency}`)
  const get = async (path: string) => call(t, wall, 'GET', path)
  const featureOf = async (resourceId: number) =>
    (await t.db.kysely.selectFrom('features').select('id').where('resource_id', '=', resourceId).orderBy('id').limit(1).executeTakeFirstOrThrow()).id

  for (const path of [`/api/departments/${city}`, `/api/systems/${gasSys}`, `/api/resources/${gas}`, `/api/features/${await featureOf(gas)}`]) {
    const other = await get(path)
    assert.equal(other.status, 404, path)
    assert.equal(other.body.error.code, 'not_found')
    assert.doesNotMatch(JSON.stringify(other.body), /燃气/)
  }
  const own = await get(`/api/departments/${emergency}`)
  assert.equal(own.status, 200)
  assert.deepEqual([own.body.department.resourceCount, own.body.department.itemCount, own.body.department.featureCount], [2, 5, 3])

  const departments = (await get('/api/departments')).body.items
  assert.deepEqual(departments.map((d: any) => [d.id, d.systemCount, d.resourceCount, d.itemCount, d.featureCount]), [[emergency, 1, 2, 5, 3]])
  assert.deepEqual((await get('/api/systems')).body.items.map((s: any) => [s.id, s.resourceCount]), [[chemSys, 2]])
  assert.deepEqual((await get('/api/resources')).body.items.map((r: any) => r.departmentId), [emergency, emergency])
  assert.equal((await get(`/api/resources?department=${city}`)).body.total, 0)
  assert.equal((await get('/api/items?pageSize=100')).body.total, 5)
  assert.equal((await get('/api/features')).body.features.length, 3)
  const overview = (await get('/api/stats/overview')).body
  assert.deepEqual([overview.departments.total, overview.systems, overview.resources, overview.items, overview.features], [1, 1, 2, 5, 3])
  assert.deepEqual((await get('/api/stats/freshness')).body.departments.map((d: any) => d.departmentId), [emergency])
  assert.deepEqual((await get('/api/stats/coverage')).body.byDepartment.map((d: any) => d.departmentId), [emergency])
  assert.equal((await get('/api/catalog.jsonld')).body['hydra:totalItems'], 2)
  assert.equal((await get(`/api/resources/${chem}`)).status, 200)
})

test('a kiosk link filtered by feature kind counts and shows only those features, in lists and by id', async () => {
  const t = await catalogWithRestricted()
  const { emergency, chem, chemLive } = t.ids
  const wall = await openKiosk(t, 'internal', 'kind=hazard-source')
  const get = async (path: string) => call(t, wall, 'GET', path)
  const firstFeature = async (resourceId: number) =>
    (await t.db.kysely.selectFrom('features').select('id').where('resource_id', '=', resourceId).orderBy('id').limit(1).executeTakeFirstOrThrow()).id
  const monitoringPoint = await firstFeature(chemLive)
  assert.equal((await get(`/api/features/${monitoringPoint}`)).status, 404, 'a monitoring point is outside a hazard-source wall')
  assert.equal((await get(`/api/resources/${chemLive}`)).status, 404, 'a resource without hazard sources is outside it too')
  const hazard = await firstFeature(chem)
  assert.equal((await get(`/api/features/${hazard}`)).status, 200)

  const departments = (await get('/api/departments')).body.items
  assert.deepEqual(departments.map((d: any) => [d.id, d.resourceCount, d.featureCount]), [[emergency, 1, 2]])
  const detail = (await get(`/api/departments/${emergency}`)).body
  assert.deepEqual([detail.department.resourceCount, detail.department.featureCount], [1, 2])
  assert.deepEqual(detail.coverage.map((c: any) => c.features), [2])
  const resources = (await get('/api/resources')).body.items
  assert.deepEqual(resources.map((r: any) => [r.id, r.featureCount]), [[chem, 2]])
  assert.deepEqual((await get('/api/systems')).body.items.map((s: any) => s.resourceCount), [1])
})

test('the matrix covers every route of the API', async () => {
  const c = await matrixCatalog()
  const routes = new Set((c.t.raw as unknown as { routes: { method: string; path: string }[] }).routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
    .map((r) => `${r.method} ${r.path}`))
  const covered = new Set([...READS.map((r) => r.route), ...BY_ID.map((r) => r.route), 'GET /api/tiles/:z/:x/:file', ...WRITES.map((w) => w.route),
    // Tested on their own (tests/server/auth.test.ts, ingest-api.test.ts): the ways in and out, and the Bearer-key ingest.
    'POST /api/auth/sign-in', 'POST /api/auth/sign-out', 'POST /api/auth/password', 'POST /api/kiosk/open', 'POST /api/ingest/updates',
    // One's own tokens only (tests/server/access-tokens.test.ts: someone else's token id is 404).
    'POST /api/auth/tokens/:id/revoke',
    // The second step of signing in and one's own second factor; an administrator's reset of another's (tests/server/two-factor.test.ts).
    'POST /api/auth/sign-in/code', 'GET /api/auth/two-factor', 'POST /api/auth/two-factor/setup', 'POST /api/auth/two-factor/enable',
    'POST /api/auth/two-factor/recovery-codes', 'POST /api/auth/two-factor/disable', 'POST /api/admin/users/:id/two-factor/reset',
    // Federation: the district's endpoints take a federation token, not a session; harvesting needs a city atlas
    // (tests/server/federation.test.ts covers both, with every role refused but administrators).
    'GET /api/federation/manifest', 'GET /api/federation/inventory', 'GET /api/federation/resources', 'GET /api/federation/updates',
    'GET /api/federation/feature-ids', 'GET /api/federation/features', 'POST /api/harvest/sources', 'PUT /api/harvest/sources/:id',
    'DELETE /api/harvest/sources/:id', 'POST /api/harvest/sources/:id/run', 'GET /api/harvest/jobs/:id', 'POST /api/harvest/jobs/:id/confirm',
    'POST /api/harvest/jobs/:id/decline',
    // Monitoring: the Bearer-key readings and a point's sensors and trend (tests/server/monitoring.test.ts); the loop's
    // steps by role and department (tests/server/alarm-loop.test.ts); the event stream per viewer (tests/server/events.test.ts).
    'POST /api/ingest/readings', 'GET /api/monitoring/points/:id', 'GET /api/monitoring/sensors/:id/series', 'POST /api/alarms/:id/actions', 'GET /api/events',
    // Assessments sent by a department's system with its Bearer key (tests/server/risk-import.test.ts).
    'POST /api/ingest/assessments',
    // The basemap file: administrators only, with a directory to keep it in (tests/server/basemap.test.ts).
    'PUT /api/basemap/file', 'DELETE /api/basemap/file', 'GET /api/basemap/tiles.pmtiles'])
  const missing = [...routes].filter((r) => !covered.has(r))
  assert.deepEqual(missing, [], 'routes without a row in the authorisation matrix')
})

