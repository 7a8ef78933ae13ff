import assert from 'node:assert/strict'
import { test } from 'vitest'
import { assessmentFileProblem, confirmLabel, importedText, importRefusalText, levelCounts } from '../../web/lib/risk-import.js'
import { ApiError } from '../../web/api/client.js'
import { refusedRows } from '../../web/api/risk-import.js'

test('the template is taken as .xlsx or .csv, anything else is named before it is sent', () => {
  assert.equal(assessmentFileProblem('风险评估导入表.xlsx'), null)
  assert.equal(assessmentFileProblem('export.CSV'), null)
  assert.match(assessmentFileProblem('评估.xls') ?? '', /不是 \.xlsx 或 \.csv 文件/)
})

test('the counts by level list every level, most severe first', () => {
  assert.deepEqual(levelCounts({ red: 2, blue: 1 }).map((l) => [l.label, l.count]), [['重大风险', 2], ['较大风险', 0], ['一般风险', 0], ['低风险', 1]])
})

test('what the page says before and after an import', () => {
  assert.equal(confirmLabel(12), '确认导入 12 条评估')
  assert.equal(importRefusalText(3, 3), '共 3 处问题。改正之前不会导入任何评估：请按行号修改文件后重新选择。')
  assert.match(importRefusalText(250, 100), /共 250 处问题（仅列出前 100 处）/)
  assert.equal(importedText({ assessments: 2, byLevel: { red: 1, orange: 1, yellow: 0, blue: 0 }, changed: 2 }), '已导入 2 条评估（重大风险 1、较大风险 1），2 个风险点等级发生变化。')
  assert.equal(importedText({ assessments: 1, byLevel: { red: 0, orange: 0, yellow: 0, blue: 1 }, changed: 0 }), '已导入 1 条评估（低风险 1），没有风险点等级发生变化。')
})

test('a refused import yields its problems; any other failure does not', () => {
  const refused = new ApiError(400, 'invalid_rows', '1 行有误', { problemCount: 1, problems: [{ at: '第 3 行', featureId: 7, problem: '可能性须为 1–5 的整数' }] })
  assert.deepEqual(refusedRows(refused), { problemCount: 1, problems: [{ at: '第 3 行', featureId: 7, problem: '可能性须为 1–5 的整数' }] })
  assert.equal(refusedRows(new ApiError(400, 'invalid_file', '没有要素编号列')), null)
  assert.equal(refusedRows(new Error('network')), null)
})
