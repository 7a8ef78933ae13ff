import maplibregl from 'maplibre-gl'
import { Protocol } from 'pmtiles'
import type { GeoJSONSource, LngLatBoundsLike, Map as MlMap, StyleSpecification } from 'maplibre-gl'
import { markRaw } from 'vue'
import { registerTestHook, unregisterTestHook } from '../lib/test-hooks.js'
import { BASEMAP_SOURCES, districtLabelPoints } from './basemap-style.js'
import type { AtlasFeatureCollection, Bbox, RegionProperties } from '../api/geojson.js'
import { MAP_FONT_FAMILY } from './map-theme.js'

/** Yubei's rough extent, used until the district boundary has loaded. */
export const YUBEI_BBOX: Bbox = [106.45, 29.58, 106.98, 30.08]

export interface CreateMapOptions {
  style: StyleSpecification | string
  bounds: LngLatBoundsLike
  /** E2E tests find the map as window.__atlas['map:<testName>'] (automated browsers only). */
  testName?: string
  pixelRatio?: number
  minZoom?: number
  maxZoom?: number
}

export interface CreatedMap {
  map: MlMap
  /** Removes the map and its test hook; call it when the component that made the map unmounts. */
  destroy: () => void
}

/**
 * Every MapLibre map of the app starts here: labels drawn from the local CJK font (no glyph server),
 * no attribution, no rotation (there is no compass to turn it back north), zoom buttons bottom
 * right, a metric scale bottom left, no label fade, and a drawing buffer kept for screenshots. The
 * map is marked raw: keep it in a plain variable (or a shallowRef), never in reactive state
 * (DESIGN rule 9). Each caller adds its own layers and interactions.
 */
let pmtilesProtocol = false

export function createMap(container: HTMLElement, options: CreateMapOptions): CreatedMap {
  // An uploaded PMTiles basemap is read through the pmtiles:// protocol (registered once per page).
  if (!pmtilesProtocol) {
    maplibregl.addProtocol('pmtiles', new Protocol().tile)
    pmtilesProtocol = true
  }
  const map = markRaw(
    new maplibregl.Map({
      container,
      style: options.style,
      bounds: options.bounds,
      localIdeographFontFamily: MAP_FONT_FAMILY,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
      canvasContextAttributes: { antialias: true, preserveDrawingBuffer: true },
      // Only the options given: an undefined one would override MapLibre's default.
      ...(options.pixelRatio !== undefined && { pixelRatio: options.pixelRatio }),
      ...(options.minZoom !== undefined && { minZoom: options.minZoom }),
      ...(options.maxZoom !== undefined && { maxZoom: options.maxZoom }),
    }),
  )
  map.touchZoomRotate.disableRotation()
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right')
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left')
  const hook = options.testName ? `map:${options.testName}` : null
  if (hook) registerTestHook(hook, map)
  return {
    map,
    destroy() {
      if (hook) unregisterTestHook(hook, map)
      map.remove()
    },
  }
}

/** The district boundaries and the grid, as /api/regions answers them (the meta store loads them once). */
export interface BasemapRegions {
  districts: AtlasFeatureCollection<RegionProperties>
  grid: AtlasFeatureCollection<RegionProperties>
}

/**
 * Hands the regions to the embedded basemap's sources: the districts, one label point per district
 * and, unless the map leaves it out, the grid. A source the current style lacks is skipped.
 */
export function setBasemapData(map: MlMap, regions: BasemapRegions, options: { grid?: boolean } = {}): void {
  const set = (id: string, data: unknown) => (map.getSource(id) as GeoJSONSource | undefined)?.setData(data as never)
  set(BASEMAP_SOURCES.districts, regions.districts)
  set(BASEMAP_SOURCES.districtLabels, districtLabelPoints(regions.districts))
  if (options.grid !== false) set(BASEMAP_SOURCES.grid, regions.grid)
}
