import assert from 'node:assert/strict'
import { test } from 'vitest'
import { escapeText, filterOfClick, freshnessOption, updateCycleOption } from '../../web/charts/chart-options.js'

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
