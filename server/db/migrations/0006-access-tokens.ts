import { sql, type Kysely } from 'kysely'
import { portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Personal access tokens: read-only credentials that desktop GIS clients (QGIS, GDAL, ArcGIS Pro) and
 * scripts send instead of a session cookie. Only the SHA-256 of a token is stored; each expires and can
 * be revoked, and a disabled account's tokens stop working with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await portableDdl(db, `CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  )`).execute(db)
  await sql`CREATE INDEX access_tokens_user ON access_tokens (user_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS access_tokens`.execute(db)
}
