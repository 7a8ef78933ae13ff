import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, test } from 'vitest'
import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import { adminGet, newContext, serverAndBrowser } from '../helpers/browser.js'
import { annex3Workbook, type CellInput } from '../helpers/forms.js'

const env = serverAndBrowser()
const DEPARTMENT = '渝北区应急局'

async function getJson<T>(path: string): Promise<T> {
  const res = await adminGet(env.server, path)
  assert.equal(res.status, 200, `${path} answers 200`)
  return (await res.json()) as T
}

async function departmentId(): Promise<number> {
  const { items } = await getJson<{ items: { id: number; name: string }[] }>('/api/departments')
  const d = items.find((x) => x.name === DEPARTMENT)
  assert.ok(d, `${DEPARTMENT} is in the demo city`)
  return d.id
}

/** The data rows and footer of an exported annex-3 workbook, as a reporter would copy them. */
async function readAnnex3(bytes: Buffer): Promise<{ rows: CellInput[][]; footer: Record<string, CellInput> }> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const ws = wb.worksheets[0]
  const rows: CellInput[][] = []
  const footer: Record<string, CellInput> = {}
  let r = 5
  for (; r <= ws.rowCount; r++) {
    const first = ws.getRow(r).getCell(1).text.trim()
    if (!first || /[：:]$/.test(first)) break
    rows.push(Array.from({ length: 9 }, (_, i) => {
      const cell = ws.getRow(r).getCell(i + 1)
      return typeof cell.value === 'number' ? cell.value : cell.text
    }))
  }
  for (; r <= ws.rowCount; r++) {
    const label = ws.getRow(r).getCell(1).text.trim()
    const m = /^(审核人|填报人|联系电话|填报时间)[：:]$/.exec(label)
    if (m) footer[m[1]] = ws.getRow(r).getCell(2).text
  }
  return { rows, footer }
}

const scratch = mkdtempSync(join(tmpdir(), 'forms-e2e-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Chooses a file in the import panel, as a reporter picks one from disk. */
async function uploadFile(page: Page, name: string, bytes: Buffer) {
  const path = join(scratch, name)
  await writeFile(path, bytes)
  await page.setInputFiles('[data-testid="import-file"]', path)
}

test('a reporter uploads annex 3 with errors, sees each one located, then imports the corrected form and the dashboard shows it', async () => {
  const id = await departmentId()
  const before = await getJson<{ resources: number }>('/api/stats/overview')
  const deptBefore = await getJson<{ department: { resourceCount: number } }>(`/api/departments/${id}`)

  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments/${id}`)
  await page.waitForSelector('[data-testid="reporting-card"]')
  // The round's deadlines, in Beijing time.
  assert.equal((await page.textContent('[data-testid="systems-deadline"]'))?.trim(), '2022-03-21 12:00')
  assert.equal((await page.textContent('[data-testid="resources-deadline"]'))?.trim(), '2022-03-29 18:00')

  // The department's annex 3, exported through the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export-resources"]')])
  assert.match(download.suggestedFilename(), /渝北区应急局.*摸排表\.xlsx$/)
  const { rows, footer } = await readAnnex3(await readFile((await download.path())!))
  assert.ok(rows.length > 20, 'the export carries the department’s data items')
  assert.equal(rows[2][3], rows[3][3], 'rows 7 and 8 are items of the same resource')

  // A copy with four mistakes a reporter makes.
  const bad = rows.map((r) => [...r])
  bad[0][6] = 'Z 未知类型' // row 5, G: not a data type
  bad[1][7] = 0 // row 6, H: not a positive length
  bad[3][5] = bad[2][5] // row 8, F: the item of row 7 again
  const last = bad.length - 1
  bad[last][1] = '不存在的业务系统' // last row, B: a system the department does not have
  const expected = [
    { row: 5, column: 'G' },
    { row: 6, column: 'H' },
    { row: 8, column: 'F' },
    { row: 5 + last, column: 'B' },
  ]

  await page.click('[data-action="open-import"]')
  await page.click('[data-testid="import-panel"] [data-form="resources"]')
  await uploadFile(page, 'bad.xlsx', await annex3Workbook(bad, { footer }))
  await page.waitForSelector('tr[data-row="problem"]')
  const problemRows = await page.locator('tr[data-row="problem"]').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td: { textContent: string | null }) => (td.textContent ?? '').trim())))
  for (const e of expected) {
    assert.ok(problemRows.some((p) => p[1] === String(e.row) && p[2] === e.column && p[4].length > 0), `a problem at row ${e.row}, column ${e.column}: ${JSON.stringify(problemRows)}`)
  }
  assert.ok(problemRows.some((p) => p[1] === '8' && p[4].includes('重复')), 'the duplicate item is named as such')
  assert.equal(
    (await page.textContent('[data-testid="import-problems-message"]'))?.trim().startsWith(`共 ${problemRows.length} 处问题，未导入任何数据`),
    true,
  )
  assert.equal(await page.isDisabled('[data-testid="import-confirm"]'), true, 'a form with problems cannot be confirmed')
  const deptAfterBad = await getJson<{ department: { resourceCount: number } }>(`/api/departments/${id}`)
  assert.equal(deptAfterBad.department.resourceCount, deptBefore.department.resourceCount, 'nothing was written')

  // The corrected form: the original rows plus a new resource with two items.
  const system = String(rows[0][1])
  const newName = '端到端测试燃气泄漏报警记录'
  const good = [
    ...rows,
    [DEPARTMENT, system, '燃气管网安全', newName, '接口', '报警编号', '字符串 C', 32, '实时'],
    [DEPARTMENT, system, '燃气管网安全', newName, '接口', '报警时间', '日期时间型 T', 14, '实时'],
  ]
  await uploadFile(page, 'good.xlsx', await annex3Workbook(good, { footer }))
  await page.waitForSelector('[data-testid="import-changes"]')
  assert.equal(await page.locator('tr[data-row="problem"]').count(), 0)
  assert.equal((await page.textContent('[data-sum="added"]'))?.trim(), '新增 1')
  assert.equal((await page.textContent('[data-sum="removed"]'))?.trim(), '删除 0')
  const added = page.locator('[data-change="add"]')
  assert.equal(await added.count(), 1)
  assert.match((await added.textContent())!, new RegExp(`${newName}[\\s\\S]*报警编号、报警时间`))

  await page.click('[data-testid="import-confirm"]')
  await page.waitForSelector('[data-testid="import-success"]')
  assert.match((await page.textContent('[data-testid="import-success"]'))!, /新增 1 项数据资源/)
  await page.click('[data-testid="import-panel"] .import__x')

  // The department page refreshed: the system now counts one more resource.
  const systemRow = page.locator('tr[data-row="system"]', { has: page.locator(`a:text-is("${system}")`) })
  const expectedCount = rows.filter((r) => r[1] === system).map((r) => r[3]).filter((v, i, a) => a.indexOf(v) === i).length + 1
  await page.waitForFunction(
    ([name, n]) => Array.from((globalThis as any).document.querySelectorAll('tr[data-row="system"]') as any[]).some(
      (tr: any) => tr.querySelector('a')?.textContent.trim() === name && tr.lastElementChild.textContent.trim() === String(n)),
    [system, expectedCount] as const,
  )
  assert.equal((await systemRow.locator('td').last().textContent())?.trim(), String(expectedCount))

  // The dashboard: one more resource, and the new one is in the catalog table.
  await page.click('.topbar__link:text-is("分析工作台")')
  await page.waitForFunction((n) => (globalThis as any).document.querySelector('[data-kpi="resources"]')?.textContent.trim() === n, (before.resources + 1).toLocaleString('zh-CN'))
  await page.fill('input[type="search"]', newName)
  await page.keyboard.press('Enter')
  await page.waitForSelector(`tr[data-row="resource"]:has-text("${newName}")`)
  await context.close()
})

test('a filled blank template would delete the department’s resources: the preview names what goes, the import needs its own confirmation, and 仅新增和修改 deletes nothing', async () => {
  const id = await departmentId()
  const { systems } = await getJson<{ systems: { id: number; name: string; buildLevel: string }[] }>(`/api/departments/${id}`)
  const district = systems.filter((x) => x.buildLevel === 'district')
  assert.ok(district.length > 0, 'the department has district-built systems')
  // What annex 3 covers: the resources of the department's district-built systems.
  const { items: resources } = await getJson<{ items: { systemId: number; itemCount: number; featureCount: number }[] }>(`/api/resources?department=${id}&pageSize=500`)
  const covered = resources.filter((r) => district.some((x) => x.id === r.systemId))
  const gone = {
    resources: covered.length,
    items: covered.reduce((n, r) => n + r.itemCount, 0),
    features: covered.reduce((n, r) => n + r.featureCount, 0),
  }
  assert.ok(gone.resources > 1 && gone.features > 0, JSON.stringify(gone))
  const n = (x: number) => x.toLocaleString('zh-CN')
  const phrase = `${n(gone.resources)} 个数据资源（含 ${n(gone.items)} 个数据项、${n(gone.features)} 个地图要素）`

  // The department's blank template with one resource filled in, as a reporter who meant to add one would.
  const template = await adminGet(env.server, `/api/forms/resources/template.xlsx?department=${id}`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await template.arrayBuffer()) as unknown as ArrayBuffer)
  const ws = wb.worksheets.find((w) => w.state === 'visible')!
  const newName = '端到端测试仅新增的数据资源'
  ;[DEPARTMENT, district[0]!.name, '危险化学品安全', newName, '接口', '企业名称', '字符串 C', 50, '每月'].forEach((v, i) => { ws.getRow(5).getCell(i + 1).value = v })
  const filled = Buffer.from(await wb.xlsx.writeBuffer())

  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments/${id}`)
  await page.click('[data-action="open-import"]')
  await page.click('[data-testid="import-panel"] [data-form="resources"]')
  await uploadFile(page, 'filled-template.xlsx', filled)
  await page.waitForSelector('[data-testid="import-deletes"]')
  assert.equal((await page.textContent('[data-sum="added"]'))?.trim(), '新增 1')
  assert.equal((await page.textContent('[data-sum="removed"]'))?.trim(), `删除 ${gone.resources}`)
  assert.ok((await page.textContent('[data-testid="import-deletes"]'))!.includes(`删除 ${phrase}`))
  // Not the usual button: red, naming what goes, and only after the box is ticked.
  const confirm = page.locator('[data-testid="import-confirm"]')
  assert.equal(await confirm.getAttribute('data-destructive'), 'true')
  assert.equal((await confirm.textContent())?.trim(), `确认导入并删除 ${phrase}`)
  assert.equal(await confirm.isDisabled(), true)
  assert.equal(await confirm.evaluate((b) => (globalThis as any).getComputedStyle(b).backgroundColor), 'rgb(220, 38, 38)', 'a red button')
  await page.check('[data-testid="import-ack-delete"]')
  assert.equal(await confirm.isDisabled(), false)
  assert.match((await page.textContent('[data-testid="import-ack-delete"] >> xpath=..'))!, /我已确认这些数据资源将被删除/)

  // 仅新增和修改: the same file, previewed again, deletes nothing and is confirmed as usual.
  await page.click('[data-mode="merge"]')
  await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-sum="removed"]')?.textContent.trim() === '删除 0')
  assert.equal(await page.locator('[data-testid="import-deletes"]').count(), 0)
  assert.equal(await confirm.getAttribute('data-destructive'), 'false')
  assert.equal((await confirm.textContent())?.trim(), '确认导入')
  await confirm.click()
  await page.waitForSelector('[data-testid="import-success"]')
  const after = await getJson<{ items: { name: string; featureCount: number }[] }>(`/api/resources?department=${id}&pageSize=500`)
  assert.equal(after.items.length, resources.length + 1, 'one added, none deleted')
  assert.ok(after.items.some((r) => r.name === newName))
  assert.equal(after.items.reduce((x, r) => x + r.featureCount, 0), resources.reduce((x, r) => x + r.featureCount, 0), 'every map feature stays')
  await context.close()
})

test('the system editor shows the missing name at the field, and a valid system joins the department', async () => {
  const id = await departmentId()
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/departments/${id}`)
  await page.waitForSelector('tr[data-row="system"]')
  const systemsBefore = await page.locator('tr[data-row="system"]').count()

  await page.click('[data-action="add-system"]')
  const editor = page.locator('[data-testid="system-editor"]')
  await editor.locator('[data-testid="editor-save"]').click()
  await editor.locator('[data-field="name"] [data-testid="field-error"]').waitFor()
  assert.match((await editor.locator('[data-field="name"] [data-testid="field-error"]').textContent())!, /缺少必填项「系统名称」/)
  assert.match((await editor.locator('[data-field="networks"] [data-testid="field-error"]').textContent())!, /至少选择一种网络类型/)

  const name = '渝北区危险源视频联网平台（端到端测试）'
  await editor.locator('input[name="name"]').fill(name)
  await editor.locator('select[name="buildLevel"]').selectOption({ label: '区级建设' })
  await editor.locator('select[name="deployment"]').selectOption({ label: '政务云' })
  await editor.locator('select[name="runStatus"]').selectOption({ label: '运维' })
  await editor.locator('select[name="securityLevel"]').selectOption({ label: '三级' })
  await editor.locator('[data-field="networks"] label:has-text("政务外网") input').check()
  await editor.locator('[data-testid="editor-save"]').click()
  await editor.waitFor({ state: 'detached' })

  await page.waitForSelector(`tr[data-row="system"] a:text-is("${name}")`)
  assert.equal(await page.locator('tr[data-row="system"]').count(), systemsBefore + 1)
  const cells = await page.locator('tr[data-row="system"]', { has: page.locator(`a:text-is("${name}")`) }).locator('td').allTextContents()
  assert.equal(cells[1].trim(), '区级建设')
  assert.equal(cells[9].trim(), '政务外网')
  await context.close()
})

test('the reporting page shows each department’s status, and the bureau opens a new round with its deadlines', async () => {
  const context = await newContext(env.browser, undefined, env.server)
  const page = await context.newPage()
  await page.goto(`${env.server.url}/`)
  await page.click('.topbar__link:text-is("填报进度")')
  await page.waitForURL(/\/reporting$/)
  await page.waitForSelector('tr[data-row="report"]')
  const statusOf = async (name: string) =>
    (await page.locator('tr[data-row="report"]', { has: page.locator(`a:text-is("${name}")`) }).locator('[data-cell="status"]').textContent())?.trim()
  assert.equal(await page.locator('tr[data-row="report"]').count(), 13)
  assert.equal(await statusOf('渝北区发展改革委'), '无系统(已反馈)')
  assert.equal(await statusOf('渝北区市场监管局'), '未填报')
  assert.match((await page.textContent('.page__head'))!, /系统表（附件2）截止 2022-03-21 12:00 · 资源表（附件3）截止 2022-03-29 18:00/)

  // A new round: checked in the page first (resources due before systems), then saved.
  await page.click('[data-action="new-round"]')
  const form = page.locator('[data-testid="round-form"]')
  await form.locator('input[name="title"]').fill('渝北区2023年城市安全数据资源摸排')
  await form.locator('input[name="systemsDeadline"]').fill('2023-03-21T12:00')
  await form.locator('input[name="resourcesDeadline"]').fill('2023-03-20T18:00')
  await form.locator('[data-action="save-round"]').click()
  assert.match((await form.locator('[data-field="resourcesDeadline"] [data-testid="field-error"]').textContent())!, /不能早于系统表截止时间/)
  await form.locator('input[name="resourcesDeadline"]').fill('2023-03-29T18:00')
  await form.locator('[data-action="select-all"]').uncheck()
  await form.locator('label:has-text("渝北区应急局") input').check()
  await form.locator('label:has-text("渝北区交通局") input').check()
  await form.locator('[data-action="save-round"]').click()
  await form.locator('.rform__saved').waitFor()

  // The new round is selected, goes to the two departments, with the deadlines in Beijing time.
  assert.equal(await page.locator('[data-testid="round-select"] option:checked').textContent(), '渝北区2023年城市安全数据资源摸排')
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('tr[data-row="report"]').length === 2)
  assert.match((await page.textContent('.page__head'))!, /2023-03-21 12:00 · 资源表（附件3）截止 2023-03-29 18:00/)
  const rounds = await getJson<{ items: { title: string; systemsDeadline: string; departmentIds: number[] }[] }>('/api/survey-rounds')
  assert.equal(rounds.items[0].title, '渝北区2023年城市安全数据资源摸排')
  assert.equal(rounds.items[0].systemsDeadline, '2023-03-21T04:00:00.000Z')
  assert.equal(rounds.items[0].departmentIds.length, 2)
  await context.close()
})
