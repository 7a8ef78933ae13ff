import assert from 'node:assert/strict'
import { afterAll, beforeAll, test } from 'vitest'
import type { Browser } from 'playwright-core'
import { adminGet, adminHeaders, launchBrowser, newContext, startServer, type RunningServer } from '../helpers/browser.js'

// District → city with real processes: two district atlases (江北区 and 南岸区, their own demo seeds) and a
// city atlas (ATLAS_ROLE=city). The city's administrator registers a district in Chromium, runs a job and
// reads its report; an edit, a deletion and a new resource made through a district's own API arrive with
// the next job; a district that goes down fails the job with a readable error and the city keeps its data;
// the city's map, its view of the districts and its wall show both districts side by side.

let jiangbei: RunningServer
let nanan: RunningServer
let city: RunningServer
let browser: Browser

beforeAll(async () => {
  ;[jiangbei, nanan, city] = await Promise.all([
    startServer({ env: { ATLAS_DISTRICT: '江北区', DEMO_SCALE: '0.05', DEMO_SEED: '20260105' } }),
    startServer({ env: { ATLAS_DISTRICT: '南岸区', DEMO_SCALE: '0.05', DEMO_SEED: '20260211' } }),
    startServer({ env: { ATLAS_ROLE: 'city', DEMO: 'off', HARVEST_CHECK_SECONDS: '3600' } }),
  ])
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([jiangbei, nanan, city].map((s) => s?.stop()))
})

async function federationToken(district: RunningServer, ceiling: 'public' | 'internal'): Promise<string> {
  const res = await fetch(`${district.url}/api/admin/federation-tokens`, {
    method: 'POST', headers: { ...adminHeaders(district), 'content-type': 'application/json' }, body: JSON.stringify({ label: '市级平台', ceiling }),
  })
  assert.equal(res.status, 201, await res.clone().text())
  return ((await res.json()) as { token: string }).token
}

/** What a district says it shares with a token (its manifest's counts). */
async function shared(district: RunningServer, token: string): Promise<Record<string, number>> {
  const res = await fetch(`${district.url}/api/federation/manifest`, { headers: { authorization: `Bearer ${token}` } })
  return ((await res.json()) as { counts: Record<string, number> }).counts
}

async function runJob(sourceId: number): Promise<any> {
  const started = await fetch(`${city.url}/api/harvest/sources/${sourceId}/run`, { method: 'POST', headers: adminHeaders(city) })
  assert.equal(started.status, 202, await started.clone().text())
  const { id } = (await started.json()) as { id: number }
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const job = (await (await adminGet(city, `/api/harvest/jobs/${id}`)).json()) as any
    if (job.status !== 'running') return job
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`job ${id} still running after 60 s`)
}

let jiangbeiToken = ''
let nananSource = 0

test('the district administrator issues a token; the city administrator registers the district, runs a job and reads its report: what the district shares arrives whole', async () => {
  // At the district: 系统管理 → 汇聚令牌, public and internal data, shown once.
  const districtContext = await newContext(browser, undefined, jiangbei)
  const districtPage = await districtContext.newPage()
  await districtPage.goto(`${jiangbei.url}/admin?tab=federation`)
  await districtPage.fill('[data-testid="federation-token-label"]', '市大数据资源中心')
  await districtPage.check('input[data-ceiling="internal"]')
  await districtPage.click('[data-action="create-federation-token"]')
  jiangbeiToken = await districtPage.locator('[data-testid="federation-token-value"]').inputValue()
  assert.match(jiangbeiToken, /^csa_fed_[A-Za-z0-9_-]{43}$/)
  await districtPage.locator('tr[data-token="市大数据资源中心"]').waitFor()
  await districtPage.screenshot({ path: 'screenshots/district-federation-token-1920.png' })
  await districtContext.close()

  const counts = await shared(jiangbei, jiangbeiToken)
  const context = await newContext(browser, undefined, city)
  const page = await context.newPage()
  await page.goto(`${city.url}/admin?tab=harvest`)
  await page.click('[data-action="add-source"]')
  await page.fill('[data-testid="source-name"]', '江北区城市安全一张图')
  await page.fill('[data-testid="source-url"]', `${jiangbei.url}/`)
  await page.fill('[data-testid="source-token"]', jiangbeiToken)
  await page.click('[data-action="save-source"]')
  const row = page.locator('tr[data-source="江北区城市安全一张图"]')
  await row.waitFor()
  await row.locator('[data-action="run-source"]').click()
  const report = page.locator('[data-testid="harvest-report"]')
  await report.locator('[data-testid="harvest-status"]', { hasText: '成功' }).waitFor({ timeout: 60_000 })
  const cell = async (kind: string, col: string) => Number((await report.locator(`tr[data-kind="${kind}"] [data-col="${col}"]`).textContent())!.replace(/,/g, ''))
  assert.equal(await cell('resources', 'added'), counts.resources)
  assert.equal(await cell('features', 'added'), counts.features)
  assert.equal(await cell('items', 'added'), counts.items)
  assert.ok(counts.features > 500, 'the district shares its map')
  // Once harvested, the source names its district.
  await row.locator('td', { hasText: '江北区' }).first().waitFor()
  await page.screenshot({ path: 'screenshots/city-harvest-1920.png' })
  await context.close()
}, 120_000)

test('an edit, a deletion and a new resource made at a district arrive with the next job; a district that goes down fails the job readably and the city keeps its data', async () => {
  const token = await federationToken(nanan, 'internal')
  const created = await fetch(`${city.url}/api/harvest/sources`, {
    method: 'POST', headers: { ...adminHeaders(city), 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'atlas', name: '南岸区', url: `${nanan.url}/`, token, scheduleMinutes: 15 }),
  })
  nananSource = ((await created.json()) as { id: number }).id
  const first = await runJob(nananSource)
  assert.equal(first.status, 'succeeded', JSON.stringify(first.report?.errors ?? first.error))

  // At the district, through its own API: rename one public resource, delete another, add a new one.
  const headers = { ...adminHeaders(nanan), 'content-type': 'application/json' }
  const list = (await (await adminGet(nanan, '/api/resources?sensitivity=public&pageSize=3')).json()) as { items: any[] }
  const [edited, deleted] = list.items
  const detail = (await (await adminGet(nanan, `/api/resources/${edited.id}`)).json()) as any
  const body = (r: any, name: string) => ({
    name, subcategoryCode: r.subcategoryCode, provisionMode: r.provisionMode, updateCycle: r.updateCycle, subjectClass: r.subjectClass, purpose: r.purpose,
    sharingAttribute: r.sharingAttribute, sensitivity: r.sensitivity, reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: r.filledAt ? String(r.filledAt).slice(0, 10) : null,
    items: detail.items.map((i: any) => ({ name: i.name, dataType: i.dataType, length: i.length })),
  })
  const put = await fetch(`${nanan.url}/api/resources/${edited.id}`, { method: 'PUT', headers, body: JSON.stringify(body(detail.resource, `${edited.name}（修订）`)) })
  assert.equal(put.status, 200, await put.clone().text())
  assert.equal((await fetch(`${nanan.url}/api/resources/${deleted.id}`, { method: 'DELETE', headers })).status, 200)
  const post = await fetch(`${nanan.url}/api/systems/${edited.systemId}/resources`, { method: 'POST', headers, body: JSON.stringify(body(detail.resource, '新增的燃气监测资源')) })
  assert.equal(post.status, 201, await post.clone().text())

  const next = await runJob(nananSource)
  assert.equal(next.status, 'succeeded', JSON.stringify(next.report?.errors ?? next.error))
  const t = next.report.tallies
  assert.deepEqual([t.resources.added, t.resources.updated, t.resources.deleted], [1, 1, 1])
  assert.equal(t.features.deleted, deleted.featureCount)
  const now = await shared(nanan, token)
  assert.deepEqual([t.resources.harvested, t.features.harvested, t.items.harvested], [now.resources, now.features, now.items])
  const search = (await (await adminGet(city, `/api/resources?q=${encodeURIComponent('新增的燃气监测资源')}`)).json()) as { total: number; items: any[] }
  assert.equal(search.total, 1)
  assert.equal(search.items[0].origin.districtCode, '500108')

  // The district goes down: the job fails with a sentence an administrator can act on; the city keeps the last good data.
  const before = (await (await adminGet(city, '/api/resources?district=500108&pageSize=1')).json()) as { total: number }
  await nanan.stop()
  const failed = await runJob(nananSource)
  assert.equal(failed.status, 'failed')
  assert.match(failed.error, /无法连接 http:\/\/127\.0\.0\.1:\d+：连接被拒绝/)
  const after = (await (await adminGet(city, '/api/resources?district=500108&pageSize=1')).json()) as { total: number }
  assert.equal(after.total, before.total)
}, 180_000)

test("the city's view and wall show the districts side by side, and the map filters by district", async () => {
  const districts = (await (await adminGet(city, '/api/city/districts')).json()) as { items: any[] }
  const jb = districts.items.find((d) => d.code === '500105')
  const na = districts.items.find((d) => d.code === '500108')
  assert.equal(jb.resources, (await shared(jiangbei, jiangbeiToken)).resources)
  assert.ok(na.resources > 0)
  assert.equal(na.source.lastJobStatus, 'failed')

  const context = await newContext(browser, undefined, city)
  const page = await context.newPage()
  await page.goto(`${city.url}/city`)
  await page.locator('tr[data-district="500105"]').waitFor()
  assert.equal((await page.locator('tr[data-district="500105"] [data-col="resources"]').textContent())?.trim(), jb.resources.toLocaleString('zh-CN'))
  await page.locator('[data-chart="city-choropleth"][data-ready="true"] svg').waitFor()
  await page.locator('tr[data-district="500108"]').click()
  await page.locator('[data-testid="district-departments"] tr[data-department]').first().waitFor()
  const names = await page.locator('[data-testid="district-departments"] tr[data-department] a').allTextContents()
  assert.ok(names.length > 3 && names.every((n) => n.startsWith('南岸区')), names.join(','))
  await page.screenshot({ path: 'screenshots/city-districts-1920.png', fullPage: true })

  // The workspace over one district: every resource listed is 江北区's.
  await page.goto(`${city.url}/?district=500105`)
  await page.locator('.atlas-map[data-map-state="drawn"]').waitFor({ timeout: 60_000 })
  const filtered = (await (await adminGet(city, '/api/resources?district=500105&pageSize=1')).json()) as { total: number }
  assert.equal(filtered.total, jb.resources)

  // The city wall: the districts side by side, 南岸区 flagged as failed.
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(`${city.url}/screen`)
  await page.locator('[data-testid="screen-districts"] tr[data-district="500105"]').waitFor({ timeout: 60_000 })
  assert.match((await page.locator('[data-testid="screen-districts"] tr[data-district="500108"]').textContent())!, /南岸区\s*汇聚失败/)
  await page.locator('.wall[data-screen-state="drawn"]').waitFor({ timeout: 60_000 })
  // The city's departments are its districts' own, each reported against its district's round.
  assert.match((await page.locator('[data-kpi="departments"]').textContent())!, new RegExp(`/\\s*${jb.departments + na.departments}\\b`))
  await page.screenshot({ path: 'screenshots/city-wall-1920.png' })
  await page.setViewportSize({ width: 3840, height: 2160 })
  await page.waitForTimeout(500)
  await page.screenshot({ path: 'screenshots/city-wall-3840.png' })
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto(`${city.url}/city`)
  await page.locator('[data-chart="city-choropleth"][data-ready="true"] svg').waitFor()
  await page.screenshot({ path: 'screenshots/city-districts-1366.png' })
  await context.close()
}, 120_000)
