import { sql, type Kysely } from 'kysely'
import { isPostgres, portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Federation of atlases: a district atlas lets a city atlas harvest it.
 * - At the district, `federation_tokens`: read-only tokens its administrator issues to a city, each with
 *   the highest sensitivity it lets out (public, or public + internal); only the SHA-256 is stored.
 *   Features get a `revision`, stamped from a counter whenever a feature is changed in place, so a
 *   harvest asks for what changed since its last job instead of reading every feature again (new
 *   features are found by their ids, which are never reused).
 * - At the city, `harvest_sources` (a district atlas or a DCAT catalog, with its schedule, deletion guard
 *   and the state of its last job) and `harvest_jobs` (each job's status and report). Harvested rows
 *   keep their provenance: `source_id` and the id they have at the source (`remote_id`) on every
 *   catalog table and on features; departments also keep their district and reporting status.
 *   Deleting a source deletes what came from it (departments cascade to the rest).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  await portableDdl(db, `CREATE TABLE federation_tokens (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    ceiling TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
  )`).execute(db)
  await portableDdl(db, `CREATE TABLE harvest_sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    token TEXT NOT NULL DEFAULT '',
    district_code TEXT,
    district_name TEXT,
    default_subcategory TEXT,
    schedule_minutes INTEGER NOT NULL,
    delete_threshold REAL NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT '{}',
    created_by INTEGER,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_success_at TEXT
  )`).execute(db)
  await portableDdl(db, `CREATE TABLE harvest_jobs (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES harvest_sources (id) ON DELETE CASCADE,
    cause TEXT NOT NULL,
    status TEXT NOT NULL,
    started_by INTEGER,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms INTEGER,
    report TEXT NOT NULL DEFAULT '{}',
    error TEXT
  )`).execute(db)
  await sql`CREATE INDEX harvest_jobs_source ON harvest_jobs (source_id, id)`.execute(db)
  // One running job per source, whichever process started it.
  await sql`CREATE UNIQUE INDEX harvest_jobs_running ON harvest_jobs (source_id) WHERE status = 'running'`.execute(db)

  const int = pg ? 'bigint' : 'integer'
  await sql.raw(`ALTER TABLE departments ADD COLUMN source_id ${int} REFERENCES harvest_sources (id) ON DELETE CASCADE`).execute(db)
  await sql.raw(`ALTER TABLE departments ADD COLUMN district_code TEXT`).execute(db)
  await sql.raw(`ALTER TABLE departments ADD COLUMN reporting TEXT`).execute(db)
  for (const table of ['departments', 'systems', 'resources', 'data_items', 'resource_updates', 'features']) {
    if (table !== 'departments') await sql.raw(`ALTER TABLE ${table} ADD COLUMN source_id ${int}`).execute(db)
    await sql.raw(`ALTER TABLE ${table} ADD COLUMN remote_id ${int}`).execute(db)
    await sql.raw(`CREATE UNIQUE INDEX ${table}_remote ON ${table} (source_id, remote_id) WHERE source_id IS NOT NULL`).execute(db)
  }

  await sql.raw(`ALTER TABLE features ADD COLUMN revision ${int}`).execute(db)
  await sql`CREATE INDEX features_revision ON features (revision) WHERE revision IS NOT NULL`.execute(db)
  const changed = ['resource_id', 'kind', 'name', 'geometry', 'risk_level', 'indicators', 'impact_radius_m', 'capacity', 'capacity_unit', 'attributes', 'updated_at']
  if (pg) {
    await sql`CREATE SEQUENCE feature_revision`.execute(db)
    await sql.raw(`CREATE FUNCTION features_revision() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
      NEW.revision := nextval('feature_revision'); RETURN NEW; END $fn$`).execute(db)
    await sql.raw(`CREATE TRIGGER features_revision BEFORE UPDATE OF ${changed.join(', ')} ON features FOR EACH ROW
      WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION features_revision()`).execute(db)
  } else {
    await sql.raw(`CREATE TRIGGER features_revision AFTER UPDATE OF ${changed.join(', ')} ON features BEGIN
      UPDATE features SET revision = (SELECT coalesce(max(revision), 0) + 1 FROM features WHERE revision IS NOT NULL) WHERE id = NEW.id; END`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  if (pg) {
    await sql`DROP TRIGGER IF EXISTS features_revision ON features`.execute(db)
    await sql`DROP FUNCTION IF EXISTS features_revision()`.execute(db)
    await sql`DROP SEQUENCE IF EXISTS feature_revision`.execute(db)
  } else await sql`DROP TRIGGER IF EXISTS features_revision`.execute(db)
  await sql`DROP INDEX IF EXISTS features_revision`.execute(db)
  await sql.raw('ALTER TABLE features DROP COLUMN revision').execute(db)
  for (const table of ['departments', 'systems', 'resources', 'data_items', 'resource_updates', 'features']) {
    await sql.raw(`DROP INDEX IF EXISTS ${table}_remote`).execute(db)
    await sql.raw(`ALTER TABLE ${table} DROP COLUMN remote_id`).execute(db)
    if (table !== 'departments') await sql.raw(`ALTER TABLE ${table} DROP COLUMN source_id`).execute(db)
  }
  for (const column of ['reporting', 'district_code', 'source_id']) await sql.raw(`ALTER TABLE departments DROP COLUMN ${column}`).execute(db)
  for (const table of ['harvest_jobs', 'harvest_sources', 'federation_tokens']) await sql.raw(`DROP TABLE ${table}`).execute(db)
}
