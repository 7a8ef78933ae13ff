import { sql, type Kysely, type Selectable } from 'kysely'
import type { Db, Engine } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import type { AlarmRulesTable, AlarmsTable, Database } from '../db/schema.js'
import { readJsonSetting, writeJsonSetting } from '../db/settings.js'
import {
  DEFAULT_RULES, DEFAULT_SLA, ENDED_STATUSES, type AlarmKind, type AlarmLevel, type AlarmRecord, type AlarmRule, type AlarmStatus, type AlarmStepRecord,
  type SensorChannel, type SlaTable,
} from '../domain/monitoring.js'

/** SQL of monitoring: points and sensors, readings and their roll-ups, rules, alarms and their steps, live events. */

type Executor = Kysely<Database>

/** A monitoring-point feature as readings and alarms need it. */
export interface MonitoringPoint {
  featureId: number
  name: string
  x: number
  y: number
  resourceId: number
  departmentId: number
  systemId: number
  subcategoryCode: string
}

/** The monitoring points among `ids` (of the system `systemId`, when given). */
export async function monitoringPoints(db: Executor, engine: Engine, ids: readonly number[], systemId: number | null): Promise<Map<number, MonitoringPoint>> {
  const out = new Map<number, MonitoringPoint>()
  if (!ids.length) return out
  let q = db.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.name', 'f.min_x', 'f.min_y', 'f.max_x', 'f.max_y', 'f.resource_id', 'r.department_id', 'r.system_id', 'r.subcategory_code'])
    .where(oneOf(engine, 'f.id', ids)).where('f.kind', '=', 'monitoring-point')
  if (systemId !== null) q = q.where('r.system_id', '=', systemId)
  for (const r of await q.execute()) {
    out.set(Number(r.id), {
      featureId: Number(r.id), name: r.name, x: (r.min_x + r.max_x) / 2, y: (r.min_y + r.max_y) / 2, resourceId: Number(r.resource_id),
      departmentId: Number(r.department_id), systemId: Number(r.system_id), subcategoryCode: r.subcategory_code,
    })
  }
  return out
}

export type SensorRow = Selectable<Database['sensors']>

export async function sensorsOfPoints(db: Executor, engine: Engine, featureIds: readonly number[]): Promise<SensorRow[]> {
  if (!featureIds.length) return []
  let q = db.selectFrom('sensors').selectAll().where(oneOf(engine, 'feature_id', featureIds))
  if (engine === 'postgres') q = q.forUpdate()
  return (await q.execute()).map(numericSensor)
}

const numericSensor = (r: SensorRow): SensorRow => ({
  ...r, id: Number(r.id), feature_id: Number(r.feature_id), created_at: Number(r.created_at),
  last_at: r.last_at === null ? null : Number(r.last_at), silent_since: r.silent_since === null ? null : Number(r.silent_since),
})

/** Registers the sensors (a point's channel) not known yet; a sensor another process registered meanwhile is kept. */
export async function insertSensors(db: Executor, rows: readonly { featureId: number; channel: string; unit: string; createdAt: number }[]): Promise<void> {
  if (!rows.length) return
  await db.insertInto('sensors')
    .values(rows.map((r) => ({ feature_id: r.featureId, channel: r.channel, unit: r.unit, created_at: r.createdAt })))
    .onConflict((oc) => oc.columns(['feature_id', 'channel']).doNothing()).execute()
}

/** Which of these (sensor, time) readings are stored already. */
export async function storedReadings(db: Executor, engine: Engine, pairs: readonly [sensorId: number, at: number][]): Promise<Set<string>> {
  const out = new Set<string>()
  if (!pairs.length) return out
  const json = JSON.stringify(engine === 'postgres' ? pairs.map(([s, a]) => ({ s, a })) : pairs)
  const rows = engine === 'postgres'
    ? await sql<{ sensor_id: number; at: number }>`SELECT r.sensor_id, r.at FROM readings r JOIN jsonb_to_recordset(${json}::jsonb) AS j(s bigint, a bigint) ON r.sensor_id = j.s AND r.at = j.a`.execute(db)
    : await sql<{ sensor_id: number; at: number }>`SELECT r.sensor_id, r.at FROM json_each(${json}) j JOIN readings r ON r.sensor_id = j.value ->> 0 AND r.at = j.value ->> 1`.execute(db)
  for (const r of rows.rows) out.add(`${Number(r.sensor_id)}:${Number(r.at)}`)
  return out
}

/** Stores raw readings, one statement (a JSON parameter); a reading stored already stays as it is. */
export async function insertReadings(db: Executor, engine: Engine, rows: readonly [sensorId: number, at: number, value: number][]): Promise<void> {
  if (!rows.length) return
  const json = JSON.stringify(engine === 'postgres' ? rows.map(([s, a, v]) => ({ s, a, v })) : rows)
  if (engine === 'postgres') {
    await sql`INSERT INTO readings (sensor_id, at, value) SELECT j.s, j.a, j.v FROM jsonb_to_recordset(${json}::jsonb) AS j(s bigint, a bigint, v float8) ON CONFLICT DO NOTHING`.execute(db)
  } else {
    // `WHERE true`: SQLite's parser needs it to read ON CONFLICT after INSERT … SELECT.
    await sql`INSERT INTO readings (sensor_id, at, value) SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(${json}) j WHERE true ON CONFLICT DO NOTHING`.execute(db)
  }
}

export type RollupRow = [sensorId: number, span: 'minute' | 'hour', bucket: number, n: number, total: number, low: number, high: number]

/** Adds readings to their minute and hour roll-ups (rows unique per sensor, span and bucket). */
export async function addToRollups(db: Executor, engine: Engine, rows: readonly RollupRow[]): Promise<void> {
  if (!rows.length) return
  if (engine === 'postgres') {
    const json = JSON.stringify(rows.map(([s, p, b, n, t, l, h]) => ({ s, p, b, n, t, l, h })))
    await sql`INSERT INTO reading_rollups (sensor_id, span, bucket, n, total, low, high)
      SELECT j.s, j.p, j.b, j.n, j.t, j.l, j.h FROM jsonb_to_recordset(${json}::jsonb) AS j(s bigint, p text, b bigint, n bigint, t float8, l float8, h float8)
      ON CONFLICT (sensor_id, span, bucket) DO UPDATE SET n = reading_rollups.n + excluded.n, total = reading_rollups.total + excluded.total,
        low = LEAST(reading_rollups.low, excluded.low), high = GREATEST(reading_rollups.high, excluded.high)`.execute(db)
  } else {
    await sql`INSERT INTO reading_rollups (sensor_id, span, bucket, n, total, low, high)
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6 FROM json_each(${JSON.stringify(rows)}) j WHERE true
      ON CONFLICT (sensor_id, span, bucket) DO UPDATE SET n = reading_rollups.n + excluded.n, total = reading_rollups.total + excluded.total,
        low = min(reading_rollups.low, excluded.low), high = max(reading_rollups.high, excluded.high)`.execute(db)
  }
}

export interface SensorUpdate { id: number; value: number; at: number; pending: string | null; level: AlarmLevel | null }

/** The latest reading and rule state of many sensors in one statement; a sensor that reported is no longer silent. */
export async function updateSensors(db: Executor, engine: Engine, rows: readonly SensorUpdate[]): Promise<void> {
  if (!rows.length) return
  const json = JSON.stringify(rows.map((r) => ({ id: r.id, v: r.value, a: r.at, p: r.pending, l: r.level })))
  if (engine === 'postgres') {
    await sql`UPDATE sensors AS s SET last_value = j.v, last_at = j.a, pending = j.p, alarm_level = j.l, silent_since = NULL
      FROM jsonb_to_recordset(${json}::jsonb) AS j(id bigint, v float8, a bigint, p text, l text) WHERE s.id = j.id`.execute(db)
  } else {
    await sql`UPDATE sensors SET last_value = j.value ->> 'v', last_at = j.value ->> 'a', pending = j.value ->> 'p', alarm_level = j.value ->> 'l', silent_since = NULL
      FROM json_each(${json}) AS j WHERE sensors.id = j.value ->> 'id'`.execute(db)
  }
}

// ---- rules ----

const ruleOf = (r: Selectable<AlarmRulesTable>): AlarmRule => ({
  id: Number(r.id), kind: r.kind, channel: r.channel as SensorChannel, subcategoryCode: r.subcategory_code, featureId: r.feature_id === null ? null : Number(r.feature_id),
  level: r.level as AlarmLevel, direction: r.direction as 'above' | 'below', threshold: r.threshold, clearValue: r.clear_value,
  minDurationS: Number(r.min_duration_s), silenceMinutes: r.silence_minutes === null ? null : Number(r.silence_minutes), enabled: Boolean(Number(r.enabled)),
  note: r.note, updatedBy: r.updated_by === null ? null : Number(r.updated_by), updatedAt: r.updated_at,
})

export async function listRules(db: Executor): Promise<AlarmRule[]> {
  return (await db.selectFrom('alarm_rules').selectAll().orderBy('channel').orderBy('id').execute()).map(ruleOf)
}

export async function ruleById(db: Executor, id: number): Promise<AlarmRule | null> {
  const r = await db.selectFrom('alarm_rules').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? ruleOf(r) : null
}

export type RuleInput = Omit<AlarmRule, 'id' | 'updatedBy' | 'updatedAt'>

const ruleRow = (r: RuleInput, by: number | null, at: string) => ({
  kind: r.kind, channel: r.channel, subcategory_code: r.subcategoryCode, feature_id: r.featureId, level: r.level, direction: r.direction,
  threshold: r.threshold, clear_value: r.clearValue, min_duration_s: r.minDurationS, silence_minutes: r.silenceMinutes, enabled: r.enabled ? 1 : 0,
  note: r.note, updated_by: by, updated_at: at,
})

export async function insertRule(db: Executor, r: RuleInput, by: number | null, at: string): Promise<number> {
  const { id } = await db.insertInto('alarm_rules').values(ruleRow(r, by, at)).returning('id').executeTakeFirstOrThrow()
  return Number(id)
}

export async function updateRule(db: Executor, id: number, r: RuleInput, by: number | null, at: string): Promise<boolean> {
  const res = await db.updateTable('alarm_rules').set(ruleRow(r, by, at)).where('id', '=', id).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function deleteRule(db: Executor, id: number): Promise<boolean> {
  const res = await db.deleteFrom('alarm_rules').where('id', '=', id).executeTakeFirst()
  return Number(res.numDeletedRows) > 0
}

/** A new atlas starts with the default rules (domain/monitoring.ts); an atlas that has any rule keeps its own. */
export async function seedDefaultRules(db: Db, now: Date): Promise<void> {
  if (await db.kysely.selectFrom('alarm_rules').select('id').limit(1).executeTakeFirst()) return
  const at = now.toISOString()
  const rows = DEFAULT_RULES.flatMap((d) => [
    ...(Object.entries(d.levels) as [AlarmLevel, [number, number]][]).map(([level, [threshold, clear]]): RuleInput => ({
      kind: 'threshold', channel: d.channel, subcategoryCode: null, featureId: null, level, direction: d.direction, threshold, clearValue: clear,
      minDurationS: d.minDurationS, silenceMinutes: null, enabled: true, note: '默认规则',
    })),
    { kind: 'silence', channel: d.channel, subcategoryCode: null, featureId: null, level: 'blue', direction: 'above', threshold: null, clearValue: null,
      minDurationS: 0, silenceMinutes: d.silenceMinutes, enabled: true, note: '默认规则' } satisfies RuleInput,
  ])
  await db.kysely.insertInto('alarm_rules').values(rows.map((r) => ruleRow(r, null, at))).execute()
}

// ---- SLA ----

const SLA_KEY = 'alarm_sla'

export const readSla = (db: Executor): Promise<SlaTable> => readJsonSetting(db, SLA_KEY, DEFAULT_SLA)
export const writeSla = (db: Executor, sla: SlaTable): Promise<void> => writeJsonSetting(db, SLA_KEY, sla)

// ---- alarms ----

export type AlarmRow = Selectable<AlarmsTable>

export const alarmOf = (r: AlarmRow): AlarmRecord => ({
  id: Number(r.id), featureId: Number(r.feature_id), sensorId: r.sensor_id === null ? null : Number(r.sensor_id), resourceId: Number(r.resource_id),
  departmentId: Number(r.department_id), pointName: r.point_name, x: r.x, y: r.y, kind: r.kind as AlarmKind, channel: r.channel as SensorChannel,
  level: r.level as AlarmLevel, status: r.status as AlarmStatus, value: r.value, threshold: r.threshold, unit: r.unit, raisedAt: r.raised_at,
  lastAt: r.last_at, count: Number(r.count), recoveredAt: r.recovered_at, pushedAt: r.pushed_at, endedAt: r.ended_at,
  escalated: r.escalated ? (r.escalated.split(',') as AlarmRecord['escalated']) : [], updatedAt: r.updated_at,
})

/** The open alarms of these points (at most one each). */
export async function openAlarmsOf(db: Executor, engine: Engine, featureIds: readonly number[]): Promise<Map<number, AlarmRecord>> {
  const out = new Map<number, AlarmRecord>()
  if (!featureIds.length) return out
  let q = db.selectFrom('alarms').selectAll().where(oneOf(engine, 'feature_id', featureIds)).where('status', 'not in', ENDED_STATUSES)
  if (engine === 'postgres') q = q.forUpdate()
  for (const r of await q.execute()) out.set(Number(r.feature_id), alarmOf(r))
  return out
}

export async function alarmRow(db: Executor, id: number): Promise<AlarmRecord | null> {
  const r = await db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? alarmOf(r) : null
}

export async function insertAlarm(db: Executor, a: Omit<AlarmRecord, 'id' | 'count' | 'escalated' | 'pushedAt' | 'endedAt' | 'recoveredAt'>): Promise<number> {
  const { id } = await db.insertInto('alarms').values({
    feature_id: a.featureId, sensor_id: a.sensorId, resource_id: a.resourceId, department_id: a.departmentId, point_name: a.pointName, x: a.x, y: a.y,
    kind: a.kind, channel: a.channel, level: a.level, status: a.status, value: a.value, threshold: a.threshold, unit: a.unit,
    raised_at: a.raisedAt, last_at: a.lastAt, updated_at: a.updatedAt,
  }).returning('id').executeTakeFirstOrThrow()
  return Number(id)
}

/** The point alarmed again while its alarm is open: it joins it (count, latest value, the higher level). */
export async function mergeIntoAlarm(db: Executor, id: number, m: { level: AlarmLevel; value: number | null; threshold: number | null; at: string; sensorId: number | null; channel: string; unit: string; kind: AlarmKind }): Promise<void> {
  await db.updateTable('alarms').set({
    count: sql`count + 1`, last_at: m.at, updated_at: m.at, value: m.value, threshold: m.threshold, level: m.level, sensor_id: m.sensorId,
    channel: m.channel, unit: m.unit, kind: m.kind, recovered_at: null,
  }).where('id', '=', id).execute()
}

export async function markRecovered(db: Executor, id: number, at: string): Promise<void> {
  await db.updateTable('alarms').set({ recovered_at: at, updated_at: at }).where('id', '=', id).execute()
}

/** Moves an alarm from `from` to `to` if it is still in `from` (another user may have moved it meanwhile). */
export async function moveAlarm(db: Executor, id: number, from: AlarmStatus, to: AlarmStatus, at: string): Promise<boolean> {
  const res = await db.updateTable('alarms').set({
    status: to, updated_at: at,
    ...(to === 'pushed' ? { pushed_at: at } : {}),
    ...(ENDED_STATUSES.includes(to) ? { ended_at: at } : {}),
  }).where('id', '=', id).where('status', '=', from).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function setEscalated(db: Executor, id: number, from: string, to: string, at: string): Promise<boolean> {
  const res = await db.updateTable('alarms').set({ escalated: to, updated_at: at }).where('id', '=', id).where('escalated', '=', from).executeTakeFirst()
  return Number(res.numUpdatedRows) > 0
}

export async function insertStep(db: Executor, s: Omit<AlarmStepRecord, 'id'> & { alarmId: number }): Promise<void> {
  await db.insertInto('alarm_steps').values({ alarm_id: s.alarmId, at: s.at, action: s.action, status: s.status, user_id: s.userId, username: s.username, note: s.note }).execute()
}

export async function stepsOf(db: Executor, engine: Engine, alarmIds: readonly number[]): Promise<Map<number, AlarmStepRecord[]>> {
  const out = new Map<number, AlarmStepRecord[]>()
  if (!alarmIds.length) return out
  const rows = await db.selectFrom('alarm_steps').selectAll().where(oneOf(engine, 'alarm_id', alarmIds)).orderBy('id').execute()
  for (const r of rows) {
    const list = out.get(Number(r.alarm_id)) ?? []
    list.push({ id: Number(r.id), at: r.at, action: r.action, status: r.status as AlarmStatus, userId: r.user_id === null ? null : Number(r.user_id), username: r.username, note: r.note })
    out.set(Number(r.alarm_id), list)
  }
  return out
}

export interface AlarmQuery {
  /** Visible resources (null: all). */
  resourceIds: number[] | null
  departmentIds?: number[]
  status?: AlarmStatus[]
  level?: AlarmLevel[]
  kind?: AlarmKind[]
  open?: boolean
  featureId?: number
  q?: string
  /** Only alarms with an SLA step escalated to the bureau. */
  escalated?: boolean
  before?: number
  limit: number
}

export async function queryAlarms(db: Executor, engine: Engine, f: AlarmQuery): Promise<{ rows: AlarmRecord[]; total: number }> {
  let q = db.selectFrom('alarms')
  if (f.resourceIds) q = q.where(oneOf(engine, 'resource_id', f.resourceIds))
  if (f.departmentIds?.length) q = q.where(oneOf(engine, 'department_id', f.departmentIds))
  if (f.status?.length) q = q.where('status', 'in', f.status)
  if (f.level?.length) q = q.where('level', 'in', f.level)
  if (f.kind?.length) q = q.where('kind', 'in', f.kind)
  if (f.open === true) q = q.where('status', 'not in', ENDED_STATUSES)
  if (f.open === false) q = q.where('status', 'in', ENDED_STATUSES)
  if (f.featureId) q = q.where('feature_id', '=', f.featureId)
  if (f.escalated) q = q.where('escalated', '!=', '')
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where(engine === 'postgres' ? sql<boolean>`point_name ILIKE ${pattern} ESCAPE '\\'` : sql<boolean>`point_name LIKE ${pattern} ESCAPE '\\'`)
  }
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  let page = q.selectAll()
  if (f.before) page = page.where('id', '<', f.before)
  const rows = await page.orderBy('id', 'desc').limit(f.limit).execute()
  return { rows: rows.map(alarmOf), total: Number(n) }
}

/** Counts of alarms by status and level (the visible resources only). */
export async function alarmCounts(db: Executor, engine: Engine, resourceIds: number[] | null, departmentIds: number[] | null): Promise<{ status: string; level: string; n: number }[]> {
  let q = db.selectFrom('alarms').select(['status', 'level', (eb) => eb.fn.countAll<number>().as('n')])
  if (resourceIds) q = q.where(oneOf(engine, 'resource_id', resourceIds))
  if (departmentIds) q = q.where(oneOf(engine, 'department_id', departmentIds))
  return (await q.groupBy(['status', 'level']).execute()).map((r) => ({ status: r.status, level: r.level, n: Number(r.n) }))
}

/** Open alarms pushed to a department (the ones SLA clocks run on). */
export async function pushedOpenAlarms(db: Executor): Promise<AlarmRecord[]> {
  return (await db.selectFrom('alarms').selectAll().where('pushed_at', 'is not', null).where('status', 'in', ['pushed', 'signed', 'handling']).execute()).map(alarmOf)
}

// ---- sensors and readings for a point ----

export async function sensorsOfPoint(db: Executor, featureId: number): Promise<SensorRow[]> {
  return (await db.selectFrom('sensors').selectAll().where('feature_id', '=', featureId).orderBy('id').execute()).map(numericSensor)
}

export async function sensorById(db: Executor, id: number): Promise<SensorRow | null> {
  const r = await db.selectFrom('sensors').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? numericSensor(r) : null
}

export async function rollupSeries(db: Executor, sensorId: number, span: 'minute' | 'hour', from: number): Promise<{ bucket: number; n: number; total: number; low: number; high: number }[]> {
  return (await db.selectFrom('reading_rollups').select(['bucket', 'n', 'total', 'low', 'high']).where('sensor_id', '=', sensorId).where('span', '=', span)
    .where('bucket', '>=', from).orderBy('bucket').execute()).map((r) => ({ bucket: Number(r.bucket), n: Number(r.n), total: r.total, low: r.low, high: r.high }))
}

export async function rawSeries(db: Executor, sensorId: number, from: number, limit: number): Promise<{ at: number; value: number }[]> {
  return (await db.selectFrom('readings').select(['at', 'value']).where('sensor_id', '=', sensorId).where('at', '>=', from).orderBy('at').limit(limit).execute())
    .map((r) => ({ at: Number(r.at), value: r.value }))
}

/** Sensors of `channel` not silent yet whose last reading (or registration) is older than `cutoff`. */
export async function quietSensors(db: Executor, channel: string, cutoff: number, limit: number): Promise<SensorRow[]> {
  return (await db.selectFrom('sensors').selectAll().where('channel', '=', channel).where('silent_since', 'is', null)
    .where((eb) => eb.or([eb('last_at', '<', cutoff), eb.and([eb('last_at', 'is', null), eb('created_at', '<', cutoff)])]))
    .limit(limit).execute()).map(numericSensor)
}

export async function markSilent(db: Executor, engine: Engine, ids: readonly number[], at: number): Promise<void> {
  if (ids.length) await db.updateTable('sensors').set({ silent_since: at }).where(oneOf(engine, 'id', ids)).where('silent_since', 'is', null).execute()
}

/** Rows deleted per statement when pruning: short writes, with the event loop free between them. */
const PRUNE_CHUNK = 5000

/**
 * Deletes raw readings and minute roll-ups past their keeping time, and events past the replay window,
 * a few thousand rows per statement (a month of readings at thousands a second is millions of rows:
 * one statement would hold the write lock, and on SQLite the server's thread, for seconds).
 */
export async function pruneMonitoring(db: Executor, o: { rawBefore: number; minutesBefore: number; eventsBefore: string }): Promise<number> {
  let deleted = 0
  const chunks = [
    () => sql`DELETE FROM readings WHERE (sensor_id, at) IN (SELECT sensor_id, at FROM readings WHERE at < ${o.rawBefore} LIMIT ${PRUNE_CHUNK})`,
    () => sql`DELETE FROM reading_rollups WHERE (sensor_id, span, bucket) IN (SELECT sensor_id, span, bucket FROM reading_rollups WHERE span = 'minute' AND bucket < ${o.minutesBefore} LIMIT ${PRUNE_CHUNK})`,
    () => sql`DELETE FROM live_events WHERE id IN (SELECT id FROM live_events WHERE at < ${o.eventsBefore} LIMIT ${PRUNE_CHUNK})`,
  ]
  for (const chunk of chunks) {
    for (;;) {
      const n = Number((await chunk().execute(db)).numAffectedRows ?? 0)
      deleted += n
      if (n < PRUNE_CHUNK) break
      await new Promise((r) => setImmediate(r))
    }
  }
  return deleted
}

// ---- live events ----

export async function insertEvents(db: Executor, rows: readonly { at: string; type: string; resourceId: number | null; departmentId: number | null; data: unknown }[]): Promise<void> {
  if (!rows.length) return
  await db.insertInto('live_events').values(rows.map((e) => ({ at: e.at, type: e.type, resource_id: e.resourceId, department_id: e.departmentId, data: JSON.stringify(e.data) }))).execute()
}

export async function eventsAfter(db: Executor, after: number, limit: number) {
  return (await db.selectFrom('live_events').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute()).map((r) => ({
    id: Number(r.id), at: r.at, type: r.type, resourceId: r.resource_id === null ? null : Number(r.resource_id),
    departmentId: r.department_id === null ? null : Number(r.department_id), data: JSON.parse(r.data) as unknown,
  }))
}

export async function lastEventId(db: Executor): Promise<number> {
  const r = await db.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
  return Number(r?.id ?? 0)
}

export async function firstEventId(db: Executor): Promise<number> {
  const r = await db.selectFrom('live_events').select((eb) => eb.fn.min('id').as('id')).executeTakeFirst()
  return Number(r?.id ?? 0)
}

export async function departmentNamesOf(db: Executor, engine: Engine, ids: readonly number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map()
  const rows = await db.selectFrom('departments').select(['id', 'name']).where(oneOf(engine, 'id', ids)).execute()
  return new Map(rows.map((r) => [Number(r.id), r.name]))
}
