import { test } from 'vitest'
import assert from 'node:assert/strict'
import { createSession } from '../helpers/app.js'
import { monitored, type Monitored } from '../helpers/monitoring.js'
import { escalateOverdue } from '../../server/monitoring/alarms.js'

type As = ReturnType<Monitored['as']>

async function act(as: As, id: number, action: string, note = '') {
  const res = await as.request(`/api/alarms/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, note }) })
  return { status: res.status, body: (await res.json()) as any }
}
const json = async (as: As, path: string) => {
  const res = await as.request(path)
  return { status: res.status, body: (await res.json()) as any }
}

/** A gas alarm (三级) at the public gas point of 城市管理局, and the people of the loop. */
async function withAlarm() {
  const t = await monitored()
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 25, at: t.at(0) }])
  const id = Number((await t.db.kysely.selectFrom('alarms').select('id').executeTakeFirstOrThrow()).id)
  const session = (role: 'admin' | 'analyst' | 'reporter' | 'leader', departmentId: number | null, username: string) => createSession(t.db, { role, departmentId, username }, t.now())
  const people = {
    bureau: t.as(await session('analyst', null, 'duty-analyst')),
    owner: t.as(await session('reporter', t.city, 'gas-officer')),
    other: t.as(await session('reporter', t.emergency, 'safety-officer')),
    leader: t.as(await session('leader', null, 'leader')),
  }
  return { ...t, id, people }
}

test('the whole loop: the bureau confirms and pushes, the owning department signs, handles, reports and closes; each step keeps who, when and the note', async () => {
  const t = await withAlarm()
  const { bureau, owner } = t.people
  assert.deepEqual((await json(bureau, `/api/alarms/${t.id}`)).body.actions, ['dismiss', 'confirm'])
  assert.equal((await act(bureau, t.id, 'confirm', '现场视频核实有燃气味')).body.status, 'confirmed')
  t.tick(60)
  const pushed = await act(bureau, t.id, 'push')
  assert.deepEqual([pushed.body.status, pushed.body.pushedAt], ['pushed', new Date(t.now()).toISOString()])
  assert.deepEqual(pushed.body.clocks.map((c: any) => c.step), ['sign', 'firstReport', 'writtenReport'])
  assert.deepEqual((await json(owner, `/api/alarms/${t.id}`)).body.actions, ['sign'])
  t.tick(120)
  assert.equal((await act(owner, t.id, 'sign')).body.status, 'signed')
  assert.equal((await act(owner, t.id, 'handle', '抢修队已出发，关闭阀门')).body.status, 'handling')
  assert.equal((await act(owner, t.id, 'report', '阀井密封老化，已更换；浓度回落至 0')).body.status, 'reported')
  const closed = await act(owner, t.id, 'close')
  assert.deepEqual([closed.status, closed.body.status, closed.body.overdue, closed.body.actions], [200, 'closed', false, []])
  assert.ok(closed.body.endedAt)
  assert.deepEqual(closed.body.steps.map((s: any) => [s.action, s.status, s.username]), [
    ['raise', 'pending', ''], ['confirm', 'confirmed', 'duty-analyst'], ['push', 'pushed', 'duty-analyst'], ['sign', 'signed', 'gas-officer'],
    ['handle', 'handling', 'gas-officer'], ['report', 'reported', 'gas-officer'], ['close', 'closed', 'gas-officer'],
  ])
  assert.equal(closed.body.steps[4].note, '抢修队已出发，关闭阀门')
  const audit = await t.db.kysely.selectFrom('audit_log').select(['username', 'result']).where('action', '=', 'alarm-step').orderBy('id').execute()
  assert.deepEqual(audit.map((a) => `${a.username} ${a.result}`), ['duty-analyst success', 'duty-analyst success', 'gas-officer success', 'gas-officer success', 'gas-officer success', 'gas-officer success'])
  // Over: the point alarming again opens a new alarm.
  t.tick(60)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 3, at: t.at(0) }, { point: t.gasPoint, channel: 'gas', value: 26, at: t.at(1) }])
  assert.equal((await json(bureau, '/api/alarms?open=true')).body.total, 1)
  assert.equal((await json(bureau, '/api/alarms')).body.total, 2)
})

test('refused steps: out of order (409), by the wrong people (403), without a required note (400), on an alarm one may not see (404)', async () => {
  const t = await withAlarm()
  const { bureau, owner, other, leader } = t.people
  assert.deepEqual([(await act(owner, t.id, 'sign')).status, (await act(owner, t.id, 'sign')).body.error.code], [409, 'conflict'])
  assert.equal((await act(owner, t.id, 'confirm')).status, 403, 'a department does not judge its own alarm')
  assert.equal((await act(leader, t.id, 'confirm')).status, 403)
  assert.equal((await act(other, t.id, 'confirm')).status, 404, 'another department does not see it')
  const noNote = await act(bureau, t.id, 'dismiss', '  ')
  assert.deepEqual([noNote.status, noNote.body.error.details.parameter], [400, 'note'])
  assert.equal((await act(bureau, t.id, 'launch')).status, 400)
  await act(bureau, t.id, 'confirm')
  await act(bureau, t.id, 'push')
  assert.equal((await act(bureau, t.id, 'sign')).status, 403, 'signing is the department\'s')
  assert.equal((await act(other, t.id, 'sign')).status, 404)
  assert.equal((await act(owner, t.id, 'close')).status, 409)
  // Refusals are audited as such; steps out of order as failed steps.
  const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'result']).where('target', 'like', '%/actions').execute()
  assert.equal(audit.filter((a) => a.result === 'refused').length, 3)
  assert.ok(audit.filter((a) => a.action === 'alarm-step' && a.result === 'failure').length >= 3)
})

test('a false alarm ends the loop; the next alarm at the point is a new one', async () => {
  const t = await withAlarm()
  const r = await act(t.people.bureau, t.id, 'dismiss', '传感器标定中')
  assert.deepEqual([r.body.status, r.body.actions], ['false-alarm', []])
  t.tick(60)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 3, at: t.at(0) }, { point: t.gasPoint, channel: 'gas', value: 55, at: t.at(1) }])
  const open = (await json(t.people.bureau, '/api/alarms?open=true')).body
  assert.deepEqual(open.items.map((a: any) => [a.level, a.status]), [['red', 'pending']])
  assert.notEqual(open.items[0].id, t.id)
})

test('SLA: a step not taken in time is overdue, escalated to the bureau once, and shown; one taken in time is not', async () => {
  const t = await withAlarm()
  await act(t.people.bureau, t.id, 'confirm')
  await act(t.people.bureau, t.id, 'push')
  // 三级 (yellow): sign within 30 min, first report within 120, written report within 240.
  t.tick(29 * 60)
  assert.deepEqual(await escalateOverdue(t.db, t.now()), [])
  t.tick(2 * 60)
  assert.deepEqual(await escalateOverdue(t.db, t.now()), [{ alarmId: t.id, step: 'sign' }])
  assert.deepEqual(await escalateOverdue(t.db, t.now()), [], 'once')
  // Half an hour on: sessions of their own (the first ones idled out).
  const bureau = t.as(await createSession(t.db, { role: 'analyst', username: 'analyst-2' }, t.now()))
  const owner = t.as(await createSession(t.db, { role: 'reporter', departmentId: t.city, username: 'gas-officer-2' }, t.now()))
  const late = (await json(bureau, `/api/alarms/${t.id}`)).body
  assert.deepEqual([late.overdue, late.escalated], [true, ['sign']])
  assert.equal(late.steps.at(-1).action, 'escalate')
  assert.equal((await json(bureau, '/api/alarms?escalated=true')).body.total, 1)
  assert.equal((await json(bureau, '/api/alarms/summary')).body.overdue, 1)
  const audit = await t.db.kysely.selectFrom('audit_log').select(['detail']).where('action', '=', 'alarm-escalate').execute()
  assert.equal(audit.length, 1)
  assert.match(audit[0]!.detail, /签收超时/)
  // Signed late: no longer overdue now, but the clock shows it was late.
  const signed = (await act(owner, t.id, 'sign')).body
  assert.equal(signed.overdue, false)
  assert.deepEqual(signed.clocks.map((c: any) => [c.step, c.overdue]), [['sign', true], ['firstReport', false], ['writtenReport', false]])
})

test('the clocks are the bureau\'s to set, per level, and must not decrease', async () => {
  const t = await withAlarm()
  const sla = (await t.get('/api/monitoring/sla')).body
  assert.deepEqual(sla.red, { sign: 10, firstReport: 30, writtenReport: 60 })
  const put = (body: unknown, as = t.app) => as.request('/api/monitoring/sla', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  assert.equal((await put({ ...sla, red: { sign: 40, firstReport: 30, writtenReport: 60 } })).status, 400)
  assert.equal((await put({ ...sla, red: { sign: 5, firstReport: 20, writtenReport: 45 } }, t.people.bureau)).status, 403)
  const ok = await put({ ...sla, red: { sign: 5, firstReport: 20, writtenReport: 45 } })
  assert.equal(ok.status, 200)
  assert.deepEqual(((await ok.json()) as any).red, { sign: 5, firstReport: 20, writtenReport: 45 })
})

test('who sees which alarms: the bureau and leaders all, a department its own, a visitor those of public resources, with no names or notes', async () => {
  const t = await withAlarm()
  await t.send([{ point: t.chemPoint, channel: 'gas', value: 60, at: t.at(0) }], await t.key(t.chemSys))
  const { bureau, owner, other, leader } = t.people
  const names = async (as: As) => (await json(as, '/api/alarms')).body.items.map((a: any) => a.pointName).sort()
  assert.deepEqual(await names(bureau), ['某化工仓库可燃气体探测点', '金开大道燃气阀井甲烷监测点1'])
  assert.deepEqual(await names(leader), ['某化工仓库可燃气体探测点', '金开大道燃气阀井甲烷监测点1'])
  assert.deepEqual(await names(owner), ['金开大道燃气阀井甲烷监测点1'])
  assert.deepEqual(await names(other), ['某化工仓库可燃气体探测点'])
  assert.equal((await json(owner, '/api/alarms/summary')).body.open, 1)
  const visitor = t.as(null)
  assert.equal((await visitor.request('/api/alarms')).status, 401, 'public access is off')
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  await act(bureau, t.id, 'confirm', '核实')
  assert.deepEqual(await names(visitor), ['金开大道燃气阀井甲烷监测点1'])
  const seen = (await json(visitor, `/api/alarms/${t.id}`)).body
  assert.deepEqual(seen.steps.map((s: any) => [s.action, s.username, s.note]), [['raise', '', ''], ['confirm', '', '']])
  assert.deepEqual(seen.actions, [])
  const chem = Number((await t.db.kysely.selectFrom('alarms').select('id').where('feature_id', '=', t.chemPoint).executeTakeFirstOrThrow()).id)
  assert.equal((await visitor.request(`/api/alarms/${chem}`)).status, 404)
})
