import assert from 'node:assert/strict'
import { test } from 'vitest'
import { embeddedStyle } from '../../web/map/basemap-style.js'
import { pmtilesLayers, PMTILES_SOURCE, type PmtilesBasemap } from '../../web/map/pmtiles-basemap.js'
import { MAP_FONT_FAMILY } from '../../web/map/map-theme.js'
import { basemapUrlProblem, describeBasemapFile } from '../../web/lib/basemap.js'
import { pmtilesOf, type BasemapSetting } from '../../web/stores/settings.js'

const vector: PmtilesBasemap = { url: '/api/basemap/tiles.pmtiles?v=1', tileType: 'mvt', minZoom: 0, maxZoom: 14, bounds: [106, 29, 107, 30] }

test('a vector PMTiles basemap is drawn with the Protomaps layers, offline: no icons, labels from the local font, under the district lines', () => {
  const layers = pmtilesLayers('light', vector)
  assert.ok(layers.length > 20)
  assert.ok(layers.every((l) => l.id.startsWith('pm-') && ('source' in l ? l.source === PMTILES_SOURCE : l.type === 'background')))
  assert.ok(layers.some((l) => l.id === 'pm-earth'))
  const symbols = layers.filter((l) => l.type === 'symbol')
  assert.ok(symbols.length > 0)
  for (const l of symbols) {
    assert.ok(!('icon-image' in (l.layout ?? {})), `${l.id} needs no sprite`)
    assert.deepEqual((l.layout as Record<string, unknown>)['text-font'], [MAP_FONT_FAMILY])
  }
  const style = embeddedStyle('dark', { showGrid: true, pmtiles: vector })
  assert.match(String((style.sources[PMTILES_SOURCE] as { url: string }).url), /^pmtiles:\/\/http.*\/api\/basemap\/tiles\.pmtiles\?v=1$/)
  const ids = style.layers.map((l) => l.id)
  assert.ok(ids.indexOf('pm-earth') < ids.indexOf('district-line'), 'the basemap lies under the boundaries')
  const fill = style.layers.find((l) => l.id === 'district-fill') as { paint: Record<string, unknown> }
  assert.equal(fill.paint['fill-opacity'], 0.25, 'over a real basemap the district fills only tint it')
})

test('an image PMTiles basemap is one raster layer; the setting names a PMTiles basemap only when its file is there', () => {
  assert.deepEqual(pmtilesLayers('light', { ...vector, tileType: 'png' }).map((l) => l.type), ['raster'])
  const file = { name: '渝北区.pmtiles', size: 3 * 1024 * 1024, tileType: 'mvt' as const, minZoom: 0, maxZoom: 14, bounds: vector.bounds, center: [106.6, 29.7] as [number, number], centerZoom: 10, addressedTiles: 9, uploadedAt: '2026-06-15T04:00:00.000Z' }
  const chosen: BasemapSetting = { type: 'pmtiles', url: vector.url, file }
  assert.deepEqual(pmtilesOf(chosen), vector)
  assert.equal(pmtilesOf({ ...chosen, type: 'embedded' }), null)
  assert.equal(pmtilesOf({ ...chosen, file: null }), null)
  assert.equal(describeBasemapFile(file), '渝北区.pmtiles · 3.0 MB · 矢量瓦片 · 缩放级别 0–14 · 上传于 2026-06-15 12:00')
})

test('addresses are checked as the server checks them', () => {
  assert.equal(basemapUrlProblem('embedded', ''), null)
  assert.equal(basemapUrlProblem('style', 'https://tiles.example.gov.cn/style.json'), null)
  assert.match(basemapUrlProblem('style', 'javascript:alert(1)') ?? '', /http/)
  assert.match(basemapUrlProblem('raster', 'https://tiles.example.gov.cn/tiles.png') ?? '', /\{z\}/)
  assert.equal(basemapUrlProblem('raster', '/tiles/{z}/{x}/{y}.png'), null)
})
