import assert from 'node:assert/strict'
import { test } from 'vitest'
import { adminGet, adminHeaders, newContext, serverAndBrowser, signIn } from '../helpers/browser.js'

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
