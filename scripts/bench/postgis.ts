import { chmodSync, createWriteStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { psql as psqlOn, startCluster as startThrowaway, type PgCluster as Throwaway } from '../postgres-cluster.js'

export { postgresBin } from '../postgres-cluster.js'

export interface PgCluster extends Throwaway { version: string; postgisVersion: string }

/**
 * A throwaway PostgreSQL cluster (scripts/postgres-cluster.ts) tuned for the benchmark, with a database
 * `atlas` that has PostGIS. stop() shuts it down and removes its directory.
 */
export function startCluster(bin: string): PgCluster {
  const cluster = startThrowaway(bin, { prefix: 'atlas-bench-pg-', settings: { shared_buffers: '256MB', work_mem: '64MB', max_wal_size: '4GB', max_connections: 200 } })
  try {
    psqlOn(cluster, 'postgres', 'CREATE DATABASE atlas')
    psqlOn(cluster, 'atlas', 'CREATE EXTENSION postgis')
    const version = psqlOn(cluster, 'atlas', 'SHOW server_version').trim()
    const postgisVersion = psqlOn(cluster, 'atlas', 'SELECT postgis_lib_version()').trim()
    return { ...cluster, version, postgisVersion }
  } catch (e) {
    cluster.stop()
    throw e
  }
}

export function psql(socketDir: string, port: number, db: string, sql: string): string {
  return psqlOn({ socketDir, port }, db, sql)
}

const R = 6378137
const mx = (lon: number) => (lon * Math.PI * R) / 180
const my = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))
const ring = (r: number[][]) => `(${r.map((p) => `${mx(p[0]!)} ${my(p[1]!)}`).join(',')})`

/** GeoJSON → EWKT in Web Mercator (projected here so COPY can load the final table directly). */
function ewkt(g: { type: string; coordinates: any }): string {
  switch (g.type) {
    case 'Point': return `SRID=3857;POINT(${mx(g.coordinates[0])} ${my(g.coordinates[1])})`
    case 'LineString': return `SRID=3857;LINESTRING${ring(g.coordinates)}`
    case 'Polygon': return `SRID=3857;POLYGON(${g.coordinates.map(ring).join(',')})`
    case 'MultiLineString': return `SRID=3857;MULTILINESTRING(${g.coordinates.map(ring).join(',')})`
    default: return `SRID=3857;MULTIPOLYGON(${g.coordinates.map((p: number[][][]) => `(${p.map(ring).join(',')})`).join(',')})`
  }
}

const tsv = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')

/**
 * Copies the SQLite database's features into PostGIS (COPY from a TSV file), with the GiST index and
 * the same derived columns our index keeps (domain, risk rank, size for the low-zoom budget).
 */
export async function loadFeatures(cluster: PgCluster, sqliteFile: string): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now()
  psql(cluster.dir, cluster.port, 'atlas', `CREATE TABLE pfeatures (id integer PRIMARY KEY, kind text NOT NULL, risk_level text, risk_rank integer,
    name text NOT NULL, impact real, domain_code text NOT NULL, is_point boolean NOT NULL, size double precision NOT NULL, geom geometry(Geometry, 3857) NOT NULL)`)
  const file = join(cluster.dir, 'features.tsv')
  const out = createWriteStream(file)
  const db = new BetterSqlite3(sqliteFile, { readonly: true })
  const rank: Record<string, number> = { red: 1, orange: 2, yellow: 3, blue: 4 }
  let rows = 0
  for (const r of db.prepare(`SELECT f.id, f.kind, f.risk_level, f.name, f.impact_radius_m, sc.domain_code, f.geometry_type, f.geometry,
      f.max_x - f.min_x + f.max_y - f.min_y AS size
    FROM features f JOIN resources res ON res.id = f.resource_id JOIN subcategories sc ON sc.code = res.subcategory_code`).iterate() as Iterable<any>) {
    const line = [r.id, r.kind, r.risk_level ?? '\\N', r.risk_level ? rank[r.risk_level] : '\\N', tsv(r.name), r.impact_radius_m ?? '\\N',
      r.domain_code, r.geometry_type === 'Point' ? 't' : 'f', r.size, ewkt(JSON.parse(r.geometry))].join('\t') + '\n'
    if (!out.write(line)) await new Promise<void>((res) => out.once('drain', () => res()))
    rows++
  }
  db.close()
  await new Promise<void>((res) => out.end(() => res()))
  chmodSync(file, 0o644)
  psql(cluster.dir, cluster.port, 'atlas', `\\copy pfeatures FROM '${file}'`)
  rmSync(file)
  psql(cluster.dir, cluster.port, 'atlas', 'CREATE INDEX pfeatures_geom ON pfeatures USING gist (geom)')
  psql(cluster.dir, cluster.port, 'atlas', 'VACUUM ANALYZE pfeatures')
  return { rows, ms: performance.now() - t0 }
}

/**
 * The tile query: the same layers and the same rules as our tiles (server/tiles/build-tile.ts), in
 * SQL with ST_AsMVT/ST_AsMVTGeom — points on a 16×16 grid per tile up to z14 (clusters with count and
 * worst risk, red in their own layer), one by one above unless a tile has over 5000 (then 64×64);
 * lines and polygons clipped with a 64-unit buffer, largest first within the zoom's budget, names
 * from z14. $1 z, $2 x, $3 y, $4 shape budget.
 */
export const POSTGIS_TILE_SQL = `
WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS e, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS eb),
pts AS (
  SELECT p.id, p.risk_rank, p.geom, ST_X(p.geom) AS px, ST_Y(p.geom) AS py FROM pfeatures p, env
  WHERE p.is_point AND p.geom && env.e
    AND ST_X(p.geom) >= ST_XMin(env.e) AND ST_X(p.geom) < ST_XMax(env.e) AND ST_Y(p.geom) > ST_YMin(env.e) AND ST_Y(p.geom) <= ST_YMax(env.e)
),
g AS (SELECT CASE WHEN $1 <= 14 THEN 16 WHEN (SELECT count(*) FROM pts) > 5000 THEN 64 ELSE 0 END AS grid),
cells AS (
  SELECT coalesce(pts.risk_rank = 1, false) AS red,
    CASE WHEN g.grid = 0 THEN pts.id ELSE least(g.grid - 1, floor((px - ST_XMin(env.e)) / (ST_XMax(env.e) - ST_XMin(env.e)) * g.grid))::int END AS cx,
    CASE WHEN g.grid = 0 THEN 0 ELSE least(g.grid - 1, floor((ST_YMax(env.e) - py) / (ST_YMax(env.e) - ST_YMin(env.e)) * g.grid))::int END AS cy,
    count(*) AS n, min(pts.id) AS any_id, ST_Centroid(ST_Collect(pts.geom)) AS c, min(pts.risk_rank) AS worst
  FROM pts, env, g GROUP BY 1, 2, 3
),
prow AS (
  SELECT c.red,
    CASE WHEN c.n = 1 THEN p.id END AS id, CASE WHEN c.n = 1 THEN p.name END AS name, CASE WHEN c.n = 1 THEN p.kind END AS kind,
    CASE WHEN c.n = 1 THEN p.risk_level END AS "riskLevel", CASE WHEN c.n = 1 THEN p.domain_code END AS "domainCode",
    CASE WHEN c.n = 1 AND p.impact > 0 THEN p.impact END AS "impactRadiusM",
    CASE WHEN c.n > 1 THEN true END AS cluster, CASE WHEN c.n > 1 THEN c.n END AS point_count,
    CASE WHEN c.n >= 10000 THEN round(c.n / 1000.0)::int || 'k' WHEN c.n >= 1000 THEN (round(c.n / 100.0) / 10)::float8 || 'k'
      WHEN c.n > 1 THEN c.n::text END AS point_count_abbreviated,
    CASE WHEN c.n > 1 THEN (ARRAY['red', 'orange', 'yellow', 'blue'])[c.worst] END AS "worstRisk",
    ST_AsMVTGeom(CASE WHEN c.n = 1 THEN p.geom ELSE c.c END, env.e, 4096, 0, false) AS geom
  FROM cells c JOIN pfeatures p ON p.id = c.any_id, env
),
shapes AS (
  SELECT s.id, CASE WHEN $1 >= 14 THEN s.name END AS name, s.kind, s.risk_level AS "riskLevel", s.domain_code AS "domainCode",
    GeometryType(s.geom) IN ('POLYGON', 'MULTIPOLYGON') AS polygon, ST_AsMVTGeom(s.geom, env.e, 4096, 64, true) AS geom
  FROM pfeatures s, env WHERE NOT s.is_point AND s.geom && env.eb ORDER BY s.size DESC, s.id LIMIT $4
)
SELECT coalesce((SELECT ST_AsMVT(q, 'points', 4096, 'geom') FROM (SELECT id, name, kind, "riskLevel", "domainCode", "impactRadiusM", cluster, point_count, point_count_abbreviated, "worstRisk", geom FROM prow WHERE NOT red AND geom IS NOT NULL) q), ''::bytea)
  || coalesce((SELECT ST_AsMVT(q, 'alerts', 4096, 'geom') FROM (SELECT id, name, kind, "riskLevel", "domainCode", "impactRadiusM", cluster, point_count, point_count_abbreviated, "worstRisk", geom FROM prow WHERE red AND geom IS NOT NULL) q), ''::bytea)
  || coalesce((SELECT ST_AsMVT(q, 'lines', 4096, 'geom') FROM (SELECT id, name, kind, "riskLevel", "domainCode", geom FROM shapes WHERE NOT polygon AND geom IS NOT NULL) q), ''::bytea)
  || coalesce((SELECT ST_AsMVT(q, 'polygons', 4096, 'geom') FROM (SELECT id, name, kind, "riskLevel", "domainCode", geom FROM shapes WHERE polygon AND geom IS NOT NULL) q), ''::bytea)
  AS tile`
