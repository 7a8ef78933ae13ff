import { sql } from 'kysely'
import type { Db } from '../db/connect.js'
import { KIND_INDEX, RISK_INDEX, type IndexPart } from './feature-index.js'

/**
 * Every feature's resource, kind, risk level and bbox (float32, as SQLite's R*Tree keeps it), in
 * arrays indexed by feature id; `present[id]` marks the ids that exist.
 */
export interface IndexColumns {
  present: Uint8Array
  /** 1 for a point, 0 otherwise. */
  point: Uint8Array
  resource: Uint32Array
  /** Index in KIND_CODES. */
  kind: Uint8Array
  /** Index in RISK_CODES (0: ungraded). */
  risk: Uint8Array
  name: string[]
  /** Impact radius in metres, NaN when there is none. */
  radius: Float64Array
  minX: Float64Array
  minY: Float64Array
  maxX: Float64Array
  maxY: Float64Array
}

/** Rows per query when reading every feature: bounded memory, and other requests get their turn in between. */
const CHUNK = 50_000

// SQLite's R*Tree keeps a box as 32-bit floats rounded outwards, and the index has always been built from
// those boxes. Rounding the stored doubles the way rtree.c does gives the very same numbers on both
// engines, from the features rows themselves.
const TOWARDS = 1 - 1 / 8388608
const AWAY = 1 + 1 / 8388608
const roundDown = (d: number) => { const f = Math.fround(d); return f > d ? Math.fround(d * (d < 0 ? AWAY : TOWARDS)) : f }
const roundUp = (d: number) => { const f = Math.fround(d); return f < d ? Math.fround(d * (d < 0 ? TOWARDS : AWAY)) : f }

/**
 * The data-version counters (catalog, features) joined into one token; triggers of migration 0004
 * bump them on every write, so a changed token means cached tiles may be stale.
 */
export async function dataVersion(db: Db): Promise<string> {
  const { catalog, features } = await db.versions.all()
  return `${catalog}.${features}`
}

/**
 * Reads every feature's filter columns and bbox (or only those of points, or of the others): one pass
 * over the features in id order, a chunk at a time. With `geometries`, the GeoJSON text of each
 * feature read is pushed there too (in the same pass: the lines and polygons need not be read twice).
 */
export async function indexColumns(db: Db, only?: IndexPart, geometries?: [id: number, geometry: string][]): Promise<IndexColumns> {
  const { m } = await db.kysely.selectFrom('features').select(sql<number>`coalesce(max(id), 0)`.as('m')).executeTakeFirstOrThrow()
  const size = Number(m) + 1
  const c: IndexColumns = {
    present: new Uint8Array(size), point: new Uint8Array(size), resource: new Uint32Array(size), kind: new Uint8Array(size), risk: new Uint8Array(size),
    minX: new Float64Array(size), minY: new Float64Array(size), maxX: new Float64Array(size), maxY: new Float64Array(size),
    name: new Array<string>(size), radius: new Float64Array(size),
  }
  const put = (id: number, type: string, resource: number, kind: string, risk: string | null, minX: number, minY: number, maxX: number, maxY: number,
    name: string, radius: number | null) => {
    c.name[id] = name
    c.radius[id] = radius ?? NaN
    c.present[id] = 1
    c.point[id] = type === 'Point' ? 1 : 0
    c.resource[id] = resource
    c.kind[id] = KIND_INDEX.get(kind) ?? 0
    c.risk[id] = risk === null ? 0 : (RISK_INDEX.get(risk) ?? 0)
    c.minX[id] = roundDown(minX); c.minY[id] = roundDown(minY); c.maxX[id] = roundUp(maxX); c.maxY[id] = roundUp(maxY)
  }
  const columns = ['id', 'geometry_type', 'resource_id', 'kind', 'risk_level', 'min_x', 'min_y', 'max_x', 'max_y', 'name', 'impact_radius_m'] as const
  if (db.engine === 'sqlite') {
    // The one hot read of a million rows: rows as arrays rather than objects take half the time.
    const which = only === 'points' ? ` AND geometry_type = 'Point'` : only === 'shapes' ? ` AND geometry_type <> 'Point'` : ''
    const stmt = db.sqlite.prepare(`SELECT ${columns.join(', ')}${geometries ? ', geometry' : ''} FROM features WHERE id > ? AND id <= ?${which} ORDER BY id LIMIT ${CHUNK}`).raw(true)
    for (let after = 0; ;) {
      const rows = stmt.all(after, Number(m)) as [number, string, number, string, string | null, number, number, number, number, string, number | null, string?][]
      for (const r of rows) put(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10])
      if (geometries) for (const r of rows) geometries.push([r[0], r[11]!])
      if (rows.length < CHUNK) break
      after = rows[rows.length - 1]![0]
      // Other requests get their turn between chunks.
      await new Promise((resolve) => setImmediate(resolve))
    }
    return c
  }
  for (let after = 0; ;) {
    const rows = await db.kysely.selectFrom('features').select(columns).$if(geometries !== undefined, (q) => q.select('geometry'))
      .where('id', '>', after).where('id', '<=', Number(m))
      .$if(only === 'points', (q) => q.where('geometry_type', '=', 'Point')).$if(only === 'shapes', (q) => q.where('geometry_type', '<>', 'Point'))
      .orderBy('id').limit(CHUNK).execute()
    for (const r of rows) put(r.id, r.geometry_type, r.resource_id, r.kind, r.risk_level, r.min_x, r.min_y, r.max_x, r.max_y, r.name, r.impact_radius_m)
    if (geometries) for (const r of rows) geometries.push([r.id, r.geometry!])
    if (rows.length < CHUNK) break
    after = rows[rows.length - 1]!.id
  }
  return c
}

/** A part of the serialised tile index stored for this data version, if any. */
export async function storedIndex(db: Db, part: IndexPart, version: string): Promise<Buffer | undefined> {
  const row = await db.kysely.selectFrom('tile_index').select('data').where('name', '=', part).where('version', '=', version).executeTakeFirst()
  return row?.data
}

/** Stores a part of the serialised tile index so the next start loads it instead of rescanning. */
export async function storeIndex(db: Db, part: IndexPart, version: string, data: Buffer): Promise<void> {
  await db.kysely.insertInto('tile_index').values({ name: part, version, data })
    .onConflict((oc) => oc.column('name').doUpdateSet({ version: (eb) => eb.ref('excluded.version'), data: (eb) => eb.ref('excluded.data') }))
    .execute()
  // The whole index an older build stored in one row is of no further use.
  await db.kysely.deleteFrom('tile_index').where('name', '=', 'features').execute()
}

/** The domain of every resource (one row per resource). */
export async function resourceDomains(db: Db): Promise<Map<number, string>> {
  const rows = await db.kysely.selectFrom('resources as r').innerJoin('subcategories as sc', 'sc.code', 'r.subcategory_code')
    .select(['r.id', 'sc.domain_code']).execute()
  return new Map(rows.map((r) => [r.id, r.domain_code]))
}

/** Every line and polygon feature's GeoJSON geometry, in id order, a chunk at a time. */
export async function* shapeGeometries(db: Db): AsyncGenerator<[id: number, geometry: { type: string; coordinates: unknown }]> {
  const sqlite = db.engine === 'sqlite'
    // Rows as arrays rather than objects, on SQLite: a third less time for the geometries of a city.
    ? db.sqlite.prepare(`SELECT id, geometry FROM features WHERE geometry_type IN ('LineString', 'MultiLineString', 'Polygon', 'MultiPolygon') AND id > ? ORDER BY id LIMIT ${CHUNK}`).raw(true)
    : null
  for (let after = 0; ;) {
    const rows: [number, string][] = sqlite
      ? sqlite.all(after) as [number, string][]
      : (await db.kysely.selectFrom('features').select(['id', 'geometry'])
        .where('geometry_type', 'in', ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'])
        .where('id', '>', after).orderBy('id').limit(CHUNK).execute()).map((r) => [r.id, r.geometry])
    for (const [id, geometry] of rows) yield [id, JSON.parse(geometry)]
    if (rows.length < CHUNK) break
    after = rows[rows.length - 1]![0]
    if (sqlite) await new Promise((resolve) => setImmediate(resolve))
  }
}
