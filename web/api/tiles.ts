import { FEATURE_KINDS } from '../../server/domain/enums.js'
import type { FeatureKind } from '../../server/domain/enums.js'
import type { FilterState } from './filter-params.js'
import { filtersToSearchParams } from './filter-params.js'

/**
 * Above this many features the map draws vector tiles from /api/tiles instead of loading every
 * feature as GeoJSON (the GeoJSON path stops at 30,000 features anyway).
 */
export const TILE_THRESHOLD = 30_000
/** The deepest zoom the server builds tiles for; MapLibre overzooms beyond it. */
export const TILE_MAX_ZOOM = 16

/**
 * The tile URL template for the current filters and the kinds switched on in the legend (the legend
 * narrows the `kind` filter, so clusters count only what is shown), or null when nothing is visible.
 */
export function tileUrlTemplate(origin: string, filters: FilterState, visibleKinds: readonly FeatureKind[]): string | null {
  const allKinds = FEATURE_KINDS.map((k) => k.code)
  const wanted = (filters.kind.length ? filters.kind : allKinds).filter((k) => visibleKinds.includes(k as FeatureKind))
  if (wanted.length === 0) return null
  const params = filtersToSearchParams({ ...filters, kind: wanted.length === allKinds.length && !filters.kind.length ? [] : wanted })
  const qs = params.toString()
  return `${origin}/api/tiles/{z}/{x}/{y}.mvt${qs ? `?${qs}` : ''}`
}
