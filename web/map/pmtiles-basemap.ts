import type { LayerSpecification, SourceSpecification } from 'maplibre-gl'
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps'
import { MAP_FONT_FAMILY, type MapTheme } from './map-theme.js'

/**
 * A PMTiles basemap an administrator uploaded (served by the API with byte ranges): vector tiles in
 * the Protomaps schema drawn with its light or dark flavour, labels in simplified Chinese from the
 * local font; or image tiles (PNG, JPEG, WebP, AVIF) as a raster layer. Offline: no sprite, no glyph
 * server — the icon layers (points of interest, shields) are left out. MapLibre reads pmtiles://
 * sources through the protocol create-map.ts registers.
 */
export interface PmtilesBasemap {
  /** The archive's address on this server, e.g. /api/basemap/tiles.pmtiles?v=… */
  url: string
  tileType: 'mvt' | 'png' | 'jpeg' | 'webp' | 'avif'
  minZoom: number
  maxZoom: number
  bounds: [number, number, number, number]
}

export const PMTILES_SOURCE = 'pmtiles-basemap'

// The page's origin (unit tests in Node have none, and any base does there).
const origin = (globalThis as { location?: { origin: string } }).location?.origin ?? 'http://atlas.invalid'

export function pmtilesSource(b: PmtilesBasemap): SourceSpecification {
  const url = `pmtiles://${new URL(b.url, origin).href}`
  return b.tileType === 'mvt'
    ? { type: 'vector', url, attribution: '' }
    : { type: 'raster', url, tileSize: 256 }
}

/** The basemap's layers, under the district boundaries and the data. */
export function pmtilesLayers(theme: MapTheme, b: PmtilesBasemap): LayerSpecification[] {
  if (b.tileType !== 'mvt') {
    return [{ id: 'pmtiles-raster', type: 'raster', source: PMTILES_SOURCE, paint: { 'raster-opacity': theme === 'dark' ? 0.6 : 1 } }]
  }
  return protomapsLayers(PMTILES_SOURCE, namedFlavor(theme === 'dark' ? 'dark' : 'light'), { lang: 'zh-Hans' })
    // Icons need a sprite sheet, which an offline atlas does not have.
    .filter((l) => !(l.type === 'symbol' && l.layout && 'icon-image' in l.layout))
    .map((l) => (l.type === 'symbol' && l.layout ? { ...l, id: `pm-${l.id}`, layout: { ...l.layout, 'text-font': [MAP_FONT_FAMILY] } } : { ...l, id: `pm-${l.id}` }) as LayerSpecification)
}
