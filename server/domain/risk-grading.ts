import { RISK_INDICATORS, RISK_LEVELS, type RiskIndicator, type RiskLevel } from './enums.js'

/**
 * Risk grading (SPEC §11; GB/T 42768-2023 城市安全风险评估): the three kinds of assessment model as
 * data, and the pure rules that turn an assessment's inputs into a level, say why, and say what
 * would lower it. Shared by the server (which stores and applies them) and the web app (which shows
 * the matrix with its cell, the LEC figures, or the indicator bars).
 *
 * - **Matrix**: likelihood 1–5 × consequence 1–5, each cell mapped to a level (红 重大 / 橙 较大 /
 *   黄 一般 / 蓝 低); the scales' descriptions and the cell map are the model's, to edit.
 * - **LEC** (作业条件危险性分析): D = L × E × C from the method's tables; D ≥ 320 极其危险 (red),
 *   160–320 高度危险 (orange), 70–160 显著危险 (yellow), 20–70 一般危险 (blue), < 20 稍有危险 (blue);
 *   the band edges are the model's, to edit.
 * - **Indicators**: weighted indicators (0–100 each) that make a likelihood and a consequence score,
 *   each turned into 1–5 by fifths, then through the model's matrix. An indicator that lowers risk
 *   (风险减缓, 应急处置能力 …) counts inversely.
 */

export interface ScaleEntry {
  score: 1 | 2 | 3 | 4 | 5
  label: string
  description: string
}

/** The 5 × 5 matrix: cells[likelihood - 1][consequence - 1]. */
export interface MatrixModel {
  kind: 'matrix'
  likelihood: ScaleEntry[]
  consequence: ScaleEntry[]
  cells: RiskLevel[][]
  alarmRule?: AlarmRule
}

/**
 * Live inputs: a confirmed alarm within `radiusM` of an assessed point raises its likelihood by
 * `likelihoodStep` (on the 1–5 scale; for LEC, that many steps up the L table) until the alarm ends.
 */
export interface AlarmRule { radiusM: number; likelihoodStep: number }
export const DEFAULT_ALARM_RULE: AlarmRule = { radiusM: 500, likelihoodStep: 1 }

export interface LecOption { value: number; description: string }
export interface LecModel {
  kind: 'lec'
  /** Lower edges of D for each level: D ≥ red is red, ≥ orange orange, ≥ yellow yellow; everything below is blue. */
  bands: { red: number; orange: number; yellow: number; blue: number }
  l: LecOption[]
  e: LecOption[]
  c: LecOption[]
  alarmRule?: AlarmRule
}

export interface WeightedIndicator {
  code: RiskIndicator
  weight: number
  axis: 'likelihood' | 'consequence'
  /** The indicator lowers risk (a higher value, less risk): counted as 100 − value. */
  inverse: boolean
}
export interface IndicatorModel {
  kind: 'indicator'
  indicators: WeightedIndicator[]
  /** The matrix the two normalised scores go through. */
  matrix: MatrixModel
  alarmRule?: AlarmRule
}

export type RiskModelConfig = MatrixModel | LecModel | IndicatorModel
export type RiskModelKind = RiskModelConfig['kind']
export const RISK_MODEL_KINDS = [
  { code: 'matrix', label: '风险矩阵（5 × 5）' },
  { code: 'lec', label: 'LEC 作业条件危险性分析' },
  { code: 'indicator', label: '指标加权模型' },
] as const

export type AssessmentInputs = (
  | { kind: 'matrix'; likelihood: number; consequence: number }
  | { kind: 'lec'; l: number; e: number; c: number }
  | { kind: 'indicator'; values: Partial<Record<RiskIndicator, number>> }
) & {
  /** Steps a confirmed alarm nearby adds to the likelihood (the model's alarm rule), while it lasts. */
  alarmBoost?: number
}

export interface Grade {
  level: RiskLevel
  /** L × C for a matrix and the indicator model, D for LEC. */
  score: number
  likelihood: number | null
  consequence: number | null
  /** For the indicator model: each indicator's share of its axis score. */
  contributions: { code: RiskIndicator; axis: 'likelihood' | 'consequence'; value: number; points: number }[]
  /** What would bring the level down, in words; empty at the lowest level. */
  lower: string[]
}

export type GradeProblem = { problem: string; parameter: string }

const LEVEL_LABEL = new Map(RISK_LEVELS.map((l) => [l.code, l.label]))
const INDICATOR_LABEL = new Map(RISK_INDICATORS.map((i) => [i.code, i.label]))
const RANK: Record<RiskLevel, number> = { blue: 1, yellow: 2, orange: 3, red: 4 }

export const DEFAULT_LIKELIHOOD: ScaleEntry[] = [
  { score: 1, label: '极不可能', description: '在设计寿命或评估期内几乎不会发生' },
  { score: 2, label: '很少', description: '在评估期内发生的可能性很小，同类场所罕有发生' },
  { score: 3, label: '偶尔', description: '在评估期内可能发生，同类场所偶有发生' },
  { score: 4, label: '可能', description: '在评估期内较可能发生，同类场所多次发生' },
  { score: 5, label: '很可能', description: '在评估期内很可能发生或已频繁发生' },
]
export const DEFAULT_CONSEQUENCE: ScaleEntry[] = [
  { score: 1, label: '轻微', description: '无人员伤亡，财产损失或社会影响轻微' },
  { score: 2, label: '较小', description: '少量人员轻伤，局部、短时影响' },
  { score: 3, label: '中等', description: '人员重伤或 1–2 人死亡，区域性影响' },
  { score: 4, label: '较大', description: '3–9 人死亡或大量人员受伤，全区性影响' },
  { score: 5, label: '重大', description: '10 人以上死亡，全市性或更大范围影响' },
]
/** By L × C: 1–4 低 (blue), 5–9 一般 (yellow), 10–14 较大 (orange), 15–25 重大 (red) — a common cut, to edit per city. */
export const DEFAULT_CELLS: RiskLevel[][] = [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((c) => {
  const p = l * c
  return p >= 15 ? 'red' : p >= 10 ? 'orange' : p >= 5 ? 'yellow' : 'blue'
}))
export const DEFAULT_MATRIX: MatrixModel = { kind: 'matrix', likelihood: DEFAULT_LIKELIHOOD, consequence: DEFAULT_CONSEQUENCE, cells: DEFAULT_CELLS, alarmRule: DEFAULT_ALARM_RULE }

export const DEFAULT_LEC: LecModel = {
  kind: 'lec',
  alarmRule: DEFAULT_ALARM_RULE,
  bands: { red: 320, orange: 160, yellow: 70, blue: 20 },
  l: [
    { value: 10, description: '完全可以预料' }, { value: 6, description: '相当可能' }, { value: 3, description: '可能，但不经常' },
    { value: 1, description: '可能性小，完全意外' }, { value: 0.5, description: '很不可能，可以设想' }, { value: 0.2, description: '极不可能' },
    { value: 0.1, description: '实际不可能' },
  ],
  e: [
    { value: 10, description: '连续暴露' }, { value: 6, description: '每天工作时间内暴露' }, { value: 3, description: '每周一次或偶然暴露' },
    { value: 2, description: '每月一次暴露' }, { value: 1, description: '每年几次暴露' }, { value: 0.5, description: '非常罕见地暴露' },
  ],
  c: [
    { value: 100, description: '大灾难，许多人死亡' }, { value: 40, description: '灾难，数人死亡' }, { value: 15, description: '非常严重，一人死亡' },
    { value: 7, description: '严重，重伤' }, { value: 3, description: '重大，致残' }, { value: 1, description: '引人注目，需要救护' },
  ],
}

/** Shenzhen's register grades with 13 indicators (seed 001): these weights are a documented starting point, to edit. */
export const DEFAULT_INDICATOR_MODEL: IndicatorModel = {
  kind: 'indicator',
  alarmRule: DEFAULT_ALARM_RULE,
  matrix: DEFAULT_MATRIX,
  indicators: [
    { code: 'likelihood', weight: 3, axis: 'likelihood', inverse: false },
    { code: 'history', weight: 2, axis: 'likelihood', inverse: false },
    { code: 'facility-condition', weight: 2, axis: 'likelihood', inverse: true },
    { code: 'natural-conditions', weight: 1, axis: 'likelihood', inverse: false },
    { code: 'control-measures', weight: 2, axis: 'likelihood', inverse: true },
    { code: 'monitoring', weight: 1, axis: 'likelihood', inverse: true },
    { code: 'exposure', weight: 3, axis: 'consequence', inverse: false },
    { code: 'hazard-quantity', weight: 3, axis: 'consequence', inverse: false },
    { code: 'vulnerability', weight: 2, axis: 'consequence', inverse: false },
    { code: 'sensitivity', weight: 2, axis: 'consequence', inverse: false },
    { code: 'surroundings', weight: 1, axis: 'consequence', inverse: false },
    { code: 'mitigation', weight: 2, axis: 'consequence', inverse: true },
    { code: 'response', weight: 1, axis: 'consequence', inverse: true },
  ],
}

/** A problem with a model itself (an edited model must be whole and consistent), or null. */
export function modelProblem(m: RiskModelConfig): GradeProblem | null {
  const matrixProblem = (x: MatrixModel, at: string): GradeProblem | null => {
    for (const [axis, scale] of [['likelihood', x.likelihood], ['consequence', x.consequence]] as const) {
      if (scale.length !== 5 || scale.some((s, i) => s.score !== i + 1 || !s.label.trim())) return { problem: `the ${axis} scale must have five entries scored 1 to 5, each with a label`, parameter: `${at}${axis}` }
    }
    if (x.cells.length !== 5 || x.cells.some((row) => row.length !== 5 || row.some((c) => !RANK[c]))) return { problem: 'the cell map must be 5 × 5 levels (red, orange, yellow, blue)', parameter: `${at}cells` }
    // More likely or worse never grades lower: each row and column rises or stays.
    for (let l = 0; l < 5; l++) for (let c = 0; c < 5; c++) {
      const here = RANK[x.cells[l]![c]!]
      if ((l < 4 && RANK[x.cells[l + 1]![c]!] < here) || (c < 4 && RANK[x.cells[l]![c + 1]!] < here)) {
        return { problem: `the cell at likelihood ${l + 1}, consequence ${c + 1} is graded above a cell that is more likely or worse`, parameter: `${at}cells` }
      }
    }
    return null
  }
  if (m.kind === 'matrix') return matrixProblem(m, '')
  if (m.kind === 'lec') {
    const b = m.bands
    if (![b.red, b.orange, b.yellow, b.blue].every((v) => Number.isFinite(v) && v > 0)) return { problem: 'band edges must be positive numbers', parameter: 'bands' }
    if (!(b.red > b.orange && b.orange > b.yellow && b.yellow > b.blue)) return { problem: 'band edges must fall from red to blue: red > orange > yellow > blue', parameter: 'bands' }
    for (const k of ['l', 'e', 'c'] as const) {
      if (!m[k].length || m[k].some((o) => !(o.value > 0))) return { problem: `the ${k.toUpperCase()} table needs positive values`, parameter: k }
      // An assessment names its option by value: two options of one value could not be told apart.
      if (new Set(m[k].map((o) => o.value)).size !== m[k].length) return { problem: `the ${k.toUpperCase()} table lists a value twice`, parameter: k }
    }
    return null
  }
  if (!m.indicators.length) return { problem: 'an indicator model needs indicators', parameter: 'indicators' }
  for (const axis of ['likelihood', 'consequence'] as const) {
    if (!m.indicators.some((i) => i.axis === axis && i.weight > 0)) return { problem: `an indicator model needs at least one ${axis} indicator with a weight above 0`, parameter: 'indicators' }
  }
  if (m.indicators.some((i) => !INDICATOR_LABEL.has(i.code) || !(i.weight >= 0 && i.weight <= 100))) return { problem: 'each indicator must be a known code with a weight of 0–100', parameter: 'indicators' }
  if (new Set(m.indicators.map((i) => i.code)).size !== m.indicators.length) return { problem: 'an indicator is listed twice', parameter: 'indicators' }
  return matrixProblem(m.matrix, 'matrix.')
}

const levelLabel = (l: RiskLevel) => LEVEL_LABEL.get(l) ?? l

function gradeMatrix(m: MatrixModel, l: number, c: number): Grade {
  const level = m.cells[l - 1]![c - 1]!
  const lower: string[] = []
  if (level !== 'blue') {
    // The nearest cells graded lower, changing one axis (the caller notes an alarm's part).
    for (let nl = l - 1; nl >= 1; nl--) {
      const to = m.cells[nl - 1]![c - 1]!
      if (RANK[to] < RANK[level]) {
        lower.push(`可能性降至 ${nl}（${m.likelihood[nl - 1]!.label}）：${levelLabel(to)}`)
        break
      }
    }
    for (let nc = c - 1; nc >= 1; nc--) {
      const to = m.cells[l - 1]![nc - 1]!
      if (RANK[to] < RANK[level]) {
        lower.push(`后果严重程度降至 ${nc}（${m.consequence[nc - 1]!.label}）：${levelLabel(to)}`)
        break
      }
    }
  }
  return { level, score: l * c, likelihood: l, consequence: c, contributions: [], lower }
}

export function lecLevel(b: LecModel['bands'], d: number): RiskLevel {
  return d >= b.red ? 'red' : d >= b.orange ? 'orange' : d >= b.yellow ? 'yellow' : 'blue'
}

/** Grades inputs with a model: the level, its figures, and what would lower it; or the input's problem. */
export function grade(m: RiskModelConfig, input: AssessmentInputs): Grade | GradeProblem {
  if (input.kind !== m.kind) return { problem: `this model takes ${m.kind} inputs, not ${input.kind}`, parameter: 'inputs.kind' }
  const boost = input.alarmBoost ?? 0
  if (!Number.isInteger(boost) || boost < 0 || boost > 4) return { problem: 'alarmBoost must be a whole number from 0 to 4', parameter: 'inputs.alarmBoost' }
  if (m.kind === 'matrix' && input.kind === 'matrix') {
    for (const k of ['likelihood', 'consequence'] as const) {
      if (!Number.isInteger(input[k]) || input[k] < 1 || input[k] > 5) return { problem: `${k} must be a whole number from 1 to 5`, parameter: `inputs.${k}` }
    }
    const g = gradeMatrix(m, Math.min(5, input.likelihood + boost), input.consequence)
    if (boost) g.lower.unshift(`附近告警已确认，可能性暂按上调 ${boost} 级计；告警办结后恢复`)
    return g
  }
  if (m.kind === 'lec' && input.kind === 'lec') {
    for (const k of ['l', 'e', 'c'] as const) {
      if (!m[k].some((o) => o.value === input[k])) return { problem: `${k.toUpperCase()} must be one of ${m[k].map((o) => o.value).join(', ')}`, parameter: `inputs.${k}` }
    }
    // An alarm nearby: L that many steps up its table.
    const ls = [...m.l.map((o) => o.value)].sort((a, b) => a - b)
    const l = ls[Math.min(ls.length - 1, ls.indexOf(input.l) + boost)]!
    // D kept to the precision of the tables (0.1 × 0.5 × 1 = 0.05).
    const d = Math.round(l * input.e * input.c * 100) / 100
    const level = lecLevel(m.bands, d)
    const lower: string[] = []
    if (level !== 'blue') {
      const edge = level === 'red' ? m.bands.red : level === 'orange' ? m.bands.orange : m.bands.yellow
      lower.push(`D 须降至 ${edge} 以下（现为 ${d}）`)
      const used = { l, e: input.e, c: input.c }
      for (const k of ['l', 'e', 'c'] as const) {
        const others = d / used[k]
        const smaller = m[k].map((o) => o.value).filter((v) => v < used[k] && others * v < edge).sort((a, b) => b - a)[0]
        if (smaller !== undefined) lower.push(`${k.toUpperCase()} 由 ${used[k]} 降至 ${smaller}：D = ${Math.round(others * smaller * 100) / 100}，${levelLabel(lecLevel(m.bands, others * smaller))}`)
      }
      if (boost) lower.unshift(`附近告警已确认，L 暂按上调 ${boost} 级计；告警办结后恢复`)
    }
    return { level, score: d, likelihood: null, consequence: null, contributions: [], lower }
  }
  if (m.kind === 'indicator' && input.kind === 'indicator') {
    const contributions: Grade['contributions'] = []
    const axisScore = (axis: 'likelihood' | 'consequence'): number | GradeProblem => {
      const own = m.indicators.filter((i) => i.axis === axis && i.weight > 0)
      const total = own.reduce((s, i) => s + i.weight, 0)
      let score = 0
      for (const i of own) {
        const v = input.values[i.code]
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) return { problem: `${INDICATOR_LABEL.get(i.code)} (${i.code}) must be a number from 0 to 100`, parameter: `inputs.values.${i.code}` }
        const points = ((i.inverse ? 100 - v : v) * i.weight) / total
        contributions.push({ code: i.code, axis, value: v, points: Math.round(points * 10) / 10 })
        score += points
      }
      return score
    }
    const ls = axisScore('likelihood')
    if (typeof ls !== 'number') return ls
    const cs = axisScore('consequence')
    if (typeof cs !== 'number') return cs
    // 0–100 by fifths: [0, 20) → 1 … [80, 100] → 5.
    const fifth = (s: number) => Math.min(5, Math.floor(s / 20) + 1)
    const g = gradeMatrix(m.matrix, Math.min(5, fifth(ls) + boost), fifth(cs))
    const worst = [...contributions].sort((a, b) => b.points - a.points).slice(0, 3)
    const lower = g.level === 'blue' ? [] : [...g.lower, ...worst.map((w) => {
      const spec = m.indicators.find((i) => i.code === w.code)!
      return `${INDICATOR_LABEL.get(w.code)}：${spec.inverse ? '提高' : '降低'}此项（现为 ${w.value}，占${w.axis === 'likelihood' ? '可能性' : '后果'}得分 ${w.points} 分）`
    })]
    return { ...g, contributions, lower }
  }
  return { problem: 'unknown model', parameter: 'model' }
}

export const isProblem = (g: Grade | GradeProblem): g is GradeProblem => 'problem' in g

/** Why an assessment was made. */
export const ASSESSMENT_CAUSES = [
  { code: 'manual', label: '人工评估' },
  { code: 'import', label: '批量导入' },
  { code: 'system', label: '部门系统报送' },
  { code: 'regrade', label: '模型调整后重新定级' },
  { code: 'alarm', label: '告警联动' },
] as const
export type AssessmentCause = (typeof ASSESSMENT_CAUSES)[number]['code']

/** A model version as the API gives it. */
export interface RiskModel {
  id: number
  /** '' for the default model, else the sub-category it is for. */
  scope: string
  version: number
  kind: RiskModelKind
  config: RiskModelConfig
  note: string
  createdBy: number | null
  createdAt: string
}

export interface RiskAssessment {
  id: number
  featureId: number
  modelId: number
  modelVersion: number
  inputs: AssessmentInputs
  computedLevel: RiskLevel
  score: number
  likelihood: number | null
  consequence: number | null
  override: { level: RiskLevel; reason: string } | null
  /** The level in force: the override's, or the computed one. */
  level: RiskLevel
  cause: AssessmentCause
  alarmId: number | null
  assessor: string
  assessedAt: string
}

/** The kinds of feature that are assessed. */
export const ASSESSED_KINDS = ['risk-point', 'hazard-source'] as const

/**
 * The region level (a grid cell, a district) from its risk points and hazard sources: each point
 * counts its level's weight; the sum against the cut-offs gives the region's level. The defaults make
 * one 重大 point a red region, one 较大 point (or three 一般 ones) an orange one, one 一般 point (or two
 * 低 ones) a yellow one, a single 低 point a blue one; a region without graded points has no level.
 */
export interface RegionRule {
  weights: Record<RiskLevel, number>
  /** Lowest score of each level; below `yellow` (and above 0) is blue. */
  cuts: { red: number; orange: number; yellow: number }
}
export const DEFAULT_REGION_RULE: RegionRule = { weights: { red: 10, orange: 5, yellow: 2, blue: 1 }, cuts: { red: 10, orange: 5, yellow: 2 } }

export function regionGrade(counts: Record<RiskLevel, number>, rule: RegionRule): { score: number; level: RiskLevel | null } {
  const score = (Object.keys(rule.weights) as RiskLevel[]).reduce((s, l) => s + (counts[l] ?? 0) * rule.weights[l], 0)
  const level = score <= 0 ? null : score >= rule.cuts.red ? 'red' : score >= rule.cuts.orange ? 'orange' : score >= rule.cuts.yellow ? 'yellow' : 'blue'
  return { score, level }
}

export function regionRuleProblem(r: RegionRule): GradeProblem | null {
  const w = r.weights
  if (![w.red, w.orange, w.yellow, w.blue].every((v) => Number.isFinite(v) && v >= 0)) return { problem: 'weights must be numbers of 0 or more', parameter: 'weights' }
  if (!(w.red >= w.orange && w.orange >= w.yellow && w.yellow >= w.blue)) return { problem: 'weights must not rise from red to blue', parameter: 'weights' }
  if (!(r.cuts.red > r.cuts.orange && r.cuts.orange > r.cuts.yellow && r.cuts.yellow > 0)) return { problem: 'cut-offs must fall from red to yellow and stay above 0', parameter: 'cuts' }
  return null
}

/**
 * Re-assessment (SPEC §11): a point's assessment is due `intervalDays` after its last assessment by
 * people or a department's system (a re-grading after a model change, or an alarm's temporary raise,
 * does not renew it), and `afterEventDays` after an event — a confirmed alarm that raised its
 * likelihood — when that is sooner. `dueSoonDays` ahead it is 即将到期.
 */
export interface ReassessmentRule { intervalDays: number; afterEventDays: number; dueSoonDays: number }
export const DEFAULT_REASSESSMENT_RULE: ReassessmentRule = { intervalDays: 365, afterEventDays: 30, dueSoonDays: 30 }
export const REASSESSMENT_STATUSES = [
  { code: 'never', label: '从未评估' },
  { code: 'overdue', label: '逾期未复评' },
  { code: 'due-soon', label: '即将到期' },
  { code: 'ok', label: '在有效期内' },
] as const
export type ReassessmentStatus = (typeof REASSESSMENT_STATUSES)[number]['code']

const DAY_MS = 86_400_000

export function reassessmentDue(f: { lastAt: string | null; eventAt: string | null }, rule: ReassessmentRule, now: Date):
  { status: ReassessmentStatus; dueAt: string | null; reason: 'never' | 'interval' | 'event'; overdueDays: number } {
  if (!f.lastAt) return { status: 'never', dueAt: null, reason: 'never', overdueDays: 0 }
  const yearly = Date.parse(f.lastAt) + rule.intervalDays * DAY_MS
  const event = f.eventAt ? Date.parse(f.eventAt) + rule.afterEventDays * DAY_MS : Infinity
  const due = Math.min(yearly, event)
  const t = now.getTime()
  const status = due < t ? 'overdue' : due < t + rule.dueSoonDays * DAY_MS ? 'due-soon' : 'ok'
  return { status, dueAt: new Date(due).toISOString(), reason: event < yearly ? 'event' : 'interval', overdueDays: due < t ? Math.floor((t - due) / DAY_MS) : 0 }
}
