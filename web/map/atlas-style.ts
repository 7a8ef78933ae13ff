import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl'
import { basemapLayers, embeddedStyle } from './basemap-style.js'
import type { BasemapOptions } from './basemap-style.js'
import { CLUSTER_PROPERTIES, FEATURE_SOURCES, featureLayers } from './feature-layers.js'
import type { FeatureLayerOptions } from './feature-layers.js'
import type { MapTheme } from './map-theme.js'
import { TILE_MAX_ZOOM } from '../api/tiles.js'

export type AtlasStyleOptions = BasemapOptions & FeatureLayerOptions & {
  /** The tile URL template when the map draws vector tiles. */
  tileUrl?: string | null
}

const EMPTY = { type: 'FeatureCollection', features: [] } as never

/** Sources of the data layers; points cluster below zoom 14 so 20,000 points stay readable. */
function featureSources(tileUrl: string | null = null): Record<string, SourceSpecification> {
  return {
    // Large data sets: vector tiles with the current filters in the URL.
    ...(tileUrl ? { [FEATURE_SOURCES.tiles]: { type: 'vector', tiles: [tileUrl], minzoom: 0, maxzoom: TILE_MAX_ZOOM } as SourceSpecification } : {}),
    [FEATURE_SOURCES.points]: {
      type: 'geojson',
      data: EMPTY,
      cluster: true,
      clusterRadius: 46,
      clusterMaxZoom: 13,
      clusterProperties: CLUSTER_PROPERTIES as never,
      promoteId: 'id',
    },
    [FEATURE_SOURCES.alerts]: { type: 'geojson', data: EMPTY, promoteId: 'id' },
    [FEATURE_SOURCES.shapes]: { type: 'geojson', data: EMPTY, promoteId: 'id', tolerance: 0.5 },
    [FEATURE_SOURCES.selection]: { type: 'geojson', data: EMPTY },
  }
}

/** The embedded basemap with the data layers on top: the whole map as one offline style. */
export function atlasStyle(theme: MapTheme, options: AtlasStyleOptions): StyleSpecification {
  const base = embeddedStyle(theme, options)
  return {
    ...base,
    sources: { ...base.sources, ...featureSources(options.tileUrl ?? null) },
    layers: [...base.layers, ...featureLayers(theme, options)],
  }
}

/**
 * Our layers on top of an administrator's own style (a real basemap): boundaries as lines only
 * (fills would hide the basemap), then the data layers.
 */
export function overlayOnExternalStyle(external: StyleSpecification, theme: MapTheme, options: AtlasStyleOptions): StyleSpecification {
  const base = embeddedStyle(theme, { ...options, rasterTiles: null, pmtiles: null })
  const keep = (l: LayerSpecification) => l.type === 'line' || l.type === 'symbol'
  return {
    ...external,
    sources: { ...external.sources, ...base.sources, ...featureSources(options.tileUrl ?? null) },
    layers: [...external.layers, ...basemapLayers(theme, { ...options, rasterTiles: null, pmtiles: null }).filter(keep), ...featureLayers(theme, options)],
  }
}
