import type { Db } from '../db/connect.js'
import { inWriteTransaction, oneOf } from '../db/dialect.js'
import { RISK_INDICATORS, RISK_LEVELS, type RiskIndicator, type RiskLevel } from '../domain/enums.js'
import { ASSESSED_KINDS, grade, isProblem, type AssessmentCause, type AssessmentInputs, type RiskModel } from '../domain/risk-grading.js'
import { harvestedFrom } from '../selection/provenance.js'
import { runWorkerTask, siblingModule } from '../http/worker-task.js'
import { currentModels, insertAssessments, type NewAssessment } from './queries.js'

/**
 * Many assessments at once — a spreadsheet a department filled in, or a department's system sending
 * them — checked all together before anything is written: every row is graded with the model its
 * point's sub-category uses, and one problem anywhere means nothing is recorded (all or nothing).
 */

/** Rows one import or one request may hold: a district's risk points many times over. */
export const MAX_BATCH = 10_000
/** Problems listed in an answer; the count says how many there were in all. */
const MAX_LISTED = 100
/** How far ahead of the server clock an assessment's time may be (clock skew). */
const MAX_SKEW_MS = 5 * 60_000

/**
 * The inputs as a spreadsheet row gives them: the columns of every kind of model, of which the point's
 * model uses its own. A system sends `AssessmentInputs` of the right kind instead.
 */
export interface SheetInputs {
  kind: 'sheet'
  likelihood?: number
  consequence?: number
  l?: number
  e?: number
  c?: number
  values: Partial<Record<RiskIndicator, number>>
}

export interface DraftAssessment {
  /** Where the row is, for messages: 第 5 行, assessments[3]. */
  at: string
  featureId: number
  /** The name the sender wrote, checked against the point's when given (a shifted row is caught). */
  name?: string
  inputs: AssessmentInputs | SheetInputs
  override: { level: RiskLevel; reason: string } | null
  /** When it was assessed (ISO); the time of recording when not given. */
  assessedAt: string | null
}

export interface BatchProblem { at: string; featureId: number | null; problem: string }

export interface BatchPlan {
  ready: NewAssessment[]
  problems: BatchProblem[]
  problemCount: number
  /** What the import would change on the map: points whose level moves. */
  changes: { featureId: number; name: string; from: RiskLevel | null; to: RiskLevel }[]
  byLevel: Record<RiskLevel, number>
}

export interface BatchContext {
  /** May the sender assess the points of this department (a reporter their own, an administrator all, a system its own)? */
  mayAssess: (departmentId: number) => boolean
  /** Resources the sender sees; null for all. A point outside is "not found", as if missing. */
  visibleResources: ReadonlySet<number> | null
  by: { id: number | null; name: string }
  cause: AssessmentCause
  now: Date
}

const LEVEL_LABEL = new Map(RISK_LEVELS.map((l) => [l.code, l.label]))
const INDICATOR_LABEL = new Map(RISK_INDICATORS.map((i) => [i.code, i.label]))
const METHOD = { matrix: '风险矩阵', lec: 'LEC', indicator: '指标加权' } as const

/** Sheet columns → the inputs the model takes, or what is missing, in words. */
function inputsFor(model: RiskModel, raw: AssessmentInputs | SheetInputs): AssessmentInputs | string {
  if (raw.kind !== 'sheet') return raw
  const m = model.config
  if (m.kind === 'matrix') {
    if (raw.likelihood === undefined || raw.consequence === undefined) return `该点按${METHOD.matrix}评估：请填写“可能性”和“后果”（1–5）`
    return { kind: 'matrix', likelihood: raw.likelihood, consequence: raw.consequence }
  }
  if (m.kind === 'lec') {
    if (raw.l === undefined || raw.e === undefined || raw.c === undefined) return `该点按 LEC 评估：请填写 L、E、C`
    return { kind: 'lec', l: raw.l, e: raw.e, c: raw.c }
  }
  const missing = m.indicators.filter((i) => i.weight > 0 && raw.values[i.code] === undefined).map((i) => INDICATOR_LABEL.get(i.code) ?? i.code)
  if (missing.length) return `该点按${METHOD.indicator}模型评估：请填写 ${missing.join('、')}（0–100）`
  return { kind: 'indicator', values: raw.values }
}

/** A grade's problem in the uploader's words (the model's rules name the input). */
function inWords(problem: string, parameter: string): string {
  const k = parameter.replace(/^inputs\./, '')
  if (k === 'likelihood' || k === 'consequence') return `${k === 'likelihood' ? '可能性' : '后果'}须为 1–5 的整数`
  if (k === 'l' || k === 'e' || k === 'c') return `${k.toUpperCase()} 须为模型表中的取值之一（${problem.replace(/^.* must be one of /, '')}）`
  if (k.startsWith('values.')) return `${INDICATOR_LABEL.get(k.slice(7) as RiskIndicator) ?? k.slice(7)} 须为 0–100 的数值`
  if (k === 'kind') return `该点的评估模型不接受此类输入（${problem}）`
  return problem
}

interface PointRow { id: number; name: string; kind: string; resource_id: number; risk_level: string | null; department_id: number; subcategory_code: string; last_at: string | null }

/** The points a batch names, with their department, sub-category and latest assessment time. */
async function pointsOf(db: Db, ids: number[]): Promise<Map<number, PointRow>> {
  const out = new Map<number, PointRow>()
  if (!ids.length) return out
  // A thousand at a time: each statement holds SQLite's thread for a few milliseconds only.
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.kysely.selectFrom('features as f').innerJoin('resources as r', 'r.id', 'f.resource_id')
      .select(['f.id', 'f.name', 'f.kind', 'f.resource_id', 'f.risk_level', 'r.department_id', 'r.subcategory_code'])
      .select((eb) => eb.selectFrom('risk_assessments as a').select((e) => e.fn.max('a.assessed_at').as('m')).whereRef('a.feature_id', '=', 'f.id').as('last_at'))
      .where(oneOf(db.engine, 'f.id', ids.slice(i, i + 1000))).execute()
    for (const r of rows) out.set(Number(r.id), { ...r, id: Number(r.id), resource_id: Number(r.resource_id), department_id: Number(r.department_id), last_at: r.last_at as string | null })
  }
  return out
}

/** Checks and grades a batch; nothing is written. */
export async function planBatch(db: Db, drafts: readonly DraftAssessment[], ctx: BatchContext): Promise<BatchPlan> {
  const problems: BatchProblem[] = []
  let problemCount = 0
  const fail = (d: DraftAssessment, problem: string) => {
    problemCount++
    if (problems.length < MAX_LISTED) problems.push({ at: d.at, featureId: d.featureId, problem })
  }
  const points = await pointsOf(db, [...new Set(drafts.map((d) => d.featureId))])
  const models = new Map((await currentModels(db.kysely)).map((m) => [m.scope, m]))
  const harvested = new Map<number, boolean>()
  for (const dept of new Set([...points.values()].map((p) => p.department_id))) harvested.set(dept, !!(await harvestedFrom(db, dept)))
  const seen = new Map<number, string>()
  const ready: NewAssessment[] = []
  const changes: BatchPlan['changes'] = []
  const byLevel: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0 }
  const nowMs = ctx.now.getTime()
  for (const d of drafts) {
    const p = points.get(d.featureId)
    if (!p || (ctx.visibleResources && !ctx.visibleResources.has(p.resource_id))) {
      fail(d, `要素编号 ${d.featureId} 不存在`)
      continue
    }
    if (d.name !== undefined && d.name.trim() !== '' && d.name.trim() !== p.name.trim()) {
      fail(d, `名称“${d.name.trim()}”与要素编号 ${d.featureId} 的“${p.name}”不符，请核对是否错行`)
      continue
    }
    if (seen.has(d.featureId)) {
      fail(d, `要素编号 ${d.featureId} 在${seen.get(d.featureId)}已出现，每个风险点只能有一行`)
      continue
    }
    seen.set(d.featureId, d.at)
    if (!(ASSESSED_KINDS as readonly string[]).includes(p.kind)) {
      fail(d, `“${p.name}”不是风险点或危险源，不做风险评估`)
      continue
    }
    if (!ctx.mayAssess(p.department_id)) {
      fail(d, `“${p.name}”不属于本单位，只能评估本单位的风险点`)
      continue
    }
    if (harvested.get(p.department_id)) {
      fail(d, `“${p.name}”的数据汇聚自区县平台，只能在来源平台评估`)
      continue
    }
    let at = ctx.now.toISOString()
    if (d.assessedAt) {
      const t = Date.parse(d.assessedAt)
      if (!Number.isFinite(t)) {
        fail(d, `评估时间“${d.assessedAt}”无法识别`)
        continue
      }
      if (t > nowMs + MAX_SKEW_MS) {
        fail(d, '评估时间晚于当前时间')
        continue
      }
      at = new Date(t).toISOString()
      if (p.last_at && at < p.last_at) {
        fail(d, `评估时间早于该点最近一次评估（${p.last_at.slice(0, 10)}）：历史评估不能补录在最新评估之后`)
        continue
      }
    }
    const model = models.get(p.subcategory_code) ?? models.get('')!
    const inputs = inputsFor(model, d.inputs)
    if (typeof inputs === 'string') {
      fail(d, inputs)
      continue
    }
    const g = grade(model.config, inputs)
    if (isProblem(g)) {
      fail(d, inWords(g.problem, g.parameter))
      continue
    }
    if (d.override && d.override.reason.trim().length < 4) {
      fail(d, `调整为${LEVEL_LABEL.get(d.override.level)}须写明理由（至少 4 个字）`)
      continue
    }
    const level = d.override?.level ?? g.level
    byLevel[level]++
    if (level !== p.risk_level) changes.push({ featureId: p.id, name: p.name, from: (p.risk_level as RiskLevel | null) ?? null, to: level })
    ready.push({ featureId: p.id, model, inputs, grade: g, override: d.override, cause: ctx.cause, alarmId: null, by: ctx.by.id, assessor: ctx.by.name, at })
  }
  return { ready, problems, problemCount, changes, byLevel }
}

const WORKER = siblingModule(import.meta.url, 'batch-worker')
/** Batches larger than this are written by a worker thread on SQLite (whose statements hold the thread that runs them). */
const OFF_THREAD_ROWS = 500

/** Records a checked batch in one transaction; the map follows through the data version. */
export async function applyBatch(db: Db, databaseUrl: string | null, plan: BatchPlan): Promise<void> {
  if (databaseUrl && db.engine === 'sqlite' && plan.ready.length > OFF_THREAD_ROWS) {
    const answer = await db.writeGate.hold(() => runWorkerTask<number>(WORKER, { databaseUrl, ready: plan.ready }, { heapMb: 512, timeoutMs: 120_000 }))
    if (!answer.ok) throw new Error(`recording assessments failed: ${answer.message}`)
  } else {
    await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, plan.ready))
  }
  await db.versions.refresh()
}

/** The answer's summary of a plan (the first changes listed; counts in full). */
export function planSummary(plan: BatchPlan) {
  return {
    assessments: plan.ready.length,
    byLevel: plan.byLevel,
    changed: plan.changes.length,
    changes: plan.changes.slice(0, MAX_LISTED),
    problemCount: plan.problemCount,
    problems: plan.problems,
  }
}

/** Resources a viewer sees as a set (null: all), for checking many points at once. */
export const resourceSet = (ids: number[] | null): ReadonlySet<number> | null => (ids ? new Set(ids) : null)

/** A level as a sheet may write it: 重大 / 重大风险 / 红 / 红色 / red. */
export function readLevel(raw: string): RiskLevel | null {
  const t = raw.trim().replace(/风险$/, '').toLowerCase()
  const found = RISK_LEVELS.find((l) => l.code === t || l.label.replace(/风险$/, '') === t || l.label === raw.trim()
    || ({ red: '红', orange: '橙', yellow: '黄', blue: '蓝' } as const)[l.code] === t.replace(/色$/, ''))
  return found?.code ?? null
}
