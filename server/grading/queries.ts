import { sql, type Kysely, type Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
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

export async function readRegionRule(db: Executor): Promise<RegionRule> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REGION_RULE_KEY).executeTakeFirst()
  if (!row) return DEFAULT_REGION_RULE
  try {
    return JSON.parse(row.value) as RegionRule
  } catch {
    return DEFAULT_REGION_RULE
  }
}

export async function writeRegionRule(db: Executor, rule: RegionRule): Promise<void> {
  const value = JSON.stringify(rule)
  await db.insertInto('settings').values({ key: REGION_RULE_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

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

export async function readReassessmentRule(db: Executor): Promise<ReassessmentRule> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REASSESSMENT_KEY).executeTakeFirst()
  if (!row) return DEFAULT_REASSESSMENT_RULE
  try {
    return { ...DEFAULT_REASSESSMENT_RULE, ...(JSON.parse(row.value) as Partial<ReassessmentRule>) }
  } catch {
    return DEFAULT_REASSESSMENT_RULE
  }
}

export async function writeReassessmentRule(db: Executor, rule: ReassessmentRule): Promise<void> {
  const value = JSON.stringify(rule)
  await db.insertInto('settings').values({ key: REASSESSMENT_KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
}

/** Each assessed point with its department, its last assessment by people or systems, and the first alarm raise after it. */
export async function reassessmentFacts(db: Executor, engine: Db['engine'], resourceIds: number[] | null) {
  const people = sql<boolean>`cause IN ('manual', 'import', 'system')`
  let q = db.selectFrom('features as f')
    .innerJoin('resources as r', 'r.id', 'f.resource_id')
    .leftJoin(
      (eb) => eb.selectFrom('risk_assessments').select(['feature_id', sql<string>`max(assessed_at)`.as('last_at')]).where(people).groupBy('feature_id').as('p'),
      (j) => j.onRef('p.feature_id', '=', 'f.id'),
    )
    .select(['f.id', 'f.name', 'f.risk_level', 'r.department_id', 'p.last_at'])
    .select((eb) => eb.selectFrom('risk_assessments as e').select(sql<string>`min(e.assessed_at)`.as('m'))
      .whereRef('e.feature_id', '=', 'f.id').where('e.cause', '=', 'alarm')
      .where((w) => w.or([w('p.last_at', 'is', null), w('e.assessed_at', '>', w.ref('p.last_at'))])).as('event_at'))
    .where('f.kind', 'in', ['risk-point', 'hazard-source'])
  if (resourceIds) q = q.where(oneOf(engine, 'f.resource_id', resourceIds))
  const rows = await q.execute()
  return rows.map((r) => ({ id: Number(r.id), name: r.name, level: r.risk_level, departmentId: Number(r.department_id), lastAt: (r.last_at as string | null) ?? null, eventAt: (r.event_at as string | null) ?? null }))
}

/** Per sub-category, the highest-graded points (most severe first, then the highest score): at most `per` each. */
export async function topRisks(db: Executor, engine: Db['engine'], resourceIds: number[] | null, risk: readonly string[] | undefined, per: number) {
  const rank = sql<number>`CASE f.risk_level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END`
  const scope = sql.join([resourceIds ? oneOf(engine, 'f.resource_id', resourceIds) : sql`1 = 1`, risk?.length ? sql`f.risk_level IN (${sql.join([...risk])})` : sql`1 = 1`], sql` AND `)
  const r = await sql<{ id: number; name: string; risk_level: string; subcategory_code: string; score: number | null; rn: number }>`
    SELECT t.id, t.name, t.risk_level, t.subcategory_code, t.score FROM (
      SELECT f.id, f.name, f.risk_level, r.subcategory_code, a.score,
        row_number() OVER (PARTITION BY r.subcategory_code ORDER BY ${rank}, COALESCE(a.score, -1) DESC, f.id) AS rn
      FROM features f JOIN resources r ON r.id = f.resource_id
      LEFT JOIN risk_assessments a ON a.id = (SELECT max(b.id) FROM risk_assessments b WHERE b.feature_id = f.id)
      WHERE f.kind IN ('risk-point', 'hazard-source') AND f.risk_level IS NOT NULL AND ${scope}
    ) t WHERE t.rn <= ${per} ORDER BY t.subcategory_code, t.rn`.execute(db)
  return r.rows.map((x) => ({ id: Number(x.id), name: x.name, level: x.risk_level as RiskLevel, subcategoryCode: x.subcategory_code, score: x.score === null ? null : Number(x.score) }))
}
