import type { AppDeps } from '../deps.js'
import { badRequest } from '../http/errors.js'
import type { DataResource } from '../domain/types.js'
import { withinScope, type Scope } from '../auth/scope.js'
import { narrowsResources, type FeatureFilter } from './filters.js'
import { matchingResources, unknownFilterValues } from './queries.js'

export interface ResolvedFilter {
  resources: DataResource[]
  /** Whether the filter (or the viewer's scope) narrows the resources at all. */
  narrowed: boolean
  /** The matched resource ids, or null when every resource matches. */
  resourceIds: number[] | null
  /** The filter actually applied: the request's, narrowed to the scope's base filter. */
  filter: FeatureFilter
  /** Whether that filter narrows anything (the viewer's sensitivity rule aside). */
  filtered: boolean
}

/**
 * Checks filter values against the live catalog (unknown codes → 400 naming the parameter) and
 * resolves the filter to the matching resources the viewer may see: maps, tables, charts, tiles and
 * exports all start from this set, so sensitivity applies to all of them alike.
 */
export async function resolveFilter(deps: AppDeps, requested: FeatureFilter, scope: Scope): Promise<ResolvedFilter> {
  await assertKnownValues(deps, requested)
  const f = withinScope(requested, scope)
  const resources = await matchingResources(deps.db, f, deps.now(), scope.rule)
  const filtered = narrowsResources(f) || Boolean(f.kind?.length || f.risk?.length)
  const narrowed = filtered || !scope.rule.all
  return { resources, narrowed, resourceIds: narrowed ? resources.map((r) => r.id) : null, filter: f, filtered }
}

/** The ids of every resource a scope may see, or null when it sees them all (no query then). */
export async function visibleResourceIds(deps: AppDeps, scope: Scope): Promise<number[] | null> {
  if (scope.rule.all && !scope.base) return null
  return (await resolveFilter(deps, {}, scope)).resourceIds
}

/** Unknown domain, sub-category or department codes in a filter → 400 naming the parameter. */
export async function assertKnownValues(deps: AppDeps, f: FeatureFilter): Promise<void> {
  const unknown = await unknownFilterValues(deps.db, f)
  if (unknown) throw badRequest(unknown.parameter, `unknown ${unknown.parameter}: ${unknown.values.join(', ')}`)
}
