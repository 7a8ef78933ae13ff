import type { Db } from '../db/connect.js'
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
export function featureVersion(db: Db, resourceId: number): { count: number; signature: string } {
  const r = db.sqlite.prepare(`SELECT count(*) n, coalesce(max(id), 0) last, coalesce(max(updated_at), '') at,
      total(min_x) + total(max_x) sx, total(min_y) + total(max_y) sy, total(length(name)) names
    FROM features WHERE resource_id = ?`).get(resourceId) as { n: number; last: number; at: string; sx: number; sy: number; names: number }
  return { count: r.n, signature: `${r.n}:${r.last}:${r.at}:${r.sx}:${r.sy}:${r.names}` }
}

/** The kind most of the resource's features have, or null when it has none. */
export function mostCommonKind(db: Db, resourceId: number): FeatureKind | null {
  const r = db.sqlite.prepare(`SELECT kind FROM features WHERE resource_id = ? GROUP BY kind ORDER BY count(*) DESC, kind LIMIT 1`).get(resourceId) as { kind: FeatureKind } | undefined
  return r?.kind ?? null
}

export interface ReplacedFeatures { inserted: number; removed: number; updateId: number }

/**
 * Replaces all of a resource's features and records the update in its history, in one transaction.
 * Triggers keep the R-trees, the tallies, the tile data version and the resource's last update current.
 */
export function replaceResourceFeatures(db: Db, locator: RegionLocator, u: { resourceId: number; updatedAt: string; note: string },
  features: ImportFeature[]): ReplacedFeatures {
  const { sqlite } = db
  const remove = sqlite.prepare(`DELETE FROM features WHERE resource_id = ?`)
  const insert = sqlite.prepare(`INSERT INTO features (resource_id, kind, name, geometry_type, geometry, min_x, min_y, max_x, max_y,
    risk_level, indicators, impact_radius_m, capacity, capacity_unit, attributes, district_code, cell_id, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, ?, ?)`)
  const log = sqlite.prepare(`INSERT INTO resource_updates (resource_id, updated_at, record_count, source, note) VALUES (?, ?, ?, 'geodata', ?)`)
  return sqlite.transaction(() => {
    const removed = remove.run(u.resourceId).changes
    for (const f of features) {
      const [minX, minY, maxX, maxY] = bboxOf(f.geometry)
      const where = locator.locate(anchorOf(f.geometry))
      insert.run(u.resourceId, f.kind, f.name, f.geometry.type, JSON.stringify(f.geometry), minX, minY, maxX, maxY, f.riskLevel,
        JSON.stringify(f.attributes), where.districtCode, where.cellId, u.updatedAt)
    }
    const updateId = Number(log.run(u.resourceId, u.updatedAt, features.length, u.note).lastInsertRowid)
    return { inserted: features.length, removed, updateId }
  })()
}
