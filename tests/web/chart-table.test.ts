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

test('a heatmap over two category axes: a row per filled cell with its two categories', () => {
  const t = chartTable({
    xAxis: { type: 'category', data: ['燃气管网', '供水管网'] }, yAxis: { type: 'category', data: ['住建委', '水利局'] },
    series: [{ type: 'heatmap', name: '资源数', data: [{ value: [0, 0, 4] }, [1, 1, 2]] }],
  })
  assert.deepEqual(t, { columns: ['行', '列', '资源数'], rows: [['住建委', '燃气管网', 4], ['水利局', '供水管网', 2]] })
})

test('lines over a time axis: a row per time in Beijing time, series hidden from the tooltip left out', () => {
  const t = chartTable({
    xAxis: { type: 'time' },
    series: [
      { type: 'line', name: '平均', data: [['2024-05-01T00:30:00Z', 1.5], ['2024-05-01T00:00:00Z', 1.2]] },
      { type: 'line', name: '波动', tooltip: { show: false }, data: [['2024-05-01T00:00:00Z', 9]] },
      { type: 'line', name: '最高', data: [['2024-05-01T00:30:00Z', 2]] },
    ],
  })
  assert.deepEqual(t, { columns: ['时间', '平均', '最高'], rows: [['2024-05-01 08:00', 1.2, '—'], ['2024-05-01 08:30', 1.5, 2]] })
})

test('a map series: a row per region', () => {
  assert.deepEqual(chartTable({ series: [{ type: 'map', name: '数据资源', data: [{ name: '渝北区', value: 204 }] }] }),
    { columns: ['名称', '数据资源'], rows: [['渝北区', 204]] })
})
