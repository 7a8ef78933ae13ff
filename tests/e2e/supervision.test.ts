import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import ExcelJS from 'exceljs'
import { adminGet, newContext, serverAndBrowser } from '../helpers/browser.js'

const env = serverAndBrowser()

test('the bureau sees 区林业局 fall behind, its overdue resources with whom to call, and downloads the 督办清单', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/supervision`)
  const row = page.locator('tr[data-department="渝北区林业局"]')
  await row.waitFor()
  // What the API says (same server, same clock) is what the page shows.
  const api = await (await adminGet(env.server, `/api/supervision/freshness`)).json() as any
  const forestry = api.departments.find((d: any) => d.name === '渝北区林业局')
  assert.ok(forestry.overdue.length > 0, 'the demo story: 区林业局 is overdue')
  const cells = await row.locator('td').allTextContents()
  assert.equal(cells[2]!.trim(), `${Math.round(forestry.onTimeRate * 100)}%`)
  assert.equal(cells[0]!.trim(), String(forestry.rank))

  await row.click()
  await page.waitForURL(/department=\d+/)
  const overdueRows = page.locator('[data-testid="overdue-list"] tbody tr')
  await overdueRows.first().waitFor()
  const shown = await overdueRows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())))
  assert.deepEqual(shown.map((r) => [r[0], r[1], r[6], r[7]]), forestry.overdue.map((r: any) => [r.systemName, r.name, r.filler, r.phone]))
  assert.ok(shown.every((r) => /天|小时|分钟/.test(r[5]!)), 'how long overdue')

  // The 12-month trend is drawn for the department.
  await page.waitForSelector('[data-chart="supervision-trend"] svg')
  assert.match((await page.textContent('[data-chart="supervision-trend"]')) ?? '', /渝北区林业局/)

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chase-list').click()])
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(readFileSync((await download.path())!) as never)
  const ws = wb.getWorksheet('督办清单')!
  assert.equal(ws.getCell('A1').value, '数据更新督办清单（渝北区林业局）')
  const rows: string[][] = []
  ws.eachRow((r, n) => { if (n > 6) rows.push((r.values as unknown[]).slice(1).map(String)) })
  assert.deepEqual(rows.map((r) => [r[1], r[2], r[3], r[8], r[9]]), forestry.overdue.map((r: any) => ['渝北区林业局', r.systemName, r.name, r.filler, r.phone]))
  await context.close()
})

test('a system gets an API key once, its update makes the resource fresh, and a revoked key is refused', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  const systems = await (await adminGet(env.server, `/api/systems?pageSize=100`)).json() as any
  const resources = await (await adminGet(env.server, `/api/resources?freshness=never&pageSize=1`)).json() as any
  const target = resources.items[0]
  const sys = systems.items.find((s: any) => s.id === target.systemId)
  await page.goto(`${env.server.url}/departments/${sys.departmentId}/systems/${sys.id}`)
  await page.getByTestId('api-keys').waitFor()
  await page.getByLabel('密钥用途').fill('E2E 同步')
  await page.getByRole('button', { name: '签发新密钥' }).click()
  const key = (await page.getByTestId('issued-key').textContent())!.trim()
  assert.match(key, /^csa_/)
  const listed = page.locator(`tr[data-key-prefix="${key.slice(0, 12)}"]`)
  await listed.waitFor()
  assert.match((await listed.textContent()) ?? '', /E2E 同步.*有效/)

  const push = (k: string) => fetch(`${env.server.url}/api/ingest/updates`, {
    method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
    body: JSON.stringify({ resourceId: target.id, updatedAt: new Date().toISOString(), recordCount: 42 }),
  })
  assert.equal((await push(key)).status, 201)
  const after = await (await adminGet(env.server, `/api/resources/${target.id}`)).json() as any
  assert.equal(after.resource.freshness.status, 'on-time')

  page.once('dialog', (d) => void d.accept())
  await listed.getByRole('button', { name: '吊销' }).click()
  await page.waitForFunction((p) => (globalThis as any).document.querySelector(`tr[data-key-prefix="${p}"]`)?.textContent.includes('已吊销'), key.slice(0, 12))
  const refused = await push(key)
  assert.equal(refused.status, 401)
  assert.equal(((await refused.json()) as any).error.code, 'unauthorized')
  await context.close()
})
