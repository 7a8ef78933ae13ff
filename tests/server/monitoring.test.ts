import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createSession } from '../helpers/app.js'
import { monitored, type Monitored } from '../helpers/monitoring.js'
import { sweepSilence } from '../../server/monitoring/sweeps.js'

const alarms = async (t: Monitored, query = '') => (await t.get(`/api/alarms${query}`)).body as { items: any[]; total: number }

test('a batch with good and bad readings stores the good ones and counts each bad one with its reason', async () => {
  const t = await monitored()
  const r = await t.send([
    { point: t.gasPoint, channel: 'gas', value: 3.5, unit: '%LEL', at: t.at(-60) },
    { point: t.gasPoint, channel: 'gas', value: 4, at: t.at(-30) },
    { point: t.pressurePoint, channel: 'pressure', value: 0.31, at: t.at(-30) },
    { point: t.gasPoint, channel: 'gas', value: '12', at: t.at(-20) },
    { point: t.gasPoint, channel: 'gas', value: 5, at: t.at(3600) },
    { point: t.gasPoint, channel: 'gas', value: 5, unit: 'ppm', at: t.at(-10) },
    { point: t.gasPoint, channel: 'radiation', value: 1, at: t.at(-10) },
    { point: t.chemPoint, channel: 'gas', value: 1, at: t.at(-10) },
    { point: 999999, channel: 'gas', value: 1, at: t.at(-10) },
    { point: t.gasPoint, channel: 'gas', value: 1e9, at: t.at(-10) },
    { point: t.gasPoint, channel: 'gas', value: 1, at: 'yesterday' },
    'not a reading',
    { point: t.gasPoint, channel: 'gas', value: 1, at: new Date(t.now().getTime() - 40 * 86_400_000).toISOString() },
  ])
  assert.equal(r.status, 200)
  assert.deepEqual({ received: r.body.received, accepted: r.body.accepted, duplicates: r.body.duplicates, rejected: r.body.rejected }, { received: 13, accepted: 3, duplicates: 0, rejected: 10 })
  assert.deepEqual(r.body.rejectedBy, { 'not-a-number': 1, future: 1, 'wrong-unit': 1, 'unknown-sensor': 3, 'out-of-range': 1, invalid: 2, 'too-old': 1 })
  assert.deepEqual(r.body.problems.map((p: any) => [p.index, p.reason]), [[3, 'not-a-number'], [4, 'future'], [5, 'wrong-unit'], [6, 'unknown-sensor'], [7, 'unknown-sensor'], [8, 'unknown-sensor'], [9, 'out-of-range'], [10, 'invalid'], [11, 'invalid'], [12, 'too-old']])
  assert.match(r.body.problems.find((p: any) => p.index === 7).message, /not a monitoring point of this system/)
  const stored = await t.db.kysely.selectFrom('readings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(stored.n), 3)
})

test('a batch resent is not stored twice: its readings count as duplicates, and the roll-ups are not doubled', async () => {
  const t = await monitored()
  const batch = [0, 10, 20, 70].map((s) => ({ point: t.gasPoint, channel: 'gas', value: s / 10, at: t.at(s - 120) }))
  assert.equal((await t.send(batch)).body.accepted, 4)
  const again = await t.send([...batch, batch[0]])
  assert.deepEqual([again.status, again.body.accepted, again.body.duplicates, again.body.rejected], [200, 0, 5, 0])
  const minutes = await t.db.kysely.selectFrom('reading_rollups').select(['span', 'n', 'total', 'low', 'high']).where('span', '=', 'minute').orderBy('bucket').execute()
  assert.deepEqual(minutes.map((m) => [Number(m.n), m.low, m.high]), [[3, 0, 2], [1, 7, 7]])
  const hours = await t.db.kysely.selectFrom('reading_rollups').select(['n', 'total']).where('span', '=', 'hour').execute()
  assert.equal(hours.reduce((n, h) => n + Number(h.n), 0), 4)
})

test('the endpoint refuses what is not a batch of readings: no key, a revoked key, not JSON, more than 10,000 readings', async () => {
  const t = await monitored()
  const noKey = await t.raw.request('/api/ingest/readings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"readings":[]}' })
  assert.equal(noKey.status, 401)
  assert.equal((await t.send([], 'csa_wrong')).status, 401)
  const notJson = await t.send('{"readings": [')
  assert.deepEqual([notJson.status, notJson.body.error.code], [400, 'invalid_parameter'])
  assert.equal((await t.send('{"readings": 5}')).status, 400)
  const tooMany = await t.send(Array.from({ length: 10_001 }, (_, i) => ({ point: t.gasPoint, channel: 'gas', value: 1, at: t.at(-i) })))
  assert.deepEqual([tooMany.status, tooMany.body.error.code], [413, 'too_large'])
  assert.equal((await t.send('['.repeat(100) + ']'.repeat(100))).status, 400)
  // Nothing good at all: 400 with the reasons.
  const allBad = await t.send([{ point: t.gasPoint, channel: 'gas', value: null, at: t.at(0) }])
  assert.deepEqual([allBad.status, allBad.body.rejectedBy], [400, { 'not-a-number': 1 }])
})

test('a reading past a threshold raises an alarm (待研判); the point alarming again joins it; back to normal marks it recovered', async () => {
  const t = await monitored()
  // The default gas rules: 四级 ≥ 10 %LEL, 三级 ≥ 20, 二级 ≥ 30, 一级 ≥ 50, with no minimum duration.
  const r = await t.send([{ point: t.gasPoint, channel: 'gas', value: 22, at: t.at(0) }])
  assert.deepEqual(r.body.alarms, { raised: 1, merged: 0, recovered: 0 })
  let list = await alarms(t)
  assert.equal(list.total, 1)
  const a = list.items[0]
  assert.deepEqual([a.level, a.status, a.kind, a.value, a.threshold, a.unit, a.pointName, a.departmentName, a.count],
    ['yellow', 'pending', 'threshold', 22, 20, '%LEL', '金开大道燃气阀井甲烷监测点1', '渝北区城市管理局', 1])
  t.tick(60)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 55, at: t.at(0) }])
  list = await alarms(t)
  assert.deepEqual([list.total, list.items[0].level, list.items[0].count], [1, 'red', 2])
  t.tick(60)
  // 45 is still above 一级's clear value (40): no recovery yet; 7 is below every clear value.
  assert.deepEqual((await t.send([{ point: t.gasPoint, channel: 'gas', value: 45, at: t.at(0) }])).body.alarms, { raised: 0, merged: 0, recovered: 0 })
  t.tick(60)
  assert.deepEqual((await t.send([{ point: t.gasPoint, channel: 'gas', value: 7, at: t.at(0) }])).body.alarms, { raised: 0, merged: 0, recovered: 1 })
  const detail = (await t.get(`/api/alarms/${a.id}`)).body
  assert.ok(detail.recoveredAt)
  assert.equal(detail.status, 'pending', 'recovery does not end the loop: people do')
  assert.deepEqual(detail.steps.map((s: any) => s.action), ['raise', 'merge', 'recover'])
})

test('a pressure drop raises by the rules below a value; a point\'s own rule replaces the general ones', async () => {
  const t = await monitored()
  await t.send([{ point: t.pressurePoint, channel: 'pressure', value: 0.3, at: t.at(-300) }, { point: t.pressurePoint, channel: 'pressure', value: 0.15, at: t.at(-200) }, { point: t.pressurePoint, channel: 'pressure', value: 0.15, at: t.at(-100) }])
  // 三级 below 0.16 MPa for 60 s (the default): beyond from -200, due at -140, raised by the reading at -100.
  let list = await alarms(t)
  assert.deepEqual(list.items.map((a) => [a.level, a.value]), [['yellow', 0.15]])
  const rule = await t.app.request('/api/monitoring/rules', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'threshold', channel: 'gas', featureId: t.gasPoint, level: 'red', threshold: 5, clearValue: 4, note: '人员密集区，从严' }) })
  assert.equal(rule.status, 201)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 6, at: t.at(0) }])
  list = await alarms(t, `?point=${t.gasPoint}`)
  assert.deepEqual(list.items.map((a) => [a.level, a.threshold]), [['red', 5]])
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'result']).where('action', '=', 'alarm-rule').execute()
  assert.deepEqual(audit, [{ action: 'alarm-rule', result: 'success' }])
})

test('rules are checked: a threshold rule needs a threshold, hysteresis on the right side, a real point; only administrators change them', async () => {
  const t = await monitored()
  const post = (body: unknown, as = t.app) => as.request('/api/monitoring/rules', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const bad = async (body: unknown, parameter: string) => {
    const r = await post(body)
    const j = (await r.json()) as any
    assert.equal(r.status, 400, JSON.stringify(j))
    assert.equal(j.error.details?.parameter ?? j.error.details?.issues?.[0]?.parameter, parameter)
  }
  await bad({ kind: 'threshold', channel: 'gas', level: 'red' }, 'threshold')
  await bad({ kind: 'threshold', channel: 'gas', level: 'red', threshold: 50, clearValue: 60 }, 'clearValue')
  await bad({ kind: 'silence', channel: 'gas', level: 'blue' }, 'silenceMinutes')
  await bad({ kind: 'threshold', channel: 'gas', level: 'red', threshold: 50, featureId: 999999 }, 'featureId')
  await bad({ kind: 'threshold', channel: 'nuclear', level: 'red', threshold: 50 }, 'channel')
  const analyst = await createSession(t.db, { role: 'analyst', username: 'analyst' })
  assert.equal((await post({ kind: 'threshold', channel: 'gas', level: 'red', threshold: 50 }, t.as(analyst))).status, 403)
  assert.equal((await t.as(analyst).request('/api/monitoring/rules')).status, 200)
})

test('a sensor silent longer than its rule raises an alarm of its own kind, which ends when it reports again', async () => {
  const t = await monitored()
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 1, at: t.at(0) }])
  t.tick(29 * 60)
  assert.deepEqual(await sweepSilence(t.db, t.now()), { raised: 0, merged: 0, recovered: 0 })
  t.tick(2 * 60)
  assert.deepEqual(await sweepSilence(t.db, t.now()), { raised: 1, merged: 0, recovered: 0 })
  // Once silent, not again at every sweep.
  t.tick(10 * 60)
  assert.deepEqual(await sweepSilence(t.db, t.now()), { raised: 0, merged: 0, recovered: 0 })
  // 41 minutes on: a new session (the first one idled out).
  const admin = t.as(await createSession(t.db, { role: 'admin', username: 'admin2' }, t.now()))
  const [a] = ((await (await admin.request('/api/alarms')).json()) as any).items
  assert.deepEqual([a.kind, a.level, a.status], ['silence', 'blue', 'pending'])
  const point = (await (await admin.request(`/api/monitoring/points/${t.gasPoint}`)).json()) as any
  assert.ok(point.sensors[0].silentSince)
  assert.equal(point.openAlarm.id, a.id)
  assert.equal((await t.send([{ point: t.gasPoint, channel: 'gas', value: 1, at: t.at(0) }])).body.alarms.recovered, 1)
  assert.equal(((await (await admin.request(`/api/monitoring/points/${t.gasPoint}`)).json()) as any).sensors[0].silentSince, null)
})

test('a point\'s page: its sensors with the latest value against the thresholds, and the trend per minute, per hour and raw', async () => {
  const t = await monitored()
  const readings = Array.from({ length: 120 }, (_, i) => ({ point: t.gasPoint, channel: 'gas', value: i % 2 ? 2 : 4, at: t.at(-3600 + i * 30) }))
  await t.send(readings)
  const point = (await t.get(`/api/monitoring/points/${t.gasPoint}`)).body
  assert.equal(point.point.name, '金开大道燃气阀井甲烷监测点1')
  const [s] = point.sensors
  assert.deepEqual([s.channel, s.unit, s.lastValue, s.alarmLevel], ['gas', '%LEL', 2, null])
  assert.deepEqual(s.thresholds.map((x: any) => [x.level, x.threshold]), [['red', 50], ['orange', 30], ['yellow', 20], ['blue', 10]])
  const day = (await t.get(`/api/monitoring/sensors/${s.id}/series?range=24h`)).body
  assert.equal(day.step, 'minute')
  assert.equal(day.points.length, 60)
  assert.deepEqual([day.points[0].min, day.points[0].max, day.points[0].avg], [2, 4, 3])
  const month = (await t.get(`/api/monitoring/sensors/${s.id}/series?range=30d`)).body
  // The hour before TEST_NOW (04:00): one hourly bucket of all 120 readings.
  assert.deepEqual(month.points.map((p: any) => [p.t, p.min, p.max, p.avg]), [['2026-06-15T03:00:00.000Z', 2, 4, 3]])
  const raw = (await t.get(`/api/monitoring/sensors/${s.id}/series?range=1h`)).body
  assert.equal(raw.points.length, 120)
  assert.equal((await t.get(`/api/monitoring/sensors/${s.id}/series?range=2y`)).status, 400)
  assert.equal((await t.get('/api/monitoring/points/999999')).status, 404)
})

test('a point of a resource the viewer may not see does not exist for them; its sensors neither', async () => {
  const t = await monitored()
  await t.send([{ point: t.chemPoint, channel: 'gas', value: 1, at: t.at(0) }], await t.key(t.chemSys))
  const sensor = (await t.get(`/api/monitoring/points/${t.chemPoint}`)).body.sensors[0]
  // The hazard resource is internal: a visitor (public access on) sees the public gas point only.
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  const visitor = t.as(null)
  const pub = await visitor.request(`/api/monitoring/points/${t.chemPoint}`)
  assert.equal(pub.status, 404)
  assert.equal((await visitor.request(`/api/monitoring/sensors/${sensor.id}/series`)).status, 404)
})

test('raw readings go after their keeping period, minute roll-ups after 90 days, the hour roll-ups stay', async () => {
  const t = await monitored()
  const { pruneOld } = await import('../../server/monitoring/sweeps.js')
  const day = 86_400
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 2, at: t.at(-29 * day) }, { point: t.gasPoint, channel: 'gas', value: 3, at: t.at(-60) }])
  const count = async (table: 'readings' | 'reading_rollups', span?: string) => {
    let q = t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n'))
    if (span) q = q.where('span' as never, '=', span as never)
    return Number((await q.executeTakeFirstOrThrow()).n)
  }
  assert.deepEqual([await count('readings'), await count('reading_rollups', 'minute'), await count('reading_rollups', 'hour')], [2, 2, 2])
  t.tick(2 * day)
  await pruneOld(t.db, t.now(), 30)
  assert.deepEqual([await count('readings'), await count('reading_rollups', 'minute'), await count('reading_rollups', 'hour')], [1, 2, 2])
  t.tick(90 * day)
  await pruneOld(t.db, t.now(), 30)
  assert.deepEqual([await count('readings'), await count('reading_rollups', 'minute'), await count('reading_rollups', 'hour')], [0, 0, 2])
})
