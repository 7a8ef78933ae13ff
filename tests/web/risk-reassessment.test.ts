import assert from 'node:assert/strict'
import { test } from 'vitest'
import { DEFAULT_REASSESSMENT_RULE } from '../../server/domain/risk-grading.js'
import {
  departmentsWorstFirst, reassessmentReasonLabel, reassessmentRuleText, reassessmentStatusLabel, ruleDraftProblems, ruleOfDraft,
} from '../../web/lib/risk-reassessment.js'

test('the rule reads as one sentence', () => {
  assert.equal(reassessmentRuleText(DEFAULT_REASSESSMENT_RULE), '评估每 365 天到期；告警确认上调风险后 30 天内须复评；提前 30 天提示')
  assert.equal(reassessmentRuleText({ intervalDays: 180, afterEventDays: 7, dueSoonDays: 14 }), '评估每 180 天到期；告警确认上调风险后 7 天内须复评；提前 14 天提示')
})

test('statuses and reasons in words', () => {
  assert.deepEqual(['never', 'overdue', 'due-soon'].map(reassessmentStatusLabel), ['从未评估', '逾期未复评', '即将到期'])
  assert.deepEqual(['interval', 'event', 'never'].map(reassessmentReasonLabel), ['到期', '事件后', '从未评估'])
})

test('departments are listed worst first: most points without a valid assessment, then most overdue, then most due soon', () => {
  const d = (id: number, name: string, never: number, overdue: number, dueSoon: number, ok: number) =>
    ({ id, name, total: never + overdue + dueSoon + ok, never, overdue, 'due-soon': dueSoon, ok })
  const ranked = departmentsWorstFirst([
    d(1, '区住建委', 0, 0, 0, 9),
    d(2, '区应急局', 3, 1, 0, 2),
    d(3, '区交通局', 0, 4, 0, 0),
    d(4, '区水利局', 0, 0, 2, 1),
    d(5, '区城管局', 3, 2, 1, 0),
  ])
  assert.deepEqual(ranked.map((x) => x.name), ['区城管局', '区交通局', '区应急局', '区水利局', '区住建委'])
})

test('the administrator\'s draft is checked field by field before it is sent', () => {
  assert.deepEqual(ruleDraftProblems({ intervalDays: 365, afterEventDays: 30, dueSoonDays: 30 }), {})
  assert.deepEqual(ruleOfDraft({ intervalDays: 365, afterEventDays: 30, dueSoonDays: 30 }), DEFAULT_REASSESSMENT_RULE)
  const p = ruleDraftProblems({ intervalDays: '', afterEventDays: 400, dueSoonDays: 2.5 })
  assert.deepEqual(p, { intervalDays: '请填写评估有效期', afterEventDays: '告警上调后复评时限须为 1–365 天', dueSoonDays: '提前提示须为整数天' })
  assert.equal(ruleDraftProblems({ intervalDays: 0, afterEventDays: 1, dueSoonDays: 1 }).intervalDays, '评估有效期须为 1–3650 天')
  assert.equal(ruleDraftProblems({ intervalDays: 3650, afterEventDays: 365, dueSoonDays: 365 }).intervalDays, undefined)
  assert.equal(ruleOfDraft({ intervalDays: 'abc', afterEventDays: 1, dueSoonDays: 1 }), null)
})
