import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { Kysely, PostgresDialect, type SqliteDatabase, type SqliteStatement } from 'kysely'
import type { Database } from './schema.js'
import { postgresVersions, sqliteVersions, type DataVersions } from './versions.js'
import { readReplica, routingPool, type ReadReplica } from './replica.js'
import { GatedSqliteDialect, WriteGate } from './write-gate.js'

/** The two engines: SQLite embedded for one district on one machine, PostgreSQL + PostGIS for a city and replicas. */
export type Engine = 'sqlite' | 'postgres'

/** An open database. Kysely is the one way to write SQL; `dialect.ts` holds what must differ between engines. */
export interface Db {
  engine: Engine
  /** Queries and writes (the primary on PostgreSQL). */
  kysely: Kysely<Database>
  /**
   * Read-only queries that may be answered a moment behind the primary (lists, searches, feature
   * queries): a PostgreSQL streaming replica when DATABASE_READ_URL is set, except for a user whose own
   * write it has not replayed yet; else the same as `kysely`. Caches keyed by data version read `kysely`.
   */
  reader: Kysely<Database>
  /** The read replica's routing, when there is one. */
  replica: ReadReplica | null
  /**
   * The raw SQLite handle, for the few named SQLite fast paths (check `engine` first). On PostgreSQL,
   * reading it throws: code that still needs it has not been written for both engines.
   */
  readonly sqlite: BetterSqlite3.Database
  /** The data versions the in-memory caches are keyed by (kept current across processes on PostgreSQL). */
  versions: DataVersions
  /**
   * Held while a worker thread of this process writes with its own connection: on SQLite this
   * process's writes wait for it without holding up the event loop (write-gate.ts). PostgreSQL writers
   * wait for each other's rows without blocking anything; its gate is held too but stops nothing.
   */
  writeGate: WriteGate
  /**
   * On SQLite, a token that changes whenever anything may have been written to the database, by this
   * connection or any other (its statements that write are counted; SQLite's data_version tells of
   * the others): a copy of rows read under one token is still exact while the token is the same. Null
   * on PostgreSQL, whose writers on other machines would not tell.
   */
  changeStamp: (() => string) | null
  close(): Promise<void>
}

/** Prepared statements kept per SQL text: Kysely's SQLite driver would otherwise prepare every query anew. */
const STATEMENT_CACHE = 500

function cachingDatabase(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql)
      if (stmt) {
        // A statement still iterating (a streamed query) cannot be run again: give this caller its own.
        if (stmt.busy) return sqlite.prepare(sql) as unknown as SqliteStatement
        cache.delete(sql)
      } else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, stmt)
      return stmt as unknown as SqliteStatement
    },
  }
}

/**
 * SQLite's memory map of the database file (SQLITE_MMAP_MB; off by default). Reads then go through
 * SQLite's own page cache (64 MiB, below) and the kernel's page cache, which is not the process's
 * memory; a map of 256 MiB made every page the server touched count in its RSS (306 of 721 MiB at a
 * million features) for no measurable speed (`npm run bench`, one run each: 13,983 vs 13,394 warm
 * tiles/s, cold p95 30.1 vs 27.2 ms). Read here, where every process and worker opens the file; the
 * server checks the value at start (config.ts).
 */
const SQLITE_MMAP_BYTES = Math.max(0, Math.min(4096, Number(process.env.SQLITE_MMAP_MB ?? 0) || 0)) * 1024 * 1024

/** Opens a SQLite database file (or ':memory:') with the pragmas the product relies on; `cacheMb`: SQLite's page cache (default 64 MiB). */
export function openSqlite(filename: string, o: { cacheMb?: number } = {}): Db {
  const sqlite = new BetterSqlite3(filename)
  if (filename !== ':memory:') {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`)
  }
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma(`cache_size = -${(o.cacheMb ?? 64) * 1024}`)
  sqlite.pragma('temp_store = MEMORY')
  const writeGate = new WriteGate()
  const counter = { writes: 0 }
  const kysely = new Kysely<Database>({ dialect: new GatedSqliteDialect(cachingDatabase(sqlite), writeGate, counter) })
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  const changeStamp = () => `${dataVersion.get() as number}.${counter.writes}`
  return {
    engine: 'sqlite',
    writeGate,
    changeStamp,
    kysely,
    reader: kysely,
    replica: null,
    sqlite,
    versions: sqliteVersions(kysely, changeStamp),
    async close() {
      await kysely.destroy()
    },
  }
}

// PostgreSQL answers bigint (count, sum of integers) and numeric as strings; the product's values fit
// in a double, and both engines must give the same JavaScript types.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

export interface PostgresOptions {
  /** A streaming replica for read-only queries (DATABASE_READ_URL). */
  readUrl?: string | null
  /** Connections per pool (default 10). */
  poolSize?: number
  /** Idle connections are closed after this long (default 10 s). */
  idleTimeoutMs?: number
}

/** Opens a PostgreSQL database (postgres://user@host:port/db; a Unix socket directory as `host=` works too). */
export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const pool = (connectionString: string) => new pg.Pool({
    connectionString, max: options.poolSize ?? 10, idleTimeoutMillis: options.idleTimeoutMs ?? 10_000, application_name: 'city-safety-atlas',
    // Dates are kept as ISO text in both engines; no session time zone should change what a query sees.
    options: '-c TimeZone=UTC',
  })
  const primaryPool = pool(url)
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: primaryPool }) })
  const replicaPool = options.readUrl ? pool(options.readUrl) : null
  const reader = replicaPool ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: routingPool(primaryPool, replicaPool) }) }) : kysely
  const versions = postgresVersions(kysely, url)
  return {
    engine: 'postgres',
    kysely,
    reader,
    replica: replicaPool ? readReplica(primaryPool, replicaPool) : null,
    get sqlite(): BetterSqlite3.Database {
      throw new Error('this code path uses the SQLite handle and does not run on PostgreSQL yet')
    },
    versions,
    writeGate: new WriteGate(),
    changeStamp: null,
    async close() {
      await versions.close()
      if (reader !== kysely) await reader.destroy()
      await kysely.destroy()
    },
  }
}

/** True for a PostgreSQL connection URL. */
export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url)

/** Opens either engine from a DATABASE_URL (a SQLite path or ':memory:', or postgres://…). */
export function openDatabase(url: string, options: PostgresOptions = {}): Db {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url)
}

/**
 * A worker thread's own connection (an import, a report, a harvest job, the tile index): two pooled
 * connections on PostgreSQL; on SQLite a 16 MiB page cache, since what a worker's connection allocates
 * tends to stay with the process after the worker has ended.
 */
export function openWorkerDatabase(url: string): Db {
  return isPostgresUrl(url) ? openPostgres(url, { poolSize: 2 }) : openSqlite(url, { cacheMb: 16 })
}
