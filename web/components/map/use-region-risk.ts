import type { Map as MlMap } from 'maplibre-gl'
import { watch, type Ref, type ShallowRef } from 'vue'
import { REGION_RISK_LAYER, regionRiskColor, regionRiskLayer, type RegionRiskItem } from '../../map/region-risk.js'

/**
 * The 四色图 on a map: while `items` is not null, the grid cells are filled by their region level under
 * the features; the layer is put back after a style change (theme, basemap) and taken away when off.
 */
export function useRegionRisk(map: ShallowRef<MlMap | null>, items: Ref<readonly RegionRiskItem[] | null>, theme: Ref<'dark' | 'light'>) {
  const apply = () => {
    const m = map.value
    if (!m || !m.getSource('grid')) return
    const list = items.value
    if (!list) {
      if (m.getLayer(REGION_RISK_LAYER)) m.removeLayer(REGION_RISK_LAYER)
      return
    }
    if (m.getLayer(REGION_RISK_LAYER)) m.setPaintProperty(REGION_RISK_LAYER, 'fill-color', regionRiskColor(list) as never)
    else m.addLayer(regionRiskLayer(list, theme.value), m.getLayer('grid-line') ? 'grid-line' : undefined)
  }
  let wired: MlMap | null = null
  watch(map, (m) => {
    if (!m || wired === m) return
    wired = m
    // A new style (theme, basemap) comes without the layer.
    m.on('styledata', apply)
    apply()
  }, { immediate: true })
  watch([items, theme], apply)
}
