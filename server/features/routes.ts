import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter, visibleFeatureResource } from '../selection/resolve.js'
import { notFound } from '../http/errors.js'
import { scopeOf } from '../selection/scope.js'
import { idParam, validate } from '../http/validate.js'
import type { Provenance } from '../domain/types.js'
import { featureById, listRegions, queryFeatures } from './queries.js'

const featureQuery = featureFilterSchema.extend({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(1000),
  after: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').default(0),
})

/** Map routes: features as RFC 7946 GeoJSON, and the district boundaries and grid. */
export function geoRoutes(deps: AppDeps) {
  const { db } = deps
  return new Hono()
    .get('/features', allow('public-read'), validate('query', featureQuery), async (c) => {
      const { limit, after, ...requested } = c.req.valid('query')
      const { resources, resourceIds, filter: f } = await resolveFilter(deps, requested, scopeOf(c))
      // Every feature returned belongs to one of these resources (all of them when nothing narrows).
      const facts = new Map(resources.map((r) => [r.id, { departmentId: r.departmentId, domainCode: r.domainCode, subcategoryCode: r.subcategoryCode }]))
      const { features, hasMore } = await queryFeatures(db, { resourceIds, kind: f.kind, risk: f.risk, bbox: f.bbox, afterId: after, limit }, facts)
      const links: { rel: string; href: string; type: string }[] = []
      if (hasMore) {
        const next = new URL(c.req.url)
        next.searchParams.set('after', String(features[features.length - 1]!.id))
        links.push({ rel: 'next', href: `${next.pathname}${next.search}`, type: 'application/geo+json' })
      }
      c.header('Content-Type', 'application/geo+json; charset=utf-8')
      return c.body(JSON.stringify({ type: 'FeatureCollection', features, numberReturned: features.length, links }))
    })
    .get('/features/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const feature = await featureById(db, id)
      if (!feature) throw notFound('feature', id)
      // A feature of a resource the viewer may not see, or outside a wall screen's filter, does not exist for them.
      const { resourceId, kind, riskLevel } = feature.properties
      const resource = await visibleFeatureResource(deps, scopeOf(c), { resourceId, kind, riskLevel })
      if (!resource) throw notFound('feature', id)
      const domain = await db.kysely.selectFrom('domains').select(['code', 'name']).where('code', '=', resource.domainCode).executeTakeFirst()
      const sub = await db.kysely.selectFrom('subcategories').select(['code', 'name']).where('code', '=', resource.subcategoryCode).executeTakeFirst()
      const provenance: Provenance = {
        department: { id: resource.departmentId, name: resource.departmentName },
        system: { id: resource.systemId, name: resource.systemName },
        resource: { id: resource.id, name: resource.name, category: resource.category, updateCycle: resource.updateCycle, sensitivity: resource.sensitivity },
        domain: { code: domain?.code ?? resource.domainCode, name: domain?.name ?? '' },
        subcategory: { code: sub?.code ?? resource.subcategoryCode, name: sub?.name ?? '' },
        freshness: resource.freshness,
      }
      c.header('Content-Type', 'application/geo+json; charset=utf-8')
      return c.body(JSON.stringify({ ...feature, properties: { ...feature.properties, provenance } }))
    })
    .get('/regions', allow('open'), validate('query', z.object({ type: z.enum(['district', 'grid'], { message: 'must be district or grid' }).default('district') })), async (c) => {
      const { type } = c.req.valid('query')
      c.header('Content-Type', 'application/geo+json; charset=utf-8')
      const city = (deps.role ?? 'district') === 'city'
      c.header('Cache-Control', `public, max-age=${city ? 60 : 3600}`)
      return c.body(JSON.stringify({ type: 'FeatureCollection', features: await listRegions(db, type, city) }))
    })
}
