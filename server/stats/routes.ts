import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter } from '../selection/resolve.js'
import { departmentNames, type ScopedRule } from '../selection/catalog.js'
import { listDomains } from '../selection/taxonomy.js'
import { validate } from '../http/validate.js'
import { scopeOf } from '../selection/scope.js'
import { latestRound, reportsOf, harvestedReports } from '../survey/queries.js'
import { createHash } from 'node:crypto'
import { LruCache } from '../http/lru-cache.js'
import { coverage, featureCounts, freshnessByDepartment, overview, reportCounts, riskBreakdown, updateCycleDistribution } from './queries.js'
import type { Db } from '../db/connect.js'

/**
 * What an overview is limited to, so that a screen can say so ("仅公开数据 · 840/20,171 个要素"): the
 * viewer's clearance and, when the answer is narrowed by it or by a filter, how many features the
 * whole atlas holds. That total is a single count over everything — never a breakdown of what the
 * viewer may not see.
 */
async function scopeOfAnswer(db: Db, rule: ScopedRule, narrowed: boolean) {
  const clearance: 'all' | 'internal' | 'public' = rule.all ? 'all' : rule.sensitivities.includes('internal') ? 'internal' : 'public'
  const allFeatures = narrowed ? (await featureCounts(db, null, {}, []))[0]?.n ?? 0 : null
  return { clearance, ownRestricted: !rule.all && rule.restrictedDepartments.length > 0, allFeatures }
}

/** Risk breakdowns kept per data version: at a million features one counts thousands of grid cells. */
const RISK_KEPT = 200

const statsFilter = featureFilterSchema.omit({ bbox: true })

/** Dashboard statistics; every endpoint takes the same filters as the lists and the map. */
export function statsRoutes(deps: AppDeps) {
  const { db } = deps
  /** The departments a chart lists: those the filter names, and of a wall with a filter only those holding what it covers. */
  const departmentsIn = async (departmentFilter: number[] | undefined, rule: ScopedRule) => {
    const rows = await departmentNames(db, rule)
    return departmentFilter?.length ? rows.filter((r) => departmentFilter.includes(r.id)) : rows
  }
  const currentReports = async () => {
    const round = await latestRound(db)
    // A city counts its districts' departments too, each against its own district's deadlines.
    const local = round ? await reportsOf(db, round, deps.now()) : []
    return { round, reports: [...local, ...(await harvestedReports(db, deps.now()))] }
  }
  const riskKept = new LruCache<Awaited<ReturnType<typeof riskBreakdown>>>(RISK_KEPT)
  return new Hono()
    .get('/overview', allow('public-read'), validate('query', statsFilter), async (c) => {
      const { resources, narrowed, filter: f, rule } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      const { reports } = await currentReports()
      const shown = new Set((await departmentsIn(f.department, rule)).map((d) => d.id))
      const scoped = reports.filter((r) => shown.has(r.departmentId))
      const demo = await db.kysely.selectFrom('meta').select('value').where('key', '=', 'demo').executeTakeFirst()
      return c.json({ ...(await overview(db, resources, narrowed, f, scoped)), demo: demo !== undefined, scope: await scopeOfAnswer(db, rule, narrowed) })
    })
    .get('/coverage', allow('public-read'), validate('query', statsFilter), async (c) => {
      const { resources, narrowed, filter: f, rule } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      return c.json(await coverage(db, await listDomains(db), resources, narrowed, f, await departmentsIn(f.department, rule)))
    })
    .get('/update-cycles', allow('public-read'), validate('query', statsFilter), async (c) => {
      const { resources } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      return c.json(updateCycleDistribution(resources))
    })
    .get('/freshness', allow('public-read'), validate('query', statsFilter), async (c) => {
      const { resources, filter: f, rule } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      return c.json(freshnessByDepartment(resources, await departmentsIn(f.department, rule)))
    })
    .get('/risk', allow('public-read'), validate('query', statsFilter), async (c) => {
      const { resourceIds, filter: f } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      // The same resources, kinds and risks at the same data version count the same: counted once.
      const { features, catalog } = await db.versions.all()
      const ids = resourceIds === null ? 'all' : createHash('sha1').update(resourceIds.join(',')).digest('base64url')
      const key = `${features}.${catalog}|${ids}|${(f.kind ?? []).join(',')}|${(f.risk ?? []).join(',')}`
      let breakdown = riskKept.get(key)
      if (!breakdown) riskKept.set(key, (breakdown = await riskBreakdown(db, resourceIds, f)))
      return c.json(breakdown)
    })
    .get('/reporting', allow('read'), async (c) => {
      const { round, reports } = await currentReports()
      return c.json({ round, departments: reports, counts: reportCounts(reports) })
    })
}
