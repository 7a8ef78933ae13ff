import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import type { DataResource } from '../domain/types.js'
import { districtKey, sourceIsStale, type HarvestStatus } from '../domain/federation.js'
import { featureKindsSql, seesInventory, type ScopedRule } from '../selection/catalog.js'

/**
 * The city's view of its districts: each district atlas harvested (and the atlas's own data, and each
 * DCAT source) side by side — reporting progress, coverage of annex 1's sub-categories, freshness and
 * its features — from the resources the viewer may see. One row per district, then per department.
 */

export interface FreshnessTally {
  /** Resources judged against an update cycle. */
  judged: number
  onTime: number
  overdue: number
  /** onTime / judged, or null when none is judged. */
  rate: number | null
}

export interface DistrictSummary {
  /** districtKey: the district's code, `local`, or `source-<id>` (the filter value of the map and catalog). */
  key: string
  code: string | null
  name: string
  source: { id: number; name: string; kind: string; lastSuccessAt: string | null; stale: boolean; lastJobStatus: HarvestStatus | null } | null
  departments: number
  reportedDepartments: number
  resources: number
  features: number
  majorRisks: number
  coverage: { covered: number; total: number }
  freshness: FreshnessTally
}

export interface DepartmentSummary {
  id: number
  name: string
  resources: number
  features: number
  reported: boolean | null
  coverage: number
  freshness: FreshnessTally
}

function freshnessOf(resources: readonly DataResource[]): FreshnessTally {
  let judged = 0, onTime = 0, overdue = 0
  for (const r of resources) {
    const s = r.freshness.status
    if (s === 'not-judged') continue
    judged++
    if (s === 'on-time' || s === 'due-soon') onTime++
    else overdue++
  }
  return { judged, onTime, overdue, rate: judged ? onTime / judged : null }
}

/** Feature and red-feature counts per resource, of the kinds and levels the rule lets the viewer count. */
async function featureCounts(db: Db, ids: number[], rule: ScopedRule): Promise<Map<number, { n: number; red: number }>> {
  const out = new Map<number, { n: number; red: number }>()
  if (!ids.length) return out
  const rows = await db.kysely.selectFrom('feature_summary as t').select(['t.resource_id', 't.risk_level', (eb) => eb.fn.sum<number>('t.n').as('n')])
    .where(oneOf(db.engine, 't.resource_id', ids)).where(featureKindsSql(rule.within, 't')).groupBy(['t.resource_id', 't.risk_level']).execute()
  for (const r of rows) {
    const c = out.get(r.resource_id) ?? { n: 0, red: 0 }
    c.n += Number(r.n)
    if (r.risk_level === 'red') c.red += Number(r.n)
    out.set(r.resource_id, c)
  }
  return out
}

/** Whether each department reported in its survey round: harvested ones as their district said, this atlas's in its latest round. */
async function reportingOf(db: Db): Promise<Map<number, boolean | null>> {
  const out = new Map<number, boolean | null>()
  const departments = await db.kysely.selectFrom('departments').select(['id', 'source_id', 'reporting']).execute()
  const round = await db.kysely.selectFrom('survey_rounds').select('id').orderBy('systems_deadline', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const local = new Map((round ? await db.kysely.selectFrom('survey_round_departments').selectAll().where('round_id', '=', round.id).execute() : [])
    .map((r) => [r.department_id, r.no_systems === 1 || r.resources_reported_at !== null]))
  for (const d of departments) {
    if (d.source_id === null) {
      out.set(d.id, local.has(d.id) ? local.get(d.id)! : null)
      continue
    }
    let reported: boolean | null = null
    try {
      const r = d.reporting ? JSON.parse(d.reporting) as { noSystems?: boolean; resourcesReportedAt?: string | null } : null
      reported = r ? Boolean(r.noSystems || r.resourcesReportedAt) : null
    } catch {
      reported = null
    }
    out.set(d.id, reported)
  }
  return out
}

export interface CityContext {
  db: Db
  now: Date
  rule: ScopedRule
  /** What the atlas's own data is called (its district, or 市本级 at a city atlas). */
  localName: string
  localCode: string | null
  subcategoryTotal: number
}

/** Each district's row: its source's health, reporting, coverage, freshness and features (of what the viewer sees). */
export async function districtSummaries(ctx: CityContext, resources: readonly DataResource[]): Promise<DistrictSummary[]> {
  const { db } = ctx
  const sources = await db.kysely.selectFrom('harvest_sources').selectAll().orderBy('id').execute()
  const lastJobs = new Map((await db.kysely.selectFrom('harvest_jobs').select(['source_id', 'status'])
    .where('id', 'in', (eb) => eb.selectFrom('harvest_jobs').select((e) => e.fn.max('id').as('id')).groupBy('source_id')).execute())
    .map((j) => [j.source_id, j.status as HarvestStatus]))
  const features = await featureCounts(db, resources.map((r) => r.id), ctx.rule)
  const reporting = await reportingOf(db)
  const departments = await db.kysely.selectFrom('departments').select(['id', 'source_id', 'district_code']).execute()

  const groups = new Map<string, DistrictSummary>()
  const group = (key: string, init: () => Omit<DistrictSummary, 'departments' | 'reportedDepartments' | 'resources' | 'features' | 'majorRisks' | 'coverage' | 'freshness'>) => {
    let g = groups.get(key)
    if (!g) {
      g = { ...init(), departments: 0, reportedDepartments: 0, resources: 0, features: 0, majorRisks: 0, coverage: { covered: 0, total: ctx.subcategoryTotal }, freshness: freshnessOf([]) }
      groups.set(key, g)
    }
    return g
  }
  const local = () => group('local', () => ({ key: 'local', code: ctx.localCode, name: ctx.localName, source: null }))
  if (resources.some((r) => r.origin === null) || departments.some((d) => d.source_id === null)) local()
  for (const s of sources) {
    const key = districtKey({ sourceId: s.id, districtCode: s.district_code })
    group(key, () => ({
      key, code: s.district_code, name: s.district_name ?? s.name,
      source: {
        id: s.id, name: s.name, kind: s.kind, lastSuccessAt: s.last_success_at, lastJobStatus: lastJobs.get(s.id) ?? null,
        stale: s.enabled === 1 && sourceIsStale({ scheduleMinutes: s.schedule_minutes, lastSuccessAt: s.last_success_at, createdAt: s.created_at }, ctx.now),
      },
    }))
  }
  const sourceKeys = new Map(sources.map((s) => [s.id, districtKey({ sourceId: s.id, districtCode: s.district_code })]))
  // Visitors and public walls see departments only through the resources they may see.
  const inventory = seesInventory(ctx.rule)
  const shown = new Set(resources.map((r) => r.departmentId))
  for (const d of departments) {
    if (!inventory && !shown.has(d.id)) continue
    const key = d.source_id === null ? 'local' : sourceKeys.get(d.source_id)
    const g = key ? groups.get(key) : undefined
    if (!g) continue
    g.departments++
    if (reporting.get(d.id)) g.reportedDepartments++
  }
  const byGroup = new Map<string, DataResource[]>()
  for (const r of resources) {
    const key = districtKey(r.origin)
    let list = byGroup.get(key)
    if (!list) byGroup.set(key, (list = []))
    list.push(r)
  }
  for (const [key, list] of byGroup) {
    const g = groups.get(key) ?? (key === 'local' ? local() : null)
    if (!g) continue
    g.resources = list.length
    g.coverage.covered = new Set(list.map((r) => r.subcategoryCode)).size
    g.freshness = freshnessOf(list)
    for (const r of list) {
      const f = features.get(r.id)
      if (f) {
        g.features += f.n
        g.majorRisks += f.red
      }
    }
  }
  return [...groups.values()]
}

/** One district's departments side by side (of what the viewer sees). */
export async function departmentSummaries(ctx: CityContext, resources: readonly DataResource[], key: string): Promise<DepartmentSummary[]> {
  const mine = resources.filter((r) => districtKey(r.origin) === key)
  const features = await featureCounts(ctx.db, mine.map((r) => r.id), ctx.rule)
  const reporting = await reportingOf(ctx.db)
  const byDepartment = new Map<number, DataResource[]>()
  for (const r of mine) {
    let list = byDepartment.get(r.departmentId)
    if (!list) byDepartment.set(r.departmentId, (list = []))
    list.push(r)
  }
  return [...byDepartment.entries()].map(([id, list]) => ({
    id, name: list[0]!.departmentName, resources: list.length,
    features: list.reduce((n, r) => n + (features.get(r.id)?.n ?? 0), 0),
    reported: reporting.get(id) ?? null,
    coverage: new Set(list.map((r) => r.subcategoryCode)).size,
    freshness: freshnessOf(list),
  }))
}
