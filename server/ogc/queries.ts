import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db, Engine } from '../db/connect.js'
import { boxOverlaps, inKeyOrder, oneOf } from '../db/dialect.js'
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

const COLUMNS = ['f.id', 'f.resource_id', 'f.kind', 'f.name', 'f.geometry', 'f.risk_level', 'f.indicators', 'f.impact_radius_m', 'f.capacity',
  'f.capacity_unit', 'f.attributes', 'f.district_code', 'f.cell_id', 'f.updated_at'] as const
const COLUMNS_SQL = sql.join(COLUMNS.map((c) => sql.ref(c)))

/** The features counter of migration 0004: bumped by triggers on every feature write. */
export function featuresVersion(db: Db): Promise<number> {
  return db.versions.get('features')
}

/** Feature counts per (resource, kind, risk level), from the trigger-maintained summary (no scan): a few thousand rows even at a million features. */
export async function featureGroups(db: Db): Promise<FeatureGroup[]> {
  const rows = await db.kysely.selectFrom('feature_summary')
    .select((eb) => ['resource_id', 'kind', 'risk_level', eb.fn.sum<number>('n').as('n')])
    .groupBy(['resource_id', 'kind', 'risk_level']).execute()
  return rows.map((r) => ({ resourceId: r.resource_id, kind: r.kind, risk: r.risk_level, n: Number(r.n) }))
}

/** Bounding box and update-time range per (resource, kind, risk level): one scan of the features table. */
export async function featureGroupExtents(db: Db): Promise<FeatureGroupExtent[]> {
  const rows = await db.kysely.selectFrom('features')
    .select((eb) => ['resource_id', 'kind', eb.fn.coalesce('risk_level', sql.lit('')).as('risk'), eb.fn.countAll<number>().as('n'),
      eb.fn.min('min_x').as('a'), eb.fn.min('min_y').as('b'), eb.fn.max('max_x').as('c'), eb.fn.max('max_y').as('d'),
      eb.fn.min('updated_at').as('first_update'), eb.fn.max('updated_at').as('last_update')])
    .groupBy(['resource_id', 'kind', 'risk_level']).execute()
  return rows.map((r) => ({ resourceId: r.resource_id, kind: r.kind, risk: r.risk, n: Number(r.n), bbox: [r.a, r.b, r.c, r.d] as Bbox,
    firstUpdate: r.first_update, lastUpdate: r.last_update }))
}

/** The bounding box of the focus district (the area the atlas covers), or null before boundaries are loaded. */
export async function districtBbox(db: Db): Promise<Bbox | null> {
  const r = await db.kysely.selectFrom('regions')
    .select((eb) => [eb.fn.min('min_x').as('a'), eb.fn.min('min_y').as('b'), eb.fn.max('max_x').as('c'), eb.fn.max('max_y').as('d')])
    .where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirstOrThrow()
  return r.a === null ? null : [r.a, r.b, r.c, r.d]
}

export async function subcategoryNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.kysely.selectFrom('subcategories').select(['code', 'name']).execute()
  return new Map(rows.map((r) => [r.code, r.name]))
}

export interface DomainRow { code: string; name: string; short_name: string; data_scope: string }

export function listDomains(db: Db): Promise<DomainRow[]> {
  return db.kysely.selectFrom('domains').select(['code', 'name', 'short_name', 'data_scope']).orderBy('sort_order').orderBy('code').execute()
}

export async function ogcFeatureById(db: Db, id: number): Promise<OgcFeatureRow | null> {
  return (await db.reader.selectFrom('features as f').select(COLUMNS).where('f.id', '=', id).executeTakeFirst()) ?? null
}

/** The conditions of an items query on features `f`, the bbox as a comparison of the feature's own columns or not at all. */
function conditions(engine: Engine, q: ItemsQuery, bboxFromColumns: boolean): RawBuilder<SqlBool>[] {
  const where: RawBuilder<SqlBool>[] = []
  if (q.resourceIds) where.push(oneOf(engine, 'f.resource_id', q.resourceIds))
  if (q.kind) where.push(oneOf(engine, 'f.kind', q.kind))
  if (q.risk) where.push(oneOf(engine, 'f.risk_level', q.risk))
  if (q.bbox && bboxFromColumns) {
    where.push(sql<SqlBool>`f.max_x >= ${q.bbox[0]} AND f.min_x <= ${q.bbox[2]} AND f.max_y >= ${q.bbox[1]} AND f.min_y <= ${q.bbox[3]}`)
  }
  if (q.time?.from) where.push(sql<SqlBool>`f.updated_at >= ${q.time.from}`)
  if (q.time?.to) where.push(q.time.toExclusive ? sql<SqlBool>`f.updated_at < ${q.time.to}` : sql<SqlBool>`f.updated_at <= ${q.time.to}`)
  return where
}

const whereClause = (where: RawBuilder<SqlBool>[]) => (where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``)

/** How many features match (a COUNT; the routes use the summary instead when it can answer). */
export async function countItems(db: Db, q: ItemsQuery): Promise<number> {
  if (q.resourceIds?.length === 0) return 0
  const where = conditions(db.engine, q, false)
  // The bbox through the spatial index (R*Tree, GiST).
  if (q.bbox) where.push(boxOverlaps(db.engine, 'f', q.bbox))
  const { rows: [row] } = await sql<{ n: number }>`SELECT count(*) AS n FROM features f ${whereClause(where)}`.execute(db.reader)
  return Number(row?.n ?? 0)
}

/**
 * One page of matching features in id order.
 *
 * - `afterId` (keyset): the page starts after that id. With `scan`, the database walks the table in id
 *   order from there and stops after `limit` matches, so paging through a large result reads each row
 *   once in total (linear, not quadratic). Without `scan` (small results), the database picks an index
 *   or the spatial index and sorts the few matches.
 * - `offset` without a known `afterId`: LIMIT/OFFSET, which costs O(offset); only used when a client
 *   jumps to an offset the server has not handed out in a next link.
 */
export async function itemsPage(db: Db, q: ItemsQuery, page: { afterId: number | null; offset: number; limit: number; scan: boolean }): Promise<OgcFeatureRow[]> {
  if (q.resourceIds?.length === 0) return []
  const where = conditions(db.engine, q, page.scan)
  if (q.bbox && !page.scan) where.push(boxOverlaps(db.engine, 'f', q.bbox))
  if (page.afterId !== null) where.push(sql<SqlBool>`f.id > ${page.afterId}`)
  const from = page.scan ? inKeyOrder(db.engine, 'features', 'f') : sql`features f`
  const tail = page.afterId !== null ? sql`LIMIT ${page.limit}` : sql`LIMIT ${page.limit} OFFSET ${page.offset}`
  return (await sql<OgcFeatureRow>`SELECT ${COLUMNS_SQL} FROM ${from} ${whereClause(where)} ORDER BY f.id ${tail}`.execute(db.reader)).rows
}
