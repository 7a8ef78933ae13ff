import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl'
import { basemapLayers, embeddedStyle } from './basemap-style.js'
import type { BasemapOptions } from './basemap-style.js'
import { CLUSTER_PROPERTIES, FEATURE_SOURCES, featureLayers } from './feature-layers.js'
import type { FeatureLayerOptions } from './feature-layers.js'
import type { MapTheme } from './map-theme.js'

export type AtlasStyleOptions = BasemapOptions & FeatureLayerOptions

const EMPTY = { type: 'FeatureCollection', features: [] } as never

/** Sources of the data layers; points cluster below zoom 14 so 20,000 points stay readable. */
export function featureSources(): Record<string, SourceSpecification> {
  return {
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
    sources: { ...base.sources, ...featureSources() },
    layers: [...base.layers, ...featureLayers(theme, options)],
  }
}

/**
 * Our layers on top of an administrator's own style (a real basemap): boundaries as lines only
 * (fills would hide the basemap), then the data layers.
 */
export function overlayOnExternalStyle(external: StyleSpecification, theme: MapTheme, options: AtlasStyleOptions): StyleSpecification {
  const base = embeddedStyle(theme, { ...options, rasterTiles: null })
  const keep = (l: LayerSpecification) => l.type === 'line' || l.type === 'symbol'
  return {
    ...external,
    sources: { ...external.sources, ...base.sources, ...featureSources() },
    layers: [...external.layers, ...basemapLayers(theme, { ...options, rasterTiles: null }).filter(keep), ...featureLayers(theme, options)],
  }
}
