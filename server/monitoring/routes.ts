import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { AppError, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { scopeOf } from '../selection/scope.js'
import { visibleFeatureResource, visibleResourceIds } from '../selection/resolve.js'
import { activeKeyByHash, touchApiKey } from '../ingest/queries.js'
import { bearerKey, hashApiKey } from '../ingest/keys.js'
import type { Viewer } from '../domain/access.js'
import {
  ALARM_ACTIONS, ALARM_KINDS, ALARM_LEVELS, ALARM_STATUSES, SENSOR_CHANNELS, isBureau, severity,
  type AlarmActor, type AlarmLevel, type AlarmRecord,
} from '../domain/monitoring.js'
import { alarmViews, takeAlarmAction } from './alarms.js'
import { intakeStatsOf, takeReadingsOffThread } from './intake.js'
import { liveHubOf, type LiveEvent, type LiveMessage } from './live.js'
import { rulesFor } from './evaluate.js'
import {
  alarmCounts, alarmRow, deleteRule, insertRule, listRules, monitoringPoints, queryAlarms, rawSeries, readSla, rollupSeries, ruleById,
  sensorById, sensorsOfPoint, stepsOf, updateRule, writeSla, type RuleInput,
} from './queries.js'

/** Days raw readings are kept unless READINGS_RAW_DAYS says otherwise. */
export const DEFAULT_RAW_DAYS = 30
/** A readings batch: 10,000 readings of some 100 characters each, with room. */
const READINGS_BODY_LIMIT = 4 * 1024 * 1024
/** Events a reconnecting client is sent at most (more: it is told to reload). */
const REPLAY_LIMIT = 1000
const HEARTBEAT_MS = 15_000

const codes = <T extends readonly { code: string }[]>(table: T, what: string) => {
  const allowed = new Set(table.map((t) => t.code))
  return z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).superRefine((list, ctx) => {
    const bad = list.filter((c) => !allowed.has(c))
    if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown ${what} ${bad.join(', ')}; expected one of ${[...allowed].join(', ')}` })
  }).transform((list) => list as T[number]['code'][]).optional()
}

const alarmQuery = z.object({
  status: codes(ALARM_STATUSES, 'status'),
  level: codes(ALARM_LEVELS, 'level'),
  kind: codes(ALARM_KINDS, 'kind'),
  department: z.string().regex(/^[1-9]\d{0,15}(,[1-9]\d{0,15})*$/, 'must be department ids separated by commas').transform((s) => s.split(',').map(Number)).optional(),
  open: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((s) => s === 'true').optional(),
  escalated: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((s) => s === 'true').optional(),
  point: z.coerce.number().int('must be a whole number').positive('must be positive').optional(),
  q: z.string().trim().max(100, 'at most 100 characters').optional(),
  before: z.coerce.number().int('must be a whole number').positive('must be positive').optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
})

const finite = z.number({ message: 'must be a number' }).finite('must be a finite number')
const ruleBody = z.object({
  kind: z.enum(['threshold', 'silence'], { message: 'must be threshold or silence' }),
  channel: z.enum(SENSOR_CHANNELS.map((c) => c.code) as [string, ...string[]], { message: `must be one of ${SENSOR_CHANNELS.map((c) => c.code).join(', ')}` }),
  subcategoryCode: z.string().trim().min(1).max(40).nullable().default(null),
  featureId: z.number().int('must be a whole number').positive('must be positive').nullable().default(null),
  level: z.enum(ALARM_LEVELS.map((l) => l.code) as [AlarmLevel, ...AlarmLevel[]], { message: 'must be red, orange, yellow or blue' }),
  direction: z.enum(['above', 'below'], { message: 'must be above or below' }).default('above'),
  threshold: finite.nullable().default(null),
  clearValue: finite.nullable().default(null),
  minDurationS: z.number().int('must be a whole number').min(0, 'must not be negative').max(86_400, 'must be at most 86400 (a day)').default(0),
  silenceMinutes: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_080, 'must be at most 10080 (a week)').nullable().default(null),
  enabled: z.boolean().default(true),
  note: z.string().trim().max(200, 'at most 200 characters').default(''),
}).superRefine((r, ctx) => {
  if (r.kind === 'threshold') {
    if (r.threshold === null) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a threshold rule needs a threshold' })
    else if (r.clearValue !== null && (r.direction === 'above' ? r.clearValue > r.threshold : r.clearValue < r.threshold)) {
      ctx.addIssue({ code: 'custom', path: ['clearValue'], message: r.direction === 'above' ? 'must not be above the threshold (hysteresis: the value must fall back past it)' : 'must not be below the threshold (hysteresis: the value must rise back past it)' })
    }
  } else if (r.silenceMinutes === null) ctx.addIssue({ code: 'custom', path: ['silenceMinutes'], message: 'a silence rule needs its minutes' })
  if (r.subcategoryCode !== null && r.featureId !== null) ctx.addIssue({ code: 'custom', path: ['featureId'], message: 'a rule narrows to a sub-category or to one point, not both' })
})

const slaMinutes = z.number().int('must be a whole number').min(1, 'must be at least 1').max(43_200, 'must be at most 43200 (30 days)')
const slaLevel = z.object({ sign: slaMinutes, firstReport: slaMinutes, writtenReport: slaMinutes }).superRefine((s, ctx) => {
  if (!(s.sign <= s.firstReport && s.firstReport <= s.writtenReport)) ctx.addIssue({ code: 'custom', message: 'the clocks must not decrease: sign ≤ firstReport ≤ writtenReport' })
})
const slaBody = z.object({ red: slaLevel, orange: slaLevel, yellow: slaLevel, blue: slaLevel })

/** The loop's actor for a signed-in user; null for wall screens and visitors (they watch). */
function actorOf(viewer: Viewer): (AlarmActor & { id: number; username: string }) | null {
  return viewer.kind === 'user' ? { id: viewer.user.id, username: viewer.user.username, role: viewer.user.role, departmentId: viewer.user.departmentId } : null
}

/** A department user (a reporter, or anyone with a department who is not the bureau) sees their own department's alarms. */
function ownDepartmentOnly(viewer: Viewer): number[] | null {
  if (viewer.kind !== 'user' || isBureau(viewer.user) || viewer.user.role === 'leader') return null
  return [viewer.user.departmentId ?? 0]
}

/** Who did what, for those who may know: signed-in users; wall screens and visitors see the steps only. */
const forViewer = <T extends { username: string; note: string }>(viewer: Viewer, step: T): T => (viewer.kind === 'user' ? step : { ...step, username: '', note: '' })

/**
 * Monitoring and alarms: readings in (HTTP), a point's sensors and trends, the alarm rules and SLA
 * clocks, the alarm loop, and the live event stream.
 */
export function monitoringRoutes(deps: AppDeps) {
  const { db } = deps
  const rawDays = deps.monitoring?.rawDays ?? DEFAULT_RAW_DAYS
  const hub = liveHubOf(db)

  const alarmScope = async (c: Context) => {
    const viewer = c.get('viewer')
    return { resourceIds: await visibleResourceIds(deps, scopeOf(c)), departmentIds: ownDepartmentOnly(viewer), viewer }
  }
  /** An alarm the viewer may see, else 404 as if it did not exist. */
  const visibleAlarm = async (c: Context, id: number): Promise<AlarmRecord> => {
    const a = await alarmRow(db.kysely, id)
    const { resourceIds, departmentIds } = await alarmScope(c)
    if (!a || (resourceIds && !resourceIds.includes(a.resourceId)) || (departmentIds && !departmentIds.includes(a.departmentId))) throw notFound('alarm', id)
    return a
  }
  const visiblePoint = async (c: Context, id: number) => {
    const point = (await monitoringPoints(db.kysely, db.engine, [id], null)).get(id)
    if (!point || !(await visibleFeatureResource(deps, scopeOf(c), { resourceId: point.resourceId, kind: 'monitoring-point', riskLevel: null }))) throw notFound('monitoring point', id)
    return point
  }

  return new Hono()
    // Readings are telemetry, many a second: counted per system (GET /monitoring/intake), not audited one by one.
    .post('/ingest/readings', allow('ingest', { audit: null }), bodyLimit({ maxSize: READINGS_BODY_LIMIT, onError: () => { throw new AppError(413, 'too_large', `request body exceeds ${READINGS_BODY_LIMIT / 1024 / 1024} MB: send at most 10,000 readings a request`) } }), async (c) => {
      const key = bearerKey(c.req.header('Authorization'))
      if (!key) throw new AppError(401, 'unauthorized', 'an API key is required: Authorization: Bearer <key>')
      const owner = await activeKeyByHash(db, hashApiKey(key))
      if (!owner) throw new AppError(401, 'unauthorized', 'unknown or revoked API key')
      const stats = intakeStatsOf(db)
      const report = await takeReadingsOffThread(db, ownConnectionUrl(deps), { text: await c.req.text() }, { systemId: owner.systemId, now: deps.now(), rawDays }).catch((err: unknown) => {
        if (err instanceof AppError) stats.refuse('http', owner.systemId, err.message)
        throw err
      })
      stats.record('http', owner.systemId, report)
      await touchApiKey(db, owner.id, deps.now())
      return c.json(report, report.accepted || report.duplicates || !report.rejected ? 200 : 400)
    })
    .get('/monitoring/points/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const point = await visiblePoint(c, id)
      const [sensors, rules, open] = await Promise.all([sensorsOfPoint(db.kysely, id), listRules(db.kysely), queryAlarms(db.kysely, db.engine, { resourceIds: null, featureId: id, open: true, limit: 1 })])
      return c.json({
        point: { id: point.featureId, name: point.name, x: point.x, y: point.y, resourceId: point.resourceId, subcategoryCode: point.subcategoryCode },
        sensors: sensors.map((s) => {
          const own = rulesFor(rules.filter((r) => r.enabled && r.channel === s.channel), { featureId: id, subcategoryCode: point.subcategoryCode })
          return {
            id: s.id, channel: s.channel, unit: s.unit, lastValue: s.last_value, lastAt: s.last_at === null ? null : new Date(s.last_at).toISOString(),
            alarmLevel: s.alarm_level as AlarmLevel | null, silentSince: s.silent_since === null ? null : new Date(s.silent_since).toISOString(),
            thresholds: own.filter((r) => r.kind === 'threshold').sort((a, b) => severity(b.level) - severity(a.level))
              .map((r) => ({ level: r.level, direction: r.direction, threshold: r.threshold, clearValue: r.clearValue, minDurationS: r.minDurationS })),
            silenceMinutes: own.find((r) => r.kind === 'silence')?.silenceMinutes ?? null,
          }
        }),
        openAlarm: open.rows[0] ? { id: open.rows[0].id, level: open.rows[0].level, status: open.rows[0].status } : null,
      })
    })
    .get('/monitoring/sensors/:id/series', allow('public-read'), validate('param', idParam),
      validate('query', z.object({ range: z.enum(['1h', '24h', '30d'], { message: 'must be 1h, 24h or 30d' }).default('24h') })), async (c) => {
        const { id } = c.req.valid('param')
        const { range } = c.req.valid('query')
        const sensor = await sensorById(db.kysely, id)
        if (!sensor) throw notFound('sensor', id)
        await visiblePoint(c, sensor.feature_id).catch(() => { throw notFound('sensor', id) })
        const now = deps.now().getTime()
        if (range === '1h') {
          const raw = await rawSeries(db.kysely, id, now - 3_600_000, 20_000)
          return c.json({ sensorId: id, range, unit: sensor.unit, step: 'raw', points: raw.map((r) => ({ t: new Date(r.at).toISOString(), avg: r.value, min: r.value, max: r.value })) })
        }
        const span = range === '24h' ? 'minute' : 'hour'
        const rows = await rollupSeries(db.kysely, id, span, now - (range === '24h' ? 86_400_000 : 30 * 86_400_000))
        return c.json({ sensorId: id, range, unit: sensor.unit, step: span, points: rows.map((r) => ({ t: new Date(r.bucket).toISOString(), avg: r.total / r.n, min: r.low, max: r.high })) })
      })
    .get('/monitoring/intake', allow('admin'), async (c) => {
      const stats = intakeStatsOf(db)
      const systems = await db.kysely.selectFrom('systems as s').innerJoin('departments as d', 'd.id', 's.department_id').select(['s.id', 's.name', 'd.name as department']).execute()
      const names = new Map(systems.map((s) => [Number(s.id), { system: s.name, department: s.department }]))
      return c.json({
        mqtt: stats.mqtt ? { url: stats.mqtt.url, connected: stats.mqtt.connected() } : null,
        items: stats.list().map((t) => ({ ...t, systemName: names.get(t.systemId)?.system ?? '', departmentName: names.get(t.systemId)?.department ?? '' })),
      })
    })
    .get('/monitoring/rules', allow('read'), async (c) => c.json({ items: await listRules(db.kysely) }))
    .post('/monitoring/rules', allow('admin', { audit: 'alarm-rule' }), validate('json', ruleBody), async (c) => {
      const input = c.req.valid('json') as RuleInput
      await checkRuleTarget(input)
      const viewer = c.get('viewer')
      const id = await insertRule(db.kysely, input, viewer.kind === 'user' ? viewer.user.id : null, deps.now().toISOString())
      return c.json((await ruleById(db.kysely, id))!, 201)
    })
    .put('/monitoring/rules/:id', allow('admin', { audit: 'alarm-rule' }), validate('param', idParam), validate('json', ruleBody), async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json') as RuleInput
      await checkRuleTarget(input)
      const viewer = c.get('viewer')
      if (!(await updateRule(db.kysely, id, input, viewer.kind === 'user' ? viewer.user.id : null, deps.now().toISOString()))) throw notFound('rule', id)
      return c.json((await ruleById(db.kysely, id))!)
    })
    .delete('/monitoring/rules/:id', allow('admin', { audit: 'alarm-rule' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      if (!(await deleteRule(db.kysely, id))) throw notFound('rule', id)
      return c.json({ deleted: id })
    })
    .get('/monitoring/sla', allow('read'), async (c) => c.json(await readSla(db.kysely)))
    .put('/monitoring/sla', allow('admin', { audit: 'alarm-rule' }), validate('json', slaBody), async (c) => {
      await writeSla(db.kysely, c.req.valid('json'))
      return c.json(await readSla(db.kysely))
    })
    .get('/alarms', allow('public-read'), validate('query', alarmQuery), async (c) => {
      const f = c.req.valid('query')
      const { resourceIds, departmentIds, viewer } = await alarmScope(c)
      const departments = departmentIds ? (f.department ? f.department.filter((d) => departmentIds.includes(d)) : departmentIds) : f.department
      const { rows, total } = await queryAlarms(db.kysely, db.engine, {
        resourceIds, departmentIds: departments?.length === 0 ? [0] : departments, status: f.status, level: f.level, kind: f.kind, open: f.open,
        escalated: f.escalated, featureId: f.point, q: f.q, before: f.before, limit: f.limit,
      })
      const items = await alarmViews(db, rows, actorOf(viewer), await readSla(db.kysely), deps.now())
      return c.json({ items, total, next: rows.length === f.limit ? rows[rows.length - 1]!.id : null })
    })
    .get('/alarms/summary', allow('public-read'), async (c) => {
      const { resourceIds, departmentIds } = await alarmScope(c)
      const counts = await alarmCounts(db.kysely, db.engine, resourceIds, departmentIds)
      const open = await queryAlarms(db.kysely, db.engine, { resourceIds, departmentIds: departmentIds ?? undefined, open: true, limit: 500 })
      const views = await alarmViews(db, open.rows, null, await readSla(db.kysely), deps.now())
      return c.json({
        byStatus: Object.fromEntries(ALARM_STATUSES.map((s) => [s.code, counts.filter((x) => x.status === s.code).reduce((n, x) => n + x.n, 0)])),
        openByLevel: Object.fromEntries(ALARM_LEVELS.map((l) => [l.code, counts.filter((x) => x.level === l.code && x.status !== 'closed' && x.status !== 'false-alarm').reduce((n, x) => n + x.n, 0)])),
        open: open.total,
        overdue: views.filter((v) => v.overdue).length,
        escalated: views.filter((v) => v.escalated.length > 0).length,
      })
    })
    .get('/alarms/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const a = await visibleAlarm(c, id)
      const viewer = c.get('viewer')
      const [view] = await alarmViews(db, [a], actorOf(viewer), await readSla(db.kysely), deps.now())
      const steps = ((await stepsOf(db.kysely, db.engine, [id])).get(id) ?? []).map((s) => forViewer(viewer, s))
      return c.json({ ...view!, steps })
    })
    .post('/alarms/:id/actions', allow('write', { audit: 'alarm-step' }), validate('param', idParam),
      validate('json', z.object({
        action: z.enum(ALARM_ACTIONS.map((a) => a.code) as [string, ...string[]], { message: `must be one of ${ALARM_ACTIONS.map((a) => a.code).join(', ')}` }),
        note: z.string().max(2000, 'at most 2000 characters').default(''),
      })), async (c) => {
        const { id } = c.req.valid('param')
        const { action, note } = c.req.valid('json')
        await visibleAlarm(c, id)
        const actor = actorOf(c.get('viewer'))!
        const { after, steps } = await takeAlarmAction(db, id, action as (typeof ALARM_ACTIONS)[number]['code'], actor, note, deps.now())
        const [view] = await alarmViews(db, [after], actor, await readSla(db.kysely), deps.now())
        return c.json({ ...view!, steps })
      })
    .get('/events', allow('public-read'), async (c) => {
      const viewer = c.get('viewer')
      const scope = scopeOf(c)
      const departmentIds = ownDepartmentOnly(viewer)
      let visible: Set<number> | null = null
      const refreshScope = async () => {
        const ids = await visibleResourceIds(deps, scope)
        visible = ids ? new Set(ids) : null
      }
      await refreshScope()
      const sees = (e: LiveEvent) => (e.resourceId === null || !visible || visible.has(e.resourceId)) && (!departmentIds || e.departmentId === null || departmentIds.includes(e.departmentId))
      const asked = Number(c.req.header('Last-Event-ID') ?? c.req.query('lastEventId') ?? NaN)
      return streamSSE(c, async (stream) => {
        let cursor = Number.isSafeInteger(asked) && asked >= 0 ? asked : await hub.newest()
        const queue: LiveMessage[] = []
        let wakeUp: (() => void) | null = null
        const unsubscribe = hub.subscribe((m) => {
          queue.push(m)
          wakeUp?.()
        }, cursor)
        let closed = false
        stream.onAbort(() => {
          closed = true
          unsubscribe()
          wakeUp?.()
        })
        const send = async (e: LiveEvent) => {
          if (e.id <= cursor) return
          cursor = e.id
          if (!sees(e)) return
          const data = viewer.kind === 'user' ? e.data : stripPeople(e.data)
          await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify({ at: e.at, ...(data as object) }) })
        }
        try {
          const versions = await db.versions.all()
          let knownVersions = JSON.stringify(versions)
          await stream.writeSSE({ event: 'hello', data: JSON.stringify({ lastEventId: cursor, versions, heartbeatMs: HEARTBEAT_MS }) })
          if (Number.isSafeInteger(asked) && asked >= 0) {
            const missed = await hub.since(asked, REPLAY_LIMIT)
            if (missed.gap || missed.events.length === REPLAY_LIMIT) {
              // Too much was missed to replay: the client reloads its lists and goes on from the newest.
              cursor = await hub.newest()
              await stream.writeSSE({ id: String(cursor), event: 'reset', data: JSON.stringify({ reason: missed.gap ? 'gap' : 'too-many' }) })
            } else {
              for (const e of missed.events) await send(e)
            }
          }
          let beat = Date.now()
          while (!closed) {
            while (queue.length) {
              const m = queue.shift()!
              if (m.kind === 'closing') {
                closed = true
                break
              }
              if (m.kind === 'versions') {
                const text = JSON.stringify(m.versions)
                if (text === knownVersions) continue
                knownVersions = text
                await refreshScope()
                await stream.writeSSE({ event: 'data-version', data: text })
              } else {
                for (const e of m.events) await send(e)
              }
            }
            if (Date.now() - beat >= HEARTBEAT_MS) {
              beat = Date.now()
              await stream.write(': heartbeat\n\n')
            }
            await new Promise<void>((resolve) => {
              wakeUp = resolve
              setTimeout(resolve, HEARTBEAT_MS).unref()
            })
            wakeUp = null
          }
        } finally {
          unsubscribe()
        }
      })
    })

  async function checkRuleTarget(r: RuleInput): Promise<void> {
    if (r.featureId !== null && !(await monitoringPoints(db.kysely, db.engine, [r.featureId], null)).has(r.featureId)) {
      throw new AppError(400, 'invalid_parameter', `invalid featureId: ${r.featureId} is not a monitoring point`, { parameter: 'featureId' })
    }
    if (r.subcategoryCode !== null && !(await db.kysely.selectFrom('subcategories').select('code').where('code', '=', r.subcategoryCode).executeTakeFirst())) {
      throw new AppError(400, 'invalid_parameter', `invalid subcategoryCode: unknown sub-category ${r.subcategoryCode}`, { parameter: 'subcategoryCode' })
    }
  }
}

/** An event's data without who took the step and their note (for wall screens and visitors). */
function stripPeople(data: unknown): unknown {
  const d = data as { step?: { action: string } }
  return d.step ? { ...d, step: { action: d.step.action } } : d
}

