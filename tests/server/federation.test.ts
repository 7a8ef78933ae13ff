import { createServer, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createApp } from '../../server/app.js'
import type { Db } from '../../server/db/connect.js'
import type { AppDeps } from '../../server/db/deps.js'
import { generateDemo, DEFAULT_SEED } from '../../server/demo/generate.js'
import type { HarvestJobInfo, HarvestSourceInfo } from '../../server/domain/federation.js'
import { RegionLocator, districtNamed } from '../../server/geo/regions.js'
import { harvesterFor } from '../../server/harvest/runner.js'
import { prepareDatabase } from '../../server/prepare.js'
import { TEST_NOW, TEST_SECRET, createSession, requester } from '../helpers/app.js'
import { emptyDatabase, newDatabaseUrl } from '../helpers/database.js'
import { openDatabase } from '../../server/db/connect.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// District → city: two district atlases (江北区 and 南岸区, different demo seeds) served over real HTTP on
// loopback, and city atlases harvesting them with federation tokens their administrators issued.

interface District {
  name: string
  code: string
  db: Db
  server: Server
  url: string
  admin: ReturnType<typeof requester>
  token: (ceiling: 'public' | 'internal') => Promise<string>
}

async function districtAtlas(name: string, seed: number): Promise<District> {
  const db = await emptyDatabase()
  const district = districtNamed(name)!
  await prepareDatabase(db, district)
  await generateDemo(db, await RegionLocator.load(db), { scale: 0.05, seed, now: TEST_NOW, district })
  const app = createApp({ db, now: () => TEST_NOW, sessionSecret: TEST_SECRET })
  const session = await createSession(db, { role: 'admin', username: `admin-${district.code}` })
  const admin = requester(app, session)
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const token = async (ceiling: 'public' | 'internal') => {
    const res = await admin.request('/api/admin/federation-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: '市级平台', ceiling }) })
    expect(res.status).toBe(201)
    return ((await res.json()) as { token: string }).token
  }
  return { name, code: district.code, db, server, url, admin, token }
}

/** A city atlas over a database of its own (a file, or a PostgreSQL database), so that its jobs run in worker threads as in production. */
async function cityAtlas() {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-city-'))
  const databaseUrl = await newDatabaseUrl(dir)
  const db = openDatabase(databaseUrl)
  await prepareDatabase(db)
  const close = db.close.bind(db)
  db.close = async () => {
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
  const deps: AppDeps = { db, now: () => TEST_NOW, sessionSecret: TEST_SECRET, role: 'city', databaseUrl }
  const app = createApp(deps)
  const admin = requester(app, await createSession(db, { role: 'admin', username: 'city-admin' }))
  const post = async (path: string, body: unknown) => admin.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const json = async <T>(path: string) => (await (await admin.request(path)).json()) as T
  /** Runs a job now and waits for its end. */
  const run = async (sourceId: number): Promise<HarvestJobInfo> => {
    const res = await admin.request(`/api/harvest/sources/${sourceId}/run`, { method: 'POST' })
    expect(res.status, await res.clone().text()).toBe(202)
    const job = (await res.json()) as HarvestJobInfo
    await harvesterFor(deps).idle()
    return json<HarvestJobInfo>(`/api/harvest/jobs/${job.id}`)
  }
  const addSource = async (body: Record<string, unknown>): Promise<HarvestSourceInfo> => {
    const res = await post('/api/harvest/sources', { scheduleMinutes: 15, ...body })
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as HarvestSourceInfo
  }
  return { db, deps, app, admin, post, json, run, addSource }
}

const count = async (db: Db, table: 'departments' | 'systems' | 'resources' | 'data_items' | 'features', where: (q: any) => any = (q) => q) =>
  Number((await where(db.kysely.selectFrom(table).select((e) => e.fn.countAll<number>().as('n'))).executeTakeFirstOrThrow()).n)
/** What a district shares with an internal token: its own public and internal resources and what hangs on them. */
async function sharedCounts(db: Db, sensitivities = ['public', 'internal']) {
  const resources = await db.kysely.selectFrom('resources').select('id').where('sensitivity', 'in', sensitivities).execute()
  const ids = resources.map((r) => r.id)
  return {
    resources: ids.length,
    items: await count(db, 'data_items', (q) => q.where('resource_id', 'in', ids)),
    features: await count(db, 'features', (q) => q.where('resource_id', 'in', ids)),
  }
}

let jiangbei: District
let nanan: District

beforeAll(async () => {
  jiangbei = await districtAtlas('江北区', DEFAULT_SEED + 5)
  nanan = await districtAtlas('南岸区', DEFAULT_SEED + 11)
}, 120_000)

afterAll(async () => {
  for (const d of [jiangbei, nanan]) {
    await new Promise<void>((resolve) => d.server.close(() => resolve()))
    await d.db.close()
  }
})

test('a city harvests two districts: what each shares arrives with its provenance, counts equal the districts\' own, and a second job changes nothing', async () => {
  const city = await cityAtlas()
  const a = await city.addSource({ kind: 'atlas', name: '江北区平台', url: jiangbei.url, token: await jiangbei.token('internal') })
  const b = await city.addSource({ kind: 'atlas', name: '南岸区平台', url: nanan.url, token: await nanan.token('internal') })
  const jobA = await city.run(a.id)
  const jobB = await city.run(b.id)
  for (const [job, d] of [[jobA, jiangbei], [jobB, nanan]] as const) {
    expect(job.status, JSON.stringify(job.error ?? job.report?.errors)).toBe('succeeded')
    const shared = await sharedCounts(d.db)
    const t = job.report!.tallies
    expect([t.resources!.source, t.resources!.added, t.resources!.harvested]).toEqual([shared.resources, shared.resources, shared.resources])
    expect([t.items!.added, t.features!.added, t.features!.harvested]).toEqual([shared.items, shared.features, shared.features])
    expect(t.departments!.added).toBe(await count(d.db, 'departments'))
    expect(job.durationMs).toBeGreaterThan(0)
  }
  // Restricted data never leaves a district.
  expect(await count(city.db, 'resources', (q) => q.where('sensitivity', '=', 'restricted'))).toBe(0)

  // The city's view: both districts side by side, with the districts' own counts.
  const districts = await city.json<{ items: any[] }>('/api/city/districts')
  const row = (code: string) => districts.items.find((d) => d.code === code)
  expect(row(jiangbei.code)).toMatchObject({ name: '江北区', resources: (await sharedCounts(jiangbei.db)).resources, features: (await sharedCounts(jiangbei.db)).features })
  expect(row(nanan.code)).toMatchObject({ name: '南岸区', resources: (await sharedCounts(nanan.db)).resources })
  expect(row(nanan.code).source).toMatchObject({ name: '南岸区平台', stale: false, lastJobStatus: 'succeeded' })
  expect(row(jiangbei.code).coverage.covered).toBeGreaterThan(0)
  expect(row(jiangbei.code).freshness.judged).toBeGreaterThan(0)

  // The map, statistics and search over all districts, with a district filter; resources say where they come from.
  const all = await city.json<{ total: number }>('/api/resources?pageSize=1')
  const north = await city.json<{ total: number; items: any[] }>(`/api/resources?district=${jiangbei.code}&pageSize=5`)
  expect(north.total).toBe((await sharedCounts(jiangbei.db)).resources)
  expect(all.total).toBe(north.total + (await sharedCounts(nanan.db)).resources)
  expect(north.items[0].origin).toMatchObject({ sourceName: '江北区平台', districtCode: jiangbei.code })
  const stats = await city.json<any>(`/api/stats/overview?district=${nanan.code}`)
  expect(JSON.stringify(stats)).not.toContain('江北区')
  expect((await city.admin.request('/api/resources?district=beijing')).status).toBe(400)
  // Search across all districts, or within one.
  const term = north.items[0].name as string
  const everywhere = await city.json<{ results: any[] }>(`/api/search?q=${encodeURIComponent(term)}`)
  const within = await city.json<{ results: any[] }>(`/api/search?q=${encodeURIComponent(term)}&district=${nanan.code}`)
  expect(everywhere.results.some((h) => h.subtitle.startsWith('江北区'))).toBe(true)
  expect(within.results.every((h) => h.subtitle.startsWith('南岸区'))).toBe(true)

  // Drill-down: city → district → its departments.
  const depts = await city.json<{ items: any[] }>(`/api/city/districts/${nanan.code}/departments`)
  expect(depts.items.length).toBeGreaterThan(3)
  expect(depts.items.every((d) => d.name.startsWith('南岸区'))).toBe(true)

  // Harvested data stays the district's: the city cannot change it.
  const [harvested] = north.items
  const edit = await city.admin.request(`/api/resources/${harvested.id}`, { method: 'DELETE' })
  expect(edit.status).toBe(409)
  expect(((await edit.json()) as any).error.message).toContain('江北区平台')

  // Running the job again changes nothing.
  const again = await city.run(a.id)
  expect(again.status).toBe('succeeded')
  const t = again.report!.tallies
  for (const kind of ['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const) {
    expect([kind, t[kind]!.added, t[kind]!.updated, t[kind]!.deleted]).toEqual([kind, 0, 0, 0])
  }
  expect(again.report!.skipped).toEqual(expect.arrayContaining(['resources', 'features']))
  expect(t.features!.unchanged).toBe((await sharedCounts(jiangbei.db)).features)

  // Every job is in the audit trail of the city; every harvest in the district's.
  const audit = await city.json<{ items: any[] }>('/api/admin/audit?action=harvest-job')
  expect(audit.items.length).toBe(3)
  const read = await jiangbei.db.kysely.selectFrom('audit_log').select('target').where('action', '=', 'harvest-read').execute()
  expect(read.length).toBeGreaterThanOrEqual(2)
  await city.db.close()
}, 120_000)

test('an edit, a deletion, a new resource and a feature changed in place at a district arrive with the next job and its report', async () => {
  const city = await cityAtlas()
  const a = await city.addSource({ kind: 'atlas', name: '南岸区', url: nanan.url, token: await nanan.token('internal') })
  expect((await city.run(a.id)).status).toBe('succeeded')
  const k = nanan.db.kysely
  const [edited, deleted] = await k.selectFrom('resources').select(['id', 'name', 'system_id', 'department_id']).where('sensitivity', '=', 'public').orderBy('id').limit(2).execute()
  const goneFeatures = await count(nanan.db, 'features', (q) => q.where('resource_id', '=', deleted!.id))
  await k.updateTable('resources').set({ name: `${edited!.name}（修订）`, updated_at: TEST_NOW.toISOString() }).where('id', '=', edited!.id).execute()
  await k.deleteFrom('resources').where('id', '=', deleted!.id).execute()
  const { id: added } = await k.insertInto('resources').values({
    system_id: edited!.system_id, department_id: edited!.department_id, subcategory_code: 'gas', name: '新增燃气资源', provision_mode: 'api', update_cycle: 'daily',
    subject_class: 'thing', purpose: 'basic', sharing_attribute: 'unconditional', sensitivity: 'public', reviewer: '', filler: '', phone: '', created_at: TEST_NOW.toISOString(), updated_at: TEST_NOW.toISOString(),
  }).returning('id').executeTakeFirstOrThrow()
  await k.insertInto('data_items').values([{ resource_id: added, name: '管线编号', data_type: 'C', length: 20, sort_order: 0 }]).execute()
  await k.insertInto('resource_updates').values({ resource_id: added, updated_at: TEST_NOW.toISOString(), record_count: 5, source: 'api', note: '' }).execute()
  const moved = await k.selectFrom('features').select(['id']).where('resource_id', '<>', deleted!.id).where('resource_id', 'in', (q) => q.selectFrom('resources').select('id').where('sensitivity', '=', 'public')).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  await k.updateTable('features').set({ name: '改名的要素' }).where('id', '=', moved.id).execute()

  const job = await city.run(a.id)
  expect(job.status, JSON.stringify(job.report?.errors)).toBe('succeeded')
  const t = job.report!.tallies
  expect([t.resources!.added, t.resources!.updated, t.resources!.deleted]).toEqual([1, 1, 1])
  expect([t.items!.added, t.updates!.added]).toEqual([1, 1])
  expect([t.features!.deleted, t.features!.updated, t.features!.added]).toEqual([goneFeatures, 1, 0])
  expect(await count(city.db, 'resources', (q) => q.where('name', '=', `${edited!.name}（修订）`))).toBe(1)
  expect(await count(city.db, 'features', (q) => q.where('name', '=', '改名的要素'))).toBe(1)
  const shared = await sharedCounts(nanan.db)
  expect([t.resources!.harvested, t.features!.harvested]).toEqual([shared.resources, shared.features])
  // The new resource's freshness came with its update record.
  const fresh = await city.json<{ items: any[] }>('/api/resources?q=新增燃气资源')
  expect(fresh.items[0].freshness.lastUpdatedAt).toBe(TEST_NOW.toISOString())
  await city.db.close()
}, 120_000)

test('a district going down gives a failed job with a readable error and the city keeps its last good data; the deletion guard stops a mass deletion until confirmed', async () => {
  const d = await districtAtlas('渝中区', DEFAULT_SEED + 17)
  const city = await cityAtlas()
  const s = await city.addSource({ kind: 'atlas', name: '渝中区', url: d.url, token: await d.token('internal') })
  expect((await city.run(s.id)).status).toBe('succeeded')
  const held = await count(city.db, 'features')

  // A mass deletion at the district: a third of what it shares.
  const victims = await d.db.kysely.selectFrom('resources').select('id').where('sensitivity', 'in', ['public', 'internal']).execute()
  const third = victims.slice(0, Math.ceil(victims.length / 3)).map((r) => r.id)
  await d.db.kysely.deleteFrom('resources').where('id', 'in', third).execute()
  const guarded = await city.run(s.id)
  expect(guarded.status).toBe('awaiting-confirmation')
  expect(guarded.error).toMatch(/超过设定的 10%/)
  expect(guarded.report!.guard!.find((g) => g.kind === 'resources')).toMatchObject({ deleting: third.length })
  expect(await count(city.db, 'features')).toBe(held)
  // The schedule does not run past a job waiting for a confirmation.
  await harvesterFor(city.deps).tick()
  expect((await city.json<{ items: HarvestJobInfo[] }>(`/api/harvest/jobs?source=${s.id}`)).items[0]!.id).toBe(guarded.id)
  // Only an administrator may confirm; then the deletions go through.
  const analyst = requester(city.app, await createSession(city.db, { role: 'analyst' }))
  expect((await analyst.request(`/api/harvest/jobs/${guarded.id}/confirm`, { method: 'POST' })).status).toBe(403)
  const confirmed = await city.admin.request(`/api/harvest/jobs/${guarded.id}/confirm`, { method: 'POST' })
  expect(confirmed.status).toBe(202)
  await harvesterFor(city.deps).idle()
  const after = await city.json<HarvestJobInfo>(`/api/harvest/jobs/${((await confirmed.json()) as HarvestJobInfo).id}`)
  expect(after.status).toBe('succeeded')
  expect(after.cause).toBe('confirmed')
  expect(after.report!.tallies.resources!.deleted).toBe(third.length)
  expect((await city.json<HarvestJobInfo>(`/api/harvest/jobs/${guarded.id}`)).status).toBe('confirmed')

  // The district goes down.
  const before = await count(city.db, 'resources')
  await new Promise<void>((resolve) => d.server.close(() => resolve()))
  d.server.closeAllConnections()
  const failed = await city.run(s.id)
  expect(failed.status).toBe('failed')
  expect(failed.error).toMatch(/无法连接 http:\/\/127\.0\.0\.1:\d+：连接被拒绝（服务未运行或端口错误）/)
  expect(await count(city.db, 'resources')).toBe(before)
  const sources = await city.json<{ items: HarvestSourceInfo[] }>('/api/harvest/sources')
  expect(sources.items[0]!.lastJob!.status).toBe('failed')
  expect(sources.items[0]!.lastSuccessAt).not.toBeNull()
  await d.db.close()
  await city.db.close()
}, 120_000)

test('a token scoped to public data never brings internal data to the city; tokens are required, checked and revocable', async () => {
  const city = await cityAtlas()
  const token = await jiangbei.token('public')
  const s = await city.addSource({ kind: 'atlas', name: '江北区（公开）', url: jiangbei.url, token })
  const job = await city.run(s.id)
  expect(job.status).toBe('succeeded')
  const sens = await city.db.kysely.selectFrom('resources').select('sensitivity').distinct().execute()
  expect(sens.map((r) => r.sensitivity)).toEqual(['public'])
  expect(await count(city.db, 'features')).toBe((await sharedCounts(jiangbei.db, ['public'])).features)
  const internalNames = (await jiangbei.db.kysely.selectFrom('resources').select('name').where('sensitivity', '<>', 'public').execute()).map((r) => r.name)
  const cityNames = new Set((await city.db.kysely.selectFrom('resources').select('name').execute()).map((r) => r.name))
  expect(internalNames.filter((n) => cityNames.has(n))).toEqual([])

  // At the district: no token, a wrong one, a personal token instead, a revoked one.
  const manifest = (auth?: string) => fetch(new URL('api/federation/manifest', jiangbei.url), { headers: auth ? { authorization: auth } : {} })
  expect((await manifest()).status).toBe(401)
  expect((await manifest('Bearer csa_fed_wrong')).status).toBe(401)
  expect((await manifest('Bearer csa_pat_abc')).status).toBe(401)
  const list = (await (await jiangbei.admin.request('/api/admin/federation-tokens')).json()) as { items: { id: number; prefix: string }[] }
  const mine = list.items.find((t) => token.startsWith(t.prefix))!
  expect(JSON.stringify(list)).not.toContain(token)
  expect((await jiangbei.admin.request(`/api/admin/federation-tokens/${mine.id}/revoke`, { method: 'POST' })).status).toBe(200)
  expect((await manifest(`Bearer ${token}`)).status).toBe(401)
  const refused = await city.run(s.id)
  expect(refused.status).toBe('failed')
  expect(refused.error).toContain('联邦令牌无效或已撤销')
  await city.db.close()
}, 120_000)

test('each source is harvested on its own schedule, and one job runs at a time per source', async () => {
  const city = await cityAtlas()
  const s = await city.addSource({ kind: 'atlas', name: '南岸区', url: nanan.url, token: await nanan.token('public'), scheduleMinutes: 30 })
  const harvester = harvesterFor(city.deps)
  await harvester.tick()
  await harvester.idle()
  const [first] = (await city.json<{ items: HarvestJobInfo[] }>(`/api/harvest/jobs?source=${s.id}`)).items
  expect(first).toMatchObject({ cause: 'schedule', status: 'succeeded', startedBy: null })
  // Not due again before its interval has passed (the clock of this city stands still).
  await harvester.tick()
  await harvester.idle()
  expect((await city.json<{ items: HarvestJobInfo[] }>(`/api/harvest/jobs?source=${s.id}`)).items).toHaveLength(1)
  // A job already running (here: left by another process) keeps a second one from starting.
  await city.db.kysely.insertInto('harvest_jobs').values({ source_id: s.id, cause: 'manual', status: 'running', started_by: null, started_at: TEST_NOW.toISOString() }).execute()
  const refused = await city.admin.request(`/api/harvest/sources/${s.id}/run`, { method: 'POST' })
  expect(refused.status).toBe(409)
  expect(((await refused.json()) as any).error.message).toContain('已有任务在运行')
  // The audit trail names the schedule as who ran the first job.
  const audit = await city.json<{ items: any[] }>('/api/admin/audit?action=harvest-job')
  expect(audit.items[0]).toMatchObject({ username: '定时任务', result: 'success' })
  await city.db.close()
})

test('harvesting is for a city atlas and its administrators', async () => {
  const city = await cityAtlas()
  const body = { kind: 'atlas', name: 'x', url: nanan.url, token: await nanan.token('public') }
  for (const role of ['leader', 'analyst'] as const) {
    const who = requester(city.app, await createSession(city.db, { role }))
    expect((await who.request('/api/harvest/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(403)
    expect((await who.request('/api/harvest/sources')).status).toBe(403)
  }
  expect((await city.post('/api/harvest/sources', { ...body, token: 'csa_pat_notafederationtoken' })).status).toBe(400)
  expect((await city.post('/api/harvest/sources', { ...body, url: 'ftp://x' })).status).toBe(400)
  // A district atlas harvests nothing.
  const district = await jiangbei.admin.request('/api/harvest/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(district.status).toBe(409)
  expect(((await district.json()) as any).error.message).toContain('ATLAS_ROLE=city')
  await city.db.close()
})

test('a DCAT catalog in JSON-LD, as CKAN writes it, is harvested: its datasets become resources of the named source, with the same report', async () => {
  const fixture = readFileSync(new URL('../fixtures/ckan-catalog.jsonld', import.meta.url), 'utf8')
  const page2 = readFileSync(new URL('../fixtures/ckan-catalog-page2.jsonld', import.meta.url), 'utf8')
  const portal = createServer((req, res) => {
    res.setHeader('content-type', 'application/ld+json')
    res.end((req.url ?? '').includes('page=2') ? page2 : fixture.replaceAll('{{origin}}', `http://127.0.0.1:${(portal.address() as AddressInfo).port}`))
  })
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve))
  try {
    const city = await cityAtlas()
    const s = await city.addSource({ kind: 'dcat', name: '市开放数据门户', url: `http://127.0.0.1:${(portal.address() as AddressInfo).port}/catalog.jsonld`, defaultSubcategory: 'traffic' })
    const job = await city.run(s.id)
    expect(job.status, JSON.stringify(job.report?.errors)).toBe('succeeded')
    expect(job.report!.tallies.resources).toMatchObject({ source: 4, added: 4, harvested: 4 })
    const resources = await city.json<{ items: any[] }>('/api/resources?pageSize=10')
    const gas = resources.items.find((r) => r.name === '燃气管网压力监测数据')
    expect(gas).toMatchObject({ departmentName: '重庆市城市管理局', subcategoryCode: 'gas', updateCycle: 'daily', sensitivity: 'public' })
    expect(gas.freshness.lastUpdatedAt).toBe('2026-06-14T08:00:00.000Z')
    expect(resources.items.find((r) => r.name === '危险化学品企业名录')).toMatchObject({ sensitivity: 'internal', updateCycle: 'monthly', subcategoryCode: 'hazardous-chemicals' })
    expect(resources.items.find((r) => r.name === '公交站点')).toMatchObject({ subcategoryCode: 'traffic', departmentName: '重庆市城市管理局' })
    expect(resources.items.find((r) => r.name === '地质灾害隐患点监测')).toMatchObject({ subcategoryCode: 'geology', updateCycle: 'weekly', departmentName: '市开放数据门户' })
    expect((await city.json<{ items: any[] }>('/api/city/districts')).items.find((d) => d.key === `source-${s.id}`)).toMatchObject({ name: '市开放数据门户', resources: 4 })
    const again = await city.run(s.id)
    expect(again.report!.tallies.resources).toMatchObject({ added: 0, updated: 0, deleted: 0, unchanged: 4 })
    await city.db.close()
  } finally {
    await new Promise<void>((resolve) => portal.close(() => resolve()))
  }
}, 60_000)
