import assert from 'node:assert/strict'
import { test } from 'vitest'
import { DEFAULT_INDICATOR_MODEL, DEFAULT_LEC, DEFAULT_MATRIX, grade, isProblem } from '../../server/domain/risk-grading.js'
import { ApiError } from '../../web/api/client.js'
import { indicatorAxes, lecBands, matrixRows, riskFieldName, riskProblem, startingInputs } from '../../web/lib/risk-display.js'

test('the matrix is drawn with likelihood 5 at the top and consequence 1 on the left, the assessed cell alone marked', () => {
  const rows = matrixRows(DEFAULT_MATRIX, { likelihood: 4, consequence: 4 })
  assert.deepEqual(rows.map((r) => r.likelihood), [5, 4, 3, 2, 1])
  assert.deepEqual(rows[0]!.cells.map((c) => c.consequence), [1, 2, 3, 4, 5])
  assert.equal(rows[0]!.label, '很可能')
  const marked = rows.flatMap((r) => r.cells.filter((c) => c.assessed).map((c) => [r.likelihood, c.consequence, c.level]))
  assert.deepEqual(marked, [[4, 4, 'red']])
  assert.equal(rows[4]!.cells[0]!.level, 'blue', 'L1 × C1 is the bottom-left cell')
  assert.equal(matrixRows(DEFAULT_MATRIX).flatMap((r) => r.cells).filter((c) => c.assessed).length, 0)
})

test('the LEC bands run from 极其危险 down, D falling in exactly one, an edge belonging to the band above it', () => {
  const at = (d: number) => lecBands(DEFAULT_LEC.bands, d).filter((b) => b.active).map((b) => b.label)
  assert.deepEqual(lecBands(DEFAULT_LEC.bands, null).map((b) => [b.label, b.range]), [
    ['极其危险', 'D ≥ 320'], ['高度危险', '160 ≤ D < 320'], ['显著危险', '70 ≤ D < 160'], ['一般危险', '20 ≤ D < 70'], ['稍有危险', 'D < 20'],
  ])
  assert.deepEqual(at(320), ['极其危险'])
  assert.deepEqual(at(319.9), ['高度危险'])
  assert.deepEqual(at(70), ['显著危险'])
  assert.deepEqual(at(18), ['稍有危险'])
})

test('the indicator bars are grouped by axis with the points the server computes', () => {
  const values = Object.fromEntries(DEFAULT_INDICATOR_MODEL.indicators.map((i) => [i.code, 60]))
  const g = grade(DEFAULT_INDICATOR_MODEL, { kind: 'indicator', values })
  assert.ok(!isProblem(g))
  const [likelihood, consequence] = indicatorAxes(DEFAULT_INDICATOR_MODEL, g.contributions)
  assert.equal(likelihood!.label, '可能性')
  assert.equal(consequence!.bars.length, 7)
  assert.equal(likelihood!.bars.find((b) => b.code === 'facility-condition')!.inverse, true)
  assert.equal(likelihood!.bars.find((b) => b.code === 'likelihood')!.label, '事故可能性')
})

test('a new assessment starts from the last inputs of the same kind, else the middle; indicators from the point, clamped', () => {
  assert.deepEqual(startingInputs(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 4, consequence: 2 }, null), { kind: 'matrix', likelihood: 4, consequence: 2 })
  assert.deepEqual(startingInputs(DEFAULT_MATRIX, { kind: 'lec', l: 3, e: 6, c: 15 }, null), { kind: 'matrix', likelihood: 3, consequence: 3 })
  const lec = startingInputs(DEFAULT_LEC, null, null)
  assert.ok(lec.kind === 'lec' && !isProblem(grade(DEFAULT_LEC, lec)), 'the LEC start is graded by the model')
  const ind = startingInputs(DEFAULT_INDICATOR_MODEL, null, { exposure: 72.6, history: 140 })
  assert.ok(ind.kind === 'indicator')
  assert.equal(ind.values.exposure, 73)
  assert.equal(ind.values.history, 100)
  assert.equal(ind.values.response, 50, 'an indicator the point lacks starts at 50')
})

test('the server’s 400 is said in Chinese with the field it names', () => {
  const e = new ApiError(400, 'invalid_parameter', 'invalid inputs.likelihood: likelihood must be a whole number from 1 to 5', { parameter: 'inputs.likelihood' })
  assert.deepEqual(riskProblem(e), { parameter: 'inputs.likelihood', text: '可能性：须为 1–5 的整数' })
  const cell = new ApiError(400, 'invalid_parameter', 'invalid config.cells: the cell at likelihood 3, consequence 3 is graded above a cell that is more likely or worse', { parameter: 'config.cells' })
  assert.match(riskProblem(cell).text, /^矩阵单元格：可能性 3、后果 3 的等级高于/)
  const reason = new ApiError(400, 'invalid_parameter', 'invalid override.reason: an override needs its written reason (at least 4 characters)', {
    parameter: 'override.reason', issues: [{ parameter: 'override.reason', message: 'an override needs its written reason (at least 4 characters)' }],
  })
  assert.equal(riskProblem(reason).text, '调整理由：人工调整须写明理由（至少 4 个字）')
  assert.equal(riskFieldName('inputs.values.exposure'), '人员暴露')
  assert.equal(riskFieldName('config.cells.2.4'), '矩阵单元格')
  assert.equal(riskProblem(new ApiError(403, 'forbidden', '只有本单位填报人员和系统管理员可以评估本单位的风险点')).text, '无权操作：只有本单位填报人员和系统管理员可以评估本单位的风险点')
})

test('an axis total is added as the server adds it, so it never reads 80 where the level says below 80', () => {
  const model = { ...DEFAULT_INDICATOR_MODEL, indicators: [
    { code: 'exposure', weight: 1, axis: 'likelihood', inverse: false },
    { code: 'history', weight: 1, axis: 'likelihood', inverse: false },
    { code: 'likelihood', weight: 1, axis: 'likelihood', inverse: false },
    { code: 'sensitivity', weight: 1, axis: 'consequence', inverse: false },
  ] } as typeof DEFAULT_INDICATOR_MODEL
  const g = grade(model, { kind: 'indicator', values: { exposure: 80, history: 80, likelihood: 79.85, sensitivity: 50 } })
  assert.ok(!isProblem(g))
  assert.equal(g.likelihood, 4, '79.95 is in the fourth fifth')
  assert.equal(g.contributions.filter((c) => c.axis === 'likelihood').reduce((s, c) => s + c.points, 0).toFixed(1), '80.0', 'the rounded points add up to 80')
  assert.equal(indicatorAxes(model, g.contributions)[0]!.total, 79.9)
})
