import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import type { AlarmAction, AlarmRecord } from '../domain/monitoring.js'
import { ASSESSED_KINDS, grade, isProblem, type AssessmentInputs } from '../domain/risk-grading.js'
import { assessmentsOf, currentModels, insertAssessments, modelForSubcategory, type NewAssessment } from './queries.js'

/**
 * Live inputs of risk grading: when an alarm is confirmed (研判确认), the risk points and hazard sources
 * within its model's alarm radius are assessed again with their likelihood raised by the model's step,
 * the alarm named as the reason; when it ends (办结, or judged a false alarm), they are assessed again
 * without it. So the map turns red while the city is at risk, and back once it is handled.
 */
export async function applyAlarmToRisk(db: Db, alarm: AlarmRecord, action: AlarmAction, at: string): Promise<void> {
  if (action === 'confirm') await raiseNearby(db, alarm, at)
  else if (action === 'close' || action === 'dismiss') await releaseAlarm(db, alarm, at)
}

const EARTH_M = 6_371_008.8
function metres([x1, y1]: [number, number], [x2, y2]: [number, number]): number {
  const r = Math.PI / 180
  const a = Math.sin(((y2 - y1) * r) / 2) ** 2 + Math.cos(y1 * r) * Math.cos(y2 * r) * Math.sin(((x2 - x1) * r) / 2) ** 2
  return 2 * EARTH_M * Math.asin(Math.sqrt(a))
}

const SYSTEM = { id: null, name: '系统（告警联动）' }

async function raiseNearby(db: Db, alarm: AlarmRecord, at: string): Promise<void> {
  const radius = Math.max(0, ...(await currentModels(db.kysely)).map((m) => m.config.alarmRule?.radiusM ?? 0))
  if (radius <= 0) return
  const dLat = radius / 111_320
  const dLon = radius / (111_320 * Math.cos((alarm.y * Math.PI) / 180))
  const near = await db.kysely.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.min_x', 'f.min_y', 'f.max_x', 'f.max_y', 'r.subcategory_code'])
    .where('f.kind', 'in', [...ASSESSED_KINDS])
    .where('f.max_x', '>=', alarm.x - dLon).where('f.min_x', '<=', alarm.x + dLon).where('f.max_y', '>=', alarm.y - dLat).where('f.min_y', '<=', alarm.y + dLat)
    .limit(5000).execute()
  const out: NewAssessment[] = []
  for (const f of near) {
    const model = await modelForSubcategory(db.kysely, f.subcategory_code)
    const rule = model.config.alarmRule
    if (!rule || rule.likelihoodStep <= 0) continue
    if (metres([alarm.x, alarm.y], [(f.min_x + f.max_x) / 2, (f.min_y + f.max_y) / 2]) > rule.radiusM) continue
    const [latest] = await assessmentsOf(db.kysely, Number(f.id), 1)
    // Never assessed: nothing to raise. Raised already (by this or another alarm): one raise at a time.
    if (!latest || latest.inputs.kind !== model.kind || (latest.inputs.alarmBoost ?? 0) > 0) continue
    const inputs: AssessmentInputs = { ...latest.inputs, alarmBoost: rule.likelihoodStep }
    const g = grade(model.config, inputs)
    if (isProblem(g)) continue
    out.push({ featureId: Number(f.id), model, inputs, grade: g, override: latest.override, cause: 'alarm', alarmId: alarm.id, by: SYSTEM.id, assessor: SYSTEM.name, at })
  }
  if (!out.length) return
  await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, out))
  await db.versions.refresh()
}

async function releaseAlarm(db: Db, alarm: AlarmRecord, at: string): Promise<void> {
  // The points whose latest assessment is this alarm's raise.
  const raised = await db.kysely.selectFrom('risk_assessments as a').innerJoin('features as f', 'f.id', 'a.feature_id').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['a.feature_id', 'r.subcategory_code'])
    .where('a.alarm_id', '=', alarm.id)
    .where('a.id', '=', (eb) => eb.selectFrom('risk_assessments as b').select((e) => e.fn.max('b.id').as('x')).whereRef('b.feature_id', '=', 'a.feature_id'))
    .where(sql<boolean>`a.inputs LIKE ${'%"alarmBoost"%'}`)
    .execute()
  const out: NewAssessment[] = []
  for (const p of raised) {
    const [latest] = await assessmentsOf(db.kysely, Number(p.feature_id), 1)
    if (!latest) continue
    const model = await modelForSubcategory(db.kysely, p.subcategory_code)
    const { alarmBoost: _gone, ...inputs } = latest.inputs
    const g = grade(model.config, inputs as AssessmentInputs)
    if (isProblem(g)) continue
    out.push({ featureId: Number(p.feature_id), model, inputs: inputs as AssessmentInputs, grade: g, override: latest.override, cause: 'alarm', alarmId: alarm.id, by: SYSTEM.id, assessor: SYSTEM.name, at })
  }
  if (!out.length) return
  await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, out))
  await db.versions.refresh()
}
