import { test } from 'vitest'
import assert from 'node:assert/strict'
import { smallCatalog, testApp } from '../helpers/app.js'

test('meta lists the four annex-1 domains with their sub-categories, items and every enumeration', async () => {
  const t = await testApp()
  const { status, body } = await t.get('/api/meta')
  assert.equal(status, 200)
  assert.deepEqual(body.domains.map((d: any) => d.name), ['城市生命线工程安全', '公共安全', '生产安全', '自然灾害'])
  const gas = body.domains[0].subcategories.find((s: any) => s.code === 'gas')
  assert.equal(gas.category, '燃气管网安全')
  assert.deepEqual(gas.items, ['长输管道', '城镇燃气管网', '燃气非居民用户', '燃气居民用户'])
  assert.equal(body.domains.flatMap((d: any) => d.subcategories).length, 24)
  assert.deepEqual(body.enums.dataTypes.map((e: any) => e.code), ['C', 'N', 'Y', 'T', 'L', 'M', 'G'])
  assert.deepEqual(body.enums.updateCycles.map((e: any) => e.label), ['实时', '每日', '每周', '每月', '每季度', '每半年', '每年', '不定期', '其他'])
  assert.deepEqual(body.enums.sensitivities.map((e: any) => e.label), ['公开', '内部', '受限'])
  assert.equal(body.demo, false)
})

test('departments carry their counts and reporting status, including "reported: no systems" apart from "not reported"', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/departments')
  const byName = Object.fromEntries(body.items.map((d: any) => [d.name, d]))
  assert.equal(byName['渝北区应急局'].systemCount, 1)
  assert.equal(byName['渝北区应急局'].resourceCount, 2)
  assert.equal(byName['渝北区应急局'].itemCount, 5)
  assert.equal(byName['渝北区应急局'].featureCount, 3)
  assert.equal(byName['渝北区应急局'].reportStatus, 'resources-reported')
  assert.equal(byName['渝北区城市管理局'].reportStatus, 'late')
  assert.equal(byName['渝北区发展改革委'].reportStatus, 'no-systems')
  assert.equal(byName['渝北区气象局'].reportStatus, 'not-started')
})

test('under a filter a department counts only its matching resources, with their systems, items and features', async () => {
  const t = await smallCatalog()
  const { body } = await t.get('/api/departments?q=' + encodeURIComponent('危险源实时'))
  assert.deepEqual(body.items.map((d: any) => [d.name, d.systemCount, d.resourceCount, d.itemCount, d.featureCount, d.reportStatus]),
    [['渝北区应急局', 1, 1, 2, 1, 'resources-reported']])
  const gas = await t.get('/api/departments?subcategory=gas')
  assert.deepEqual(gas.body.items.map((d: any) => [d.name, d.resourceCount, d.itemCount, d.featureCount]), [['渝北区城市管理局', 2, 2, 2]])
  assert.deepEqual((await t.get('/api/departments?q=' + encodeURIComponent('不存在的资源名称'))).body.items, [])
})

test('a department drills down to its systems, freshness and coverage', async () => {
  const t = await smallCatalog()
  const { status, body } = await t.get(`/api/departments/${t.ids.emergency}`)
  assert.equal(status, 200)
  assert.deepEqual(body.systems.map((s: any) => s.name), ['危化品监管系统'])
  assert.equal(body.systems[0].resourceCount, 2)
  assert.deepEqual(body.systems[0].networks, ['gov-extranet'])
  assert.deepEqual(body.freshness.counts, { 'on-time': 1, 'due-soon': 0, overdue: 1, never: 0, 'not-judged': 0 })
  assert.equal(body.freshness.onTimeRate, 0.5)
  assert.deepEqual(body.coverage.map((c: any) => c.subcategoryCode).sort(), ['hazard-source', 'hazardous-chemicals'])
  assert.equal(body.report.status, 'resources-reported')
  assert.ok(Array.isArray(body.bbox) && body.bbox.length === 4)
})

test('a system lists its resources; a resource lists its items and update history, newest first', async () => {
  const t = await smallCatalog()
  const sys = await t.get(`/api/systems/${t.ids.chemSys}`)
  assert.deepEqual(sys.body.resources.map((r: any) => r.name).sort(), ['危险化学品企业基础信息', '危险源实时监测'])
  const res = await t.get(`/api/resources/${t.ids.chem}`)
  assert.equal(res.status, 200)
  assert.equal(res.body.resource.category, '危险化学品安全')
  assert.deepEqual(res.body.items.map((i: any) => [i.name, i.dataType, i.length]), [['企业名称', 'C', 50], ['统一社会信用代码', 'C', 50], ['联系电话', 'C', 50]])
  assert.deepEqual(res.body.updates.map((u: any) => u.recordCount), [250, 100])
  assert.equal(res.body.resource.freshness.status, 'on-time')
  assert.equal(res.body.resource.itemCount, 3)
  assert.equal(res.body.resource.featureCount, 2)
})

test('resources filter by domain, sub-category, department, cycle, sharing mode, sensitivity and freshness', async () => {
  const t = await smallCatalog()
  const names = async (q: string) => (await t.get(`/api/resources?${q}`)).body.items.map((r: any) => r.name).sort()
  assert.deepEqual(await names('domain=production'), ['危险化学品企业基础信息'])
  assert.deepEqual(await names('domain=production,public'), ['危险化学品企业基础信息', '危险源实时监测'])
  assert.deepEqual(await names('subcategory=gas'), ['燃气泄漏报警记录', '燃气管网基础信息'])
  assert.deepEqual(await names(`department=${t.ids.emergency}`), ['危险化学品企业基础信息', '危险源实时监测'])
  assert.deepEqual(await names('updateCycle=realtime'), ['危险源实时监测'])
  assert.deepEqual(await names('sharingMode=file'), ['燃气泄漏报警记录'])
  assert.deepEqual(await names('sensitivity=public'), ['燃气管网基础信息'])
  assert.deepEqual(await names('freshness=overdue'), ['危险源实时监测'])
  assert.deepEqual(await names('freshness=never'), ['燃气管网基础信息'])
  assert.deepEqual(await names('freshness=not-judged'), ['燃气泄漏报警记录'])
  assert.deepEqual(await names('kind=hazard-source'), ['危险化学品企业基础信息'])
  assert.deepEqual(await names('risk=red'), ['危险化学品企业基础信息'])
})

test('text search finds resources by their own, their system\'s and their items\' names, in Chinese of any length', async () => {
  const t = await smallCatalog()
  const names = async (q: string) => (await t.get(`/api/resources?q=${encodeURIComponent(q)}`)).body.items.map((r: any) => r.name).sort()
  assert.deepEqual(await names('燃气'), ['燃气泄漏报警记录', '燃气管网基础信息'])
  assert.deepEqual(await names('信用代码'), ['危险化学品企业基础信息'])
  assert.deepEqual(await names('危化品监管'), ['危险化学品企业基础信息', '危险源实时监测'])
  assert.deepEqual(await names('管径'), ['燃气管网基础信息'])
  assert.deepEqual(await names('100%'), [])
  const search = await t.get(`/api/search?q=${encodeURIComponent('电话')}`)
  assert.deepEqual(search.body.results.map((r: any) => [r.type, r.title]), [['item', '联系电话']])
  assert.equal(search.body.results[0].resourceId, t.ids.chem)
})

test('lists page with total, and items list data items across resources', async () => {
  const t = await smallCatalog()
  const p1 = await t.get('/api/resources?pageSize=3&page=1')
  const p2 = await t.get('/api/resources?pageSize=3&page=2')
  assert.equal(p1.body.total, 4)
  assert.equal(p1.body.items.length, 3)
  assert.equal(p2.body.items.length, 1)
  const items = await t.get(`/api/items?q=${encodeURIComponent('名称')}`)
  assert.deepEqual(items.body.items.map((i: any) => [i.name, i.resourceName, i.departmentName]), [['企业名称', '危险化学品企业基础信息', '渝北区应急局']])
  const all = await t.get('/api/items?domain=lifeline')
  assert.equal(all.body.total, 2)
})

test('bad parameters get 400 naming the parameter; unknown ids get 404; never a 500', async () => {
  const t = await smallCatalog()
  const cases: [string, number, string][] = [
    ['/api/resources?domain=ocean', 400, 'domain'],
    ['/api/resources?subcategory=gas,nope', 400, 'subcategory'],
    ['/api/resources?department=999', 400, 'department'],
    ['/api/resources?department=abc', 400, 'department'],
    ['/api/resources?updateCycle=hourly', 400, 'updateCycle'],
    ['/api/resources?sensitivity=secret', 400, 'sensitivity'],
    ['/api/resources?freshness=stale', 400, 'freshness'],
    ['/api/resources?pageSize=501', 400, 'pageSize'],
    ['/api/resources?page=0', 400, 'page'],
    ['/api/resources?q=' + 'x'.repeat(101), 400, 'q'],
    ['/api/search?q=', 400, 'q'],
    ['/api/search?q=a&limit=1000', 400, 'limit'],
  ]
  for (const [path, status, parameter] of cases) {
    const r = await t.get(path)
    assert.equal(r.status, status, path)
    assert.equal(r.body.error.code, 'invalid_parameter', path)
    assert.equal(r.body.error.details.parameter, parameter, path)
    assert.match(r.body.error.message, new RegExp(parameter), path)
  }
  for (const path of ['/api/departments/999', '/api/systems/999', '/api/resources/999', '/api/features/999']) {
    const r = await t.get(path)
    assert.equal(r.status, 404, path)
    assert.equal(r.body.error.code, 'not_found')
  }
  const bad = await t.get('/api/resources/abc')
  assert.equal(bad.status, 400)
  const none = await t.get('/api/nothing-here')
  assert.equal(none.status, 404)
  assert.equal(none.body.error.code, 'not_found')
})
