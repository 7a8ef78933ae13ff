import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import { MAP_FONT_FAMILY, PALETTES } from './map-theme.js'
import type { MapTheme } from './map-theme.js'
import { PMTILES_SOURCE, pmtilesLayers, pmtilesSource, type PmtilesBasemap } from './pmtiles-basemap.js'

/** Source ids of the embedded basemap; their GeoJSON is set after /api/regions answers. */
export const BASEMAP_SOURCES = {
  districts: 'districts',
  districtLabels: 'district-labels',
  grid: 'grid',
} as const

export interface BasemapOptions {
  /** Draw the ~1 km management grid over the focus district. */
  showGrid: boolean
  /** A raster tile URL template an administrator configured; drawn under the boundaries. */
  rasterTiles?: string | null
  /** A PMTiles basemap an administrator uploaded; drawn under the boundaries. */
  pmtiles?: PmtilesBasemap | null
}

const EMPTY = { type: 'FeatureCollection', features: [] } as const

/**
 * The embedded offline basemap: Chongqing's districts with Yubei (focus) highlighted, the grid and
 * district names drawn from a local font. No layer refers to anything on the network.
 */
export function basemapLayers(theme: MapTheme, options: BasemapOptions): LayerSpecification[] {
  const p = PALETTES[theme]
  const focus: ExpressionSpecification = ['==', ['get', 'focus'], true]
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': p.background } },
  ]
  if (options.rasterTiles) {
    layers.push({ id: 'raster-basemap', type: 'raster', source: 'raster-basemap', paint: { 'raster-opacity': theme === 'dark' ? 0.55 : 1 } })
  }
  if (options.pmtiles) layers.push(...pmtilesLayers(theme, options.pmtiles))
  // Over a real basemap the district fills only tint it.
  const over = Boolean(options.rasterTiles || options.pmtiles)
  layers.push(
    {
      id: 'district-fill',
      type: 'fill',
      source: BASEMAP_SOURCES.districts,
      filter: ['!', focus],
      paint: { 'fill-color': p.land, 'fill-opacity': over ? 0.25 : 1 },
    },
    {
      id: 'district-focus-fill',
      type: 'fill',
      source: BASEMAP_SOURCES.districts,
      filter: focus,
      paint: { 'fill-color': p.focusFill, 'fill-opacity': over ? 0.35 : 1 },
    },
    {
      id: 'grid-line',
      type: 'line',
      source: BASEMAP_SOURCES.grid,
      minzoom: 8.5,
      layout: { visibility: options.showGrid ? 'visible' : 'none' },
      paint: {
        'line-color': p.grid,
        'line-width': 0.6,
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 8.5, 0, 10, 0.28, 13, 0.45],
      },
    },
    {
      id: 'district-line',
      type: 'line',
      source: BASEMAP_SOURCES.districts,
      filter: ['!', focus],
      paint: { 'line-color': p.landOutline, 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.6, 12, 1.4] },
    },
    {
      // A wide blurred line under the crisp one gives the focus district its glow.
      id: 'district-focus-glow',
      type: 'line',
      source: BASEMAP_SOURCES.districts,
      filter: focus,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.focusGlow, 'line-width': 9, 'line-blur': 8, 'line-opacity': theme === 'dark' ? 0.7 : 0.4 },
    },
    {
      id: 'district-focus-line',
      type: 'line',
      source: BASEMAP_SOURCES.districts,
      filter: focus,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': p.focusOutline, 'line-width': 2.2 },
    },
    {
      id: 'district-label',
      type: 'symbol',
      source: BASEMAP_SOURCES.districtLabels,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': [MAP_FONT_FAMILY],
        'text-size': ['case', focus, 18, 12],
        'text-letter-spacing': 0.15,
        'text-allow-overlap': false,
        'symbol-sort-key': ['case', focus, 0, 1],
      },
      paint: {
        'text-color': ['case', focus, p.focusLabel, p.label],
        'text-halo-color': p.labelHalo,
        'text-halo-width': 1.4,
        // Zoomed into Yubei its own big name would sit on top of the data: fade it out.
        'text-opacity': ['interpolate', ['linear'], ['zoom'], 11, 1, 12.5, ['case', focus, 0, 1]],
      },
    },
  )
  return layers
}

/** A complete MapLibre style with no network source, ready for `new Map({ style })`. */
export function embeddedStyle(theme: MapTheme, options: BasemapOptions): StyleSpecification {
  const sources: StyleSpecification['sources'] = {
    [BASEMAP_SOURCES.districts]: { type: 'geojson', data: EMPTY as never },
    [BASEMAP_SOURCES.districtLabels]: { type: 'geojson', data: EMPTY as never },
    [BASEMAP_SOURCES.grid]: { type: 'geojson', data: EMPTY as never },
  }
  if (options.rasterTiles) {
    sources['raster-basemap'] = { type: 'raster', tiles: [options.rasterTiles], tileSize: 256 }
  }
  if (options.pmtiles) sources[PMTILES_SOURCE] = pmtilesSource(options.pmtiles)
  // No `glyphs`: MapLibre then draws every character (digits too) from local fonts, fully offline.
  return { version: 8, name: `atlas-${theme}`, sources, layers: basemapLayers(theme, options) }
}

type Position = [number, number]
interface PolygonLike {
  type: string
  coordinates: unknown
}
interface RegionFeature {
  type: 'Feature'
  geometry: PolygonLike | null
  properties: { name?: string; focus?: boolean } | null
}

function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let area = 0
  let x = 0
  let y = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]
    const [x1, y1] = ring[i]
    const f = x0 * y1 - x1 * y0
    area += f
    x += (x0 + x1) * f
    y += (y0 + y1) * f
  }
  if (area === 0) return { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 }
  return { area: Math.abs(area / 2), x: x / (3 * area), y: y / (3 * area) }
}

/**
 * One label point per district: the centroid of its largest outer ring. GeoJSON polygon labels
 * would otherwise repeat once per tile the polygon crosses.
 */
export function districtLabelPoints(regions: { features: RegionFeature[] }) {
  const features = []
  for (const f of regions.features) {
    const g = f.geometry
    if (!g) continue
    const polygons: Position[][][] =
      g.type === 'Polygon' ? [g.coordinates as Position[][]] : g.type === 'MultiPolygon' ? (g.coordinates as Position[][][]) : []
    let best: { area: number; x: number; y: number } | null = null
    for (const poly of polygons) {
      const c = ringAreaCentroid(poly[0] ?? [])
      if (!best || c.area > best.area) best = c
    }
    if (!best) continue
    features.push({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [best.x, best.y] },
      properties: { name: f.properties?.name ?? '', focus: f.properties?.focus === true },
    })
  }
  return { type: 'FeatureCollection' as const, features }
}
