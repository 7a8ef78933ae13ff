import { test } from 'vitest'
import assert from 'node:assert/strict'
import { YUBEI_A, daysAgo } from '../helpers/app.js'
import { monitored } from '../helpers/monitoring.js'

test('a confirmed alarm raises the likelihood of the risk points near it, recorded with the alarm as the reason, until the alarm is closed', async () => {
  const t = await monitored()
  const chem = await t.fx.resource(t.chemSys, '危险化学品风险点', { subcategory: 'hazardous-chemicals' })
  // ~110 m north of the gas point, and ~5.5 km away.
  await t.fx.features([
    { resourceId: chem, kind: 'risk-point', name: '近处加气站', geometry: { type: 'Point', coordinates: [YUBEI_A[0], YUBEI_A[1] + 0.001] }, riskLevel: 'blue', updatedAt: daysAgo(1) },
    { resourceId: chem, kind: 'risk-point', name: '远处仓库', geometry: { type: 'Point', coordinates: [YUBEI_A[0], YUBEI_A[1] + 0.05] }, riskLevel: 'blue', updatedAt: daysAgo(1) },
  ])
  const id = async (name: string) => Number((await t.db.kysely.selectFrom('features').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id)
  const near = await id('近处加气站')
  const far = await id('远处仓库')
  const assess = (featureId: number) => t.app.request(`/api/features/${featureId}/assessments`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: { kind: 'matrix', likelihood: 2, consequence: 4 } }) })
  assert.equal((await assess(near)).status, 201)
  assert.equal((await assess(far)).status, 201)
  const level = async (f: number) => (await t.db.kysely.selectFrom('features').select('risk_level').where('id', '=', f).executeTakeFirstOrThrow()).risk_level
  assert.deepEqual([await level(near), await level(far)], ['yellow', 'yellow'])

  await t.send([{ point: t.gasPoint, channel: 'gas', value: 60, at: t.at(0) }])
  const alarmId = Number((await t.db.kysely.selectFrom('alarms').select('id').executeTakeFirstOrThrow()).id)
  const step = (action: string, note = '') => t.app.request(`/api/alarms/${alarmId}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, note }) })
  // Raised only once confirmed: 待研判 is not yet the city at risk.
  assert.equal(await level(near), 'yellow')
  assert.equal((await step('confirm')).status, 200)
  // L 2 → 3 with C 4: 12, 较大.
  assert.deepEqual([await level(near), await level(far)], ['orange', 'yellow'])
  const why = (await t.get(`/api/features/${near}/assessments`)).body
  assert.deepEqual([why.latest.cause, why.latest.alarmId, why.latest.likelihood, why.latest.inputs.alarmBoost], ['alarm', alarmId, 3, 1])
  assert.match(why.latest.grade.lower[0], /附近告警已确认/)
  for (const [action, note] of [['push', ''], ['sign', ''], ['handle', '关阀抢修'], ['report', '已修复']] as const) assert.equal((await step(action, note)).status, 200)
  assert.equal(await level(near), 'orange', 'still raised while the alarm is open')
  assert.equal((await step('close')).status, 200)
  assert.equal(await level(near), 'yellow')
  const history = (await t.get(`/api/features/${near}/assessments`)).body.history
  assert.deepEqual(history.map((h: any) => [h.cause, h.level, h.alarmId]), [['alarm', 'yellow', alarmId], ['alarm', 'orange', alarmId], ['manual', 'yellow', null]])
})
