import assert from 'node:assert/strict'
import { test } from 'vitest'
import { DEFAULT_LEC, type LecOption } from '../../server/domain/risk-grading.js'
import { lecProblemCount, lecProblems, lecTableProblems } from '../../web/components/admin/admin-lec-options.js'

test('the standard LEC tables have no problem', () => {
  assert.deepEqual(lecProblems(DEFAULT_LEC), {})
  assert.equal(lecProblemCount(DEFAULT_LEC), 0)
})

test('each value must be a positive number, once; an empty input or a new row asks for one', () => {
  const table = [
    { value: 10, description: '完全可以预料' },
    { value: 0, description: '零' },
    { value: -1, description: '负数' },
    { value: '' as unknown as number, description: '清空了' },
    { value: Number.NaN, description: '' },
    { value: 10, description: '重复' },
    { value: 0.5, description: '很不可能' },
  ]
  assert.deepEqual(lecTableProblems(table), [
    { row: 1, field: 'value', text: '取值须为正数' },
    { row: 2, field: 'value', text: '取值须为正数' },
    { row: 3, field: 'value', text: '请填写取值（正数）' },
    { row: 4, field: 'value', text: '请填写取值（正数）' },
    { row: 5, field: 'value', text: '取值 10 与第 1 行重复' },
  ])
})

test('a table holds 1 to 12 rows, each description at most 100 characters', () => {
  assert.deepEqual(lecTableProblems([]), [{ row: null, field: null, text: '至少需要一个取值' }])
  const thirteen: LecOption[] = Array.from({ length: 13 }, (_, i) => ({ value: i + 1, description: '' }))
  assert.deepEqual(lecTableProblems(thirteen), [{ row: null, field: null, text: '最多 12 个取值，请删除 1 个' }])
  assert.deepEqual(lecTableProblems(thirteen.slice(0, 12)), [])
  assert.deepEqual(lecTableProblems([{ value: 1, description: '长'.repeat(101) }]), [{ row: 0, field: 'description', text: '说明不能超过 100 个字' }])
})

test('problems are kept by table and counted for the save', () => {
  const m = { l: DEFAULT_LEC.l, e: [...DEFAULT_LEC.e, { value: 6, description: '又一个 6' }], c: [] }
  const p = lecProblems(m)
  assert.deepEqual(Object.keys(p), ['e', 'c'])
  assert.equal(p.e![0]!.row, 6)
  assert.equal(lecProblemCount(m), 2)
})
