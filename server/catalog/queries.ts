import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import type { DataType, ReportStatus, UpdateSource } from '../domain/enums.js'
import type { DataItem, DataResource, Department, Page, ResourceUpdate, SearchHit } from '../domain/types.js'
import type { CatalogFilter } from '../selection/filters.js'
import { featureKindsSql, matchingIds, matchingResources, seesInventory, visibleSql, type ScopedRule } from '../selection/catalog.js'
import { searchRowids } from '../selection/search-index.js'

/** Fills in item and feature counts for a handful of resources (one page); a wall counts only the features its filter covers. */
export async function withCounts(db: Db, resources: DataResource[], rule: ScopedRule): Promise<DataResource[]> {
  if (!resources.length) return resources
  const ids = resources.map((r) => r.id)
  const [items, features] = await Promise.all([
    db.kysely.selectFrom('data_items').select(['resource_id', (eb) => eb.fn.countAll<number>().as('n')]).where('resource_id', 'in', ids).groupBy('resource_id').execute(),
    db.kysely.selectFrom('feature_summary as t').select(['t.resource_id', (eb) => eb.fn.sum<number>('t.n').as('n')]).where('t.resource_id', 'in', ids)
      .where(featureKindsSql(rule.within, 't')).groupBy('t.resource_id').execute(),
  ])
  const itemN = new Map(items.map((r) => [r.resource_id, Number(r.n)]))
  const featN = new Map(features.map((r) => [r.resource_id, Number(r.n)]))
  return resources.map((r) => ({ ...r, itemCount: itemN.get(r.id) ?? 0, featureCount: featN.get(r.id) ?? 0 }))
}

/**
 * Data items and map features (of the kinds the viewer's scope allows) per resource, for the whole
 * catalog: a filtered set of resources is counted from these in memory, however many it holds.
 */
export async function countsPerResource(db: Db, rule: ScopedRule): Promise<{ items: Map<number, number>; features: Map<number, number> }> {
  const [items, features] = await Promise.all([
    db.kysely.selectFrom('resource_item_counts').select(['resource_id', 'n']).execute(),
    db.kysely.selectFrom('feature_summary as t').select(['t.resource_id', (eb) => eb.fn.sum<number>('t.n').as('n')])
      .where(featureKindsSql(rule.within, 't')).groupBy('t.resource_id').execute(),
  ])
  return {
    items: new Map(items.map((r) => [r.resource_id, Number(r.n)])),
    features: new Map(features.map((r) => [r.resource_id, Number(r.n)])),
  }
}

/**
 * Departments seen through a filter: each counts only its resources that match it (and their systems,
 * items and features), so a department's figures agree with the other panels of the same filter.
 */
export function countMatching(departments: Department[], resources: readonly DataResource[], counts: { items: Map<number, number>; features: Map<number, number> }): Department[] {
  const by = new Map<number, { systems: Set<number>; resources: number; items: number; features: number }>()
  for (const r of resources) {
    const d = by.get(r.departmentId) ?? { systems: new Set<number>(), resources: 0, items: 0, features: 0 }
    d.systems.add(r.systemId)
    d.resources++
    d.items += counts.items.get(r.id) ?? 0
    d.features += counts.features.get(r.id) ?? 0
    by.set(r.departmentId, d)
  }
  return departments.map((dep) => {
    const d = by.get(dep.id)
    return { ...dep, systemCount: d?.systems.size ?? 0, resourceCount: d?.resources ?? 0, itemCount: d?.items ?? 0, featureCount: d?.features ?? 0 }
  })
}

/** One page of a list. */
export function pageOf<T>(all: T[], page: number, pageSize: number): Page<T> {
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize }
}

/** One resource, or null when it does not exist or the rule hides it (callers answer 404 either way). */
export async function itemsOfResource(db: Db, resourceId: number): Promise<DataItem[]> {
  const rows = await db.reader.selectFrom('data_items').selectAll().where('resource_id', '=', resourceId).orderBy('sort_order').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, resourceId: r.resource_id, name: r.name, dataType: r.data_type as DataType, length: r.length, sortOrder: r.sort_order }))
}

export async function updatesOfResource(db: Db, resourceId: number, limit: number): Promise<ResourceUpdate[]> {
  const rows = await db.reader.selectFrom('resource_updates').selectAll().where('resource_id', '=', resourceId)
    .orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, resourceId: r.resource_id, updatedAt: r.updated_at, recordCount: r.record_count, source: r.source as UpdateSource, note: r.note }))
}

/** Data items matching the filters (through their resources) and, with q, whose own name contains the text. */
export async function matchingItems(db: Db, f: CatalogFilter, now: Date, page: number, pageSize: number, rule: ScopedRule) {
  const { q, ...rest } = f
  const resources = await matchingResources(db, rest, now, rule)
  if (!resources.length) return { items: [], total: 0, page, pageSize }
  const byId = new Map(resources.map((r) => [r.id, r]))
  const ids = [...byId.keys()]
  const named = q ? await matchingIds(db, q, 3) : null
  const base = db.kysely.selectFrom('data_items').where(oneOf(db.engine, 'resource_id', ids))
    .$if(named !== null, (qb) => qb.where(oneOf(db.engine, 'id', named!)))
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

/**
 * Departments with the counts of what the rule lets the viewer see, and their status in the latest
 * survey round. A wall with a filter sees only the departments holding a resource the filter covers.
 */
export async function listDepartments(db: Db, statusOf: (departmentId: number) => ReportStatus | null, onlyIds: number[] | undefined, rule: ScopedRule): Promise<Department[]> {
  const vis = visibleSql(db.engine, rule)
  const where = [
    ...(onlyIds?.length ? [sql`d.id IN (${sql.join(onlyIds)})`] : []),
    ...(rule.within ? [sql`EXISTS (SELECT 1 FROM resources r WHERE r.department_id = d.id AND ${vis})`] : []),
  ]
  const systems = seesInventory(rule)
    ? sql`(SELECT count(*) FROM systems s WHERE s.department_id = d.id)`
    : sql`(SELECT count(DISTINCT r.system_id) FROM resources r WHERE r.department_id = d.id AND ${vis})`
  const rows = await sql<{ id: number; name: string; short_name: string; systems: number; resources: number; items: number; features: number }>`
    SELECT d.id, d.name, d.short_name,
      ${systems} AS systems,
      (SELECT count(*) FROM resources r WHERE r.department_id = d.id AND ${vis}) AS resources,
      (SELECT coalesce(sum(c.n), 0) FROM resource_item_counts c JOIN resources r ON r.id = c.resource_id WHERE r.department_id = d.id AND ${vis}) AS items,
      (SELECT coalesce(sum(t.n), 0) FROM feature_summary t JOIN resources r ON r.id = t.resource_id
        WHERE r.department_id = d.id AND ${vis} AND ${featureKindsSql(rule.within, 't')}) AS features
    FROM departments d
    ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY d.sort_order, d.id`.execute(db.kysely)
  return rows.rows.map((r) => ({
    id: r.id, name: r.name, shortName: r.short_name, systemCount: Number(r.systems), resourceCount: Number(r.resources),
    itemCount: Number(r.items), featureCount: Number(r.features), reportStatus: statusOf(r.id),
  }))
}

/** Catalog search down to data items: systems first, then resources, then items. */
export async function searchCatalog(db: Db, q: string, limit: number, rule: ScopedRule, departments: readonly number[] | null = null): Promise<SearchHit[]> {
  const vis = visibleSql(db.engine, rule)
  // Only these departments' systems, resources and items (a city's district filter), when given.
  const inDepartments = departments === null ? sql`` : sql`AND CASE catalog_search.rowid % 4
      WHEN 1 THEN EXISTS (SELECT 1 FROM systems s WHERE s.id = catalog_search.rowid / 4 AND ${oneOf(db.engine, 's.department_id', departments)})
      WHEN 2 THEN EXISTS (SELECT 1 FROM resources r WHERE r.id = catalog_search.rowid / 4 AND ${oneOf(db.engine, 'r.department_id', departments)})
      ELSE EXISTS (SELECT 1 FROM data_items i JOIN resources r ON r.id = i.resource_id WHERE i.id = catalog_search.rowid / 4 AND ${oneOf(db.engine, 'r.department_id', departments)}) END`
  const visible = rule.all && !rule.within ? sql`` : sql`AND CASE catalog_search.rowid % 4
      WHEN 1 THEN ${seesInventory(rule) ? sql`1 = 1` : sql`EXISTS (SELECT 1 FROM resources r WHERE r.system_id = catalog_search.rowid / 4 AND ${vis})`}
      WHEN 2 THEN EXISTS (SELECT 1 FROM resources r WHERE r.id = catalog_search.rowid / 4 AND ${vis})
      ELSE EXISTS (SELECT 1 FROM data_items i JOIN resources r ON r.id = i.resource_id WHERE i.id = catalog_search.rowid / 4 AND ${vis}) END`
  const hits = await sql<{ rowid: number; title: string }>`
    SELECT rowid, title FROM catalog_search WHERE ${oneOf(db.engine, 'rowid', await searchRowids(db, q))} ${visible} ${inDepartments}
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
export async function extentsByResource(db: Db): Promise<Map<number, [number, number, number, number]>> {
  const rows = await db.kysely.selectFrom('features')
    .select((eb) => ['resource_id', eb.fn.min('min_x').as('a'), eb.fn.min('min_y').as('b'), eb.fn.max('max_x').as('c'), eb.fn.max('max_y').as('d')])
    .groupBy('resource_id').execute()
  return new Map(rows.map((r) => [r.resource_id, [r.a, r.b, r.c, r.d]]))
}

