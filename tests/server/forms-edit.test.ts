import assert from 'node:assert/strict'
import { test } from 'vitest'
import { smallCatalog, TEST_NOW } from '../helpers/app.js'

type Catalog = Awaited<ReturnType<typeof smallCatalog>>

async function send(t: Catalog, method: string, path: string, body?: unknown) {
  const res = await t.app.request(path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }
}

const SYSTEM = {
  name: '应急物资管理系统', buildLevel: 'district', builder: '区应急局', operator: '区应急局', deployment: 'gov-cloud', runStatus: 'maintained',
  securityLevel: 'level2', sharesData: true, sharingModes: ['api', 'file'], networks: ['gov-extranet'], reviewer: '李四', filler: '张三',
  phone: '023-67810000', filledAt: '2022-03-20',
}
const RESOURCE = {
  name: '应急物资储备库', subcategoryCode: 'hazard-source', provisionMode: 'api', updateCycle: 'monthly', subjectClass: 'place', purpose: 'basic',
  sharingAttribute: 'conditional', sensitivity: 'internal', items: [{ name: '库名', dataType: 'C', length: 50 }, { name: '容量', dataType: 'N', length: 10 }],
}

test('systems are created, changed and deleted on screen with the form rules', async () => {
  const t = await smallCatalog()
  const created = await send(t, 'POST', `/api/departments/${t.ids.emergency}/systems`, SYSTEM)
  assert.equal(created.status, 201)
  const detail = await t.get(`/api/systems/${created.body.id}`)
  assert.equal(detail.body.system.name, '应急物资管理系统')
  assert.deepEqual(detail.body.system.sharingModes, ['api', 'file'])
  const dup = await send(t, 'POST', `/api/departments/${t.ids.emergency}/systems`, { ...SYSTEM, name: ' 危化品监管系统 ' })
  assert.equal(dup.status, 400)
  assert.equal(dup.body.error.details.parameter, 'name')
  assert.match(dup.body.error.message, /系统名称「危化品监管系统」在本部门已存在/)
  const noModes = await send(t, 'PUT', `/api/systems/${created.body.id}`, { ...SYSTEM, sharingModes: [] })
  assert.equal(noModes.status, 400)
  assert.equal(noModes.body.error.details.parameter, 'sharingModes')
  assert.match(noModes.body.error.message, /须填写提供数据方式/)
  const badPhone = await send(t, 'PUT', `/api/systems/${created.body.id}`, { ...SYSTEM, phone: '电话' })
  assert.match(badPhone.body.error.message, /联系电话不是有效的电话号码/)
  const missing = await send(t, 'POST', `/api/departments/${t.ids.emergency}/systems`, { name: '  ' })
  assert.equal(missing.status, 400)
  const params = missing.body.error.details.issues.map((i: any) => i.parameter)
  for (const p of ['name', 'buildLevel', 'deployment', 'runStatus', 'securityLevel', 'sharesData', 'networks']) assert.ok(params.includes(p), p)
  assert.match(missing.body.error.details.issues[0].message, /缺少必填项「系统名称」/)
  // A system with resources stays district-built: annex 3 holds only district systems' resources.
  const upgrade = await send(t, 'PUT', `/api/systems/${t.ids.chemSys}`, { ...SYSTEM, name: '危化品监管系统', buildLevel: 'municipal' })
  assert.equal(upgrade.status, 400)
  assert.match(upgrade.body.error.message, /已登记 2 项数据资源，建设方式须为区级建设/)
  const renamed = await send(t, 'PUT', `/api/systems/${created.body.id}`, { ...SYSTEM, name: '应急物资保障系统' })
  assert.equal(renamed.status, 200)
  assert.equal((await t.get(`/api/systems/${created.body.id}`)).body.system.name, '应急物资保障系统')
  const removed = await send(t, 'DELETE', `/api/systems/${t.ids.chemSys}`)
  assert.deepEqual(removed.body, { id: t.ids.chemSys, removedResources: 2, removedFeatures: 3 })
  assert.equal((await t.get(`/api/resources/${t.ids.chem}`)).status, 404)
  assert.equal((await send(t, 'DELETE', `/api/systems/${t.ids.chemSys}`)).status, 404)
})

test('resources and their items are edited on screen; content changes enter the update history', async () => {
  const t = await smallCatalog()
  const created = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, RESOURCE)
  assert.equal(created.status, 201)
  const id = created.body.id
  const items = await t.get(`/api/items?resource=${id}`)
  assert.deepEqual(items.body.items.map((i: any) => i.name), ['库名', '容量'])
  const changed = await send(t, 'PUT', `/api/resources/${id}`, { ...RESOURCE, sensitivity: 'restricted', items: [{ name: '库名', dataType: 'C', length: 80 }, { name: '地址', dataType: 'C', length: 200 }] })
  assert.equal(changed.status, 200)
  assert.equal(changed.body.changed, true)
  const detail = await t.get(`/api/resources/${id}`)
  assert.equal(detail.body.resource.sensitivity, 'restricted')
  assert.deepEqual((await t.get(`/api/items?resource=${id}`)).body.items.map((i: any) => [i.name, i.length]), [['库名', 80], ['地址', 200]])
  const history = await t.db.kysely.selectFrom('resource_updates').select(['source', 'note', 'updated_at']).where('resource_id', '=', id).orderBy('id').execute()
  assert.deepEqual(history.map((h) => h.source), ['manual', 'manual'])
  assert.match(history[1].note, /在线编辑：新增数据项 1 个；修改数据项 1 个；删除数据项 1 个/)
  assert.equal(history[1].updated_at, TEST_NOW.toISOString())
  // Only a sensitivity change: saved, but not a data update.
  const extrasOnly = await send(t, 'PUT', `/api/resources/${id}`, { ...RESOURCE, sensitivity: 'public', items: [{ name: '库名', dataType: 'C', length: 80 }, { name: '地址', dataType: 'C', length: 200 }] })
  assert.equal(extrasOnly.body.changed, false)
  assert.equal((await t.get(`/api/resources/${id}`)).body.resource.sensitivity, 'public')
  assert.equal(Number((await t.db.kysely.selectFrom('resource_updates').select((eb) => eb.fn.countAll().as('n')).where('resource_id', '=', id).executeTakeFirstOrThrow()).n), 2)
  const removed = await send(t, 'DELETE', `/api/resources/${id}`)
  assert.equal(removed.status, 200)
  assert.equal((await t.get(`/api/resources/${id}`)).status, 404)
})

test('resource edits get the same checks as the form, each naming its field', async () => {
  const t = await smallCatalog()
  const upper = await t.fx.system(t.ids.emergency, '国家应急指挥平台', { buildLevel: 'national' })
  const onUpper = await send(t, 'POST', `/api/systems/${upper}/resources`, RESOURCE)
  assert.equal(onUpper.status, 400)
  assert.match(onUpper.body.error.message, /为「国家建设」系统；只能为区级建设业务系统登记数据资源/)
  const dupName = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, { ...RESOURCE, name: '危险化学品企业基础信息' })
  assert.match(dupName.body.error.message, /该系统下已有名为「危险化学品企业基础信息」的数据资源/)
  const dupItem = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, { ...RESOURCE, items: [{ name: '库名', dataType: 'C', length: 5 }, { name: '库 名', dataType: 'C', length: 5 }] })
  assert.equal(dupItem.body.error.details.parameter, 'items.1.name')
  assert.match(dupItem.body.error.message, /数据项「库 名」重复（第 1 项已填写）/)
  const badLength = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, { ...RESOURCE, items: [{ name: '库名', dataType: 'C', length: 0 }] })
  assert.equal(badLength.body.error.details.parameter, 'items.0.length')
  assert.match(badLength.body.error.message, /数据长度须为正整数/)
  const noItems = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, { ...RESOURCE, items: [] })
  assert.match(noItems.body.error.message, /至少要有一个数据项/)
  const badCategory = await send(t, 'POST', `/api/systems/${t.ids.chemSys}/resources`, { ...RESOURCE, subcategoryCode: 'nope' })
  assert.match(badCategory.body.error.message, /未知的数据资源所属类别「nope」/)
  const otherDept = await send(t, 'PUT', `/api/resources/${t.ids.chem}`, { ...RESOURCE, systemId: t.ids.gasSys })
  assert.equal(otherDept.body.error.details.parameter, 'systemId')
  assert.equal((await send(t, 'PUT', '/api/resources/99999', RESOURCE)).status, 404)
  assert.equal((await send(t, 'POST', '/api/departments/abc/systems', SYSTEM)).status, 400)
})

test('survey rounds: created with two deadlines and departments, progress per department, bad input named', async () => {
  const t = await smallCatalog()
  const body = { title: '2026年第二季度摸排', systemsDeadline: '2026-06-20T12:00+08:00', resourcesDeadline: '2026-06-28T18:00+08:00', departmentIds: [t.ids.emergency, t.ids.city] }
  const created = await send(t, 'POST', '/api/survey-rounds', body)
  assert.equal(created.status, 201)
  assert.equal(created.body.round.systemsDeadline, '2026-06-20T04:00:00.000Z')
  assert.deepEqual(created.body.reports.map((r: any) => [r.departmentName, r.status]), [['渝北区应急局', 'not-started'], ['渝北区城市管理局', 'not-started']])
  // The newest round is the current one: the department page shows its status.
  assert.equal((await t.get(`/api/departments/${t.ids.emergency}`)).body.report.status, 'not-started')
  const list = await t.get('/api/survey-rounds')
  assert.equal(list.body.items[0].title, '2026年第二季度摸排')
  const updated = await send(t, 'PUT', `/api/survey-rounds/${created.body.round.id}`, { ...body, departmentIds: [t.ids.emergency, t.ids.weather] })
  assert.deepEqual(updated.body.reports.map((r: any) => r.departmentName), ['渝北区应急局', '渝北区气象局'])
  const backwards = await send(t, 'POST', '/api/survey-rounds', { ...body, resourcesDeadline: '2026-06-01T00:00+08:00' })
  assert.equal(backwards.status, 400)
  assert.equal(backwards.body.error.details.parameter, 'resourcesDeadline')
  const noZone = await send(t, 'POST', '/api/survey-rounds', { ...body, systemsDeadline: '2026-06-20 12:00' })
  assert.equal(noZone.body.error.details.parameter, 'systemsDeadline')
  const unknown = await send(t, 'POST', '/api/survey-rounds', { ...body, departmentIds: [999] })
  assert.equal(unknown.body.error.details.parameter, 'departmentIds')
  assert.equal((await t.get('/api/survey-rounds/999')).status, 404)
})
