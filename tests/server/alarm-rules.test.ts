import { test } from 'vitest'
import assert from 'node:assert/strict'
import { applyReadings, NORMAL, rulesFor } from '../../server/monitoring/evaluate.js'
import { actionsFor, ALARM_ACTIONS, ALARM_STATUSES, channelsFromName, mayTakeAction, slaClocks, DEFAULT_SLA, type AlarmStatus, type ThresholdRule } from '../../server/domain/monitoring.js'

// Gas, in %LEL: 四级 ≥ 10 (clear ≤ 8), 三级 ≥ 20 (clear ≤ 16), 一级 ≥ 50 (clear ≤ 40).
const gas = (minDurationS = 0): ThresholdRule[] => [
  { id: 1, level: 'blue', direction: 'above', threshold: 10, clearValue: 8, minDurationS },
  { id: 2, level: 'yellow', direction: 'above', threshold: 20, clearValue: 16, minDurationS },
  { id: 3, level: 'red', direction: 'above', threshold: 50, clearValue: 40, minDurationS },
]
const series = (...values: number[]) => values.map((value, i) => ({ at: i * 10_000, value }))
const outcomes = (rules: ThresholdRule[], ...values: number[]) =>
  applyReadings(NORMAL, rules, series(...values)).outcomes.map((o) => (o.kind === 'raise' ? `raise ${o.level}@${o.at / 1000}` : `recover@${o.at / 1000}`))

test('a reading at or past a threshold raises its level at once when the rule needs no duration; below it nothing happens', () => {
  assert.deepEqual(outcomes(gas(), 5, 9.9, 10), ['raise blue@20'])
  assert.deepEqual(outcomes(gas(), 25), ['raise yellow@0'])
  assert.deepEqual(outcomes(gas(), 60), ['raise red@0'])
  assert.deepEqual(outcomes(gas(), 0, 1, 9.99), [])
})

test('climbing raises again at each more severe level; falling within the band raises nothing more', () => {
  assert.deepEqual(outcomes(gas(), 12, 22, 55, 45, 30), ['raise blue@0', 'raise yellow@10', 'raise red@20'])
})

test('hysteresis: a value wobbling around the threshold does not flap; it recovers only past the clear value', () => {
  assert.deepEqual(outcomes(gas(), 10, 9, 10.5, 8.5, 11, 8), ['raise blue@0', 'recover@50'])
  // After recovering it may alarm again.
  assert.deepEqual(outcomes(gas(), 10, 8, 10), ['raise blue@0', 'recover@10', 'raise blue@20'])
})

test('from 一级 the level steps down through the clear values, and recovers only below the lowest', () => {
  const r = applyReadings(NORMAL, gas(), series(60, 45, 35, 12))
  assert.equal(r.state.alarmLevel, 'blue')
  assert.deepEqual(r.outcomes.map((o) => o.kind), ['raise'])
  assert.deepEqual(applyReadings(r.state, gas(), [{ at: 50_000, value: 7 }]).outcomes.map((o) => o.kind), ['recover'])
})

test('a minimum duration: the level must hold for it without a break, and a break starts the count again', () => {
  // 30 s: readings every 10 s beyond from t=0 → raised at t=30.
  assert.deepEqual(outcomes(gas(30), 12, 12, 12, 12, 12), ['raise blue@30'])
  // A dip below the threshold at t=20 restarts it: beyond again from t=30 → raised at t=60.
  assert.deepEqual(outcomes(gas(30), 12, 12, 5, 12, 12, 12, 12), ['raise blue@60'])
  // A short spike never alarms.
  assert.deepEqual(outcomes(gas(30), 5, 70, 5, 5), [])
})

test('with durations, a level that lasted raises even while a more severe one is still counting', () => {
  // Beyond 四级 from t=0 and beyond 一级 from t=20: 四级 due at 30, 一级 at 50.
  assert.deepEqual(outcomes(gas(30), 12, 12, 60, 60, 60, 60), ['raise blue@30', 'raise red@50'])
})

test('rules below a value (a pressure drop) raise as the value falls and recover as it rises', () => {
  const pressure: ThresholdRule[] = [
    { id: 1, level: 'blue', direction: 'below', threshold: 0.2, clearValue: 0.22, minDurationS: 0 },
    { id: 2, level: 'red', direction: 'below', threshold: 0.08, clearValue: 0.1, minDurationS: 0 },
  ]
  assert.deepEqual(outcomes(pressure, 0.3, 0.19, 0.07, 0.09, 0.15, 0.21, 0.23), ['raise blue@10', 'raise red@20', 'recover@60'])
})

test('the rules of a point replace those of its sub-category, which replace the channel\'s general rules', () => {
  const rules = [
    { id: 1, featureId: null, subcategoryCode: null },
    { id: 2, featureId: null, subcategoryCode: 'gas' },
    { id: 3, featureId: 7, subcategoryCode: null },
  ]
  assert.deepEqual(rulesFor(rules, { featureId: 7, subcategoryCode: 'gas' }).map((r) => r.id), [3])
  assert.deepEqual(rulesFor(rules, { featureId: 8, subcategoryCode: 'gas' }).map((r) => r.id), [2])
  assert.deepEqual(rulesFor(rules, { featureId: 8, subcategoryCode: 'bridge' }).map((r) => r.id), [1])
})

test('the loop: every step from every status, for the bureau, the owning department, another department and a leader', () => {
  const bureau = { role: 'analyst' as const, departmentId: null }
  const admin = { role: 'admin' as const, departmentId: null }
  const owner = { role: 'reporter' as const, departmentId: 5 }
  const other = { role: 'reporter' as const, departmentId: 6 }
  const leader = { role: 'leader' as const, departmentId: null }
  const allowed: Record<string, string[]> = {}
  for (const s of ALARM_STATUSES) {
    for (const [who, actor] of Object.entries({ bureau, admin, owner, other, leader })) {
      allowed[`${s.code} ${who}`] = actionsFor(actor, { status: s.code, departmentId: 5 })
    }
  }
  assert.deepEqual(allowed, {
    'pending bureau': ['dismiss', 'confirm'], 'pending admin': ['dismiss', 'confirm'], 'pending owner': [], 'pending other': [], 'pending leader': [],
    'false-alarm bureau': [], 'false-alarm admin': [], 'false-alarm owner': [], 'false-alarm other': [], 'false-alarm leader': [],
    'confirmed bureau': ['push'], 'confirmed admin': ['push'], 'confirmed owner': [], 'confirmed other': [], 'confirmed leader': [],
    'pushed bureau': [], 'pushed admin': ['sign'], 'pushed owner': ['sign'], 'pushed other': [], 'pushed leader': [],
    'signed bureau': [], 'signed admin': ['handle'], 'signed owner': ['handle'], 'signed other': [], 'signed leader': [],
    'handling bureau': [], 'handling admin': ['report'], 'handling owner': ['report'], 'handling other': [], 'handling leader': [],
    'reported bureau': [], 'reported admin': ['close'], 'reported owner': ['close'], 'reported other': [], 'reported leader': [],
    'closed bureau': [], 'closed admin': [], 'closed owner': [], 'closed other': [], 'closed leader': [],
  })
  // Each action leads where the loop says.
  assert.deepEqual(ALARM_ACTIONS.map((a) => `${a.from.join('|')}→${a.to}`), ['pending→false-alarm', 'pending→confirmed', 'confirmed→pushed', 'pushed→signed', 'signed→handling', 'handling→reported', 'reported→closed'])
  assert.equal(mayTakeAction(owner, 'close', { status: 'handling', departmentId: 5 }), false)
})

test('SLA clocks run from the push: overdue when a step is not taken in time, or was taken late', () => {
  const pushedAt = '2026-06-15T04:00:00.000Z'
  const at = (min: number) => new Date(Date.parse(pushedAt) + min * 60_000)
  const red = (status: AlarmStatus, stepsAt: Partial<Record<AlarmStatus, string>> = {}) => ({ status, level: 'red' as const, pushedAt, stepsAt })
  assert.deepEqual(slaClocks(red('pushed'), DEFAULT_SLA, at(9)).map((c) => c.overdue), [false, false, false])
  assert.deepEqual(slaClocks(red('pushed'), DEFAULT_SLA, at(11)).map((c) => c.overdue), [true, false, false])
  const signedLate = red('handling', { signed: at(12).toISOString(), handling: at(20).toISOString() })
  assert.deepEqual(slaClocks(signedLate, DEFAULT_SLA, at(61)).map((c) => [c.step, c.overdue, c.doneAt !== null]),
    [['sign', true, true], ['firstReport', false, true], ['writtenReport', true, false]])
  assert.deepEqual(slaClocks({ ...red('pending'), pushedAt: null }, DEFAULT_SLA, at(100)), [])
})

test('the demo guesses a monitoring point\'s channels from its name', () => {
  assert.deepEqual(channelsFromName('金开大道燃气阀井甲烷监测点3'), ['gas'])
  assert.deepEqual(channelsFromName('金开大道燃气管网压力监测点1'), ['pressure'])
  assert.deepEqual(channelsFromName('双凤桥街道地灾GNSS位移监测点2'), ['displacement'])
  assert.deepEqual(channelsFromName('两路街道烟感探测器12'), ['smoke'])
  assert.deepEqual(channelsFromName('某人流密度监测点'), [])
})
