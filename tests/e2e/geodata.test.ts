import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, adminHeaders, newContext, serverAndBrowser, signIn } from '../helpers/browser.js'

// gcoord is CommonJS whose typings declare a default export that Node's ESM loader does not see as such.
const gcoord = createRequire(import.meta.url)('gcoord') as typeof import('gcoord').default

const env = serverAndBrowser()
const DEPARTMENT = '渝北区应急局'
const OTHER_DEPARTMENT = '渝北区交通局'
/** Set SHOTS_DIR to also write screenshots of the dialog (1920×1080). */
const SHOTS_DIR = process.env.SHOTS_DIR

const scratch = mkdtempSync(join(tmpdir(), 'geodata-e2e-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface Resource { id: number; departmentId: number; systemId: number; name: string; featureCount: number; sensitivity: string }

async function getJson<T>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

async function departmentIds(): Promise<Record<string, number>> {
  const { items } = await getJson<{ items: { id: number; name: string }[] }>('/api/departments')
  return Object.fromEntries(items.map((d) => [d.name, d.id]))
}

/** A resource of the department that has features and that every signed-in user may see. */
async function targetResource(): Promise<Resource> {
  const ids = await departmentIds()
  const { items } = await getJson<{ items: Resource[] }>(`/api/resources?department=${ids[DEPARTMENT]}&pageSize=500`)
  const r = items.find((x) => x.featureCount > 0 && x.sensitivity !== 'restricted')
  assert.ok(r, `${DEPARTMENT} has a visible resource with features`)
  return r
}

const resourcePath = (r: Resource) => `/departments/${r.departmentId}/systems/${r.systemId}/resources/${r.id}`

/** Chooses a file in the dialog, as a user picks one from disk, and waits for the server's preview. */
async function upload(page: Page, name: string, content: string): Promise<void> {
  const path = join(scratch, name)
  await writeFile(path, content)
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/preview') && r.request().method() === 'POST'),
    page.setInputFiles('[data-testid="geodata-file"]', path),
  ])
  await page.waitForSelector('[data-testid="geodata-summary"]')
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS_DIR) return
  mkdirSync(SHOTS_DIR, { recursive: true })
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) })
}

/** Known WGS84 positions in Yubei; the CSV carries them as GCJ-02, as copied from Amap. */
const PLACES: { name: string; risk: string; wgs84: [number, number] }[] = [
  { name: '双凤桥加油站', risk: '重大风险', wgs84: [106.6012, 29.7031] },
  { name: '空港燃气调压站', risk: 'orange', wgs84: [106.6354, 29.7248] },
  { name: '两路<b>危化品</b>仓库', risk: '一般风险', wgs84: [106.6721, 29.7513] },
  { name: '回兴液化气站', risk: '低风险', wgs84: [106.7108, 29.7902] },
  { name: '木耳镇烟花仓库', risk: '较大风险', wgs84: [106.7489, 29.8467] },
]

function gcj02Csv(): string {
  const rows = PLACES.map((p) => {
    const [lon, lat] = gcoord.transform(p.wgs84, gcoord.WGS84, gcoord.GCJ02) as [number, number]
    return [p.name, p.risk, lon.toFixed(7), lat.toFixed(7), '2024年排查'].join(',')
  })
  return ['名称,风险等级,经度,纬度,备注', ...rows].join('\r\n') + '\r\n'
}

/** Feature 2 has an unclosed ring; feature 3 has latitude and longitude the wrong way round. */
function brokenGeojson(): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: '完好的点' }, geometry: { type: 'Point', coordinates: [106.62, 29.71] } },
      {
        type: 'Feature',
        properties: { name: '未闭合的面' },
        geometry: { type: 'Polygon', coordinates: [[[106.6, 29.7], [106.61, 29.7], [106.61, 29.71], [106.6, 29.71]]] },
      },
      { type: 'Feature', properties: { name: '颠倒的点' }, geometry: { type: 'Point', coordinates: [29.72, 106.63] } },
    ],
  })
}

test('an administrator previews a broken GeoJSON (problems by feature number, no import), then imports a GCJ-02 CSV converted to WGS84', async () => {
  const resource = await targetResource()
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}${resourcePath(resource)}`)
  await page.waitForSelector('[data-testid="resource-feature-count"]')
  assert.equal((await page.textContent('[data-testid="resource-feature-count"]'))?.trim(), `空间要素 ${resource.featureCount.toLocaleString('zh-CN')} 个`)
  await page.click('[data-action="open-geodata-import"]')
  await page.waitForSelector('[data-testid="geodata-dialog"]')

  // A file that is no spatial data at all: the server's Chinese message, nothing to confirm.
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/preview')),
    writeFile(join(scratch, 'notes.json'), '{"hello": "world"}').then(() => page.setInputFiles('[data-testid="geodata-file"]', join(scratch, 'notes.json'))),
  ])
  const refusal = (await page.textContent('[data-testid="geodata-error"]')) ?? ''
  assert.match(refusal, /[\u4e00-\u9fff]/, 'the refusal is worded in Chinese')
  assert.ok(await page.isDisabled('[data-testid="geodata-confirm"]'))

  // The broken GeoJSON: each problem is listed with its feature number; feature 1 is fine.
  await upload(page, 'broken.geojson', brokenGeojson())
  await page.waitForSelector('[data-table="geodata-problems"]')
  const problems = await page.$$eval('[data-row="problem"]', (rows) => rows.map((r) => ({
    feature: Number(r.querySelector('[data-cell="feature"]')?.textContent),
    message: r.querySelector('[data-cell="message"]')?.textContent ?? '',
  })))
  assert.ok(problems.some((p) => p.feature === 2 && /闭合/.test(p.message)), `feature 2's ring is reported as unclosed: ${JSON.stringify(problems)}`)
  assert.ok(problems.some((p) => p.feature === 3 && /经纬度疑似颠倒/.test(p.message)), `feature 3 is reported as swapped: ${JSON.stringify(problems)}`)
  assert.ok(!problems.some((p) => p.feature === 1), 'the good feature has no problem')
  assert.match((await page.textContent('[data-sum="problems"]')) ?? '', new RegExp(`^${problems.length} 处问题$`))
  assert.match((await page.textContent('[data-sum="features"]')) ?? '', /^3 个要素$/)
  assert.match((await page.textContent('[data-testid="geodata-problems-message"]')) ?? '', /不能导入/)
  assert.ok(await page.isDisabled('[data-testid="geodata-confirm"]'), 'confirm is disabled while the file has problems')
  await page.waitForSelector('[data-testid="geodata-map"][data-map-state="drawn"]', { timeout: 30_000 })
  await shot(page, 'geodata-problems-1920x1080')

  // The good file: GCJ-02 declared, previewed, its kind chosen, then imported.
  await page.selectOption('[data-testid="geodata-crs"]', 'gcj02')
  await upload(page, '风险点-高德坐标.csv', gcj02Csv())
  assert.equal(await page.locator('[data-row="problem"]').count(), 0, 'the good file has no problems')
  assert.equal((await page.textContent('[data-sum="features"]'))?.trim(), '5 个要素')
  assert.equal((await page.textContent('[data-sum="replaced"]'))?.trim(), `替换现有 ${resource.featureCount.toLocaleString('zh-CN')} 个`)
  assert.match((await page.textContent('[data-fact="geometry"]')) ?? '', /Point 5/)
  assert.match((await page.textContent('[data-fact="crs"]')) ?? '', /GCJ-02|GCJ02/i)
  // The bounds shown are the WGS84 positions the file was made from (GCJ-02 alone is ~400 m off).
  const bounds = ((await page.textContent('[data-fact="bounds"]')) ?? '').match(/-?\d+\.\d+/g)!.map(Number)
  const expected = [106.6012, 29.7031, 106.7489, 29.8467]
  bounds.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 2e-5, `bound ${i}: ${v} ≈ ${expected[i]}`))
  // Columns with their samples, shown as text (a tag in a name stays text).
  assert.match((await page.textContent('[data-table="geodata-columns"]')) ?? '', /两路<b>危化品<\/b>仓库/)
  assert.equal(await page.inputValue('[data-mapping="lon"] select'), '经度')
  assert.equal(await page.inputValue('[data-mapping="lat"] select'), '纬度')
  assert.equal(await page.inputValue('[data-mapping="name"] select'), '名称')

  // Choosing the kind previews again with it (the resource's own features are hazard sources, the default otherwise).
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/preview') && r.request().method() === 'POST'),
    page.selectOption('[data-mapping="kindFixed"] select', 'risk-point'),
  ])
  await page.waitForFunction(() => !(globalThis as any).document.querySelector('.gimport__busy'))
  assert.equal(await page.inputValue('[data-mapping="kindFixed"] select'), 'risk-point')

  // The small map draws the five points, fitted to them.
  await page.waitForSelector('[data-testid="geodata-map"][data-map-state="drawn"]', { timeout: 30_000 })
  const drawn = await page.evaluate(() => (globalThis as any).__atlas['map:geodata-preview'].queryRenderedFeatures({ layers: ['geodata-point'] }).length)
  assert.equal(drawn, 5, 'all five points are on the preview map')
  await shot(page, 'geodata-preview-1920x1080')

  assert.ok(await page.isEnabled('[data-testid="geodata-confirm"]'))
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/import') && r.status() === 200),
    page.click('[data-testid="geodata-confirm"]'),
  ])
  const success = (await page.textContent('[data-testid="geodata-success"]')) ?? ''
  assert.match(success, /写入 5 个空间要素/)
  assert.match(success, new RegExp(`替换原有 ${resource.featureCount.toLocaleString('zh-CN')} 个`))
  await shot(page, 'geodata-imported-1920x1080')

  // Behind the dialog the page shows the new count and the history entry; closing keeps the message.
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="resource-feature-count"]')?.textContent?.trim() === '空间要素 5 个')
  await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('[data-table="updates"] tbody tr')].some((tr: any) => tr.textContent?.includes('空间数据导入')))
  await page.click('[data-testid="geodata-dialog"] .fdialog__x')
  assert.equal((await page.textContent('[data-testid="geodata-imported"]'))?.trim(), '已导入 5 个空间要素')
  // The page's map now draws the resource's five new features (and nothing else replaces them).
  await page.waitForSelector('.page__map .atlas-map[data-feature-count="5"][data-map-state="drawn"]', { timeout: 30_000 })
  await page.waitForTimeout(1500)
  assert.equal(await page.getAttribute('.page__map .atlas-map', 'data-feature-count'), '5')
  await shot(page, 'geodata-resource-after-1920x1080')

  // What was written: five risk points at the WGS84 positions (within about 2 m).
  const written = await getJson<{ features: { geometry: { coordinates: [number, number] }; properties: { name: string; kind: string; riskLevel: string } }[] }>(
    `/api/features?resource=${resource.id}&limit=100`,
  )
  assert.equal(written.features.length, 5)
  for (const place of PLACES) {
    const f = written.features.find((x) => x.properties.name === place.name)
    assert.ok(f, `${place.name} was imported`)
    assert.equal(f.properties.kind, 'risk-point')
    const [lon, lat] = f.geometry.coordinates
    assert.ok(Math.abs(lon - place.wgs84[0]) < 2e-5 && Math.abs(lat - place.wgs84[1]) < 2e-5, `${place.name} at ${lon},${lat}`)
  }
  assert.deepEqual(written.features.map((f) => f.properties.riskLevel).sort(), ['blue', 'orange', 'orange', 'red', 'yellow'])
  await context.close()
})

test('when the resource’s features change between preview and confirmation, the dialog shows the fresh preview and asks again', async () => {
  const resource = await targetResource()
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}${resourcePath(resource)}`)
  await page.click('[data-action="open-geodata-import"]')
  await page.selectOption('[data-testid="geodata-crs"]', 'gcj02')
  await upload(page, '风险点-高德坐标.csv', gcj02Csv())
  const before = Number(((await page.textContent('[data-sum="replaced"]')) ?? '').match(/\d+/)![0])

  // Meanwhile someone else imports two points into the same resource (the API, as another browser would).
  const headers = adminHeaders(env.server)
  const other = () => {
    const form = new FormData()
    form.set('file', new Blob(['name,lon,lat\r\n甲,106.61,29.71\r\n乙,106.62,29.72\r\n']), 'other.csv')
    form.set('mapping', JSON.stringify({ kindFixed: 'risk-point' }))
    return form
  }
  const preview = await fetch(`${env.server.url}/api/resources/${resource.id}/geodata/preview`, { method: 'POST', headers, body: other() })
  assert.equal(preview.status, 200)
  const form = other()
  form.set('planHash', ((await preview.json()) as { planHash: string }).planHash)
  const imported = await fetch(`${env.server.url}/api/resources/${resource.id}/geodata/import`, { method: 'POST', headers, body: form })
  assert.equal(imported.status, 200, await imported.clone().text())

  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/import') && r.status() === 409),
    page.click('[data-testid="geodata-confirm"]'),
  ])
  assert.match((await page.textContent('[data-testid="geodata-notice"]')) ?? '', /已发生变化.*重新生成的预览/)
  assert.equal((await page.textContent('[data-sum="replaced"]'))?.trim(), '替换现有 2 个', `the fresh preview counts the other import's features (was ${before})`)
  assert.equal(await page.locator('[data-testid="geodata-success"]').count(), 0, 'nothing was imported')
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/geodata/import') && r.status() === 200),
    page.click('[data-testid="geodata-confirm"]'),
  ])
  assert.match((await page.textContent('[data-testid="geodata-success"]')) ?? '', /写入 5 个空间要素，替换原有 2 个要素/)
  await context.close()
})

/** Creates a reporter through the admin API, as the administration page does. */
async function createReporter(username: string, departmentId: number, password: string): Promise<void> {
  const res = await fetch(`${env.server.url}/api/admin/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ username, displayName: username, role: 'reporter', departmentId, password }),
  })
  assert.equal(res.status, 201, `creating ${username}: ${res.status} ${await res.clone().text()}`)
}

test('only a reporter of the resource’s own department gets 导入空间数据', async () => {
  const resource = await targetResource()
  const ids = await departmentIds()
  const password = 'Lantern-Orchard-4826'
  await createReporter('geo.own', ids[DEPARTMENT], password)
  await createReporter('geo.other', ids[OTHER_DEPARTMENT], password)

  for (const [username, sees] of [['geo.own', true], ['geo.other', false]] as const) {
    const context = await newContext(env.browser)
    await signIn(context, env.server.url, username, password)
    const page = await context.newPage()
    await page.goto(`${env.server.url}${resourcePath(resource)}`)
    await page.waitForSelector('[data-testid="resource-feature-count"]')
    assert.equal((await page.textContent('[data-testid="resource-name"]'))?.trim(), resource.name, `${username} sees the resource`)
    assert.equal(await page.locator('[data-action="open-geodata-import"]').count(), sees ? 1 : 0, `${username} ${sees ? 'has' : 'has no'} import action`)
    await context.close()
  }
})
