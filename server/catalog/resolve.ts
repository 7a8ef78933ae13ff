import type { AppDeps } from '../deps.js'
import { badRequest } from '../http/errors.js'
import type { DataResource } from '../domain/types.js'
import { narrowsResources, type FeatureFilter } from './filters.js'
import { matchingResources, unknownFilterValues } from './queries.js'

export interface ResolvedFilter {
  resources: DataResource[]
  /** Whether the filter narrows the resources at all. */
  narrowed: boolean
  /** The matched resource ids, or null when every resource matches. */
  resourceIds: number[] | null
}

/**
 * Checks filter values against the live catalog (unknown codes → 400 naming the parameter) and
 * resolves the filter to the matching resources: maps, tables and charts all start from this set.
 */
export async function resolveFilter(deps: AppDeps, f: FeatureFilter): Promise<ResolvedFilter> {
  await assertKnownValues(deps, f)
  const resources = await matchingResources(deps.db, f, deps.now())
  const narrowed = narrowsResources(f) || Boolean(f.kind?.length || f.risk?.length)
  return { resources, narrowed, resourceIds: narrowed ? resources.map((r) => r.id) : null }
}

/** Unknown domain, sub-category or department codes in a filter → 400 naming the parameter. */
export async function assertKnownValues(deps: AppDeps, f: FeatureFilter): Promise<void> {
  const unknown = await unknownFilterValues(deps.db, f)
  if (unknown) throw badRequest(unknown.parameter, `unknown ${unknown.parameter}: ${unknown.values.join(', ')}`)
}
