import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../db/connect.js'
import type {
  DataType, FreshnessStatus, Network, Purpose, ReportStatus, RunStatus, SecurityLevel, Sensitivity,
  SharingAttribute, SharingMode, SubjectClass, UpdateCycle, UpdateSource, BuildLevel, Deployment,
} from '../domain/enums.js'
import { judgeFreshness } from '../domain/freshness.js'
import { categoryLabel } from '../domain/taxonomy.js'
import type { DataItem, DataResource, Department, InfoSystem, Page, ResourceUpdate, SearchHit } from '../domain/types.js'
import type { VisibilityRule } from '../domain/access.js'
import type { CatalogFilter, FeatureFilter } from './filters.js'

/**
 * The visibility rule as SQL over a resources row (alias `r` unless given): the sensitivities anyone
 * in scope may see, plus restricted resources of the departments the viewer belongs to or is cleared for.
 */
export function visibleSql(rule: VisibilityRule, alias = 'r'): Expression<SqlBool> {
  if (rule.all) return sql<SqlBool>`1`
  const sens = sql.ref(`${alias}.sensitivity`)
  const dept = sql.ref(`${alias}.department_id`)
  const restricted = rule.restrictedDepartments.length
    ? sql` OR (${sens} = 'restricted' AND ${dept} IN (${sql.join(rule.restrictedDepartments)}))`
    : sql``
  return sql<SqlBool>`(${sens} IN (${sql.join(rule.sensitivities)})${restricted})`
}

/** Whether the rule shows system and department inventories as such (signed-in users), or only through visible resources. */
function seesInventory(rule: VisibilityRule): boolean {
  return rule.all || rule.sensitivities.includes('internal')
}

/** Escapes a user's text for a LIKE pattern (with ESCAPE '\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Values of filter parameters that name nothing in the live catalog (unknown domain, sub-category or department). */
export async function unknownFilterValues(db: Db, f: CatalogFilter): Promise<{ parameter: string; values: string[] } | null> {
  const checks: [string, (string | number)[] | undefined, 'domains' | 'subcategories' | 'departments'][] = [
    ['domain', f.domain, 'domains'],
    ['subcategory', f.subcategory, 'subcategories'],
    ['department', f.department, 'departments'],
  ]
  for (const [parameter, values, table] of checks) {
    if (!values?.length) continue
    const key = table === 'departments' ? 'id' : 'code'
    const found = await sql<{ k: string | number }>`SELECT ${sql.ref(key)} AS k FROM ${sql.table(table)} WHERE ${sql.ref(key)} IN (${sql.join(values)})`.execute(db.kysely)
    const known = new Set(found.rows.map((r) => String(r.k)))
    const missing = values.map(String).filter((v) => !known.has(v))
    if (missing.length) return { parameter, values: missing }
  }
  return null
}

/** Resource ids whose name, system name or any data item name contains the text. */
function textMatchResourceIds(q: string): Expression<SqlBool> {
  const p = likePattern(q)
  return sql<SqlBool>`r.id IN (
    SELECT rowid / 4 FROM catalog_search WHERE title LIKE ${p} ESCAPE '\\' AND rowid % 4 = 2
    UNION SELECT di.resource_id FROM data_items di WHERE di.id IN (SELECT rowid / 4 FROM catalog_search WHERE title LIKE ${p} ESCAPE '\\' AND rowid % 4 = 3)
    UNION SELECT r2.id FROM resources r2 WHERE r2.system_id IN (SELECT rowid / 4 FROM catalog_search WHERE title LIKE ${p} ESCAPE '\\' AND rowid % 4 = 1)
  )`
}

interface ResourceRow {
  id: number
  system_id: number
  system_name: string
  department_id: number
  department_name: string
  subcategory_code: string
  subcategory_name: string
  domain_code: string
  name: string
  provision_mode: string
  update_cycle: string
  subject_class: string
  purpose: string
  sharing_attribute: string
  sensitivity: string
  reviewer: string
  filler: string
  phone: string
  filled_at: string | null
  last_updated_at: string | null
}

/** A resource as the API serves it, before the per-page counts are filled in. */
function resourceFromRow(r: ResourceRow, now: Date): DataResource {
  const cycle = r.update_cycle as UpdateCycle
  const j = judgeFreshness(cycle, r.last_updated_at, now)
  return {
    id: r.id,
    departmentId: r.department_id,
    departmentName: r.department_name,
    systemId: r.system_id,
    systemName: r.system_name,
    domainCode: r.domain_code,
    subcategoryCode: r.subcategory_code,
    category: categoryLabel(r.subcategory_name),
    name: r.name,
    provisionMode: r.provision_mode as SharingMode,
    updateCycle: cycle,
    subjectClass: r.subject_class as SubjectClass,
    purpose: r.purpose as Purpose,
    sharingAttribute: r.sharing_attribute as SharingAttribute,
    sensitivity: r.sensitivity as Sensitivity,
    reviewer: r.reviewer,
    filler: r.filler,
    phone: r.phone,
    filledAt: r.filled_at,
    itemCount: 0,
    featureCount: 0,
    freshness: { status: j.status, lastUpdatedAt: r.last_updated_at, dueAt: j.dueAt, overdueMs: j.overdueMs },
  }
}

/**
 * Every resource matching the catalog filters, with its freshness judged at `now`, in catalog order
 * (department, system, resource). Item and feature counts are zero here: see withCounts.
 */
export async function matchingResources(db: Db, f: CatalogFilter & Pick<FeatureFilter, 'kind' | 'risk'>, now: Date, rule: VisibilityRule): Promise<DataResource[]> {
  const rows = await db.kysely
    .selectFrom('resources as r')
    .innerJoin('systems as s', 's.id', 'r.system_id')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .innerJoin('subcategories as sc', 'sc.code', 'r.subcategory_code')
    .select([
      'r.id', 'r.system_id', 's.name as system_name', 'r.department_id', 'd.name as department_name',
      'r.subcategory_code', 'sc.name as subcategory_name', 'sc.domain_code', 'r.name', 'r.provision_mode',
      'r.update_cycle', 'r.subject_class', 'r.purpose', 'r.sharing_attribute', 'r.sensitivity', 'r.reviewer', 'r.filler',
      'r.phone', 'r.filled_at', 'r.last_updated_at',
    ])
    .$if(!!f.domain?.length, (qb) => qb.where('sc.domain_code', 'in', f.domain!))
    .$if(!!f.subcategory?.length, (qb) => qb.where('r.subcategory_code', 'in', f.subcategory!))
    .$if(!!f.department?.length, (qb) => qb.where('r.department_id', 'in', f.department!))
    .$if(!!f.system?.length, (qb) => qb.where('r.system_id', 'in', f.system!))
    .$if(!!f.resource?.length, (qb) => qb.where('r.id', 'in', f.resource!))
    .$if(!!f.updateCycle?.length, (qb) => qb.where('r.update_cycle', 'in', f.updateCycle!))
    .$if(!!f.sharingMode?.length, (qb) => qb.where('r.provision_mode', 'in', f.sharingMode!))
    .$if(!!f.sensitivity?.length, (qb) => qb.where('r.sensitivity', 'in', f.sensitivity!))
    .$if(!!f.q, (qb) => qb.where(textMatchResourceIds(f.q!)))
    .$if(!rule.all, (qb) => qb.where(visibleSql(rule)))
    // Feature-level filters keep the resources that have such features, so tables agree with the map.
    .$if(!!(f.kind?.length || f.risk?.length), (qb) => qb.where('r.id', 'in', (eb) => {
      let sub = eb.selectFrom('feature_summary').select('resource_id')
      if (f.kind?.length) sub = sub.where('kind', 'in', f.kind)
      if (f.risk?.length) sub = sub.where('risk_level', 'in', f.risk)
      return sub
    }))
    .orderBy('d.sort_order').orderBy('d.id').orderBy('s.name').orderBy('r.name').orderBy('r.id')
    .execute()
  const all = rows.map((r) => resourceFromRow(r, now))
  const wanted = f.freshness?.length ? new Set<FreshnessStatus>(f.freshness) : null
  return wanted ? all.filter((r) => wanted.has(r.freshness.status)) : all
}

/** Fills in item and feature counts for a handful of resources (one page). */
export async function withCounts(db: Db, resources: DataResource[]): Promise<DataResource[]> {
  if (!resources.length) return resources
  const ids = resources.map((r) => r.id)
  const [items, features] = await Promise.all([
    db.kysely.selectFrom('data_items').select(['resource_id', (eb) => eb.fn.countAll<number>().as('n')]).where('resource_id', 'in', ids).groupBy('resource_id').execute(),
    db.kysely.selectFrom('feature_summary').select(['resource_id', (eb) => eb.fn.sum<number>('n').as('n')]).where('resource_id', 'in', ids).groupBy('resource_id').execute(),
  ])
  const itemN = new Map(items.map((r) => [r.resource_id, Number(r.n)]))
  const featN = new Map(features.map((r) => [r.resource_id, Number(r.n)]))
  return resources.map((r) => ({ ...r, itemCount: itemN.get(r.id) ?? 0, featureCount: featN.get(r.id) ?? 0 }))
}

/** One page of a list. */
export function pageOf<T>(all: T[], page: number, pageSize: number): Page<T> {
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize }
}

/** One resource, or null when it does not exist or the rule hides it (callers answer 404 either way). */
export async function resourceById(db: Db, id: number, now: Date, rule: VisibilityRule): Promise<DataResource | null> {
  const [r] = await matchingResources(db, { resource: [id] }, now, rule)
  return r ? (await withCounts(db, [r]))[0]! : null
}

export async function itemsOfResource(db: Db, resourceId: number): Promise<DataItem[]> {
  const rows = await db.kysely.selectFrom('data_items').selectAll().where('resource_id', '=', resourceId).orderBy('sort_order').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, resourceId: r.resource_id, name: r.name, dataType: r.data_type as DataType, length: r.length, sortOrder: r.sort_order }))
}

export async function updatesOfResource(db: Db, resourceId: number, limit: number): Promise<ResourceUpdate[]> {
  const rows = await db.kysely.selectFrom('resource_updates').selectAll().where('resource_id', '=', resourceId)
    .orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, resourceId: r.resource_id, updatedAt: r.updated_at, recordCount: r.record_count, source: r.source as UpdateSource, note: r.note }))
}

/** Data items matching the filters (through their resources) and, with q, whose own name contains the text. */
export async function matchingItems(db: Db, f: CatalogFilter, now: Date, page: number, pageSize: number, rule: VisibilityRule) {
  const { q, ...rest } = f
  const resources = await matchingResources(db, rest, now, rule)
  if (!resources.length) return { items: [], total: 0, page, pageSize }
  const byId = new Map(resources.map((r) => [r.id, r]))
  const ids = [...byId.keys()]
  const base = db.kysely.selectFrom('data_items').where('resource_id', 'in', ids)
    .$if(!!q, (qb) => qb.where(sql<SqlBool>`id IN (SELECT rowid / 4 FROM catalog_search WHERE title LIKE ${likePattern(q!)} ESCAPE '\\' AND rowid % 4 = 3)`))
  const [{ n }] = await base.select((eb) => eb.fn.countAll<number>().as('n')).execute() as [{ n: number }]
  const rows = await base.selectAll().orderBy('resource_id').orderBy('sort_order').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute()
  return {
    items: rows.map((r) => {
      const res = byId.get(r.resource_id)!
      return { id: r.id, resourceId: r.resource_id, name: r.name, dataType: r.data_type as DataType, length: r.length, sortOrder: r.sort_order,
        resourceName: res.name, systemId: res.systemId, systemName: res.systemName, departmentId: res.departmentId, departmentName: res.departmentName }
    }),
    total: Number(n), page, pageSize,
  }
}

interface SystemRow {
  id: number; department_id: number; department_name: string; name: string; build_level: string; builder: string; operator: string
  deployment: string; run_status: string; security_level: string; shares_data: number; sharing_modes: string; networks: string
  reviewer: string; filler: string; phone: string; filled_at: string | null; resource_count: number
}

function systemFromRow(r: SystemRow): InfoSystem {
  return {
    id: r.id, departmentId: r.department_id, departmentName: r.department_name, name: r.name,
    buildLevel: r.build_level as BuildLevel, builder: r.builder, operator: r.operator, deployment: r.deployment as Deployment,
    runStatus: r.run_status as RunStatus, securityLevel: r.security_level as SecurityLevel, sharesData: r.shares_data === 1,
    sharingModes: JSON.parse(r.sharing_modes) as SharingMode[], networks: JSON.parse(r.networks) as Network[],
    reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: r.filled_at, resourceCount: Number(r.resource_count),
  }
}

/**
 * Information systems, optionally of some departments, optionally by id or by name text, with their
 * visible resources counted. Visitors and public walls see only systems that have a visible resource.
 */
export async function listSystems(db: Db, f: { department?: number[]; system?: number[]; q?: string }, rule: VisibilityRule): Promise<InfoSystem[]> {
  const rows = await db.kysely
    .selectFrom('systems as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select(['d.name as department_name', (eb) => eb.selectFrom('resources as r').whereRef('r.system_id', '=', 's.id').where(visibleSql(rule)).select(eb.fn.countAll<number>().as('n')).as('resource_count')])
    .$if(!seesInventory(rule), (qb) => qb.where(sql<SqlBool>`EXISTS (SELECT 1 FROM resources r WHERE r.system_id = s.id AND ${visibleSql(rule)})`))
    .$if(!!f.department?.length, (qb) => qb.where('s.department_id', 'in', f.department!))
    .$if(!!f.system?.length, (qb) => qb.where('s.id', 'in', f.system!))
    .$if(!!f.q, (qb) => qb.where(sql<SqlBool>`s.id IN (SELECT rowid / 4 FROM catalog_search WHERE title LIKE ${likePattern(f.q!)} ESCAPE '\\' AND rowid % 4 = 1)`))
    .orderBy('d.sort_order').orderBy('d.id').orderBy('s.name')
    .execute()
  return rows.map((r) => systemFromRow(r as SystemRow))
}

/** Departments with the counts of what the rule lets the viewer see, and their status in the latest survey round. */
export async function listDepartments(db: Db, statusOf: (departmentId: number) => ReportStatus | null, onlyIds: number[] | undefined, rule: VisibilityRule): Promise<Department[]> {
  const vis = visibleSql(rule)
  const systems = seesInventory(rule)
    ? sql`(SELECT count(*) FROM systems s WHERE s.department_id = d.id)`
    : sql`(SELECT count(DISTINCT r.system_id) FROM resources r WHERE r.department_id = d.id AND ${vis})`
  const rows = await sql<{ id: number; name: string; short_name: string; systems: number; resources: number; items: number; features: number }>`
    SELECT d.id, d.name, d.short_name,
      ${systems} AS systems,
      (SELECT count(*) FROM resources r WHERE r.department_id = d.id AND ${vis}) AS resources,
      (SELECT coalesce(sum(c.n), 0) FROM resource_item_counts c JOIN resources r ON r.id = c.resource_id WHERE r.department_id = d.id AND ${vis}) AS items,
      (SELECT coalesce(sum(t.n), 0) FROM feature_summary t JOIN resources r ON r.id = t.resource_id WHERE r.department_id = d.id AND ${vis}) AS features
    FROM departments d
    ${onlyIds?.length ? sql`WHERE d.id IN (${sql.join(onlyIds)})` : sql``}
    ORDER BY d.sort_order, d.id`.execute(db.kysely)
  return rows.rows.map((r) => ({
    id: r.id, name: r.name, shortName: r.short_name, systemCount: Number(r.systems), resourceCount: Number(r.resources),
    itemCount: Number(r.items), featureCount: Number(r.features), reportStatus: statusOf(r.id),
  }))
}

/** Catalog search down to data items: systems first, then resources, then items. */
export async function searchCatalog(db: Db, q: string, limit: number, rule: VisibilityRule): Promise<SearchHit[]> {
  const vis = visibleSql(rule)
  const visible = rule.all ? sql`` : sql`AND CASE catalog_search.rowid % 4
      WHEN 1 THEN ${seesInventory(rule) ? sql`1` : sql`EXISTS (SELECT 1 FROM resources r WHERE r.system_id = catalog_search.rowid / 4 AND ${vis})`}
      WHEN 2 THEN EXISTS (SELECT 1 FROM resources r WHERE r.id = catalog_search.rowid / 4 AND ${vis})
      ELSE EXISTS (SELECT 1 FROM data_items i JOIN resources r ON r.id = i.resource_id WHERE i.id = catalog_search.rowid / 4 AND ${vis}) END`
  const hits = await sql<{ rowid: number; title: string }>`
    SELECT rowid, title FROM catalog_search WHERE title LIKE ${likePattern(q)} ESCAPE '\\' ${visible}
    ORDER BY rowid % 4, length(title), rowid LIMIT ${limit}`.execute(db.kysely)
  const ids = { 1: [] as number[], 2: [] as number[], 3: [] as number[] }
  for (const h of hits.rows) ids[(h.rowid % 4) as 1 | 2 | 3]?.push(Math.floor(h.rowid / 4))
  const [systems, resources, items] = await Promise.all([
    ids[1].length ? db.kysely.selectFrom('systems as s').innerJoin('departments as d', 'd.id', 's.department_id')
      .select(['s.id', 's.name', 's.department_id', 'd.name as dept']).where('s.id', 'in', ids[1]).execute() : [],
    ids[2].length ? db.kysely.selectFrom('resources as r').innerJoin('systems as s', 's.id', 'r.system_id').innerJoin('departments as d', 'd.id', 'r.department_id')
      .select(['r.id', 'r.name', 'r.system_id', 'r.department_id', 's.name as sys', 'd.name as dept']).where('r.id', 'in', ids[2]).execute() : [],
    ids[3].length ? db.kysely.selectFrom('data_items as i').innerJoin('resources as r', 'r.id', 'i.resource_id').innerJoin('departments as d', 'd.id', 'r.department_id')
      .select(['i.id', 'i.name', 'i.resource_id', 'r.system_id', 'r.department_id', 'r.name as res', 'd.name as dept']).where('i.id', 'in', ids[3]).execute() : [],
  ])
  const out: SearchHit[] = []
  const sysById = new Map(systems.map((s) => [s.id, s]))
  const resById = new Map(resources.map((r) => [r.id, r]))
  const itemById = new Map(items.map((i) => [i.id, i]))
  for (const h of hits.rows) {
    const id = Math.floor(h.rowid / 4)
    const tag = h.rowid % 4
    if (tag === 1 && sysById.has(id)) {
      const s = sysById.get(id)!
      out.push({ type: 'system', id, title: s.name, subtitle: s.dept, departmentId: s.department_id, systemId: id })
    } else if (tag === 2 && resById.has(id)) {
      const r = resById.get(id)!
      out.push({ type: 'resource', id, title: r.name, subtitle: `${r.dept} · ${r.sys}`, departmentId: r.department_id, systemId: r.system_id, resourceId: id })
    } else if (tag === 3 && itemById.has(id)) {
      const i = itemById.get(id)!
      out.push({ type: 'item', id, title: i.name, subtitle: `${i.dept} · ${i.res}`, departmentId: i.department_id, systemId: i.system_id, resourceId: i.resource_id })
    }
  }
  return out
}

/** Each resource's features' bounding box [minLon, minLat, maxLon, maxLat] (one scan of the features). */
export function extentsByResource(db: Db): Map<number, [number, number, number, number]> {
  const rows = db.sqlite.prepare(`SELECT resource_id, min(min_x), min(min_y), max(max_x), max(max_y) FROM features GROUP BY resource_id`).raw(true).all() as [number, number, number, number, number][]
  return new Map(rows.map(([id, a, b, c, d]) => [id, [a, b, c, d]]))
}
