import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import type { FreshnessStatus, UpdateCycle } from '../domain/enums.js'
import { CYCLE_PERIOD_MS, judgeFreshness, onTimeRate } from '../domain/freshness.js'
import type { DataResource, SupervisedResource } from '../domain/types.js'
import { freshnessByDepartment } from '../stats/queries.js'

/** The system form's reporter and phone, for resources whose own form left them blank. */
async function systemContacts(db: Db): Promise<Map<number, { filler: string; phone: string }>> {
  const rows = await db.kysely.selectFrom('systems').select(['id', 'filler', 'phone']).execute()
  return new Map(rows.map((r) => [r.id, { filler: r.filler, phone: r.phone }]))
}

/** The supervision rows of some resources (already judged at `now` by matchingResources). */
export async function supervisedResources(db: Db, resources: DataResource[]): Promise<SupervisedResource[]> {
  const contacts = await systemContacts(db)
  return resources.map((r) => ({
    id: r.id, name: r.name, departmentId: r.departmentId, departmentName: r.departmentName, systemId: r.systemId, systemName: r.systemName,
    updateCycle: r.updateCycle, periodMs: CYCLE_PERIOD_MS[r.updateCycle], lastUpdatedAt: r.freshness.lastUpdatedAt, dueAt: r.freshness.dueAt,
    status: r.freshness.status, overdueMs: r.freshness.overdueMs,
    filler: r.filler || contacts.get(r.systemId)?.filler || '', phone: r.phone || contacts.get(r.systemId)?.phone || '',
  }))
}

const CHINA_OFFSET_MS = 8 * 3_600_000

/**
 * The last `months` month-ends in China time (the current month's point is `now` itself), oldest first.
 * A month ends at 24:00 +08:00 on its last day.
 */
function monthEnds(now: Date, months: number): { month: string; at: Date }[] {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS)
  const out: { month: string; at: Date }[] = []
  for (let i = months - 1; i >= 0; i--) {
    const y = local.getUTCFullYear()
    const m = local.getUTCMonth() - i
    const start = new Date(Date.UTC(y, m, 1))
    const end = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - CHINA_OFFSET_MS
    const month = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`
    out.push({ month, at: new Date(Math.min(end, now.getTime())) })
  }
  return out
}

/**
 * Each department's on-time rate at each month-end, judged from the update log as it stood then: a
 * resource counts once it existed (registered, or already had an update) and is judged by its last
 * update at or before that moment. Uses the (resource_id, updated_at) index: one lookup per resource and month.
 */
export async function monthlyOnTimeRates(db: Db, resourceIds: number[] | null, departments: { id: number; name: string }[], now: Date, months = 12) {
  const ends = monthEnds(now, months)
  if (resourceIds && resourceIds.length === 0) return { months: ends.map((e) => e.month), departments: departments.map((d) => ({ departmentId: d.id, name: d.name, rates: ends.map(() => null) })), overall: ends.map(() => null) }
  const cols = ends.map((e, i) => sql`(SELECT max(u.updated_at) FROM resource_updates u WHERE u.resource_id = r.id AND u.updated_at <= ${e.at.toISOString()}) AS ${sql.ref(`m${i}`)}`)
  const firstCols = sql`(SELECT min(u.updated_at) FROM resource_updates u WHERE u.resource_id = r.id) AS first_update`
  const rows = (await sql<Record<string, string | number | null>>`
    SELECT r.id, r.department_id, r.update_cycle, r.created_at, ${firstCols}, ${sql.join(cols)}
    FROM resources r ${resourceIds ? sql`WHERE ${oneOf(db.engine, 'r.id', resourceIds)}` : sql``}`.execute(db.kysely)).rows
  type Counts = Partial<Record<FreshnessStatus, number>>
  const byDept = new Map<number, Counts[]>()
  const overall: Counts[] = ends.map((): Counts => ({}))
  for (const row of rows) {
    const dept = Number(row.department_id)
    const list: Counts[] = byDept.get(dept) ?? ends.map((): Counts => ({}))
    byDept.set(dept, list)
    const existedFrom = [row.created_at, row.first_update].filter((v): v is string => typeof v === 'string').sort()[0]!
    ends.forEach((e, i) => {
      if (existedFrom > e.at.toISOString()) return
      const last = row[`m${i}`] as string | null
      const { status } = judgeFreshness(row.update_cycle as UpdateCycle, last, e.at)
      list[i]![status] = (list[i]![status] ?? 0) + 1
      overall[i]![status] = (overall[i]![status] ?? 0) + 1
    })
  }
  return {
    months: ends.map((e) => e.month),
    departments: departments.map((d) => ({ departmentId: d.id, name: d.name, rates: (byDept.get(d.id) ?? ends.map(() => ({}))).map((c) => onTimeRate(c)) })),
    overall: overall.map((c) => onTimeRate(c)),
  }
}

/** Per department: today's counts, on-time rate and rank (the /api/stats/freshness figures), plus the overdue resources to chase. */
export function departmentScorecards(resources: SupervisedResource[], judged: DataResource[], departments: { id: number; name: string }[]) {
  const ranked = freshnessByDepartment(judged, departments)
  return {
    totals: ranked.totals,
    departments: ranked.departments.map((d) => {
      const own = resources.filter((r) => r.departmentId === d.departmentId)
      return {
        ...d,
        resources: own.length,
        overdue: own.filter((r) => r.status === 'overdue').sort((a, b) => b.overdueMs - a.overdueMs),
        never: own.filter((r) => r.status === 'never'),
      }
    }),
  }
}
