import type { AppDeps } from '../db/deps.js'
import { badRequest, notFound } from '../http/errors.js'
import type { DataResource, InfoSystem } from '../domain/types.js'
import type { FeatureKind, RiskLevel } from '../domain/enums.js'
import { withinScope, type Scope } from './scope.js'
import { narrowsResources, type FeatureFilter } from './filters.js'
import { departmentNames, listSystems, matchingResources, unknownFilterValues, type ScopedRule } from './catalog.js'

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
  /** The scope's rule with a wall's filter resolved, for the queries that list departments, systems and counts. */
  rule: ScopedRule
}

/**
 * The scope's visibility rule with a wall screen's link filter resolved to the resources it covers
 * (and its feature kinds and risk levels), judged now. Every catalog query that lists or counts takes
 * this, so a wall's filter is part of its ceiling everywhere, not only where a route remembers it.
 */
export async function scopedRule(deps: AppDeps, scope: Scope): Promise<ScopedRule> {
  const base = scope.base
  if (!base || !(narrowsResources(base) || base.kind?.length || base.risk?.length)) return { ...scope.rule, within: null }
  const resources = await matchingResources(deps.db, base, deps.now(), scope.rule)
  return { ...scope.rule, within: { resources: resources.map((r) => r.id), kind: base.kind, risk: base.risk } }
}

/**
 * Checks filter values against the live catalog (unknown codes → 400 naming the parameter) and
 * resolves the filter to the matching resources the viewer may see: maps, tables, charts, tiles and
 * exports all start from this set, so sensitivity applies to all of them alike.
 */
export async function resolveFilter(deps: AppDeps, requested: FeatureFilter, scope: Scope): Promise<ResolvedFilter> {
  await assertKnownValues(deps, requested)
  const rule = await scopedRule(deps, scope)
  const f = withinScope(requested, scope)
  const resources = await matchingResources(deps.db, f, deps.now(), rule)
  const filtered = narrowsResources(f) || Boolean(f.kind?.length || f.risk?.length)
  const narrowed = filtered || !scope.rule.all
  return { resources, narrowed, resourceIds: narrowed ? resources.map((r) => r.id) : null, filter: f, filtered, rule }
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

// What a viewer may not see does not exist for them: the same 404 as a missing id, for every method,
// before any check of what they may do with it (a 403 would tell that it exists).

/** The resource with this id if the scope may see it; otherwise 404, exactly as if it did not exist. */
export async function visibleResource(deps: AppDeps, scope: Scope, id: number): Promise<DataResource> {
  const [found] = (await resolveFilter(deps, { resource: [id] }, scope)).resources
  if (!found) throw notFound('resource', id)
  return found
}

/** The information system with this id if the scope may see it; otherwise 404, exactly as if it did not exist. */
export async function visibleSystem(deps: AppDeps, scope: Scope, id: number): Promise<InfoSystem> {
  const [found] = await listSystems(deps.db, { system: [id] }, await scopedRule(deps, scope))
  if (!found) throw notFound('system', id)
  return found
}

/** The department with this id if the scope may see it; otherwise 404, exactly as if it did not exist. */
export async function visibleDepartment(deps: AppDeps, scope: Scope, id: number): Promise<{ id: number; name: string }> {
  const found = (await departmentNames(deps.db, await scopedRule(deps, scope))).find((d) => d.id === id)
  if (!found) throw notFound('department', id)
  return found
}

/**
 * The resource of a feature if the scope may see the feature: the resource is visible and the
 * feature is of a kind and risk level its filter (a wall's included) allows; null otherwise.
 */
export async function visibleFeatureResource(deps: AppDeps, scope: Scope, feature: { resourceId: number; kind: string; riskLevel: string | null }): Promise<DataResource | null> {
  const { resources: [resource], filter } = await resolveFilter(deps, { resource: [feature.resourceId] }, scope)
  if (!resource) return null
  if (filter.kind?.length && !filter.kind.includes(feature.kind as FeatureKind)) return null
  if (filter.risk?.length && !(feature.riskLevel !== null && filter.risk.includes(feature.riskLevel as RiskLevel))) return null
  return resource
}
