import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { regradeOffThread } from './regrade.js'
import { inWriteTransaction } from '../db/dialect.js'
import { mayEdit } from '../domain/access.js'
import { RISK_INDICATORS, RISK_LEVELS, type RiskLevel } from '../domain/enums.js'
import {
  ASSESSED_KINDS, grade, isProblem, reassessmentDue, type ReassessmentRule, type ReassessmentStatus, modelProblem, regionGrade, regionRuleProblem, RISK_MODEL_KINDS, type RegionRule, type AssessmentInputs, type RiskModelConfig,
} from '../domain/risk-grading.js'
import { AppError, forbidden, notFound } from '../http/errors.js'
import { LruCache } from '../http/lru-cache.js'
import { runWorkerTask, siblingModule } from '../http/worker-task.js'
import type { ReportRequest } from './report-worker.js'
import { idParam, validate } from '../http/validate.js'
import { scopeOf } from '../selection/scope.js'
import { visibleFeatureResource } from '../selection/resolve.js'
import { mayExport } from '../domain/access.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter } from '../selection/resolve.js'
import { featureCounts, riskBreakdown } from '../stats/queries.js'
import { registerWorkbook } from './register.js'
import {
  neverAssessed, pointsByIds, readReassessmentRule, readRegionRule, reassessmentStatus, registerRows, topRisks, writeReassessmentRule, writeRegionRule,
  assessedFeature, assessmentsOf, currentModels, insertAssessments, insertModel, modelById, modelForSubcategory, modelVersions,
} from './queries.js'

const level = z.enum(RISK_LEVELS.map((l) => l.code) as [RiskLevel, ...RiskLevel[]], { message: 'must be red, orange, yellow or blue' })
const scale = z.array(z.object({ score: z.number().int(), label: z.string().trim().min(1).max(20), description: z.string().trim().max(200) })).length(5, 'must have 5 entries')
const cells = z.array(z.array(level).length(5, 'each row must have 5 cells')).length(5, 'must have 5 rows')
const alarmRule = z.object({
  radiusM: z.number().min(0, 'must not be negative').max(10_000, 'must be at most 10000 m'),
  likelihoodStep: z.number().int('must be a whole number').min(0).max(4, 'must be at most 4'),
}).optional()
const matrix = z.object({ kind: z.literal('matrix'), likelihood: scale, consequence: scale, cells, alarmRule })
const lecOptions = z.array(z.object({ value: z.number().positive('must be positive'), description: z.string().trim().max(100) })).min(1).max(12)
const modelConfig = z.discriminatedUnion('kind', [
  matrix,
  z.object({
    kind: z.literal('lec'),
    bands: z.object({ red: z.number(), orange: z.number(), yellow: z.number(), blue: z.number() }),
    l: lecOptions, e: lecOptions, c: lecOptions, alarmRule,
  }),
  z.object({
    kind: z.literal('indicator'),
    indicators: z.array(z.object({
      code: z.enum(RISK_INDICATORS.map((i) => i.code) as [string, ...string[]], { message: 'unknown indicator' }),
      weight: z.number().min(0).max(100), axis: z.enum(['likelihood', 'consequence']), inverse: z.boolean().default(false),
    })).min(2).max(RISK_INDICATORS.length),
    matrix,
    alarmRule,
  }),
], { message: `kind must be one of ${RISK_MODEL_KINDS.map((k) => k.code).join(', ')}` })

const inputsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('matrix'), likelihood: z.number(), consequence: z.number() }),
  z.object({ kind: z.literal('lec'), l: z.number(), e: z.number(), c: z.number() }),
  z.object({ kind: z.literal('indicator'), values: z.record(z.string(), z.number()) }),
], { message: 'inputs.kind must be matrix, lec or indicator' })

/** Rows a 风险清单 holds at most: a larger district is exported by filter (a domain, a department, a district). */
export const REGISTER_LIMIT = 20_000
const regionFilter = featureFilterSchema.omit({ bbox: true, kind: true }).extend({
  type: z.enum(['grid', 'district'], { message: 'must be grid or district' }).default('grid'),
})
const weight = z.number().min(0, 'must not be negative').max(1000)
const regionRuleBody = z.object({
  weights: z.object({ red: weight, orange: weight, yellow: weight, blue: weight }),
  cuts: z.object({ red: z.number().positive(), orange: z.number().positive(), yellow: z.number().positive() }),
})

const days = (max: number) => z.number({ message: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1 day').max(max, `must be at most ${max} days`)
const reassessmentRuleBody = z.object({ intervalDays: days(3650), afterEventDays: days(365), dueSoonDays: days(365) })
/** Overdue points listed at most (most overdue first); the per-department counts are always whole. */
const REASSESSMENT_LISTED = 500
const STATUS_RANK: Record<ReassessmentStatus, number> = { overdue: 0, never: 1, 'due-soon': 2, ok: 3 }
const DAY_MS = 86_400_000
const REPORT_WORKER = siblingModule(import.meta.url, 'report-worker')
const REPORT_LIMITS = { heapMb: 512, timeoutMs: 60_000 }
/** Category and re-assessment answers kept (a few filters of a few viewers). */
const KEPT_ANSWERS = 64

const scopeParam = z.object({ scope: z.string().regex(/^(default|[a-z][a-z0-9-]{0,39})$/, 'must be default or a sub-category code') })
const scopeOfParam = (s: string) => (s === 'default' ? '' : s)

/** A grade's problem as the API's 400, naming the parameter. */
const problem = (p: { problem: string; parameter: string }) => new AppError(400, 'invalid_parameter', `invalid ${p.parameter}: ${p.problem}`, { parameter: p.parameter })

/**
 * Risk grading: the assessment models (administrators change them, in versions; a change re-grades the
 * points graded with them), and each risk point's and hazard source's assessments, the latest of which
 * is its level on the map.
 */
export function gradingRoutes(deps: AppDeps) {
  const { db } = deps
  /** A feature the viewer may see, else 404 as if it did not exist. */
  const visibleAssessed = async (c: Context, id: number) => {
    const f = await assessedFeature(db.kysely, id)
    if (!f || !(await visibleFeatureResource(deps, scopeOf(c), { resourceId: f.resourceId, kind: f.kind, riskLevel: f.riskLevel }))) throw notFound('feature', id)
    return f
  }
  const userOf = (c: Context) => {
    const v = c.get('viewer')
    return v.kind === 'user' ? { id: v.user.id, name: v.user.displayName || v.user.username } : { id: null, name: '' }
  }

  // The category level and the re-assessment list are computed once per data version, assessment and
  // filter (the list also once a minute: its statuses move with the clock); reads in between are served kept.
  const kept = new LruCache<unknown>(KEPT_ANSWERS)
  const keptAnswer = async <T>(what: string, resourceIds: number[] | null, risk: readonly string[] | undefined, compute: () => Promise<T>): Promise<T> => {
    const [{ features, catalog }, last] = await Promise.all([
      db.versions.all(),
      db.kysely.selectFrom('risk_assessments').select((e) => e.fn.max('id').as('m')).executeTakeFirst(),
    ])
    const ids = resourceIds === null ? 'all' : createHash('sha1').update(resourceIds.join(',')).digest('base64url')
    const key = `${what}|${features}.${catalog}.${Number(last?.m ?? 0)}|${ids}|${(risk ?? []).join(',')}`
    const hit = kept.get(key) as T | undefined
    if (hit !== undefined) return hit
    const answer = await compute()
    kept.set(key, answer)
    return answer
  }

  /** A long read in a worker thread with its own connection where the database is a SQLite file; here otherwise (PostgreSQL answers without holding this thread). */
  const offThread = async <T>(request: ReportRequest, here: () => Promise<T>): Promise<T> => {
    const url = ownConnectionUrl(deps)
    if (!url || db.engine !== 'sqlite') return here()
    const a = await runWorkerTask<T>(REPORT_WORKER, { databaseUrl: url, request }, REPORT_LIMITS, { ownTurn: true })
    if (!a.ok) throw new Error(`risk report: ${a.message}`)
    return a.value
  }

  return new Hono()
    // The 四色图: each grid cell's or district's level from its graded risk points and hazard sources (kept tallies: no feature is read).
    .get('/risk/regions', allow('public-read'), validate('query', regionFilter), async (c) => {
      const { type, ...requested } = c.req.valid('query')
      const { resourceIds, filter: f } = await resolveFilter(deps, { ...requested, kind: [...ASSESSED_KINDS] }, scopeOf(c))
      const [breakdown, rule] = await Promise.all([riskBreakdown(db, resourceIds, f), readRegionRule(db.kysely)])
      const rows = type === 'grid'
        ? breakdown.byCell.map((r) => ({ key: String(r.cellId), name: null as string | null, counts: { red: r.red, orange: r.orange, yellow: r.yellow, blue: r.blue }, ungraded: r.ungraded }))
        : breakdown.byDistrict.map((r) => ({ key: r.code, name: r.name, counts: { red: r.red, orange: r.orange, yellow: r.yellow, blue: r.blue }, ungraded: r.ungraded }))
      return c.json({ type, rule, items: rows.map((r) => ({ ...r, ...regionGrade(r.counts, rule) })) })
    })
    // The category level: per sub-category, its points by level and its highest risks.
    .get('/risk/categories', allow('public-read'), validate('query', featureFilterSchema.omit({ bbox: true, kind: true })), async (c) => {
      const { resources, resourceIds, filter: f } = await resolveFilter(deps, { ...c.req.valid('query'), kind: [...ASSESSED_KINDS] }, scopeOf(c))
      return c.json(await keptAnswer('categories', resourceIds, f.risk, async () => {
        const [counts, subcategories] = await Promise.all([
          featureCounts(db, resourceIds, f, ['resource_id', 'risk_level']),
          db.kysely.selectFrom('subcategories').select(['code', 'name', 'domain_code']).orderBy('sort_order').execute(),
        ])
        const subOf = new Map(resources.map((r) => [r.id, r.subcategoryCode]))
        type Row = { counts: Record<RiskLevel, number>; ungraded: number; total: number }
        const by = new Map<string, Row>()
        for (const r of counts) {
          const code = subOf.get(Number(r.resource_id))
          if (!code) continue
          const row = by.get(code) ?? { counts: { red: 0, orange: 0, yellow: 0, blue: 0 }, ungraded: 0, total: 0 }
          const l = String(r.risk_level)
          if (l in row.counts) row.counts[l as RiskLevel] += r.n
          else row.ungraded += r.n
          row.total += r.n
          by.set(code, row)
        }
        const graded = new Map([...by].map(([code, r]) => [code, r.total - r.ungraded]))
        const request = { what: 'top' as const, resourceIds, risk: f.risk, graded: [...graded], per: 5 }
      const top = await offThread(request, () => topRisks(db.kysely, db.engine, resourceIds, f.risk, graded, 5))
        const items = subcategories.filter((s) => by.has(s.code)).map((s) => {
          const row = by.get(s.code)!
          const highest = RISK_LEVELS.find((l) => row.counts[l.code] > 0)?.code ?? null
          return { code: s.code, name: s.name, domain: s.domain_code, ...row, highest, top: top.filter((t) => t.subcategoryCode === s.code).map(({ subcategoryCode: _, ...t }) => t) }
        })
        // Most severe categories first: by their red, then orange … counts.
        items.sort((a, b) => b.counts.red - a.counts.red || b.counts.orange - a.counts.orange || b.counts.yellow - a.counts.yellow || b.total - a.total)
        return { items }
      }))
    })
    // Re-assessment supervision: each department's assessments never made, overdue and due soon, and the overdue points.
    .get('/risk/reassessment', allow('read'), validate('query', featureFilterSchema.omit({ bbox: true, kind: true })), async (c) => {
      const now = deps.now()
      const { resources, resourceIds, filter: f } = await resolveFilter(deps, { ...c.req.valid('query'), kind: [...ASSESSED_KINDS] }, scopeOf(c))
      const rule = await readReassessmentRule(db.kysely)
      return c.json(await keptAnswer(`reassessment|${JSON.stringify(rule)}|${Math.floor(now.getTime() / 60_000)}`, resourceIds, f.risk, async () => {
        const iso = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString()
        const cuts = { last: iso(rule.intervalDays), event: iso(rule.afterEventDays), soonLast: iso(rule.intervalDays - rule.dueSoonDays), soonEvent: iso(rule.afterEventDays - rule.dueSoonDays) }
        const request = { what: 'reassessment' as const, resourceIds, risk: f.risk, cuts, limit: REASSESSMENT_LISTED }
        const [totals, { counts, late, never }, departments] = await Promise.all([
          featureCounts(db, resourceIds, f, ['resource_id']),
          offThread(request, async () => ({
            ...(await reassessmentStatus(db.kysely, db.engine, resourceIds, f.risk, cuts)),
            never: await neverAssessed(db.kysely, db.engine, resourceIds, f.risk, REASSESSMENT_LISTED),
          })),
          db.kysely.selectFrom('departments').select(['id', 'name']).orderBy('sort_order').orderBy('id').execute(),
        ])
        const deptOf = new Map(resources.map((r) => [r.id, r.departmentId]))
        const tally = new Map<number, Record<ReassessmentStatus, number>>()
        const add = (resourceId: number, status: ReassessmentStatus, n: number) => {
          const d = deptOf.get(resourceId)
          if (d === undefined) return
          const t = tally.get(d) ?? { never: 0, overdue: 0, 'due-soon': 0, ok: 0 }
          t[status] += n
          tally.set(d, t)
        }
        // Never assessed: a resource's points less those assessed.
        for (const r of totals) add(Number(r.resource_id), 'never', r.n)
        for (const r of counts) {
          add(r.resourceId, 'never', -r.n)
          add(r.resourceId, r.status, r.n)
        }
        // Overdue (most overdue first) and never assessed, then due soon (soonest first): named for the first REASSESSMENT_LISTED.
        const dated = late.map((p) => ({ ...p, ...reassessmentDue(p, rule, now) }))
          .sort((x, y) => STATUS_RANK[x.status] - STATUS_RANK[y.status] || y.overdueDays - x.overdueDays || (x.dueAt ?? '').localeCompare(y.dueAt ?? '') || x.id - y.id)
        const overdue = dated.filter((p) => p.status === 'overdue')
        const listed = [...overdue, ...never.map((id) => ({ id, lastAt: null, eventAt: null, ...reassessmentDue({ lastAt: null, eventAt: null }, rule, now) })), ...dated.filter((p) => p.status !== 'overdue')]
          .slice(0, REASSESSMENT_LISTED)
        const named = await pointsByIds(db.kysely, db.engine, listed.map((p) => p.id))
        const names = new Map(departments.map((d) => [d.id, d.name]))
        const sum = [...tally.values()].reduce((s, t) => s + t.never + t.overdue + t['due-soon'], 0)
        return {
          generatedAt: now.toISOString(),
          rule,
          departments: departments.filter((d) => tally.has(d.id)).map((d) => {
            const t = tally.get(d.id)!
            return { id: d.id, name: d.name, total: t.never + t.overdue + t['due-soon'] + t.ok, ...t }
          }),
          items: listed.flatMap((p) => {
            const n = named.get(p.id)
            return n ? [{
              featureId: p.id, name: n.name, level: n.level, departmentId: n.departmentId, department: names.get(n.departmentId) ?? '',
              status: p.status, reason: p.reason, lastAssessedAt: p.lastAt, eventAt: p.eventAt, dueAt: p.dueAt, overdueDays: p.overdueDays,
            }] : []
          }),
          listed: listed.length,
          late: sum,
        }
      }))
    })
    .get('/risk/reassessment-rule', allow('read'), async (c) => c.json(await readReassessmentRule(db.kysely)))
    .put('/risk/reassessment-rule', allow('admin', { audit: 'risk-model' }), validate('json', reassessmentRuleBody), async (c) => {
      const rule = c.req.valid('json') as ReassessmentRule
      await writeReassessmentRule(db.kysely, rule)
      return c.json(rule)
    })
    .get('/risk/region-rule', allow('read'), async (c) => c.json(await readRegionRule(db.kysely)))
    .put('/risk/region-rule', allow('admin', { audit: 'risk-model' }), validate('json', regionRuleBody), async (c) => {
      const rule = c.req.valid('json') as RegionRule
      const p = regionRuleProblem(rule)
      if (p) throw problem(p)
      await writeRegionRule(db.kysely, rule)
      return c.json(rule)
    })
    // The 风险清单 (risk register), in the layout README documents; the list filters apply.
    .get('/risk/register.xlsx', allow('read', { audit: 'export' }), validate('query', featureFilterSchema.omit({ bbox: true, kind: true })), async (c) => {
      const now = deps.now()
      const { resourceIds, filter: f } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      if (!mayExport(c.get('viewer'), f.department ?? null)) throw forbidden('当前角色不能导出风险清单')
      const { rows, truncated } = await registerRows(db.kysely, db.engine, resourceIds, REGISTER_LIMIT)
      const scope = f.department?.length ? `部门 ${f.department.join('、')}` : f.domain?.length || f.subcategory?.length || f.district?.length ? '按筛选条件' : '全部'
      const title = `城市安全风险清单${truncated ? `（仅前 ${REGISTER_LIMIT.toLocaleString('en')} 条，请按领域、部门或镇街筛选后分别导出）` : ''}`
      const body = await registerWorkbook(rows, { title, scope, generatedAt: now })
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      c.header('Content-Disposition', `attachment; filename="risk-register.xlsx"; filename*=UTF-8''${encodeURIComponent(`风险清单-${now.toISOString().slice(0, 10)}.xlsx`)}`)
      return c.body(new Uint8Array(body))
    })
    .get('/risk-models', allow('read'), async (c) => {
      const subcategories = await db.kysely.selectFrom('subcategories').select(['code', 'name']).execute()
      const names = new Map(subcategories.map((s) => [s.code, s.name]))
      return c.json({ items: (await currentModels(db.kysely)).map((m) => ({ ...m, scopeName: m.scope ? names.get(m.scope) ?? m.scope : '默认（全部子类）' })) })
    })
    .get('/risk-models/:scope/versions', allow('read'), validate('param', scopeParam), async (c) => {
      const versions = await modelVersions(db.kysely, scopeOfParam(c.req.valid('param').scope))
      if (!versions.length) throw notFound('risk model', c.req.valid('param').scope)
      return c.json({ items: versions })
    })
    .put('/risk-models/:scope', allow('admin', { audit: 'risk-model' }), validate('param', scopeParam),
      validate('json', z.object({ config: modelConfig, note: z.string().trim().max(200, 'at most 200 characters').default('') })), async (c) => {
        const scope = scopeOfParam(c.req.valid('param').scope)
        const { config, note } = c.req.valid('json')
        if (scope && !(await db.kysely.selectFrom('subcategories').select('code').where('code', '=', scope).executeTakeFirst())) throw notFound('sub-category', scope)
        const p = modelProblem(config as RiskModelConfig)
        if (p) throw problem({ ...p, parameter: `config.${p.parameter}` })
        const by = userOf(c)
        const at = deps.now().toISOString()
        const model = await inWriteTransaction(db, (trx) => insertModel(trx, scope, config as RiskModelConfig, note, by.id, at))
        return c.json({ model, ...(await regradeOffThread(db, ownConnectionUrl(deps), model.id, by, at)) })
      })
    .get('/features/:id/assessments', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const f = await visibleAssessed(c, id)
      const model = await modelForSubcategory(db.kysely, f.subcategoryCode)
      const history = await assessmentsOf(db.kysely, id)
      const latest = history[0] ?? null
      // Why it is what it is: the latest assessment graded again with the model version it used.
      const used = latest ? await modelById(db.kysely, latest.modelId) : null
      const why = latest && used ? grade(used.config, latest.inputs) : null
      const viewer = c.get('viewer')
      return c.json({
        feature: { id: f.id, name: f.name, kind: f.kind, riskLevel: f.riskLevel, departmentId: f.departmentId, subcategoryCode: f.subcategoryCode },
        assessable: (ASSESSED_KINDS as readonly string[]).includes(f.kind),
        mayAssess: (ASSESSED_KINDS as readonly string[]).includes(f.kind) && mayEdit(viewer, f.departmentId),
        model,
        latest: latest && used ? { ...latest, model: used, grade: why && !isProblem(why) ? why : null } : null,
        history: viewer.kind === 'user' ? history : history.map((h) => ({ ...h, assessor: '' })),
      })
    })
    .post('/features/:id/assessments', allow('write', { audit: 'risk-assess' }), validate('param', idParam),
      validate('json', z.object({
        inputs: inputsSchema,
        override: z.object({ level, reason: z.string().trim().min(4, 'an override needs its written reason (at least 4 characters)').max(500) }).nullable().default(null),
      })), async (c) => {
        const { id } = c.req.valid('param')
        const { inputs, override } = c.req.valid('json')
        const f = await visibleAssessed(c, id)
        if (!mayEdit(c.get('viewer'), f.departmentId)) throw forbidden('只有本单位填报人员和系统管理员可以评估本单位的风险点')
        if (!(ASSESSED_KINDS as readonly string[]).includes(f.kind)) {
          throw new AppError(400, 'invalid_parameter', `feature ${id} is a ${f.kind}: only risk points and hazard sources are assessed`, { parameter: 'id' })
        }
        const model = await modelForSubcategory(db.kysely, f.subcategoryCode)
        const g = grade(model.config, inputs as AssessmentInputs)
        if (isProblem(g)) throw problem(g)
        const by = userOf(c)
        const at = deps.now().toISOString()
        await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, [{
          featureId: id, model, inputs: inputs as AssessmentInputs, grade: g, override, cause: 'manual', alarmId: null, by: by.id, assessor: by.name, at,
        }]))
        await db.versions.refresh()
        const [latest] = await assessmentsOf(db.kysely, id, 1)
        return c.json({ ...latest!, model, grade: g }, 201)
      })
}
