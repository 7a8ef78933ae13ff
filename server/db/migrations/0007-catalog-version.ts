import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code.

/**
 * Versions of what the server keeps in memory, so that any process sees any writer's change at once:
 * - the catalog's data version (migration 0004) also counts changes to systems and departments: the
 *   server keeps the catalog's resources with their system and department names per version;
 * - `search_version` counts changes to the names the catalog search looks in (systems, resources,
 *   data items): short queries, which the trigram index cannot serve, scan the distinct names in
 *   memory. It is a table of its own so that editing data items does not invalidate the map's tiles.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_version (version INTEGER NOT NULL)`.execute(db)
  await sql`INSERT INTO search_version (version) VALUES (0)`.execute(db)
  for (const table of ['systems', 'resources', 'data_items']) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_search_version_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
        UPDATE search_version SET version = version + 1; END`).execute(db)
    }
  }
  for (const table of ['systems', 'departments']) {
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_version_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
        UPDATE data_versions SET version = version + 1 WHERE name = 'catalog'; END`).execute(db)
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['systems', 'resources', 'data_items']) {
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_search_version_${event}`).execute(db)
  }
  await sql`DROP TABLE IF EXISTS search_version`.execute(db)
  for (const table of ['systems', 'departments']) {
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_version_${event}`).execute(db)
  }
}
