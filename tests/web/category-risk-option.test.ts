import assert from 'node:assert/strict'
import { test } from 'vitest'
import { categoryRiskOption, filterOfClick, UNGRADED_COLOR } from '../../web/charts/chart-options.js'

type Option = { yAxis: { data: string[] }; series: { name: string; stack: string; itemStyle: { color: string }; data: { value: number }[] }[] }

const row = (code: string, name: string, red: number, orange: number, yellow: number, blue: number, ungraded: number) =>
  ({ code, name, counts: { red, orange, yellow, blue }, ungraded, total: red + orange + yellow + blue + ungraded })

test('each sub-category is one bar, stacked 重大 → 低 then 未定级 in the level colours, in the order the API ranks them', () => {
  const option = categoryRiskOption([row('gas', '燃气', 2, 1, 0, 3, 1), row('bridges', '桥梁', 0, 1, 4, 0, 0)], { theme: 'light' }) as unknown as Option
  assert.deepEqual(option.yAxis.data, ['燃气', '桥梁'])
  assert.deepEqual(option.series.map((s) => s.name), ['重大风险', '较大风险', '一般风险', '低风险', '未定级'])
  assert.deepEqual(option.series.map((s) => s.itemStyle.color), ['#e02020', '#ff8c1a', '#f5d000', '#2f7fff', UNGRADED_COLOR])
  assert.ok(option.series.every((s) => s.stack === 'category'), 'stacked')
  assert.deepEqual(option.series.map((s) => s.data.map((d) => d.value)), [[2, 0], [1, 1], [0, 4], [3, 0], [1, 0]])
})

test('the chart shows the first sub-categories only (the table lists all), and a click filters the sub-category', () => {
  const items = Array.from({ length: 20 }, (_, i) => row(`s${i}`, `子类${i}`, 1, 0, 0, 0, 0))
  const option = categoryRiskOption(items, { theme: 'dark', limit: 8 }) as unknown as Option
  assert.equal(option.yAxis.data.length, 8)
  assert.deepEqual(filterOfClick({ data: option.series[0]!.data[3] }), { key: 'subcategory', value: 's3' })
})

test('no sub-categories: an empty chart, not an error', () => {
  const option = categoryRiskOption([], { theme: 'light' }) as unknown as Option
  assert.deepEqual(option.yAxis.data, [])
  assert.ok(option.series.every((s) => s.data.length === 0))
})
