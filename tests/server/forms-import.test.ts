import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createHash } from 'node:crypto'
import { test } from 'vitest'
import ExcelJS from 'exceljs'
import { annex2Workbook, annex3Workbook, upload, type CellInput } from '../helpers/forms.js'
import { smallCatalog, TEST_NOW } from '../helpers/app.js'

const EMERGENCY = '渝北区应急局'
const SYS = '危化品监管系统'

/** A hash of everything an import may touch: an import that fails must leave it as it was. */
async function catalogHash(db: Awaited<ReturnType<typeof smallCatalog>>['db']): Promise<string> {
  const h = createHash('sha256')
  for (const t of ['systems', 'resources', 'data_items', 'resource_updates', 'survey_round_departments', 'features'] as const) {
    const order = t === 'survey_round_departments' ? sql`round_id, department_id` : sql`id`
    h.update(JSON.stringify((await sql`SELECT * FROM ${sql.table(t)} ORDER BY ${order}`.execute(db.kysely)).rows))
  }
  return h.digest('hex')
}

const countUpdates = async (t: Awaited<ReturnType<typeof smallCatalog>>) =>
  Number((await t.db.kysely.selectFrom('resource_updates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

/** The footer the fixture's resources carry. */
const FOOTER = { 填报人: '填报人', 联系电话: '023-67810000' }

/** The emergency department's two resources, as its reporter would write them. */
function currentRows(): CellInput[][] {
  return [
    [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '企业名称', '字符串 C', 50, '每月'],
    [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '统一社会信用代码', '字符串 C', 50, '每月'],
    [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '联系电话', '字符串 C', 50, '每月'],
    [EMERGENCY, SYS, '危险源安全', '危险源实时监测', '接口', '监测值', 'C', 50, '实时'],
    [EMERGENCY, SYS, '危险源安全', '危险源实时监测', '接口', '采集时间', 'C', 50, '实时'],
  ]
}

async function preview(t: Awaited<ReturnType<typeof smallCatalog>>, bytes: Buffer, name = 'form.xlsx', department = t.ids.emergency, form = 'resources') {
  return upload(t.app, `/api/forms/${form}/preview`, bytes, name, { department: String(department) })
}

async function importConfirmed(t: Awaited<ReturnType<typeof smallCatalog>>, bytes: Buffer, name = 'form.xlsx', department = t.ids.emergency, form = 'resources') {
  const p = await preview(t, bytes, name, department, form)
  return upload(t.app, `/api/forms/${form}/import`, bytes, name, { department: String(department), planHash: p.body.planHash ?? 'none' })
}

test('export → import changes nothing, for both forms, one department and all', async () => {
  const t = await smallCatalog()
  // The form needs at least one item per resource; the fixture's alarm log has none yet.
  await t.fx.items(t.ids.gasAlarm, ['报警时间', '报警地点'])
  for (const q of [`department=${t.ids.emergency}`, '']) {
    for (const form of ['systems', 'resources']) {
      const res = await t.app.request(`/api/forms/${form}/export.xlsx?${q}`)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type')!, /spreadsheetml/)
      const bytes = Buffer.from(await res.arrayBuffer())
      const before = await catalogHash(t.db)
      const p = await upload(t.app, `/api/forms/${form}/preview`, bytes, 'export.xlsx', q ? { department: String(t.ids.emergency) } : {})
      assert.equal(p.status, 200, JSON.stringify(p.body))
      assert.deepEqual(p.body.problems, [])
      assert.equal(p.body.summary.added + p.body.summary.changed + p.body.summary.removed, 0, `${form} ${q}: ${JSON.stringify(p.body.changes)}`)
      assert.ok(p.body.summary.unchanged > 0)
      const i = await upload(t.app, `/api/forms/${form}/import`, bytes, 'export.xlsx', { ...(q ? { department: String(t.ids.emergency) } : {}), planHash: p.body.planHash })
      assert.equal(i.status, 200)
      // Only the reporting time of the round may move (first hand-in is kept, so here nothing does).
      assert.equal(await catalogHash(t.db), before)
    }
  }
})

test('the export writes the official layout: title, (必填项) headers, instruction row, merged resource cells, footer', async () => {
  const t = await smallCatalog()
  const res = await t.app.request(`/api/forms/resources/export.xlsx?department=${t.ids.emergency}`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
  const ws = wb.worksheets.find((w) => w.state === 'visible')!
  assert.equal(ws.getCell('A1').value, '城市安全数据资源摸排表')
  assert.equal(ws.getCell('A3').value, '数据资源提供方 (必填项)')
  assert.equal(ws.getCell('I2').value, '更新周期 (必填项)')
  assert.match(String(ws.getCell('A4').value), /^填写内容/)
  assert.equal(ws.getCell('D5').value, '危险化学品企业基础信息')
  assert.ok(ws.getCell('D6').isMerged && ws.getCell('D7').isMerged, 'resource name merged over its three items')
  assert.deepEqual([ws.getCell('F5').value, ws.getCell('F6').value, ws.getCell('F7').value], ['企业名称', '统一社会信用代码', '联系电话'])
  assert.equal(ws.getCell('G5').value, '字符串 C')
  const validations = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model
  const lists = Object.entries(validations).filter(([, v]) => v.type === 'list').map(([k]) => k[0])
  for (const col of ['A', 'B', 'C', 'E', 'G', 'I']) assert.ok(lists.includes(col), `drop-down on column ${col}`)
  const footer = ws.getColumn(1).values.map(String)
  for (const l of ['审核人：', '填报人：', '联系电话：', '填报时间：']) assert.ok(footer.includes(l), l)
})

test('the systems template has the annex-2 layout with drop-downs and the department pre-filled', async () => {
  const t = await smallCatalog()
  const res = await t.app.request(`/api/forms/systems/template.xlsx?department=${t.ids.emergency}`)
  assert.equal(res.status, 200)
  assert.match(decodeURIComponent(res.headers.get('content-disposition')!), /渝北区应急局城市安全业务系统调研表（模板）\.xlsx/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
  const visible = wb.worksheets.filter((w) => w.state === 'visible')
  assert.deepEqual(visible.map((w) => w.name), ['危化品监管系统', '新增系统'])
  const blank = visible[1]!
  assert.equal(blank.getCell('A1').value, '城市安全业务系统调研表')
  assert.equal(blank.getCell('B2').value, EMERGENCY)
  assert.equal(blank.getCell('A4').value, '系统名称 (必填项)')
  assert.equal(blank.getCell('C4').value, '建设方式 (必填项)')
  const dv = (blank as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model
  assert.ok(Object.keys(dv).length >= 7, 'drop-downs for every enumeration')
  assert.equal(visible[0]!.getCell('B4').value, SYS)
  // Importing the untouched template (existing system + empty sheet) changes nothing.
  const p = await preview(t, Buffer.from(await wb.xlsx.writeBuffer()), 'tpl.xlsx', t.ids.emergency, 'systems')
  assert.deepEqual(p.body.problems, [])
  assert.equal(p.body.summary.unchanged, 1)
  assert.equal(p.body.summary.added, 0)
})

test('every annex-3 problem is reported with sheet, row, column and a Chinese message', async () => {
  const t = await smallCatalog()
  await t.fx.system(t.ids.emergency, '国家应急指挥平台', { buildLevel: 'national' })
  const rows: CellInput[][] = [
    [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '企业名称', '字符串 C', 50, '每月'],
    [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '企业名称', '字符串 C', 50, '每月'],
    [EMERGENCY, SYS, '危险化学品安全', '新资源', '传真', '字段1', '字符', 0, '每月'],
    [EMERGENCY, SYS, '不存在类别', '新资源2', '接口', '字段1', 'C', -3, '每小时'],
    [EMERGENCY, '国家应急指挥平台', '危险化学品安全', '新资源3', '接口', '字段1', 'C', 10, '每日'],
    [EMERGENCY, '燃气监管平台', '燃气管网安全', '新资源4', '接口', '字段1', 'C', 10, '每日'],
    [EMERGENCY, '没有的系统', '燃气管网安全', '新资源5', '接口', '字段1', 'C', 10, '每日'],
    ['渝北区城市管理局', '燃气监管平台', '燃气管网安全', '新资源6', '接口', '字段1', 'C', 10, '每日'],
    [EMERGENCY, SYS, '危险化学品安全', '新资源7', '', '字段1', 'C', 'abc', '每日'],
    [EMERGENCY, SYS, '危险化学品安全', '新资源7', '接口', '字段2', 'C', 10, '每周'],
  ]
  const before = await catalogHash(t.db)
  const p = await preview(t, await annex3Workbook(rows))
  assert.equal(p.status, 200)
  assert.equal(p.body.canImport, false)
  const find = (row: number, column: string) => p.body.problems.find((x: any) => x.row === row && x.column === column)?.message ?? ''
  assert.match(find(6, 'F'), /数据项「企业名称」重复（第 5 行已填写）/)
  assert.match(find(7, 'E'), /「传真」不在可选范围内（可选：数据库、接口、文件）/)
  assert.match(find(7, 'G'), /「字符」不在可选范围内/)
  assert.match(find(7, 'H'), /「0」不是正整数/)
  assert.match(find(8, 'C'), /未知的数据资源所属类别「不存在类别」/)
  assert.match(find(8, 'H'), /「-3」不是正整数/)
  assert.match(find(8, 'I'), /「每小时」不在可选范围内/)
  assert.match(find(9, 'B'), /为「国家建设」系统；本表只填写区级建设业务系统的数据资源/)
  assert.match(find(10, 'B'), /属于「渝北区城市管理局」，不是「渝北区应急局」的系统/)
  assert.match(find(11, 'B'), /不在「渝北区应急局」已填报的系统中/)
  assert.match(find(12, 'A'), /与本次填报的部门「渝北区应急局」不一致/)
  assert.match(find(13, 'E'), /缺少必填项/)
  assert.match(find(13, 'H'), /「abc」不是正整数/)
  assert.match(find(14, 'I'), /同一数据资源「新资源7」的「更新周期」前后不一致（第 13 行为「每日」）/)
  for (const x of p.body.problems) assert.equal(x.sheet, '摸排表')
  assert.equal(p.body.changes.length, 0, 'no plan is shown while there are problems')
  const i = await upload(t.app, '/api/forms/resources/import', await annex3Workbook(rows), 'form.xlsx', { department: String(t.ids.emergency), planHash: p.body.planHash })
  assert.equal(i.status, 422)
  assert.equal(i.body.error.code, 'form_invalid')
  assert.equal(await catalogHash(t.db), before)
})

test('an error in the last row writes nothing (all or nothing)', async () => {
  const t = await smallCatalog()
  const rows = currentRows()
  rows.push([EMERGENCY, SYS, '危险源安全', '新的监测数据', '接口', '压力', 'N', 10, '实时'])
  rows.push([EMERGENCY, SYS, '危险源安全', '新的监测数据', '接口', '温度', 'N', '十', '实时'])
  const before = await catalogHash(t.db)
  const res = await importConfirmed(t, await annex3Workbook(rows))
  assert.equal(res.status, 422)
  assert.equal(res.body.error.details.problems.length, 1)
  assert.equal(res.body.error.details.problems[0].row, 5 + rows.length - 1)
  assert.equal(await catalogHash(t.db), before)
})

test('a corrected file upserts what changed, records it in the update history, and re-importing it changes nothing', async () => {
  const t = await smallCatalog()
  const rows = currentRows()
  rows[2] = [EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '联系电话', '字符串 C', 20, '每月'] // length 50 → 20
  rows.push([EMERGENCY, SYS, '危险化学品安全', '危险化学品企业基础信息', '数据库', '法定代表人', '字符串 C', 30, '每月'])
  rows.push([EMERGENCY, SYS, '危险源安全', '重大危险源名录', '文件', '名称', 'C', 100, '每年'])
  const historyBefore = await countUpdates(t)
  const p = await preview(t, await annex3Workbook(rows, { footer: FOOTER }))
  assert.deepEqual(p.body.problems, [])
  assert.deepEqual(p.body.summary, { added: 1, changed: 1, removed: 0, unchanged: 1, itemsAdded: 2, itemsChanged: 1, itemsRemoved: 0, deleted: { systems: 0, resources: 0, items: 0, features: 0 } })
  const changed = p.body.changes.find((c: any) => c.action === 'change')
  assert.deepEqual([changed.resourceName, changed.itemsAdded, changed.itemsChanged], ['危险化学品企业基础信息', ['法定代表人'], ['联系电话']])
  const i = await importConfirmed(t, await annex3Workbook(rows, { footer: FOOTER }))
  assert.equal(i.status, 200)
  const item = await t.db.kysely.selectFrom('data_items').select('length').where('resource_id', '=', t.ids.chem).where('name', '=', '联系电话').executeTakeFirstOrThrow()
  assert.equal(item.length, 20)
  const history = await t.db.kysely.selectFrom('resource_updates as u').innerJoin('resources as r', 'r.id', 'u.resource_id').select(['r.name', 'u.source', 'u.note', 'u.updated_at']).orderBy('u.id', 'desc').limit(2).execute()
  assert.deepEqual(history.map((h) => [h.name, h.source]).sort(), [['危险化学品企业基础信息', 'import'], ['重大危险源名录', 'import']])
  assert.equal(history[0]!.updated_at, TEST_NOW.toISOString())
  assert.match(history.find((h) => h.name === '危险化学品企业基础信息')!.note, /新增数据项 1 个；修改数据项 1 个/)
  const historyAfter = await countUpdates(t)
  assert.equal(historyAfter, historyBefore + 2)
  // The same file again: nothing to do, nothing recorded.
  const again = await preview(t, await annex3Workbook(rows, { footer: FOOTER }))
  assert.equal(again.body.summary.added + again.body.summary.changed + again.body.summary.removed, 0)
  const before = await catalogHash(t.db)
  assert.equal((await importConfirmed(t, await annex3Workbook(rows, { footer: FOOTER }))).status, 200)
  assert.equal(await catalogHash(t.db), before)
})

test('a resource left out of the department form is removed, and the preview says what goes with it', async () => {
  const t = await smallCatalog()
  const rows = currentRows().slice(0, 3)
  const p = await preview(t, await annex3Workbook(rows))
  const removed = p.body.changes.filter((c: any) => c.action === 'remove')
  assert.deepEqual(removed.map((c: any) => c.resourceName), ['危险源实时监测'])
  assert.match(removed[0].note, /将一并删除其 1 个空间要素/)
  assert.equal((await importConfirmed(t, await annex3Workbook(rows))).status, 200)
  assert.equal(await t.db.kysely.selectFrom('resources').select('id').where('id', '=', t.ids.chemLive).executeTakeFirst(), undefined)
})

test('a blank template filled with one new resource: the preview counts the resources, data items and map features it would delete', async () => {
  const t = await smallCatalog()
  const rows: CellInput[][] = [[EMERGENCY, SYS, '危险源安全', '重大危险源名录', '文件', '名称', 'C', 100, '每年']]
  const p = await preview(t, await annex3Workbook(rows))
  assert.equal(p.status, 200)
  assert.equal(p.body.mode, 'replace')
  assert.equal(p.body.summary.added, 1)
  assert.equal(p.body.summary.removed, 2)
  // 危险化学品企业基础信息 (3 items, 2 features) and 危险源实时监测 (2 items, 1 feature).
  assert.deepEqual(p.body.summary.deleted, { systems: 0, resources: 2, items: 5, features: 3 })
})

test('leaving a system out of annex 2 counts the system with its resources, data items and map features', async () => {
  const t = await smallCatalog()
  const form = { '系统名称': '应急值守系统', '建设方式': '区级建设', '系统部署位置': '政务云', '运行状态': '运维', '等级级别': '二级', '已对外提供数据': '否', '网络类型': '政务外网' }
  const p = await preview(t, await annex2Workbook([form]), 'a2.xlsx', t.ids.emergency, 'systems')
  assert.deepEqual(p.body.problems, [])
  assert.deepEqual(p.body.summary.deleted, { systems: 1, resources: 2, items: 5, features: 3 })
  assert.match(p.body.changes.find((c: any) => c.action === 'remove').note, /将一并删除其 2 项数据资源（5 个数据项）和 3 个空间要素/)
  const merged = await upload(t.app, '/api/forms/systems/preview', await annex2Workbook([form]), 'a2.xlsx', { department: String(t.ids.emergency), mode: 'merge' })
  assert.equal(merged.body.summary.removed, 0)
  assert.deepEqual(merged.body.summary.deleted, { systems: 0, resources: 0, items: 0, features: 0 })
})

test('merge mode adds and updates what the form lists and deletes nothing', async () => {
  const t = await smallCatalog()
  const rows: CellInput[][] = [[EMERGENCY, SYS, '危险源安全', '重大危险源名录', '文件', '名称', 'C', 100, '每年']]
  const bytes = await annex3Workbook(rows)
  const fields = { department: String(t.ids.emergency), mode: 'merge' }
  const p = await upload(t.app, '/api/forms/resources/preview', bytes, 'form.xlsx', fields)
  assert.equal(p.status, 200)
  assert.equal(p.body.mode, 'merge')
  assert.equal(p.body.summary.added, 1)
  assert.equal(p.body.summary.removed, 0)
  assert.deepEqual(p.body.summary.deleted, { systems: 0, resources: 0, items: 0, features: 0 })
  assert.equal(p.body.changes.filter((c: any) => c.action === 'remove').length, 0)
  const i = await upload(t.app, '/api/forms/resources/import', bytes, 'form.xlsx', { ...fields, planHash: p.body.planHash })
  assert.equal(i.status, 200)
  assert.equal(i.body.summary.added, 1)
  const names = (await t.db.kysely.selectFrom('resources').select('name').where('department_id', '=', t.ids.emergency).orderBy('id').execute()).map((r) => r.name)
  assert.deepEqual(names, ['危险化学品企业基础信息', '危险源实时监测', '重大危险源名录'])
  const features = await t.db.kysely.selectFrom('features').select('id').where('resource_id', 'in', [t.ids.chem, t.ids.chemLive]).execute()
  assert.equal(features.length, 3, 'the map features stay')
})

test('a preview in one mode cannot confirm an import in the other, even when both plans change the same', async () => {
  const t = await smallCatalog()
  // The whole form plus one resource: replace removes nothing, so both modes plan the same changes.
  const rows = [...currentRows(), [EMERGENCY, SYS, '危险源安全', '重大危险源名录', '文件', '名称', 'C', 100, '每年']]
  const bytes = await annex3Workbook(rows)
  const department = String(t.ids.emergency)
  const replace = await upload(t.app, '/api/forms/resources/preview', bytes, 'form.xlsx', { department })
  const merge = await upload(t.app, '/api/forms/resources/preview', bytes, 'form.xlsx', { department, mode: 'merge' })
  assert.deepEqual(replace.body.changes, merge.body.changes)
  assert.notEqual(replace.body.planHash, merge.body.planHash)
  const before = await catalogHash(t.db)
  const crossed = await upload(t.app, '/api/forms/resources/import', bytes, 'form.xlsx', { department, mode: 'merge', planHash: replace.body.planHash })
  assert.equal(crossed.status, 409)
  assert.equal(crossed.body.error.code, 'plan_changed')
  assert.equal(crossed.body.error.details.preview.mode, 'merge')
  assert.equal(await catalogHash(t.db), before)
  const bad = await upload(t.app, '/api/forms/resources/preview', bytes, 'form.xlsx', { department, mode: 'append' })
  assert.equal(bad.status, 400)
  assert.equal(bad.body.error.details.parameter, 'mode')
})

test('the templates say that a form is the department\'s whole answer and how to add or correct only part of it', async () => {
  const t = await smallCatalog()
  for (const form of ['systems', 'resources']) {
    const res = await t.app.request(`/api/forms/${form}/template.xlsx?department=${t.ids.emergency}`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
    const texts: string[] = []
    wb.worksheets.filter((w) => w.state === 'visible').at(-1)!.eachRow((row) => row.eachCell((c) => { if (typeof c.value === 'string') texts.push(c.value) }))
    assert.ok(texts.some((x) => /完整答复/.test(x) && /将被删除/.test(x) && /地图要素/.test(x)), `${form}: ${texts.join('\n')}`)
    assert.ok(texts.some((x) => x.includes('仅新增和修改（不删除表中没有的）')), form)
    // The notes read back as nothing: the untouched template still previews without problems.
    const p = await preview(t, Buffer.from(await wb.xlsx.writeBuffer()), 'tpl.xlsx', t.ids.emergency, form)
    if (form === 'systems') assert.deepEqual(p.body.problems, [])
    else assert.ok(p.body.problems.every((x: any) => /没有填写任何数据资源/.test(x.message)), JSON.stringify(p.body.problems))
  }
})

test('forms as people fill them: merged cells, blank repeats, trailing rows, full-width, spaces, text and Excel dates', async () => {
  const t = await smallCatalog()
  const rows: CellInput[][] = [
    ['渝北区应急局 ', ' 危化品监管系统', '危险化学品安全', '危险化学品企业基础信息', '数据库', '企业名称', '字符串C', '５０', '每月'],
    [null, null, null, null, null, '统一社会信用代码', 'C 字符串', ' 50 ', null],
    [null, null, null, null, null, '联系电话', '字符串', 50, null],
    ['区应急局', SYS, '危险源', '危险源实时监测', '接口', '监测值', 'c', '50位', '实时'],
    [null, null, null, null, null, '采集时间', 'C', 50, null],
  ]
  const bytes = await annex3Workbook(rows, {
    merges: ['A5:A7', 'B5:B7', 'C5:C7', 'D5:D7', 'E5:E7', 'I5:I7'],
    trailingEmpty: 40,
    footer: { 审核人: '李四', 填报人: '张三', 联系电话: '023－6781 0000', 填报时间: new Date(Date.UTC(2022, 2, 28)) },
  })
  const p = await preview(t, bytes)
  assert.deepEqual(p.body.problems, [])
  const changed = p.body.changes
  assert.equal(p.body.summary.added + p.body.summary.removed, 0, JSON.stringify(changed))
  // Only the footer differs from the catalog: the form's footer is new information.
  for (const c of changed) assert.deepEqual(c.itemsAdded.concat(c.itemsChanged, c.itemsRemoved), [])
  const fields = changed[0].fields.map((f: any) => `${f.label}:${f.to}`)
  assert.ok(fields.includes('填报时间:2022-03-28'), fields.join())
  assert.ok(fields.includes('审核人:李四'), fields.join())
  // A date typed as text reads the same.
  const asText = await annex3Workbook(rows, { footer: { 填报时间: '2022年3月28日' } })
  const p2 = await preview(t, asText)
  assert.deepEqual(p2.body.problems, [])
  assert.ok(p2.body.changes[0].fields.some((f: any) => f.label === '填报时间' && f.to === '2022-03-28'))
})

test('annex 3 as CSV: UTF-8 with BOM and GB18030 as Chinese Excel saves it', async () => {
  const t = await smallCatalog()
  const header = '数据资源提供方,所属业务系统,数据资源所属类别,数据资源名称,数据提供方式,数据项名称,数据类型,数据长度,更新周期'
  const lines = currentRows().map((r) => r.join(','))
  lines.push(`${EMERGENCY},${SYS},危险源安全,储罐区温度监测,接口,温度,N,8,实时`)
  const text = [header, ...lines].join('\r\n') + '\r\n'
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
  const p = await preview(t, utf8, 'form.csv')
  assert.deepEqual(p.body.problems, [])
  assert.equal(p.body.summary.added, 1)
  // GB18030: encode with the platform's own decoder table by round trip through TextDecoder.
  const gb = encodeGb18030(text)
  const p2 = await preview(t, gb, 'form.csv')
  assert.deepEqual(p2.body.problems, [])
  assert.equal(p2.body.summary.added, 1)
  const sys = await preview(t, utf8, 'form.csv', t.ids.emergency, 'systems')
  assert.equal(sys.status, 400)
  assert.match(sys.body.error.message, /请上传 \.xlsx 文件/)
})

/** GB18030 bytes for text: each character looked up by brute force over the two-byte range. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue
      const ch = decoder.decode(new Uint8Array([a, b]))
      if (!table.has(ch)) table.set(ch, [a, b])
    }
  }
  const out: number[] = []
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0))
    else out.push(...table.get(ch)!)
  }
  return Buffer.from(out)
}

test('annex 2: checkbox style, plain values and every problem named in Chinese', async () => {
  const t = await smallCatalog()
  const good = {
    '系统名称': '危化品监管系统', '建设方式': '☑区级建设 □市级建设', '建设单位': '建设单位', '管理单位': '管理单位',
    '系统部署位置': '☑政务云 □本单位 □其他', '运行状态': '运维', '等级级别': '三级', '已对外提供数据': '☑是 □否',
    '提供数据方式': '☑接口', '网络类型': '政务外网', '审核人': '审核人', '填报人': '填报人', '联系电话': '023-67810000',
  }
  const p = await preview(t, await annex2Workbook([good]), 'a2.xlsx', t.ids.emergency, 'systems')
  assert.deepEqual(p.body.problems, [])
  assert.equal(p.body.summary.unchanged, 1)
  const bad = [
    { ...good, '系统名称': '新系统A', '建设方式': '☑区级建设 ☑市级建设', '运行状态': '运行中', '已对外提供数据': '是', '提供数据方式': '', '联系电话': '电话', '填报时间': '3月28' },
    { ...good, '系统名称': '新系统A', '网络类型': '□互联网 □政务外网' },
    { ...good, '系统名称': null },
  ]
  const b = await preview(t, await annex2Workbook(bad, '渝北区城市管理局'), 'a2.xlsx', t.ids.emergency, 'systems')
  const msgs = b.body.problems.map((x: any) => `${x.sheet}!${x.column}${x.row} ${x.field}: ${x.message}`)
  const has = (re: RegExp) => assert.ok(msgs.some((m: string) => re.test(m)), `${re} in\n${msgs.join('\n')}`)
  has(/系统1!B2 填报单位: 填报单位「渝北区城市管理局」与本次填报的部门「渝北区应急局」不一致/)
  has(/系统1!B4 建设方式: 只能选择一项/)
  has(/系统1!B8 运行状态: 「运行中」不在可选范围内（可选：在建、运维、过保）/)
  has(/系统1!B11 提供数据方式: 已对外提供数据为「是」时，须填写提供数据方式/)
  has(/系统1!B15 联系电话: 「电话」不是有效的电话号码/)
  has(/系统1!B16 填报时间: 「3月28」无法识别为日期/)
  has(/系统2!B12 网络类型: 未勾选任何(选项|网络类型)/)
  has(/系统2!B3 系统名称: 系统名称「新系统A」重复（工作表「系统1」已填报同名系统）/)
  has(/系统3!B3 系统名称: 缺少必填项/)
})

test('importing annex 2 reports the systems in the round; "no systems" is its own state', async () => {
  const t = await smallCatalog()
  const weather = t.ids.weather
  const form = { '系统名称': '气象灾害预警系统', '建设方式': '区级建设', '系统部署位置': '政务云', '运行状态': '运维', '等级级别': '二级', '已对外提供数据': '否', '网络类型': '政务外网、互联网' }
  const r = await importConfirmed(t, await annex2Workbook([form]), 'a2.xlsx', weather, 'systems')
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const dept = await t.get(`/api/departments/${weather}`)
  assert.equal(dept.body.report.status, 'late', 'handed in after the deadline of the fixture round')
  assert.equal(dept.body.report.systemsReportedAt, TEST_NOW.toISOString())
  const sys = await t.db.kysely.selectFrom('systems').select('networks').where('name', '=', '气象灾害预警系统').executeTakeFirstOrThrow()
  assert.deepEqual(JSON.parse(sys.networks), ['internet', 'gov-extranet'])
  const refused = await t.app.request(`/api/departments/${weather}/no-systems`, { method: 'POST' })
  assert.equal(refused.status, 409)
  assert.match((await refused.json() as any).error.message, /已填报 1 个系统/)
  // A department without systems reports "no systems" in one action.
  const other = await t.fx.department('渝北区林业局')
  await sql`INSERT INTO survey_round_departments (round_id, department_id) SELECT id, ${other} FROM survey_rounds`.execute(t.db.kysely)
  await t.db.versions.refresh()
  assert.equal((await t.get(`/api/departments/${other}`)).body.report.status, 'not-started')
  assert.equal((await t.app.request(`/api/departments/${other}/no-systems`, { method: 'POST' })).status, 200)
  assert.equal((await t.get(`/api/departments/${other}`)).body.report.status, 'no-systems')
})

test('a preview confirmed after the catalog changed is refused (409) and writes nothing', async () => {
  const t = await smallCatalog()
  const rows = currentRows()
  rows.push([EMERGENCY, SYS, '危险源安全', '新增资源', '接口', '值', 'N', 8, '每日'])
  const bytes = await annex3Workbook(rows)
  const p = await preview(t, bytes)
  await t.db.kysely.updateTable('data_items').set({ length: 99 }).where('resource_id', '=', t.ids.chem).where('name', '=', '企业名称').execute()
  await t.db.versions.refresh()
  const before = await catalogHash(t.db)
  const r = await upload(t.app, '/api/forms/resources/import', bytes, 'form.xlsx', { department: String(t.ids.emergency), planHash: p.body.planHash })
  assert.equal(r.status, 409)
  assert.equal(r.body.error.code, 'plan_changed')
  assert.equal(await catalogHash(t.db), before)
})

test('text that would run as a formula is exported with an apostrophe and imported back unchanged', async () => {
  const t = await smallCatalog()
  await t.db.kysely.updateTable('resources').set({ name: '=HYPERLINK("http://x","点我")' }).where('id', '=', t.ids.chem).execute()
  await t.db.kysely.updateTable('data_items').set({ name: '@SUM(1)' }).where('resource_id', '=', t.ids.chem).where('name', '=', '企业名称').execute()
  await t.db.versions.refresh()
  const res = await t.app.request(`/api/forms/resources/export.xlsx?department=${t.ids.emergency}`)
  const bytes = Buffer.from(await res.arrayBuffer())
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const ws = wb.worksheets[0]!
  const cells: unknown[] = []
  ws.eachRow((row) => row.eachCell((c) => cells.push(c.value)))
  assert.ok(cells.includes(`'=HYPERLINK("http://x","点我")`))
  assert.ok(cells.includes(`'@SUM(1)`))
  assert.ok(!cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v), 'no formula cells')
  const p = await preview(t, bytes)
  assert.equal(p.body.summary.changed + p.body.summary.added + p.body.summary.removed, 0)
})

test('the hidden drop-down sheet holds user text neutralised too, and single-choice prompts do not invite several values', async () => {
  const t = await smallCatalog()
  await sql`UPDATE systems SET name = '+SUM(1,2)系统' WHERE id = (SELECT system_id FROM resources WHERE id = ${t.ids.chem})`.execute(t.db.kysely)
  await t.db.kysely.updateTable('departments').set({ name: "=cmd|' /C calc'!A0" }).where('id', '=', t.ids.ndrc).execute()
  await t.db.versions.refresh()
  for (const q of [`department=${t.ids.emergency}`, '']) {
    const bytes = Buffer.from(await (await t.app.request(`/api/forms/resources/export.xlsx?${q}`)).arrayBuffer())
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const lists = wb.getWorksheet('下拉选项')!
    const values: unknown[] = []
    lists.eachRow((row) => row.eachCell((c) => values.push(c.value)))
    assert.ok(values.includes("'+SUM(1,2)系统"), `${q}: ${JSON.stringify(values)}`)
    assert.ok(!values.some((v) => typeof v === 'string' && /^[=+\-@]/.test(v)), `${q}: a list value would run as a formula`)
    if (!q) assert.ok(values.includes("'=cmd|' /C calc'!A0"))
    const validations = Object.values((wb.worksheets[0] as unknown as { dataValidations: { model: Record<string, { errorTitle?: string; error?: string }> } }).dataValidations.model)
    for (const title of ['所属业务系统', '数据类型']) {
      const v = validations.find((x) => x.errorTitle === title)!
      assert.ok(v, title)
      assert.doesNotMatch(v.error!, /多选/, title)
      assert.match(v.error!, /只能填写一项/, title)
    }
  }
})

test('bad requests to the forms get 400 naming the problem', async () => {
  const t = await smallCatalog()
  assert.equal((await t.app.request('/api/forms/other/template.xlsx')).status, 400)
  assert.equal((await t.app.request('/api/forms/systems/template.xlsx?department=abc')).status, 400)
  assert.equal((await t.app.request('/api/forms/systems/template.xlsx?department=999')).status, 404)
  const noFile = await t.app.request('/api/forms/resources/preview', { method: 'POST', body: new FormData() })
  assert.equal(noFile.status, 400)
  assert.equal((await noFile.json() as any).error.details.parameter, 'file')
  const notMultipart = await t.app.request('/api/forms/resources/preview', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })
  assert.equal(notMultipart.status, 400)
  const bytes = await annex3Workbook(currentRows())
  const noHash = await upload(t.app, '/api/forms/resources/import', bytes, 'f.xlsx', { department: String(t.ids.emergency) })
  assert.equal(noHash.status, 400)
  assert.equal(noHash.body.error.details.parameter, 'planHash')
  const txt = await upload(t.app, '/api/forms/resources/preview', Buffer.from('hello'), 'notes.txt')
  assert.equal(txt.status, 400)
  assert.match(txt.body.error.message, /不支持的文件类型/)
})
