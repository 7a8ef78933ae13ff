import type { Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { inTransaction, oneOf } from '../db/dialect.js'
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

/** Revokes every key of a system with this label (a program that issues itself a new key at each start). */
export async function revokeKeysLabelled(db: Db, systemId: number, label: string, at: string): Promise<void> {
  await db.kysely.updateTable('api_keys').set({ revoked_at: at }).where('system_id', '=', systemId).where('label', '=', label).where('revoked_at', 'is', null).execute()
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

/** Notes that a key was used (at most once a minute: readings arrive many times a minute). */
export async function touchApiKey(db: Db, id: number, now: Date): Promise<void> {
  const at = now.toISOString()
  await db.kysely.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000).toISOString())])).execute()
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
export async function recordUpdate(db: Db, locator: RegionLocator, u: { resourceId: number; updatedAt: string; recordCount: number; keyId: number; note: string; receivedAt: string },
  features: IngestFeature[]): Promise<RecordedUpdate> {
  const result = await inTransaction(db, async (trx) => {
    let inserted = 0
    let replaced = 0
    const featureIds: number[] = []
    const claimed = features.flatMap((f) => (f.id !== null ? [f.id] : []))
    const own = new Set(claimed.length
      ? (await trx.selectFrom('features').select('id').where('resource_id', '=', u.resourceId).where(oneOf(db.engine, 'id', claimed)).execute()).map((r) => Number(r.id))
      : [])
    for (const f of features) {
      const [minX, minY, maxX, maxY] = bboxOf(f.geometry)
      const where = locator.locate(anchorOf(f.geometry))
      const common = {
        kind: f.kind, name: f.name, geometry_type: f.geometry.type, geometry: JSON.stringify(f.geometry), min_x: minX, min_y: minY, max_x: maxX, max_y: maxY,
        risk_level: f.riskLevel, impact_radius_m: f.impactRadiusM, capacity: f.capacity, capacity_unit: f.capacityUnit, attributes: JSON.stringify(f.attributes),
        district_code: where.districtCode, cell_id: where.cellId, updated_at: u.updatedAt,
      }
      if (f.id !== null && own.has(f.id)) {
        await trx.updateTable('features').set(common).where('id', '=', f.id).execute()
        featureIds.push(f.id)
        replaced++
      } else {
        const { id } = await trx.insertInto('features').values({ resource_id: u.resourceId, indicators: null, ...common }).returning('id').executeTakeFirstOrThrow()
        featureIds.push(id)
        inserted++
      }
    }
    const { id: updateId } = await trx.insertInto('resource_updates')
      .values({ resource_id: u.resourceId, updated_at: u.updatedAt, record_count: u.recordCount, source: 'api', note: u.note })
      .returning('id').executeTakeFirstOrThrow()
    await trx.updateTable('api_keys').set({ last_used_at: u.receivedAt }).where('id', '=', u.keyId).execute()
    return { updateId, inserted, replaced, featureIds }
  })
  await db.versions.refresh()
  return result
}
