import { Hono } from 'hono'
import { z } from 'zod'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { notFound } from '../http/errors.js'
import { validate } from '../http/validate.js'
import { resolveFilter } from '../selection/resolve.js'
import { scopeOf } from '../selection/scope.js'
import { featureFilterSchema } from '../selection/filters.js'
import { departmentSummaries, districtSummaries, type CityContext } from './queries.js'

const cityFilter = featureFilterSchema.omit({ bbox: true, district: true })

/**
 * The city's view of its districts (GET /api/city/districts): each district side by side, and one
 * district's departments (GET /api/city/districts/:key/departments), over the resources the viewer may
 * see and the request's filters. At a district atlas the one row is the atlas's own.
 */
export function cityRoutes(deps: AppDeps) {
  const { db } = deps
  const context = async (c: Parameters<typeof scopeOf>[0], filter: z.infer<typeof cityFilter>) => {
    const resolved = await resolveFilter(deps, filter, scopeOf(c))
    const focus = await db.kysely.selectFrom('regions').select(['code', 'name']).where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirst()
    const total = await db.kysely.selectFrom('subcategories').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const city = (deps.role ?? 'district') === 'city'
    const ctx: CityContext = {
      db, now: deps.now(), rule: resolved.rule, subcategoryTotal: Number(total.n),
      localName: city ? '市本级' : focus?.name ?? '本区县', localCode: city ? null : focus?.code ?? null,
    }
    return { ctx, resources: resolved.resources }
  }
  return new Hono()
    .get('/city/districts', allow('public-read'), validate('query', cityFilter), async (c) => {
      const { ctx, resources } = await context(c, c.req.valid('query'))
      return c.json({ role: deps.role ?? 'district', items: await districtSummaries(ctx, resources) })
    })
    .get('/city/districts/:key/departments', allow('public-read'),
      validate('param', z.object({ key: z.string().regex(/^(local|\d{6}|source-[1-9]\d{0,15})$/, 'must be a district code, local or source-<id>') })),
      validate('query', cityFilter), async (c) => {
        const { key } = c.req.valid('param')
        const { ctx, resources } = await context(c, c.req.valid('query'))
        const district = (await districtSummaries(ctx, resources)).find((d) => d.key === key)
        if (!district) throw notFound('district', key)
        return c.json({ district, items: await departmentSummaries(ctx, resources, key) })
      })
}
