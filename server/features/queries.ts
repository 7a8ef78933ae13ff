import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { boxOverlaps, inTransaction, insertMany } from '../db/dialect.js'
import type { Database, FeaturesTable } from '../db/schema.js'
import type { FeatureKind, RiskLevel } from '../domain/enums.js'
import type { FeatureProperties, IndicatorBreakdown } from '../domain/types.js'
import { anchorOf, bboxOf, type Bbox, type Geometry } from '../geo/geometry.js'
import type { RegionLocator } from '../geo/regions.js'

export interface GeoFeature<P = FeatureProperties> {
  type: 'Feature'
  id: number
  geometry: Geometry
  properties: P
}

/** What the feature query needs from the catalog about each resource. */
export interface ResourceFacts { departmentId: number; domainCode: string; subcategoryCode: string }

export interface FeatureQuery {
  /** Restrict to these resources; null means every resource. */
  resourceIds: number[] | null
  kind?: FeatureKind[]
  risk?: RiskLevel[]
  bbox?: Bbox
  afterId: number
  limit: number
}

/** The columns of a feature the API answers with (not its bbox and geometry type, which only indexes use). */
export type FeatureRow = Pick<Selectable<FeaturesTable>, 'id' | 'resource_id' | 'kind' | 'name' | 'geometry' | 'risk_level' | 'indicators'
  | 'impact_radius_m' | 'capacity' | 'capacity_unit' | 'attributes' | 'district_code' | 'cell_id' | 'updated_at'>

function featureFromRow(r: FeatureRow, facts: ResourceFacts | undefined): GeoFeature {
  const attributes = JSON.parse(r.attributes) as FeatureProperties['attributes']
  if (r.capacity_unit) attributes['容量单位'] = r.capacity_unit
  return {
    type: 'Feature',
    id: r.id,
    geometry: JSON.parse(r.geometry) as Geometry,
    properties: {
      id: r.id, name: r.name, kind: r.kind as FeatureKind, riskLevel: r.risk_level as RiskLevel | null,
      indicators: r.indicators ? (JSON.parse(r.indicators) as IndicatorBreakdown) : null,
      impactRadiusM: r.impact_radius_m, capacity: r.capacity, attributes,
      resourceId: r.resource_id, departmentId: facts?.departmentId ?? 0, domainCode: facts?.domainCode ?? '',
      subcategoryCode: facts?.subcategoryCode ?? '', districtCode: r.district_code, cellId: r.cell_id, updatedAt: r.updated_at,
    },
  }
}

/** Features in id order after `afterId`, at most `limit` (+1 to tell whether there is a next page). */
export async function queryFeatures(db: Db, q: FeatureQuery, facts: Map<number, ResourceFacts>): Promise<{ features: GeoFeature[]; hasMore: boolean }> {
  if (q.resourceIds && q.resourceIds.length === 0) return { features: [], hasMore: false }
  const rows = await db.reader
    .selectFrom('features as f')
    .select(['f.id', 'f.resource_id', 'f.kind', 'f.name', 'f.geometry', 'f.risk_level', 'f.indicators', 'f.impact_radius_m',
      'f.capacity', 'f.capacity_unit', 'f.attributes', 'f.district_code', 'f.cell_id', 'f.updated_at'])
    .$if(!!q.bbox, (qb) => qb.where(boxOverlaps(db.engine, 'f', q.bbox!)))
    .where('f.id', '>', q.afterId)
    .$if(q.resourceIds !== null, (qb) => qb.where('f.resource_id', 'in', q.resourceIds!))
    .$if(!!q.kind?.length, (qb) => qb.where('f.kind', 'in', q.kind!))
    .$if(!!q.risk?.length, (qb) => qb.where('f.risk_level', 'in', q.risk!))
    .orderBy('f.id')
    .limit(q.limit + 1)
    .execute()
  const hasMore = rows.length > q.limit
  return { features: rows.slice(0, q.limit).map((r) => featureFromRow(r, facts.get(r.resource_id))), hasMore }
}

export async function featureById(db: Db, id: number): Promise<GeoFeature | null> {
  const r = await db.kysely.selectFrom('features').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) return null
  const facts = await db.kysely.selectFrom('resources as r').innerJoin('subcategories as sc', 'sc.code', 'r.subcategory_code')
    .select(['r.department_id', 'r.subcategory_code', 'sc.domain_code']).where('r.id', '=', r.resource_id).executeTakeFirst()
  return featureFromRow(r, facts && { departmentId: facts.department_id, domainCode: facts.domain_code, subcategoryCode: facts.subcategory_code })
}

/** The extent of a set of resources' features. */
export async function extentOfResources(db: Db, resourceIds: number[]): Promise<Bbox | null> {
  if (!resourceIds.length) return null
  const r = await db.kysely.selectFrom('features').where('resource_id', 'in', resourceIds)
    .select((eb) => [eb.fn.min('min_x').as('a'), eb.fn.min('min_y').as('b'), eb.fn.max('max_x').as('c'), eb.fn.max('max_y').as('d')])
    .executeTakeFirst()
  return r && r.a !== null ? [Number(r.a), Number(r.b), Number(r.c), Number(r.d)] : null
}

export interface RegionFeatureProps { id: number; code: string; name: string; kind: 'district' | 'grid'; focus: boolean; row: number | null; col: number | null }

export async function listRegions(db: Db, kind: 'district' | 'grid', city = false): Promise<GeoFeature<RegionFeatureProps>[]> {
  // A city atlas shows no district's grid, and its focus is the districts it harvests.
  if (city && kind === 'grid') return []
  const rows = await db.kysely.selectFrom('regions').selectAll().where('kind', '=', kind).orderBy('id').execute()
  const harvested = city ? new Set((await db.kysely.selectFrom('harvest_sources').select('district_code').execute()).map((s) => s.district_code)) : null
  return rows.map((r) => ({
    type: 'Feature', id: r.id, geometry: JSON.parse(r.geometry) as Geometry,
    properties: { id: r.id, code: r.code, name: r.name, kind: r.kind, focus: harvested ? harvested.has(r.code) : r.focus === 1, row: r.grid_row, col: r.grid_col },
  }))
}

/** A feature to write; its bbox, district and grid cell are derived on insert. */
export interface NewFeature {
  resourceId: number
  kind: FeatureKind
  name: string
  geometry: Geometry
  riskLevel?: RiskLevel | null
  indicators?: IndicatorBreakdown | null
  impactRadiusM?: number | null
  capacity?: number | null
  capacityUnit?: string | null
  attributes?: Record<string, string | number | boolean | null>
  updatedAt: string
}

/** A feature as its row: the bbox, district and grid cell derived from its geometry. */
export function featureRow(f: NewFeature, locator: RegionLocator): Insertable<FeaturesTable> {
  const [minX, minY, maxX, maxY] = bboxOf(f.geometry)
  const where = locator.locate(anchorOf(f.geometry))
  return {
    resource_id: f.resourceId, kind: f.kind, name: f.name, geometry_type: f.geometry.type, geometry: JSON.stringify(f.geometry),
    min_x: minX, min_y: minY, max_x: maxX, max_y: maxY, risk_level: f.riskLevel ?? null, indicators: f.indicators ? JSON.stringify(f.indicators) : null,
    impact_radius_m: f.impactRadiusM ?? null, capacity: f.capacity ?? null, capacity_unit: f.capacityUnit ?? null,
    attributes: JSON.stringify(f.attributes ?? {}), district_code: where.districtCode, cell_id: where.cellId, updated_at: f.updatedAt,
  }
}

/** Rows per multi-row statement of a bulk feature load (a million features: 600 statements). */
const FEATURE_BATCH = 1600

/** Writes features through `k` (the caller's transaction) in multi-row statements, reading `features` as it goes. */
export async function insertFeatureRows(k: Kysely<Database>, features: Iterable<NewFeature>, locator: RegionLocator): Promise<number> {
  let n = 0
  let batch: Insertable<FeaturesTable>[] = []
  for (const f of features) {
    batch.push(featureRow(f, locator))
    if (batch.length === FEATURE_BATCH) {
      await insertMany(k, 'features', batch)
      n += batch.length
      batch = []
    }
  }
  await insertMany(k, 'features', batch)
  return n + batch.length
}

/** Writes features in one transaction (all or nothing). */
export async function insertFeatures(db: Db, features: Iterable<NewFeature>, locator: RegionLocator): Promise<number> {
  const n = await inTransaction(db, (trx) => insertFeatureRows(trx, features, locator))
  await db.versions.refresh()
  return n
}
