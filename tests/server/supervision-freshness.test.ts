import { test } from 'vitest'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { daysAgo, Fixture, smallCatalog, testApp, TEST_NOW } from '../helpers/app.js'

const MINUTE = 60_000
const DAY = 86_400_000

test('each resource shows its cycle, last real update, next due time, status and how long overdue', async () => {
  const t = await smallCatalog()
  const { status, body } = await t.get('/api/supervision/freshness')
  assert.equal(status, 200)
  const by = Object.fromEntries(body.resources.map((r: any) => [r.id, r]))
  const chem = by[t.ids.chem]
  assert.equal(chem.status, 'on-time')
  assert.equal(chem.lastUpdatedAt, daysAgo(10))
  assert.equal(chem.dueAt, new Date(Date.parse(daysAgo(10)) + 31 * DAY).toISOString())
  assert.equal(chem.overdueMs, 0)
  // 实时 is judged in minutes: last update two hours ago, due 15 minutes after it.
  const live = by[t.ids.chemLive]
  assert.equal(live.updateCycle, 'realtime')
  assert.equal(live.periodMs, 15 * MINUTE)
  assert.equal(live.status, 'overdue')
  assert.equal(live.overdueMs, 105 * MINUTE)
  // Never updated: no due time, and not "overdue" by some invented amount.
  assert.deepEqual([by[t.ids.gas].status, by[t.ids.gas].lastUpdatedAt, by[t.ids.gas].dueAt], ['never', null, null])
  // 不定期 is not judged.
  assert.deepEqual([by[t.ids.gasAlarm].status, by[t.ids.gasAlarm].periodMs], ['not-judged', null])
})

test('departments get an on-time rate, a rank, and the overdue resources with system, reporter and phone', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/supervision/freshness')
  const emergency = body.departments.find((d: any) => d.departmentId === t.ids.emergency)
  assert.equal(emergency.onTimeRate, 0.5)
  assert.equal(emergency.rank, 1)
  assert.deepEqual(emergency.overdue.map((r: any) => [r.name, r.systemName, r.filler, r.phone]),
    [['危险源实时监测', '危化品监管系统', '填报人', '023-67810000']])
  const city = body.departments.find((d: any) => d.departmentId === t.ids.city)
  assert.deepEqual([city.onTimeRate, city.rank, city.overdue.length, city.never.map((r: any) => r.name)], [0, 2, 0, ['燃气管网基础信息']])
  assert.equal(body.departments.find((d: any) => d.departmentId === t.ids.ndrc).rank, null)
})

test('the 12-month trend judges each month-end from the update log as it stood then', async () => {
  const t = await testApp()
  const fx = new Fixture(t.db, t.locator)
  const dept = await fx.department('渝北区林业局')
  const sys = await fx.system(dept, '林业资源管理系统')
  const res = await fx.resource(sys, '森林资源二类调查数据', { updateCycle: 'monthly' })
  await fx.update(res, daysAgo(100)) // 2026-03-07
  await fx.update(res, daysAgo(5)) // 2026-06-10
  const { body } = await t.get('/api/supervision/freshness')
  assert.equal(body.trend.months.length, 12)
  assert.deepEqual(body.trend.months.slice(-5), ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06'])
  const rates = body.trend.departments.find((d: any) => d.departmentId === dept).rates.slice(-5)
  // February: the resource had no update yet and was registered later, so nothing to judge.
  // March: updated on the 7th, on time; April and May: the March update had lapsed; June: updated again.
  assert.deepEqual(rates, [null, 1, 0, 0, 1])
  assert.deepEqual(body.trend.overall.slice(-5), [null, 1, 0, 0, 1])
})

test('the 督办清单 is an xlsx with a title, the department, the time and one row per overdue resource', async () => {
  const t = await smallCatalog()
  const fx = new Fixture(t.db, t.locator)
  // A resource name that a spreadsheet would run as a formula must arrive as text.
  const evil = await fx.resource(t.ids.chemSys, '=HYPERLINK("http://x","点我")', { updateCycle: 'daily' })
  await fx.update(evil, daysAgo(3))
  const res = await t.app.request(`/api/supervision/chase-list.xlsx?department=${t.ids.emergency}`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /spreadsheetml/)
  assert.match(res.headers.get('content-disposition') ?? '', /attachment/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
  const ws = wb.getWorksheet('督办清单')!
  assert.equal(ws.getCell('A1').value, '数据更新督办清单（渝北区应急局）')
  assert.deepEqual([ws.getCell('A2').value, ws.getCell('B2').value], ['部门', '渝北区应急局'])
  assert.deepEqual([ws.getCell('A3').value, ws.getCell('B3').value], ['生成时间', '2026-06-15 12:00'])
  const header = (ws.getRow(6).values as unknown[]).slice(1)
  assert.deepEqual(header, ['序号', '部门', '信息系统', '数据资源', '更新周期', '最近更新时间', '应更新时间', '逾期时长', '填报人', '联系电话'])
  const rows = [7, 8].map((n) => (ws.getRow(n).values as unknown[]).slice(1))
  // Most overdue first: the daily resource (2 days late) before the realtime one (1 h 45 min late).
  assert.deepEqual(rows.map((r) => [r[3], r[4], r[7], r[8], r[9]]), [
    [`'=HYPERLINK("http://x","点我")`, '每日', '2天', '填报人', '023-67810000'],
    ['危险源实时监测', '实时', '1小时45分钟', '填报人', '023-67810000'],
  ])
  assert.equal(ws.rowCount, 8)
})

test('bad filter parameters are 400 naming the parameter', async () => {
  const t = await smallCatalog()
  for (const [q, parameter] of [['department=abc', 'department'], ['department=999', 'department'], ['updateCycle=hourly', 'updateCycle']]) {
    const { status, body } = await t.get(`/api/supervision/freshness?${q}`)
    assert.equal(status, 400, q)
    assert.equal(body.error.details.parameter, parameter, q)
  }
  const res = await t.app.request('/api/supervision/chase-list.xlsx?department=0')
  assert.equal(res.status, 400)
  assert.equal(((await res.json()) as any).error.details.parameter, 'department')
})

test('the current month of the trend is judged now, not at the month-end still to come', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/supervision/freshness')
  const emergency = body.trend.departments.find((d: any) => d.departmentId === t.ids.emergency)
  assert.equal(emergency.rates.at(-1), 0.5)
  assert.equal(body.generatedAt, TEST_NOW.toISOString())
})
