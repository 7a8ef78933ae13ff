import { sql, type Kysely } from 'kysely'
import { bumpVersion, isPostgres, portableDdl, statementTriggers } from './portable.js'

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
  await portableDdl(db, `CREATE TABLE search_version (version INTEGER NOT NULL)`).execute(db)
  await sql`INSERT INTO search_version (version) VALUES (0)`.execute(db)
  if (isPostgres(db)) {
    const when = (rows: string, then: string) => `IF EXISTS (SELECT 1 FROM ${rows}) THEN ${then} END IF;`
    const search = `UPDATE search_version SET version = version + 1; PERFORM pg_notify('atlas_data_version', 'search');`
    for (const table of ['systems', 'resources', 'data_items']) {
      await statementTriggers(db, `${table}_search_version`, table, { insert: when('new_rows', search), update: when('new_rows', search), delete: when('old_rows', search) })
    }
    for (const table of ['systems', 'departments']) {
      const catalog = bumpVersion('catalog')
      await statementTriggers(db, `${table}_version`, table, { insert: when('new_rows', catalog), update: when('new_rows', catalog), delete: when('old_rows', catalog) })
    }
    return
  }
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
  const drop = (name: string) => sql.raw(isPostgres(db) ? `DROP FUNCTION IF EXISTS ${name} CASCADE` : `DROP TRIGGER IF EXISTS ${name}`)
  for (const table of ['systems', 'resources', 'data_items']) {
    for (const event of ['insert', 'update', 'delete']) await drop(`${table}_search_version_${event}`).execute(db)
  }
  await sql`DROP TABLE IF EXISTS search_version`.execute(db)
  for (const table of ['systems', 'departments']) {
    for (const event of ['insert', 'update', 'delete']) await drop(`${table}_version_${event}`).execute(db)
  }
}
