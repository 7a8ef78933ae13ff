import maplibregl from 'maplibre-gl'
import type { GeoJSONSource, Map as MlMap, MapGeoJSONFeature, StyleSpecification, VectorTileSource } from 'maplibre-gl'
import { onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import type { Ref } from 'vue'
import type { FeatureKind } from '../../../server/domain/enums.js'
import { ASSESSED_KINDS } from '../../../server/domain/risk-grading.js'
import { useMetaStore } from '../../stores/meta.js'
import { pmtilesOf, type BasemapSetting } from '../../stores/settings.js'
import { atlasStyle, overlayOnExternalStyle } from '../../map/atlas-style.js'
import type { AtlasStyleOptions } from '../../map/atlas-style.js'
import { YUBEI_BBOX, createMap, setBasemapData } from '../../map/create-map.js'
import { bboxOf, toMapData } from '../../map/feature-data.js'
import type { AtlasFeatureCollection, Bbox } from '../../api/geojson.js'
import { featureDetail } from '../../api/geojson.js'
import { FEATURE_SOURCES, IMPACT_LAYERS, TILED_INTERACTIVE_LAYERS } from '../../map/feature-layers.js'
import { buildFeaturePopup, buildHoverLabel } from '../../map/feature-popup.js'
import { popupMaxHeight, popupPan } from '../../map/popup-placement.js'
import { appendMonitoring } from '../../map/monitoring-popup.js'
import { appendRiskAssessment } from '../../map/risk-popup.js'
import type { MapTheme } from '../../map/map-theme.js'

export interface AtlasMapInput {
  theme: Ref<MapTheme>
  features: Ref<AtlasFeatureCollection>
  visibleKinds: Ref<readonly FeatureKind[]>
  showImpactRadius: Ref<boolean>
  basemap?: Ref<BasemapSetting>
  /** Extra pixel ratio for a canvas drawn under a CSS scale (the wall), so it is not resampled. */
  pixelScale?: Ref<number>
  /** Where to frame the map: a bbox to fit, or null for the focus district. */
  frame?: Ref<Bbox | null>
  pointScale?: number
  /** Vector-tile URL template (large data sets): the feature layers draw from it instead of `features`. */
  tileUrl?: Ref<string | null>
  /** True while the features for the current view are still being fetched. */
  dataLoading?: Ref<boolean>
  /** Test-hook name for E2E tests (exposed only to automated browsers). */
  testName?: string
  navigate: (path: string) => void
}

/**
 * The MapLibre map of a view, made by createMap. The map instance (marked raw) lives in a
 * shallowRef: Vue must never proxy it (DESIGN rule 9). Returns state for the template and a few
 * imperative helpers.
 */
export function useAtlasMap(container: Ref<HTMLElement | null>, input: AtlasMapInput) {
  const meta = useMetaStore()
  const map = shallowRef<MlMap | null>(null)
  /** 'loading' until the style is in; 'drawn' once the current data has been rendered. */
  const state = ref<'loading' | 'ready' | 'drawn'>('loading')
  const error = ref<string | null>(null)
  let regions: Awaited<ReturnType<typeof meta.regions>> | null = null
  let focusBbox: Bbox | null = null
  let popup: maplibregl.Popup | null = null
  let hover: maplibregl.Popup | null = null
  let popupRequest = 0
  let destroyMap: (() => void) | null = null
  let framed = false
  // Not map.isStyleLoaded(): that is also false while a GeoJSON source is still tiling, and data
  // handed over in that window would be lost. This flag only tracks whether our sources exist.
  let styleReady = false

  const styleOptions = (): AtlasStyleOptions => ({
    showGrid: true,
    rasterTiles: input.basemap?.value.type === 'raster' ? input.basemap.value.url : null,
    pmtiles: input.basemap ? pmtilesOf(input.basemap.value) : null,
    visibleKinds: input.visibleKinds.value,
    showImpactRadius: input.showImpactRadius.value,
    pointScale: input.pointScale,
    tileUrl: input.tileUrl?.value ?? null,
    tiled: Boolean(input.tileUrl?.value),
  })

  function pixelRatio() {
    return (window.devicePixelRatio || 1) * (input.pixelScale?.value ?? 1)
  }

  function pushBasemapData(m: MlMap) {
    if (regions) setBasemapData(m, regions)
  }

  function pushFeatureData(m: MlMap) {
    const data = toMapData(input.features.value, input.visibleKinds.value)
    ;(m.getSource(FEATURE_SOURCES.points) as GeoJSONSource | undefined)?.setData(data.points as never)
    ;(m.getSource(FEATURE_SOURCES.alerts) as GeoJSONSource | undefined)?.setData(data.alerts as never)
    ;(m.getSource(FEATURE_SOURCES.shapes) as GeoJSONSource | undefined)?.setData(data.shapes as never)
    markDrawnWhenIdle(m)
  }

  /**
   * 'drawn' means what the user asked for is on screen: the boundaries are in, the current features
   * have been handed to the map (not still loading) and MapLibre has gone idle after drawing them.
   */
  function markDrawnWhenIdle(m: MlMap) {
    state.value = 'ready'
    if (!regions || input.dataLoading?.value) return
    m.once('idle', () => {
      if (map.value === m && regions && !input.dataLoading?.value) state.value = 'drawn'
    })
    // An already idle map fires 'idle' again only after another frame.
    m.triggerRepaint()
  }

  function applyImpactVisibility(m: MlMap) {
    const show = input.showImpactRadius.value && input.visibleKinds.value.includes('hazard-source')
    for (const id of IMPACT_LAYERS) if (m.getLayer(id)) m.setLayoutProperty(id, 'visibility', show ? 'visible' : 'none')
  }

  function applyStyle(m: MlMap) {
    styleReady = false
    const theme = input.theme.value
    const bm = input.basemap?.value
    if (bm?.type === 'style' && bm.url) {
      m.setStyle(bm.url, { diff: false, transformStyle: (_prev, next) => overlayOnExternalStyle(next as StyleSpecification, theme, styleOptions()) })
    } else {
      m.setStyle(atlasStyle(theme, styleOptions()), { diff: false })
    }
  }

  function frame(m: MlMap) {
    const target = input.frame?.value ?? focusBbox ?? YUBEI_BBOX
    const pad = Math.round(Math.min(m.getContainer().clientWidth, m.getContainer().clientHeight) * 0.06)
    m.fitBounds(target, { padding: pad, duration: framed ? 600 : 0, maxZoom: 15 })
    framed = true
  }

  async function openFeature(id: number, lngLat: maplibregl.LngLatLike) {
    const m = map.value
    if (!m) return
    const req = ++popupRequest
    const detail = await featureDetail(id).catch(() => null)
    if (!detail || req !== popupRequest || map.value !== m) return
    ;(m.getSource(FEATURE_SOURCES.selection) as GeoJSONSource | undefined)?.setData(detail as never)
    popup?.remove()
    const content = buildFeaturePopup(detail, input.navigate)
    // The popup stays inside the part of the map on screen: no taller than it (it scrolls beyond), and shown whole.
    const container = m.getContainer()
    const onScreen = () => {
      const r = container.getBoundingClientRect()
      const box = { top: Math.max(r.top, 0), bottom: Math.min(r.bottom, window.innerHeight), left: Math.max(r.left, 0), right: Math.min(r.right, window.innerWidth) }
      return { box, scale: container.clientWidth ? r.width / container.clientWidth : 1 }
    }
    const start = onScreen()
    content.style.maxHeight = `${popupMaxHeight((start.box.bottom - start.box.top) / start.scale)}px`
    // A monitoring point shows its sensors' latest values and trend; a risk point its assessment.
    const kind = detail.properties.kind
    const disposeMonitoring = kind === 'monitoring-point' ? appendMonitoring(content, id, input.navigate) : null
    const disposeRisk = (ASSESSED_KINDS as readonly string[]).includes(kind) ? appendRiskAssessment(content, detail, input.navigate) : null
    popup = new maplibregl.Popup({ maxWidth: '360px', className: 'atlas-popup-wrap', focusAfterOpen: false })
      .setLngLat(lngLat)
      .setDOMContent(content)
      .addTo(m)
    const shown = popup
    // Again when it grows (the sensors or the assessment arrive): placed anew for its height, then the map pans to show it whole.
    const keepInView = new ResizeObserver(() => {
      if (popup !== shown || map.value !== m) return
      shown.setLngLat(shown.getLngLat())
      const { box, scale } = onScreen()
      const [dx, dy] = popupPan(shown.getElement().getBoundingClientRect(), box, scale)
      if (dx || dy) m.panBy([dx, dy], { duration: 200 })
    })
    keepInView.observe(content)
    popup.on('close', () => {
      keepInView.disconnect()
      disposeMonitoring?.()
      disposeRisk?.()
      if (map.value === m) (m.getSource(FEATURE_SOURCES.selection) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: [] })
    })
  }

  function hitAt(m: MlMap, point: maplibregl.PointLike): MapGeoJSONFeature | undefined {
    const layers = TILED_INTERACTIVE_LAYERS.filter((l) => m.getLayer(l))
    return m.queryRenderedFeatures(point, { layers })[0]
  }

  function wireEvents(m: MlMap) {
    m.on('click', async (e) => {
      const f = hitAt(m, e.point)
      if (!f) return
      if (f.properties.cluster && f.source === FEATURE_SOURCES.tiles) {
        // Server clusters are cells of a grid: two zoom levels in splits a cell into 16.
        m.easeTo({ center: (f.geometry as { coordinates: [number, number] }).coordinates, zoom: Math.min(m.getZoom() + 2, 17) })
        return
      }
      if (f.properties.cluster) {
        const source = m.getSource(FEATURE_SOURCES.points) as GeoJSONSource
        const zoom = await source.getClusterExpansionZoom(f.properties.cluster_id as number)
        m.easeTo({ center: (f.geometry as { coordinates: [number, number] }).coordinates, zoom: Math.min(zoom, 16) })
        return
      }
      const id = Number(f.properties.id)
      const at = f.geometry.type === 'Point' ? ((f.geometry as { coordinates: [number, number] }).coordinates) : e.lngLat
      void openFeature(id, at)
    })
    m.on('mousemove', (e) => {
      const f = hitAt(m, e.point)
      m.getCanvas().style.cursor = f ? 'pointer' : ''
      if (!f || f.properties.cluster) {
        hover?.remove()
        hover = null
        return
      }
      hover ??= new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'atlas-hover', offset: 12 })
      hover.setLngLat(e.lngLat).setDOMContent(buildHoverLabel(String(f.properties.name ?? ''))).addTo(m)
    })
    m.on('mouseout', () => {
      hover?.remove()
      hover = null
    })
    m.on('style.load', () => {
      styleReady = true
      pushBasemapData(m)
      pushFeatureData(m)
    })
    m.on('error', (e) => {
      // Tile or style errors of an administrator's basemap must not blank the data layers.
      error.value = '部分地图内容加载失败（底图服务或网络不可用），数据照常显示'
    })
  }

  onMounted(async () => {
    const el = container.value
    if (!el) return
    const created = createMap(el, {
      style: atlasStyle(input.theme.value, styleOptions()),
      bounds: input.frame?.value ?? YUBEI_BBOX,
      pixelRatio: pixelRatio(),
      maxZoom: 18,
      minZoom: 6,
      testName: input.testName,
    })
    const m = created.map
    destroyMap = created.destroy
    map.value = m
    wireEvents(m)
    if (input.basemap?.value.type === 'style') applyStyle(m)
    // The boundaries are the map's ground: while they cannot be read (the server or the network is down,
    // as when a wall screen starts before its server) the map asks again, at growing intervals up to a minute.
    for (let wait = 2000; map.value === m; wait = Math.min(wait * 2, 60_000)) {
      try {
        regions = await meta.regions()
        error.value = null
        break
      } catch {
        error.value = '区县边界读取失败，正在重试…'
        await new Promise((r) => setTimeout(r, wait))
      }
    }
    if (!regions || map.value !== m) return
    const focus = regions.districts.features.filter((f) => f.properties.focus)
    // A city atlas before its first harvest has no focus: it frames the whole city.
    focusBbox = bboxOf({ features: focus.length ? focus : regions.districts.features })
    if (styleReady) pushBasemapData(m)
    frame(m)
    markDrawnWhenIdle(m)
  })

  watch(input.features, () => {
    const m = map.value
    if (m && styleReady) pushFeatureData(m)
    popup?.remove()
  })
  if (input.dataLoading) {
    watch(input.dataLoading, (loading) => {
      if (loading) state.value = 'ready'
      else if (map.value) markDrawnWhenIdle(map.value)
    })
  }
  watch(input.visibleKinds, () => {
    const m = map.value
    if (m && styleReady) {
      pushFeatureData(m)
      applyImpactVisibility(m)
    }
  })
  if (input.tileUrl) {
    watch(input.tileUrl, (url, old) => {
      const m = map.value
      if (!m) return
      const source = m.getSource(FEATURE_SOURCES.tiles) as VectorTileSource | undefined
      // Same mode, new filters: swap the URL and keep the style; switching modes rebuilds the style.
      if (url && old && source) {
        source.setTiles([url])
        markDrawnWhenIdle(m)
      } else {
        applyStyle(m)
      }
    })
  }
  watch(input.showImpactRadius, () => {
    if (map.value) applyImpactVisibility(map.value)
  })
  watch([input.theme, () => input.basemap?.value], () => {
    const m = map.value
    if (m) applyStyle(m)
  }, { deep: true })
  if (input.pixelScale) {
    watch(input.pixelScale, () => map.value?.setPixelRatio(pixelRatio()))
  }
  if (input.frame) {
    watch(input.frame, () => {
      if (map.value) frame(map.value)
    })
  }

  onBeforeUnmount(() => {
    popup?.remove()
    hover?.remove()
    destroyMap?.()
    destroyMap = null
    map.value = null
  })

  /** Flies to a point, e.g. for the wall screen's tour of red risks. */
  function flyTo(center: [number, number], zoom = 14.5) {
    map.value?.flyTo({ center, zoom, speed: 0.8, curve: 1.4, essential: true })
  }
  function resetView() {
    if (map.value) frame(map.value)
  }
  function resize() {
    map.value?.resize()
  }

  return { map, state, error, flyTo, resetView, resize, openFeature }
}
