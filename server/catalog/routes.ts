import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import { z } from 'zod'
import type { AppDeps } from '../db/deps.js'
import { forbidden, notFound } from '../http/errors.js'
import { idParam, validate } from '../http/validate.js'
import { extentOfResources } from '../features/queries.js'
import { latestRound, reportsOf } from '../survey/queries.js'
import { freshnessCounts } from '../stats/queries.js'
import { onTimeRate } from '../domain/freshness.js'
import { featureFilterSchema, pagingSchema } from '../selection/filters.js'
import { departmentsOfDistricts } from '../selection/provenance.js'
import {
  countMatching, countsPerResource, extentsByResource, itemsOfResource, listDepartments, matchingItems, pageOf, searchCatalog, updatesOfResource,
  withCounts,
} from './queries.js'
import { listSystems } from '../selection/catalog.js'
import { assertKnownValues, resolveFilter, scopedRule, visibleResource } from '../selection/resolve.js'
import { scopeOf, withinScope } from '../selection/scope.js'
import { siteOrigin } from '../http/origin.js'
import { dataVersion } from '../tiles/queries.js'
import { listDomains } from '../selection/taxonomy.js'
import { PRODUCT_TITLE } from '../meta/routes.js'
import { dcatCatalog } from './dcat.js'

const listFilter = featureFilterSchema.omit({ bbox: true })

/** Catalog routes: departments → systems → resources → items, and search. */
export function catalogRoutes(deps: AppDeps) {
  const { db } = deps
  const statusLookup = async () => {
    const round = await latestRound(db)
    const reports = round ? await reportsOf(db, round, deps.now()) : []
    return { round, reports, statusOf: (id: number) => reports.find((r) => r.departmentId === id)?.status ?? null }
  }
  // Feature extents per resource take one scan of the features: kept until the features change.
  let extents: { version: string; byResource: Map<number, [number, number, number, number]> } | null = null
  const resourceExtents = async () => {
    const version = await dataVersion(db)
    if (extents?.version !== version) extents = { version, byResource: await extentsByResource(db) }
    return extents.byResource
  }
  return new Hono()
    .get('/departments', allow('public-read'), validate('query', listFilter), async (c) => {
      const f = c.req.valid('query')
      const scope = scopeOf(c)
      const { statusOf } = await statusLookup()
      const { resources, filtered, rule } = await resolveFilter(deps, f, scope)
      const onlyIds = filtered ? [...new Set(resources.map((r) => r.departmentId))] : undefined
      const items = filtered && onlyIds!.length === 0 ? [] : await listDepartments(db, statusOf, onlyIds, rule)
      // Under a filter a department counts its matching resources only, as every other panel does.
      return c.json({ items: filtered && items.length ? countMatching(items, resources, await countsPerResource(db, rule)) : items })
    })
    .get('/departments/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const scope = scopeOf(c)
      const { reports, statusOf } = await statusLookup()
      const rule = await scopedRule(deps, scope)
      const [department] = await listDepartments(db, statusOf, [id], rule)
      if (!department) throw notFound('department', id)
      const { resources } = await resolveFilter(deps, { department: [id] }, scope)
      const systems = await listSystems(db, withinScope({ department: [id] }, scope), rule)
      const counts = freshnessCounts(resources)
      const featureCounts = new Map((await withCounts(db, resources, rule)).map((r) => [r.id, r.featureCount]))
      const coverage = new Map<string, { domainCode: string; subcategoryCode: string; resources: number; features: number }>()
      for (const r of resources) {
        const cell = coverage.get(r.subcategoryCode) ?? { domainCode: r.domainCode, subcategoryCode: r.subcategoryCode, resources: 0, features: 0 }
        cell.resources++
        cell.features += featureCounts.get(r.id) ?? 0
        coverage.set(r.subcategoryCode, cell)
      }
      return c.json({
        department,
        systems,
        report: reports.find((r) => r.departmentId === id) ?? null,
        freshness: { counts, onTimeRate: onTimeRate(counts) },
        coverage: [...coverage.values()],
        bbox: await extentOfResources(db, resources.map((r) => r.id)),
      })
    })
    .get('/systems', allow('public-read'), validate('query', pagingSchema(500, 50).extend({ department: listFilter.shape.department, q: listFilter.shape.q })), async (c) => {
      const { page, pageSize, ...f } = c.req.valid('query')
      await assertKnownValues(deps, f)
      const scope = scopeOf(c)
      return c.json(pageOf(await listSystems(db, withinScope(f, scope), await scopedRule(deps, scope)), page, pageSize))
    })
    .get('/systems/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const scope = scopeOf(c)
      const { resources, rule } = await resolveFilter(deps, { system: [id] }, scope)
      const [system] = await listSystems(db, withinScope({ system: [id] }, scope), rule)
      if (!system) throw notFound('system', id)
      return c.json({ system, resources: await withCounts(db, resources, rule) })
    })
    .get('/resources', allow('public-read'), validate('query', listFilter.merge(pagingSchema(500, 50))), async (c) => {
      const { page, pageSize, ...f } = c.req.valid('query')
      const { resources, rule } = await resolveFilter(deps, f, scopeOf(c))
      const p = pageOf(resources, page, pageSize)
      return c.json({ ...p, items: await withCounts(db, p.items, rule) })
    })
    // The catalog as DCAT JSON-LD for the open-data portal: what the caller may see, filtered like the lists.
    .get('/catalog.jsonld', allow('public-read'), validate('query', listFilter.merge(pagingSchema(5000, 1000))), async (c) => {
      const { page, pageSize, ...f } = c.req.valid('query')
      const { resources, rule } = await resolveFilter(deps, f, scopeOf(c))
      const p = pageOf(resources, page, pageSize)
      const domains = await listDomains(db)
      const url = new URL(c.req.url)
      url.searchParams.delete('page')
      const body = dcatCatalog({
        origin: siteOrigin(c, deps.trustProxy === true),
        title: PRODUCT_TITLE,
        resources: await withCounts(db, p.items, rule),
        extents: await resourceExtents(),
        domains: new Map(domains.map((d) => [d.code, d.name])),
        subcategories: new Map(domains.flatMap((d) => d.subcategories.map((s) => [s.code, s.name] as const))),
        page, pageSize, total: p.total,
        listPath: `${url.pathname}${url.search}`,
        now: deps.now(),
      })
      c.header('Content-Type', 'application/ld+json; charset=utf-8')
      return c.body(JSON.stringify(body))
    })
    .get('/resources/:id', allow('public-read'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param')
      const scope = scopeOf(c)
      const found = await visibleResource(deps, scope, id)
      const [resource] = await withCounts(db, [found], await scopedRule(deps, scope))
      const [items, updates, bbox] = await Promise.all([itemsOfResource(db, id), updatesOfResource(db, id, 400), extentOfResources(db, [id])])
      return c.json({ resource, items, updates, bbox })
    })
    .get('/items', allow('public-read'), validate('query', listFilter.merge(pagingSchema(1000, 100))), async (c) => {
      const { page, pageSize, ...f } = c.req.valid('query')
      await assertKnownValues(deps, f)
      const scope = scopeOf(c)
      return c.json(await matchingItems(db, withinScope(f, scope), deps.now(), page, pageSize, await scopedRule(deps, scope)))
    })
    .get('/search', allow('public-read'), validate('query', z.object({
      q: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
      limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(20),
      district: featureFilterSchema.shape.district,
    })), async (c) => {
      const { q, limit, district } = c.req.valid('query')
      const scope = scopeOf(c)
      // A wall link is bound to one view; search would reach past it.
      if (scope.base) throw forbidden('大屏链接不提供检索')
      const departments = district?.length ? await departmentsOfDistricts(db, district) : null
      return c.json({ results: await searchCatalog(db, q, limit, await scopedRule(deps, scope), departments) })
    })
}
