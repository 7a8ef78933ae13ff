import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/connect.js'

/**
 * Every feature's resource, kind, risk level and bbox (float32, as the R*Tree keeps it), in arrays
 * indexed by feature id; `present[id]` marks the ids that exist.
 */
export interface IndexColumns {
  present: Uint8Array
  /** 1 for a point, 0 otherwise. */
  point: Uint8Array
  resource: Uint32Array
  kind: string[]
  risk: (string | null)[]
  minX: Float64Array
  minY: Float64Array
  maxX: Float64Array
  maxY: Float64Array
}

const statements = new WeakMap<Db, Record<string, Statement>>()

function prepared(db: Db): Record<string, Statement> {
  let s = statements.get(db)
  if (!s) {
    s = {
      versions: db.sqlite.prepare(`SELECT group_concat(version, '.') AS v FROM (SELECT version FROM data_versions ORDER BY name)`),
      count: db.sqlite.prepare(`SELECT count(*) AS n, coalesce(max(id), 0) AS m FROM features`),
      // Two compact scans instead of one over the wide features rows: the covering index for the
      // filter columns and the R*Tree for the boxes.
      facts: db.sqlite.prepare(`SELECT id, geometry_type, resource_id, kind, risk_level FROM features INDEXED BY features_tile_facts`).raw(true),
      shapeGeometries: db.sqlite.prepare(`SELECT id, geometry FROM features WHERE geometry_type IN ('LineString', 'MultiLineString', 'Polygon', 'MultiPolygon') ORDER BY id`).raw(true),
      shapeNames: db.sqlite.prepare(`SELECT id, name FROM features WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      boxes: db.sqlite.prepare(`SELECT id, min_x, min_y, max_x, max_y FROM features_rtree`).raw(true),
      cachedIndex: db.sqlite.prepare(`SELECT data FROM tile_index WHERE name = 'features' AND version = ?`).pluck(),
      storeIndex: db.sqlite.prepare(`INSERT OR REPLACE INTO tile_index (name, version, data) VALUES ('features', ?, ?)`),
      pointDetails: db.sqlite.prepare(`SELECT id, name, impact_radius_m FROM features WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      shapes: db.sqlite.prepare(`SELECT id, name, geometry FROM features WHERE id IN (SELECT value FROM json_each(?))`).raw(true),
      domains: db.sqlite.prepare(`SELECT r.id, sc.domain_code FROM resources r JOIN subcategories sc ON sc.code = r.subcategory_code`).raw(true),
    }
    statements.set(db, s)
  }
  return s
}

/**
 * The data-version counters (features, catalog) joined into one token; triggers of migration 0004
 * bump them on every write, so a changed token means cached tiles may be stale.
 */
export function dataVersion(db: Db): string {
  return (prepared(db).versions!.get() as { v: string | null }).v ?? '0'
}

/** Reads every feature's filter columns and bbox. */
export function indexColumns(db: Db): IndexColumns {
  const st = prepared(db)
  const { m } = st.count!.get() as { n: number; m: number }
  const c: IndexColumns = {
    present: new Uint8Array(m + 1), point: new Uint8Array(m + 1), resource: new Uint32Array(m + 1), kind: new Array<string>(m + 1), risk: new Array<string | null>(m + 1).fill(null),
    minX: new Float64Array(m + 1), minY: new Float64Array(m + 1), maxX: new Float64Array(m + 1), maxY: new Float64Array(m + 1),
  }
  for (const [id, a, b, cc, d] of st.boxes!.iterate() as Iterable<[number, number, number, number, number]>) {
    if (id > m) continue
    c.present[id] = 1; c.minX[id] = a; c.minY[id] = b; c.maxX[id] = cc; c.maxY[id] = d
  }
  for (const [id, type, r, kind, risk] of st.facts!.iterate() as Iterable<[number, string, number, string, string | null]>) {
    if (id > m) continue
    c.point[id] = type === 'Point' ? 1 : 0
    c.resource[id] = r; c.kind[id] = kind; c.risk[id] = risk
  }
  return c
}

/** The serialised tile index stored for this data version, if any. */
export function storedIndex(db: Db, version: string): Buffer | undefined {
  return prepared(db).cachedIndex!.get(version) as Buffer | undefined
}

/** Stores the serialised tile index so the next start loads it instead of rescanning. */
export function storeIndex(db: Db, version: string, data: Buffer): void {
  prepared(db).storeIndex!.run(version, data)
}

/** The domain of every resource (one row per resource). */
export function resourceDomains(db: Db): Map<number, string> {
  return new Map(prepared(db).domains!.all() as [number, string][])
}

/** Names and impact radii of some point features, by id. */
export function pointDetails(db: Db, ids: number[]): Map<number, { name: string; impactRadiusM: number | null }> {
  const out = new Map<number, { name: string; impactRadiusM: number | null }>()
  if (!ids.length) return out
  for (const [id, name, r] of prepared(db).pointDetails!.all(JSON.stringify(ids)) as [number, string, number | null][]) out.set(id, { name, impactRadiusM: r })
  return out
}

/** Every line and polygon feature's GeoJSON geometry, in id order. */
export function* shapeGeometries(db: Db): Generator<[id: number, geometry: { type: string; coordinates: unknown }]> {
  for (const [id, g] of prepared(db).shapeGeometries!.iterate() as Iterable<[number, string]>) yield [id, JSON.parse(g)]
}

/** Names of some features, by id. */
export function featureNames(db: Db, ids: number[]): Map<number, string> {
  if (!ids.length) return new Map()
  return new Map(prepared(db).shapeNames!.all(JSON.stringify(ids)) as [number, string][])
}
