import type { LecModel, LecOption } from '../../../server/domain/risk-grading.js'

/**
 * The L, E and C tables of an LEC model as the administrator edits them: rows of a value and what it
 * means, checked as one types by the rules PUT /api/risk-models/:scope applies (1–12 rows, each value
 * a positive number, a description of at most 100 characters) and one more: no value twice, as an
 * assessment picks its L, E and C by value. A value input left empty holds '' (v-model.number) and a
 * row just added NaN: both ask for a value.
 */

export const LEC_TABLES = [
  { key: 'l', label: 'L 事故发生的可能性' },
  { key: 'e', label: 'E 暴露于危险环境的频繁程度' },
  { key: 'c', label: 'C 发生事故的后果' },
] as const
export type LecTableKey = (typeof LEC_TABLES)[number]['key']

export const LEC_MIN_OPTIONS = 1
export const LEC_MAX_OPTIONS = 12
export const LEC_DESCRIPTION_MAX = 100

/** A problem with a table: `row` (0-based) and `field` when it is about one input, null for the table as a whole. */
export interface LecOptionProblem { row: number | null; field: 'value' | 'description' | null; text: string }

/** Each problem of one table, in row order; empty when the server would take it. */
export function lecTableProblems(table: readonly LecOption[]): LecOptionProblem[] {
  const problems: LecOptionProblem[] = []
  if (table.length < LEC_MIN_OPTIONS) problems.push({ row: null, field: null, text: '至少需要一个取值' })
  if (table.length > LEC_MAX_OPTIONS) problems.push({ row: null, field: null, text: `最多 ${LEC_MAX_OPTIONS} 个取值，请删除 ${table.length - LEC_MAX_OPTIONS} 个` })
  const seen = new Map<number, number>()
  table.forEach((o, row) => {
    const v = o.value
    if (typeof v !== 'number' || Number.isNaN(v)) problems.push({ row, field: 'value', text: '请填写取值（正数）' })
    else if (!Number.isFinite(v) || v <= 0) problems.push({ row, field: 'value', text: '取值须为正数' })
    else if (seen.has(v)) problems.push({ row, field: 'value', text: `取值 ${v} 与第 ${seen.get(v)! + 1} 行重复` })
    else seen.set(v, row)
    if (o.description.trim().length > LEC_DESCRIPTION_MAX) problems.push({ row, field: 'description', text: `说明不能超过 ${LEC_DESCRIPTION_MAX} 个字` })
  })
  return problems
}

/** The problems of the three tables by table; a table without problems is absent. */
export function lecProblems(m: Pick<LecModel, LecTableKey>): Partial<Record<LecTableKey, LecOptionProblem[]>> {
  const out: Partial<Record<LecTableKey, LecOptionProblem[]>> = {}
  for (const { key } of LEC_TABLES) {
    const p = lecTableProblems(m[key])
    if (p.length) out[key] = p
  }
  return out
}

/** How many inputs or tables need fixing before the model can be saved. */
export const lecProblemCount = (m: Pick<LecModel, LecTableKey>) => Object.values(lecProblems(m)).reduce((n, p) => n + p.length, 0)
