import assert from 'node:assert/strict'
import { test } from 'vitest'
import { redRiskStops } from '../../web/map/feature-data.js'
import type { AtlasFeatureCollection } from '../../web/api/geojson.js'

function red(id: number, departmentId: number, score: number): AtlasFeatureCollection['features'][number] {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [106.6 + id / 100, 29.7] },
    properties: { id, name: `r${id}`, kind: 'risk-point', riskLevel: 'red', indicators: { exposure: score, likelihood: score }, departmentId } as never,
  }
}

test('the tour: all red points by id, the top N by indicator scores, or one department\'s', () => {
  const fc: AtlasFeatureCollection = { type: 'FeatureCollection', features: [red(3, 1, 70), red(1, 2, 95), red(2, 1, 88), red(4, 2, 88)] }
  assert.deepEqual(redRiskStops(fc).map((s) => s.id), [1, 2, 3, 4])
  assert.deepEqual(redRiskStops(fc, { top: 3 }).map((s) => s.id), [1, 2, 4], 'worst first, ties by id')
  assert.deepEqual(redRiskStops(fc, { department: 1 }).map((s) => s.id), [2, 3])
  assert.deepEqual(redRiskStops(fc, { department: 1, top: 1 }).map((s) => s.id), [2])
  assert.deepEqual(redRiskStops(fc, { department: 9 }), [])
})
