import { REASSESSMENT_STATUSES, type ReassessmentRule, type ReassessmentStatus } from '../../server/domain/risk-grading.js'
import { labelOf } from '../../server/domain/enums.js'

/**
 * 风险复评督办 as the supervision page shows it, as pure functions: the rule in words, the departments
 * worst first, why a point is due, and the administrator's draft of the rule checked before it is sent.
 */

export type ReassessmentReason = 'never' | 'interval' | 'event'

/** The rule in one sentence: 评估每 365 天到期；告警确认上调风险后 30 天内须复评；提前 30 天提示. */
export function reassessmentRuleText(rule: ReassessmentRule): string {
  return `评估每 ${rule.intervalDays} 天到期；告警确认上调风险后 ${rule.afterEventDays} 天内须复评；提前 ${rule.dueSoonDays} 天提示`
}

export const reassessmentStatusLabel = (status: ReassessmentStatus | string) => labelOf(REASSESSMENT_STATUSES, status)

const REASONS: Record<ReassessmentReason, string> = { interval: '到期', event: '事件后', never: '从未评估' }
export const reassessmentReasonLabel = (reason: ReassessmentReason | string) => REASONS[reason as ReassessmentReason] ?? reason

interface DepartmentCounts { id: number; name: string; total: number; never: number; overdue: number; 'due-soon': number; ok: number }

/**
 * Departments the most in need of chasing first: the most points without a valid assessment (never
 * assessed or overdue), then the most overdue, the most due soon, the larger share late; by name last.
 */
export function departmentsWorstFirst<D extends DepartmentCounts>(departments: readonly D[]): D[] {
  const late = (d: D) => d.never + d.overdue
  const share = (d: D) => (d.total ? late(d) / d.total : 0)
  return [...departments].sort((a, b) => late(b) - late(a) || b.overdue - a.overdue || b['due-soon'] - a['due-soon'] || share(b) - share(a) || a.name.localeCompare(b.name, 'zh-CN'))
}

/** The rule's three figures and their bounds (the server refuses anything else). */
export const RULE_FIELDS = [
  { key: 'intervalDays', label: '评估有效期', max: 3650 },
  { key: 'afterEventDays', label: '告警上调后复评时限', max: 365 },
  { key: 'dueSoonDays', label: '提前提示', max: 365 },
] as const satisfies readonly { key: keyof ReassessmentRule; label: string; max: number }[]

/** What an input holds: a number, or '' when emptied (v-model.number). */
export type RuleDraft = Record<keyof ReassessmentRule, number | string>

/** The draft's problems by field, in Chinese; empty when it may be saved. */
export function ruleDraftProblems(draft: RuleDraft): Partial<Record<keyof ReassessmentRule, string>> {
  const problems: Partial<Record<keyof ReassessmentRule, string>> = {}
  for (const f of RULE_FIELDS) {
    const v = draft[f.key]
    if (v === '' || v === null || v === undefined) problems[f.key] = `请填写${f.label}`
    else if (typeof v !== 'number' || !Number.isFinite(v)) problems[f.key] = `${f.label}须为天数`
    else if (!Number.isInteger(v)) problems[f.key] = `${f.label}须为整数天`
    else if (v < 1 || v > f.max) problems[f.key] = `${f.label}须为 1–${f.max} 天`
  }
  return problems
}

/** A checked draft as the rule to send. */
export function ruleOfDraft(draft: RuleDraft): ReassessmentRule | null {
  if (Object.keys(ruleDraftProblems(draft)).length) return null
  return { intervalDays: Number(draft.intervalDays), afterEventDays: Number(draft.afterEventDays), dueSoonDays: Number(draft.dueSoonDays) }
}
