import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '../db/connect.js'
import type { VisibilityRule } from '../domain/access.js'
import type { KioskCeiling } from '../domain/enums.js'
import type {
  FederatedDepartment, FederatedFeature, FederatedResource, FederatedSystem, FederatedUpdate, FederationManifest, FederationTokenInfo,
} from '../domain/federation.js'
import { visibleSql } from '../selection/catalog.js'

/**
 * SQL of the district's side of federation: its federation tokens, and what a token lets a city read —
 * the district's own catalog and features (never what it harvested itself), limited to the token's
 * ceiling. Lists are read in id order, a page at a time, so that a harvest never holds the district's
 * event loop for long.
 */

/** What a token with this ceiling may read: public, or public and internal; restricted data never leaves. */
export function ceilingRule(ceiling: KioskCeiling, tokenId: number): VisibilityRule & { within: null } {
  return { all: false, sensitivities: ceiling === 'internal' ? ['public', 'internal'] : ['public'], restrictedDepartments: [], key: `f${tokenId}`, within: null }
}

/** Resources the rule lets out, as SQL over the resources row `r`: the district's own, within the ceiling. */
function sharedResource(db: Db, rule: VisibilityRule): Expression<SqlBool> {
  return sql<SqlBool>`r.source_id IS NULL AND ${visibleSql(db.engine, { ...rule, within: null })}`
}
/** The ids of those resources as a subquery (features and updates are filtered by it). */
const sharedResourceIds = (db: Db, rule: VisibilityRule) => sql`(SELECT r.id FROM resources r WHERE ${sharedResource(db, rule)})`

// ---- Tokens ----

export async function insertFederationToken(db: Db, t: { label: string; prefix: string; tokenHash: string; ceiling: KioskCeiling; createdBy: number }, now: Date): Promise<number> {
  const row = await db.kysely.insertInto('federation_tokens')
    .values({ label: t.label, prefix: t.prefix, token_hash: t.tokenHash, ceiling: t.ceiling, created_by: t.createdBy, created_at: now.toISOString() })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function listFederationTokens(db: Db): Promise<FederationTokenInfo[]> {
  const rows = await db.kysely.selectFrom('federation_tokens as t').leftJoin('users as u', 'u.id', 't.created_by')
    .select(['t.id', 't.label', 't.prefix', 't.ceiling', 't.created_at', 't.revoked_at', 't.last_used_at', 'u.username'])
    .orderBy('t.id', 'desc').execute()
  return rows.map((r) => ({
    id: r.id, label: r.label, prefix: r.prefix, ceiling: r.ceiling, createdAt: r.created_at, createdBy: r.username ?? null,
    revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
  }))
}

export async function federationTokenById(db: Db, id: number): Promise<FederationTokenInfo | null> {
  return (await listFederationTokens(db)).find((t) => t.id === id) ?? null
}

export async function revokeFederationToken(db: Db, id: number, now: Date): Promise<void> {
  await db.kysely.updateTable('federation_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).execute()
}

/** The live token with this hash, or null (unknown or revoked). */
export async function liveFederationToken(db: Db, tokenHash: string): Promise<{ id: number; label: string; ceiling: KioskCeiling; lastUsedAt: string | null } | null> {
  const row = await db.kysely.selectFrom('federation_tokens').select(['id', 'label', 'ceiling', 'last_used_at'])
    .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst()
  return row ? { id: row.id, label: row.label, ceiling: row.ceiling, lastUsedAt: row.last_used_at } : null
}

export async function markFederationTokenUsed(db: Db, id: number, now: Date): Promise<void> {
  await db.kysely.updateTable('federation_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute()
}

// ---- What a token reads ----

/** The district this atlas serves (the focus of its regions). */
export async function focusDistrict(db: Db): Promise<{ code: string; name: string }> {
  const row = await db.kysely.selectFrom('regions').select(['code', 'name']).where('kind', '=', 'district').where('focus', '=', 1).executeTakeFirstOrThrow()
  return { code: row.code, name: row.name }
}

export async function federationManifest(db: Db, rule: VisibilityRule, head: Pick<FederationManifest, 'protocol' | 'district' | 'ceiling' | 'asOf'>): Promise<FederationManifest> {
  const versions = await db.kysely.selectFrom('data_versions').select(['name', 'version']).execute()
  const search = await db.kysely.selectFrom('search_version').select('version').executeTakeFirst()
  const version = (name: string) => Number(versions.find((v) => v.name === name)?.version ?? 0)
  const ids = sharedResourceIds(db, rule)
  const one = async (q: ReturnType<typeof sql<{ n: number | null }>>) => Number((await q.execute(db.kysely)).rows[0]?.n ?? 0)
  const resources = await one(sql<{ n: number }>`SELECT count(*) AS n FROM resources r WHERE ${sharedResource(db, rule)}`)
  const departments = await one(sql<{ n: number }>`SELECT count(*) AS n FROM departments d WHERE d.source_id IS NULL AND ${departmentShared(db, rule)}`)
  const systems = await one(sql<{ n: number }>`SELECT count(*) AS n FROM systems s WHERE s.source_id IS NULL AND ${systemShared(db, rule)}`)
  const items = await one(sql<{ n: number }>`SELECT coalesce(sum(n), 0) AS n FROM resource_item_counts WHERE resource_id IN ${ids}`)
  const updates = await one(sql<{ n: number }>`SELECT count(*) AS n FROM resource_updates WHERE resource_id IN ${ids}`)
  const features = await one(sql<{ n: number }>`SELECT coalesce(sum(n), 0) AS n FROM feature_summary WHERE resource_id IN ${ids}`)
  const maxFeatureRevision = await one(sql<{ n: number }>`SELECT coalesce(max(revision), 0) AS n FROM features WHERE revision IS NOT NULL`)
  const maxUpdateId = await one(sql<{ n: number }>`SELECT coalesce(max(id), 0) AS n FROM resource_updates`)
  return {
    ...head,
    versions: { catalog: version('catalog'), search: Number(search?.version ?? 0), features: version('features') },
    counts: { departments, systems, resources, items, updates, features },
    maxFeatureRevision, maxUpdateId,
  }
}

/**
 * A department is shared when the token sees a resource of it or (internal ceiling: the inventory)
 * always; a system likewise. A public token shows only what holds public data, as a public wall does.
 */
function departmentShared(db: Db, rule: VisibilityRule): Expression<SqlBool> {
  if (rule.sensitivities.includes('internal')) return sql<SqlBool>`1 = 1`
  return sql<SqlBool>`EXISTS (SELECT 1 FROM resources r WHERE r.department_id = d.id AND ${sharedResource(db, rule)})`
}
function systemShared(db: Db, rule: VisibilityRule): Expression<SqlBool> {
  if (rule.sensitivities.includes('internal')) return sql<SqlBool>`1 = 1`
  return sql<SqlBool>`EXISTS (SELECT 1 FROM resources r WHERE r.system_id = s.id AND ${sharedResource(db, rule)})`
}

/** Every shared department with its reporting in the latest survey round, and every shared system. */
export async function federatedInventory(db: Db, rule: VisibilityRule): Promise<{ departments: FederatedDepartment[]; systems: FederatedSystem[] }> {
  const round = await db.kysely.selectFrom('survey_rounds').select(['id', 'title', 'systems_deadline', 'resources_deadline']).orderBy('systems_deadline', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const reporting = new Map((round
    ? await db.kysely.selectFrom('survey_round_departments').selectAll().where('round_id', '=', round.id).execute()
    : []).map((r) => [r.department_id, r]))
  const departments = (await sql<{ id: number; name: string; short_name: string; sort_order: number }>`SELECT d.id, d.name, d.short_name, d.sort_order
    FROM departments d WHERE d.source_id IS NULL AND ${departmentShared(db, rule)} ORDER BY d.id`.execute(db.kysely)).rows
  const systems = (await sql<Record<string, unknown>>`SELECT s.* FROM systems s WHERE s.source_id IS NULL AND ${systemShared(db, rule)} ORDER BY s.id`.execute(db.kysely)).rows
  return {
    departments: departments.map((d) => {
      const r = reporting.get(Number(d.id))
      return {
        id: Number(d.id), name: d.name, shortName: d.short_name, sortOrder: Number(d.sort_order),
        reporting: r && round ? {
          round: round.title, systemsDeadline: round.systems_deadline, resourcesDeadline: round.resources_deadline, noSystems: r.no_systems === 1, systemsReportedAt: r.systems_reported_at, resourcesReportedAt: r.resources_reported_at } : null,
      }
    }),
    systems: systems.map((s) => ({
      id: Number(s.id), departmentId: Number(s.department_id), name: String(s.name), buildLevel: String(s.build_level), builder: String(s.builder),
      operator: String(s.operator), deployment: String(s.deployment), runStatus: String(s.run_status), securityLevel: String(s.security_level),
      sharesData: Number(s.shares_data) === 1, sharingModes: JSON.parse(String(s.sharing_modes)) as string[], networks: JSON.parse(String(s.networks)) as string[],
      reviewer: String(s.reviewer), filler: String(s.filler), phone: String(s.phone), filledAt: (s.filled_at as string | null) ?? null,
      createdAt: String(s.created_at), updatedAt: String(s.updated_at),
    })),
  }
}

/** Shared resources with ids above `after`, with their data items, at most `limit`. */
export async function federatedResources(db: Db, rule: VisibilityRule, after: number, limit: number): Promise<FederatedResource[]> {
  const rows = (await sql<Record<string, unknown>>`SELECT r.* FROM resources r WHERE r.id > ${after} AND ${sharedResource(db, rule)} ORDER BY r.id LIMIT ${limit}`.execute(db.kysely)).rows
  if (!rows.length) return []
  const first = Number(rows[0]!.id), last = Number(rows[rows.length - 1]!.id)
  const items = await db.kysely.selectFrom('data_items').select(['id', 'resource_id', 'name', 'data_type', 'length', 'sort_order'])
    .where('resource_id', '>=', first).where('resource_id', '<=', last).orderBy('resource_id').orderBy('sort_order').orderBy('id').execute()
  const byResource = new Map<number, FederatedResource['items']>()
  for (const i of items) {
    let list = byResource.get(i.resource_id)
    if (!list) byResource.set(i.resource_id, (list = []))
    list.push({ id: i.id, name: i.name, dataType: i.data_type, length: i.length, sortOrder: i.sort_order })
  }
  return rows.map((r) => ({
    id: Number(r.id), systemId: Number(r.system_id), departmentId: Number(r.department_id), subcategoryCode: String(r.subcategory_code), name: String(r.name),
    provisionMode: String(r.provision_mode), updateCycle: String(r.update_cycle), subjectClass: String(r.subject_class), purpose: String(r.purpose),
    sharingAttribute: String(r.sharing_attribute), sensitivity: String(r.sensitivity), reviewer: String(r.reviewer), filler: String(r.filler),
    phone: String(r.phone), filledAt: (r.filled_at as string | null) ?? null, createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    items: byResource.get(Number(r.id)) ?? [],
  }))
}

/** Update records of shared resources (or of one) with ids above `after` (the history only grows: a city asks for what is new). */
export async function federatedUpdates(db: Db, rule: VisibilityRule, after: number, limit: number, resource: number | null): Promise<FederatedUpdate[]> {
  const rows = await db.kysely.selectFrom('resource_updates').select(['id', 'resource_id', 'updated_at', 'record_count', 'source', 'note'])
    .where('id', '>', after).where(sql<SqlBool>`resource_id IN ${sharedResourceIds(db, rule)}`)
    .$if(resource !== null, (q) => q.where('resource_id', '=', resource!))
    .orderBy('id').limit(limit).execute()
  return rows.map((u) => ({ id: u.id, resourceId: u.resource_id, updatedAt: u.updated_at, recordCount: u.record_count, source: u.source, note: u.note }))
}

/**
 * The ids of shared features above `after` as runs [first, last] of consecutive ids, reading at most
 * `limit` ids: a city compares them with the ids it holds to find what was added and deleted.
 */
export async function federatedFeatureIds(db: Db, rule: VisibilityRule, after: number, limit: number): Promise<{ runs: [number, number][]; last: number | null }> {
  const rows = await db.kysely.selectFrom('features').select('id').where('id', '>', after)
    .where(sql<SqlBool>`resource_id IN ${sharedResourceIds(db, rule)}`).orderBy('id').limit(limit).execute()
  const runs: [number, number][] = []
  for (const { id } of rows) {
    const run = runs[runs.length - 1]
    if (run && run[1] === id - 1) run[1] = id
    else runs.push([id, id])
  }
  return { runs, last: rows.length === limit ? rows[rows.length - 1]!.id : null }
}

const FEATURE_COLUMNS = ['id', 'resource_id', 'kind', 'name', 'geometry', 'min_x', 'min_y', 'max_x', 'max_y', 'risk_level', 'indicators', 'impact_radius_m',
  'capacity', 'capacity_unit', 'attributes', 'cell_id', 'updated_at', 'revision'] as const

/**
 * Shared features, a page at a time: by id within [from, to] after the cursor `after`, or (`revisionAfter`)
 * those changed in place since a revision, in revision order.
 */
export async function federatedFeatures(db: Db, rule: VisibilityRule, q: { from: number; to: number; after: number } | { revisionAfter: number }, limit: number): Promise<FederatedFeature[]> {
  const base = db.kysely.selectFrom('features').select(FEATURE_COLUMNS).where(sql<SqlBool>`resource_id IN ${sharedResourceIds(db, rule)}`)
  const rows = 'revisionAfter' in q
    ? await base.where('revision', '>', q.revisionAfter).orderBy('revision').limit(limit).execute()
    : await base.where('id', '>', Math.max(q.after, q.from - 1)).where('id', '<=', q.to).orderBy('id').limit(limit).execute()
  return rows.map((f) => ({
    id: f.id, resourceId: f.resource_id, kind: f.kind, name: f.name, geometry: f.geometry, bbox: [f.min_x, f.min_y, f.max_x, f.max_y],
    riskLevel: f.risk_level, indicators: f.indicators, impactRadiusM: f.impact_radius_m, capacity: f.capacity, capacityUnit: f.capacity_unit,
    attributes: f.attributes, cellId: f.cell_id, updatedAt: f.updated_at, revision: f.revision,
  }))
}
