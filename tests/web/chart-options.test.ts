import assert from 'node:assert/strict'
import { test } from 'vitest'
import {
  categoryRiskOption, departmentFreshnessOption, departmentSubcategoryOption, escapeText, filterOfClick, freshnessOption, freshnessTrendOption, riskOption,
  updateCycleOption,
} from '../../web/charts/chart-options.js'

test('a click on a chart element yields the filter it stands for', () => {
  const option = updateCycleOption({ cycles: [{ code: 'daily', label: '每日', resources: 3 }] }, { theme: 'dark' }) as { series: { data: unknown[] }[] }
  assert.deepEqual(filterOfClick({ data: option.series[0].data[0] }), { key: 'updateCycle', value: 'daily' })
  assert.equal(filterOfClick({ data: 5 }), null)
})

test('the freshness ring shows the on-time rate of judged resources', () => {
  const option = freshnessOption(
    { totals: { 'on-time': 6, 'due-soon': 2, overdue: 1, never: 1, 'not-judged': 5 }, departments: [] },
    { theme: 'light' },
  ) as { title: { text: string } }
  assert.equal(option.title.text, '80%')
})

test('tooltip text is escaped', () => {
  assert.equal(escapeText('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;')
})

test('由低到高: the department ranking reads lowest first, from the top', () => {
  const dept = (departmentId: number, name: string, onTimeRate: number | null) =>
    ({ departmentId, name, onTimeRate, rank: null, counts: { 'on-time': 0, 'due-soon': 0, overdue: 0, never: 0, 'not-judged': 0 } })
  const option = departmentFreshnessOption(
    { totals: { 'on-time': 0, 'due-soon': 0, overdue: 0, never: 0, 'not-judged': 0 }, departments: [dept(1, '甲', 0.9), dept(2, '乙', 0.3), dept(3, '丙', null), dept(4, '丁', 0.6)] },
    { theme: 'light' },
  ) as { yAxis: { data: string[]; inverse?: boolean }; series: { data: { value: number }[] }[] }
  assert.deepEqual(option.yAxis.data, ['乙', '丁', '甲'])
  assert.deepEqual(option.series[0].data.map((d) => d.value), [30, 60, 90])
  // A category axis draws its first entry at the bottom unless inverted.
  assert.equal(option.yAxis.inverse, true)
})

test('every chart legend is written in its theme\'s text colour, dark on the light theme', () => {
  const zero = { red: 0, orange: 0, yellow: 0, blue: 0 }
  const legends = (theme: 'light' | 'dark') => [
    freshnessOption({ totals: { 'on-time': 1, 'due-soon': 0, overdue: 0, never: 0, 'not-judged': 0 }, departments: [] }, { theme }),
    riskOption({ byKind: [{ kind: 'risk-point', ...zero, red: 2 }] } as any, { theme }),
    categoryRiskOption([{ code: 'gas', name: '燃气管网', counts: zero, ungraded: 1, total: 1 }], { theme }),
    departmentSubcategoryOption([{ name: '燃气管网', domainName: '城市生命线工程安全', resources: 1, features: 2 }], { theme }),
    freshnessTrendOption(['2026-01', '2026-02'], [0.5, null], { name: '渝北区应急局', rates: [1, 0.5] }, { theme }),
  ].map((o) => (o as { legend: { textStyle: { color: string } } }).legend.textStyle.color)
  assert.deepEqual(new Set(legends('light')), new Set(['#1f2d3d']))
  assert.deepEqual(new Set(legends('dark')), new Set(['#cfe3ff']))
})
