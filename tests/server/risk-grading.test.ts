import { test } from 'vitest'
import assert from 'node:assert/strict'
import {
  DEFAULT_CELLS, DEFAULT_INDICATOR_MODEL, DEFAULT_LEC, DEFAULT_MATRIX, grade, isProblem, lecLevel, modelProblem, type Grade, type GradeProblem,
} from '../../server/domain/risk-grading.js'

const ok = (g: Grade | GradeProblem): Grade => {
  if (isProblem(g)) throw new Error(g.problem)
  return g
}
const short = { red: 'R', orange: 'O', yellow: 'Y', blue: 'B' } as const

test('the 5 × 5 matrix, cell by cell, against the table worked out by hand (L × C: 1–4 低, 5–9 一般, 10–14 较大, 15–25 重大)', () => {
  const byHand = [
    'B B B B Y', // L1: C 1 2 3 4 5 → 1 2 3 4 5
    'B B Y Y O', // L2: 2 4 6 8 10
    'B Y Y O R', // L3: 3 6 9 12 15
    'B Y O R R', // L4: 4 8 12 16 20
    'Y O R R R', // L5: 5 10 15 20 25
  ]
  const graded = [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((c) => short[ok(grade(DEFAULT_MATRIX, { kind: 'matrix', likelihood: l, consequence: c })).level]).join(' '))
  assert.deepEqual(graded, byHand)
  assert.deepEqual(DEFAULT_CELLS.map((row) => row.map((c) => short[c]).join(' ')), byHand)
  const g = ok(grade(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 4, consequence: 4 }))
  assert.deepEqual([g.score, g.likelihood, g.consequence], [16, 4, 4])
})

test('what would lower a matrix grade: the nearest lower cell along each axis', () => {
  const g = ok(grade(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 4, consequence: 4 }))
  assert.deepEqual(g.lower, ['可能性降至 3（偶尔）：较大风险', '后果严重程度降至 3（中等）：较大风险'])
  assert.deepEqual(ok(grade(DEFAULT_MATRIX, { kind: 'matrix', likelihood: 1, consequence: 1 })).lower, [])
})

test('LEC: D = L × E × C against the band edges (≥ 320 / 160–320 / 70–160 / 20–70 / < 20), edges included where the method puts them', () => {
  const b = DEFAULT_LEC.bands
  assert.deepEqual([320, 319.99, 160, 159.99, 70, 69.99, 20, 19.99, 0.01].map((d) => short[lecLevel(b, d)]), ['R', 'O', 'O', 'Y', 'Y', 'B', 'B', 'B', 'B'])
  const cases: [number, number, number, number, string][] = [
    [6, 6, 15, 540, 'R'], [10, 6, 7, 420, 'R'], [3, 6, 15, 270, 'O'], [1, 6, 40, 240, 'O'], [3, 6, 7, 126, 'Y'],
    [1, 10, 7, 70, 'Y'], [3, 3, 7, 63, 'B'], [1, 6, 3, 18, 'B'], [0.1, 0.5, 1, 0.05, 'B'],
  ]
  for (const [l, e, c, d, level] of cases) {
    const g = ok(grade(DEFAULT_LEC, { kind: 'lec', l, e, c }))
    assert.deepEqual([g.score, short[g.level]], [d, level], `L ${l} × E ${e} × C ${c}`)
  }
  const g = ok(grade(DEFAULT_LEC, { kind: 'lec', l: 3, e: 6, c: 15 }))
  assert.deepEqual(g.lower, ['D 须降至 160 以下（现为 270）', 'L 由 3 降至 1：D = 90，一般风险', 'E 由 6 降至 3：D = 135，一般风险', 'C 由 15 降至 7：D = 126，一般风险'])
  const off = grade(DEFAULT_LEC, { kind: 'lec', l: 4, e: 6, c: 15 })
  assert.ok(isProblem(off) && off.parameter === 'inputs.l' && /10, 6, 3, 1, 0.5, 0.2, 0.1/.test(off.problem))
})

test('a city\'s own LEC bands: moving an edge moves the grade', () => {
  const strict = { ...DEFAULT_LEC, bands: { red: 240, orange: 120, yellow: 60, blue: 20 } }
  assert.equal(ok(grade(strict, { kind: 'lec', l: 3, e: 6, c: 15 })).level, 'red')
  assert.equal(ok(grade(strict, { kind: 'lec', l: 1, e: 10, c: 7 })).level, 'yellow')
})

test('the indicator model against a worked example: weighted scores per axis, inverse indicators, fifths, then the matrix', () => {
  const values = {
    // Likelihood (weights 3, 2, 2↓, 1, 2↓, 1↓; ↓ counts 100 − value): (80·3 + 60·2 + 70·2 + 50·1 + 60·2 + 50·1) / 11 = 720 / 11 = 65.5 → 4
    likelihood: 80, history: 60, 'facility-condition': 30, 'natural-conditions': 50, 'control-measures': 40, monitoring: 50,
    // Consequence (3, 3, 2, 2, 1, 2↓, 1↓): (90·3 + 70·3 + 60·2 + 50·2 + 40·1 + 80·2 + 40·1) / 14 = 940 / 14 = 67.1 → 4
    exposure: 90, 'hazard-quantity': 70, vulnerability: 60, sensitivity: 50, surroundings: 40, mitigation: 20, response: 60,
  }
  const g = ok(grade(DEFAULT_INDICATOR_MODEL, { kind: 'indicator', values }))
  assert.deepEqual([g.likelihood, g.consequence, g.score, g.level], [4, 4, 16, 'red'])
  assert.equal(g.contributions.find((c) => c.code === 'likelihood')!.points, 21.8)
  assert.equal(g.contributions.find((c) => c.code === 'mitigation')!.points, 11.4)
  assert.match(g.lower.join('\n'), /人员暴露：降低此项（现为 90/)
  // Better mitigation (90 instead of 20) takes 10 × 2 / 14 … off the consequence: (940 − 140) / 14 = 57.1 → 3: L4 × C3 = 较大.
  assert.equal(ok(grade(DEFAULT_INDICATOR_MODEL, { kind: 'indicator', values: { ...values, mitigation: 90 } })).level, 'orange')
  const missing = grade(DEFAULT_INDICATOR_MODEL, { kind: 'indicator', values: { ...values, exposure: undefined } })
  assert.ok(isProblem(missing) && missing.parameter === 'inputs.values.exposure')
})

test('a model must be whole and consistent: five-step scales, a 5 × 5 map that never grades a worse cell lower, bands that fall', () => {
  assert.equal(modelProblem(DEFAULT_MATRIX), null)
  assert.equal(modelProblem(DEFAULT_LEC), null)
  assert.equal(modelProblem(DEFAULT_INDICATOR_MODEL), null)
  const cells = DEFAULT_CELLS.map((r) => [...r])
  cells[4]![4] = 'blue'
  assert.equal(modelProblem({ ...DEFAULT_MATRIX, cells })?.parameter, 'cells')
  assert.equal(modelProblem({ ...DEFAULT_MATRIX, likelihood: DEFAULT_MATRIX.likelihood.slice(0, 4) })?.parameter, 'likelihood')
  assert.equal(modelProblem({ ...DEFAULT_LEC, bands: { red: 160, orange: 320, yellow: 70, blue: 20 } })?.parameter, 'bands')
  assert.equal(modelProblem({ ...DEFAULT_LEC, e: [...DEFAULT_LEC.e, { value: 6, description: '又一个 6' }] })?.parameter, 'e', 'an option is named by its value: no two alike')
  assert.equal(modelProblem({ ...DEFAULT_INDICATOR_MODEL, indicators: DEFAULT_INDICATOR_MODEL.indicators.filter((i) => i.axis === 'likelihood') })?.parameter, 'indicators')
  assert.equal(modelProblem({ ...DEFAULT_INDICATOR_MODEL, matrix: { ...DEFAULT_MATRIX, cells } })?.parameter, 'matrix.cells')
})

test('a region\'s level from its points, by the documented rule (weights 10 / 5 / 2 / 1; red ≥ 10, orange ≥ 5, yellow ≥ 2), with known answers', async () => {
  const { DEFAULT_REGION_RULE, regionGrade, regionRuleProblem } = await import('../../server/domain/risk-grading.js')
  const g = (red: number, orange: number, yellow: number, blue: number) => regionGrade({ red, orange, yellow, blue }, DEFAULT_REGION_RULE)
  assert.deepEqual(g(0, 0, 0, 0), { score: 0, level: null })
  assert.deepEqual(g(0, 0, 0, 1), { score: 1, level: 'blue' })
  assert.deepEqual(g(0, 0, 0, 2), { score: 2, level: 'yellow' })
  assert.deepEqual(g(0, 0, 1, 0), { score: 2, level: 'yellow' })
  assert.deepEqual(g(0, 0, 2, 0), { score: 4, level: 'yellow' })
  assert.deepEqual(g(0, 0, 3, 0), { score: 6, level: 'orange' })
  assert.deepEqual(g(0, 1, 0, 0), { score: 5, level: 'orange' })
  assert.deepEqual(g(0, 1, 2, 1), { score: 10, level: 'red' })
  assert.deepEqual(g(1, 0, 0, 0), { score: 10, level: 'red' })
  assert.equal(regionRuleProblem(DEFAULT_REGION_RULE), null)
  assert.equal(regionRuleProblem({ ...DEFAULT_REGION_RULE, cuts: { red: 5, orange: 10, yellow: 2 } })?.parameter, 'cuts')
  assert.equal(regionRuleProblem({ ...DEFAULT_REGION_RULE, weights: { red: 1, orange: 5, yellow: 2, blue: 1 } })?.parameter, 'weights')
})
