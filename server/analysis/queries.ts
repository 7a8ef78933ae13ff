import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { oneOf, ownBoxOverlaps } from '../db/dialect.js'
import type { Bbox } from '../geo/geometry.js'

/** SQL of the analyses; the analyses themselves (grouping, distances, normalising) live beside it. */

export interface ItemSourceRow {
  item: string
  resource_id: number
  resource_name: string
  subcategory_code: string
  system_id: number
  system_name: string
  department_id: number
  department_name: string
}

/** Every data item with its resource, system and department (a few thousand rows), for some resources (null: all). */
export async function itemSources(db: Db, resourceIds: number[] | null): Promise<ItemSourceRow[]> {
  if (resourceIds && !resourceIds.length) return []
  return (await sql<ItemSourceRow>`
    SELECT i.name AS item, r.id AS resource_id, r.name AS resource_name, r.subcategory_code, s.id AS system_id, s.name AS system_name,
      d.id AS department_id, d.name AS department_name
    FROM data_items i JOIN resources r ON r.id = i.resource_id JOIN systems s ON s.id = r.system_id JOIN departments d ON d.id = r.department_id
    ${resourceIds ? sql`WHERE ${oneOf(db.engine, 'r.id', resourceIds)}` : sql``}
    ORDER BY d.sort_order, d.id, s.name, r.name, i.sort_order`.execute(db.kysely)).rows
}

/** Whether each system shares data and how (annex 2), keyed by system id. */
export async function systemSharing(db: Db): Promise<Map<number, { sharesData: boolean; sharingModes: string[] }>> {
  const rows = await db.kysely.selectFrom('systems').select(['id', 'shares_data', 'sharing_modes']).execute()
  return new Map(rows.map((r) => [r.id, { sharesData: r.shares_data === 1, sharingModes: JSON.parse(r.sharing_modes) as string[] }]))
}

/** Feature counts per resource and kind, from the trigger-kept summary. */
export async function featuresByResourceKind(db: Db): Promise<{ resource_id: number; kind: string; n: number }[]> {
  const rows = await db.kysely.selectFrom('feature_summary').select(['resource_id', 'kind', (eb) => eb.fn.sum<number>('n').as('n')])
    .groupBy(['resource_id', 'kind']).execute()
  return rows.map((r) => ({ resource_id: r.resource_id, kind: r.kind, n: Number(r.n) }))
}

/** Grid cells (id, code, row, column, whether wholly inside the district) and districts (code, name). */
export async function regionIndex(db: Db) {
  const [cells, districts] = await Promise.all([
    db.kysely.selectFrom('regions').select(['id', 'code', 'grid_row', 'grid_col', 'focus']).where('kind', '=', 'grid').orderBy('id').execute(),
    db.kysely.selectFrom('regions').select(['code', 'name', 'focus']).where('kind', '=', 'district').orderBy('id').execute(),
  ])
  return { cells, districts }
}

/** A protection target or emergency resource near a point, with its anchor (point, or polygon bbox centre). */
export interface NearbyRow {
  id: number
  resource_id: number
  name: string
  x: number
  y: number
  capacity: number | null
  capacity_unit: string | null
}

/**
 * Protection targets or emergency resources whose bounding box meets `box`, through their own spatial
 * index (migration 0003: an R*Tree on SQLite, a GiST-indexed table on PostgreSQL), which carries
 * everything needed: never a scan, never a read of the features rows.
 */
export async function featuresInBox(db: Db, kind: 'protection-target' | 'emergency-resource', box: Bbox): Promise<NearbyRow[]> {
  return db.kysely.selectFrom('nearby_rtree as t')
    .select(['t.id', 't.resource_id', 't.name', 't.x', 't.y', 't.capacity', 't.capacity_unit'])
    .where(ownBoxOverlaps(db.engine, 't', box))
    .where('t.kind', '=', kind)
    .execute()
}

/** One feature's point data (for a hazard source picked on the map). */
export async function featureForSurroundings(db: Db, id: number) {
  return db.kysely.selectFrom('features').select(['id', 'name', 'kind', 'geometry', 'risk_level', 'impact_radius_m', 'resource_id']).where('id', '=', id).executeTakeFirst()
}

/** Names of resources, for classifying emergency resources by what their resource is about. */
export async function resourceNames(db: Db): Promise<Map<number, string>> {
  const rows = await db.kysely.selectFrom('resources').select(['id', 'name']).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
