import assert from 'node:assert/strict'
import { test } from 'vitest'
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec'
import { atlasStyle, overlayOnExternalStyle } from '../../web/map/atlas-style.js'
import { basemapLayers, districtLabelPoints, embeddedStyle } from '../../web/map/basemap-style.js'
import { featureLayers, IMPACT_LAYERS, INTERACTIVE_LAYERS } from '../../web/map/feature-layers.js'
import { KIND_ORDER, PALETTES, RISK_COLORS } from '../../web/map/map-theme.js'
import { toMapData, redRiskStops, bboxOf } from '../../web/map/feature-data.js'
import type { AtlasFeatureCollection } from '../../web/api/geojson.js'

const all = { showGrid: true, visibleKinds: KIND_ORDER, showImpactRadius: true }

for (const theme of ['dark', 'light'] as const) {
  test(`the ${theme} style is a valid MapLibre style`, () => {
    const errors = validateStyleMin(atlasStyle(theme, all) as never)
    assert.deepEqual(errors.map((e) => e.message), [])
  })
}

test('the embedded basemap needs no network: no URLs, no glyph server, no sprite', () => {
  const style = embeddedStyle('dark', { showGrid: true })
  const text = JSON.stringify(style)
  assert.equal(/https?:|\/\//.test(text), false)
  assert.equal(style.glyphs, undefined)
  assert.equal(style.sprite, undefined)
})

test('an administrator raster service is drawn under the boundaries', () => {
  const style = embeddedStyle('light', { showGrid: true, rasterTiles: 'https://tiles.example.gov.cn/{z}/{x}/{y}.png' })
  assert.deepEqual(validateStyleMin(style as never), [])
  const ids = style.layers.map((l) => l.id)
  assert.ok(ids.indexOf('raster-basemap') < ids.indexOf('district-line'))
})

test('the focus district (Yubei) is highlighted in both themes', () => {
  for (const theme of ['dark', 'light'] as const) {
    const focus = basemapLayers(theme, { showGrid: true }).find((l) => l.id === 'district-focus-line')
    assert.ok(focus && focus.type === 'line')
    assert.equal((focus.paint as Record<string, unknown>)['line-color'], PALETTES[theme].focusOutline)
  }
})

test('the grid can be switched off', () => {
  const grid = basemapLayers('dark', { showGrid: false }).find((l) => l.id === 'grid-line')
  assert.equal((grid?.layout as Record<string, unknown>).visibility, 'none')
})

test('lines are coloured red/orange/yellow/blue by risk level (points too: see map-symbols.test.ts)', () => {
  const lines = featureLayers('dark', all).find((l) => l.id === 'pipelines')
  const color = JSON.stringify((lines?.paint as Record<string, unknown>)['line-color'])
  for (const level of ['red', 'orange', 'yellow', 'blue'] as const) assert.ok(color.includes(`"${level}","${RISK_COLORS[level]}"`))
})

test('impact radii are hidden when switched off or when hazard sources are hidden', () => {
  const visibility = (opts: Parameters<typeof featureLayers>[1]) =>
    featureLayers('light', opts).filter((l) => (IMPACT_LAYERS as readonly string[]).includes(l.id)).map((l) => (l.layout as Record<string, unknown>).visibility)
  assert.deepEqual(visibility(all), ['visible', 'visible'])
  assert.deepEqual(visibility({ ...all, showImpactRadius: false }), ['none', 'none'])
  assert.deepEqual(visibility({ ...all, visibleKinds: ['risk-point'] }), ['none', 'none'])
})

test('every interactive layer exists in the style', () => {
  const ids = new Set(atlasStyle('dark', all).layers.map((l) => l.id))
  for (const id of INTERACTIVE_LAYERS) assert.ok(ids.has(id), id)
})

test('our layers go on top of an external style, boundaries as lines only', () => {
  const external = { version: 8 as const, sources: { osm: { type: 'raster' as const, tiles: ['https://x/{z}/{x}/{y}.png'] } }, layers: [{ id: 'osm', type: 'raster' as const, source: 'osm' }] }
  const style = overlayOnExternalStyle(external, 'light', all)
  assert.deepEqual(validateStyleMin(style as never), [])
  assert.equal(style.layers[0].id, 'osm')
  assert.equal(style.layers.some((l) => l.id === 'district-fill'), false)
})

const fc: AtlasFeatureCollection = {
  type: 'FeatureCollection',
  features: [
    feature(1, 'risk-point', 'red', { type: 'Point', coordinates: [106.6, 29.7] }),
    feature(2, 'hazard-source', 'orange', { type: 'Point', coordinates: [106.7, 29.8] }),
    feature(3, 'pipeline', null, { type: 'LineString', coordinates: [[106.5, 29.6], [106.9, 30.0]] }),
    feature(4, 'monitoring-point', null, { type: 'Point', coordinates: [106.65, 29.75] }),
  ],
}

function feature(id: number, kind: string, riskLevel: string | null, geometry: { type: string; coordinates: unknown }) {
  return {
    type: 'Feature',
    geometry,
    properties: { id, name: `f${id}`, kind, riskLevel, indicators: { exposure: 80 }, impactRadiusM: 300, capacity: null, attributes: {}, resourceId: 1, departmentId: 1, domainCode: 'public', subcategoryCode: 'fire', districtCode: null, cellId: null, updatedAt: '' },
  } as unknown as AtlasFeatureCollection['features'][number]
}

test('map data: red points unclustered, lines apart, hidden kinds dropped, heavy properties stripped', () => {
  const data = toMapData(fc, ['risk-point', 'hazard-source', 'pipeline'])
  assert.deepEqual(data.alerts.features.map((f) => f.id), [1])
  assert.deepEqual(data.points.features.map((f) => f.id), [2])
  assert.deepEqual(data.shapes.features.map((f) => f.id), [3])
  assert.equal('indicators' in data.points.features[0].properties, false)
})

test('the tour visits red points in a stable order and the bbox covers all geometry', () => {
  assert.deepEqual(redRiskStops(fc).map((s) => s.id), [1])
  assert.deepEqual(bboxOf(fc), [106.5, 29.6, 106.9, 30.0])
})

test('district labels get one point per district, at the centroid of its largest ring', () => {
  const square = (x: number, y: number, s: number) => [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]]
  const labels = districtLabelPoints({
    features: [{ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(0, 0, 1), square(10, 10, 4)] }, properties: { name: '渝北区', focus: true } }],
  })
  assert.equal(labels.features.length, 1)
  assert.deepEqual(labels.features[0].geometry.coordinates, [12, 12])
  assert.equal(labels.features[0].properties.focus, true)
})
