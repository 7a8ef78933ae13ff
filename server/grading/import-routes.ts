import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { mayEdit, type Viewer } from '../domain/access.js'
import { RISK_LEVELS, type RiskLevel } from '../domain/enums.js'
import { ASSESSED_KINDS, type AssessmentInputs } from '../domain/risk-grading.js'
import { FORM_LIMITS, FormFileError } from '../forms/file-guard.js'
import { readUploadSheets } from '../forms/read-upload.js'
import { AppError, badRequest, forbidden } from '../http/errors.js'
import { jsonTooDeepAt } from '../http/nesting.js'
import { validate } from '../http/validate.js'
import { bearerKey, hashApiKey } from '../ingest/keys.js'
import { activeKeyByHash, systemDepartment, touchApiKey } from '../ingest/queries.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter } from '../selection/resolve.js'
import { scopeOf } from '../selection/scope.js'
import { applyBatch, MAX_BATCH, planBatch, planSummary, resourceSet, type BatchContext, type BatchPlan, type DraftAssessment } from './batch.js'
import { currentModels, templateRows } from './queries.js'
import { assessmentTemplate, draftsOfSheets, SheetError } from './sheet.js'

const uploadLimit = bodyLimit({
  maxSize: FORM_LIMITS.maxFileBytes + 64 * 1024,
  onError: (c) => c.json({ error: { code: 'too_large', message: `文件大小超过上限 ${FORM_LIMITS.maxFileBytes / 1024 / 1024} MB` } }, 413),
})
/** A request of 10,000 assessments with all 13 indicators is some 4 MB. */
const INGEST_BODY_LIMIT = 8 * 1024 * 1024

const level = z.enum(RISK_LEVELS.map((l) => l.code) as [RiskLevel, ...RiskLevel[]], { message: 'must be red, orange, yellow or blue' })
const ingestBody = z.object({
  assessments: z.array(z.object({
    featureId: z.number({ message: 'must be a feature id' }).int('must be a whole number').positive('must be positive'),
    inputs: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('matrix'), likelihood: z.number(), consequence: z.number() }),
      z.object({ kind: z.literal('lec'), l: z.number(), e: z.number(), c: z.number() }),
      z.object({ kind: z.literal('indicator'), values: z.record(z.string(), z.number()) }),
    ], { message: 'inputs.kind must be matrix, lec or indicator' }),
    override: z.object({ level, reason: z.string().trim().max(500) }).nullable().default(null),
    assessedAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-06-15T12:00:00+08:00' }).nullable().default(null),
  })).min(1, 'must hold at least one assessment').max(MAX_BATCH, `at most ${MAX_BATCH} assessments a request`),
})

/** Reporters (for their department's points) and administrators assess; the rows are checked one by one. */
const mayImport = (v: Viewer) => v.kind === 'user' && (v.user.role === 'admin' || v.user.role === 'reporter')

/** A plan with problems is refused whole: 400 naming the first, listing up to a hundred. */
function refuseIfProblems(plan: BatchPlan) {
  if (!plan.problemCount) return
  const first = plan.problems[0]!
  throw new AppError(400, 'invalid_rows', `${plan.problemCount} 行有误，未导入任何评估。${first.at}：${first.problem}`, { problemCount: plan.problemCount, problems: plan.problems })
}

/**
 * Assessments many at a time: the 风险评估导入表 (template, preview, import) for departments' reporters
 * and administrators, and POST /ingest/assessments for departments' systems with their API key. Both
 * are all or nothing.
 */
export function assessmentImportRoutes(deps: AppDeps) {
  const { db } = deps
  /** Whom a signed-in sender may assess for, and the resources they see. */
  const userContext = async (c: Context): Promise<BatchContext> => {
    const viewer = c.get('viewer')
    if (!mayImport(viewer)) throw forbidden('只有填报人员和系统管理员可以导入风险评估')
    const { resourceIds } = await resolveFilter(deps, { kind: [...ASSESSED_KINDS] }, scopeOf(c))
    const by = viewer.kind === 'user' ? { id: viewer.user.id, name: viewer.user.displayName || viewer.user.username } : { id: null, name: '' }
    return { mayAssess: (d) => mayEdit(viewer, d), visibleResources: resourceSet(resourceIds), by, cause: 'import', now: deps.now() }
  }
  /** The uploaded sheet read off the event loop (the forms' reader, with its limits), as drafts. */
  const uploadedDrafts = async (c: Context) => {
    const form = await c.req.formData().catch(() => { throw badRequest('file', '请求不是 multipart/form-data 上传') })
    const file = form.get('file')
    if (!(file instanceof File)) throw badRequest('file', '请选择要上传的文件（表单字段 file）')
    const sheets = await readUploadSheets({ name: file.name || 'upload', bytes: Buffer.from(await file.arrayBuffer()) }, 'resources')
      .catch((err: unknown) => { throw err instanceof FormFileError ? new AppError(err.code === 'too_large' ? 413 : 400, err.code, err.message, { parameter: 'file' }) : err })
    try {
      return draftsOfSheets(sheets)
    } catch (err) {
      if (err instanceof SheetError) throw new AppError(400, 'invalid_file', err.message, { parameter: 'file' })
      throw err
    }
  }
  /** Unreadable rows and the plan's problems together, in row order. */
  const planUpload = async (c: Context) => {
    const ctx = await userContext(c)
    const { drafts, problems } = await uploadedDrafts(c)
    const plan = await planBatch(db, drafts, ctx)
    plan.problemCount += problems.length
    plan.problems = [...problems, ...plan.problems].sort((a, b) => rowOf(a.at) - rowOf(b.at)).slice(0, 100)
    return plan
  }

  return new Hono()
    // The template lists the points the viewer may assess (a reporter's department; an administrator's choice), with their latest inputs.
    .get('/risk/assessments/template.xlsx', allow('write', { audit: 'export' }), validate('query', featureFilterSchema.omit({ bbox: true, kind: true })), async (c) => {
      const viewer = c.get('viewer')
      if (!mayImport(viewer) || viewer.kind !== 'user') throw forbidden('只有填报人员和系统管理员可以下载风险评估导入表')
      const { resourceIds, filter: f } = await resolveFilter(deps, { ...c.req.valid('query'), kind: [...ASSESSED_KINDS] }, scopeOf(c))
      const own = viewer.user.role === 'admin' ? (f.department ?? null) : viewer.user.departmentId !== null ? [viewer.user.departmentId] : []
      if (viewer.user.role !== 'admin' && f.department?.some((d) => d !== viewer.user.departmentId)) throw forbidden('只能下载本单位风险点的评估导入表')
      const [{ rows, truncated }, models] = await Promise.all([templateRows(db.kysely, db.engine, resourceIds, own, MAX_BATCH), currentModels(db.kysely)])
      const kindOf = new Map(models.map((m) => [m.scope, m.kind]))
      const now = deps.now()
      const body = await assessmentTemplate(rows.map((r) => ({
        id: Number(r.id), name: r.name, department: r.department, subcategory: r.subcategory, level: r.risk_level as RiskLevel | null,
        method: kindOf.get(r.subcategory_code) ?? kindOf.get('')!, inputs: r.inputs ? JSON.parse(r.inputs) as AssessmentInputs : null,
      })), { scope: own === null ? '全部部门' : rows[0]?.department ?? '本单位', generatedAt: now, truncated })
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      c.header('Content-Disposition', `attachment; filename="risk-assessments.xlsx"; filename*=UTF-8''${encodeURIComponent(`风险评估导入表-${now.toISOString().slice(0, 10)}.xlsx`)}`)
      return c.body(new Uint8Array(body))
    })
    // What an upload would do, nothing written: the counts, the levels that would change and every problem.
    .post('/risk/assessments/preview', allow('write', { upload: true, audit: null }), uploadLimit, async (c) => c.json(planSummary(await planUpload(c))))
    .post('/risk/assessments/import', allow('write', { upload: true, audit: 'risk-assess' }), uploadLimit, async (c) => {
      const plan = await planUpload(c)
      refuseIfProblems(plan)
      await applyBatch(db, ownConnectionUrl(deps), plan)
      return c.json(planSummary(plan), 201)
    })
    // A department's system sends its assessments: its department's points only, all or nothing.
    .post('/ingest/assessments', allow('ingest', { audit: 'ingest' }), bodyLimit({ maxSize: INGEST_BODY_LIMIT, onError: () => { throw new AppError(413, 'too_large', `request body exceeds ${INGEST_BODY_LIMIT / 1024 / 1024} MB: send at most ${MAX_BATCH} assessments a request`) } }), async (c) => {
      const key = bearerKey(c.req.header('Authorization'))
      if (!key) throw new AppError(401, 'unauthorized', 'an API key is required: Authorization: Bearer <key>')
      const owner = await activeKeyByHash(db, hashApiKey(key))
      if (!owner) throw new AppError(401, 'unauthorized', 'unknown or revoked API key')
      const department = await systemDepartment(db, owner.systemId)
      const text = await c.req.text()
      if (jsonTooDeepAt(text, 8) >= 0) throw new AppError(400, 'too_deep', 'the body nests deeper than an assessment does', { parameter: 'body' })
      let raw: unknown
      try {
        raw = JSON.parse(text)
      } catch {
        throw new AppError(400, 'invalid_parameter', 'the body must be JSON', { parameter: 'body' })
      }
      const parsed = ingestBody.safeParse(raw)
      if (!parsed.success) {
        const i = parsed.error.issues[0]!
        const parameter = i.path.join('.') || 'body'
        throw new AppError(400, 'invalid_parameter', `invalid ${parameter}: ${i.message}`, { parameter })
      }
      const system = await db.kysely.selectFrom('systems').select('name').where('id', '=', owner.systemId).executeTakeFirst()
      const drafts: DraftAssessment[] = parsed.data.assessments.map((a, i) => ({
        at: `assessments[${i}]`, featureId: a.featureId, inputs: a.inputs as AssessmentInputs, override: a.override, assessedAt: a.assessedAt,
      }))
      const plan = await planBatch(db, drafts, {
        mayAssess: (d) => d === department, visibleResources: null, by: { id: null, name: system ? `系统：${system.name}` : '部门系统' }, cause: 'system', now: deps.now(),
      })
      refuseIfProblems(plan)
      await applyBatch(db, ownConnectionUrl(deps), plan)
      await touchApiKey(db, owner.id, deps.now())
      return c.json(planSummary(plan), 201)
    })
}

const rowOf = (at: string) => Number(/\d+/.exec(at)?.[0] ?? 0)
