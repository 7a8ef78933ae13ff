import assert from 'node:assert/strict'
import { test } from 'vitest'
import { featureFacts } from '../../web/lib/feature-facts.js'
import { featurePagePath } from '../../web/lib/feature-crumbs.js'
import type { FeatureDetail } from '../../web/api/geojson.js'

const feature = (geometry: FeatureDetail['geometry'], attributes: Record<string, unknown> = {}, indicators: Record<string, number> = {}) =>
  ({ type: 'Feature', geometry, properties: { attributes, indicators } }) as unknown as FeatureDetail

test('a feature\'s own page is its richer page where there is one', () => {
  assert.equal(featurePagePath('risk-point', 7), '/risk-points/7')
  assert.equal(featurePagePath('hazard-source', 7), '/risk-points/7')
  assert.equal(featurePagePath('monitoring-point', 7), '/points/7')
  assert.equal(featurePagePath('emergency-resource', 7), '/features/7')
})

test('where a feature lies, in words: a point\'s coordinates, a line\'s or area\'s centre and extent with its vertices', () => {
  const point = featureFacts(feature({ type: 'Point', coordinates: [106.5, 29.6] }, { 地址: '渝北区', 空: '', 数组: [1, 2] }))
  assert.deepEqual([point.geometry, point.centre, point.extent], ['点', '106.500000, 29.600000', null])
  assert.deepEqual(point.attributes, [['地址', '渝北区'], ['数组', '[1,2]']], 'empty values are left out; structures shown as JSON')
  const area = featureFacts(feature({ type: 'MultiPolygon', coordinates: [[[[106, 29], [107, 29], [107, 30], [106, 29]]]] }, {}, { exposure: 40, history: 90 }))
  assert.deepEqual([area.geometry, area.centre, area.extent], ['多面（4 个顶点）', '106.500000, 29.500000', '106.000000, 29.000000 — 107.000000, 30.000000'])
  assert.deepEqual(area.indicators, [['history', 90], ['exposure', 40]], 'highest first')
})
