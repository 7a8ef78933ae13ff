import { sql, type Kysely } from 'kysely'
import { columnTypes, isPostgres, statementTriggers } from './portable.js'

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db)
  const pg = isPostgres(db)
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('domains')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('data_scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('subcategories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('domain_code', 'text', (c) => c.notNull().references('domains.code'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('builtin', t.int, (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('subcategory_items')
    .addColumn('id', t.int, t.id)
    .addColumn('subcategory_code', 'text', (c) => c.notNull().references('subcategories.code').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('subcategory_items_unique', ['subcategory_code', 'name'])
    .execute()

  await db.schema
    .createTable('departments')
    .addColumn('id', t.int, t.id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('survey_rounds')
    .addColumn('id', t.int, t.id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('systems_deadline', 'text', (c) => c.notNull())
    .addColumn('resources_deadline', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('survey_round_departments')
    .addColumn('round_id', t.int, (c) => c.notNull().references('survey_rounds.id').onDelete('cascade'))
    .addColumn('department_id', t.int, (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('no_systems', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('systems_reported_at', 'text')
    .addColumn('resources_reported_at', 'text')
    .addPrimaryKeyConstraint('survey_round_departments_pk', ['round_id', 'department_id'])
    .execute()

  await db.schema
    .createTable('systems')
    .addColumn('id', t.int, t.id)
    .addColumn('department_id', t.int, (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('build_level', 'text', (c) => c.notNull())
    .addColumn('builder', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('operator', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('run_status', 'text', (c) => c.notNull())
    .addColumn('security_level', 'text', (c) => c.notNull())
    .addColumn('shares_data', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('sharing_modes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('networks', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('reviewer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filler', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('systems_department_name', ['department_id', 'name'])
    .execute()

  await db.schema
    .createTable('resources')
    .addColumn('id', t.int, t.id)
    .addColumn('system_id', t.int, (c) => c.notNull().references('systems.id').onDelete('cascade'))
    .addColumn('department_id', t.int, (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('subcategory_code', 'text', (c) => c.notNull().references('subcategories.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provision_mode', 'text', (c) => c.notNull())
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('subject_class', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('sharing_attribute', 'text', (c) => c.notNull())
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('reviewer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filler', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('filled_at', 'text')
    .addColumn('last_updated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('resources_system_name', ['system_id', 'name'])
    .execute()
  await db.schema.createIndex('resources_department').on('resources').column('department_id').execute()
  await db.schema.createIndex('resources_subcategory').on('resources').column('subcategory_code').execute()

  await db.schema
    .createTable('data_items')
    .addColumn('id', t.int, t.id)
    .addColumn('resource_id', t.int, (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('length', t.int, (c) => c.notNull())
    .addColumn('sort_order', t.int, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('data_items_resource_name', ['resource_id', 'name'])
    .execute()

  await db.schema
    .createTable('resource_updates')
    .addColumn('id', t.int, t.id)
    .addColumn('resource_id', t.int, (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('record_count', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('resource_updates_resource_time').on('resource_updates').columns(['resource_id', 'updated_at']).execute()
  // The last real update is kept on the resource so freshness never rescans the history.
  if (pg) {
    await statementTriggers(db, 'resource_updates_last', 'resource_updates', {
      insert: `UPDATE resources r SET last_updated_at = n.at FROM (SELECT resource_id, max(updated_at) AS at FROM new_rows GROUP BY resource_id) n
        WHERE r.id = n.resource_id AND (r.last_updated_at IS NULL OR r.last_updated_at < n.at);`,
    })
  } else await sql`CREATE TRIGGER resource_updates_last AFTER INSERT ON resource_updates BEGIN
    UPDATE resources SET last_updated_at = NEW.updated_at
     WHERE id = NEW.resource_id AND (last_updated_at IS NULL OR last_updated_at < NEW.updated_at);
  END`.execute(db)

  await db.schema
    .createTable('regions')
    .addColumn('id', t.int, t.id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('focus', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('grid_row', t.int)
    .addColumn('grid_col', t.int)
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_x', t.real, (c) => c.notNull())
    .addColumn('min_y', t.real, (c) => c.notNull())
    .addColumn('max_x', t.real, (c) => c.notNull())
    .addColumn('max_y', t.real, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('regions_kind').on('regions').column('kind').execute()

  await db.schema
    .createTable('features')
    .addColumn('id', t.int, t.id)
    .addColumn('resource_id', t.int, (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('geometry_type', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_x', t.real, (c) => c.notNull())
    .addColumn('min_y', t.real, (c) => c.notNull())
    .addColumn('max_x', t.real, (c) => c.notNull())
    .addColumn('max_y', t.real, (c) => c.notNull())
    .addColumn('risk_level', 'text')
    .addColumn('indicators', 'text')
    .addColumn('impact_radius_m', t.real)
    .addColumn('capacity', t.real)
    .addColumn('capacity_unit', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('district_code', 'text')
    .addColumn('cell_id', t.int)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('features_resource').on('features').columns(['resource_id', 'kind', 'risk_level']).execute()
  await db.schema.createIndex('features_kind_risk').on('features').columns(['kind', 'risk_level']).execute()

  if (pg) {
    // PostGIS: a GiST index on each feature's bounding box (its extent columns as an envelope) serves
    // what SQLite's R*Tree serves; the R*Tree's name stays as a view so the same reads run on both.
    await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db)
    await sql`CREATE INDEX features_box ON features USING gist (ST_MakeEnvelope(min_x, min_y, max_x, max_y, 4326))`.execute(db)
    await sql`CREATE VIEW features_rtree AS SELECT id, min_x, max_x, min_y, max_y FROM features`.execute(db)
  } else {
    // Bounding boxes in an R*Tree, kept in step with the features table by triggers.
    await sql`CREATE VIRTUAL TABLE features_rtree USING rtree(id, min_x, max_x, min_y, max_y)`.execute(db)
    await sql`CREATE TRIGGER features_rtree_insert AFTER INSERT ON features BEGIN
      INSERT INTO features_rtree (id, min_x, max_x, min_y, max_y) VALUES (NEW.id, NEW.min_x, NEW.max_x, NEW.min_y, NEW.max_y);
    END`.execute(db)
    await sql`CREATE TRIGGER features_rtree_update AFTER UPDATE OF min_x, min_y, max_x, max_y ON features BEGIN
      UPDATE features_rtree SET min_x = NEW.min_x, max_x = NEW.max_x, min_y = NEW.min_y, max_y = NEW.max_y WHERE id = NEW.id;
    END`.execute(db)
    await sql`CREATE TRIGGER features_rtree_delete AFTER DELETE ON features BEGIN
      DELETE FROM features_rtree WHERE id = OLD.id;
    END`.execute(db)
  }

  // Feature counts kept current by triggers so statistics never rescan the features table: a coarse
  // summary (resource, kind, risk level, district; a few thousand rows even at a million features) and
  // a fine tally that adds the grid cell.
  const tallies: [table: string, keys: [column: string, expr: (row: string) => string][]][] = [
    ['feature_summary', [
      ['resource_id', (r) => `${r}.resource_id`], ['kind', (r) => `${r}.kind`],
      ['risk_level', (r) => `coalesce(${r}.risk_level, '')`], ['district_code', (r) => `coalesce(${r}.district_code, '')`],
    ]],
    ['feature_tally', [
      ['resource_id', (r) => `${r}.resource_id`], ['kind', (r) => `${r}.kind`],
      ['risk_level', (r) => `coalesce(${r}.risk_level, '')`], ['district_code', (r) => `coalesce(${r}.district_code, '')`],
      ['cell_id', (r) => `coalesce(${r}.cell_id, -1)`],
    ]],
  ]
  for (const [table, keys] of tallies) {
    let create = db.schema.createTable(table)
    for (const [column] of keys) create = create.addColumn(column, column === 'resource_id' || column === 'cell_id' ? t.int : 'text', (c) => c.notNull())
    await create.addColumn('n', t.int, (c) => c.notNull()).addPrimaryKeyConstraint(`${table}_pk`, keys.map(([c]) => c) as any).execute()
    const cols = keys.map(([c]) => c).join(', ')
    const values = (row: string) => keys.map(([, e]) => e(row)).join(', ')
    if (pg) {
      // Set-based: one grouped statement per INSERT/UPDATE/DELETE statement on features.
      const grouped = (rows: string, sign: string) => `INSERT INTO ${table} AS t (${cols}, n)
        SELECT ${values('r')}, ${sign}count(*) FROM ${rows} r GROUP BY ${values('r')}
        ON CONFLICT (${cols}) DO UPDATE SET n = t.n + excluded.n;`
      const prune = `DELETE FROM ${table} WHERE n <= 0;`
      await statementTriggers(db, table, 'features', {
        insert: grouped('new_rows', ''),
        delete: `${grouped('old_rows', '-')} ${prune}`,
        update: `${grouped('old_rows', '-')} ${grouped('new_rows', '')} ${prune}`,
      })
      continue
    }
    const match = (row: string) => keys.map(([c, e]) => `${c} = ${e(row)}`).join(' AND ')
    const add = `INSERT INTO ${table} (${cols}, n) VALUES (${values('NEW')}, 1) ON CONFLICT DO UPDATE SET n = n + 1;`
    const remove = `UPDATE ${table} SET n = n - 1 WHERE ${match('OLD')}; DELETE FROM ${table} WHERE ${match('OLD')} AND n <= 0;`
    await sql.raw(`CREATE TRIGGER ${table}_insert AFTER INSERT ON features BEGIN ${add} END`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_delete AFTER DELETE ON features BEGIN ${remove} END`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_update AFTER UPDATE OF resource_id, kind, risk_level, district_code, cell_id ON features
      BEGIN ${remove} ${add} END`).execute(db)
  }

  // Full-text search over the catalog down to data items; trigram tokenizer so Chinese matches by substring.
  // rowid encodes the entity: system id*4+1, resource id*4+2, item id*4+3.
  const searchTriggers: [table: string, tag: number, body: (row: string) => string][] = [
    ['systems', 1, (r) => `${r}.builder || ' ' || ${r}.operator`],
    ['resources', 2, () => `''`],
    ['data_items', 3, () => `''`],
  ]
  if (pg) {
    // pg_trgm's GIN index serves substring LIKE/ILIKE as FTS5's trigram tokenizer does; the column is
    // named rowid so that the same queries read it on both engines.
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
    await sql`CREATE TABLE catalog_search (rowid bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL)`.execute(db)
    await sql`CREATE INDEX catalog_search_title ON catalog_search USING gin (title gin_trgm_ops)`.execute(db)
    for (const [table, tag, body] of searchTriggers) {
      const add = `INSERT INTO catalog_search (rowid, title, body) SELECT r.id * 4 + ${tag}, r.name, ${body('r')} FROM new_rows r;`
      const remove = `DELETE FROM catalog_search WHERE rowid IN (SELECT r.id * 4 + ${tag} FROM old_rows r);`
      await statementTriggers(db, `${table}_search`, table, { insert: add, update: `${remove} ${add}`, delete: remove })
    }
    return
  }
  await sql`CREATE VIRTUAL TABLE catalog_search USING fts5(title, body, tokenize = 'trigram')`.execute(db)
  for (const [table, tag, body] of searchTriggers) {
    await sql.raw(`CREATE TRIGGER ${table}_search_insert AFTER INSERT ON ${table} BEGIN
      INSERT INTO catalog_search (rowid, title, body) VALUES (NEW.id * 4 + ${tag}, NEW.name, ${body('NEW')});
    END`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_search_update AFTER UPDATE ON ${table} BEGIN
      DELETE FROM catalog_search WHERE rowid = OLD.id * 4 + ${tag};
      INSERT INTO catalog_search (rowid, title, body) VALUES (NEW.id * 4 + ${tag}, NEW.name, ${body('NEW')});
    END`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_search_delete AFTER DELETE ON ${table} BEGIN
      DELETE FROM catalog_search WHERE rowid = OLD.id * 4 + ${tag};
    END`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['catalog_search', 'feature_tally', 'feature_summary', 'features_rtree', 'features', 'regions', 'resource_updates',
    'data_items', 'resources', 'systems', 'survey_round_departments', 'survey_rounds', 'departments',
    'subcategory_items', 'subcategories', 'domains', 'meta']) {
    await sql.raw(`DROP ${t === 'features_rtree' && isPostgres(db) ? 'VIEW' : 'TABLE'} IF EXISTS ${t}${isPostgres(db) ? ' CASCADE' : ''}`).execute(db)
  }
}
