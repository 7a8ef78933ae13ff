import { RISK_INDICATORS, RISK_LEVELS, type RiskIndicator, type RiskLevel } from '../../server/domain/enums.js'
import type { AssessmentInputs, Grade, IndicatorModel, LecModel, MatrixModel, RiskModelConfig } from '../../server/domain/risk-grading.js'
import { ApiError } from '../api/client.js'
import { HAS_CHINESE, translateMessage, type MessageTable } from './validation-words.js'

/**
 * How a risk point's page and the 评估模型 tab show a grade: the matrix as rows from the most likely
 * down, the LEC bands with the one D falls in, the indicators by axis, the inputs a form starts from,
 * and the server's refusals in Chinese with the field they are about — as pure functions.
 */

export const riskLevelLabel = (code: string | null | undefined) => RISK_LEVELS.find((l) => l.code === code)?.label ?? '未定级'
export const riskLevelColor = (code: string | null | undefined) => RISK_LEVELS.find((l) => l.code === code)?.color ?? '#94a3b8'
export const indicatorLabel = (code: string) => RISK_INDICATORS.find((i) => i.code === code)?.label ?? code

export interface MatrixCell { consequence: number; level: RiskLevel; assessed: boolean }
export interface MatrixRow { likelihood: number; label: string; cells: MatrixCell[] }

/** The 5 × 5 grid as drawn: likelihood 5 at the top down to 1, consequence 1 to 5 from the left; the assessed cell marked. */
export function matrixRows(m: MatrixModel, at?: { likelihood: number | null; consequence: number | null }): MatrixRow[] {
  return [5, 4, 3, 2, 1].map((l) => ({
    likelihood: l,
    label: m.likelihood[l - 1]?.label ?? String(l),
    cells: [1, 2, 3, 4, 5].map((c) => ({ consequence: c, level: m.cells[l - 1]![c - 1]!, assessed: at?.likelihood === l && at?.consequence === c })),
  }))
}

export interface LecBand { level: RiskLevel; label: string; range: string; active: boolean }

/** The five LEC bands, the most dangerous first, and the one D falls in. */
export function lecBands(b: LecModel['bands'], d: number | null): LecBand[] {
  const rows: { level: RiskLevel; label: string; from: number | null; to: number | null }[] = [
    { level: 'red', label: '极其危险', from: b.red, to: null },
    { level: 'orange', label: '高度危险', from: b.orange, to: b.red },
    { level: 'yellow', label: '显著危险', from: b.yellow, to: b.orange },
    { level: 'blue', label: '一般危险', from: b.blue, to: b.yellow },
    { level: 'blue', label: '稍有危险', from: null, to: b.blue },
  ]
  return rows.map((r) => ({
    level: r.level,
    label: r.label,
    range: r.from === null ? `D < ${r.to}` : r.to === null ? `D ≥ ${r.from}` : `${r.from} ≤ D < ${r.to}`,
    active: d !== null && (r.from === null || d >= r.from) && (r.to === null || d < r.to),
  }))
}

export interface LecFigure { key: 'L' | 'E' | 'C'; name: string; value: number; text: string }

/** L, E and C as taken, each with what its value means in the model's table. */
export function lecFigures(m: LecModel, at: { l: number; e: number; c: number }): LecFigure[] {
  const describe = (table: LecModel['l'], v: number) => table.find((o) => o.value === v)?.description ?? ''
  return [
    { key: 'L', name: '事故发生的可能性', value: at.l, text: describe(m.l, at.l) },
    { key: 'E', name: '暴露于危险环境的频繁程度', value: at.e, text: describe(m.e, at.e) },
    { key: 'C', name: '发生事故的后果', value: at.c, text: describe(m.c, at.c) },
  ]
}

export interface IndicatorBar { code: string; label: string; weight: number; inverse: boolean; value: number | null; points: number | null }
export interface IndicatorAxis { axis: 'likelihood' | 'consequence'; label: string; total: number; bars: IndicatorBar[] }

/** The indicators grouped by the axis they count towards, each with its value and the points it adds. */
/**
 * An axis score as the server's grade() computes it, in the same order, to one decimal rounded down,
 * so that the score shown agrees with the level it gave: a score shown as 80 is level 5, and one a
 * hair under 80 (level 4) shows as 79.9, where the sum of the indicators' rounded points could say 80.
 */
export function axisScore(m: IndicatorModel, values: Partial<Record<string, number>>, axis: 'likelihood' | 'consequence'): number | null {
  const own = m.indicators.filter((i) => i.axis === axis && i.weight > 0)
  const total = own.reduce((s, i) => s + i.weight, 0)
  let score = 0
  for (const i of own) {
    const v = values[i.code]
    if (typeof v !== 'number' || !Number.isFinite(v)) return null
    score += ((i.inverse ? 100 - v : v) * i.weight) / total
  }
  return Math.floor(score * 10) / 10
}

export function indicatorAxes(m: IndicatorModel, contributions: Grade['contributions'] = []): IndicatorAxis[] {
  return (['likelihood', 'consequence'] as const).map((axis) => {
    const bars = m.indicators.filter((i) => i.axis === axis).map((i) => {
      const c = contributions.find((x) => x.code === i.code)
      return { code: i.code, label: indicatorLabel(i.code), weight: i.weight, inverse: i.inverse, value: c?.value ?? null, points: c?.points ?? null }
    })
    // As the server adds them (not the rounded points), so that the total agrees with the level.
    const values = Object.fromEntries(contributions.map((c) => [c.code, c.value]))
    const total = axisScore(m, values, axis) ?? Math.round(bars.reduce((s, b) => s + (b.points ?? 0), 0) * 10) / 10
    return { axis, label: axis === 'likelihood' ? '可能性' : '后果', total, bars }
  })
}

/** The inputs a new assessment starts from: the last one's if it was for this kind of model, else the middle; indicators from the feature's own. */
export function startingInputs(m: RiskModelConfig, last: AssessmentInputs | null, indicators: Partial<Record<string, number>> | null): AssessmentInputs {
  if (last && last.kind === m.kind) return structuredClone(last)
  if (m.kind === 'matrix') return { kind: 'matrix', likelihood: 3, consequence: 3 }
  if (m.kind === 'lec') {
    const middle = (o: { value: number }[]) => o[Math.floor(o.length / 2)]?.value ?? 1
    return { kind: 'lec', l: middle(m.l), e: middle(m.e), c: middle(m.c) }
  }
  const values: Partial<Record<RiskIndicator, number>> = {}
  for (const i of m.indicators) {
    const v = indicators?.[i.code]
    values[i.code] = typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(100, Math.round(v))) : 50
  }
  return { kind: 'indicator', values }
}

// ---- The server's refusals, in Chinese ----


const FIELDS: Record<string, string> = {
  'inputs.likelihood': '可能性', 'inputs.consequence': '后果严重程度', 'inputs.l': 'L（事故发生的可能性）', 'inputs.e': 'E（暴露频繁程度）',
  'inputs.c': 'C（后果）', 'inputs.kind': '评估方法', 'override.level': '调整后等级', 'override.reason': '调整理由', override: '人工调整',
  note: '版本说明', kind: '模型类型', 'config.kind': '模型类型', 'config.likelihood': '可能性等级', 'config.consequence': '后果等级', 'config.cells': '矩阵单元格',
  'config.matrix.likelihood': '可能性等级', 'config.matrix.consequence': '后果等级', 'config.matrix.cells': '矩阵单元格', 'config.bands': '分级界限',
  'config.l': 'L 取值表', 'config.e': 'E 取值表', 'config.c': 'C 取值表', 'config.indicators': '指标', weights: '权重', cuts: '分值界限',
}

/** The field a parameter names, in words ("inputs.values.exposure" → 人员暴露). */
export function riskFieldName(parameter: string): string {
  const indicator = /^inputs\.values\.(.+)$/.exec(parameter)
  if (indicator) return indicatorLabel(indicator[1]!)
  const exact = FIELDS[parameter]
  if (exact) return exact
  // Zod's issues name array positions (config.cells.2.4): the nearest named parent.
  const parts = parameter.split('.')
  while (parts.length > 1) {
    parts.pop()
    const named = FIELDS[parts.join('.')]
    if (named) return named
  }
  return parameter
}

const MESSAGES: MessageTable = [
  [/must be a whole number from 1 to 5/, '须为 1–5 的整数'],
  [/must be one of ([\d., ]+)/, (m) => `须为 ${m[1]!.trim()} 之一`],
  [/must be a number from 0 to 100/, '须为 0–100 的数'],
  [/an override needs its written reason/, '人工调整须写明理由（至少 4 个字）'],
  [/this model takes (\w+) inputs/, '评估模型已更换，请刷新页面后按新模型填写'],
  [/scale must have five entries/, '须有 1–5 共五级，每级须有名称'],
  [/cell map must be 5 × 5/, '须为 5 × 5 个等级'],
  [/at likelihood (\d), consequence (\d) is graded above/, (m) => `可能性 ${m[1]}、后果 ${m[2]} 的等级高于可能性更大或后果更严重的单元格：等级须随可能性、后果逐级不降`],
  [/band edges must be positive/, '须为正数'],
  [/band edges must fall/, '须从重大到低依次递减：重大 > 较大 > 一般 > 低'],
  [/table needs positive values/, '取值须为正数'],
  [/needs at least one (likelihood|consequence) indicator/, (m) => `至少需要一个权重大于 0 的${m[1] === 'likelihood' ? '可能性' : '后果'}指标`],
  [/listed twice/, '同一指标不能重复'],
  [/known code with a weight of 0–100/, '权重须为 0–100'],
  [/weights must be numbers of 0 or more/, '须为不小于 0 的数'],
  [/weights must not rise/, '须从重大到低依次不增'],
  [/cut-offs must fall/, '须从红到黄依次递减，且大于 0'],
  [/only risk points and hazard sources are assessed/, '只有风险点和危险源可以评估'],
  [/at most (\d+) characters/, (m) => `不能超过 ${m[1]} 个字`],
  [/must not be negative/, '不能为负数'],
  [/must be positive|too small.*>0/i, '须为正数'],
  [/expected number|must be a (finite )?number/i, '须为数字'],
]

const translate = (message: string) => translateMessage(message, MESSAGES)

export interface RiskProblem { parameter: string; text: string }

/** A failed call of the grading API: the field it is about (for a 400) and what to do, in Chinese. */
export function riskProblem(e: unknown): RiskProblem {
  if (!(e instanceof ApiError)) return { parameter: '', text: (e as Error)?.name === 'AbortError' ? '请求已取消' : '无法连接服务器，请检查网络后重试' }
  switch (e.status) {
    case 400: {
      const issues = (e.details.issues as { parameter: string; message: string }[] | undefined) ?? []
      const first = issues[0] ?? { parameter: String(e.details.parameter ?? ''), message: e.message }
      const zh = translate(first.message)
      return { parameter: first.parameter, text: first.parameter && !HAS_CHINESE.test(first.message) ? `${riskFieldName(first.parameter)}：${zh}` : zh }
    }
    case 401: return { parameter: '', text: '登录已失效，请重新登录' }
    case 403: return { parameter: '', text: `无权操作：${HAS_CHINESE.test(e.message) ? e.message : '您的角色或所属部门不能执行此操作'}` }
    case 404: return { parameter: '', text: '要素不存在，或您无权查看' }
    case 429: return { parameter: '', text: '操作过于频繁，请稍后再试' }
    default: return { parameter: '', text: e.status >= 500 ? `服务器出错（${e.status}），请稍后重试` : translate(e.message) }
  }
}
