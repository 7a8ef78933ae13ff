import { Hono } from 'hono'
import { allow } from '../auth/allow.js'
import type { AppDeps } from '../db/deps.js'
import { forbidden } from '../http/errors.js'
import { featureFilterSchema } from '../selection/filters.js'
import { resolveFilter } from '../selection/resolve.js'
import { validate } from '../http/validate.js'
import { scopeOf } from '../selection/scope.js'
import { mayExport } from '../domain/access.js'
import { chaseListWorkbook } from './export.js'
import { departmentScorecards, monthlyOnTimeRates, supervisedResources } from './queries.js'

const supervisionFilter = featureFilterSchema.omit({ bbox: true })

/** Freshness supervision: per-resource status, department scorecards with a 12-month trend, and the 督办清单 export. */
export function supervisionRoutes(deps: AppDeps) {
  const { db } = deps
  const departmentsIn = async (only: number[] | undefined) => {
    const rows = await db.kysely.selectFrom('departments').select(['id', 'name']).orderBy('sort_order').orderBy('id').execute()
    return only?.length ? rows.filter((r) => only.includes(r.id)) : rows
  }
  return new Hono()
    .get('/freshness', allow('read'), validate('query', supervisionFilter), async (c) => {
      const now = deps.now()
      const { resources, resourceIds, filter: f } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      const departments = await departmentsIn(f.department)
      const rows = await supervisedResources(db, resources)
      const scorecards = departmentScorecards(rows, resources, departments)
      const trend = await monthlyOnTimeRates(db, resourceIds, departments, now)
      return c.json({ generatedAt: now.toISOString(), resources: rows, ...scorecards, trend })
    })
    .get('/chase-list.xlsx', allow('read', { audit: 'export' }), validate('query', supervisionFilter), async (c) => {
      const now = deps.now()
      const { resources, filter: f } = await resolveFilter(deps, c.req.valid('query'), scopeOf(c))
      if (!mayExport(c.get('viewer'), f.department ?? null)) throw forbidden('当前角色不能导出督办清单')
      const rows = (await supervisedResources(db, resources)).filter((r) => r.status === 'overdue').sort((a, b) => b.overdueMs - a.overdueMs)
      const departments = await departmentsIn(f.department)
      const departmentName = f.department?.length ? departments.map((d) => d.name).join('、') : null
      const body = await chaseListWorkbook(departmentName, rows, now)
      const file = `督办清单${departmentName ? `-${departmentName}` : ''}-${now.toISOString().slice(0, 10)}.xlsx`
      c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      c.header('Content-Disposition', `attachment; filename="chase-list.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`)
      return c.body(new Uint8Array(body))
    })
}
