import { test } from 'vitest'
import assert from 'node:assert/strict'
import { monitored, type Monitored } from '../helpers/monitoring.js'
import { SseReader } from '../helpers/sse.js'

type As = ReturnType<Monitored['as']>

/** Opens the event stream as `as` (optionally resuming after an event id); closed with the returned abort. */
async function connect(as: As, lastEventId?: string) {
  const abort = new AbortController()
  const res = await as.request('/api/events', { headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {}, signal: abort.signal })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
  const sse = new SseReader(res.body!)
  return { sse, hello: await sse.next((f) => f.event === 'hello'), close: async () => { abort.abort(); await sse.close() } }
}

test('a connected client gets a new alarm as an event, and its steps after it', async () => {
  const t = await monitored()
  const c = await connect(t.app)
  assert.ok(c.hello.data.versions)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 33, at: t.at(0) }])
  const raised = await c.sse.next((f) => f.event === 'alarm')
  assert.deepEqual([raised.data.step.action, raised.data.alarm.level, raised.data.alarm.pointName, raised.data.alarm.status], ['raise', 'orange', '金开大道燃气阀井甲烷监测点1', 'pending'])
  assert.match(raised.id!, /^\d+$/)
  const id = raised.data.alarm.id
  await t.app.request(`/api/alarms/${id}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'confirm', note: '已核实' }) })
  const step = await c.sse.next((f) => f.event === 'alarm')
  assert.deepEqual([step.data.step.action, step.data.step.username, step.data.alarm.status], ['confirm', 'test-admin', 'confirmed'])
  assert.ok(Number(step.id) > Number(raised.id))
  await c.close()
})

test('a client that reconnects with Last-Event-ID gets what it missed, in order, and nothing twice', async () => {
  const t = await monitored()
  const first = await connect(t.app)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 12, at: t.at(0) }])
  const seen = await first.sse.next((f) => f.event === 'alarm')
  await first.close()
  // While disconnected: the point climbs to 一级 (joins the alarm) and another point alarms.
  t.tick(10)
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 60, at: t.at(0) }, { point: t.pressurePoint, channel: 'pressure', value: 0.05, at: t.at(-120) }, { point: t.pressurePoint, channel: 'pressure', value: 0.05, at: t.at(0) }])
  const again = await connect(t.app, seen.id)
  const replayed = [await again.sse.next((f) => f.event === 'alarm'), await again.sse.next((f) => f.event === 'alarm')]
  assert.deepEqual(replayed.map((f) => f.data.step.action).sort(), ['merge', 'raise'])
  assert.ok(replayed.every((f) => Number(f.id) > Number(seen.id)))
  assert.deepEqual(again.sse.pending().filter((f) => f.event === 'alarm'), [])
  await again.close()
})

test('a client resuming from an event no longer kept is told to reload', async () => {
  const t = await monitored()
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 12, at: t.at(0) }])
  await t.send([{ point: t.pressurePoint, channel: 'pressure', value: 0.05, at: t.at(-120) }, { point: t.pressurePoint, channel: 'pressure', value: 0.05, at: t.at(0) }])
  const [oldest] = await t.db.kysely.selectFrom('live_events').select('id').orderBy('id').execute()
  await t.db.kysely.deleteFrom('live_events').where('id', '=', oldest!.id).execute()
  const abort = new AbortController()
  const res = await t.app.request('/api/events', { headers: { 'Last-Event-ID': String(Number(oldest!.id) - 1) }, signal: abort.signal })
  const sse = new SseReader(res.body!)
  assert.equal((await sse.next((f) => f.event !== 'hello')).event, 'reset')
  abort.abort()
  await sse.close()
})

test('each client gets only the events of what it may see: a department its own, a visitor public resources without names or notes', async () => {
  const t = await monitored()
  await t.db.kysely.insertInto('settings').values({ key: 'public_access', value: 'on' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on' })).execute()
  const { createSession } = await import('../helpers/app.js')
  const owner = await connect(t.as(await createSession(t.db, { role: 'reporter', departmentId: t.emergency, username: 'safety-officer' }, t.now())))
  const visitor = await connect(t.as(null))
  const bureau = await connect(t.app)
  // The internal hazard point (应急局) and the public gas point (城市管理局) both alarm.
  await t.send([{ point: t.chemPoint, channel: 'gas', value: 60, at: t.at(0) }], await t.key(t.chemSys))
  await t.send([{ point: t.gasPoint, channel: 'gas', value: 60, at: t.at(0) }])
  const gasId = Number((await t.db.kysely.selectFrom('alarms').select('id').where('feature_id', '=', t.gasPoint).executeTakeFirstOrThrow()).id)
  await t.app.request(`/api/alarms/${gasId}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'dismiss', note: '标定' }) })
  const names = async (c: Awaited<ReturnType<typeof connect>>, n: number) => {
    const out: string[] = []
    for (let i = 0; i < n; i++) {
      const f = await c.sse.next((x) => x.event === 'alarm')
      out.push(`${f.data.alarm.pointName} ${f.data.step.action}${f.data.step.username ? ` ${f.data.step.username}` : ''}`)
    }
    return out
  }
  assert.deepEqual(await names(bureau, 3), ['某化工仓库可燃气体探测点 raise', '金开大道燃气阀井甲烷监测点1 raise', '金开大道燃气阀井甲烷监测点1 dismiss test-admin'])
  assert.deepEqual(await names(visitor, 2), ['金开大道燃气阀井甲烷监测点1 raise', '金开大道燃气阀井甲烷监测点1 dismiss'])
  assert.deepEqual(await names(owner, 1), ['某化工仓库可燃气体探测点 raise'])
  await new Promise((r) => setTimeout(r, 400))
  assert.deepEqual(owner.sse.pending().filter((f) => f.event === 'alarm'), [])
  for (const c of [owner, visitor, bureau]) await c.close()
})

test('a change of the data is announced as a data-version event, so panels refresh without polling', async () => {
  const t = await monitored()
  const c = await connect(t.app)
  await t.fx.update(t.gasLive, t.now().toISOString())
  const v = await c.sse.next((f) => f.event === 'data-version')
  assert.ok(v.data.catalog > c.hello.data.versions.catalog)
  await c.close()
})
