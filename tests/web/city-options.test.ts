import assert from 'node:assert/strict'
import { test } from 'vitest'
import { cityChoroplethOption, metricValue, viewOf } from '../../web/charts/city-options.js'
import { formatDuration, percent, statusLabel, statusTone } from '../../web/api/federation.js'
import type { DistrictSummary } from '../../web/api/federation.js'

const district = (o: Partial<DistrictSummary>): DistrictSummary => ({
  key: '500105', code: '500105', name: '江北区', source: null, departments: 10, reportedDepartments: 7, resources: 120, features: 900, majorRisks: 4,
  coverage: { covered: 20, total: 28 }, freshness: { judged: 100, onTime: 85, overdue: 15, rate: 0.85 }, ...o,
})

test("each measure of the city's map reads what its label says; nothing judged is no value, not zero", () => {
  const d = district({})
  assert.equal(metricValue(d, 'rate'), 85)
  assert.equal(metricValue(d, 'reporting'), 70)
  assert.equal(metricValue(d, 'resources'), 120)
  assert.equal(metricValue(d, 'majorRisks'), 4)
  const empty = district({ departments: 0, reportedDepartments: 0, freshness: { judged: 0, onTime: 0, overdue: 0, rate: null } })
  assert.equal(metricValue(empty, 'rate'), null)
  assert.equal(metricValue(empty, 'reporting'), null)
})

test('the choropleth colours districts on a neutral ramp, leaves out sources without a district, and a click stands for the district filter', () => {
  const o = cityChoroplethOption([district({}), district({ key: 'source-3', code: null, name: '开放数据门户' })], 'rate', { theme: 'dark' }) as any
  const [series] = o.series
  assert.deepEqual(series.data.map((d: any) => [d.name, d.value, d.filter]), [['江北区', 85, { key: 'district', value: '500105' }]])
  assert.equal(o.visualMap.max, 100)
  for (const c of o.visualMap.inRange.color) assert.doesNotMatch(c, /^#(ef4444|f97316|eab308)$/i, 'risk colours are for risk levels only')
})

test('the map opens on the harvested districts, zoomed in but never out of the city', () => {
  const city: [number, number, number, number] = [105, 28, 110, 32]
  const v = viewOf(city, [106.4, 29.4, 106.9, 29.9])!
  assert.deepEqual(v.center, [106.65, 29.65])
  assert.ok(v.zoom > 4 && v.zoom <= 12)
  assert.equal(viewOf(city, city)!.zoom, 1)
  assert.equal(viewOf(city, null), null)
})

test('job durations, shares and statuses read as people say them', () => {
  assert.equal(formatDuration(850), '850 ms')
  assert.equal(formatDuration(12_400), '12.4 s')
  assert.equal(formatDuration(185_000), '3 min 05 s')
  assert.equal(formatDuration(null), '—')
  assert.equal(percent(0.8512), '85.1%')
  assert.equal(percent(null), '—')
  assert.equal(statusLabel('awaiting-confirmation'), '待确认删除')
  assert.equal(statusLabel(null), '未运行')
  assert.equal(statusTone('failed'), 'badge--overdue')
})
