import { FEATURE_KINDS, FRESHNESS_STATUSES, RISK_LEVELS, SENSITIVITIES, SHARING_MODES, UPDATE_CYCLES, labelOf } from '../../server/domain/enums.js'
import type { KioskCeiling, Sensitivity } from '../../server/domain/enums.js'
import { emptyFilters, filtersFromQuery } from '../api/filter-params.js'
import type { FilterState, ListFilterKey } from '../api/filter-params.js'
import { formatCount } from './format.js'

/**
 * What a screen is limited to, said on the screen itself: the viewer's clearance (a public-only wall
 * must never pass 0 major risks off as the district's), the filters, and the share of all features
 * shown. The numbers come from the server's overview (GET /api/stats/overview `scope`).
 */

/** The overview's `scope`: the viewer's clearance and, when the answer is narrowed, every feature's count. */
export interface OverviewScope {
  clearance: 'all' | 'internal' | 'public'
  ownRestricted: boolean
  allFeatures: number | null
}

/** The clearance in words, or null when the viewer sees everything. */
export function clearanceLabel(scope: Pick<OverviewScope, 'clearance' | 'ownRestricted'>): string | null {
  if (scope.clearance === 'public') return '仅公开数据'
  if (scope.clearance === 'internal') return scope.ownRestricted ? '不含其他部门的受限数据' : '不含受限数据'
  return null
}

/** How codes and ids of the filters read (the meta store's lookups). */
export interface FilterNames {
  district: (key: string) => string
  domain: (code: string) => string
  subcategory: (code: string) => string
  department: (id: string) => string
}

/** The filters in words, one part per filter, e.g. ["城市生命线工程安全", "应急局、交通局", "重大风险"]. */
export function filterParts(f: FilterState, names: FilterNames): string[] {
  const parts: string[] = []
  const add = (values: string[], label: (v: string) => string) => {
    if (values.length) parts.push(values.map(label).join('、'))
  }
  add(f.district, names.district)
  add(f.domain, names.domain)
  add(f.subcategory, names.subcategory)
  add(f.department, names.department)
  add(f.kind, (k) => labelOf(FEATURE_KINDS, k))
  add(f.risk, (k) => labelOf(RISK_LEVELS, k))
  add(f.updateCycle, (k) => labelOf(UPDATE_CYCLES, k))
  add(f.sharingMode, (k) => labelOf(SHARING_MODES, k))
  add(f.sensitivity, (k) => `${labelOf(SENSITIVITIES, k)}数据`)
  add(f.freshness, (k) => labelOf(FRESHNESS_STATUSES, k))
  if (f.q) parts.push(`“${f.q}”`)
  return parts
}

/**
 * The filters a wall applies: its URL's, and for a kiosk wall its link's (which the server enforces
 * whatever the URL says): a list the URL leaves empty takes the link's.
 */
export function wallFilters(url: FilterState, kioskQuery: string | null): FilterState {
  if (!kioskQuery) return url
  const link = filtersFromQuery(Object.fromEntries(new URLSearchParams(kioskQuery)))
  const out = { ...url }
  for (const key of Object.keys(link) as (ListFilterKey | 'q')[]) {
    if (key === 'q') continue
    if (!out[key].length && link[key].length) out[key] = link[key]
  }
  return out
}

export interface ScopeBadge {
  /** e.g. "仅公开数据 · 应急局" (empty parts left out). */
  label: string
  /** e.g. "840/20,171 个要素", or null when the server gave no total. */
  counts: string | null
}

/**
 * The badge of a limited view, or null when the screen shows everything. The clearance comes first;
 * filters follow ("仅 应急局" when there is no clearance to name).
 */
export function scopeBadge(scope: OverviewScope | null | undefined, features: number | null | undefined, parts: readonly string[]): ScopeBadge | null {
  const clearance = scope ? clearanceLabel(scope) : null
  if (!clearance && parts.length === 0) return null
  const filters = parts.length ? (clearance ? parts.join(' · ') : `仅 ${parts.join(' · ')}`) : null
  const label = [clearance, filters].filter(Boolean).join(' · ')
  const counts = scope?.allFeatures != null && features != null ? `${formatCount(features)}/${formatCount(scope.allFeatures)} 个要素` : null
  return { label, counts }
}

const CEILING_SENSITIVITIES: Record<KioskCeiling, Sensitivity[]> = { public: ['public'], internal: ['public', 'internal'] }

/**
 * The filters that show an administrator what a kiosk link will show: the link's filter with its
 * ceiling as a sensitivity filter (the server applies a ceiling exactly so). Null when the link's own
 * sensitivity filter and its ceiling leave nothing.
 */
export function kioskPreviewFilters(ceiling: KioskCeiling, query: string): FilterState | null {
  const f = query.trim() ? filtersFromQuery(Object.fromEntries(new URLSearchParams(query.trim().replace(/^\?/, '')))) : emptyFilters()
  const allowed = CEILING_SENSITIVITIES[ceiling]
  const sensitivity = f.sensitivity.length ? f.sensitivity.filter((s) => (allowed as string[]).includes(s)) : allowed
  if (sensitivity.length === 0) return null
  return { ...f, sensitivity }
}

/**
 * "此链接的大屏将显示：仅公开数据，840 个要素，重大风险 0 处（全部数据为 20,171 个要素、重大风险 225 处）":
 * what a kiosk link will show, and — when its ceiling hides some of it — what the same filter shows
 * without the ceiling, so that a public wall's "0" is a choice made knowingly.
 */
export function kioskPreviewText(
  ceiling: KioskCeiling,
  parts: readonly string[],
  shown: { features: number; red: number } | null,
  all?: { features: number; red: number } | null,
): string {
  const what = [ceiling === 'public' ? '仅公开数据' : '公开和内部数据（不含受限数据）', ...parts].join(' · ')
  if (!shown) return `此链接的大屏将显示：${what}，没有任何要素`
  const hidden = all && (all.features !== shown.features || all.red !== shown.red)
    ? `（全部数据为 ${formatCount(all.features)} 个要素、重大风险 ${formatCount(all.red)} 处）`
    : ''
  return `此链接的大屏将显示：${what}，${formatCount(shown.features)} 个要素，重大风险 ${formatCount(shown.red)} 处${hidden}`
}
