import { sql, type Kysely } from 'kysely'
import type { Db } from '../db/connect.js'
import { insertMany } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import type { FeatureKind } from '../domain/enums.js'
import { anchorOf, bboxOf } from '../geo/geometry.js'
import type { RegionLocator } from '../geo/regions.js'
import type { ImportFeature } from './validate.js'

/** The resource's department, or null when there is no such resource. */
export async function resourceDepartment(db: Db, resourceId: number): Promise<number | null> {
  return (await db.kysely.selectFrom('resources').select('department_id').where('id', '=', resourceId).executeTakeFirst())?.department_id ?? null
}

/**
 * How many features the resource has, and a signature of them that changes whenever any is added,
 * removed or edited (count, highest id, latest update, sums of the bounding boxes): part of a plan's hash.
 */
export async function featureVersion(db: Kysely<Database>, resourceId: number): Promise<{ count: number; signature: string }> {
  const r = await db.selectFrom('features').where('resource_id', '=', resourceId).select([
    sql<number>`count(*)`.as('n'), sql<number>`coalesce(max(id), 0)`.as('last'), sql<string>`coalesce(max(updated_at), '')`.as('at'),
    sql<number>`coalesce(sum(min_x), 0) + coalesce(sum(max_x), 0)`.as('sx'), sql<number>`coalesce(sum(min_y), 0) + coalesce(sum(max_y), 0)`.as('sy'),
    sql<number>`coalesce(sum(length(name)), 0)`.as('names'),
  ]).executeTakeFirstOrThrow()
  const n = Number(r.n)
  return { count: n, signature: `${n}:${Number(r.last)}:${r.at}:${Number(r.sx)}:${Number(r.sy)}:${Number(r.names)}` }
}

/** The kind most of the resource's features have, or null when it has none. */
export async function mostCommonKind(db: Db, resourceId: number): Promise<FeatureKind | null> {
  const r = await db.kysely.selectFrom('features').select('kind').where('resource_id', '=', resourceId)
    .groupBy('kind').orderBy(sql`count(*)`, 'desc').orderBy('kind').limit(1).executeTakeFirst()
  return (r?.kind as FeatureKind | undefined) ?? null
}

export interface ReplacedFeatures { inserted: number; removed: number; updateId: number }

/**
 * Replaces all of a resource's features and records the update in its history, inside the caller's
 * write transaction. Triggers keep the spatial indexes, the tallies, the tile data version and the
 * resource's last update current.
 */
export async function replaceResourceFeatures(trx: Kysely<Database>, locator: RegionLocator, u: { resourceId: number; updatedAt: string; note: string },
  features: ImportFeature[]): Promise<ReplacedFeatures> {
  const removed = Number((await trx.deleteFrom('features').where('resource_id', '=', u.resourceId).executeTakeFirst()).numDeletedRows)
  await insertMany(trx, 'features', features.map((f) => {
    const [minX, minY, maxX, maxY] = bboxOf(f.geometry)
    const where = locator.locate(anchorOf(f.geometry))
    return {
      resource_id: u.resourceId, kind: f.kind, name: f.name, geometry_type: f.geometry.type, geometry: JSON.stringify(f.geometry),
      min_x: minX, min_y: minY, max_x: maxX, max_y: maxY, risk_level: f.riskLevel, indicators: null, impact_radius_m: null, capacity: null,
      capacity_unit: null, attributes: JSON.stringify(f.attributes), district_code: where.districtCode, cell_id: where.cellId, updated_at: u.updatedAt,
    }
  }))
  const { id: updateId } = await trx.insertInto('resource_updates')
    .values({ resource_id: u.resourceId, updated_at: u.updatedAt, record_count: features.length, source: 'geodata', note: u.note })
    .returning('id').executeTakeFirstOrThrow()
  return { inserted: features.length, removed, updateId }
}
