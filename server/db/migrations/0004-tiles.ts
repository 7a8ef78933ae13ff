import { sql, type Kysely } from 'kysely'
import { bumpVersion, columnTypes, isPostgres, statementTriggers } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Vector tiles and statistics at scale.
 * - `data_versions`: counters bumped by triggers whenever features or the catalog facts that filters
 *   resolve through (resources, their update history, sub-categories) change, so cached tiles are
 *   invalidated by any writer — the forms import, the ingest API, an edit — without app code.
 * - `resource_item_counts`: data items per resource kept by triggers, so statistics count items
 *   without scanning half a million rows.
 * - `features_tile_facts`: a covering index of what the tile index needs, so building it reads a
 *   compact index instead of the wide feature rows.
 * - `tile_index`: the tile server's in-memory feature index, serialised with the data version it was
 *   built at, so a restart on unchanged data loads it instead of rescanning a million rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db)
  const pg = isPostgres(db)
  await db.schema
    .createTable('data_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', t.int, (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`INSERT INTO data_versions (name, version) VALUES ('features', 0), ('catalog', 0)`.execute(db)

  const bump = (name: string) => `UPDATE data_versions SET version = version + 1 WHERE name = '${name}';`
  const watched: [table: string, counter: string][] = [
    ['features', 'features'], ['resources', 'catalog'], ['resource_updates', 'catalog'], ['subcategories', 'catalog'],
  ]
  for (const [table, counter] of watched) {
    if (pg) {
      // Once per statement that changed rows; the notification tells the other server processes.
      const when = (rows: string) => `IF EXISTS (SELECT 1 FROM ${rows}) THEN ${bumpVersion(counter)} END IF;`
      await statementTriggers(db, `${table}_version`, table, { insert: when('new_rows'), update: when('new_rows'), delete: when('old_rows') })
      continue
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_version_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN ${bump(counter)} END`).execute(db)
    }
  }

  await db.schema.createIndex('features_tile_facts').on('features').columns(['geometry_type', 'resource_id', 'kind', 'risk_level']).execute()

  await db.schema
    .createTable('tile_index')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('data', t.blob, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('resource_item_counts')
    .addColumn('resource_id', t.int, (c) => c.primaryKey())
    .addColumn('n', t.int, (c) => c.notNull())
    .execute()
  await sql`INSERT INTO resource_item_counts (resource_id, n) SELECT resource_id, count(*) FROM data_items GROUP BY resource_id`.execute(db)
  if (pg) {
    const add = (rows: string) => `INSERT INTO resource_item_counts AS c (resource_id, n) SELECT resource_id, count(*) FROM ${rows} GROUP BY resource_id
      ON CONFLICT (resource_id) DO UPDATE SET n = c.n + excluded.n;`
    const remove = (rows: string) => `UPDATE resource_item_counts c SET n = c.n - o.n FROM (SELECT resource_id, count(*) AS n FROM ${rows} GROUP BY resource_id) o
      WHERE c.resource_id = o.resource_id; DELETE FROM resource_item_counts WHERE n <= 0;`
    await statementTriggers(db, 'resource_item_counts', 'data_items', {
      insert: add('new_rows'), delete: remove('old_rows'), update: `${remove('old_rows')} ${add('new_rows')}`,
    })
    return
  }
  await sql`CREATE TRIGGER resource_item_counts_insert AFTER INSERT ON data_items BEGIN
    INSERT INTO resource_item_counts (resource_id, n) VALUES (NEW.resource_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  END`.execute(db)
  await sql`CREATE TRIGGER resource_item_counts_delete AFTER DELETE ON data_items BEGIN
    UPDATE resource_item_counts SET n = n - 1 WHERE resource_id = OLD.resource_id;
    DELETE FROM resource_item_counts WHERE resource_id = OLD.resource_id AND n <= 0;
  END`.execute(db)
  await sql`CREATE TRIGGER resource_item_counts_update AFTER UPDATE OF resource_id ON data_items WHEN OLD.resource_id <> NEW.resource_id BEGIN
    UPDATE resource_item_counts SET n = n - 1 WHERE resource_id = OLD.resource_id;
    DELETE FROM resource_item_counts WHERE resource_id = OLD.resource_id AND n <= 0;
    INSERT INTO resource_item_counts (resource_id, n) VALUES (NEW.resource_id, 1) ON CONFLICT DO UPDATE SET n = n + 1;
  END`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS features_tile_facts`.execute(db)
  for (const t of ['resource_item_counts', 'tile_index', 'data_versions']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db)
  for (const table of ['features', 'resources', 'resource_updates', 'subcategories']) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(isPostgres(db) ? `DROP FUNCTION IF EXISTS ${table}_version_${event} CASCADE` : `DROP TRIGGER IF EXISTS ${table}_version_${event}`).execute(db)
    }
  }
}
