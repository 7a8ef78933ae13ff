import { sql, type Expression, type SqlBool } from 'kysely'
import type { Selectable } from 'kysely'
import type { Db, Engine } from '../db/connect.js'
import { oneOf } from '../db/dialect.js'
import type { ResourcesTable, SystemsTable } from '../db/schema.js'
import type {
  FeatureKind, Network, RiskLevel, Purpose, RunStatus, SecurityLevel, Sensitivity, SharingAttribute, SharingMode, SubjectClass, UpdateCycle,
  BuildLevel, Deployment,
} from '../domain/enums.js'
import { CYCLE_PERIOD_MS, statusAt } from '../domain/freshness.js'
import { categoryLabel } from '../domain/taxonomy.js'
import type { DataResource, InfoSystem } from '../domain/types.js'
import type { VisibilityRule } from '../domain/access.js'
import type { CatalogFilter, FeatureFilter } from './filters.js'
import { searchRowids } from './search-index.js'
import { districtKey } from '../domain/federation.js'

/**
 * What a wall screen's link filter covers, resolved for one request (selection/resolve.ts, scopedRule):
 * only these resources are visible, with the departments and systems that hold them, and of their
 * features only these kinds and risk levels count.
 */
export interface Within {
  resources: readonly number[]
  kind?: readonly FeatureKind[]
  risk?: readonly RiskLevel[]
}

/**
 * The rule the catalog queries take: the viewer's visibility rule with the wall's filter resolved
 * (null for everyone else). Lists of departments and systems, search and counts require it, so none
 * of them can be given a bare rule that forgets a wall's filter.
 */
export interface ScopedRule extends VisibilityRule {
  within: Within | null
}

/**
 * The visibility rule as SQL over a resources row (alias `r` unless given): the sensitivities anyone
 * in scope may see, plus restricted resources of the departments the viewer belongs to or is cleared
 * for, and only the resources a wall's filter covers.
 */
export function visibleSql(engine: Engine, rule: VisibilityRule & { within?: Within | null }, alias = 'r'): Expression<SqlBool> {
  const within = rule.within ? oneOf(engine, `${alias}.id`, rule.within.resources) : null
  if (rule.all) return within ?? sql<SqlBool>`1 = 1`
  const sens = sql.ref(`${alias}.sensitivity`)
  const dept = sql.ref(`${alias}.department_id`)
  const restricted = rule.restrictedDepartments.length
    ? sql` OR (${sens} = 'restricted' AND ${dept} IN (${sql.join(rule.restrictedDepartments)}))`
    : sql``
  return sql<SqlBool>`(${sens} IN (${sql.join(rule.sensitivities)})${restricted})${within ? sql` AND ${within}` : sql``}`
}

/**
 * Whether the rule shows system and department inventories as such (signed-in users and internal walls
 * without a filter), or only through visible resources (visitors, public walls, walls with a filter).
 */
export function seesInventory(rule: ScopedRule): boolean {
  return !rule.within && (rule.all || rule.sensitivities.includes('internal'))
}

/** A wall's feature-level filter as SQL over a tally row (feature_summary) of alias `alias`. */
export function featureKindsSql(within: Within | null, alias: string): Expression<SqlBool> {
  const kind = within?.kind?.length ? sql` AND ${sql.ref(`${alias}.kind`)} IN (${sql.join([...within.kind])})` : sql``
  const risk = within?.risk?.length ? sql` AND ${sql.ref(`${alias}.risk_level`)} IN (${sql.join([...within.risk])})` : sql``
  return sql<SqlBool>`1 = 1${kind}${risk}`
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

/** The ids of the catalog_search rows of one kind (1 systems, 2 resources, 3 data items) whose name contains the text. */
export async function matchingIds(db: Db, q: string, tag: 1 | 2 | 3): Promise<number[]> {
  return (await searchRowids(db, q)).filter((r) => r % 4 === tag).map((r) => Math.floor(r / 4))
}

/** Resource ids whose name, system name or any data item name contains the text. */
async function textMatchResourceIds(db: Db, q: string, rows: CatalogRow[]): Promise<Set<number>> {
  const ids = new Set<number>()
  const systems = new Set<number>()
  const items: number[] = []
  for (const r of await searchRowids(db, q)) {
    const id = Math.floor(r / 4)
    if (r % 4 === 2) ids.add(id)
    else if (r % 4 === 1) systems.add(id)
    else if (r % 4 === 3) items.push(id)
  }
  if (systems.size) for (const c of rows) if (systems.has(c.resource.systemId)) ids.add(c.resource.id)
  if (items.length) {
    const found = await db.kysely.selectFrom('data_items').select('resource_id').distinct().where(oneOf(db.engine, 'id', items)).execute()
    for (const r of found) ids.add(r.resource_id)
  }
  return ids
}

/** Resources that have features of the kinds and risk levels asked (the trigger-kept summary). */
async function resourcesWithFeatures(db: Db, f: Pick<FeatureFilter, 'kind' | 'risk'>): Promise<Set<number>> {
  const rows = await db.kysely.selectFrom('feature_summary').select('resource_id').distinct()
    .$if(!!f.kind?.length, (qb) => qb.where(oneOf(db.engine, 'kind', f.kind!)))
    .$if(!!f.risk?.length, (qb) => qb.where(oneOf(db.engine, 'risk_level', f.risk!)))
    .execute()
  return new Set(rows.map((r) => r.resource_id))
}

/** A resource row of the catalog query: the table's columns with the names of what it belongs to. */
type ResourceRow = Omit<Selectable<ResourcesTable>, 'created_at' | 'updated_at' | 'source_id'> & {
  system_name: string
  department_name: string
  subcategory_name: string
  domain_code: string
  source_id: number | null
  source_name: string | null
  district_code: string | null
}

/**
 * One catalog row as kept in memory: the resource's own facts with its system, department and
 * sub-category, and the due time of its next update (which depends on the last update, not on now).
 */
interface CatalogRow {
  resource: Omit<DataResource, 'freshness' | 'itemCount' | 'featureCount'>
  lastUpdatedAt: string | null
  lastMs: number
  periodMs: number | null
  dueAt: string | null
}

/** Resources read per query when the catalog is read again: each query is short, and other requests get their turn between them. */
const CATALOG_CHUNK = 2000

const catalogChunk = (after: number) => sql<ResourceRow & { sort_order: number }>`SELECT r.id, r.system_id, s.name AS system_name, r.department_id,
  d.name AS department_name, d.sort_order, r.subcategory_code, sc.name AS subcategory_name, sc.domain_code, r.name, r.provision_mode,
  r.update_cycle, r.subject_class, r.purpose, r.sharing_attribute, r.sensitivity, r.reviewer, r.filler, r.phone, r.filled_at,
  r.last_updated_at, d.source_id, hs.name AS source_name, d.district_code, r.remote_id
  FROM resources r JOIN systems s ON s.id = r.system_id JOIN departments d ON d.id = r.department_id
  JOIN subcategories sc ON sc.code = r.subcategory_code LEFT JOIN harvest_sources hs ON hs.id = d.source_id
  WHERE r.id > ${after} ORDER BY r.id LIMIT ${CATALOG_CHUNK}`

/** Text in code-point order, the same on both engines whatever a PostgreSQL database's collation. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Catalog order: department (its sort order, then id), system name, resource name, id. */
function catalogOrder(a: ResourceRow & { sort_order: number }, b: ResourceRow & { sort_order: number }): number {
  return a.sort_order - b.sort_order || a.department_id - b.department_id || byText(a.system_name, b.system_name) || byText(a.name, b.name) || a.id - b.id
}

function catalogRowOf(r: ResourceRow): CatalogRow {
  const cycle = r.update_cycle as UpdateCycle
  const periodMs = CYCLE_PERIOD_MS[cycle]
  const lastMs = r.last_updated_at ? Date.parse(r.last_updated_at) : NaN
  return {
    resource: {
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
      origin: r.source_id === null ? null : { sourceId: Number(r.source_id), sourceName: r.source_name ?? '', districtCode: r.district_code, remoteId: r.remote_id },
    },
    lastUpdatedAt: r.last_updated_at,
    lastMs,
    periodMs,
    dueAt: periodMs !== null && r.last_updated_at ? new Date(lastMs + periodMs).toISOString() : null,
  }
}

/** The freshness of a catalog row at time `t` (ms): judgeFreshness, from the kept due time. */
function freshnessAt(c: CatalogRow, t: number): DataResource['freshness'] {
  const { status, overdueMs } = statusAt(c.periodMs, c.lastUpdatedAt === null ? null : c.lastMs, t)
  return { status, lastUpdatedAt: c.lastUpdatedAt, dueAt: c.dueAt, overdueMs }
}

/**
 * The whole catalog in catalog order, read once per change: triggers bump the catalog's data version on
 * any write to resources, their update history, systems, departments or sub-categories (migrations 0004
 * and 0007), so every request of every process sees its own writes and nobody else's stale copy.
 */
const catalogCache = new WeakMap<Db, { version: number; rows: CatalogRow[] }>()
/** A read in progress, shared by every request that finds the catalog changed. */
const catalogLoads = new WeakMap<Db, { version: number; loading: Promise<CatalogRow[]> }>()
async function catalogRows(db: Db): Promise<CatalogRow[]> {
  const version = await db.versions.get('catalog')
  const cached = catalogCache.get(db)
  if (cached && cached.version === version) return cached.rows
  const inFlight = catalogLoads.get(db)
  if (inFlight && inFlight.version === version) return inFlight.loading
  const loading = readCatalog(db).then(async (rows) => {
    // A write during the read may have mixed two versions: such a read answers its requests but is not kept.
    if ((await db.versions.get('catalog')) === version) catalogCache.set(db, { version, rows })
    return rows
  }).finally(() => {
    if (catalogLoads.get(db)?.loading === loading) catalogLoads.delete(db)
  })
  catalogLoads.set(db, { version, loading })
  return loading
}

/** The whole catalog, a few thousand resources a query, in catalog order. */
async function readCatalog(db: Db): Promise<CatalogRow[]> {
  const rows: (ResourceRow & { sort_order: number })[] = []
  for (let after = 0; ;) {
    const chunk = (await catalogChunk(after).execute(db.kysely)).rows
    for (const r of chunk) rows.push(r)
    if (chunk.length < CATALOG_CHUNK) break
    after = chunk[chunk.length - 1]!.id
    await new Promise((resolve) => setImmediate(resolve))
  }
  return rows.sort(catalogOrder).map(catalogRowOf)
}

/** A resource as the API serves it: a fresh object per request (written out: V8's object spread is far slower here). */
function dataResource(r: CatalogRow['resource'], freshness: DataResource['freshness']): DataResource {
  return {
    id: r.id, departmentId: r.departmentId, departmentName: r.departmentName, systemId: r.systemId, systemName: r.systemName,
    domainCode: r.domainCode, subcategoryCode: r.subcategoryCode, category: r.category, name: r.name, provisionMode: r.provisionMode,
    updateCycle: r.updateCycle, subjectClass: r.subjectClass, purpose: r.purpose, sharingAttribute: r.sharingAttribute,
    sensitivity: r.sensitivity, reviewer: r.reviewer, filler: r.filler, phone: r.phone, filledAt: r.filledAt,
    itemCount: 0, featureCount: 0, freshness, origin: r.origin,
  }
}

/** Whether a rule lets its viewer see a resource of this sensitivity and department (visibleSql in JS, a wall's filter aside). */
function visibleTo(rule: VisibilityRule, sensitivity: string, departmentId: number): boolean {
  return rule.all || rule.sensitivities.includes(sensitivity as Sensitivity) || (sensitivity === 'restricted' && rule.restrictedDepartments.includes(departmentId))
}

/**
 * Every resource matching the catalog filters, with its freshness judged at `now`, in catalog order
 * (department, system, resource). Item and feature counts are zero here: see withCounts. The catalog
 * is kept in memory per data version, so a request filters ten thousand resources without a query
 * (only a text query and feature-level filters ask the database, for ids).
 */
export async function matchingResources(db: Db, f: CatalogFilter & Pick<FeatureFilter, 'kind' | 'risk'>, now: Date,
  rule: VisibilityRule & { within?: Within | null }): Promise<DataResource[]> {
  const rows = await catalogRows(db)
  const set = <T>(v: readonly T[] | undefined) => (v?.length ? new Set<T>(v) : null)
  const domain = set(f.domain), sub = set(f.subcategory), dept = set(f.department), sys = set(f.system), res = set(f.resource)
  const within = rule.within ? new Set(rule.within.resources) : null
  const cycle = set<string>(f.updateCycle), mode = set<string>(f.sharingMode), sens = set<string>(f.sensitivity), fresh = set<string>(f.freshness)
  const district = set<string>(f.district)
  const text = f.q ? await textMatchResourceIds(db, f.q, rows) : null
  const withFeatures = f.kind?.length || f.risk?.length ? await resourcesWithFeatures(db, f) : null
  const t = now.getTime()
  const out: DataResource[] = []
  for (const c of rows) {
    const r = c.resource
    if (res && !res.has(r.id)) continue
    if (within && !within.has(r.id)) continue
    if (domain && !domain.has(r.domainCode)) continue
    if (sub && !sub.has(r.subcategoryCode)) continue
    if (dept && !dept.has(r.departmentId)) continue
    if (sys && !sys.has(r.systemId)) continue
    if (cycle && !cycle.has(r.updateCycle)) continue
    if (mode && !mode.has(r.provisionMode)) continue
    if (sens && !sens.has(r.sensitivity)) continue
    if (district && !district.has(districtKey(r.origin))) continue
    if (!visibleTo(rule, r.sensitivity, r.departmentId)) continue
    if (text && !text.has(r.id)) continue
    if (withFeatures && !withFeatures.has(r.id)) continue
    const freshness = freshnessAt(c, t)
    if (fresh && !fresh.has(freshness.status)) continue
    out.push(dataResource(r, freshness))
  }
  return out
}

/** A system as listSystems reads it, with its department's name and its visible resources counted. */
type SystemRow = Omit<Selectable<SystemsTable>, 'created_at' | 'updated_at'> & { department_name: string; resource_count: number }

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
export async function listSystems(db: Db, f: { department?: number[]; system?: number[]; q?: string }, rule: ScopedRule): Promise<InfoSystem[]> {
  const named = f.q ? await matchingIds(db, f.q, 1) : null
  const rows = await db.kysely
    .selectFrom('systems as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select(['d.name as department_name', (eb) => eb.selectFrom('resources as r').whereRef('r.system_id', '=', 's.id').where(visibleSql(db.engine, rule)).select(eb.fn.countAll<number>().as('n')).as('resource_count')])
    .$if(!seesInventory(rule), (qb) => qb.where(sql<SqlBool>`EXISTS (SELECT 1 FROM resources r WHERE r.system_id = s.id AND ${visibleSql(db.engine, rule)})`))
    .$if(!!f.department?.length, (qb) => qb.where('s.department_id', 'in', f.department!))
    .$if(!!f.system?.length, (qb) => qb.where('s.id', 'in', f.system!))
    .$if(named !== null, (qb) => qb.where(oneOf(db.engine, 's.id', named!)))
    .orderBy('d.sort_order').orderBy('d.id').orderBy('s.name')
    .execute()
  return rows.map((r) => systemFromRow(r as SystemRow))
}

/** Department ids and names in catalog order: every department, or for a wall with a filter those holding a resource it covers. */
export async function departmentNames(db: Db, rule: ScopedRule): Promise<{ id: number; name: string }[]> {
  return db.kysely.selectFrom('departments as d').select(['d.id', 'd.name'])
    .$if(rule.within !== null, (qb) => qb.where(sql<SqlBool>`EXISTS (SELECT 1 FROM resources r WHERE r.department_id = d.id AND ${visibleSql(db.engine, rule)})`))
    .orderBy('d.sort_order').orderBy('d.id').execute()
}
