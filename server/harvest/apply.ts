import { sql, type Insertable } from 'kysely'
import type { Db } from '../db/connect.js'
import { inWriteTransaction, insertMany, oneOf } from '../db/dialect.js'
import type { Database, DepartmentsTable, FeaturesTable, ResourcesTable, SystemsTable } from '../db/schema.js'
import {
  MAX_REPORTED_ERRORS, type FederatedDepartment, type FederatedFeature, type FederatedResource, type FederatedSystem, type FederatedUpdate,
  type HarvestRecordError, type HarvestRecordKind, type HarvestReport, type HarvestTally,
} from '../domain/federation.js'
import { RISK_LEVELS } from '../domain/enums.js'
import { geometryAllowed } from '../geo/feature-checks.js'
import { bboxOf, type Bbox, type Geometry } from '../geo/geometry.js'

/**
 * Writing what a job harvested into the city's tables, keyed by (source, id at the source): a record
 * is added, updated when any of its facts differ, left alone when none do (so running a job twice
 * changes nothing), and deleted when the source no longer shares it. The catalog of a source is
 * applied in one transaction (all or nothing); features a page at a time.
 */

/** A job's report as it is being written. */
export class ReportBuilder {
  readonly report: HarvestReport = { tallies: {}, errors: [], moreErrors: 0, skipped: [], guard: null, bytes: 0, requests: 0, phases: [] }
  private mark = performance.now()

  /** Ends a step of the job: the time since the previous one goes to the report under `step`. */
  phase(step: string): void {
    const now = performance.now()
    this.report.phases!.push({ step, ms: Math.round(now - this.mark) })
    this.mark = now
  }

  tally(kind: HarvestRecordKind): HarvestTally {
    return (this.report.tallies[kind] ??= { source: null, harvested: 0, added: 0, updated: 0, deleted: 0, unchanged: 0 })
  }

  error(e: HarvestRecordError): void {
    if (this.report.errors.length < MAX_REPORTED_ERRORS) this.report.errors.push(e)
    else this.report.moreErrors++
  }

  errorsOf(kind: HarvestRecordKind): boolean {
    return this.report.errors.some((e) => e.kind === kind)
  }

  get errorCount(): number {
    return this.report.errors.length + this.report.moreErrors
  }
}

/** The catalog of a source as the job received it. */
export interface IncomingCatalog {
  departments: FederatedDepartment[]
  systems: FederatedSystem[]
  /** null: unchanged since the last job (resources and items are then left as they are). */
  resources: FederatedResource[] | null
}

/** Deletions a job would make, per kind, against what the city holds from the source. */
export interface PlannedDeletions { kind: HarvestRecordKind; deleting: number; of: number }

type Row<T> = { [K in keyof T]: T[K] extends import('kysely').ColumnType<infer S, unknown, unknown> ? S : T[K] }

/** Facts compared to tell an update from an unchanged record (what the city stores of each). */
const departmentFacts = (d: { short_name: string; sort_order: number; reporting: string | null }) => `${d.short_name}|${d.sort_order}|${d.reporting ?? ''}`
const systemFacts = (s: Omit<Row<SystemsTable>, 'id' | 'source_id' | 'remote_id' | 'created_at'>) => JSON.stringify([
  s.department_id, s.name, s.build_level, s.builder, s.operator, s.deployment, s.run_status, s.security_level, s.shares_data, s.sharing_modes,
  s.networks, s.reviewer, s.filler, s.phone, s.filled_at, s.updated_at,
])
const resourceFacts = (r: Omit<Row<ResourcesTable>, 'id' | 'source_id' | 'remote_id' | 'last_updated_at' | 'created_at'>) => JSON.stringify([
  r.system_id, r.department_id, r.subcategory_code, r.name, r.provision_mode, r.update_cycle, r.subject_class, r.purpose, r.sharing_attribute,
  r.sensitivity, r.reviewer, r.filler, r.phone, r.filled_at, r.updated_at,
])
const itemFacts = (i: { name: string; data_type: string; length: number; sort_order: number }) => `${i.name}|${i.data_type}|${i.length}|${i.sort_order}`

/** What the city holds of a source's catalog, keyed by id at the source. */
export interface HeldCatalog {
  departments: Map<number, { id: number; name: string; facts: string }>
  systems: Map<number, { id: number; facts: string }>
  resources: Map<number, { id: number; facts: string }>
  items: Map<number, { id: number; resourceId: number; facts: string }>
}

/** What the city holds of a source's catalog; its resources and items only when the job compares them (`withResources`). */
export async function heldCatalog(db: Db, sourceId: number, withResources = true): Promise<HeldCatalog> {
  const departments = await db.kysely.selectFrom('departments').select(['id', 'remote_id', 'name', 'short_name', 'sort_order', 'reporting']).where('source_id', '=', sourceId).execute()
  const systems = await db.kysely.selectFrom('systems').selectAll().where('source_id', '=', sourceId).execute()
  const resources = withResources ? await db.kysely.selectFrom('resources').selectAll().where('source_id', '=', sourceId).execute() : []
  const items = withResources
    ? await db.kysely.selectFrom('data_items').select(['id', 'remote_id', 'resource_id', 'name', 'data_type', 'length', 'sort_order']).where('source_id', '=', sourceId).execute()
    : []
  return {
    departments: new Map(departments.map((d) => [d.remote_id!, { id: d.id, name: d.name, facts: departmentFacts(d) }])),
    systems: new Map(systems.map((s) => [s.remote_id!, { id: s.id, facts: systemFacts(s) }])),
    resources: new Map(resources.map((r) => [r.remote_id!, { id: r.id, facts: resourceFacts(r) }])),
    items: new Map(items.map((i) => [i.remote_id!, { id: i.id, resourceId: i.resource_id, facts: itemFacts(i) }])),
  }
}

/** The deletions applying `incoming` would make (the deletion guard judges them before anything is written). */
export function catalogDeletions(held: HeldCatalog, incoming: IncomingCatalog): PlannedDeletions[] {
  const gone = <T>(map: Map<number, T>, ids: Set<number>) => [...map.keys()].filter((k) => !ids.has(k)).length
  const out: PlannedDeletions[] = [
    { kind: 'departments', deleting: gone(held.departments, new Set(incoming.departments.map((d) => d.id))), of: held.departments.size },
    { kind: 'systems', deleting: gone(held.systems, new Set(incoming.systems.map((s) => s.id))), of: held.systems.size },
  ]
  if (incoming.resources) {
    out.push({ kind: 'resources', deleting: gone(held.resources, new Set(incoming.resources.map((r) => r.id))), of: held.resources.size })
    out.push({ kind: 'items', deleting: gone(held.items, new Set(incoming.resources.flatMap((r) => r.items.map((i) => i.id)))), of: held.items.size })
  }
  return out
}

export interface CatalogContext {
  sourceId: number
  /** How the source is named next to department names that are already taken at the city. */
  sourceLabel: string
  districtCode: string | null
  /** Sub-categories the city knows (a resource of another is an error of its own). */
  subcategories: Set<string>
  now: string
}

/**
 * Applies a source's catalog in one transaction: deletions first (cascading at the city exactly as at
 * the source), then departments, systems, resources and their items. Records that cannot be taken (a
 * sub-category the city does not have) are reported and skipped with what depends on them.
 */
export async function applyCatalog(db: Db, ctx: CatalogContext, held: HeldCatalog, incoming: IncomingCatalog, report: ReportBuilder): Promise<Set<number>> {
  const addedResources = new Set<number>()
  await inWriteTransaction(db, async (trx) => {
    const sourceId = ctx.sourceId
    const keepDepartments = new Set(incoming.departments.map((d) => d.id))
    const keepSystems = new Set(incoming.systems.map((s) => s.id))
    const deleteWhere = async (table: 'departments' | 'systems' | 'resources' | 'data_items', remoteIds: number[]) => {
      for (let i = 0; i < remoteIds.length; i += 5000) {
        await trx.deleteFrom(table).where('source_id', '=', sourceId).where(oneOf(db.engine, 'remote_id', remoteIds.slice(i, i + 5000))).execute()
      }
    }
    // ---- deletions (children first, so that each kind's count is its own) ----
    if (incoming.resources) {
      const keepItems = new Set(incoming.resources.flatMap((r) => r.items.map((i) => i.id)))
      const keepResources = new Set(incoming.resources.map((r) => r.id))
      const goneItems = [...held.items.keys()].filter((k) => !keepItems.has(k))
      const goneResources = [...held.resources.keys()].filter((k) => !keepResources.has(k))
      await deleteWhere('data_items', goneItems)
      await deleteWhere('resources', goneResources)
      report.tally('items').deleted += goneItems.length
      report.tally('resources').deleted += goneResources.length
    }
    const goneSystems = [...held.systems.keys()].filter((k) => !keepSystems.has(k))
    const goneDepartments = [...held.departments.keys()].filter((k) => !keepDepartments.has(k))
    await deleteWhere('systems', goneSystems)
    await deleteWhere('departments', goneDepartments)
    report.tally('systems').deleted += goneSystems.length
    report.tally('departments').deleted += goneDepartments.length

    // ---- departments ----
    const departmentIds = new Map<number, number>()
    const taken = new Set((await trx.selectFrom('departments').select('name').execute()).map((d) => d.name))
    for (const held1 of held.departments.values()) taken.delete(held1.name)
    const dt = report.tally('departments')
    for (const d of incoming.departments) {
      const reporting = d.reporting ? JSON.stringify(d.reporting) : null
      const sortOrder = sourceId * 10_000 + d.sortOrder
      const facts = departmentFacts({ short_name: d.shortName, sort_order: sortOrder, reporting })
      let name = d.name
      if (taken.has(name)) name = `${d.name}（${ctx.sourceLabel}）`
      if (taken.has(name)) {
        report.error({ kind: 'departments', remoteId: d.id, name: d.name, message: '本平台已有同名部门，未能汇聚' })
        continue
      }
      taken.add(name)
      const existing = held.departments.get(d.id)
      if (!existing) {
        const { id } = await trx.insertInto('departments').values({
          name, short_name: d.shortName, sort_order: sortOrder, created_at: ctx.now, source_id: sourceId, remote_id: d.id, district_code: ctx.districtCode, reporting,
        } satisfies Insertable<DepartmentsTable>).returning('id').executeTakeFirstOrThrow()
        departmentIds.set(d.id, id)
        dt.added++
      } else {
        departmentIds.set(d.id, existing.id)
        if (existing.facts !== facts || existing.name !== name) {
          await trx.updateTable('departments').set({ name, short_name: d.shortName, sort_order: sortOrder, reporting }).where('id', '=', existing.id).execute()
          dt.updated++
        } else dt.unchanged++
      }
    }

    // ---- systems ----
    const systemIds = new Map<number, number>()
    const st = report.tally('systems')
    for (const s of incoming.systems) {
      const departmentId = departmentIds.get(s.departmentId)
      if (departmentId === undefined) {
        report.error({ kind: 'systems', remoteId: s.id, name: s.name, message: `所属部门（编号 ${s.departmentId}）未能汇聚` })
        continue
      }
      const row = {
        department_id: departmentId, name: s.name, build_level: s.buildLevel, builder: s.builder, operator: s.operator, deployment: s.deployment,
        run_status: s.runStatus, security_level: s.securityLevel, shares_data: s.sharesData ? 1 : 0, sharing_modes: JSON.stringify(s.sharingModes),
        networks: JSON.stringify(s.networks), reviewer: s.reviewer, filler: s.filler, phone: s.phone, filled_at: s.filledAt, updated_at: s.updatedAt,
      }
      const existing = held.systems.get(s.id)
      if (!existing) {
        const { id } = await trx.insertInto('systems').values({ ...row, created_at: s.createdAt, source_id: sourceId, remote_id: s.id } satisfies Insertable<SystemsTable>)
          .returning('id').executeTakeFirstOrThrow()
        systemIds.set(s.id, id)
        st.added++
      } else {
        systemIds.set(s.id, existing.id)
        if (existing.facts !== systemFacts(row)) {
          await trx.updateTable('systems').set(row).where('id', '=', existing.id).execute()
          st.updated++
        } else st.unchanged++
      }
    }

    // ---- resources and their items ----
    if (!incoming.resources) return
    const rt = report.tally('resources')
    const it = report.tally('items')
    const newItems: Insertable<Database['data_items']>[] = []
    for (const r of incoming.resources) {
      const systemId = systemIds.get(r.systemId)
      const departmentId = departmentIds.get(r.departmentId)
      if (systemId === undefined || departmentId === undefined) {
        report.error({ kind: 'resources', remoteId: r.id, name: r.name, message: `所属系统（编号 ${r.systemId}）未能汇聚` })
        continue
      }
      if (!ctx.subcategories.has(r.subcategoryCode)) {
        report.error({ kind: 'resources', remoteId: r.id, name: r.name, message: `子类 ${r.subcategoryCode} 在本平台的分类体系中不存在` })
        continue
      }
      const row = {
        system_id: systemId, department_id: departmentId, subcategory_code: r.subcategoryCode, name: r.name, provision_mode: r.provisionMode,
        update_cycle: r.updateCycle, subject_class: r.subjectClass, purpose: r.purpose, sharing_attribute: r.sharingAttribute, sensitivity: r.sensitivity,
        reviewer: r.reviewer, filler: r.filler, phone: r.phone, filled_at: r.filledAt, updated_at: r.updatedAt,
      }
      const existing = held.resources.get(r.id)
      let resourceId: number
      if (!existing) {
        resourceId = (await trx.insertInto('resources').values({
          ...row, last_updated_at: null, created_at: r.createdAt, source_id: sourceId, remote_id: r.id,
        } satisfies Insertable<ResourcesTable>).returning('id').executeTakeFirstOrThrow()).id
        addedResources.add(r.id)
        rt.added++
      } else {
        resourceId = existing.id
        if (existing.facts !== resourceFacts(row)) {
          await trx.updateTable('resources').set(row).where('id', '=', existing.id).execute()
          rt.updated++
        } else rt.unchanged++
      }
      for (const i of r.items) {
        const facts = itemFacts({ name: i.name, data_type: i.dataType, length: i.length, sort_order: i.sortOrder })
        const had = held.items.get(i.id)
        if (!had) {
          newItems.push({ resource_id: resourceId, name: i.name, data_type: i.dataType, length: i.length, sort_order: i.sortOrder, source_id: sourceId, remote_id: i.id })
          it.added++
        } else if (had.facts !== facts || had.resourceId !== resourceId) {
          await trx.updateTable('data_items').set({ resource_id: resourceId, name: i.name, data_type: i.dataType, length: i.length, sort_order: i.sortOrder })
            .where('id', '=', had.id).execute()
          it.updated++
        } else it.unchanged++
      }
    }
    await insertMany(trx, 'data_items', newItems)
  })
  return addedResources
}

/** The city's ids of a source's resources, by their ids at the source. */
export async function resourceIdsOf(db: Db, sourceId: number): Promise<Map<number, number>> {
  const rows = await db.kysely.selectFrom('resources').select(['id', 'remote_id']).where('source_id', '=', sourceId).execute()
  return new Map(rows.map((r) => [r.remote_id!, r.id]))
}

/** Adds update records not yet held (by id at the source): the history only grows. */
export async function applyUpdates(db: Db, sourceId: number, resources: Map<number, number>, updates: FederatedUpdate[], report: ReportBuilder): Promise<void> {
  if (!updates.length) return
  const ut = report.tally('updates')
  const held = new Set((await db.kysely.selectFrom('resource_updates').select('remote_id').where('source_id', '=', sourceId)
    .where(oneOf(db.engine, 'remote_id', updates.map((u) => u.id))).execute()).map((u) => u.remote_id))
  const rows: Insertable<Database['resource_updates']>[] = []
  for (const u of updates) {
    if (held.has(u.id)) {
      ut.unchanged++
      continue
    }
    const resourceId = resources.get(u.resourceId)
    if (resourceId === undefined) {
      report.error({ kind: 'updates', remoteId: u.id, name: u.updatedAt, message: `所属数据资源（编号 ${u.resourceId}）未能汇聚` })
      continue
    }
    rows.push({ resource_id: resourceId, updated_at: u.updatedAt, record_count: u.recordCount, source: u.source, note: u.note, source_id: sourceId, remote_id: u.id })
  }
  await inWriteTransaction(db, (trx) => insertMany(trx, 'resource_updates', rows))
  ut.added += rows.length
}

const featureFacts = (f: { resource_id: number; kind: string; name: string; geometry: string; risk_level: string | null; indicators: string | null; impact_radius_m: number | null; capacity: number | null; capacity_unit: string | null; attributes: string; updated_at: string }) =>
  JSON.stringify([f.resource_id, f.kind, f.name, f.geometry, f.risk_level, f.indicators, f.impact_radius_m, f.capacity, f.capacity_unit, f.attributes, f.updated_at])

/** Adds or updates one page of features (in one transaction); identical ones are counted unchanged. */
export async function applyFeaturePage(db: Db, ctx: { sourceId: number; districtCode: string | null }, resources: Map<number, number>,
  page: FederatedFeature[], report: ReportBuilder): Promise<void> {
  if (!page.length) return
  const ft = report.tally('features')
  await inWriteTransaction(db, async (trx) => {
    const held = new Map((await trx.selectFrom('features')
      .select(['id', 'remote_id', 'resource_id', 'kind', 'name', 'geometry', 'risk_level', 'indicators', 'impact_radius_m', 'capacity', 'capacity_unit', 'attributes', 'updated_at'])
      .where('source_id', '=', ctx.sourceId).where(oneOf(db.engine, 'remote_id', page.map((f) => f.id))).execute()).map((f) => [f.remote_id!, f]))
    const inserts: Insertable<FeaturesTable>[] = []
    for (const f of page) {
      const resourceId = resources.get(f.resourceId)
      if (resourceId === undefined) {
        report.error({ kind: 'features', remoteId: f.id, name: f.name, message: `所属数据资源（编号 ${f.resourceId}）未能汇聚` })
        continue
      }
      const geometry = checkedGeometry(f.geometry, f.kind)
      if (!geometry) {
        report.error({ kind: 'features', remoteId: f.id, name: String(f.name), message: `几何不是该类要素（${String(f.kind)}）可用的有效 GeoJSON 几何对象` })
        continue
      }
      const problem = featureFactsProblem(f)
      if (problem) {
        report.error({ kind: 'features', remoteId: f.id, name: String(f.name), message: problem })
        continue
      }
      const [minX, minY, maxX, maxY] = geometry.bbox
      const row = {
        resource_id: resourceId, kind: f.kind, name: f.name, geometry: f.geometry, risk_level: f.riskLevel, indicators: f.indicators,
        impact_radius_m: f.impactRadiusM, capacity: f.capacity, capacity_unit: f.capacityUnit, attributes: f.attributes, updated_at: f.updatedAt,
      }
      const had = held.get(f.id)
      if (!had) {
        inserts.push({
          ...row, geometry_type: geometry.type, min_x: minX, min_y: minY, max_x: maxX, max_y: maxY,
          district_code: ctx.districtCode, cell_id: null, source_id: ctx.sourceId, remote_id: f.id,
        })
      } else if (featureFacts(had) !== featureFacts(row)) {
        // Only what changed is written: the spatial index, tallies and search are kept by triggers on those columns.
        const changed: Partial<typeof row> & { geometry_type?: string; min_x?: number; min_y?: number; max_x?: number; max_y?: number } = {}
        for (const key of Object.keys(row) as (keyof typeof row)[]) if (row[key] !== had[key]) (changed as Record<string, unknown>)[key] = row[key]
        if (changed.geometry !== undefined) Object.assign(changed, { geometry_type: geometry.type, min_x: minX, min_y: minY, max_x: maxX, max_y: maxY })
        await trx.updateTable('features').set(changed).where('id', '=', had.id).execute()
        ft.updated++
      } else ft.unchanged++
    }
    await insertMany(trx, 'features', inserts)
    ft.added += inserts.length
  })
}

const RISK_CODES = new Set<string>(RISK_LEVELS.map((r) => r.code))
const jsonObject = (text: unknown) => {
  if (typeof text !== 'string' || text.length > 1_000_000) return false
  try {
    const v = JSON.parse(text) as unknown
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}
const numberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v))

/** What is wrong with a feature's facts other than its geometry, or null. */
function featureFactsProblem(f: FederatedFeature): string | null {
  if (typeof f.name !== 'string' || f.name.length > 500) return '名称缺失或过长'
  if (f.riskLevel !== null && !RISK_CODES.has(f.riskLevel)) return `未知的风险等级 ${String(f.riskLevel)}`
  if (!jsonObject(f.attributes) || (f.indicators !== null && !jsonObject(f.indicators))) return '属性不是 JSON 对象'
  if (!numberOrNull(f.impactRadiusM) || !numberOrNull(f.capacity) || (f.capacityUnit !== null && typeof f.capacityUnit !== 'string')) return '影响半径或容量不是数字'
  if (typeof f.updatedAt !== 'string' || Number.isNaN(Date.parse(f.updatedAt))) return '更新时间不是有效的时间'
  return null
}

const DEPTH: Record<string, number> = { Point: 0, LineString: 1, Polygon: 2, MultiPolygon: 3 }

/**
 * A geometry sent as JSON text, checked as the tiles will read it: one of the stored types, allowed for
 * the feature's kind, nested as its type says with finite [lon, lat] positions; its box computed here
 * (a source's own box is not taken on trust). null when it is none of that.
 */
function checkedGeometry(text: unknown, kind: string): { type: string; bbox: Bbox } | null {
  if (typeof text !== 'string' || text.length > 20_000_000) return null
  let g: { type?: unknown; coordinates?: unknown }
  try {
    g = JSON.parse(text) as typeof g
  } catch {
    return null
  }
  const depth = typeof g?.type === 'string' ? DEPTH[g.type] : undefined
  if (depth === undefined || !geometryAllowed(kind, g.type as string)) return null
  let positions = 0
  const walk = (v: unknown, d: number): boolean => {
    if (!Array.isArray(v)) return false
    if (d === 0) {
      positions++
      return v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && Number.isFinite(v[0]) && Number.isFinite(v[1])
        && Math.abs(v[0]) <= 180 && Math.abs(v[1]) <= 90
    }
    return v.length > 0 && v.every((x) => walk(x, d - 1))
  }
  if (!walk(g.coordinates, depth) || positions === 0) return null
  return { type: g.type as string, bbox: bboxOf(g as Geometry) }
}

/** Deletes a source's features by their ids at the source. */
export async function deleteFeatures(db: Db, sourceId: number, remoteIds: readonly number[]): Promise<void> {
  for (let i = 0; i < remoteIds.length; i += 5000) {
    const chunk = remoteIds.slice(i, i + 5000)
    await inWriteTransaction(db, (trx) =>
      trx.deleteFrom('features').where('source_id', '=', sourceId).where(oneOf(db.engine, 'remote_id', chunk)).execute())
  }
}

/** The ids at the source of the features the city holds from it, above `after`, at most `limit`, in order. */
export async function heldFeatureIds(db: Db, sourceId: number, after: number, limit: number): Promise<number[]> {
  const rows = await db.kysely.selectFrom('features').select('remote_id').where('source_id', '=', sourceId).where('remote_id', '>', after)
    .orderBy('remote_id').limit(limit).execute()
  return rows.map((r) => r.remote_id!)
}

/** How many records of each kind the city holds from a source. */
export async function heldCounts(db: Db, sourceId: number): Promise<Record<HarvestRecordKind, number>> {
  const count = async (table: 'departments' | 'systems' | 'resources' | 'data_items' | 'resource_updates' | 'features') =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE source_id = ${sourceId}`.execute(db.kysely)).rows[0]?.n ?? 0)
  return {
    departments: await count('departments'), systems: await count('systems'), resources: await count('resources'),
    items: await count('data_items'), updates: await count('resource_updates'), features: await count('features'),
  }
}
