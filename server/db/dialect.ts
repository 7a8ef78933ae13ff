import { sql, type Expression, type Insertable, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely'
import type { Db, Engine } from './connect.js'
import type { Database } from './schema.js'

/**
 * What must be written differently for SQLite and PostgreSQL, in one place. Everything else is plain
 * Kysely that both engines run as it is.
 */

type Executor = Kysely<Database> | Transaction<Database>

/**
 * `ref` is one of `values`, for lists of any length: a JSON array expanded by `json_each` on SQLite and
 * an array parameter on PostgreSQL (an `IN (?, ?, …)` list would hit either engine's limit on bound
 * parameters at a few tens of thousands).
 */
export function oneOf(engine: Engine, ref: Expression<unknown> | string, values: readonly (number | string)[]): RawBuilder<SqlBool> {
  const r = typeof ref === 'string' ? sql.ref(ref) : ref
  if (values.length === 0) return sql<SqlBool>`1 = 0`
  return engine === 'postgres'
    ? sql<SqlBool>`${r} = ANY(${values as (number | string)[]})`
    : sql<SqlBool>`${r} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
}

/** The values of `expr` in a group joined by `separator` (group_concat on SQLite, string_agg on PostgreSQL). */
export function joinedText(engine: Engine, expr: Expression<unknown>, separator: string): RawBuilder<string | null> {
  return engine === 'postgres' ? sql<string | null>`string_agg(${expr}::text, ${separator})` : sql<string | null>`group_concat(${expr}, ${separator})`
}

/** `ref` contains `text`, ignoring the case of Latin letters on both engines (SQLite's LIKE, PostgreSQL's ILIKE). */
export function containsText(engine: Engine, ref: Expression<unknown> | string, text: string): RawBuilder<SqlBool> {
  const r = typeof ref === 'string' ? sql.ref(ref) : ref
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return engine === 'postgres' ? sql<SqlBool>`${r} ILIKE ${pattern} ESCAPE '\\'` : sql<SqlBool>`${r} LIKE ${pattern} ESCAPE '\\'`
}

/** Bound parameters per statement kept well under both engines' limits (SQLite 32,766; PostgreSQL 65,535). */
const MAX_PARAMETERS = 30_000

/**
 * Inserts many rows in as few statements as the engines allow (multi-row VALUES in chunks), inside
 * the caller's transaction. Rows must all have the same columns.
 */
export async function insertMany<T extends keyof Database & string>(db: Executor, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0]!).length || 1
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns))
  for (let i = 0; i < rows.length; i += perChunk) {
    await db.insertInto(table).values(rows.slice(i, i + perChunk) as any).execute()
  }
}

/** Runs `fn` in one transaction on the primary: all or nothing. On SQLite other queries wait until it ends. */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(fn)
}

/**
 * The database with its queries (`kysely` and `reader`) run in a transaction, for code written against
 * a Db that must read what the transaction sees. Its other members are the database's own.
 */
export function dbInTransaction(db: Db, trx: Kysely<Database>): Db {
  return Object.create(db, { kysely: { value: trx }, reader: { value: trx } }) as Db
}

/**
 * Runs `fn` in one transaction that writes, all or nothing. On SQLite it takes the write lock at once
 * (BEGIN IMMEDIATE, waiting up to the busy timeout for another connection's write to end): a transaction
 * that reads first and writes later cannot wait for the lock — when another connection (a worker thread,
 * another process) wrote since its read began, SQLite refuses it at once with "database is locked".
 */
export async function inWriteTransaction<T>(db: Db, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.engine === 'postgres') return db.kysely.transaction().execute(fn)
  return db.kysely.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn)
    try {
      const result = await fn(conn)
      await sql`COMMIT`.execute(conn)
      return result
    } catch (err) {
      await sql`ROLLBACK`.execute(conn)
      throw err
    }
  })
}

/**
 * The bounding box of feature rows aliased `alias` overlaps `box` ([minX, minY, maxX, maxY]), through
 * the spatial index: on SQLite the ids the R*Tree `features_rtree` finds (an id list: the features are
 * then read in id order, with no sort), on PostgreSQL the PostGIS GiST index `features_box` on each
 * feature's envelope. Both indexes keep boxes in 32-bit floats rounded outwards, so both may include a
 * feature that only touches the box within that rounding.
 */
export function boxOverlaps(engine: Engine, alias: string, box: readonly [number, number, number, number]): RawBuilder<SqlBool> {
  const [minX, minY, maxX, maxY] = box
  if (engine === 'postgres') {
    // The same expression as the index features_box (migration 0001), so the planner uses it.
    const c = (col: string) => sql.ref(`${alias}.${col}`)
    return sql<SqlBool>`ST_MakeEnvelope(${c('min_x')}, ${c('min_y')}, ${c('max_x')}, ${c('max_y')}, 4326) && ST_MakeEnvelope(${minX}::float8, ${minY}::float8, ${maxX}::float8, ${maxY}::float8, 4326)`
  }
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} IN (SELECT id FROM features_rtree WHERE max_x >= ${minX} AND min_x <= ${maxX} AND max_y >= ${minY} AND min_y <= ${maxY})`
}

/**
 * `table AS alias` read in primary-key order, without any other index (SQLite's NOT INDEXED): for keyset
 * paging through a large result, where an index on a filter column would make every page collect and
 * sort all the matches. PostgreSQL's planner walks the primary key by itself when that is cheaper.
 */
export function inKeyOrder(engine: Engine, table: keyof Database & string, alias: string): RawBuilder<unknown> {
  const from = sql`${sql.table(table)} AS ${sql.ref(alias)}`
  return engine === 'postgres' ? from : sql`${from} NOT INDEXED`
}

/**
 * The box columns (min_x, min_y, max_x, max_y) of rows aliased `alias` in a table that is its own spatial
 * index (nearby_rtree) overlap `box`: SQLite's R*Tree answers the comparisons; on PostgreSQL the GiST
 * index on the envelope of the columns narrows first and the comparisons keep the answer exact.
 */
export function ownBoxOverlaps(engine: Engine, alias: string, box: readonly [number, number, number, number]): RawBuilder<SqlBool> {
  const [minX, minY, maxX, maxY] = box
  const c = (col: string) => sql.ref(`${alias}.${col}`)
  const exact = sql<SqlBool>`${c('max_x')} >= ${minX} AND ${c('min_x')} <= ${maxX} AND ${c('max_y')} >= ${minY} AND ${c('min_y')} <= ${maxY}`
  if (engine === 'sqlite') return exact
  return sql<SqlBool>`ST_MakeEnvelope(${c('min_x')}, ${c('min_y')}, ${c('max_x')}, ${c('max_y')}, 4326) && ST_MakeEnvelope(${minX}::float8, ${minY}::float8, ${maxX}::float8, ${maxY}::float8, 4326) AND ${exact}`
}

/**
 * `query` locks the rows it reads until the transaction ends (PostgreSQL's FOR UPDATE), so that a check
 * over rows another transaction may change at the same time still holds when this one writes. SQLite
 * needs no lock: one writer at a time changes the database.
 */
export function forUpdate<Q extends { forUpdate(): Q }>(engine: Engine, query: Q): Q {
  return engine === 'postgres' ? query.forUpdate() : query
}

/** The error is a write refused by a UNIQUE (or primary-key) constraint, on either engine. */
export function uniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}
