import { test } from 'vitest'
import assert from 'node:assert/strict'
import { Fixture, smallCatalog, testApp } from '../helpers/app.js'
import { normaliseName } from '../../server/analysis/conflicts.js'

test('the coverage matrix has every sub-category × every department, with resources, features and monitoring data', async () => {
  const t = await smallCatalog()
  const { status, body } = await t.get('/api/analysis/coverage')
  assert.equal(status, 200)
  assert.deepEqual(body.departments.map((d: any) => d.name), ['渝北区应急局', '渝北区城市管理局', '渝北区发展改革委', '渝北区气象局'])
  const gas = body.rows.find((r: any) => r.code === 'gas')
  const cityCol = body.departments.findIndex((d: any) => d.id === t.ids.city)
  assert.deepEqual(gas.cells[cityCol], { resources: 2, features: 2, monitoringResources: 1, monitoringPoints: 0 })
  assert.equal(gas.covered, true)
  const hazard = body.rows.find((r: any) => r.code === 'hazard-source')
  const emCol = body.departments.findIndex((d: any) => d.id === t.ids.emergency)
  assert.deepEqual(hazard.cells[emCol], { resources: 1, features: 1, monitoringResources: 1, monitoringPoints: 1 })
  // Three sub-categories are covered; every other one is listed as uncovered.
  assert.deepEqual(body.rows.filter((r: any) => r.covered).map((r: any) => r.code).sort(), ['gas', 'hazard-source', 'hazardous-chemicals'])
  assert.equal(body.uncovered.length, body.rows.length - 3)
  assert.ok(body.uncovered.some((u: any) => u.name === '海洋'))
})

test('one-source conflicts fold width, spacing and case, but keep different words apart', () => {
  assert.equal(normaliseName('ＧＰＳ 坐标（经度）'), normaliseName('gps坐标(经度)'))
  assert.equal(normaliseName('企业　名称'), '企业名称')
  assert.notEqual(normaliseName('联系电话'), normaliseName('联系方式'))
})

test('the same data item or resource reported by two departments is listed with every source', async () => {
  const t = await testApp()
  const fx = new Fixture(t.db, t.locator)
  const traffic = await fx.department('渝北区交通局')
  const housing = await fx.department('渝北区住房城乡建设委')
  const tSys = await fx.system(traffic, '公路桥梁养护系统')
  const hSys = await fx.system(housing, '城市桥梁管理系统')
  const a = await fx.resource(tSys, '桥梁基础信息', { subcategory: 'bridge' })
  const b = await fx.resource(hSys, '桥梁基础信息 ', { subcategory: 'bridge' })
  await fx.items(a, ['桥梁名称', '联系电话', 'GPS坐标'])
  await fx.items(b, ['桥梁 名称', '联系方式', 'ｇｐｓ坐标'])
  // The same item name in another sub-category is a different datum by default.
  const c = await fx.resource(hSys, '燃气用户信息', { subcategory: 'gas' })
  await fx.items(c, ['联系电话'])
  const { body } = await t.get('/api/analysis/conflicts')
  assert.equal(body.scope, 'subcategory')
  assert.deepEqual(body.resources.map((r: any) => [r.name, r.sources.map((s: any) => `${s.departmentName}/${s.systemName}/${s.resourceName}`)]), [
    ['桥梁基础信息', ['渝北区交通局/公路桥梁养护系统/桥梁基础信息', '渝北区住房城乡建设委/城市桥梁管理系统/桥梁基础信息 ']],
  ])
  assert.deepEqual(body.items.map((i: any) => i.key).sort(), ['bridge|gps坐标', 'bridge|桥梁名称'])
  const gps = body.items.find((i: any) => i.key === 'bridge|gps坐标')
  assert.deepEqual(gps.sources.map((s: any) => s.asWritten).sort(), ['GPS坐标', 'ｇｐｓ坐标'])
  assert.equal(gps.departments, 2)
  // Across the whole catalog, 联系电话 now meets itself in two departments (but never 联系方式).
  const all = (await t.get('/api/analysis/conflicts?scope=all')).body
  const phone = all.items.find((i: any) => i.key === '联系电话')
  assert.deepEqual(phone.sources.map((s: any) => s.resourceName).sort(), ['桥梁基础信息', '燃气用户信息'])
  assert.equal(all.items.some((i: any) => i.key === '联系方式'), false)
  const bad = await t.get('/api/analysis/conflicts?scope=everything')
  assert.deepEqual([bad.status, bad.body.error.details.parameter], [400, 'scope'])
})

test('sharing gaps list 不予共享, file-only and non-sharing systems, each with its reasons, by department and domain', async () => {
  const t = await smallCatalog()
  const fx = new Fixture(t.db, t.locator)
  const closed = await fx.system(t.ids.city, '内部办公系统', { sharesData: false })
  const secret = await fx.resource(closed, '执法案卷', { subcategory: 'gas', sharingAttribute: 'none', provisionMode: 'file' })
  const { body } = await t.get('/api/analysis/sharing')
  assert.equal(body.gaps, 2)
  assert.deepEqual(body.byReason, { 'not-shared': 1, 'file-only': 2, 'system-not-sharing': 1 })
  const city = body.byDepartment.find((d: any) => d.departmentId === t.ids.city)
  assert.deepEqual(city.items.map((g: any) => [g.resourceId, g.reasons]).sort((a: any, b: any) => a[0] - b[0]), [
    [t.ids.gasAlarm, ['file-only']],
    [secret, ['not-shared', 'file-only', 'system-not-sharing']],
  ])
  assert.equal(body.byDepartment.find((d: any) => d.departmentId === t.ids.emergency).gaps, 0)
  const lifeline = body.byDomain.find((d: any) => d.code === 'lifeline')
  assert.deepEqual([lifeline.resources, lifeline.gaps], [3, 2])
  const bad = await t.get('/api/analysis/sharing?domain=nowhere')
  assert.deepEqual([bad.status, bad.body.error.details.parameter], [400, 'domain'])
})
