import type { Db } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import { severity, SENSOR_CHANNELS } from '../domain/monitoring.js'
import { applyAlarmChanges, escalateOverdue, type AlarmTally, type Raise } from './alarms.js'
import { rulesFor } from './evaluate.js'
import { liveHubOf } from './live.js'
import { listRules, markSilent, monitoringPoints, pruneMonitoring, quietSensors } from './queries.js'

/**
 * What the monitoring does by the clock: silent sensors (no reading for their rule's N minutes) raise
 * alarms of their own kind, overdue SLA steps are escalated, and old readings and events go. Each
 * sweep is safe to run in several processes at once.
 */

/** Sensors looked at per channel and sweep (a larger backlog is taken over the next sweeps). */
const SILENCE_BATCH = 2000

export async function sweepSilence(db: Db, now: Date): Promise<AlarmTally> {
  const rules = (await listRules(db.kysely)).filter((r) => r.enabled && r.kind === 'silence' && r.silenceMinutes !== null && r.silenceMinutes > 0)
  const tally: AlarmTally = { raised: 0, merged: 0, recovered: 0 }
  const t = now.getTime()
  for (const { code: channel } of SENSOR_CHANNELS) {
    const own = rules.filter((r) => r.channel === channel)
    if (!own.length) continue
    // The shortest silence any rule of the channel allows finds every candidate; each sensor's own rule decides.
    const shortest = Math.min(...own.map((r) => r.silenceMinutes!))
    const quiet = await quietSensors(db.kysely, channel, t - shortest * 60_000, SILENCE_BATCH)
    if (!quiet.length) continue
    const points = await monitoringPoints(db.kysely, db.engine, [...new Set(quiet.map((s) => s.feature_id))], null)
    const raises: Raise[] = []
    for (const s of quiet) {
      const point = points.get(s.feature_id)
      if (!point) continue
      const rule = rulesFor(own, { featureId: s.feature_id, subcategoryCode: point.subcategoryCode }).sort((a, b) => severity(b.level) - severity(a.level))[0]
      if (!rule) continue
      const heard = s.last_at ?? s.created_at
      if (heard >= t - rule.silenceMinutes! * 60_000) continue
      raises.push({ type: 'raise', point, sensorId: s.id, channel, unit: s.unit, kind: 'silence', level: rule.level, value: null, threshold: rule.silenceMinutes, at: now.toISOString() })
    }
    if (!raises.length) continue
    const done = await inWriteTransaction(db, async (trx) => {
      await markSilent(trx, db.engine, raises.map((r) => r.sensorId), t)
      return applyAlarmChanges(trx, db.engine, raises)
    })
    tally.raised += done.raised
    tally.merged += done.merged
  }
  if (tally.raised || tally.merged) liveHubOf(db).wake()
  return tally
}

export interface MonitoringSchedule {
  stop(): void
}

export interface SweepOptions {
  /** Days raw readings are kept (minute roll-ups 90 days or as long, hour roll-ups for good). */
  rawDays: number
  everyMs?: number
}

export async function pruneOld(db: Db, now: Date, rawDays: number): Promise<void> {
  const t = now.getTime()
  await pruneMonitoring(db.kysely, {
    rawBefore: t - rawDays * 86_400_000,
    minutesBefore: t - Math.max(90, rawDays) * 86_400_000,
    eventsBefore: new Date(t - 86_400_000).toISOString(),
  })
}

/** Runs the sweeps on a timer (the server does; tests call the sweeps with their own clock). */
export function scheduleSweeps(db: Db, now: () => Date, o: SweepOptions): MonitoringSchedule {
  let running = false
  let lastPrune = 0
  const tick = async () => {
    if (running) return
    running = true
    try {
      await sweepSilence(db, now())
      await escalateOverdue(db, now())
      if (Date.now() - lastPrune > 3_600_000) {
        lastPrune = Date.now()
        await pruneOld(db, now(), o.rawDays)
      }
    } catch (err) {
      console.error(`monitoring sweep failed: ${err instanceof Error ? err.message : err}`)
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), o.everyMs ?? 30_000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
