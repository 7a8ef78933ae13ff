import { sql, type Kysely } from 'kysely'
import { portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Two-factor sign-in (TOTP, RFC 6238) and the pending step between password and code.
 * - `user_two_factor`: one authenticator key per user. The key must be readable to check codes, so it
 *   is stored as is; `enabled_at` is NULL while an enrolment waits for its first code. `last_step` is
 *   the newest 30-second time step a code was accepted for: a code works once (RFC 6238 §5.2).
 * - `recovery_codes`: one-time codes for a lost authenticator; only their SHA-256 is stored.
 * - `sign_in_challenges`: a password that was right, waiting for its code. Only a keyed hash of the
 *   browser's token is stored, it expires within minutes and allows a few attempts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await portableDdl(db, `CREATE TABLE user_two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    enabled_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  )`).execute(db)
  await portableDdl(db, `CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT
  )`).execute(db)
  await sql`CREATE INDEX recovery_codes_user ON recovery_codes (user_id)`.execute(db)
  await portableDdl(db, `CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    address TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID`).execute(db)
  await sql`CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sign_in_challenges', 'recovery_codes', 'user_two_factor']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db)
}
