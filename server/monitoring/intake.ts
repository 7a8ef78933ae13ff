import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Db } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import { AppError } from '../http/errors.js'
import { jsonTooDeepAt } from '../http/nesting.js'
import { runWorkerTask, siblingModule } from '../http/worker-task.js'
import { CHANNEL_BY_CODE, type AlarmLevel, type AlarmRule, type ThresholdRule } from '../domain/monitoring.js'
import { applyReading, bySeverity, rulesFor, type SensorRuleState } from './evaluate.js'
import { applyAlarmChanges, type AlarmTally, type Raise, type Recovery } from './alarms.js'
import { liveHubOf } from './live.js'
import {
  addToRollups, insertReadings, insertSensors, listRules, monitoringPoints, sensorsOfPoints, storedReadings, updateSensors,
  type MonitoringPoint, type RollupRow, type SensorRow, type SensorUpdate,
} from './queries.js'

/**
 * Sensor readings of one department system (an HTTP batch or an MQTT message), checked one by one:
 * a bad reading is counted with its reason and never stops the good ones. The good ones are stored
 * with their minute and hour roll-ups, run through their sensor's rules, and may raise, join or end
 * alarms — all in one transaction.
 */

/** Readings one request (or message) may carry. */
export const MAX_READINGS = 10_000
/** How far ahead of the server clock a reading's time may be (clocks of field devices drift). */
const MAX_SKEW_MS = 5 * 60_000
/** Problems listed one by one in the answer (all are counted). */
const LISTED_PROBLEMS = 50

export const READING_PROBLEMS = {
  invalid: '格式错误',
  'unknown-sensor': '未知监测点或通道',
  'not-a-number': '数值无效',
  'wrong-unit': '单位不符',
  'out-of-range': '超出量程',
  future: '时间晚于当前',
  'too-old': '时间早于保留期',
} as const
export type ReadingProblem = keyof typeof READING_PROBLEMS

export interface IntakeReport {
  received: number
  accepted: number
  /** Readings stored already (a resent batch), or repeated within the batch: not stored twice, not errors. */
  duplicates: number
  rejected: number
  rejectedBy: Partial<Record<ReadingProblem, number>>
  problems: { index: number; reason: ReadingProblem; message: string }[]
  alarms: AlarmTally
}

export interface IntakeOptions {
  /** The system the key belongs to: readings for other systems' points are unknown sensors. */
  systemId: number
  now: Date
  /** Days raw readings are kept: older readings are refused (they would go at once). */
  rawDays: number
}

interface Good { index: number; featureId: number; channel: string; value: number; at: number }

const WORKER = siblingModule(import.meta.url, 'intake-worker')
const WORKER_LIMITS = { heapMb: 256, timeoutMs: 60_000 }
/**
 * Smaller batches are taken in the server's thread: a few milliseconds there, where a worker (started
 * on first use, then kept) would add its start and a round trip to an alarm's way to the screen.
 */
const IN_THREAD_READINGS = 200
const IN_THREAD_CHARS = 24 * 1024
/** Batches waiting for the worker before more are refused (503: the sender tries again shortly). */
const QUEUE_LIMIT = 64
const queues = new WeakMap<Db, { tail: Promise<unknown>; waiting: number }>()

/**
 * Takes a batch (the body's text, or readings already parsed) where it costs the server's thread least:
 * on SQLite a large batch in a worker thread with its own connection, one batch at a time while this
 * process's own writes wait at the write gate; a small batch, a batch on PostgreSQL (whose queries do
 * not hold the thread) and one for an in-memory database, here.
 */
export async function takeReadingsOffThread(db: Db, databaseUrl: string | null, input: { text: string } | { readings: readonly unknown[] }, o: IntakeOptions): Promise<IntakeReport> {
  const small = 'text' in input ? input.text.length <= IN_THREAD_CHARS : input.readings.length <= IN_THREAD_READINGS
  if (!databaseUrl || db.engine !== 'sqlite' || small) return 'text' in input ? takeReadingsText(db, input.text, o) : takeReadings(db, input.readings, o)
  let q = queues.get(db)
  if (!q) queues.set(db, (q = { tail: Promise.resolve(), waiting: 0 }))
  if (q.waiting >= QUEUE_LIMIT) throw new AppError(503, 'busy', 'too many readings are waiting to be stored: send this batch again in a moment')
  q.waiting++
  const queue = q
  const run = queue.tail.then(() => db.writeGate.hold(() => runWorkerTask<IntakeReport>(WORKER,
    { databaseUrl, ...input, systemId: o.systemId, now: o.now.toISOString(), rawDays: o.rawDays }, WORKER_LIMITS, { ownTurn: true })))
  queue.tail = run.catch(() => {})
  try {
    const answer = await run
    if (!answer.ok) throw new AppError((answer.status ?? 400) as ContentfulStatusCode, answer.code, answer.message)
    const a = answer.value.alarms
    if (a.raised || a.merged || a.recovered) liveHubOf(db).wake()
    return answer.value
  } finally {
    queue.waiting--
  }
}

/** Parses a JSON body (`{ "readings": [...] }`) with its limits, then takes the readings. */
export async function takeReadingsText(db: Db, text: string, o: IntakeOptions): Promise<IntakeReport> {
  const deep = jsonTooDeepAt(text, 8)
  if (deep >= 0) throw new AppError(400, 'too_deep', `the body nests arrays and objects deeper than 8 levels (at character ${deep + 1})`, { parameter: 'body' })
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new AppError(400, 'invalid_parameter', 'the body must be JSON: {"readings": [{"point", "channel", "value", "at"}, …]}', { parameter: 'body' })
  }
  const readings = Array.isArray(body) ? body : (body as { readings?: unknown } | null)?.readings
  if (!Array.isArray(readings)) throw new AppError(400, 'invalid_parameter', 'invalid readings: must be an array of readings', { parameter: 'readings' })
  return takeReadings(db, readings, o)
}

export async function takeReadings(db: Db, readings: readonly unknown[], o: IntakeOptions): Promise<IntakeReport> {
  if (readings.length > MAX_READINGS) {
    throw new AppError(413, 'too_large', `at most ${MAX_READINGS.toLocaleString('en')} readings a request (got ${readings.length.toLocaleString('en')}): send them in several`, { parameter: 'readings' })
  }
  const report: IntakeReport = { received: readings.length, accepted: 0, duplicates: 0, rejected: 0, rejectedBy: {}, problems: [], alarms: { raised: 0, merged: 0, recovered: 0 } }
  const refuse = (index: number, reason: ReadingProblem, message: string) => {
    report.rejected++
    report.rejectedBy[reason] = (report.rejectedBy[reason] ?? 0) + 1
    if (report.problems.length < LISTED_PROBLEMS) report.problems.push({ index, reason, message })
  }
  const now = o.now.getTime()
  const oldest = now - o.rawDays * 86_400_000
  const checked: Good[] = []
  readings.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse(index, 'invalid', 'a reading must be an object {"point", "channel", "value", "at"}')
    const r = raw as Record<string, unknown>
    if (typeof r.point !== 'number' || !Number.isSafeInteger(r.point) || r.point <= 0) return refuse(index, 'invalid', 'point: must be the id of a monitoring point (a positive whole number)')
    if (typeof r.channel !== 'string') return refuse(index, 'invalid', 'channel: must be a string such as "gas"')
    const channel = CHANNEL_BY_CODE.get(r.channel)
    if (!channel) return refuse(index, 'unknown-sensor', `channel: unknown channel ${JSON.stringify(r.channel.slice(0, 40))}`)
    if (typeof r.value !== 'number' || !Number.isFinite(r.value)) return refuse(index, 'not-a-number', 'value: must be a finite number')
    if (r.unit !== undefined && r.unit !== channel.unit) return refuse(index, 'wrong-unit', `unit: the ${channel.code} channel is measured in ${channel.unit}`)
    if (r.value < channel.min || r.value > channel.max) return refuse(index, 'out-of-range', `value: ${r.value} is outside the range of a ${channel.code} sensor (${channel.min}–${channel.max} ${channel.unit})`)
    if (typeof r.at !== 'string' || r.at.length > 40 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/.test(r.at)) {
      return refuse(index, 'invalid', 'at: must be an ISO 8601 date-time with a time zone, e.g. 2026-06-15T12:00:00+08:00')
    }
    const at = Date.parse(r.at)
    if (!Number.isFinite(at)) return refuse(index, 'invalid', 'at: not a valid date-time')
    if (at > now + MAX_SKEW_MS) return refuse(index, 'future', 'at: lies in the future')
    if (at < oldest) return refuse(index, 'too-old', `at: older than the ${o.rawDays} days readings are kept`)
    checked.push({ index, featureId: r.point, channel: channel.code, value: r.value, at })
  })
  if (!checked.length) return report

  const points = await monitoringPoints(db.kysely, db.engine, [...new Set(checked.map((g) => g.featureId))], o.systemId)
  const good = checked.filter((g) => {
    if (points.has(g.featureId)) return true
    refuse(g.index, 'unknown-sensor', `point: ${g.featureId} is not a monitoring point of this system`)
    return false
  })
  if (good.length) {
    const { accepted, duplicates, alarms } = await inWriteTransaction(db, (trx) => store(trx, db.engine, good, points, now))
    report.accepted = accepted
    report.duplicates = duplicates
    report.alarms = alarms
    if (alarms.raised || alarms.merged || alarms.recovered) liveHubOf(db).wake()
  }
  report.problems.sort((a, b) => a.index - b.index)
  return report
}

const toThreshold = (r: AlarmRule): ThresholdRule => ({
  id: r.id, level: r.level, direction: r.direction, threshold: r.threshold!, clearValue: r.clearValue ?? r.threshold!, minDurationS: r.minDurationS,
})

async function store(trx: Parameters<Parameters<typeof inWriteTransaction>[1]>[0], engine: Db['engine'], good: Good[], points: Map<number, MonitoringPoint>, now: number) {
  const featureIds = [...points.keys()]
  let sensors = await sensorsOfPoints(trx, engine, featureIds)
  const key = (featureId: number, channel: string) => `${featureId}:${channel}`
  const known = new Set(sensors.map((s) => key(s.feature_id, s.channel)))
  const missing = new Map<string, { featureId: number; channel: string; unit: string; createdAt: number }>()
  for (const g of good) {
    const k = key(g.featureId, g.channel)
    if (!known.has(k)) missing.set(k, { featureId: g.featureId, channel: g.channel, unit: CHANNEL_BY_CODE.get(g.channel)!.unit, createdAt: now })
  }
  if (missing.size) {
    await insertSensors(trx, [...missing.values()])
    sensors = await sensorsOfPoints(trx, engine, featureIds)
  }
  const byKey = new Map(sensors.map((s) => [key(s.feature_id, s.channel), s]))

  // Readings per sensor in time order; a time repeated within the batch is one reading.
  const perSensor = new Map<SensorRow, { at: number; value: number }[]>()
  let duplicates = 0
  for (const g of good) {
    const s = byKey.get(key(g.featureId, g.channel))!
    let list = perSensor.get(s)
    if (!list) perSensor.set(s, (list = []))
    list.push({ at: g.at, value: g.value })
  }
  const late: [number, number][] = []
  for (const [s, list] of perSensor) {
    list.sort((a, b) => a.at - b.at)
    const unique = list.filter((r, i) => i === 0 || r.at !== list[i - 1]!.at)
    duplicates += list.length - unique.length
    perSensor.set(s, unique)
    if (s.last_at !== null) for (const r of unique) if (r.at <= s.last_at) late.push([s.id, r.at])
  }
  // Only a reading no later than its sensor's latest can have been stored before (a resent batch).
  const stored = await storedReadings(trx, engine, late)

  const rules = (await listRules(trx)).filter((r) => r.enabled && r.kind === 'threshold' && r.threshold !== null)
  const rows: [number, number, number][] = []
  const rollups = new Map<string, RollupRow>()
  const updates: SensorUpdate[] = []
  const changes: (Raise | Recovery)[] = []
  const iso = (ms: number) => new Date(ms).toISOString()
  for (const [s, list] of perSensor) {
    const point = points.get(s.feature_id)!
    const sensorRules = bySeverity(rulesFor(rules.filter((r) => r.channel === s.channel), { featureId: s.feature_id, subcategoryCode: point.subcategoryCode }).map(toThreshold))
    let state: SensorRuleState = { alarmLevel: (s.alarm_level as AlarmLevel | null) ?? null, pending: s.pending ? (JSON.parse(s.pending) as SensorRuleState['pending']) : {} }
    let latest: { at: number; value: number } | null = null
    let silent = s.silent_since !== null
    for (const r of list) {
      if (stored.has(`${s.id}:${r.at}`)) {
        duplicates++
        continue
      }
      rows.push([s.id, r.at, r.value])
      for (const [span, size] of [['minute', 60_000], ['hour', 3_600_000]] as const) {
        const bucket = Math.floor(r.at / size) * size
        const k = `${s.id}:${span}:${bucket}`
        const agg = rollups.get(k)
        if (agg) {
          agg[3]++
          agg[4] += r.value
          agg[5] = Math.min(agg[5], r.value)
          agg[6] = Math.max(agg[6], r.value)
        } else rollups.set(k, [s.id, span, bucket, 1, r.value, r.value, r.value])
      }
      // A reading older than the sensor's latest is kept for the record but does not drive its rules.
      if (s.last_at !== null && r.at <= s.last_at) continue
      if (latest && r.at <= latest.at) continue
      latest = r
      if (silent) {
        silent = false
        changes.push({ type: 'recover', point, sensorId: s.id, at: iso(r.at), value: null })
      }
      const step = applyReading(state, sensorRules, r.at, r.value)
      state = step.state
      const o = step.outcome
      if (o?.kind === 'raise') {
        changes.push({ type: 'raise', point, sensorId: s.id, channel: s.channel, unit: s.unit, kind: 'threshold', level: o.level, value: o.value, threshold: o.rule.threshold, at: iso(o.at) })
      } else if (o?.kind === 'recover') {
        changes.push({ type: 'recover', point, sensorId: s.id, at: iso(o.at), value: o.value })
      }
    }
    if (latest) {
      const pending = Object.keys(state.pending).length ? JSON.stringify(state.pending) : null
      updates.push({ id: s.id, value: latest.value, at: latest.at, pending, level: state.alarmLevel })
    }
  }
  await insertReadings(trx, engine, rows)
  await addToRollups(trx, engine, [...rollups.values()])
  await updateSensors(trx, engine, updates)
  // Alarm changes in time order, so a raise and a recovery of one point apply as they happened.
  const alarms = await applyAlarmChanges(trx, engine, changes.sort((a, b) => a.at.localeCompare(b.at)))
  return { accepted: rows.length, duplicates, alarms }
}

/** What came in since the process started, per way in and system: for 系统管理 → 监测接入. */
export interface IntakeTally {
  source: 'http' | 'mqtt'
  systemId: number
  batches: number
  received: number
  accepted: number
  duplicates: number
  rejected: number
  rejectedBy: Partial<Record<ReadingProblem, number>>
  /** Batches or messages refused as a whole (a bad key, not JSON). */
  refused: number
  lastProblem: string | null
  lastAt: string | null
}

export class IntakeStats {
  private readonly tallies = new Map<string, IntakeTally>()
  /** Whether the MQTT intake is connected, when there is one. */
  mqtt: { url: string; connected: () => boolean } | null = null

  private tally(source: 'http' | 'mqtt', systemId: number): IntakeTally {
    const k = `${source}:${systemId}`
    let t = this.tallies.get(k)
    if (!t) this.tallies.set(k, (t = { source, systemId, batches: 0, received: 0, accepted: 0, duplicates: 0, rejected: 0, rejectedBy: {}, refused: 0, lastProblem: null, lastAt: null }))
    return t
  }

  record(source: 'http' | 'mqtt', systemId: number, r: IntakeReport): void {
    const t = this.tally(source, systemId)
    t.batches++
    t.received += r.received
    t.accepted += r.accepted
    t.duplicates += r.duplicates
    t.rejected += r.rejected
    for (const [k, n] of Object.entries(r.rejectedBy) as [ReadingProblem, number][]) t.rejectedBy[k] = (t.rejectedBy[k] ?? 0) + n
    if (r.problems.length) t.lastProblem = `${READING_PROBLEMS[r.problems[0]!.reason]}：${r.problems[0]!.message}`
    t.lastAt = new Date().toISOString()
  }

  refuse(source: 'http' | 'mqtt', systemId: number, message: string): void {
    const t = this.tally(source, systemId)
    t.refused++
    t.lastProblem = message
    t.lastAt = new Date().toISOString()
  }

  list(): IntakeTally[] {
    return [...this.tallies.values()].sort((a, b) => a.systemId - b.systemId || a.source.localeCompare(b.source))
  }
}

const statsByDb = new WeakMap<Db, IntakeStats>()

/** The intake counters of a database in this process. */
export function intakeStatsOf(db: Db): IntakeStats {
  let s = statsByDb.get(db)
  if (!s) statsByDb.set(db, (s = new IntakeStats()))
  return s
}
