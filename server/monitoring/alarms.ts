import { sql, type Kysely } from 'kysely'
import type { Db, Engine } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { AppError, notFound } from '../http/errors.js'
import {
  ACTION_BY_CODE, ALARM_LEVELS, CHANNEL_BY_CODE, actionsFor, isOpenStatus, mayTakeAction, moreSevere, slaClocks, SLA_STEPS,
  type AlarmAction, type AlarmActor, type AlarmKind, type AlarmLevel, type AlarmRecord, type AlarmStatus, type AlarmStepRecord, type AlarmView,
  type SlaTable,
} from '../domain/monitoring.js'
import {
  alarmRow, departmentNamesOf, insertAlarm, insertEvents, insertStep, markRecovered, mergeIntoAlarm, moveAlarm, openAlarmsOf, pushedOpenAlarms,
  readSla, setEscalated, stepsOf, type MonitoringPoint,
} from './queries.js'
import { liveHubOf } from './live.js'
import { insertAudit } from '../auth/queries.js'

/**
 * The alarm loop: raising (or joining) alarms from what the rules found, the steps people take from
 * 待研判 to 已办结, and the escalation of overdue SLA steps. Every change writes its step and a live
 * event in the same transaction.
 */

type Executor = Kysely<Database>

/** What the event stream carries of an alarm. */
export function alarmEventData(a: AlarmRecord, step: { action: string; note?: string; username?: string }) {
  return {
    alarm: {
      id: a.id, featureId: a.featureId, pointName: a.pointName, x: a.x, y: a.y, resourceId: a.resourceId, departmentId: a.departmentId,
      kind: a.kind, channel: a.channel, level: a.level, status: a.status, value: a.value, unit: a.unit, threshold: a.threshold,
      raisedAt: a.raisedAt, lastAt: a.lastAt, count: a.count, recoveredAt: a.recoveredAt, escalated: a.escalated,
    },
    step,
  }
}

/**
 * Event ids in commit order on PostgreSQL: transactions that write events (and open alarms) take one
 * lock in turn, so an id is never committed after a larger one (a reader that asks for ids after the
 * last it saw would miss it) and two processes cannot open two alarms for one point. SQLite has one
 * writer at a time anyway.
 */
export async function lockAlarms(db: Executor, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(7230412)`.execute(db)
}

export interface Raise {
  type: 'raise'
  point: MonitoringPoint
  sensorId: number
  channel: string
  unit: string
  kind: AlarmKind
  level: AlarmLevel
  value: number | null
  threshold: number | null
  at: string
}
export interface Recovery { type: 'recover'; point: MonitoringPoint; sensorId: number; at: string; value: number | null }

export interface AlarmTally { raised: number; merged: number; recovered: number }

/**
 * Raises alarms (or joins each point's open alarm) and marks recoveries, inside the caller's write
 * transaction, in the order given (time order); returns what it did. The caller wakes the hub after commit.
 */
export async function applyAlarmChanges(db: Executor, engine: Engine, changes: readonly (Raise | Recovery)[]): Promise<AlarmTally> {
  const tally: AlarmTally = { raised: 0, merged: 0, recovered: 0 }
  if (!changes.length) return tally
  await lockAlarms(db, engine)
  const open = await openAlarmsOf(db, engine, [...new Set(changes.map((r) => r.point.featureId))])
  const events: Parameters<typeof insertEvents>[1][number][] = []
  for (const r of changes) {
    if (r.type === 'recover') {
      const existing = open.get(r.point.featureId)
      if (!existing || existing.sensorId !== r.sensorId || existing.recoveredAt) continue
      await markRecovered(db, existing.id, r.at)
      const recovered = { ...existing, recoveredAt: r.at }
      await insertStep(db, { alarmId: existing.id, at: r.at, action: 'recover', status: existing.status, userId: null, username: '', note: r.value === null ? '传感器恢复上报' : `监测值恢复正常：${r.value} ${existing.unit}` })
      open.set(r.point.featureId, recovered)
      events.push({ at: r.at, type: 'alarm', resourceId: recovered.resourceId, departmentId: recovered.departmentId, data: alarmEventData(recovered, { action: 'recover' }) })
      tally.recovered++
      continue
    }
    const existing = open.get(r.point.featureId)
    const label = CHANNEL_BY_CODE.get(r.channel)?.label ?? r.channel
    const what = r.kind === 'silence' ? `${label}传感器离线` : `${label} ${r.value} ${r.unit}（阈值 ${r.threshold}）`
    if (existing) {
      const level = moreSevere(existing.level, r.level)!
      await mergeIntoAlarm(db, existing.id, { level, value: r.value, threshold: r.threshold, at: r.at, sensorId: r.sensorId, channel: r.channel, unit: r.unit, kind: r.kind })
      const merged: AlarmRecord = { ...existing, level, value: r.value, threshold: r.threshold, lastAt: r.at, count: existing.count + 1, recoveredAt: null, kind: r.kind, sensorId: r.sensorId, channel: r.channel as AlarmRecord['channel'], unit: r.unit }
      await insertStep(db, { alarmId: existing.id, at: r.at, action: 'merge', status: existing.status, userId: null, username: '', note: `再次告警（${levelLabel(r.level)}）：${what}` })
      open.set(r.point.featureId, merged)
      events.push({ at: r.at, type: 'alarm', resourceId: merged.resourceId, departmentId: merged.departmentId, data: alarmEventData(merged, { action: 'merge' }) })
      tally.merged++
    } else {
      const record: Omit<AlarmRecord, 'id' | 'count' | 'escalated' | 'pushedAt' | 'endedAt' | 'recoveredAt'> = {
        featureId: r.point.featureId, sensorId: r.sensorId, resourceId: r.point.resourceId, departmentId: r.point.departmentId, pointName: r.point.name,
        x: r.point.x, y: r.point.y, kind: r.kind, channel: r.channel as AlarmRecord['channel'], level: r.level, status: 'pending', value: r.value,
        threshold: r.threshold, unit: r.unit, raisedAt: r.at, lastAt: r.at, updatedAt: r.at,
      }
      const id = await insertAlarm(db, record)
      const created: AlarmRecord = { ...record, id, count: 1, escalated: [], pushedAt: null, endedAt: null, recoveredAt: null }
      await insertStep(db, { alarmId: id, at: r.at, action: 'raise', status: 'pending', userId: null, username: '', note: what })
      open.set(r.point.featureId, created)
      events.push({ at: r.at, type: 'alarm', resourceId: created.resourceId, departmentId: created.departmentId, data: alarmEventData(created, { action: 'raise' }) })
      tally.raised++
    }
  }
  await insertEvents(db, events)
  return tally
}

const levelLabel = (l: AlarmLevel) => ALARM_LEVELS.find((x) => x.code === l)!.label

/** Alarms as a viewer sees them: department names, SLA clocks, the steps they may take. */
export async function alarmViews(db: Db, records: readonly AlarmRecord[], actor: AlarmActor | null, sla: SlaTable, now: Date): Promise<AlarmView[]> {
  const names = await departmentNamesOf(db.kysely, db.engine, [...new Set(records.map((r) => r.departmentId))])
  const pushed = records.filter((r) => r.pushedAt).map((r) => r.id)
  const steps = await stepsOf(db.kysely, db.engine, pushed)
  return records.map((r) => {
    const stepsAt: Partial<Record<AlarmStatus, string>> = {}
    for (const s of steps.get(r.id) ?? []) if (ACTION_BY_CODE.has(s.action)) stepsAt[s.status] ??= s.at
    const clocks = slaClocks({ status: r.status, level: r.level, pushedAt: r.pushedAt, stepsAt }, sla, now)
    return {
      ...r, departmentName: names.get(r.departmentId) ?? '', clocks,
      overdue: isOpenStatus(r.status) && clocks.some((c) => c.overdue && !c.doneAt),
      actions: actor ? actionsFor(actor, r) : [],
    }
  })
}

/** Work other capabilities do when an alarm takes a step (risk grading raises nearby points' likelihood while it is confirmed). */
export type AlarmStepHook = (db: Db, alarm: AlarmRecord, action: AlarmAction, at: string) => Promise<void>
const stepHooks = new Set<AlarmStepHook>()

/** Registers a hook (once, however often it is given). */
export function onAlarmStep(hook: AlarmStepHook): void {
  stepHooks.add(hook)
}

/** One step of the loop by a user: checked against the status and the user's role and department, recorded, announced. */
export async function takeAlarmAction(db: Db, id: number, action: AlarmAction, user: AlarmActor & { id: number; username: string }, note: string, now: Date): Promise<{ before: AlarmRecord; after: AlarmRecord; steps: AlarmStepRecord[] }> {
  const a = ACTION_BY_CODE.get(action)!
  if (a.note && !note.trim()) throw new AppError(400, 'invalid_parameter', `「${a.label}」须填写说明`, { parameter: 'note' })
  const at = now.toISOString()
  const result = await inWriteTransaction(db, async (trx) => {
    await lockAlarms(trx, db.engine)
    const before = await alarmRow(trx, id)
    if (!before) throw notFound('alarm', id)
    if (!(a.from as readonly string[]).includes(before.status)) {
      throw new AppError(409, 'conflict', `告警当前状态为「${statusLabel(before.status)}」，不能${a.label}`)
    }
    if (!mayTakeAction(user, action, before)) {
      const owner = (await departmentNamesOf(trx, db.engine, [before.departmentId])).get(before.departmentId) ?? '责任单位'
      throw new AppError(403, 'forbidden', a.by === 'bureau' ? `只有区大数据局（系统管理员、分析人员）可以${a.label}` : `只有${owner}的填报人员可以${a.label}`)
    }
    if (!(await moveAlarm(trx, id, before.status, a.to, at))) throw new AppError(409, 'conflict', '告警刚被他人处理，请刷新后重试')
    await insertStep(trx, { alarmId: id, at, action, status: a.to, userId: user.id, username: user.username, note: note.trim().slice(0, 2000) })
    const after = (await alarmRow(trx, id))!
    await insertEvents(trx, [{ at, type: 'alarm', resourceId: after.resourceId, departmentId: after.departmentId, data: alarmEventData(after, { action, note: note.trim().slice(0, 200), username: user.username }) }])
    const steps = (await stepsOf(trx, db.engine, [id])).get(id) ?? []
    return { before, after, steps }
  })
  for (const hook of stepHooks) {
    // The step is taken whatever a hook does: a failing one is logged, not the user's error.
    await hook(db, result.after, action, at).catch((err: unknown) => console.error(`after alarm ${id} ${action}: ${err instanceof Error ? err.message : err}`))
  }
  liveHubOf(db).wake()
  return result
}

const statusLabel = (s: AlarmStatus) => ({ pending: '待研判', 'false-alarm': '误报', confirmed: '已确认', pushed: '已推送', signed: '已签收', handling: '处置中', reported: '已反馈', closed: '已办结' })[s]

/**
 * Escalates every SLA step that went overdue since the last sweep (once per step): a step in the
 * alarm's trail, a live event to the bureau. Safe to run in several processes at once (each escalation
 * is a compare-and-set). Returns the escalations made.
 */
export async function escalateOverdue(db: Db, now: Date): Promise<{ alarmId: number; step: string }[]> {
  const sla = await readSla(db.kysely)
  const candidates = await pushedOpenAlarms(db.kysely)
  if (!candidates.length) return []
  const views = await alarmViews(db, candidates, null, sla, now)
  const done: { alarmId: number; step: string }[] = []
  const at = now.toISOString()
  for (const v of views) {
    const late = v.clocks.filter((c) => c.overdue && !c.doneAt && !v.escalated.includes(c.step)).map((c) => c.step)
    if (!late.length) continue
    const next = [...v.escalated, ...late]
    const escalated = await inWriteTransaction(db, async (trx) => {
      await lockAlarms(trx, db.engine)
      if (!(await setEscalated(trx, v.id, v.escalated.join(','), next.join(','), at))) return false
      const labels = late.map((s) => SLA_STEPS.find((x) => x.code === s)!.label).join('、')
      await insertStep(trx, { alarmId: v.id, at, action: 'escalate', status: v.status, userId: null, username: '', note: `${labels}超时，已上报区大数据局` })
      await insertEvents(trx, [{ at, type: 'alarm', resourceId: v.resourceId, departmentId: v.departmentId, data: alarmEventData({ ...v, escalated: next }, { action: 'escalate', note: labels }) }])
      return true
    })
    if (!escalated) continue
    for (const s of late) done.push({ alarmId: v.id, step: s })
    await insertAudit(db, { userId: null, username: '', role: '', address: '', action: 'alarm-escalate', target: `alarm ${v.id}`, result: 'success',
      detail: `${v.pointName}：${late.map((s) => SLA_STEPS.find((x) => x.code === s)!.label).join('、')}超时（${v.departmentName}）` }, now)
  }
  if (done.length) liveHubOf(db).wake()
  return done
}
