import { test } from 'vitest'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { createSession, daysAgo, onOwnDatabase, TEST_NOW, YUBEI_A } from '../helpers/app.js'
import { graded } from '../helpers/grading.js'

/** The 风险评估导入表, the ingest of assessments by departments' systems, re-assessment supervision and the category level. */

async function workbookOf(res: Response) {
  assert.equal(res.status, 200)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(await res.arrayBuffer())
  return wb
}

/** Column number of a header in the sheet's first row (by its text before any bracket). */
const columnOf = (ws: ExcelJS.Worksheet, name: string) => {
  let found = 0
  ws.getRow(1).eachCell((c, n) => { if (String(c.value).replace(/[（(].*$/, '') === name) found = n })
  assert.ok(found, `column ${name}`)
  return found
}

const upload = (as: { request: (p: string, i?: RequestInit) => Promise<Response> | Response }, path: string, bytes: ArrayBuffer | Buffer, name = 'assessments.xlsx') => {
  const form = new FormData()
  form.set('file', new File([new Uint8Array(bytes as ArrayBuffer)], name))
  return Promise.resolve(as.request(path, { method: 'POST', body: form }))
}

test('a department downloads its template, fills it in, previews and imports: the levels change on the map, recorded as imported', async () => {
  const t = await graded()
  const wb = await workbookOf(await t.reporter.request('/api/risk/assessments/template.xlsx'))
  const ws = wb.getWorksheet('风险评估')!
  // The reporter's own department only: the warehouse and the station, not the transport bureau's bridge.
  const names = ws.getColumn(columnOf(ws, '名称')).values.slice(2)
  assert.deepEqual([...names].sort(), ['某加油站', '某化工仓库'])
  assert.equal(ws.getRow(2).getCell(columnOf(ws, '评估方法')).value, '风险矩阵')
  assert.ok(wb.getWorksheet('填写说明'), 'with its instructions')
  const rowOf = (name: string) => ws.getColumn(columnOf(ws, '名称')).values.indexOf(name)
  ws.getRow(rowOf('某化工仓库')).getCell(columnOf(ws, '可能性')).value = 4
  ws.getRow(rowOf('某化工仓库')).getCell(columnOf(ws, '后果')).value = 4
  ws.getRow(rowOf('某加油站')).getCell(columnOf(ws, '可能性')).value = 1
  ws.getRow(rowOf('某加油站')).getCell(columnOf(ws, '后果')).value = 2
  ws.getRow(rowOf('某加油站')).getCell(columnOf(ws, '调整等级')).value = '较大'
  ws.getRow(rowOf('某加油站')).getCell(columnOf(ws, '调整理由')).value = '节假日客流大，临时上调'
  const bytes = await wb.xlsx.writeBuffer()

  const preview = await upload(t.reporter, '/api/risk/assessments/preview', bytes)
  assert.equal(preview.status, 200)
  const p = (await preview.json()) as any
  assert.deepEqual([p.assessments, p.problemCount, p.byLevel], [2, 0, { red: 1, orange: 1, yellow: 0, blue: 0 }])
  assert.deepEqual(p.changes.map((c: any) => [c.name, c.from, c.to]).sort(), [['某加油站', 'yellow', 'orange'], ['某化工仓库', 'blue', 'red']])
  assert.equal(await t.level(t.warehouse), 'blue', 'a preview writes nothing')

  const done = await upload(t.reporter, '/api/risk/assessments/import', bytes)
  assert.equal(done.status, 201)
  assert.deepEqual([await t.level(t.warehouse), await t.level(t.station)], ['red', 'orange'])
  const why = (await t.get(`/api/features/${t.station}/assessments`)).body
  assert.deepEqual([why.latest.cause, why.latest.computedLevel, why.latest.override, why.latest.assessor], ['import', 'blue', { level: 'orange', reason: '节假日客流大，临时上调' }, 'chem-officer'])
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'result']).where('username', '=', 'chem-officer').execute()
  assert.deepEqual(audit, [{ action: 'export', result: 'success' }, { action: 'risk-assess', result: 'success' }])
})

test('an import is all or nothing: one bad row refuses the file, naming each problem with its row', async () => {
  const t = await graded()
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('风险评估')
  ws.addRow(['要素编号', '名称', '可能性（1–5）', '后果（1–5）', '调整等级', '调整理由', '评估日期'])
  ws.addRow([t.warehouse, '某化工仓库', 5, 5])
  ws.addRow([t.station, '某加油站', 6, 1])
  ws.addRow([t.bridge, '某立交桥', 2, 2])
  ws.addRow([t.school, '某小学', 2, 2])
  ws.addRow([t.warehouse, '某化工仓库', 1, 1])
  ws.addRow([999999, '不存在', 1, 1])
  ws.addRow([t.station, '别的名字', 1, 1])
  ws.addRow([t.station, '某加油站', 1, 1, '紫色'])
  ws.addRow([t.station, '某加油站', 1, 1, '', '只有理由'])
  ws.addRow([t.station, '某加油站', 1, 1, '', '', '明天'])
  ws.addRow([t.station, '某加油站', 'x', 1])
  const res = await upload(t.reporter, '/api/risk/assessments/import', await wb.xlsx.writeBuffer())
  assert.equal(res.status, 400)
  const e = ((await res.json()) as any).error
  assert.equal(e.code, 'invalid_rows')
  assert.match(e.message, /^10 行有误，未导入任何评估。第 3 行：可能性须为 1–5 的整数$/)
  assert.deepEqual(e.details.problems.map((p: any) => p.at), ['第 3 行', '第 4 行', '第 5 行', '第 6 行', '第 7 行', '第 8 行', '第 9 行', '第 10 行', '第 11 行', '第 12 行'])
  const text = e.details.problems.map((p: any) => p.problem).join('\n')
  for (const expected of ['只能评估本单位的风险点', '不是风险点或危险源', '在第 2 行已出现', `要素编号 999999 不存在`, '与要素编号', '应为 重大、较大、一般 或 低', '填写了调整理由但没有调整等级', '应为 2026-06-15 这样的日期', '不是数值']) {
    assert.ok(text.includes(expected), expected)
  }
  assert.equal(await t.level(t.warehouse), 'blue', 'the good row was not imported either')
  assert.equal((await t.db.kysely.selectFrom('risk_assessments').select('id').execute()).length, 0)
})

test('an upload that is not the template gets a clear refusal, never a 500', async () => {
  const t = await graded()
  const notXlsx = await upload(t.reporter, '/api/risk/assessments/preview', Buffer.from('PK\u0003\u0004 not really a zip'))
  assert.equal(notXlsx.status, 400)
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('别的表').addRow(['名称', '地址'])
  const other = await upload(t.reporter, '/api/risk/assessments/preview', await wb.xlsx.writeBuffer())
  assert.equal(other.status, 400)
  assert.match(((await other.json()) as any).error.message, /没有“要素编号”列/)
  const csv = await upload(t.reporter, '/api/risk/assessments/import', Buffer.from(`要素编号,名称,可能性,后果\n${t.warehouse},某化工仓库,3,4\n`), 'a.csv')
  assert.equal(csv.status, 201, 'a CSV saved from the template is read too')
  assert.equal(await t.level(t.warehouse), 'orange')
  const analyst = t.as(await createSession(t.db, { role: 'analyst', username: 'analyst' }))
  assert.equal((await analyst.request('/api/risk/assessments/template.xlsx')).status, 403)
})

test('an LEC sub-category takes L, E and C from its tables, and back-dated assessments keep the history in order', async () => {
  const t = await graded()
  const lec = { kind: 'lec', bands: { red: 320, orange: 160, yellow: 70, blue: 20 }, l: [{ value: 1, description: '' }, { value: 3, description: '' }, { value: 6, description: '' }], e: [{ value: 1, description: '' }, { value: 6, description: '' }], c: [{ value: 15, description: '' }, { value: 40, description: '' }] }
  assert.equal((await t.app.request('/api/risk-models/hazardous-chemicals', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: lec }) })).status, 200)
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('风险评估')
  ws.addRow(['要素编号', 'L', 'E', 'C', '评估日期'])
  ws.addRow([t.warehouse, 6, 6, 15, new Date('2026-06-01T00:00:00Z')])
  ws.addRow([t.station, 3, 6])
  const bad = (await (await upload(t.reporter, '/api/risk/assessments/preview', await wb.xlsx.writeBuffer())).json()) as any
  assert.deepEqual(bad.problems, [{ at: '第 3 行', featureId: t.station, problem: '该点按 LEC 评估：请填写 L、E、C' }])
  ws.getRow(3).getCell(4).value = 15
  const ok = await upload(t.reporter, '/api/risk/assessments/import', await wb.xlsx.writeBuffer())
  assert.equal(ok.status, 201)
  assert.deepEqual([await t.level(t.warehouse), await t.level(t.station)], ['red', 'orange'], 'D = 6 × 6 × 15 = 540 ≥ 320; 3 × 6 × 15 = 270 ≥ 160')
})

test('departments\' systems send assessments with their API key: their own department\'s points only, all or nothing', async () => {
  const t = await graded()
  const system = Number((await t.db.kysely.selectFrom('systems').select('id').where('name', '=', '危化品监管系统').executeTakeFirstOrThrow()).id)
  const { key } = (await (await t.app.request(`/api/systems/${system}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: '评估推送' }) })).json()) as any
  const send = (body: unknown, k = key) => t.raw.request('/api/ingest/assessments', { method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  const ok = await send({ assessments: [{ featureId: t.warehouse, inputs: { kind: 'matrix', likelihood: 3, consequence: 5 } }, { featureId: t.station, inputs: { kind: 'matrix', likelihood: 1, consequence: 1 }, assessedAt: '2026-06-15T09:00:00+08:00' }] })
  assert.equal(ok.status, 201)
  assert.deepEqual((await ok.json() as any).byLevel, { red: 1, orange: 0, yellow: 0, blue: 1 })
  assert.deepEqual([await t.level(t.warehouse), await t.level(t.station)], ['red', 'blue'])
  const why = (await t.get(`/api/features/${t.warehouse}/assessments`)).body
  assert.deepEqual([why.latest.cause, why.latest.assessor], ['system', '系统：危化品监管系统'])

  const other = await send({ assessments: [{ featureId: t.warehouse, inputs: { kind: 'matrix', likelihood: 1, consequence: 1 } }, { featureId: t.bridge, inputs: { kind: 'matrix', likelihood: 5, consequence: 5 } }] })
  assert.equal(other.status, 400)
  assert.deepEqual(((await other.json()) as any).error.details.problems.map((p: any) => [p.at, p.featureId]), [['assessments[1]', t.bridge]])
  assert.equal(await t.level(t.warehouse), 'red', 'nothing of a refused request is recorded')
  assert.equal((await send({ assessments: [{ featureId: t.warehouse, inputs: { kind: 'matrix', likelihood: 1, consequence: 1 } }] }, 'csa_wrong')).status, 401)
  assert.equal((await send('{"assessments": [')).status, 400)
  assert.equal((await send('['.repeat(100_000))).status, 400)
  assert.equal((await send({ assessments: [] })).status, 400)
  // Up to 8 MB a request (10,000 assessments with every indicator), beyond the API's 1 MB for ordinary JSON.
  const padded = await send(JSON.stringify({ assessments: [{ featureId: t.station, inputs: { kind: 'matrix', likelihood: 2, consequence: 2 } }] }) + ' '.repeat(2 * 1024 * 1024))
  assert.equal(padded.status, 201)
  const huge = await send(' '.repeat(9 * 1024 * 1024))
  assert.deepEqual([huge.status, ((await huge.json()) as any).error.code], [413, 'too_large'])
  const future = await send({ assessments: [{ featureId: t.warehouse, inputs: { kind: 'matrix', likelihood: 1, consequence: 1 }, assessedAt: '2027-01-01T00:00:00Z' }] })
  assert.match(((await future.json()) as any).error.message, /评估时间晚于当前时间/)
})

test('re-assessment supervision: never assessed, due within the year, overdue after a year or a month after an alarm raised it, per department', async () => {
  let now = TEST_NOW
  const t = await graded({ now: () => now })
  const day = 86_400_000
  const at = (days: number) => new Date(TEST_NOW.getTime() + days * day)
  await t.post(t.reporter, t.warehouse, { inputs: { kind: 'matrix', likelihood: 2, consequence: 2 } })
  let asked = 0
  const rep = async () => (await t.as(await createSession(t.db, { role: 'analyst', username: `analyst-${++asked}` }, now)).request('/api/risk/reassessment')).json() as Promise<any>
  let r = await rep()
  assert.deepEqual(r.rule, { intervalDays: 365, afterEventDays: 30, dueSoonDays: 30 })
  const emergency = r.departments.find((d: any) => d.id === t.emergency)
  assert.deepEqual([emergency.total, emergency.never, emergency.ok], [2, 1, 1], 'the station was never assessed')
  assert.deepEqual(r.items.map((i: any) => [i.name, i.status]), [['某加油站', 'never'], ['某立交桥', 'never']])

  now = at(340)
  r = await rep()
  assert.deepEqual(r.items.find((i: any) => i.featureId === t.warehouse)?.status, 'due-soon')
  now = at(400)
  r = await rep()
  const late = r.items.find((i: any) => i.featureId === t.warehouse)
  assert.deepEqual([late.status, late.reason, late.overdueDays, late.department], ['overdue', 'interval', 35, '渝北区应急局'])

  // A re-grading after a model change does not renew it; an assessment by people does.
  const admin = t.as(await createSession(t.db, { role: 'admin', username: 'admin-late' }, now))
  const model = ((await (await admin.request('/api/risk-models')).json()) as any).items[0]
  await admin.request('/api/risk-models/default', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: model.config, note: '同一模型' }) })
  assert.equal((await rep()).items.find((i: any) => i.featureId === t.warehouse)?.status, 'overdue')
  const reporter = t.as(await createSession(t.db, { role: 'reporter', departmentId: t.emergency, username: 'chem-late' }, now))
  await t.post(reporter, t.warehouse, { inputs: { kind: 'matrix', likelihood: 2, consequence: 2 } })
  assert.equal((await rep()).items.find((i: any) => i.featureId === t.warehouse), undefined)

  // An alarm that raised its likelihood makes it due a month later.
  const last = await t.db.kysely.selectFrom('risk_assessments').selectAll().where('feature_id', '=', t.warehouse).orderBy('id', 'desc').executeTakeFirstOrThrow()
  await t.db.kysely.insertInto('risk_assessments').values({ ...last, id: undefined as never, cause: 'alarm', alarm_id: 1, assessed_at: at(401).toISOString() }).execute()
  now = at(440)
  const evented = (await rep()).items.find((i: any) => i.featureId === t.warehouse)
  assert.deepEqual([evented.status, evented.reason, evented.overdueDays], ['overdue', 'event', 9])

  // The cycle is the bureau's to set; others may not.
  const admin2 = t.as(await createSession(t.db, { role: 'admin', username: 'admin-rule' }, now))
  const put = (as: typeof admin2, body: unknown) => as.request('/api/risk/reassessment-rule', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const reporter2 = t.as(await createSession(t.db, { role: 'reporter', departmentId: t.emergency, username: 'chem-rule' }, now))
  assert.equal((await put(reporter2, { intervalDays: 180, afterEventDays: 60, dueSoonDays: 15 })).status, 403)
  assert.equal((await put(admin2, { intervalDays: 0, afterEventDays: 60, dueSoonDays: 15 })).status, 400)
  assert.equal((await put(admin2, { intervalDays: 730, afterEventDays: 60, dueSoonDays: 30 })).status, 200)
  assert.equal((await rep()).items.find((i: any) => i.featureId === t.warehouse)?.status, 'due-soon', 'due 60 days after the alarm now')
})

test('the category level: per sub-category its points by level, most severe first, with its highest risks', async () => {
  const t = await graded()
  await t.post(t.reporter, t.warehouse, { inputs: { kind: 'matrix', likelihood: 5, consequence: 5 } })
  await t.post(t.reporter, t.station, { inputs: { kind: 'matrix', likelihood: 2, consequence: 5 } })
  const { items } = (await t.get('/api/risk/categories')).body
  assert.deepEqual(items.map((i: any) => [i.code, i.counts, i.total, i.highest]), [
    ['hazardous-chemicals', { red: 1, orange: 1, yellow: 0, blue: 0 }, 2, 'red'],
    ['bridge', { red: 0, orange: 0, yellow: 0, blue: 1 }, 1, 'blue'],
  ])
  assert.deepEqual(items[0].top.map((p: any) => [p.name, p.level, p.score]), [['某化工仓库', 'red', 25], ['某加油站', 'orange', 10]])
  const bridges = (await t.get('/api/risk/categories?department=' + t.transport)).body.items
  assert.deepEqual(bridges.map((i: any) => i.code), ['bridge'])
})

test('a large import is recorded whole (by a worker thread where the database is a file), and the map follows', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const dept = await fx.department('渝北区应急局')
    const resource = await fx.resource(await fx.system(dept, '危化品监管系统'), '危险化学品风险点', { subcategory: 'hazardous-chemicals' })
    await fx.features(Array.from({ length: 800 }, (_, i) => ({ resourceId: resource, kind: 'risk-point', name: `风险点${i}`, geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: daysAgo(1) })))
    const ids = (await db.kysely.selectFrom('features').select('id').orderBy('id').execute()).map((r) => Number(r.id))
    const csv = `要素编号,可能性,后果\n${ids.map((id, i) => `${id},${i % 2 ? 5 : 1},5`).join('\n')}\n`
    const res = await upload(app, '/api/risk/assessments/import', Buffer.from(csv), 'big.csv')
    assert.equal(res.status, 201)
    assert.deepEqual(((await res.json()) as any).byLevel, { red: 400, orange: 0, yellow: 400, blue: 0 })
    const overview = ((await (await app.request('/api/stats/overview')).json()) as any).featuresByRisk
    assert.deepEqual([overview.red, overview.yellow, overview.blue], [400, 400, 0])
    assert.equal(Number((await db.kysely.selectFrom('risk_assessments').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 800)
    // The supervision and category reads run in a worker thread here too, with the same answers.
    const due = (await (await app.request('/api/risk/reassessment')).json()) as any
    assert.deepEqual([due.departments[0].total, due.departments[0].ok, due.items.length], [800, 800, 0])
    const { items } = (await (await app.request('/api/risk/categories')).json()) as any
    assert.deepEqual([items[0].counts, items[0].top.length, items[0].top[0].level, items[0].top[0].score], [{ red: 400, orange: 0, yellow: 400, blue: 0 }, 5, 'red', 25])
  })
})
