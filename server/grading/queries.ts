import { sql, type Kysely, type Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import { readJsonSetting, writeJsonSetting } from '../db/settings.js'
import type { Database, RiskAssessmentsTable, RiskModelsTable } from '../db/schema.js'
import type { RiskLevel } from '../domain/enums.js'
import {
  DEFAULT_MATRIX, DEFAULT_REASSESSMENT_RULE, DEFAULT_REGION_RULE, type ReassessmentRule, type RegionRule, type AssessmentCause, type AssessmentInputs, type Grade, type RiskAssessment, type RiskModel, type RiskModelConfig,
} from '../domain/risk-grading.js'

/** SQL of risk grading: model versions per scope, assessments, and the level they set on the map. */

type Executor = Kysely<Database>

const modelOf = (r: Selectable<RiskModelsTable>): RiskModel => ({
  id: Number(r.id), scope: r.scope, version: Number(r.version), kind: r.kind as RiskModel['kind'], config: JSON.parse(r.config) as RiskModelConfig,
  note: r.note, createdBy: r.created_by === null ? null : Number(r.created_by), createdAt: r.created_at,
})

/** The latest version of every scope's model. */
export async function currentModels(db: Executor): Promise<RiskModel[]> {
  const rows = await db.selectFrom('risk_models as m')
    .where('m.version', '=', (eb) => eb.selectFrom('risk_models as n').select((e) => e.fn.max('n.version').as('v')).whereRef('n.scope', '=', 'm.scope'))
    .selectAll('m').orderBy('m.scope').execute()
  return rows.map(modelOf)
}

export async function currentModel(db: Executor, scope: string): Promise<RiskModel | null> {
  const r = await db.selectFrom('risk_models').selectAll().where('scope', '=', scope).orderBy('version', 'desc').limit(1).executeTakeFirst()
  return r ? modelOf(r) : null
}

/** The model a feature of this sub-category is graded with: its sub-category's if there is one, else the default. */
export async function modelForSubcategory(db: Executor, subcategory: string): Promise<RiskModel> {
  return (await currentModel(db, subcategory)) ?? (await currentModel(db, ''))!
}

export async function modelVersions(db: Executor, scope: string): Promise<RiskModel[]> {
  return (await db.selectFrom('risk_models').selectAll().where('scope', '=', scope).orderBy('version', 'desc').execute()).map(modelOf)
}

export async function modelById(db: Executor, id: number): Promise<RiskModel | null> {
  const r = await db.selectFrom('risk_models').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? modelOf(r) : null
}

/** A new version of a scope's model (the caller's transaction makes the version number safe). */
export async function insertModel(db: Executor, scope: string, config: RiskModelConfig, note: string, by: number | null, at: string): Promise<RiskModel> {
  const { v } = await db.selectFrom('risk_models').select((eb) => eb.fn.max('version').as('v')).where('scope', '=', scope).executeTakeFirstOrThrow()
  const { id } = await db.insertInto('risk_models').values({ scope, version: Number(v ?? 0) + 1, kind: config.kind, config: JSON.stringify(config), note, created_by: by, created_at: at })
    .returning('id').executeTakeFirstOrThrow()
  return (await modelById(db, Number(id)))!
}

/** A new atlas grades with the default 5 × 5 matrix until the bureau chooses otherwise. */
export async function seedDefaultRiskModel(db: Db, now: Date): Promise<void> {
  if (await db.kysely.selectFrom('risk_models').select('id').limit(1).executeTakeFirst()) return
  await insertModel(db.kysely, '', DEFAULT_MATRIX, '默认模型：5 × 5 风险矩阵', null, now.toISOString())
}

export interface AssessedFeature { id: number; name: string; kind: string; resourceId: number; departmentId: number; subcategoryCode: string; riskLevel: string | null }

export async function assessedFeature(db: Executor, id: number): Promise<AssessedFeature | null> {
  const r = await db.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.name', 'f.kind', 'f.resource_id', 'f.risk_level', 'r.department_id', 'r.subcategory_code']).where('f.id', '=', id).executeTakeFirst()
  return r ? { id: Number(r.id), name: r.name, kind: r.kind, resourceId: Number(r.resource_id), departmentId: Number(r.department_id), subcategoryCode: r.subcategory_code, riskLevel: r.risk_level } : null
}

const assessmentOf = (r: Selectable<RiskAssessmentsTable> & { version: number }): RiskAssessment => ({
  id: Number(r.id), featureId: Number(r.feature_id), modelId: Number(r.model_id), modelVersion: Number(r.version), inputs: JSON.parse(r.inputs) as AssessmentInputs,
  computedLevel: r.computed_level as RiskLevel, score: r.score, likelihood: r.likelihood === null ? null : Number(r.likelihood),
  consequence: r.consequence === null ? null : Number(r.consequence),
  override: r.override_level ? { level: r.override_level as RiskLevel, reason: r.override_reason ?? '' } : null,
  level: r.level as RiskLevel, cause: r.cause as AssessmentCause, alarmId: r.alarm_id === null ? null : Number(r.alarm_id), assessor: r.assessor, assessedAt: r.assessed_at,
})

/** A feature's assessments, newest first. */
export async function assessmentsOf(db: Executor, featureId: number, limit = 200): Promise<RiskAssessment[]> {
  const rows = await db.selectFrom('risk_assessments as a').innerJoin('risk_models as m', 'm.id', 'a.model_id').selectAll('a').select('m.version')
    .where('a.feature_id', '=', featureId).orderBy('a.id', 'desc').limit(limit).execute()
  return rows.map(assessmentOf)
}

export interface NewAssessment {
  featureId: number
  model: RiskModel
  inputs: AssessmentInputs
  grade: Grade
  override: { level: RiskLevel; reason: string } | null
  cause: AssessmentCause
  alarmId: number | null
  by: number | null
  assessor: string
  at: string
}

/** Records assessments and sets each feature's level on the map to its effective level (one statement each). */
export async function insertAssessments(db: Executor, engine: Db['engine'], list: readonly NewAssessment[]): Promise<void> {
  if (!list.length) return
  const rows = list.map((a) => ({
    feature_id: a.featureId, model_id: a.model.id, inputs: JSON.stringify(a.inputs), computed_level: a.grade.level, score: a.grade.score,
    likelihood: a.grade.likelihood, consequence: a.grade.consequence, override_level: a.override?.level ?? null, override_reason: a.override?.reason ?? null,
    level: a.override?.level ?? a.grade.level, cause: a.cause, alarm_id: a.alarmId, assessed_by: a.by, assessor: a.assessor, assessed_at: a.at,
  }))
  for (let i = 0; i < rows.length; i += 2000) await db.insertInto('risk_assessments').values(rows.slice(i, i + 2000)).execute()
  // Only features whose level changes are written: an unchanged level must not move the data version.
  const levels = JSON.stringify(rows.map((r) => ({ id: r.feature_id, l: r.level })))
  if (engine === 'postgres') {
    await sql`UPDATE features AS f SET risk_level = j.l FROM jsonb_to_recordset(${levels}::jsonb) AS j(id bigint, l text) WHERE f.id = j.id AND f.risk_level IS DISTINCT FROM j.l`.execute(db)
  } else {
    await sql`UPDATE features SET risk_level = j.value ->> 'l' FROM json_each(${levels}) AS j WHERE features.id = j.value ->> 'id' AND features.risk_level IS NOT j.value ->> 'l'`.execute(db)
  }
}

/**
 * The latest assessment of every assessed feature graded by a scope's model: of one sub-category, or
 * (the default model) of every sub-category but those with a model of their own.
 */
export async function latestAssessments(db: Executor, engine: Db['engine'], o: { subcategory: string } | { except: string[] }): Promise<(RiskAssessment & { subcategoryCode: string })[]> {
  let q = db.selectFrom('risk_assessments as a')
    .innerJoin('risk_models as m', 'm.id', 'a.model_id')
    .innerJoin('features as f', 'f.id', 'a.feature_id')
    .innerJoin('resources as r', 'r.id', 'f.resource_id')
    .selectAll('a').select(['m.version', 'r.subcategory_code'])
    .where('a.id', '=', (eb) => eb.selectFrom('risk_assessments as b').select((e) => e.fn.max('b.id').as('x')).whereRef('b.feature_id', '=', 'a.feature_id'))
  if ('subcategory' in o) q = q.where('r.subcategory_code', '=', o.subcategory)
  else if (o.except.length) q = q.where(sql<boolean>`NOT ${oneOf(engine, 'r.subcategory_code', o.except)}`)
  return (await q.execute()).map((r) => ({ ...assessmentOf(r), subcategoryCode: r.subcategory_code }))
}

/** Risk points and hazard sources for the 风险清单, with their latest assessment: most severe first, at most `limit`. */
export async function registerRows(db: Executor, engine: Db['engine'], resourceIds: number[] | null, limit: number) {
  let q = db.selectFrom('features as f')
    .innerJoin('resources as r', 'r.id', 'f.resource_id')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .innerJoin('subcategories as s', 's.code', 'r.subcategory_code')
    .leftJoin('regions as g', (j) => j.onRef('g.code', '=', 'f.district_code').on('g.kind', '=', 'district'))
    .leftJoin('risk_assessments as a', (j) => j.onRef('a.feature_id', '=', 'f.id')
      .on('a.id', '=', (eb) => eb.selectFrom('risk_assessments as b').select((e) => e.fn.max('b.id').as('x')).whereRef('b.feature_id', '=', 'f.id')))
    .leftJoin('risk_models as m', 'm.id', 'a.model_id')
    .select(['f.id', 'f.name', 'f.kind', 'f.min_x', 'f.min_y', 'f.max_x', 'f.max_y', 'f.risk_level', 'f.attributes', 'd.name as department', 's.name as subcategory', 'g.name as district',
      'a.likelihood', 'a.consequence', 'a.score', 'a.override_reason', 'a.assessed_at', 'm.kind as method'])
    .where('f.kind', 'in', ['risk-point', 'hazard-source'])
  if (resourceIds) q = q.where(oneOf(engine, 'f.resource_id', resourceIds))
  const rank = sql<number>`CASE f.risk_level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 WHEN 'blue' THEN 3 ELSE 4 END`
  const rows = await q.orderBy(rank).orderBy('f.name').orderBy('f.id').limit(limit + 1).execute()
  return {
    truncated: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => {
      let measures = ''
      try {
        const attrs = JSON.parse(r.attributes) as Record<string, unknown>
        const m = attrs['管控措施'] ?? attrs['防控措施'] ?? attrs['管控要求']
        if (m !== undefined && m !== null) measures = String(m)
      } catch {
        // Attributes are the import's JSON: unreadable ones leave the column empty.
      }
      return {
        name: r.name, kind: r.kind, district: r.district ?? '', lon: (r.min_x + r.max_x) / 2, lat: (r.min_y + r.max_y) / 2, subcategory: r.subcategory,
        level: r.risk_level, likelihood: r.likelihood === null ? null : Number(r.likelihood), consequence: r.consequence === null ? null : Number(r.consequence),
        score: r.score, method: r.method, override: r.override_reason, measures, department: r.department, assessedAt: r.assessed_at,
      }
    }),
  }
}

const REGION_RULE_KEY = 'risk_region_rule'

export const readRegionRule = (db: Executor): Promise<RegionRule> => readJsonSetting(db, REGION_RULE_KEY, DEFAULT_REGION_RULE)
export const writeRegionRule = (db: Executor, rule: RegionRule): Promise<void> => writeJsonSetting(db, REGION_RULE_KEY, rule)

/** Points for the 风险评估导入表: the departments' risk points and hazard sources with their latest inputs, at most `limit`. */
export async function templateRows(db: Executor, engine: Db['engine'], resourceIds: number[] | null, departments: number[] | null, limit: number) {
  let q = db.selectFrom('features as f')
    .innerJoin('resources as r', 'r.id', 'f.resource_id')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .innerJoin('subcategories as s', 's.code', 'r.subcategory_code')
    .leftJoin('risk_assessments as a', (j) => j.onRef('a.feature_id', '=', 'f.id')
      .on('a.id', '=', (eb) => eb.selectFrom('risk_assessments as b').select((e) => e.fn.max('b.id').as('x')).whereRef('b.feature_id', '=', 'f.id')))
    .select(['f.id', 'f.name', 'f.risk_level', 'd.name as department', 'r.subcategory_code', 's.name as subcategory', 'a.inputs'])
    .where('f.kind', 'in', ['risk-point', 'hazard-source'])
  if (resourceIds) q = q.where(oneOf(engine, 'f.resource_id', resourceIds))
  if (departments) q = q.where(oneOf(engine, 'r.department_id', departments))
  const rows = await q.orderBy('d.sort_order').orderBy('d.id').orderBy('s.name').orderBy('f.id').limit(limit + 1).execute()
  return { truncated: rows.length > limit, rows: rows.slice(0, limit) }
}

const REASSESSMENT_KEY = 'risk_reassessment_rule'

export const readReassessmentRule = (db: Executor): Promise<ReassessmentRule> => readJsonSetting(db, REASSESSMENT_KEY, DEFAULT_REASSESSMENT_RULE)
export const writeReassessmentRule = (db: Executor, rule: ReassessmentRule): Promise<void> => writeJsonSetting(db, REASSESSMENT_KEY, rule)

/**
 * The times that decide a point's re-assessment status, as ISO strings to compare with (ISO times in UTC
 * order as text on both engines): overdue when its last assessment by people is before `last` or an
 * alarm raised it before `event`; due soon when before `soonLast` or `soonEvent`.
 */
export interface DueCuts { last: string; event: string; soonLast: string; soonEvent: string }

/** Every assessed point's last assessment by people or systems (p) and the first alarm raise after it (e), with its resource and level. */
function assessedPoints(engine: Db['engine'], resourceIds: number[] | null, risk: readonly string[] | undefined) {
  return sql`
    WITH p AS (
      SELECT feature_id, max(assessed_at) AS last_at FROM risk_assessments WHERE cause IN ('manual', 'import', 'system') GROUP BY feature_id
    ), e AS (
      SELECT a.feature_id, min(a.assessed_at) AS event_at FROM risk_assessments a JOIN p ON p.feature_id = a.feature_id
      WHERE a.cause = 'alarm' AND a.assessed_at > p.last_at GROUP BY a.feature_id
    ), s AS (
      SELECT p.feature_id AS id, f.resource_id, p.last_at, e.event_at FROM p
      JOIN features f ON f.id = p.feature_id
      LEFT JOIN e ON e.feature_id = p.feature_id
      WHERE f.kind IN ('risk-point', 'hazard-source')
        AND ${resourceIds ? oneOf(engine, 'f.resource_id', resourceIds) : sql`1 = 1`}
        AND ${risk?.length ? sql`f.risk_level IN (${sql.join([...risk])})` : sql`1 = 1`}
    )`
}

/**
 * In one statement: the assessed points per resource and status (overdue, due-soon, ok; the never
 * assessed are the rest of a resource's points), and the overdue and due-soon points themselves (ids and
 * times only: the caller orders them and names the first).
 */
export async function reassessmentStatus(db: Executor, engine: Db['engine'], resourceIds: number[] | null, risk: readonly string[] | undefined, cuts: DueCuts) {
  const r = await sql<{ resource_id: number; status: 'overdue' | 'due-soon' | 'ok'; n: number; id: number | null; last_at: string | null; event_at: string | null }>`
    ${assessedPoints(engine, resourceIds, risk)}, d AS MATERIALIZED (
      SELECT id, resource_id, last_at, event_at, CASE
        WHEN last_at < ${cuts.last} OR event_at < ${cuts.event} THEN 'overdue'
        WHEN last_at < ${cuts.soonLast} OR event_at < ${cuts.soonEvent} THEN 'due-soon'
        ELSE 'ok' END AS status
      FROM s
    )
    SELECT resource_id, status, count(*) AS n, CAST(NULL AS BIGINT) AS id, CAST(NULL AS TEXT) AS last_at, CAST(NULL AS TEXT) AS event_at FROM d GROUP BY resource_id, status
    UNION ALL
    SELECT resource_id, status, 0 AS n, id, last_at, event_at FROM d WHERE status <> 'ok'`.execute(db)
  const counts: { resourceId: number; status: 'overdue' | 'due-soon' | 'ok'; n: number }[] = []
  const late: { id: number; lastAt: string; eventAt: string | null }[] = []
  for (const x of r.rows) {
    if (x.id === null) counts.push({ resourceId: Number(x.resource_id), status: x.status, n: Number(x.n) })
    else late.push({ id: Number(x.id), lastAt: x.last_at!, eventAt: x.event_at })
  }
  return { counts, late }
}

/** Points never assessed by people or systems, in id order, at most `limit`. */
export async function neverAssessed(db: Executor, engine: Db['engine'], resourceIds: number[] | null, risk: readonly string[] | undefined, limit: number) {
  let q = db.selectFrom('features as f').select('f.id')
    .where('f.kind', 'in', ['risk-point', 'hazard-source'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('risk_assessments as a').select('a.id').whereRef('a.feature_id', '=', 'f.id').where('a.cause', 'in', ['manual', 'import', 'system']))))
  if (resourceIds) q = q.where(oneOf(engine, 'f.resource_id', resourceIds))
  if (risk?.length) q = q.where('f.risk_level', 'in', [...risk])
  return (await q.orderBy('f.id').limit(limit).execute()).map((r) => Number(r.id))
}

/** Names, levels and departments of a few points. */
export async function pointsByIds(db: Executor, engine: Db['engine'], ids: number[]) {
  if (!ids.length) return new Map<number, { name: string; level: string | null; departmentId: number }>()
  const rows = await db.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
    .select(['f.id', 'f.name', 'f.risk_level', 'r.department_id']).where(oneOf(engine, 'f.id', ids)).execute()
  return new Map(rows.map((r) => [Number(r.id), { name: r.name, level: r.risk_level, departmentId: Number(r.department_id) }]))
}

/**
 * Per sub-category, the highest-graded points (most severe first, then the highest score): at most `per`
 * each. Level by level, from red down, and only for the sub-categories still short of `per`: the points
 * of the lower levels, the most numerous, are rarely read at all.
 */
export async function topRisks(db: Executor, engine: Db['engine'], resourceIds: number[] | null, risk: readonly string[] | undefined, graded: ReadonlyMap<string, number>, per: number) {
  const out: { id: number; name: string; level: RiskLevel; subcategoryCode: string; score: number | null }[] = []
  const have = new Map<string, number>()
  const short = () => [...graded].filter(([code, n]) => (have.get(code) ?? 0) < Math.min(per, n)).map(([code]) => code)
  for (const level of ['red', 'orange', 'yellow', 'blue'] as const) {
    if (risk?.length && !risk.includes(level)) continue
    const wanted = short()
    if (!wanted.length) break
    const r = await sql<{ id: number; name: string; subcategory_code: string; score: number | null }>`
      SELECT t.id, t.name, t.subcategory_code, t.score FROM (
        SELECT f.id, f.name, r.subcategory_code, a.score,
          row_number() OVER (PARTITION BY r.subcategory_code ORDER BY COALESCE(a.score, -1) DESC, f.id) AS rn
        FROM features f JOIN resources r ON r.id = f.resource_id
        LEFT JOIN risk_assessments a ON a.id = (SELECT max(b.id) FROM risk_assessments b WHERE b.feature_id = f.id)
        WHERE f.kind IN ('risk-point', 'hazard-source') AND f.risk_level = ${level}
          AND ${resourceIds ? oneOf(engine, 'f.resource_id', resourceIds) : sql`1 = 1`}
          AND ${oneOf(engine, 'r.subcategory_code', wanted)}
      ) t WHERE t.rn <= ${per} ORDER BY t.subcategory_code, t.rn`.execute(db)
    for (const x of r.rows) {
      const n = have.get(x.subcategory_code) ?? 0
      if (n >= per) continue
      have.set(x.subcategory_code, n + 1)
      out.push({ id: Number(x.id), name: x.name, level, subcategoryCode: x.subcategory_code, score: x.score === null ? null : Number(x.score) })
    }
  }
  return out
}
