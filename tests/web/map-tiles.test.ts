import assert from 'node:assert/strict'
import { test } from 'vitest'
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec'
import { emptyFilters } from '../../web/api/filter-params.js'
import { tileUrlTemplate } from '../../web/api/tiles.js'
import { atlasStyle } from '../../web/map/atlas-style.js'
import { countsFromRiskStats } from '../../web/map/feature-data.js'
import { FEATURE_SOURCES, TILED_INTERACTIVE_LAYERS } from '../../web/map/feature-layers.js'
import { KIND_ORDER } from '../../web/map/map-theme.js'

const ORIGIN = 'http://127.0.0.1:8787'

test('the tile URL carries the filters; the legend narrows the kinds; nothing visible means no tiles', () => {
  assert.equal(tileUrlTemplate(ORIGIN, emptyFilters(), KIND_ORDER), `${ORIGIN}/api/tiles/{z}/{x}/{y}.mvt`)
  const f = { ...emptyFilters(), domain: ['lifeline'], risk: ['red', 'orange'] }
  assert.equal(tileUrlTemplate(ORIGIN, f, KIND_ORDER), `${ORIGIN}/api/tiles/{z}/{x}/{y}.mvt?domain=lifeline&risk=red%2Corange`)
  const someKinds = KIND_ORDER.filter((k) => k !== 'monitoring-point')
  const url = new URL(tileUrlTemplate(ORIGIN, emptyFilters(), someKinds)!.replace('{z}/{x}/{y}', '1/1/1'))
  assert.deepEqual(url.searchParams.get('kind')!.split(',').sort(), [...someKinds].sort())
  // A kind filter and the legend intersect.
  const pipes = new URL(tileUrlTemplate(ORIGIN, { ...emptyFilters(), kind: ['pipeline', 'facility'] }, ['pipeline', 'risk-point'])!.replace('{z}/{x}/{y}', '1/1/1'))
  assert.equal(pipes.searchParams.get('kind'), 'pipeline')
  assert.equal(tileUrlTemplate(ORIGIN, emptyFilters(), []), null)
})

for (const theme of ['dark', 'light'] as const) {
  test(`the ${theme} style drawing vector tiles is valid and draws every feature layer from the tile source`, () => {
    const tileUrl = `${ORIGIN}/api/tiles/{z}/{x}/{y}.mvt?domain=public`
    const style = atlasStyle(theme, { showGrid: true, visibleKinds: KIND_ORDER, showImpactRadius: true, tiled: true, tileUrl })
    assert.deepEqual(validateStyleMin(style as never).map((e) => e.message), [])
    assert.deepEqual((style.sources[FEATURE_SOURCES.tiles] as any).tiles, [tileUrl])
    const fromTiles = style.layers.filter((l) => (l as any).source === FEATURE_SOURCES.tiles)
    assert.deepEqual(new Set(fromTiles.map((l) => (l as any)['source-layer'])), new Set(['points', 'alerts', 'lines', 'polygons']))
    for (const id of TILED_INTERACTIVE_LAYERS) assert.ok(fromTiles.some((l) => l.id === id), `${id} draws from the tiles`)
    // Red clusters are drawn red and counted.
    assert.ok(style.layers.some((l) => l.id === 'alert-cluster-count'))
  })
}

test('the GeoJSON style has no tile source', () => {
  const style = atlasStyle('dark', { showGrid: true, visibleKinds: KIND_ORDER, showImpactRadius: true })
  assert.equal(style.sources[FEATURE_SOURCES.tiles], undefined)
  assert.ok(!style.layers.some((l) => l.id === 'alert-clusters'))
})

test('legend counts for a tiled map come from the statistics by kind', () => {
  const counts = countsFromRiskStats([
    { kind: 'risk-point', red: 2, orange: 3, yellow: 0, blue: 5, ungraded: 0 },
    { kind: 'pipeline', red: 0, orange: 0, yellow: 0, blue: 0, ungraded: 7 },
  ])
  assert.deepEqual(counts.byKind, { 'risk-point': 10, pipeline: 7 })
  assert.deepEqual(counts.byRisk, { red: 2, orange: 3, yellow: 0, blue: 5, ungraded: 7 })
})
