import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createSession, YUBEI_B, daysAgo } from '../helpers/app.js'
import { graded } from '../helpers/grading.js'
import { DEFAULT_MATRIX } from '../../server/domain/risk-grading.js'

const matrix = (likelihood: number, consequence: number) => ({ inputs: { kind: 'matrix', likelihood, consequence } })

test('a reporter assesses their department\'s risk point: the level is computed by the model and becomes the point\'s level on the map', async () => {
  const t = await graded()
  const before = (await t.get('/api/stats/overview')).body.featuresByRisk
  const res = await t.post(t.reporter, t.warehouse, matrix(4, 4))
  assert.equal(res.status, 201)
  const a = (await res.json()) as any
  assert.deepEqual([a.computedLevel, a.level, a.score, a.likelihood, a.consequence, a.cause, a.assessor, a.override], ['red', 'red', 16, 4, 4, 'manual', 'chem-officer', null])
  assert.equal(await t.level(t.warehouse), 'red')
  const after = (await t.get('/api/stats/overview')).body.featuresByRisk
  assert.deepEqual([after.red - before.red, after.blue - before.blue], [1, -1], 'the statistics follow')
  const audit = await t.db.kysely.selectFrom('audit_log').select(['username', 'result']).where('action', '=', 'risk-assess').execute()
  assert.deepEqual(audit, [{ username: 'chem-officer', result: 'success' }])
})

test('why it is red: the latest assessment with its model and figures, what would lower it, and the history', async () => {
  const t = await graded()
  await t.post(t.reporter, t.warehouse, matrix(2, 3))
  await t.post(t.reporter, t.warehouse, matrix(4, 4))
  const body = (await t.get(`/api/features/${t.warehouse}/assessments`)).body
  assert.equal(body.latest.level, 'red')
  assert.equal(body.latest.model.kind, 'matrix')
  assert.deepEqual(body.latest.model.config.cells, DEFAULT_MATRIX.cells)
  assert.deepEqual(body.latest.grade.lower, ['可能性降至 3（偶尔）：较大风险', '后果严重程度降至 3（中等）：较大风险'])
  assert.deepEqual(body.history.map((h: any) => [h.level, h.score]), [['red', 16], ['yellow', 6]])
  assert.equal(body.mayAssess, true)
})

test('an override needs its written reason, and is shown as an override beside the computed level', async () => {
  const t = await graded()
  const bare = await t.post(t.reporter, t.warehouse, { ...matrix(2, 2), override: { level: 'orange' } })
  assert.equal(bare.status, 400)
  const res = await t.post(t.reporter, t.warehouse, { ...matrix(2, 2), override: { level: 'orange', reason: '周边新建学校，人员密集' } })
  const a = (await res.json()) as any
  assert.deepEqual([a.computedLevel, a.level, a.override], ['blue', 'orange', { level: 'orange', reason: '周边新建学校，人员密集' }])
  assert.equal(await t.level(t.warehouse), 'orange')
})

test('who may assess: a department its own points, administrators all; others are refused, hidden points do not exist, and only risk points and hazard sources are assessed', async () => {
  const t = await graded()
  const transportReporter = t.as(await createSession(t.db, { role: 'reporter', departmentId: t.transport, username: 'bridge-officer' }))
  const analyst = t.as(await createSession(t.db, { role: 'analyst', username: 'analyst' }))
  assert.equal((await t.post(transportReporter, t.warehouse, matrix(3, 3))).status, 403)
  assert.equal((await t.post(analyst, t.warehouse, matrix(3, 3))).status, 403)
  assert.equal((await t.post(transportReporter, t.bridge, matrix(3, 3))).status, 201)
  assert.equal((await t.post(t.app, t.bridge, matrix(1, 1))).status, 201)
  const school = await t.post(t.reporter, t.school, matrix(3, 3))
  assert.deepEqual([school.status, ((await school.json()) as any).error.details.parameter], [400, 'id'])
  assert.equal((await t.post(t.reporter, 999999, matrix(3, 3))).status, 404)
  const bad = await t.post(t.reporter, t.warehouse, matrix(6, 3))
  assert.deepEqual([bad.status, ((await bad.json()) as any).error.details.parameter], [400, 'inputs.likelihood'])
  const wrongKind = await t.post(t.reporter, t.warehouse, { inputs: { kind: 'lec', l: 3, e: 6, c: 15 } })
  assert.deepEqual([wrongKind.status, ((await wrongKind.json()) as any).error.details.parameter], [400, 'inputs.kind'])
  // The internal resource's points are not there for a visitor.
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  assert.equal((await t.as(null).request(`/api/features/${t.warehouse}/assessments`)).status, 404)
})

test('an administrator changes the matrix: a new version is kept, the points graded with it are graded again, and the map changes', async () => {
  const t = await graded()
  await t.post(t.reporter, t.warehouse, matrix(3, 3))
  await t.post(t.reporter, t.station, matrix(2, 2))
  assert.deepEqual([await t.level(t.warehouse), await t.level(t.station)], ['yellow', 'blue'])
  // A stricter city: L × C = 9 becomes 较大.
  const cells = DEFAULT_MATRIX.cells.map((r) => [...r])
  cells[2]![2] = 'orange'
  const put = (as: ReturnType<typeof t.as>, scope: string, config: unknown) =>
    as.request(`/api/risk-models/${scope}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config, note: '从严' }) })
  assert.equal((await put(t.reporter, 'default', { ...DEFAULT_MATRIX, cells })).status, 403)
  const res = await put(t.app, 'default', { ...DEFAULT_MATRIX, cells })
  assert.equal(res.status, 200)
  const body = (await res.json()) as any
  assert.deepEqual([body.model.version, body.regraded, body.changed, body.needReassessment], [2, 2, 1, 0])
  assert.deepEqual([await t.level(t.warehouse), await t.level(t.station)], ['orange', 'blue'])
  const history = (await t.get(`/api/features/${t.warehouse}/assessments`)).body.history
  assert.deepEqual(history.map((h: any) => [h.cause, h.level, h.modelVersion]), [['regrade', 'orange', 2], ['manual', 'yellow', 1]])
  assert.deepEqual((await t.get('/api/risk-models/default/versions')).body.items.map((m: any) => m.version), [2, 1])
  // An inconsistent matrix is refused, naming the cell map.
  cells[4]![4] = 'blue'
  const refused = await put(t.app, 'default', { ...DEFAULT_MATRIX, cells })
  assert.deepEqual([refused.status, ((await refused.json()) as any).error.details.parameter], [400, 'config.cells'])
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'result']).where('target', '=', 'PUT /api/risk-models/default').orderBy('id').execute()
  assert.deepEqual(audit.map((a) => `${a.action} ${a.result}`), ['refused refused', 'risk-model success', 'risk-model failure'])
})

test('a sub-category gets its own model (LEC): its points need a new assessment with the new inputs; other sub-categories keep the default', async () => {
  const t = await graded()
  await t.post(t.reporter, t.warehouse, matrix(3, 3))
  await t.post(t.app, t.bridge, matrix(3, 3))
  const { DEFAULT_LEC } = await import('../../server/domain/risk-grading.js')
  const res = await t.app.request('/api/risk-models/hazardous-chemicals', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: DEFAULT_LEC }) })
  const body = (await res.json()) as any
  assert.deepEqual([res.status, body.model.scope, body.model.version, body.regraded, body.needReassessment], [200, 'hazardous-chemicals', 1, 0, 1])
  assert.equal((await t.post(t.reporter, t.warehouse, matrix(3, 3))).status, 400)
  const lec = await t.post(t.reporter, t.warehouse, { inputs: { kind: 'lec', l: 3, e: 6, c: 15 } })
  assert.deepEqual([lec.status, ((await lec.json()) as any).score], [201, 270])
  assert.equal(await t.level(t.warehouse), 'orange')
  const models = (await t.get('/api/risk-models')).body.items.map((m: any) => [m.scope, m.kind, m.scopeName])
  assert.deepEqual(models, [['', 'matrix', '默认（全部子类）'], ['hazardous-chemicals', 'lec', '危险化学品']])
  assert.equal((await t.get(`/api/features/${t.bridge}/assessments`)).body.model.kind, 'matrix')
  assert.equal((await t.app.request('/api/risk-models/no-such-thing', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: DEFAULT_LEC }) })).status, 404)
})

test('the 四色图: each district\'s level from its graded risk points and hazard sources; an administrator\'s new cut-offs change it', async () => {
  const t = await graded()
  await t.post(t.reporter, t.warehouse, matrix(3, 3))
  await t.post(t.reporter, t.station, matrix(2, 2))
  const regions = async () => (await t.get('/api/risk/regions?type=district')).body
  let body = await regions()
  // YUBEI_A and YUBEI_B lie in one 镇街: the warehouse (一般 2) + the station (低 1) + the bridge (低 1) = 4 → 一般 (yellow); the school is not graded.
  assert.equal(body.items.length, 1)
  assert.deepEqual([body.items[0].counts, body.items[0].score, body.items[0].level], [{ red: 0, orange: 0, yellow: 1, blue: 2 }, 4, 'yellow'])
  const grid = (await t.get('/api/risk/regions?type=grid')).body
  assert.equal(grid.items.reduce((n: number, c: any) => n + c.counts.yellow + c.counts.blue, 0), 3)
  const put = await t.app.request('/api/risk/region-rule', { method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ weights: { red: 10, orange: 5, yellow: 2, blue: 1 }, cuts: { red: 8, orange: 4, yellow: 2 } }) })
  assert.equal(put.status, 200)
  body = await regions()
  assert.equal(body.items[0].level, 'orange')
  assert.equal((await t.app.request('/api/risk/region-rule', { method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ weights: { red: 10, orange: 5, yellow: 2, blue: 1 }, cuts: { red: 2, orange: 4, yellow: 8 } }) })).status, 400)
  assert.equal((await t.get('/api/risk/regions?type=province')).status, 400)
})

test('the 风险清单 read back: one row per risk point and hazard source, most severe first, in the documented columns, formula-safe', async () => {
  const t = await graded()
  await t.fx.features([{ resourceId: t.chem, kind: 'risk-point', name: '=HYPERLINK("http://x","y")', geometry: { type: 'Point', coordinates: YUBEI_B }, riskLevel: 'blue', updatedAt: daysAgo(1),
    attributes: { 管控措施: '每日巡查，储量不超过 10 吨' } }])
  await t.post(t.reporter, t.warehouse, { ...matrix(4, 4) })
  await t.post(t.reporter, t.station, { ...matrix(2, 2), override: { level: 'yellow', reason: '临近学校' } })
  const res = await t.app.request('/api/risk/register.xlsx')
  assert.equal(res.status, 200)
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
  const ws = wb.getWorksheet('风险清单')!
  assert.equal(ws.getCell('A1').value, '城市安全风险清单')
  const header = (ws.getRow(6).values as unknown[]).slice(1)
  assert.deepEqual(header, ['序号', '风险点名称', '类型', '所在镇街', '经度', '纬度', '行业类别', '风险等级', '可能性 L', '后果 C', '风险值', '评估方法', '人工调整理由', '管控措施', '责任单位', '最近评估时间'])
  const rows: unknown[][] = []
  ws.eachRow((r, n) => { if (n > 6) rows.push((r.values as unknown[]).slice(1)) })
  assert.deepEqual(rows.map((r) => [r[1], r[2], r[7], r[8], r[9], r[10], r[12], r[14]]), [
    ['某化工仓库', '风险点', '重大风险', 4, 4, 16, '', '渝北区应急局'],
    ['某加油站', '危险源', '一般风险', 2, 2, 4, '临近学校', '渝北区应急局'],
    ["'=HYPERLINK(\"http://x\",\"y\")", '风险点', '低风险', '', '', '', '', '渝北区应急局'],
    ['某立交桥', '风险点', '低风险', '', '', '', '', '渝北区交通局'],
  ])
  assert.equal(rows[2]![13], '每日巡查，储量不超过 10 吨')
  // Nothing in it is a formula.
  ws.eachRow((r) => r.eachCell((cell) => assert.notEqual(cell.type, ExcelJS.ValueType.Formula)))
  const leader = t.as(await createSession(t.db, { role: 'leader', username: 'leader' }))
  assert.equal((await leader.request('/api/risk/register.xlsx')).status, 403)
})
