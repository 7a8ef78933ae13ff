import { expect, test } from 'vitest'
import { runningWorkerTasks } from '../../server/http/worker-task.js'
import { TEST_NOW, YUBEI_A, daysAgo, onOwnDatabase, tileNames } from '../helpers/app.js'
import { annex3Workbook, upload } from '../helpers/forms.js'

/** Waits until a worker thread runs `module`, or the promise settles first. */
async function workerRuns(module: string, pending: Promise<unknown>): Promise<boolean> {
  let settled = false
  void pending.finally(() => { settled = true })
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && !settled; await new Promise((r) => setTimeout(r, 5))) {
    if (runningWorkerTasks().some((t) => t.module === module)) return true
  }
  return false
}

test('a geodata import is read and written by a worker thread with its own connection: the server answers meanwhile, and the tiles move from the old features to the new all at once', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '旧储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    const names = async () => new Set(await tileNames(app, YUBEI_A, 16))
    expect([...await names()]).toEqual(['旧储罐'])

    // 30,000 points in a 2 km square, three of them inside the tile above.
    const features = Array.from({ length: 30_000 }, (_, i) => ({
      type: 'Feature', properties: { 名称: i < 3 ? `新储罐${i}` : `要素${i}` },
      geometry: { type: 'Point', coordinates: i < 3 ? [YUBEI_A[0] + i * 1e-5, YUBEI_A[1]] : [YUBEI_A[0] + 0.005 + (i % 173) * 1e-4, YUBEI_A[1] + 0.005 + Math.floor(i / 173) * 1e-4] },
    }))
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }))
    const preview = await upload(app, `/api/resources/${resource}/geodata/preview`, file, 'tanks.geojson')
    expect(preview.status).toBe(200)
    expect(preview.body.problemCount).toBe(0)

    const importing = upload(app, `/api/resources/${resource}/geodata/import`, file, 'tanks.geojson', { planHash: preview.body.planHash })
    expect(await workerRuns('geodata/import-worker', importing)).toBe(true)
    // The event loop is free while the worker writes: other requests are answered before the import ends.
    const meta = await app.request('/api/meta')
    expect(meta.status).toBe(200)
    expect(runningWorkerTasks().map((t) => t.module)).toContain('geodata/import-worker')

    const done = await importing
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ resourceId: resource, inserted: 30_000, removed: 1 })
    const stored = await db.kysely.selectFrom('features').select(db.kysely.fn.countAll<number>().as('n')).where('resource_id', '=', resource).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(30_000)

    // Each tile shows one version of the data, the old or the new, never a mixture; the new one soon.
    let drawn = await names()
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && !drawn.has('新储罐0'); await new Promise((r) => setTimeout(r, 200))) {
      expect(drawn.has('旧储罐') && drawn.has('新储罐0')).toBe(false)
      drawn = await names()
    }
    expect(drawn.has('旧储罐')).toBe(false)
    expect(drawn.has('新储罐0')).toBe(true)
  })
}, 90_000)

test('an import whose resource changed while the file was being read writes nothing and asks for a new preview', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区应急局'), '危化品监管系统')
    const resource = await fx.resource(system, '危险化学品企业基础信息', { subcategory: 'hazardous-chemicals' })
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '旧储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'red', updatedAt: daysAgo(1) }])
    const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { 名称: '新储罐' }, geometry: { type: 'Point', coordinates: YUBEI_A } }] }))
    const preview = await upload(app, `/api/resources/${resource}/geodata/preview`, file, 'tanks.geojson')
    expect(preview.status).toBe(200)
    await fx.features([{ resourceId: resource, kind: 'hazard-source', name: '另一储罐', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: daysAgo(0) }])
    const done = await upload(app, `/api/resources/${resource}/geodata/import`, file, 'tanks.geojson', { planHash: preview.body.planHash })
    expect(done.status).toBe(409)
    expect(done.body.error.code).toBe('plan_changed')
    expect(done.body.error.details.preview.existingFeatures).toBe(2)
    const names = (await db.kysely.selectFrom('features').select('name').where('resource_id', '=', resource).orderBy('name').execute()).map((r) => r.name)
    expect(names).toEqual(['另一储罐', '旧储罐'])
  })
}, 60_000)

test('a confirmed form is planned again and written by a worker thread: the server answers meanwhile, and the removed resource takes its features with it', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const department = await fx.department('渝北区应急局')
    const system = await fx.system(department, '危化品监管系统')
    const old = await fx.resource(system, '旧的企业名录', { subcategory: 'hazardous-chemicals' })
    await fx.features(Array.from({ length: 20_000 }, (_, i) => ({
      resourceId: old, kind: 'hazard-source' as const, name: `企业${i}`, geometry: { type: 'Point' as const, coordinates: [YUBEI_A[0] + (i % 150) * 1e-4, YUBEI_A[1] + Math.floor(i / 150) * 1e-4] as [number, number] },
      riskLevel: 'blue' as const, updatedAt: daysAgo(3),
    })))
    // The department's whole answer: one resource, not the old one.
    const form = await annex3Workbook([
      ['渝北区应急局', '危化品监管系统', '危险源安全', '危险源实时监测', '接口', '监测值', 'C', 50, '实时'],
      ['渝北区应急局', '危化品监管系统', '危险源安全', '危险源实时监测', '接口', '采集时间', 'C', 50, '实时'],
    ], { footer: { 填报人: '填报人', 联系电话: '023-67810000' } })
    const preview = await upload(app, '/api/forms/resources/preview', form, 'form.xlsx', { department: String(department) })
    expect(preview.status).toBe(200)
    expect(preview.body.summary).toMatchObject({ added: 1, removed: 1 })

    const importing = upload(app, '/api/forms/resources/import', form, 'form.xlsx', { department: String(department), planHash: preview.body.planHash })
    expect(await workerRuns('forms/import-worker', importing)).toBe(true)
    expect((await app.request('/api/meta')).status).toBe(200)
    expect(runningWorkerTasks().map((t) => t.module)).toContain('forms/import-worker')
    const done = await importing
    expect(done.status).toBe(200)

    const resources = (await db.kysely.selectFrom('resources').select('name').where('department_id', '=', department).execute()).map((r) => r.name)
    expect(resources).toEqual(['危险源实时监测'])
    const left = await db.kysely.selectFrom('features').select(db.kysely.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(left.n)).toBe(0)
    const search = await app.request(`/api/resources?department=${department}`)
    expect(((await search.json()) as { items: { name: string }[] }).items.map((r: { name: string }) => r.name)).toEqual(['危险源实时监测'])
  })
}, 90_000)

test('a large report of a department\'s system is parsed, checked and recorded by a worker thread; its refusals are the same as in the request', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区城市管理局'), '燃气监管平台')
    const resource = await fx.resource(system, '燃气管网监测点', { subcategory: 'gas' })
    const issued = await app.request(`/api/systems/${system}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: '对接' }) })
    expect(issued.status).toBe(201)
    const { key } = (await issued.json()) as { key: string }
    const report = (features: unknown[]) => app.request('/api/ingest/updates', {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ resourceId: resource, updatedAt: TEST_NOW.toISOString(), recordCount: features.length, features: { type: 'FeatureCollection', features } }),
    })
    const points = Array.from({ length: 5_000 }, (_, i) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [YUBEI_A[0] + (i % 100) * 1e-4, YUBEI_A[1] + Math.floor(i / 100) * 1e-4] },
      properties: { kind: 'monitoring-point', name: `监测点${i}`, 安装位置: '管网节点' },
    }))

    const bad = structuredClone(points)
    bad[4321]!.geometry.coordinates = [200, 30]
    const refused = await report(bad)
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { code: string; details: { index: number } } }).error).toMatchObject({ code: 'invalid_feature', details: { index: 4321 } })

    const sending = report(points)
    expect(await workerRuns('ingest/report-worker', sending)).toBe(true)
    expect((await app.request('/api/meta')).status).toBe(200)
    const res = await sending
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ resourceId: resource, inserted: 5_000, replaced: 0 })
    const stored = await db.kysely.selectFrom('features').select(db.kysely.fn.countAll<number>().as('n')).where('resource_id', '=', resource).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(5_000)
  })
}, 90_000)

test('on SQLite a batch of sensor readings is stored by a worker thread with its own connection, and raises its alarm', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const system = await fx.system(await fx.department('渝北区城市管理局'), '燃气监管平台')
    const resource = await fx.resource(system, '燃气泄漏实时监测', { subcategory: 'gas', purpose: 'monitoring' })
    await fx.features(Array.from({ length: 2000 }, (_, i) => ({
      resourceId: resource, kind: 'monitoring-point' as const, name: `燃气阀井甲烷监测点${i}`, geometry: { type: 'Point' as const, coordinates: [YUBEI_A[0] + (i % 50) * 1e-4, YUBEI_A[1] + Math.floor(i / 50) * 1e-4] }, updatedAt: daysAgo(1),
    })))
    const ids = (await db.kysely.selectFrom('features').select('id').orderBy('id').execute()).map((r) => Number(r.id))
    const key = ((await (await app.request(`/api/systems/${system}/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { key: string }).key
    const readings = ids.map((id, i) => ({ point: id, channel: 'gas', value: i === 0 ? 55 : 1, at: TEST_NOW.toISOString() }))
    const sending = app.request('/api/ingest/readings', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ readings }) })
    const isPostgres = db.engine === 'postgres'
    // PostgreSQL's queries do not hold the server's thread: the batch is taken there.
    if (!isPostgres) expect(await workerRuns('monitoring/intake-worker', sending)).toBe(true)
    const res = await sending
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 2000, rejected: 0, alarms: { raised: 1 } })
    const stored = await db.kysely.selectFrom('readings').select(db.kysely.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(stored.n)).toBe(2000)
    const alarms = (await (await app.request('/api/alarms')).json()) as { items: { featureId: number; level: string }[] }
    expect(alarms.items.map((a) => [a.featureId, a.level])).toEqual([[ids[0], 'red']])
  })
}, 60_000)

test('on SQLite a model change re-grades its points in a worker thread with its own connection, and the map follows', async () => {
  await onOwnDatabase(async ({ db, app, fx }) => {
    const resource = await fx.resource(await fx.system(await fx.department('渝北区应急局'), '危化品监管系统'), '危险化学品风险点', { subcategory: 'hazardous-chemicals' })
    await fx.features(Array.from({ length: 5000 }, (_, i) => ({
      resourceId: resource, kind: 'risk-point' as const, name: `风险点${i}`, riskLevel: 'yellow' as const, updatedAt: daysAgo(1),
      geometry: { type: 'Point' as const, coordinates: [YUBEI_A[0] + (i % 70) * 1e-4, YUBEI_A[1] + Math.floor(i / 70) * 1e-4] },
    })))
    // Every point assessed 3 × 3 (一般) with the default model.
    const model = await db.kysely.selectFrom('risk_models').select('id').executeTakeFirstOrThrow()
    const ids = (await db.kysely.selectFrom('features').select('id').execute()).map((r) => Number(r.id))
    for (let i = 0; i < ids.length; i += 1000) {
      await db.kysely.insertInto('risk_assessments').values(ids.slice(i, i + 1000).map((id) => ({
        feature_id: id, model_id: Number(model.id), inputs: JSON.stringify({ kind: 'matrix', likelihood: 3, consequence: 3 }), computed_level: 'yellow', score: 9,
        likelihood: 3, consequence: 3, level: 'yellow', cause: 'manual', assessed_at: TEST_NOW.toISOString(),
      }))).execute()
    }
    const { DEFAULT_MATRIX } = await import('../../server/domain/risk-grading.js')
    const cells = DEFAULT_MATRIX.cells.map((r) => [...r])
    cells[2]![2] = 'orange'
    const changing = app.request('/api/risk-models/default', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ config: { ...DEFAULT_MATRIX, cells } }) })
    if (db.engine === 'sqlite') expect(await workerRuns('grading/regrade-worker', changing)).toBe(true)
    const res = await changing
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ regraded: 5000, changed: 5000, needReassessment: 0 })
    const levels = await db.kysely.selectFrom('features').select((eb) => [eb.fn.countAll<number>().as('n'), 'risk_level']).groupBy('risk_level').execute()
    expect(levels.map((l) => [l.risk_level, Number(l.n)])).toEqual([['orange', 5000]])
  })
}, 120_000)
