import assert from 'node:assert/strict'
import { test } from 'vitest'
import type { SlaClock } from '../../server/domain/monitoring.js'
import { alarmFiltersFromQuery, alarmFiltersToApiQuery, alarmFiltersToQuery, emptyAlarmFilters } from '../../web/api/alarm-params.js'
import { ApiError } from '../../web/api/client.js'
import { bodyOf, draftOf, newDraft, sameDraft, sortRules } from '../../web/components/admin/admin-rule-drafts.js'
import { clockState, durationText, formatValue, problemText, readingText, slaBrief, stepLabel } from '../../web/lib/alarm-labels.js'

const T0 = Date.parse('2025-06-01T08:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const clock = (step: SlaClock['step'], label: string, dueMin: number, doneMin: number | null, overdue = false): SlaClock =>
  ({ step, label, due: at(dueMin), doneAt: doneMin === null ? null : at(doneMin), overdue })

test('the 告警中心 filters round-trip through the URL, unknown codes dropped', () => {
  const f = { ...emptyAlarmFilters(), status: 'pushed' as const, level: ['blue' as const, 'red' as const], open: true, q: '燃气' }
  const q = alarmFiltersToQuery(f)
  assert.deepEqual(q, { status: 'pushed', level: 'red,blue', open: 'true', keyword: '燃气' })
  assert.equal(alarmFiltersToApiQuery(f).q, '燃气', 'the API calls the keyword q (the top bar’s search owns ?q= in the page’s URL)')
  assert.deepEqual(alarmFiltersFromQuery(q), { ...f, level: ['red', 'blue'] })
  assert.deepEqual(alarmFiltersFromQuery({ status: 'nonsense', level: 'red,purple', kind: 'silence', escalated: 'true' }),
    { ...emptyAlarmFilters(), level: ['red'], kind: 'silence', escalated: true })
  assert.deepEqual(alarmFiltersToQuery(emptyAlarmFilters()), {})
})

test('an SLA clock reads as done in time, done late, time left, or overdue by how much', () => {
  const now = T0 + 20 * 60_000
  assert.deepEqual(clockState(clock('sign', '签收', 10, 5), now), { tone: 'done', text: '按时完成' })
  assert.deepEqual(clockState(clock('sign', '签收', 10, 25), now), { tone: 'late', text: '超时 15分钟 完成' })
  assert.deepEqual(clockState(clock('firstReport', '首报', 30, null), now), { tone: 'running', text: '剩余 10分钟' })
  assert.deepEqual(clockState(clock('sign', '签收', 10, null), now), { tone: 'overdue', text: '已超时 10分钟' })
  // The server's word counts even when the browser's clock is behind.
  assert.equal(clockState(clock('sign', '签收', 30, null, true), now).tone, 'overdue')
})

test('the list says which steps ran out, 已上报 when escalated, else the next running clock', () => {
  const now = T0 + 20 * 60_000
  assert.deepEqual(slaBrief({ status: 'pending', clocks: [], escalated: [] }, now), [{ tone: 'none', text: '未推送' }])
  const overdue = [clock('sign', '签收', 10, null), clock('firstReport', '首报', 30, null), clock('writtenReport', '书面报告', 60, null)]
  assert.deepEqual(slaBrief({ status: 'pushed', clocks: overdue, escalated: ['sign'] }, now), [{ tone: 'overdue', text: '签收超时' }, { tone: 'escalated', text: '已上报' }])
  const running = [clock('sign', '签收', 10, 5), clock('firstReport', '首报', 30, null), clock('writtenReport', '书面报告', 60, null)]
  assert.deepEqual(slaBrief({ status: 'signed', clocks: running, escalated: [] }, now), [{ tone: 'running', text: '首报剩余 10分钟' }])
  const closed = [clock('sign', '签收', 10, 5), clock('firstReport', '首报', 30, 12), clock('writtenReport', '书面报告', 60, 19)]
  assert.deepEqual(slaBrief({ status: 'closed', clocks: closed, escalated: [] }, now), [{ tone: 'done', text: '按时完成' }])
})

test('readings, durations and timeline steps in Chinese', () => {
  assert.deepEqual(readingText({ kind: 'threshold', value: 60, threshold: 50, unit: '%LEL' }), { value: '60 %LEL', threshold: '阈值 50 %LEL' })
  assert.deepEqual(readingText({ kind: 'silence', value: null, threshold: 30, unit: '%LEL' }), { value: '传感器离线', threshold: '超过 30 分钟未上报' })
  assert.equal(formatValue(0.08000001), '0.08')
  assert.equal(formatValue(12345.6), '12,345.6')
  assert.equal(durationText(65 * 60_000), '1小时5分钟')
  assert.equal(durationText(2 * 86_400_000 + 3 * 3_600_000), '2天3小时')
  assert.equal(stepLabel('raise'), '触发告警')
  assert.equal(stepLabel('escalate'), '超时上报')
  assert.equal(stepLabel('handle'), '开始处置（首报）')
})

test('refusals are said in Chinese: the loop’s own words kept, validation messages translated field by field', () => {
  assert.equal(problemText(new ApiError(409, 'conflict', '告警当前状态为「已确认」，不能研判确认')), '操作未完成：告警当前状态为「已确认」，不能研判确认')
  assert.match(problemText(new ApiError(403, 'forbidden', 'only admins')), /^无权操作：/)
  assert.equal(problemText(new ApiError(404, 'not_found', 'alarm 9 does not exist')), '告警不存在，或您无权查看')
  const hysteresis = new ApiError(400, 'invalid_parameter', 'invalid clearValue: must not be above the threshold (hysteresis: …)', {
    parameter: 'clearValue', issues: [{ parameter: 'clearValue', message: 'must not be above the threshold (hysteresis: the value must fall back past it)' }],
  })
  assert.equal(problemText(hysteresis), '恢复值：不能高于阈值（回差：监测值须回落到恢复值才解除告警）')
  const sla = new ApiError(400, 'invalid_parameter', 'invalid red: the clocks must not decrease', { parameter: 'red', issues: [{ parameter: 'red', message: 'the clocks must not decrease: sign ≤ firstReport ≤ writtenReport' }, { parameter: 'blue.sign', message: 'must be at most 43200 (30 days)' }] })
  assert.equal(problemText(sla), '一级：时限须逐级不减：签收 ≤ 首报 ≤ 书面报告；四级·签收时限：不能大于 43200')
  assert.equal(problemText(new ApiError(400, 'invalid_parameter', 'invalid featureId: 7 is not a monitoring point', { parameter: 'featureId' })), '监测点：不是监测点')
  assert.equal(problemText(new TypeError('Failed to fetch')), '无法连接服务器，请检查网络后重试')
})

test('a rule draft turns back into the body the server takes, and says what is missing', () => {
  const rule = {
    id: 3, kind: 'threshold' as const, channel: 'gas' as const, subcategoryCode: null, featureId: 42, level: 'red' as const, direction: 'above' as const,
    threshold: 50, clearValue: 40, minDurationS: 0, silenceMinutes: null, enabled: true, note: '', updatedBy: null, updatedAt: at(0),
  }
  const d = draftOf(rule)
  assert.equal(sameDraft(d, { ...d, threshold: 50 as unknown as string }), true, 'a number input hands back a number')
  assert.deepEqual(bodyOf('gas', { ...d, threshold: '55' }), {
    body: { kind: 'threshold', channel: 'gas', level: 'red', direction: 'above', enabled: true, note: '', subcategoryCode: null, featureId: 42, threshold: 55, clearValue: 40, minDurationS: 0, silenceMinutes: null },
  })
  assert.deepEqual(bodyOf('gas', { ...newDraft(), scope: 'subcategory' }), { problems: ['子类：请选择', '阈值：超限规则须填写阈值'] })
  const silence = bodyOf('gas', { ...newDraft(), kind: 'silence', silenceMinutes: '45', threshold: '9' })
  assert.ok('body' in silence && silence.body.threshold === null && silence.body.silenceMinutes === 45)
  const order = sortRules([
    { id: 1, kind: 'silence', level: 'blue', subcategoryCode: null, featureId: null },
    { id: 2, kind: 'threshold', level: 'blue', subcategoryCode: null, featureId: null },
    { id: 3, kind: 'threshold', level: 'red', subcategoryCode: null, featureId: 42 },
    { id: 4, kind: 'threshold', level: 'red', subcategoryCode: null, featureId: null },
  ] as const)
  assert.deepEqual(order.map((r) => r.id), [4, 2, 3, 1])
})
