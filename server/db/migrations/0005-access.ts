import { sql, type Kysely } from 'kysely'
import { isPostgres, portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Accounts and access (SPEC §6).
 * - `users` with a role and a department; `user_clearances` grant 受限 data of other departments.
 * - `sessions` store only a keyed hash of the cookie token, with idle and absolute expiry.
 * - `kiosk_links`: revocable read-only links for wall screens (hash of the token only).
 * - `settings`: administrator switches (public access).
 * - `audit_log`: append-only for the application. Triggers refuse any UPDATE, and any DELETE of an
 *   entry younger than 180 days, so not even a bug in the app can rewrite or erase recent history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await portableDdl(db, `CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('leader', 'analyst', 'reporter', 'admin')),
    department_id INTEGER REFERENCES departments(id),
    password_hash TEXT NOT NULL,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    last_sign_in_at TEXT,
    password_changed_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (role <> 'reporter' OR department_id IS NOT NULL)
  )`).execute(db)
  await portableDdl(db, `CREATE TABLE user_clearances (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, department_id)
  ) WITHOUT ROWID`).execute(db)
  await portableDdl(db, `CREATE TABLE kiosk_links (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    ceiling TEXT NOT NULL CHECK (ceiling IN ('public', 'internal')),
    query TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
  )`).execute(db)
  await portableDdl(db, `CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'kiosk')),
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    kiosk_id INTEGER REFERENCES kiosk_links(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT ''
  ) WITHOUT ROWID`).execute(db)
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db)
  await sql`CREATE INDEX sessions_kiosk ON sessions (kiosk_id)`.execute(db)
  await portableDdl(db, `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`).execute(db)
  await portableDdl(db, `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL CHECK (result IN ('success', 'failure', 'refused')),
    detail TEXT NOT NULL DEFAULT ''
  )`).execute(db)
  await sql`CREATE INDEX audit_log_at ON audit_log (at)`.execute(db)
  await sql`CREATE INDEX audit_log_user ON audit_log (username, at)`.execute(db)
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
      IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'the audit log is append-only'; END IF;
      IF OLD.at::timestamptz > now() - interval '180 days' THEN RAISE EXCEPTION 'audit entries are kept at least 180 days'; END IF;
      RETURN OLD;
    END $fn$`.execute(db)
    await sql`CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`.execute(db)
    return
  }
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
  END`.execute(db)
  await sql`CREATE TRIGGER audit_log_keep_180_days BEFORE DELETE ON audit_log
    WHEN julianday(OLD.at) > julianday('now', '-180 days') BEGIN
    SELECT RAISE(ABORT, 'audit entries are kept at least 180 days');
  END`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'settings', 'sessions', 'kiosk_links', 'user_clearances', 'users']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db)
}
