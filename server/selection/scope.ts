import type { Context } from 'hono'
import { featureFilterSchema, type FeatureFilter } from './filters.js'
import { visibilityOf, type Viewer, type VisibilityRule } from '../domain/access.js'

/**
 * What one request may see: the sensitivity rule of its viewer and, for a wall screen, the filter its
 * kiosk link is bound to. Every query that lets catalog data out takes a Scope.
 */
export interface Scope {
  rule: VisibilityRule
  /** A kiosk link's filter: requests can narrow it but never widen it. */
  base: FeatureFilter | null
  /** Stable key of rule + base, for caches. */
  key: string
}

/** Sees everything: for server-side jobs (tile prebuild, tests of the queries themselves). */
export const EVERYTHING: Scope = { rule: { all: true, sensitivities: ['public', 'internal', 'restricted'], restrictedDepartments: [], key: 'all' }, base: null, key: 'all' }

const kioskFilterSchema = featureFilterSchema.omit({ bbox: true, q: true })

/** A kiosk link's query string as a filter; unknown keys are ignored, bad values make it match nothing. */
function kioskFilter(query: string): FeatureFilter {
  const parsed = kioskFilterSchema.safeParse(Object.fromEntries(new URLSearchParams(query)))
  return parsed.success ? (parsed.data as FeatureFilter) : { resource: [0] }
}

/** Whether a kiosk query string is a valid filter (checked when a link is created). */
export function kioskQueryProblem(query: string): string | null {
  const params = Object.fromEntries(new URLSearchParams(query))
  const r = kioskFilterSchema.safeParse(params)
  if (!r.success) return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  return null
}

function scopeOfViewer(viewer: Viewer): Scope {
  const rule = visibilityOf(viewer)
  const base = viewer.kind === 'kiosk' ? kioskFilter(viewer.kiosk.query) : null
  return { rule, base, key: rule.key }
}

/** The scope of the request being handled. */
export function scopeOf(c: Context): Scope {
  return scopeOfViewer(c.get('viewer') ?? { kind: 'anonymous' })
}


type ListKey = 'domain' | 'subcategory' | 'department' | 'system' | 'resource' | 'updateCycle' | 'sharingMode' | 'sensitivity' | 'freshness' | 'district' | 'kind' | 'risk'
const LIST_KEYS: ListKey[] = ['domain', 'subcategory', 'department', 'system', 'resource', 'updateCycle', 'sharingMode', 'sensitivity', 'freshness', 'district', 'kind', 'risk']

/** A request's filter narrowed to the scope's base filter (a kiosk link's view): each list becomes the intersection. */
export function withinScope<F extends FeatureFilter>(f: F, scope: Scope): F {
  if (!scope.base) return f
  const out = { ...f } as Record<string, unknown>
  for (const key of LIST_KEYS) {
    const base = scope.base[key] as (string | number)[] | undefined
    if (!base?.length) continue
    const asked = f[key] as (string | number)[] | undefined
    // An empty intersection must match nothing, not everything: keep an impossible value.
    const both = asked?.length ? asked.filter((v) => base.includes(v)) : base
    out[key] = both.length ? both : key === 'resource' || key === 'department' || key === 'system' ? [0] : ['\u0000']
  }
  return out as F
}
