import type { Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import type { ApiKeysTable } from '../db/schema.js'
import { anchorOf, bboxOf } from '../geo/geometry.js'
import type { RegionLocator } from '../geo/regions.js'
import type { IngestFeature } from './features.js'

/** An issued key as listed on the system page (never the key itself). */
export interface ApiKeyInfo {
  id: number
  systemId: number
  prefix: string
  label: string
  createdAt: string
  revokedAt: string | null
  lastUsedAt: string | null
}

type KeyRow = Omit<Selectable<ApiKeysTable>, 'key_hash'>
const keyInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id, systemId: r.system_id, prefix: r.prefix, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
})

/** The department of a system, or null when there is no such system. */
export async function systemDepartment(db: Db, systemId: number): Promise<number | null> {
  return (await db.kysely.selectFrom('systems').select('department_id').where('id', '=', systemId).executeTakeFirst())?.department_id ?? null
}

export async function apiKeysOfSystem(db: Db, systemId: number): Promise<ApiKeyInfo[]> {
  const rows = await db.kysely.selectFrom('api_keys').select(['id', 'system_id', 'prefix', 'label', 'created_at', 'revoked_at', 'last_used_at'])
    .where('system_id', '=', systemId).orderBy('id', 'desc').execute()
  return rows.map(keyInfo)
}

export async function insertApiKey(db: Db, systemId: number, prefix: string, hash: string, label: string, at: string): Promise<ApiKeyInfo> {
  const r = await db.kysely.insertInto('api_keys').values({ system_id: systemId, prefix, key_hash: hash, label, created_at: at })
    .returning(['id', 'system_id', 'prefix', 'label', 'created_at', 'revoked_at', 'last_used_at']).executeTakeFirstOrThrow()
  return keyInfo(r)
}

/** Revokes a key of a system; returns it, or null when the system has no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Db, systemId: number, keyId: number, at: string): Promise<ApiKeyInfo | null> {
  await db.kysely.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', keyId).where('system_id', '=', systemId).where('revoked_at', 'is', null).execute()
  const r = await db.kysely.selectFrom('api_keys').select(['id', 'system_id', 'prefix', 'label', 'created_at', 'revoked_at', 'last_used_at'])
    .where('id', '=', keyId).where('system_id', '=', systemId).executeTakeFirst()
  return r ? keyInfo(r) : null
}

/** The live (unrevoked) key with this hash. */
export async function activeKeyByHash(db: Db, hash: string): Promise<{ id: number; systemId: number } | null> {
  const r = await db.kysely.selectFrom('api_keys').select(['id', 'system_id']).where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst()
  return r ? { id: r.id, systemId: r.system_id } : null
}

export async function resourceSystem(db: Db, resourceId: number): Promise<{ systemId: number; name: string } | null> {
  const r = await db.kysely.selectFrom('resources').select(['system_id', 'name']).where('id', '=', resourceId).executeTakeFirst()
  return r ? { systemId: r.system_id, name: r.name } : null
}

export interface RecordedUpdate { updateId: number; inserted: number; replaced: number; featureIds: number[] }

/**
 * Records one real update of a resource and upserts its changed features, all in one transaction:
 * a feature whose id already belongs to the resource is replaced in place, any other is inserted.
 */
export function recordUpdate(db: Db, locator: RegionLocator, u: { resourceId: number; updatedAt: string; recordCount: number; keyId: number; note: string; receivedAt: string },
  features: IngestFeature[]): RecordedUpdate {
  const { sqlite } = db
  const own = sqlite.prepare(`SELECT 1 FROM features WHERE id = ? AND resource_id = ?`)
  const insert = sqlite.prepare(`INSERT INTO features (resource_id, kind, name, geometry_type, geometry, min_x, min_y, max_x, max_y,
    risk_level, indicators, impact_radius_m, capacity, capacity_unit, attributes, district_code, cell_id, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`)
  const replace = sqlite.prepare(`UPDATE features SET kind = ?, name = ?, geometry_type = ?, geometry = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ?,
    risk_level = ?, impact_radius_m = ?, capacity = ?, capacity_unit = ?, attributes = ?, district_code = ?, cell_id = ?, updated_at = ? WHERE id = ?`)
  const log = sqlite.prepare(`INSERT INTO resource_updates (resource_id, updated_at, record_count, source, note) VALUES (?, ?, ?, 'api', ?)`)
  const used = sqlite.prepare(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`)
  return sqlite.transaction(() => {
    let inserted = 0
    let replaced = 0
    const featureIds: number[] = []
    for (const f of features) {
      const [minX, minY, maxX, maxY] = bboxOf(f.geometry)
      const where = locator.locate(anchorOf(f.geometry))
      const common = [f.kind, f.name, f.geometry.type, JSON.stringify(f.geometry), minX, minY, maxX, maxY, f.riskLevel, f.impactRadiusM, f.capacity,
        f.capacityUnit, JSON.stringify(f.attributes), where.districtCode, where.cellId, u.updatedAt] as const
      if (f.id !== null && own.get(f.id, u.resourceId)) {
        replace.run(...common, f.id)
        featureIds.push(f.id)
        replaced++
      } else {
        featureIds.push(Number(insert.run(u.resourceId, ...common).lastInsertRowid))
        inserted++
      }
    }
    const updateId = Number(log.run(u.resourceId, u.updatedAt, u.recordCount, u.note).lastInsertRowid)
    used.run(u.receivedAt, u.keyId)
    return { updateId, inserted, replaced, featureIds }
  })()
}
