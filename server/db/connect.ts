import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema.js'

/** An open database: the Kysely handle for queries and the raw handle for bulk writes and transactions. */
export interface Db {
  kysely: Kysely<Database>
  sqlite: BetterSqlite3.Database
  close(): Promise<void>
}

/** Opens a SQLite database file (or ':memory:') with the pragmas the product relies on. */
export function openSqlite(filename: string): Db {
  const sqlite = new BetterSqlite3(filename)
  if (filename !== ':memory:') {
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('mmap_size = 268435456')
  }
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('cache_size = -65536')
  sqlite.pragma('temp_store = MEMORY')
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    kysely,
    sqlite,
    async close() {
      await kysely.destroy()
    },
  }
}
