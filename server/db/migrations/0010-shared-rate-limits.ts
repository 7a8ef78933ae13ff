import { sql, type Kysely } from 'kysely'
import { portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Rate limits kept in the database instead of each process's memory, so that several server processes
 * over one database count together (a user cannot multiply the upload limit by the number of replicas).
 * One row per limit and key: the start of its current window (ms since the epoch) and the events in it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await portableDdl(db, `CREATE TABLE rate_limits (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (name, key)
  ) WITHOUT ROWID`).execute(db)
  await sql`CREATE INDEX rate_limits_window ON rate_limits (window_start)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rate_limits`.execute(db)
}
