import assert from 'node:assert/strict'
import { test } from 'vitest'
import { chartTable } from '../../web/charts/chart-table.js'

test('a bar chart over categories: a row per category, a column per series, missing values as —', () => {
  const t = chartTable({
    yAxis: { type: 'category', data: ['危险源', '风险点'] }, xAxis: { type: 'value' },
    series: [{ type: 'bar', name: '重大风险', data: [3, { value: 7 }] }, { type: 'bar', name: '低风险', data: [10] }],
  })
  assert.deepEqual(t, { columns: ['类别', '重大风险', '低风险'], rows: [['危险源', 3, 10], ['风险点', 7, '—']] })
})

test('a pie chart: a row per slice; a gauge its value; a chart with nothing to tabulate: none', () => {
  assert.deepEqual(chartTable({ series: [{ type: 'pie', name: '时效', data: [{ name: '按时更新', value: 87 }, { name: '已逾期', value: 11 }] }] }),
    { columns: ['名称', '时效'], rows: [['按时更新', 87], ['已逾期', 11]] })
  assert.deepEqual(chartTable({ series: { type: 'gauge', data: [{ name: '按时率', value: 0.87 }] } }), { columns: ['指标', '数值'], rows: [['按时率', 0.87]] })
  assert.equal(chartTable(null), null)
  assert.equal(chartTable({ series: [] }), null)
  assert.equal(chartTable({ series: [{ type: 'bar', data: [1] }] }), null, 'no category axis')
})

test('a line chart of time series with [time, value] pairs over a category axis reads the value', () => {
  const t = chartTable({ xAxis: { type: 'category', data: ['1月', '2月'] }, series: [{ type: 'line', name: '按时率', data: [['1月', 80], ['2月', 90]] }] })
  assert.deepEqual(t?.rows, [['1月', 80], ['2月', 90]])
})
