import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter, visibleResourceIds } from '../selection/resolve.js'
import { listDomains } from '../selection/taxonomy.js'
import { AppError, badRequest, notFound } from '../http/errors.js'
import { validate } from '../http/validate.js'
import { scopeOf } from '../selection/scope.js'
import { featureCounts } from '../stats/queries.js'
import type { Geometry, Position } from '../geo/geometry.js'
import { anchorOf } from '../geo/geometry.js'
import { oneSourceConflicts } from './conflicts.js'
import { coverageMatrix } from './coverage.js'
import { featureForSurroundings, featuresByResourceKind, itemSources, regionIndex, resourceNames, systemSharing } from './queries.js'
import { sharingGaps } from './sharing.js'
import { spatialCoverage } from './spatial.js'
import { surroundings } from './surroundings.js'

const catalogFilter = featureFilterSchema.omit({ bbox: true })

const metres = (max: number) => z.coerce.number({ message: 'must be a number of metres' })
  .refine((n) => Number.isFinite(n), 'must be a number of metres').refine((n) => n > 0, 'must be greater than 0').refine((n) => n <= max, `must be at most ${max}`)

const surroundingsQuery = z.object({
  feature: z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a feature id').transform(Number).optional(),
  lon: z.coerce.number({ message: 'must be a number' }).min(73, 'must lie in 73..136 (China)').max(136, 'must lie in 73..136 (China)').optional(),
  lat: z.coerce.number({ message: 'must be a number' }).min(3, 'must lie in 3..54 (China)').max(54, 'must lie in 3..54 (China)').optional(),
  radius: metres(20_000).optional(),
  reach: metres(20_000).default(3000),
})

/** The analyses (分析研判): coverage matrix, one-source conflicts, sharing gaps, spatial coverage, incident surroundings. */
export function analysisRoutes(deps: AppDeps) {
  const { db } = deps
  const departments = () => db.kysely.selectFrom('departments').select(['id', 'name']).orderBy('sort_order').orderBy('id').execute()
  let names: Map<number, string> | null = null
  let namesAt = 0
  const resourceName = async () => {
    // Resource names change only through the forms; a few seconds' staleness is harmless for classifying.
    if (!names || Date.now() - namesAt > 10_000) [names, namesAt] = [await resourceNames(db), Date.now()]
    const m = names
    return (id: number) => m.get(id) ?? ''
  }
  return new Hono()
    .get('/coverage', allow('read'), validate('query', catalogFilter), async (c) => {
      const { resources } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      return c.json(coverageMatrix(await listDomains(db), await departments(), resources, await featuresByResourceKind(db)))
    })
    .get('/conflicts', allow('read'), validate('query', catalogFilter.extend({
      scope: z.enum(['subcategory', 'all'], { message: 'must be subcategory or all' }).default('subcategory'),
    })), async (c) => {
      const { scope, ...f } = c.req.valid('query')
      const { resources, resourceIds } = await resolveFilter(deps, f, scopeOf(c))
      return c.json(oneSourceConflicts(resources, await itemSources(db, resourceIds), scope))
    })
    .get('/sharing', allow('read'), validate('query', catalogFilter), async (c) => {
      const { resources } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      const domains = (await listDomains(db)).map((d) => ({ code: d.code, name: d.name }))
      return c.json(sharingGaps(resources, await systemSharing(db), await departments(), domains))
    })
    .get('/spatial', allow('read'), validate('query', catalogFilter), async (c) => {
      const { resourceIds, filter: f } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      const [fine, coarse, regions] = await Promise.all([
        featureCounts(db, resourceIds, f, ['cell_id']),
        featureCounts(db, resourceIds, f, ['district_code']),
        regionIndex(db),
      ])
      return c.json(spatialCoverage(fine, coarse, regions))
    })
    .get('/surroundings', allow('read'), validate('query', surroundingsQuery), async (c) => {
      const q = c.req.valid('query')
      const resourceIds = await visibleResourceIds(deps, scopeOf(c))
      const seen = resourceIds === null ? null : new Set(resourceIds)
      const visible = (id: number) => seen === null || seen.has(id)
      let centre: Position
      let radiusM: number
      let hazard: { id: number; name: string; riskLevel: string | null; impactRadiusM: number | null } | null = null
      if (q.feature !== undefined) {
        const f = await featureForSurroundings(db, q.feature)
        if (!f || !visible(f.resource_id)) throw notFound('feature', q.feature)
        if (f.kind !== 'hazard-source' && q.radius === undefined) throw badRequest('radius', 'radius is required unless the feature is a hazard source with an impact radius')
        centre = anchorOf(JSON.parse(f.geometry) as Geometry)
        const own = f.impact_radius_m && f.impact_radius_m > 0 ? f.impact_radius_m : null
        if (own === null && q.radius === undefined) throw badRequest('radius', 'this hazard source has no impact radius: give radius')
        radiusM = q.radius ?? own!
        hazard = { id: f.id, name: f.name, riskLevel: f.risk_level, impactRadiusM: f.impact_radius_m }
      } else {
        if (q.lon === undefined) throw badRequest('lon', 'give feature, or lon, lat and radius')
        if (q.lat === undefined) throw badRequest('lat', 'give feature, or lon, lat and radius')
        if (q.radius === undefined) throw badRequest('radius', 'a point needs a radius in metres')
        centre = [q.lon, q.lat]
        radiusM = q.radius
      }
      if (!Number.isFinite(radiusM)) throw new AppError(400, 'invalid_parameter', 'invalid radius', { parameter: 'radius' })
      return c.json({ hazard, ...(await surroundings(db, centre, radiusM, q.reach, await resourceName(), visible)) })
    })
}
