import type { ExpressionSpecification, FillLayerSpecification } from 'maplibre-gl'
import type { RiskLevel } from '../../server/domain/enums.js'
import { BASEMAP_SOURCES } from './basemap-style.js'
import { RISK_COLORS } from './map-theme.js'

/** A grid cell's level in the 四色图 (GET /api/risk/regions?type=grid): `key` is the cell's region id. */
export interface RegionRiskItem { key: string; level: RiskLevel | null }

export const REGION_RISK_LAYER = 'grid-risk-fill'

/** The fill colour of each grid cell by its level; cells without a level stay clear. */
export function regionRiskColor(items: readonly RegionRiskItem[]): ExpressionSpecification | string {
  const pairs = items.filter((i) => i.level).flatMap((i) => [i.key, RISK_COLORS[i.level!]])
  if (!pairs.length) return 'rgba(0,0,0,0)'
  return ['match', ['to-string', ['get', 'id']], ...pairs, 'rgba(0,0,0,0)'] as unknown as ExpressionSpecification
}

/** The 四色图 layer: the grid cells filled in their level's colour, under the features. */
export function regionRiskLayer(items: readonly RegionRiskItem[], theme: 'dark' | 'light'): FillLayerSpecification {
  return {
    id: REGION_RISK_LAYER,
    type: 'fill',
    source: BASEMAP_SOURCES.grid,
    paint: {
      'fill-color': regionRiskColor(items) as never,
      'fill-opacity': theme === 'dark' ? 0.42 : 0.38,
      'fill-outline-color': 'rgba(255,255,255,0.25)',
    },
  }
}
