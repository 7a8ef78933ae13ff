import { sql, type Kysely } from 'kysely'
import { columnTypes, isPostgres, statementTriggers } from './portable.js'

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db)
  // Per-system API keys for the ingest endpoint. Only a SHA-256 hash is kept (the key itself is shown
  // once when issued); the prefix lets a person tell keys apart without revealing them.
  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.int, t.id)
    .addColumn('system_id', t.int, (c) => c.notNull().references('systems.id').onDelete('cascade'))
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute()
  await db.schema.createIndex('api_keys_system').on('api_keys').column('system_id').execute()

  // Incident surroundings search only protection targets and emergency resources (~15% of features).
  // Their own R*Tree, carrying the full-precision anchor (point, or polygon bbox centre), name and
  // capacity as auxiliary columns, answers a nearest search without touching the wide features rows.
  const kinds = `('protection-target', 'emergency-resource')`
  if (isPostgres(db)) {
    // A plain table with the same columns, its boxes in a PostGIS GiST index, kept by set-based triggers.
    await sql`CREATE TABLE nearby_rtree (id bigint PRIMARY KEY, min_x double precision NOT NULL, max_x double precision NOT NULL,
      min_y double precision NOT NULL, max_y double precision NOT NULL, kind text, resource_id bigint, name text,
      x double precision, y double precision, capacity double precision, capacity_unit text)`.execute(db)
    await sql`CREATE INDEX nearby_rtree_box ON nearby_rtree USING gist (ST_MakeEnvelope(min_x, min_y, max_x, max_y, 4326))`.execute(db)
    const copy = (rows: string) => `INSERT INTO nearby_rtree (id, min_x, max_x, min_y, max_y, kind, resource_id, name, x, y, capacity, capacity_unit)
      SELECT r.id, r.min_x, r.max_x, r.min_y, r.max_y, r.kind, r.resource_id, r.name, (r.min_x + r.max_x) / 2, (r.min_y + r.max_y) / 2,
        r.capacity, r.capacity_unit FROM ${rows} r WHERE r.kind IN ${kinds};`
    const remove = `DELETE FROM nearby_rtree WHERE id IN (SELECT id FROM old_rows);`
    await sql.raw(copy('features')).execute(db)
    await statementTriggers(db, 'nearby_rtree', 'features', { insert: copy('new_rows'), delete: remove, update: `${remove} ${copy('new_rows')}` })
    return
  }
  await sql`CREATE VIRTUAL TABLE nearby_rtree USING rtree(id, min_x, max_x, min_y, max_y,
    +kind TEXT, +resource_id INTEGER, +name TEXT, +x REAL, +y REAL, +capacity REAL, +capacity_unit TEXT)`.execute(db)
  const insert = (r: string) => `INSERT INTO nearby_rtree (id, min_x, max_x, min_y, max_y, kind, resource_id, name, x, y, capacity, capacity_unit)
    SELECT ${r}.id, ${r}.min_x, ${r}.max_x, ${r}.min_y, ${r}.max_y, ${r}.kind, ${r}.resource_id, ${r}.name,
      (${r}.min_x + ${r}.max_x) / 2, (${r}.min_y + ${r}.max_y) / 2, ${r}.capacity, ${r}.capacity_unit`
  await sql.raw(`${insert('f')} FROM features f WHERE f.kind IN ${kinds}`).execute(db)
  await sql.raw(`CREATE TRIGGER nearby_rtree_insert AFTER INSERT ON features WHEN NEW.kind IN ${kinds} BEGIN ${insert('NEW')}; END`).execute(db)
  await sql.raw(`CREATE TRIGGER nearby_rtree_delete AFTER DELETE ON features BEGIN DELETE FROM nearby_rtree WHERE id = OLD.id; END`).execute(db)
  await sql.raw(`CREATE TRIGGER nearby_rtree_update AFTER UPDATE ON features BEGIN
    DELETE FROM nearby_rtree WHERE id = OLD.id;
    ${insert('NEW')} WHERE NEW.kind IN ${kinds};
  END`).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['nearby_rtree_insert', 'nearby_rtree_delete', 'nearby_rtree_update']) {
    await sql.raw(isPostgres(db) ? `DROP FUNCTION IF EXISTS ${t} CASCADE` : `DROP TRIGGER IF EXISTS ${t}`).execute(db)
  }
  await sql`DROP TABLE IF EXISTS nearby_rtree`.execute(db)
  await db.schema.dropTable('api_keys').ifExists().execute()
}
