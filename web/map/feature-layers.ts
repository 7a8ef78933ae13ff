import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { FeatureKind } from '../../server/domain/enums.js'
import { kindIconExpression } from './kind-icons.js'
import { MAP_FONT_FAMILY, PALETTES, RISK_COLORS } from './map-theme.js'
import type { MapTheme } from './map-theme.js'

/** Source ids of the data layers. */
export const FEATURE_SOURCES = {
  /** Point features, clustered by MapLibre where dense. */
  points: 'features-points',
  /** Lines (pipelines) and polygons (facilities, protection targets), never clustered. */
  shapes: 'features-shapes',
  /**
   * Red (重大) risk points, never clustered: a leader must see every one of them at any zoom.
   */
  alerts: 'features-alerts',
  /** The feature the user clicked. */
  selection: 'selection',
  /** Vector tiles from /api/tiles with layers points, alerts, lines and polygons (large data sets). */
  tiles: 'features-tiles',
} as const

/** Layers of our vector tiles (server/tiles/build-tile.ts TILE_LAYERS). */
const TILE_SOURCE_LAYERS = { points: 'points', alerts: 'alerts', lines: 'lines', polygons: 'polygons' } as const

/** Layers a user can hit (click or hover) to open a feature. */
/** Layers drawing hazard sources' impact radius. */
export const IMPACT_LAYERS = ['impact-radius', 'impact-radius-alerts'] as const

export const INTERACTIVE_LAYERS = ['alert-points', 'points', 'pipelines', 'areas-fill', 'clusters'] as const
/** A map drawing vector tiles also has red clusters to click. */
export const TILED_INTERACTIVE_LAYERS = [...INTERACTIVE_LAYERS, 'alert-clusters'] as const

export interface FeatureLayerOptions {
  /** Kinds drawn; the others' layers are filtered out. */
  visibleKinds: readonly FeatureKind[]
  /** Draw hazard sources' impact radius (影响范围) as a translucent circle in metres. */
  showImpactRadius: boolean
  /** Scale of point symbols; the wall screen draws them a little larger. */
  pointScale?: number
  /**
   * Draw from the vector-tile source instead of the GeoJSON ones. Tiles come clustered by the server
   * (point_count, worstRisk), red clusters in the alerts layer; kinds are filtered in the tile URL.
   */
  tiled?: boolean
}

/**
 * GeoJSON cluster properties: how many points of each risk level a cluster holds, so the cluster
 * can take the colour of its worst member (a red point must never hide inside a blue cluster).
 */
export const CLUSTER_PROPERTIES = {
  red: ['+', ['case', ['==', ['get', 'riskLevel'], 'red'], 1, 0]],
  orange: ['+', ['case', ['==', ['get', 'riskLevel'], 'orange'], 1, 0]],
  yellow: ['+', ['case', ['==', ['get', 'riskLevel'], 'yellow'], 1, 0]],
  blue: ['+', ['case', ['==', ['get', 'riskLevel'], 'blue'], 1, 0]],
} as const

/** Colour by risk level where graded, the neutral colour otherwise: colour never tells a kind. */
function featureColorExpression(theme: MapTheme, neutral = PALETTES[theme].ungraded): ExpressionSpecification {
  return [
    'match',
    ['coalesce', ['get', 'riskLevel'], 'none'],
    'red', RISK_COLORS.red,
    'orange', RISK_COLORS.orange,
    'yellow', RISK_COLORS.yellow,
    'blue', RISK_COLORS.blue,
    neutral,
  ] as unknown as ExpressionSpecification
}

/** Worse risks are drawn over lesser ones where symbols overlap. */
const SEVERITY_KEY: ExpressionSpecification = ['match', ['coalesce', ['get', 'riskLevel'], 'none'], 'red', 4, 'orange', 3, 'yellow', 2, 'blue', 1, 0]

/** A point symbol: the kind's shape (kind-icons.ts) in its level's colour, every one drawn (no collisions). */
function symbolLayout(theme: MapTheme, size: ExpressionSpecification | number) {
  return {
    'icon-image': kindIconExpression(theme),
    'icon-size': size,
    'icon-allow-overlap': true,
    'icon-ignore-placement': true,
    'symbol-sort-key': SEVERITY_KEY,
  }
}

/** The ring of a cluster takes the colour of its worst graded member (red ones are never clustered); neutral without any. */
function clusterRing(theme: MapTheme, tiled: boolean): ExpressionSpecification {
  if (tiled) {
    // Server clusters carry their worst risk level as a property.
    return ['match', ['coalesce', ['get', 'worstRisk'], 'none'], 'red', RISK_COLORS.red, 'orange', RISK_COLORS.orange, 'yellow', RISK_COLORS.yellow,
      'blue', RISK_COLORS.blue, PALETTES[theme].ungraded]
  }
  return [
    'case',
    ['>', ['get', 'red'], 0], RISK_COLORS.red,
    ['>', ['get', 'orange'], 0], RISK_COLORS.orange,
    ['>', ['get', 'yellow'], 0], RISK_COLORS.yellow,
    ['>', ['get', 'blue'], 0], RISK_COLORS.blue,
    PALETTES[theme].ungraded,
  ]
}

function kindFilter(kinds: readonly FeatureKind[]): ExpressionSpecification {
  return ['in', ['get', 'kind'], ['literal', [...kinds]]]
}

/**
 * The data layers above the basemap: impact radii, pipelines, areas, clusters and points. Colour is the
 * risk level (red/orange/yellow/blue, neutral when ungraded), a point's shape its kind, a cluster's fill
 * neutral with its worst level as the ring. Pure: unit-tested without a browser.
 */
export function featureLayers(theme: MapTheme, options: FeatureLayerOptions): LayerSpecification[] {
  const layers = featureLayersOf(theme, options)
  if (!options.tiled) return layers
  // The same layers drawn from the vector tiles: each GeoJSON source maps to a tile layer.
  const tileLayerOf: Record<string, string> = {
    [FEATURE_SOURCES.points]: TILE_SOURCE_LAYERS.points,
    [FEATURE_SOURCES.alerts]: TILE_SOURCE_LAYERS.alerts,
  }
  const out: LayerSpecification[] = []
  for (const l of layers) {
    const source = (l as { source?: string }).source
    if (source === FEATURE_SOURCES.selection || !source) {
      out.push(l)
      continue
    }
    if (source === FEATURE_SOURCES.shapes) {
      const sourceLayer = l.id === 'pipelines' ? TILE_SOURCE_LAYERS.lines : TILE_SOURCE_LAYERS.polygons
      // Geometry type and kind are already right in each tile layer, and the URL filters the kinds.
      out.push({ ...l, source: FEATURE_SOURCES.tiles, 'source-layer': sourceLayer, filter: ['literal', true] } as LayerSpecification)
      continue
    }
    out.push({ ...l, source: FEATURE_SOURCES.tiles, 'source-layer': tileLayerOf[source]! } as LayerSpecification)
    if (l.id === 'alert-points') {
      // Red clusters (low zooms of a very large data set) stay red and show their count.
      const s = options.pointScale ?? 1
      out.push({
        id: 'alert-clusters', type: 'circle', source: FEATURE_SOURCES.tiles, 'source-layer': TILE_SOURCE_LAYERS.alerts, filter: ['has', 'point_count'],
        paint: {
          'circle-color': RISK_COLORS.red, 'circle-opacity': 0.85,
          'circle-radius': ['step', ['get', 'point_count'], 9 * s, 20, 11 * s, 100, 14 * s, 500, 17 * s],
          'circle-stroke-color': theme === 'dark' ? '#ffd6d6' : '#ffffff', 'circle-stroke-width': 1.5,
        },
      } as LayerSpecification)
      out.push({
        id: 'alert-cluster-count', type: 'symbol', source: FEATURE_SOURCES.tiles, 'source-layer': TILE_SOURCE_LAYERS.alerts, filter: ['has', 'point_count'],
        layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': [MAP_FONT_FAMILY], 'text-size': 13 * s, 'text-allow-overlap': true, 'text-ignore-placement': true },
        paint: { 'text-color': '#ffffff' },
      } as LayerSpecification)
    }
  }
  return out
}

function featureLayersOf(theme: MapTheme, options: FeatureLayerOptions): LayerSpecification[] {
  const p = PALETTES[theme]
  const tiled = options.tiled ?? false
  const s = options.pointScale ?? 1
  const kinds = kindFilter(options.visibleKinds)
  const unclustered: ExpressionSpecification = ['all', ['!', ['has', 'point_count']], kinds]
  const color = featureColorExpression(theme)
  const lineColor = featureColorExpression(theme, p.ungradedLine)
  // Metres → pixels at Yubei's latitude (≈29.7°N) for 512 px tiles: 78271.5·cos(lat)/2^z m/px.
  const metresPerPixelZ0 = 78271.517 * Math.cos((29.7 * Math.PI) / 180)
  const impactVisible = options.showImpactRadius && options.visibleKinds.includes('hazard-source')
  const radius: ExpressionSpecification = ['coalesce', ['get', 'impactRadiusM'], 0]
  return [
    ...(['points', 'alerts'] as const).map((src): LayerSpecification => ({
      id: src === 'points' ? 'impact-radius' : 'impact-radius-alerts',
      type: 'circle',
      source: FEATURE_SOURCES[src],
      filter: ['all', src === 'points' ? unclustered : kinds, ['==', ['get', 'kind'], 'hazard-source'], ['>', radius, 0]],
      layout: { visibility: impactVisible ? 'visible' : 'none' },
      paint: {
        'circle-radius': [
          'interpolate', ['exponential', 2], ['zoom'],
          0, ['/', radius, metresPerPixelZ0],
          22, ['/', radius, metresPerPixelZ0 / 2 ** 22],
        ],
        'circle-color': color,
        'circle-opacity': 0.12,
        'circle-stroke-color': color,
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.6,
        'circle-pitch-alignment': 'map',
      },
    })),
    {
      id: 'areas-fill',
      type: 'fill',
      source: FEATURE_SOURCES.shapes,
      filter: ['all', ['==', ['geometry-type'], 'Polygon'], kinds],
      paint: { 'fill-color': lineColor, 'fill-opacity': theme === 'dark' ? 0.35 : 0.3 },
    },
    {
      id: 'areas-line',
      type: 'line',
      source: FEATURE_SOURCES.shapes,
      filter: ['all', ['==', ['geometry-type'], 'Polygon'], kinds],
      paint: { 'line-color': lineColor, 'line-width': 1 },
    },
    {
      id: 'pipelines',
      type: 'line',
      source: FEATURE_SOURCES.shapes,
      filter: ['all', ['==', ['geometry-type'], 'LineString'], kinds],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': lineColor,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6 * s, 12, 1.4 * s, 15, 3 * s],
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.45, 13, 0.8],
      },
    },
    {
      id: 'clusters',
      type: 'circle',
      source: FEATURE_SOURCES.points,
      filter: ['has', 'point_count'],
      paint: {
        // Fill by density, ring by worst risk: a cluster reads as "how many" and "how bad" at once.
        'circle-color': ['step', ['get', 'point_count'], p.clusterFill, 100, p.clusterFillDense, 1000, p.clusterFillDensest],
        'circle-opacity': 0.9,
        'circle-radius': ['step', ['get', 'point_count'], 11 * s, 20, 13 * s, 100, 16 * s, 500, 20 * s, 2000, 24 * s],
        'circle-stroke-color': clusterRing(theme, tiled),
        'circle-stroke-width': 2.5 * s,
        'circle-stroke-opacity': 0.95,
      },
    },
    {
      id: 'points',
      type: 'symbol',
      source: FEATURE_SOURCES.points,
      filter: unclustered,
      layout: symbolLayout(theme, ['match', ['get', 'riskLevel'], 'orange', 1.05 * s, 'yellow', 0.95 * s, 'blue', 0.95 * s, 0.85 * s]),
    },
    {
      // A soft halo marks red risks even when zoomed out.
      id: 'alert-halo',
      type: 'circle',
      source: FEATURE_SOURCES.alerts,
      filter: tiled ? ['!', ['has', 'point_count']] : kinds,
      paint: { 'circle-radius': 10 * s, 'circle-color': RISK_COLORS.red, 'circle-opacity': 0.3, 'circle-blur': 0.7 },
    },
    {
      id: 'alert-points',
      type: 'symbol',
      source: FEATURE_SOURCES.alerts,
      filter: tiled ? ['!', ['has', 'point_count']] : kinds,
      layout: symbolLayout(theme, 1.2 * s),
    },
    {
      id: 'cluster-count',
      type: 'symbol',
      source: FEATURE_SOURCES.points,
      filter: ['has', 'point_count'],
      // Last of the point layers: a count is never hidden by the red points drawn around it.
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': [MAP_FONT_FAMILY],
        'text-size': 13 * s,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': p.clusterText, 'text-halo-color': p.clusterFillDensest, 'text-halo-width': 2.2 },
    },
    {
      id: 'selection-ring',
      type: 'circle',
      source: FEATURE_SOURCES.selection,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 11 * s, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': p.selection, 'circle-stroke-width': 2.5 },
    },
    {
      id: 'selection-line',
      type: 'line',
      source: FEATURE_SOURCES.selection,
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': p.selection, 'line-width': 3 },
    },
  ]
}
