import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/connect.js'
import type { FeatureRow } from '../features/queries.js'
import type { Bbox } from '../geo/geometry.js'

/** Features of one (resource, kind, risk level): what collection counts and extents are summed from. */
export interface FeatureGroup {
  resourceId: number
  kind: string
  /** '' for features without a risk level. */
  risk: string
  n: number
}

/** A FeatureGroup with its bounding box and update-time range. */
export interface FeatureGroupExtent extends FeatureGroup {
  bbox: Bbox
  firstUpdate: string
  lastUpdate: string
}

/** Update-time condition on `features.updated_at` (ISO 8601 UTC text, so text order is time order). */
export interface TimeFilter {
  /** Inclusive lower bound. */
  from: string | null
  /** Upper bound, inclusive unless `toExclusive`. */
  to: string | null
  toExclusive: boolean
}

/** What an items request selects, after the viewer's scope is applied. */
export interface ItemsQuery {
  /** Only these resources; null means every resource. */
  resourceIds: number[] | null
  kind: string[] | null
  risk: string[] | null
  bbox: Bbox | null
  time: TimeFilter | null
}

/** A feature as the OGC items read it: the same columns as the features API. */
export type OgcFeatureRow = FeatureRow

const COLUMNS = `f.id, f.resource_id, f.kind, f.name, f.geometry, f.risk_level, f.indicators, f.impact_radius_m, f.capacity,
  f.capacity_unit, f.attributes, f.district_code, f.cell_id, f.updated_at`

const statements = new WeakMap<Db, Record<string, Statement>>()

function prepared(db: Db): Record<string, Statement> {
  let s = statements.get(db)
  if (!s) {
    s = {
      version: db.sqlite.prepare(`SELECT version FROM data_versions WHERE name = 'features'`).pluck(),
      // The trigger-maintained summary: a few thousand rows even at a million features.
      groups: db.sqlite.prepare(`SELECT resource_id, kind, risk_level, sum(n) AS n FROM feature_summary GROUP BY resource_id, kind, risk_level`).raw(true),
      extents: db.sqlite.prepare(`SELECT resource_id, kind, coalesce(risk_level, ''), count(*), min(min_x), min(min_y), max(max_x), max(max_y),
        min(updated_at), max(updated_at) FROM features GROUP BY resource_id, kind, risk_level`).raw(true),
      district: db.sqlite.prepare(`SELECT min(min_x) a, min(min_y) b, max(max_x) c, max(max_y) d FROM regions WHERE kind = 'district' AND focus = 1`),
      byId: db.sqlite.prepare(`SELECT ${COLUMNS} FROM features f WHERE f.id = ?`),
      subcategories: db.sqlite.prepare(`SELECT code, name FROM subcategories`).raw(true),
      domains: db.sqlite.prepare(`SELECT code, name, short_name, data_scope FROM domains ORDER BY sort_order, code`),
    }
    statements.set(db, s)
  }
  return s
}

/** The features counter of migration 0004: bumped by triggers on every feature write. */
export function featuresVersion(db: Db): number {
  return Number(prepared(db).version!.get() ?? 0)
}

/** Feature counts per (resource, kind, risk level), from the trigger-maintained summary (no scan). */
export function featureGroups(db: Db): FeatureGroup[] {
  return (prepared(db).groups!.all() as [number, string, string, number][]).map(([resourceId, kind, risk, n]) => ({ resourceId, kind, risk, n }))
}

/** Bounding box and update-time range per (resource, kind, risk level): one scan of the features table. */
export function featureGroupExtents(db: Db): FeatureGroupExtent[] {
  return (prepared(db).extents!.all() as [number, string, string, number, number, number, number, number, string, string][])
    .map(([resourceId, kind, risk, n, a, b, c, d, firstUpdate, lastUpdate]) => ({ resourceId, kind, risk, n, bbox: [a, b, c, d] as Bbox, firstUpdate, lastUpdate }))
}

/** The bounding box of the focus district (the area the atlas covers), or null before boundaries are loaded. */
export function districtBbox(db: Db): Bbox | null {
  const r = prepared(db).district!.get() as { a: number | null; b: number; c: number; d: number }
  return r.a === null ? null : [r.a, r.b, r.c, r.d]
}

export function subcategoryNames(db: Db): Map<string, string> {
  return new Map(prepared(db).subcategories!.all() as [string, string][])
}

export interface DomainRow { code: string; name: string; short_name: string; data_scope: string }

export function listDomains(db: Db): DomainRow[] {
  return prepared(db).domains!.all() as DomainRow[]
}

export function ogcFeatureById(db: Db, id: number): OgcFeatureRow | null {
  return (prepared(db).byId!.get(id) as OgcFeatureRow | undefined) ?? null
}

function conditions(q: ItemsQuery, bboxFromColumns: boolean): { where: string[]; params: unknown[] } {
  const where: string[] = []
  const params: unknown[] = []
  if (q.resourceIds) {
    where.push(`f.resource_id IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(q.resourceIds))
  }
  if (q.kind) {
    where.push(`f.kind IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(q.kind))
  }
  if (q.risk) {
    where.push(`f.risk_level IN (SELECT value FROM json_each(?))`)
    params.push(JSON.stringify(q.risk))
  }
  if (q.bbox && bboxFromColumns) {
    where.push(`f.max_x >= ? AND f.min_x <= ? AND f.max_y >= ? AND f.min_y <= ?`)
    params.push(q.bbox[0], q.bbox[2], q.bbox[1], q.bbox[3])
  }
  if (q.time?.from) {
    where.push(`f.updated_at >= ?`)
    params.push(q.time.from)
  }
  if (q.time?.to) {
    where.push(q.time.toExclusive ? `f.updated_at < ?` : `f.updated_at <= ?`)
    params.push(q.time.to)
  }
  return { where, params }
}

const rtreeJoin = `JOIN features_rtree t ON t.id = f.id AND t.max_x >= ? AND t.min_x <= ? AND t.max_y >= ? AND t.min_y <= ?`
const bboxParams = (b: Bbox) => [b[0], b[2], b[1], b[3]]

/** How many features match (a COUNT; the routes use the summary instead when it can answer). */
export function countItems(db: Db, q: ItemsQuery): number {
  if (q.resourceIds?.length === 0) return 0
  const { where, params } = conditions(q, false)
  const join = q.bbox ? rtreeJoin : ''
  const sql = `SELECT count(*) FROM features f ${join} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`
  return Number(db.sqlite.prepare(sql).pluck().get(...(q.bbox ? bboxParams(q.bbox) : []), ...params))
}

/**
 * One page of matching features in id order.
 *
 * - `afterId` (keyset): the page starts after that id. With `scan`, SQLite walks the table in rowid
 *   order from there and stops after `limit` matches, so paging through a large result reads each row
 *   once in total (linear, not quadratic). Without `scan` (small results), SQLite picks an index or the
 *   R*Tree and sorts the few matches.
 * - `offset` without a known `afterId`: LIMIT/OFFSET, which costs O(offset); only used when a client
 *   jumps to an offset the server has not handed out in a next link.
 */
export function itemsPage(db: Db, q: ItemsQuery, page: { afterId: number | null; offset: number; limit: number; scan: boolean }): OgcFeatureRow[] {
  if (q.resourceIds?.length === 0) return []
  const { where, params } = conditions(q, page.scan)
  const useRtree = !!q.bbox && !page.scan
  const from = page.scan ? 'features f NOT INDEXED' : `features f ${useRtree ? rtreeJoin : ''}`
  if (page.afterId !== null) {
    where.push('f.id > ?')
    params.push(page.afterId)
  }
  const tail = page.afterId !== null ? 'LIMIT ?' : 'LIMIT ? OFFSET ?'
  const sql = `SELECT ${COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id ${tail}`
  const args = [...(useRtree ? bboxParams(q.bbox!) : []), ...params, page.limit, ...(page.afterId !== null ? [] : [page.offset])]
  return db.sqlite.prepare(sql).all(...args) as OgcFeatureRow[]
}
