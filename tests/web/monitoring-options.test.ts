import { test } from 'vitest'
import assert from 'node:assert/strict'
import { sensorTrendOption } from '../../web/charts/monitoring-options.js'

const points = [
  { t: '2026-06-15T04:00:00.000Z', avg: 3, min: 2, max: 4 },
  { t: '2026-06-15T04:01:00.000Z', avg: 5, min: 4, max: 7 },
]

test('a sensor\'s trend: the average as a line, the band from lowest to highest, the thresholds as dashed lines in their level\'s colour', () => {
  const o = sensorTrendOption(points, { unit: '%LEL', theme: 'dark', thresholds: [{ level: 'red', threshold: 50 }, { level: 'blue', threshold: 10 }] }) as any
  const [low, band, avg] = o.series
  assert.deepEqual(low.data, [['2026-06-15T04:00:00.000Z', 2], ['2026-06-15T04:01:00.000Z', 4]])
  assert.deepEqual(band.data.map((d: any) => d[1]), [2, 3])
  assert.deepEqual(avg.data.map((d: any) => d[1]), [3, 5])
  assert.deepEqual(avg.markLine.data.map((l: any) => [l.yAxis, l.lineStyle.color, l.label.formatter]), [[50, '#e02020', '一级 50'], [10, '#2f7fff', '四级 10']])
  // The nearest threshold (10) is kept in view; the farther one (50) is not forced in.
  assert.ok(o.yAxis.max >= 10 && o.yAxis.max < 50, `y max ${o.yAxis.max}`)
  assert.equal(o.yAxis.name, '%LEL')
})
