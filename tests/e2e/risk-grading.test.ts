import assert from 'node:assert/strict'
import { test } from 'vitest'
import { DEFAULT_LEC } from '../../server/domain/risk-grading.js'
import { adminGet, adminHeaders, newContext, pointOnMap, serverAndBrowser, signIn } from '../helpers/browser.js'

const env = serverAndBrowser()
const RANK: Record<string, number> = { blue: 1, yellow: 2, orange: 3, red: 4 }

async function getJson<T = any>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

type Point = { id: number; name: string; districtCode: string | null }
/** Risk points of the demo city, each never assessed. */
async function riskPoints(): Promise<Point[]> {
  const { features } = await getJson<{ features: { properties: Point }[] }>('/api/features?kind=risk-point&limit=50')
  assert.ok(features.length >= 2, 'the demo city has risk points')
  return features.map((f) => f.properties)
}

test('an administrator assesses a risk point at 4 × 4 on its page; an analyst sees why it is 重大, what would lower it, and the record', async () => {
  const [point] = await riskPoints()
  const admin = await (await newContext(env.browser, undefined, env.server)).newPage()
  await admin.goto(`${env.server.url}/risk-points/${point!.id}`)
  await admin.waitForSelector('[data-testid="risk-assess-form"][data-kind="matrix"]')
  assert.equal((await admin.textContent('[data-testid="risk-point-name"]'))?.trim(), point!.name)
  assert.match((await admin.textContent('[data-testid="risk-never-assessed"]')) ?? '', /还没有评估过/)
  assert.match((await admin.textContent('.crumbs')) ?? '', /部门填报/)

  await admin.selectOption('[data-field="likelihood"]', '4')
  await admin.selectOption('[data-field="consequence"]', '4')
  await admin.locator('[data-testid="risk-preview"] [data-preview-level="red"]').waitFor()
  await admin.click('[data-action="assess"]')
  await admin.waitForSelector('[data-testid="risk-why"][data-level="red"]')
  assert.equal((await getJson(`/api/features/${point!.id}`)).properties.riskLevel, 'red', 'the level on the map follows')

  // An analyst may read it but not assess it.
  const created = await fetch(`${env.server.url}/api/admin/users`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ username: 'li.fenxi', displayName: '李分析', role: 'analyst', password: 'Granite-Lantern-4817' }),
  })
  assert.equal(created.status, 201, await created.clone().text())
  const analystContext = await newContext(env.browser)
  await signIn(analystContext, env.server.url, 'li.fenxi', 'Granite-Lantern-4817')
  const page = await analystContext.newPage()
  await page.goto(`${env.server.url}/risk-points/${point!.id}`)
  await page.waitForSelector('[data-testid="risk-why"]')
  assert.match((await page.textContent('[data-testid="risk-current-level"]')) ?? '', /重大风险/)
  assert.match((await page.textContent('[data-testid="risk-method"]')) ?? '', /风险矩阵.*默认模型 v1/)

  const assessed = page.locator('[data-testid="risk-matrix"] td[data-assessed]')
  assert.equal(await assessed.count(), 1, 'one cell is highlighted')
  assert.equal(await assessed.getAttribute('data-l'), '4')
  assert.equal(await assessed.getAttribute('data-c'), '4')
  assert.match((await assessed.textContent()) ?? '', /评估结果/)
  assert.equal(await assessed.evaluate((td) => (globalThis as any).getComputedStyle(td).backgroundColor as string), 'rgb(224, 32, 32)', 'in red')
  // Likelihood 5 is the top row, consequence 1 the left column.
  assert.equal(await page.locator('[data-testid="risk-matrix"] tbody tr').first().locator('td').first().getAttribute('data-l'), '5')

  const lower = (await page.locator('[data-testid="risk-lower"] [data-row="lower"]').allTextContents()).map((t) => t.trim())
  assert.deepEqual(lower, ['可能性降至 3（偶尔）：较大风险', '后果严重程度降至 3（中等）：较大风险'])

  const rows = page.locator('[data-testid="risk-history"] [data-row="assessment"]')
  assert.equal(await rows.count(), 1)
  assert.equal(await rows.first().getAttribute('data-level'), 'red')
  assert.match((await rows.first().textContent()) ?? '', /人工评估.*系统管理员/)
  assert.equal(await page.locator('[data-testid="risk-assess-form"]').count(), 0, 'an analyst has no form')
  await analystContext.close()
  await admin.context().close()
})

test('an administrator makes L3 × C3 较大 under 系统管理 → 评估模型; a point assessed at 3 × 3 turns orange on its page and in its 镇街', async () => {
  const [, point] = await riskPoints()
  const assessed = await fetch(`${env.server.url}/api/features/${point!.id}/assessments`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ inputs: { kind: 'matrix', likelihood: 3, consequence: 3 } }),
  })
  assert.equal(assessed.status, 201, await assessed.clone().text())
  assert.equal(((await assessed.json()) as { level: string }).level, 'yellow', '3 × 3 is 一般 by the default matrix')

  const admin = await (await newContext(env.browser, undefined, env.server)).newPage()
  await admin.goto(`${env.server.url}/admin?tab=risk`)
  await admin.waitForSelector('[data-testid="risk-model-list"] tr[data-scope="default"]')
  await admin.waitForSelector('[data-testid="model-editor"][data-scope="default"]')
  const cell = admin.locator('[data-testid="model-cells"] select[data-cell="3-3"]')
  assert.equal(await cell.inputValue(), 'yellow')
  await cell.selectOption('orange')
  await admin.fill('[data-testid="model-editor"] [data-field="note"]', '中等可能、中等后果按较大风险管理')
  await admin.click('[data-action="save-model"]')
  const result = (await admin.locator('[data-testid="model-result"]').textContent({ timeout: 10_000 }))?.trim() ?? ''
  assert.match(result, /^新版本 v2：重新定级 \d+ 个，等级变化 \d+ 个，需重新评估 0 个$/)
  const [, changed] = /等级变化 (\d+) 个/.exec(result)!
  assert.ok(Number(changed) >= 1, 'the 3 × 3 point changed')
  await admin.locator('[data-testid="model-versions"] [data-row="model-version"]').nth(1).waitFor()

  await admin.goto(`${env.server.url}/risk-points/${point!.id}`)
  await admin.waitForSelector('[data-testid="risk-why"][data-level="orange"]')
  assert.match((await admin.textContent('[data-testid="risk-method"]')) ?? '', /默认模型 v2/)
  const cell33 = admin.locator('[data-testid="risk-matrix"] td[data-assessed]')
  assert.equal(await cell33.getAttribute('data-level'), 'orange')
  assert.match((await admin.locator('[data-testid="risk-history"] [data-row="assessment"]').first().textContent()) ?? '', /模型调整后重新定级/)

  const { items } = await getJson<{ items: { key: string; level: string | null }[] }>('/api/risk/regions?type=district')
  const district = items.find((i) => i.key === point!.districtCode)
  assert.ok(district, `the point's 镇街 ${point!.districtCode} is graded`)
  assert.ok((RANK[district.level ?? ''] ?? 0) >= RANK.orange!, `the 镇街 is at least orange (${district.level})`)
  await admin.context().close()
})

/** A signed-in analyst (created by the administrator through the API). */
async function analystPage(username: string) {
  const password = 'Granite-Lantern-4817'
  const created = await fetch(`${env.server.url}/api/admin/users`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
    body: JSON.stringify({ username, displayName: '赵分析', role: 'analyst', password }),
  })
  assert.equal(created.status, 201, await created.clone().text())
  const context = await newContext(env.browser)
  await signIn(context, env.server.url, username, password)
  return context.newPage()
}

type Located = { id: number; lon: number; lat: number }
/** Red risk points of the demo city (drawn alone at street level), other than the ones the tests above assess. */
async function redRiskPoints(): Promise<Located[]> {
  const taken = new Set((await riskPoints()).slice(0, 2).map((p) => p.id))
  const { features } = await getJson<{ features: { properties: { id: number }; geometry: { coordinates: [number, number] } }[] }>('/api/features?kind=risk-point&risk=red&limit=20')
  return features.filter((f) => !taken.has(f.properties.id)).map((f) => ({ id: f.properties.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }))
}

async function assess(id: number, inputs: Record<string, unknown>): Promise<{ level: string }> {
  const res = await fetch(`${env.server.url}/api/features/${id}/assessments`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) }, body: JSON.stringify({ inputs }),
  })
  assert.equal(res.status, 201, await res.clone().text())
  return (await res.json()) as { level: string }
}

test('an analyst clicks a red risk point assessed at 4 × 5 on the map: its popup shows the level, how it was assessed, the matrix with that cell, and the link to its page', async () => {
  const [point] = await redRiskPoints()
  assert.equal((await assess(point!.id, { kind: 'matrix', likelihood: 4, consequence: 5 })).level, 'red')

  const page = await analystPage('zhao.fenxi')
  await page.goto(`${env.server.url}/?risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await pointOnMap(page, point!, 18)
  await page.mouse.click(at.x, at.y)
  const risk = page.locator('[data-testid="popup-risk"][data-state="assessed"]')
  await risk.waitFor()
  assert.equal(await risk.getAttribute('data-level'), 'red')
  assert.equal((await risk.locator('[data-testid="popup-risk-level"]').textContent())?.trim(), '重大风险')
  assert.match((await risk.textContent()) ?? '', /风险矩阵 · 默认模型 v\d+/)
  assert.match((await risk.locator('[data-testid="popup-risk-when"]').textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d 评估 · 系统管理员$/)
  assert.match((await risk.textContent()) ?? '', /可能性 4（可能）× 后果 5（重大） = 20/)

  const cells = risk.locator('[data-testid="popup-risk-matrix"] td')
  assert.equal(await cells.count(), 25, 'the whole 5 × 5 matrix')
  const assessed = risk.locator('[data-testid="popup-risk-matrix"] td[data-assessed]')
  assert.equal(await assessed.count(), 1, 'one cell is highlighted')
  assert.deepEqual([await assessed.getAttribute('data-l'), await assessed.getAttribute('data-c'), await assessed.getAttribute('data-level')], ['4', '5', 'red'])
  assert.equal((await assessed.textContent())?.trim(), '20')
  assert.equal(await assessed.evaluate((td) => (globalThis as any).getComputedStyle(td).backgroundColor as string), 'rgb(224, 32, 32)', 'in red')

  // The popup lies inside the map, scrolling what does not fit.
  const [popupBox, mapBox] = await Promise.all([page.locator('.maplibregl-popup.atlas-popup-wrap').boundingBox(), page.locator('.atlas-map').first().boundingBox()])
  assert.ok(popupBox && mapBox && popupBox.y >= mapBox.y && popupBox.y + popupBox.height <= mapBox.y + mapBox.height + 1, 'the popup is inside the map')
  assert.equal(await page.locator('.atlas-popup').evaluate((e) => (globalThis as any).getComputedStyle(e).overflowY as string), 'auto')

  const link = risk.locator('[data-action="risk-details"]')
  assert.equal((await link.textContent())?.trim(), '查看评估详情 →')
  await link.click()
  await page.waitForURL(`**/risk-points/${point!.id}`)
  await page.waitForSelector('[data-testid="risk-why"][data-level="red"]')
  await page.context().close()
})

test('a popup whose assessment fails to load says 评估加载失败 and shows no figure; 重试 loads it', async () => {
  const [, point] = await redRiskPoints()
  const page = await (await newContext(env.browser, undefined, env.server)).newPage()
  let failing = true
  await page.route(`**/api/features/${point!.id}/assessments`, (route) => (failing
    ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'unavailable' } }) })
    : route.continue()))
  await page.goto(`${env.server.url}/?risk=red`)
  await page.waitForSelector('.atlas-map[data-map-state="drawn"]', { timeout: 60_000 })
  const at = await pointOnMap(page, point!, 18)
  await page.mouse.click(at.x, at.y)
  const risk = page.locator('[data-testid="popup-risk"]')
  await page.locator('[data-testid="popup-risk"][data-state="error"]').waitFor()
  assert.match((await risk.textContent()) ?? '', /评估加载失败/)
  assert.doesNotMatch((await risk.textContent()) ?? '', /尚未评估|重大风险|\d+ 评估/, 'no level, no time, nothing that did not load')
  assert.equal(await risk.locator('[data-action="risk-details"]').count(), 1, 'the page is still a click away')

  failing = false
  await risk.locator('[data-action="risk-retry"]').click()
  await page.locator('[data-testid="popup-risk"][data-state="never"]').waitFor()
  assert.match((await risk.textContent()) ?? '', /尚未评估\s*填报等级\s*重大风险/)
  await page.context().close()
})

test('an administrator changes an LEC option in 评估模型 — C 15 becomes 20 — after fixing what the editor flags; the new version offers 20, and a point assessed with it turns from 较大 to 重大', async () => {
  const [, , point] = await redRiskPoints()
  const { properties } = await getJson<{ properties: { provenance: { subcategory: { code: string; name: string } } } }>(`/api/features/${point!.id}`)
  const scope = properties.provenance.subcategory.code
  const put = await fetch(`${env.server.url}/api/risk-models/${scope}`, {
    method: 'PUT', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) }, body: JSON.stringify({ config: DEFAULT_LEC, note: '按 LEC 法评估' }),
  })
  assert.equal(put.status, 200, await put.clone().text())
  assert.equal((await assess(point!.id, { kind: 'lec', l: 3, e: 6, c: 15 })).level, 'orange', 'D = 270 is 较大')

  const admin = await (await newContext(env.browser, undefined, env.server)).newPage()
  await admin.goto(`${env.server.url}/admin?tab=risk`)
  await admin.waitForSelector('[data-testid="model-editor"][data-scope="default"]')
  await admin.selectOption('[data-field="scope"]', scope)
  const editor = admin.locator(`[data-testid="model-editor"][data-scope="${scope}"]`)
  const cTable = editor.locator('[data-lec-table="c"]')
  await cTable.waitFor()
  const c15 = cTable.locator('[data-row="lec-option"]').nth(2)
  assert.equal(await c15.locator('[data-field="value"]').inputValue(), '15')
  assert.equal(await c15.locator('[data-field="description"]').inputValue(), '非常严重，一人死亡')

  // Mistakes are said next to their inputs, and nothing is saved while they stand.
  await c15.locator('[data-field="value"]').fill('-20')
  assert.equal((await c15.locator('[data-problem="option"]').textContent())?.trim(), '取值须为正数')
  const lTable = editor.locator('[data-lec-table="l"]')
  await lTable.locator('[data-action="add-option"]').click()
  assert.equal(await lTable.locator('[data-row="lec-option"]').count(), 8)
  assert.equal((await lTable.locator('[data-row="lec-option"]').last().locator('[data-problem="option"]').textContent())?.trim(), '请填写取值（正数）')
  await admin.click('[data-action="save-model"]')
  assert.match((await editor.locator('[data-testid="model-problem"]').textContent()) ?? '', /L、E、C 取值表中有 2 处需要修改/)
  assert.equal((await getJson<{ items: unknown[] }>(`/api/risk-models/${scope}/versions`)).items.length, 1, 'no version was saved')

  await lTable.locator('[data-row="lec-option"]').last().locator('[data-action="remove-option"]').click()
  assert.equal(await lTable.locator('[data-row="lec-option"]').count(), 7)
  await c15.locator('[data-field="value"]').fill('20')
  assert.equal(await editor.locator('[data-problem]').count(), 0, 'nothing is flagged')
  await admin.fill('[data-testid="model-editor"] [data-field="note"]', '一人死亡的后果按 20 计')
  await admin.click('[data-action="save-model"]')
  const result = (await editor.locator('[data-testid="model-result"]').textContent({ timeout: 10_000 }))?.trim() ?? ''
  assert.match(result, /^新版本 v2：重新定级 \d+ 个，等级变化 \d+ 个，需重新评估 [1-9]\d* 个$/, 'the point assessed with C 15 needs a new assessment')
  await admin.locator('[data-testid="model-versions"] [data-row="model-version"]').nth(1).waitFor()
  // The editor shows the saved version.
  assert.equal(await cTable.locator('[data-row="lec-option"]').nth(2).locator('[data-field="value"]').inputValue(), '20')
  const { items } = await getJson<{ items: { scope: string; version: number; config: { c: { value: number; description: string }[] } }[] }>('/api/risk-models')
  const saved = items.find((m) => m.scope === scope)!
  assert.equal(saved.version, 2)
  assert.deepEqual(saved.config.c.map((o) => o.value), [100, 40, 20, 7, 3, 1])

  await admin.goto(`${env.server.url}/risk-points/${point!.id}`)
  await admin.waitForSelector('[data-testid="risk-assess-form"][data-kind="lec"]')
  assert.ok((await admin.locator('[data-field="c"] option').allTextContents()).includes('20：非常严重，一人死亡'), 'the form offers the new option')
  await admin.selectOption('[data-field="l"]', '3')
  await admin.selectOption('[data-field="e"]', '6')
  await admin.selectOption('[data-field="c"]', '20')
  await admin.locator('[data-testid="risk-preview"] [data-preview-level="red"]').waitFor()
  await admin.click('[data-action="assess"]')
  await admin.waitForSelector('[data-testid="risk-why"][data-level="red"]')
  assert.equal((await admin.textContent('[data-testid="risk-lec-d"]'))?.trim(), '360')
  assert.equal((await getJson(`/api/features/${point!.id}`)).properties.riskLevel, 'red', 'the map follows')
  await admin.context().close()
})
