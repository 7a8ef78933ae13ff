import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import { FRESHNESS_STATUSES, REPORT_STATUSES, RISK_LEVELS, UPDATE_CYCLES, type FeatureKind, type FreshnessStatus, type ReportStatus, type RiskLevel } from '../domain/enums.js'
import { onTimeRate } from '../domain/freshness.js'
import type { DataResource, DepartmentReport, Domain } from '../domain/types.js'
import type { FeatureFilter } from '../selection/filters.js'
import { tallyCounts } from './tally-index.js'

type TallyKey = 'resource_id' | 'kind' | 'risk_level' | 'district_code' | 'cell_id'

/**
 * Feature counts from the trigger-kept tallies, grouped by the given keys, for some resources (null: all).
 * Only a grouping by grid cell needs the fine tally; everything else reads the small summary.
 */
export async function featureCounts<K extends TallyKey>(db: Db, resourceIds: number[] | null, f: Pick<FeatureFilter, 'kind' | 'risk'>, by: K[]):
  Promise<(Record<K, string | number> & { n: number })[]> {
  if (resourceIds && resourceIds.length === 0) return []
  // Groupings by grid cell need the fine tally: kept in memory (tally-index.ts), not queried.
  if (by.includes('cell_id' as K) && !by.includes('resource_id' as K)) {
    return await tallyCounts(db, resourceIds, f.kind, f.risk, by as Exclude<K, 'resource_id'>[]) as (Record<K, string | number> & { n: number })[]
  }
  const table = by.includes('cell_id' as K) ? 'feature_tally' : 'feature_summary'
  const cols = by.map((k) => sql.ref(k))
  const where = [
    // One parameter rather than ten thousand bound values: no statement of unbounded size.
    resourceIds ? oneOf(db.engine, 'resource_id', resourceIds) : sql`1 = 1`,
    f.kind?.length ? sql`kind IN (${sql.join(f.kind)})` : sql`1 = 1`,
    f.risk?.length ? sql`risk_level IN (${sql.join(f.risk)})` : sql`1 = 1`,
  ]
  // In group order on both engines (SQLite's GROUP BY gives it; PostgreSQL's hash aggregation does not): charts list in this order.
  const r = await sql<Record<K, string | number> & { n: number }>`
    SELECT ${by.length ? sql`${sql.join(cols)},` : sql``} sum(n) AS n FROM ${sql.table(table)}
    WHERE ${sql.join(where, sql` AND `)}
    ${by.length ? sql`GROUP BY ${sql.join(cols)} ORDER BY ${sql.join(cols)}` : sql``}`.execute(db.kysely)
  return r.rows.map((row) => ({ ...row, n: Number(row.n ?? 0) }))
}

function zeroCounts<C extends string>(codes: readonly { code: C }[]): Record<C, number> {
  return Object.fromEntries(codes.map((c) => [c.code, 0])) as Record<C, number>
}

export function freshnessCounts(resources: DataResource[]): Record<FreshnessStatus, number> {
  const counts = zeroCounts(FRESHNESS_STATUSES)
  for (const r of resources) counts[r.freshness.status]++
  return counts
}

export function reportCounts(reports: DepartmentReport[]): Record<ReportStatus, number> {
  const counts = zeroCounts(REPORT_STATUSES)
  for (const r of reports) counts[r.status]++
  return counts
}

/** The dashboard's headline numbers for the matched resources. */
export async function overview(db: Db, resources: DataResource[], narrowed: boolean, f: FeatureFilter, reports: DepartmentReport[]) {
  const ids = narrowed ? resources.map((r) => r.id) : null
  const systems = narrowed
    ? new Set(resources.map((r) => r.systemId)).size
    : Number((await db.kysely.selectFrom('systems').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  // Items per resource are kept by triggers (migration 0004): no scan of half a million data items.
  const items = ids && ids.length === 0 ? 0 : Number((await db.kysely.selectFrom('resource_item_counts')
    .$if(ids !== null, (qb) => qb.where(oneOf(db.engine, 'resource_id', ids!)))
    .select((eb) => eb.fn.sum<number>('n').as('n')).executeTakeFirstOrThrow()).n ?? 0)
  const byRisk = await featureCounts(db, ids, f, ['risk_level'])
  const featuresByRisk = zeroCounts(RISK_LEVELS)
  let features = 0
  for (const row of byRisk) {
    features += row.n
    if (row.risk_level in featuresByRisk) featuresByRisk[row.risk_level as RiskLevel] += row.n
  }
  const freshness = freshnessCounts(resources)
  const rc = reportCounts(reports)
  return {
    departments: {
      total: reports.length,
      reported: reports.length - rc['not-started'],
      noSystems: rc['no-systems'],
      notStarted: rc['not-started'],
      late: reports.filter((r) => r.systemsLate || r.resourcesLate).length,
    },
    systems,
    resources: resources.length,
    items,
    features,
    featuresByRisk,
    overdueResources: freshness.overdue,
    freshness,
  }
}

/** Coverage of the live taxonomy's sub-categories: per domain and per department. */
export async function coverage(db: Db, domains: Domain[], resources: DataResource[], narrowed: boolean, f: FeatureFilter,
  departments: { id: number; name: string }[]) {
  const ids = narrowed ? resources.map((r) => r.id) : null
  const featRows = await featureCounts(db, ids, f, ['resource_id'])
  const featuresOf = new Map(featRows.map((r) => [Number(r.resource_id), r.n]))
  type Cell = { resources: number; features: number; monitoring: number; departments: Set<number> }
  const bySub = new Map<string, Cell>()
  const byDeptSub = new Map<string, Cell>()
  const bump = (m: Map<string, Cell>, k: string, r: DataResource) => {
    const c = m.get(k) ?? { resources: 0, features: 0, monitoring: 0, departments: new Set<number>() }
    c.resources++
    c.features += featuresOf.get(r.id) ?? 0
    if (r.purpose === 'monitoring') c.monitoring++
    c.departments.add(r.departmentId)
    m.set(k, c)
  }
  for (const r of resources) {
    bump(bySub, r.subcategoryCode, r)
    bump(byDeptSub, `${r.departmentId}:${r.subcategoryCode}`, r)
  }
  const plain = (c: Cell | undefined) => ({ resources: c?.resources ?? 0, features: c?.features ?? 0, monitoring: c?.monitoring ?? 0 })
  return {
    domains: domains.map((d) => {
      const subcategories = d.subcategories.map((s) => ({ code: s.code, name: s.name, ...plain(bySub.get(s.code)), departments: bySub.get(s.code)?.departments.size ?? 0 }))
      return { code: d.code, name: d.name, covered: subcategories.filter((s) => s.resources > 0).length, total: subcategories.length, subcategories }
    }),
    byDepartment: departments.map((dep) => ({
      departmentId: dep.id,
      name: dep.name,
      cells: domains.flatMap((d) => d.subcategories)
        .map((s) => ({ subcategoryCode: s.code, ...plain(byDeptSub.get(`${dep.id}:${s.code}`)) }))
        .filter((c) => c.resources > 0),
    })),
  }
}

export function updateCycleDistribution(resources: DataResource[]) {
  const counts = zeroCounts(UPDATE_CYCLES)
  for (const r of resources) counts[r.updateCycle]++
  return { cycles: UPDATE_CYCLES.map((c) => ({ code: c.code, label: c.label, resources: counts[c.code] })) }
}

/** Freshness totals and per-department on-time rates, ranked best first (departments with nothing judged last). */
export function freshnessByDepartment(resources: DataResource[], departments: { id: number; name: string }[]) {
  const totals = freshnessCounts(resources)
  const rows = departments.map((d) => {
    const counts = freshnessCounts(resources.filter((r) => r.departmentId === d.id))
    return { departmentId: d.id, name: d.name, counts, onTimeRate: onTimeRate(counts) }
  })
  const ranked = [...rows].filter((r) => r.onTimeRate !== null).sort((a, b) => b.onTimeRate! - a.onTimeRate!)
  return {
    totals,
    departments: rows.map((r) => ({ ...r, rank: r.onTimeRate === null ? null : ranked.indexOf(r) + 1 })),
  }
}

/** Risk levels by feature kind, by district and by grid cell. */
export async function riskBreakdown(db: Db, resourceIds: number[] | null, f: FeatureFilter) {
  const [coarse, fine] = await Promise.all([
    featureCounts(db, resourceIds, f, ['kind', 'risk_level', 'district_code']),
    featureCounts(db, resourceIds, f, ['cell_id', 'risk_level']),
  ])
  type Counts = Record<RiskLevel, number> & { ungraded: number; total: number }
  // Written out, not spread: thousands of cells, and V8's object spread is slow at that count.
  const empty = (): Counts => ({ red: 0, orange: 0, yellow: 0, blue: 0, ungraded: 0, total: 0 })
  const add = <K>(m: Map<K, Counts>, key: K, risk: string, n: number) => {
    const c = m.get(key) ?? empty()
    if (risk in c && risk !== 'ungraded' && risk !== 'total') c[risk as RiskLevel] += n
    else c.ungraded += n
    c.total += n
    m.set(key, c)
  }
  const byKind = new Map<FeatureKind, Counts>()
  const byDistrict = new Map<string, Counts>()
  const byCell = new Map<number, Counts>()
  for (const r of coarse) {
    add(byKind, String(r.kind) as FeatureKind, String(r.risk_level), r.n)
    if (r.district_code) add(byDistrict, String(r.district_code), String(r.risk_level), r.n)
  }
  for (const r of fine) if (Number(r.cell_id) >= 0) add(byCell, Number(r.cell_id), String(r.risk_level), r.n)
  const names = await db.kysely.selectFrom('regions').select(['code', 'name']).where('kind', '=', 'district').execute()
  const nameOf = new Map(names.map((n) => [n.code, n.name]))
  return {
    byKind: [...byKind].map(([kind, c]) => ({ kind, ...c })),
    byDistrict: [...byDistrict].map(([code, c]) => ({ code, name: nameOf.get(code) ?? code, ...c })).sort((a, b) => b.total - a.total),
    byCell: [...byCell].map(([cellId, c]) => ({ cellId, red: c.red, orange: c.orange, yellow: c.yellow, blue: c.blue, ungraded: c.ungraded, total: c.total }))
      .sort((a, b) => a.cellId - b.cellId),
  }
}
