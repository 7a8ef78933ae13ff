import { createSession, Fixture, testApp, YUBEI_A, YUBEI_B, daysAgo } from './app.js'

/** 应急局 with a hazardous-chemicals resource of two risk points and a protection target; 交通局 with a bridge risk point. */
export async function graded(options: Parameters<typeof testApp>[0] = {}) {
  const t = await testApp(options)
  const fx = new Fixture(t.db, t.locator)
  const emergency = await fx.department('渝北区应急局')
  const transport = await fx.department('渝北区交通局')
  const chem = await fx.resource(await fx.system(emergency, '危化品监管系统'), '危险化学品风险点', { subcategory: 'hazardous-chemicals' })
  const bridges = await fx.resource(await fx.system(transport, '桥梁监测系统'), '桥梁风险点', { subcategory: 'bridge' })
  await fx.features([
    { resourceId: chem, kind: 'risk-point', name: '某化工仓库', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: daysAgo(1) },
    { resourceId: chem, kind: 'hazard-source', name: '某加油站', geometry: { type: 'Point', coordinates: YUBEI_B }, riskLevel: 'yellow', updatedAt: daysAgo(1) },
    { resourceId: chem, kind: 'protection-target', name: '某小学', geometry: { type: 'Point', coordinates: YUBEI_B }, updatedAt: daysAgo(1) },
    { resourceId: bridges, kind: 'risk-point', name: '某立交桥', geometry: { type: 'Point', coordinates: YUBEI_A }, riskLevel: 'blue', updatedAt: daysAgo(1) },
  ])
  const id = async (name: string) => Number((await t.db.kysely.selectFrom('features').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id)
  const reporter = t.as(await createSession(t.db, { role: 'reporter', departmentId: emergency, username: 'chem-officer' }))
  const post = (as: ReturnType<typeof t.as>, featureId: number, body: unknown) =>
    as.request(`/api/features/${featureId}/assessments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const level = async (featureId: number) => (await t.db.kysely.selectFrom('features').select('risk_level').where('id', '=', featureId).executeTakeFirstOrThrow()).risk_level
  return { ...t, fx, emergency, transport, chem, bridges, id, reporter, post, level, warehouse: await id('某化工仓库'), station: await id('某加油站'), school: await id('某小学'), bridge: await id('某立交桥') }
}

