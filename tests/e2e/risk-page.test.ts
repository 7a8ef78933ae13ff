import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { test } from 'vitest'
import type { Page } from 'playwright-core'
import { adminGet, adminHeaders, newContext, serverAndBrowser, signIn } from '../helpers/browser.js'

/** 风险分级 (/risk): the category level and the 风险评估导入表; 风险复评督办 on the supervision page. */

const env = serverAndBrowser()
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const REPORTER = { username: 'wang.pinggu', password: 'Harbor-Quill-5823' }

async function getJson<T = any>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

type Point = { id: number; name: string; riskLevel: string | null }
interface Chosen { departmentId: number; departmentName: string; low: Point; other: Point; stale: Point; subcategory: string }

/**
 * A department of the demo city small enough that all its points are listed for re-assessment, with a
 * 低 risk point (to raise to 重大) and two more points; each graded with the default matrix.
 */
let chosen: Promise<Chosen> | null = null
function department(): Promise<Chosen> {
  chosen ??= (async () => {
    const { departments } = await getJson<{ departments: { id: number; name: string; total: number }[] }>('/api/risk/reassessment')
    for (const d of [...departments].sort((a, b) => a.total - b.total)) {
      const { features } = await getJson<{ features: { properties: Point }[] }>(`/api/features?kind=risk-point&department=${d.id}&limit=50`)
      const points = features.map((f) => f.properties)
      const low = points.find((p) => p.riskLevel === 'blue')
      const rest = points.filter((p) => p !== low)
      if (!low || rest.length < 2) continue
      const why = await getJson(`/api/features/${low.id}/assessments`)
      assert.equal(why.model.config.kind, 'matrix', 'the demo grades risk points with the matrix')
      assert.equal(why.latest, null, 'never assessed yet')
      return { departmentId: d.id, departmentName: d.name, low, other: rest[0]!, stale: rest[1]!, subcategory: why.feature.subcategoryCode }
    }
    throw new Error('no department of the demo city has a 低 risk point')
  })()
  return chosen
}

/** A signed-in page of the chosen department's reporter (created once). */
let reporterCreated = false
async function reporterPage(d: Chosen): Promise<Page> {
  if (!reporterCreated) {
    const created = await fetch(`${env.server.url}/api/admin/users`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...adminHeaders(env.server) },
      body: JSON.stringify({ ...REPORTER, displayName: '王评估', role: 'reporter', departmentId: d.departmentId }),
    })
    assert.equal(created.status, 201, await created.clone().text())
    reporterCreated = true
  }
  const context = await newContext(env.browser)
  await signIn(context, env.server.url, REPORTER.username, REPORTER.password)
  return context.newPage()
}

/** The number in a category row's cell for a level (red, blue, total …). */
const categoryCount = async (page: Page, subcategory: string, level: string) =>
  Number(await page.locator(`[data-testid="risk-category-table"] [data-row="category"][data-code="${subcategory}"] [data-count="${level}"]`).textContent())

const headerColumn = (ws: ExcelJS.Worksheet, name: string) => {
  let found = 0
  ws.getRow(1).eachCell((c, n) => { if (String(c.value).replace(/[（(].*$/s, '').trim() === name) found = n })
  assert.ok(found, `the template has the column ${name}`)
  return found
}

test('a reporter downloads the 风险评估导入表, fills in one point, sees it would go 低 → 重大, imports it, and the category table and the point follow', async () => {
  const d = await department()
  const page = await reporterPage(d)
  await page.goto(`${env.server.url}/risk`)
  await page.waitForSelector('[data-testid="risk-categories"][data-state="ready"]', { timeout: 60_000 })
  assert.equal(await page.locator('[data-testid="risk-register-export"]').count(), 0, 'a reporter does not export the register')
  const [red, blue] = [await categoryCount(page, d.subcategory, 'red'), await categoryCount(page, d.subcategory, 'blue')]
  assert.ok(blue >= 1, 'the 低 point is counted in its category')

  // The template of the reporter's own department, with the point's row kept and filled in.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="risk-template"]')])
  const wb = new ExcelJS.Workbook()
  const bytes = await readFile((await download.path())!)
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  const ws = wb.getWorksheet('风险评估')!
  const id = headerColumn(ws, '要素编号')
  const ids = ws.getColumn(id).values.slice(2).map(Number)
  assert.ok(ids.includes(d.low.id), 'the template lists the department\'s point')
  for (let r = ws.rowCount; r >= 2; r--) if (Number(ws.getRow(r).getCell(id).value) !== d.low.id) ws.spliceRows(r, 1)
  assert.equal(ws.getRow(2).getCell(headerColumn(ws, '名称')).value, d.low.name)
  ws.getRow(2).getCell(headerColumn(ws, '可能性')).value = 5
  ws.getRow(2).getCell(headerColumn(ws, '后果')).value = 5
  const buffer = Buffer.from(await wb.xlsx.writeBuffer())

  await page.setInputFiles('[data-testid="risk-import-file"]', { name: '风险评估导入表.xlsx', mimeType: XLSX, buffer })
  const change = page.locator(`[data-testid="risk-import-changes"] [data-row="change"][data-feature="${d.low.id}"]`)
  await change.waitFor()
  assert.deepEqual([await change.getAttribute('data-from'), await change.getAttribute('data-to')], ['blue', 'red'])
  assert.match((await change.textContent()) ?? '', /低风险\s*→\s*重大风险/)
  assert.match((await page.textContent('[data-testid="risk-import-preview"] [data-level-count="red"]')) ?? '', /^\s*重大风险\s*1\s*$/)
  const confirm = page.getByTestId('risk-import-confirm')
  assert.equal((await confirm.textContent())?.trim(), '确认导入 1 条评估')
  assert.equal((await getJson(`/api/features/${d.low.id}`)).properties.riskLevel, 'blue', 'a preview writes nothing')

  await confirm.click()
  assert.match((await page.getByTestId('risk-import-done').textContent({ timeout: 30_000 })) ?? '', /^已导入 1 条评估（重大风险 1），1 个风险点等级发生变化。$/)
  // The category level reads again after the import.
  await page.waitForFunction(({ code, red }) => {
    const cell = (globalThis as any).document.querySelector(`[data-testid="risk-category-table"] [data-code="${code}"] [data-count="red"]`)
    return cell !== null && Number(cell.textContent) === red + 1
  }, { code: d.subcategory, red }, { timeout: 30_000 })
  assert.equal(await categoryCount(page, d.subcategory, 'blue'), blue - 1)

  await page.goto(`${env.server.url}/risk-points/${d.low.id}`)
  await page.waitForSelector('[data-testid="risk-map-level"][data-level="red"]')
  assert.match((await page.locator('[data-testid="risk-history"] [data-row="assessment"]').first().textContent()) ?? '', /王评估/)
  await page.context().close()
})

test('a file with a wrong row shows the problem by its row and cannot be imported', async () => {
  const d = await department()
  const page = await reporterPage(d)
  await page.goto(`${env.server.url}/risk`)
  await page.waitForSelector('[data-testid="risk-import"]')
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('风险评估')
  ws.addRow(['要素编号', '名称', '可能性（1–5）', '后果（1–5）'])
  ws.addRow([d.low.id, d.low.name, 2, 2])
  ws.addRow([d.other.id, d.other.name, 7, 2])
  await page.setInputFiles('[data-testid="risk-import-file"]', { name: '评估.xlsx', mimeType: XLSX, buffer: Buffer.from(await wb.xlsx.writeBuffer()) })

  const rows = page.locator('[data-testid="risk-import-problems"] [data-row="problem"]')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 1)
  assert.equal((await rows.first().locator('[data-cell="at"]').textContent())?.trim(), '第 3 行')
  assert.equal((await rows.first().locator('[data-cell="feature"]').textContent())?.trim(), String(d.other.id))
  assert.match((await rows.first().textContent()) ?? '', /可能性须为 1–5 的整数/)
  assert.match((await page.getByTestId('risk-import-refused').textContent()) ?? '', /改正之前不会导入任何评估/)
  assert.ok(await page.getByTestId('risk-import-confirm').isDisabled(), 'the confirm button is disabled')
  assert.equal((await getJson(`/api/features/${d.low.id}`)).properties.riskLevel, 'red', 'the good row was not imported either')

  // A file that is not a spreadsheet is named before it is sent.
  await page.setInputFiles('[data-testid="risk-import-file"]', { name: '评估.txt', mimeType: 'text/plain', buffer: Buffer.from('x') })
  assert.match((await page.getByTestId('risk-import-error').textContent()) ?? '', /不是 \.xlsx 或 \.csv 文件/)
  await page.context().close()
})

test('the supervision page shows a department\'s points never assessed and overdue; an administrator lengthens the interval and the list follows', async () => {
  const d = await department()
  // The third point assessed 400 days ago (a back-dated import): overdue under the yearly rule.
  const day = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10)
  const form = new FormData()
  form.set('file', new File([`要素编号,名称,可能性,后果,评估日期\n${d.stale.id},${d.stale.name},2,2,${day}\n`], 'old.csv'))
  const imported = await fetch(`${env.server.url}/api/risk/assessments/import`, { method: 'POST', headers: adminHeaders(env.server), body: form })
  assert.equal(imported.status, 201, await imported.clone().text())
  const api = (await getJson<{ departments: { id: number; never: number; overdue: number }[] }>('/api/risk/reassessment')).departments.find((x) => x.id === d.departmentId)!
  assert.equal(api.overdue, 1)
  assert.ok(api.never > 0)

  const page = await (await newContext(env.browser, { width: 1366, height: 768 }, env.server)).newPage()
  await page.goto(`${env.server.url}/supervision`)
  await page.waitForSelector('[data-testid="reassessment"][data-state="ready"]', { timeout: 60_000 })
  assert.equal((await page.textContent('[data-testid="reassessment-rule"]'))?.trim(), '评估每 365 天到期；告警确认上调风险后 30 天内须复评；提前 30 天提示')
  const row = page.locator(`[data-testid="reassessment-departments"] [data-row="department"][data-department="${d.departmentName}"]`)
  assert.equal(Number(await row.locator('[data-count="never"]').textContent()), api.never)
  assert.equal(Number(await row.locator('[data-count="overdue"]').textContent()), 1)

  // The department's own list: the overdue point, due a year after its assessment.
  await row.locator('button').click()
  await page.waitForSelector(`[data-testid="reassessment-list"][data-department="${d.departmentId}"][data-state="ready"]`)
  const stale = page.locator(`[data-testid="reassessment-late"] [data-row="late"][data-feature="${d.stale.id}"]`)
  assert.equal(await stale.getAttribute('data-status'), 'overdue')
  const staleText = (await stale.textContent()) ?? ''
  assert.ok(staleText.includes(d.stale.name), 'named')
  assert.match(staleText, new RegExp(`逾期未复评\\s*到期\\s*${day}`))
  assert.equal(await page.locator(`[data-testid="reassessment-late"] [data-row="late"][data-status="never"]`).count(), api.never)

  // A number out of range is refused on the spot; ten years is taken, and the point is no longer late.
  await page.click('[data-action="edit-reassessment-rule"]')
  await page.fill('[data-field="intervalDays"]', '0')
  await page.click('[data-action="save-reassessment-rule"]')
  assert.match((await page.textContent('[data-testid="reassessment-rule-form"]')) ?? '', /评估有效期须为 1–3650 天/)
  await page.fill('[data-field="intervalDays"]', '3650')
  await page.click('[data-action="save-reassessment-rule"]')
  await page.waitForSelector('[data-testid="reassessment-rule"]:has-text("评估每 3650 天到期")')
  await page.waitForFunction((n) => (globalThis as any).document.querySelector(`[data-testid="reassessment-departments"] [data-department="${n}"] [data-count="overdue"]`)?.textContent === '0', d.departmentName)
  await page.waitForSelector(`[data-testid="reassessment-list"][data-department="${d.departmentId}"][data-state="ready"]`)
  assert.equal(await stale.count(), 0, 'the point left the list')
  assert.deepEqual((await getJson('/api/risk/reassessment-rule')), { intervalDays: 3650, afterEventDays: 30, dueSoonDays: 30 })
  const scroll = await page.evaluate(() => { const root = (globalThis as any).document.documentElement; return root.scrollWidth - root.clientWidth })
  assert.equal(scroll, 0, 'no horizontal scroll at 1366')
  await page.context().close()
})
