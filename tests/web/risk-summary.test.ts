import assert from 'node:assert/strict'
import { test } from 'vitest'
import {
  DEFAULT_INDICATOR_MODEL, DEFAULT_LEC, DEFAULT_MATRIX, grade, isProblem, type AssessmentInputs, type RiskModel, type RiskModelConfig,
} from '../../server/domain/risk-grading.js'
import { assessmentSummary, type LatestAssessment } from '../../web/lib/risk-summary.js'

/** A latest assessment as GET /api/features/:id/assessments gives it, graded by the model version it used. */
function latest(config: RiskModelConfig, inputs: AssessmentInputs, extra: Partial<LatestAssessment> = {}): LatestAssessment {
  const model: RiskModel = { id: 7, scope: '', version: 3, kind: config.kind, config, note: '', createdBy: null, createdAt: '2026-03-01T00:00:00Z' }
  const g = grade(config, inputs)
  assert.ok(!isProblem(g), 'the inputs grade')
  return {
    id: 1, featureId: 42, modelId: 7, modelVersion: 3, inputs, computedLevel: g.level, score: g.score, likelihood: g.likelihood, consequence: g.consequence,
    override: null, level: g.level, cause: 'manual', alarmId: null, assessor: '王评估', assessedAt: '2026-03-02T02:05:00Z', model, grade: g, ...extra,
  }
}

test('a matrix assessment: its level, how and when, and the 5 × 5 grid with the one assessed cell and its labels', () => {
  const s = assessmentSummary(latest(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 4, consequence: 4 }), '默认模型')
  assert.equal(s.level, 'red')
  assert.equal(s.levelLabel, '重大风险')
  assert.equal(s.method, '风险矩阵 · 默认模型 v3')
  assert.equal(s.assessor, '王评估')
  assert.equal(s.override, null)
  assert.equal(s.stale, false)
  assert.ok(s.why?.kind === 'matrix')
  assert.equal(s.why.cell, '可能性 4（可能）× 后果 4（较大）')
  assert.equal(s.why.score, 16)
  assert.deepEqual(s.why.rows.map((r) => r.likelihood), [5, 4, 3, 2, 1])
  assert.deepEqual(s.why.columns.map((c) => `${c.score} ${c.label}`), ['1 轻微', '2 较小', '3 中等', '4 较大', '5 重大'])
  const marked = s.why.rows.flatMap((r) => r.cells.filter((c) => c.assessed).map((c) => [r.likelihood, c.consequence, c.level]))
  assert.deepEqual(marked, [[4, 4, 'red']])
})

test('an override is said as such, with its reason and what the model gave', () => {
  const a = latest(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 3, consequence: 3 })
  const s = assessmentSummary({ ...a, level: 'red', override: { level: 'red', reason: '<b>临近学校</b>，按重大管理' } }, '默认模型')
  assert.equal(s.level, 'red')
  assert.deepEqual(s.override, { text: '人工调整：<b>临近学校</b>，按重大管理', computed: '按模型计算为一般风险，调整为重大风险' })
})

test('a confirmed alarm nearby: the cell is the one that gave the level, and the raise is said', () => {
  const s = assessmentSummary(latest(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 3, consequence: 4, alarmBoost: 1 }), '默认模型')
  assert.ok(s.why?.kind === 'matrix')
  assert.equal(s.why.cell, '可能性 4（可能）× 后果 4（较大）')
  assert.equal(s.alarm, '附近告警已确认，可能性按上调 1 级计')
})

test('an LEC assessment: L, E and C with what they mean, D, and the band D falls in', () => {
  const s = assessmentSummary(latest(DEFAULT_LEC, { kind: 'lec', l: 6, e: 3, c: 15 }), '燃气管网模型')
  assert.equal(s.method, 'LEC 作业条件危险性分析 · 燃气管网模型 v3')
  assert.ok(s.why?.kind === 'lec')
  assert.deepEqual(s.why.figures.map((f) => [f.key, f.value, f.text]), [['L', 6, '相当可能'], ['E', 3, '每周一次或偶然暴露'], ['C', 15, '非常严重，一人死亡']])
  assert.equal(s.why.d, 270)
  assert.equal(s.why.band?.label, '高度危险')
  assert.equal(s.why.band?.range, '160 ≤ D < 320')
  assert.equal(s.level, 'orange')
})

test('an indicator assessment: the two scores and the cell they make; no scores when the version no longer grades it', () => {
  const values = Object.fromEntries(DEFAULT_INDICATOR_MODEL.indicators.map((i) => [i.code, i.inverse ? 20 : 80]))
  const a = latest(DEFAULT_INDICATOR_MODEL, { kind: 'indicator', values })
  const s = assessmentSummary(a, '默认模型')
  assert.ok(s.why?.kind === 'indicator')
  // 80 by arithmetic, a hair under it in floating point: the server grades it 4, and 79.9 is shown with it.
  assert.deepEqual(s.why.axes.map((x) => [x.label, x.total, x.step]), [['可能性', 79.9, 4], ['后果', 80, 5]])
  assert.equal(s.why.cell, '可能性 4（可能）× 后果 5（重大）')

  const stale = assessmentSummary({ ...a, grade: null }, '默认模型')
  assert.equal(stale.stale, true)
  assert.ok(stale.why?.kind === 'indicator')
  assert.deepEqual(stale.why.axes.map((x) => x.total), [null, null], 'no score that was not computed')
  assert.equal(stale.level, a.level, 'the stored level stands')
})
