import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
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
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('subcategories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('domain_code', 'text', (c) => c.notNull().references('domains.code'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('subcategory_items')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('subcategory_code', 'text', (c) => c.notNull().references('subcategories.code').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('subcategory_items_unique', ['subcategory_code', 'name'])
    .execute()

  await db.schema
    .createTable('departments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('survey_rounds')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('systems_deadline', 'text', (c) => c.notNull())
    .addColumn('resources_deadline', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('survey_round_departments')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('survey_rounds.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('no_systems', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('systems_reported_at', 'text')
    .addColumn('resources_reported_at', 'text')
    .addPrimaryKeyConstraint('survey_round_departments_pk', ['round_id', 'department_id'])
    .execute()

  await db.schema
    .createTable('systems')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('build_level', 'text', (c) => c.notNull())
    .addColumn('builder', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('operator', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deployment', 'text', (c) => c.notNull())
    .addColumn('run_status', 'text', (c) => c.notNull())
    .addColumn('security_level', 'text', (c) => c.notNull())
    .addColumn('shares_data', 'integer', (c) => c.notNull().defaultTo(0))
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
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('system_id', 'integer', (c) => c.notNull().references('systems.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
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
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('resource_id', 'integer', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('length', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('data_items_resource_name', ['resource_id', 'name'])
    .execute()

  await db.schema
    .createTable('resource_updates')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('resource_id', 'integer', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('resource_updates_resource_time').on('resource_updates').columns(['resource_id', 'updated_at']).execute()
  // The last real update is kept on the resource so freshness never rescans the history.
  await sql`CREATE TRIGGER resource_updates_last AFTER INSERT ON resource_updates BEGIN
    UPDATE resources SET last_updated_at = NEW.updated_at
     WHERE id = NEW.resource_id AND (last_updated_at IS NULL OR last_updated_at < NEW.updated_at);
  END`.execute(db)

  await db.schema
    .createTable('regions')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('focus', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('grid_row', 'integer')
    .addColumn('grid_col', 'integer')
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_x', 'real', (c) => c.notNull())
    .addColumn('min_y', 'real', (c) => c.notNull())
    .addColumn('max_x', 'real', (c) => c.notNull())
    .addColumn('max_y', 'real', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('regions_kind').on('regions').column('kind').execute()

  await db.schema
    .createTable('features')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('resource_id', 'integer', (c) => c.notNull().references('resources.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('geometry_type', 'text', (c) => c.notNull())
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('min_x', 'real', (c) => c.notNull())
    .addColumn('min_y', 'real', (c) => c.notNull())
    .addColumn('max_x', 'real', (c) => c.notNull())
    .addColumn('max_y', 'real', (c) => c.notNull())
    .addColumn('risk_level', 'text')
    .addColumn('indicators', 'text')
    .addColumn('impact_radius_m', 'real')
    .addColumn('capacity', 'real')
    .addColumn('capacity_unit', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('district_code', 'text')
    .addColumn('cell_id', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('features_resource').on('features').columns(['resource_id', 'kind', 'risk_level']).execute()
  await db.schema.createIndex('features_kind_risk').on('features').columns(['kind', 'risk_level']).execute()

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
    let t = db.schema.createTable(table)
    for (const [column] of keys) t = t.addColumn(column, column === 'resource_id' || column === 'cell_id' ? 'integer' : 'text', (c) => c.notNull())
    await t.addColumn('n', 'integer', (c) => c.notNull()).addPrimaryKeyConstraint(`${table}_pk`, keys.map(([c]) => c) as any).execute()
    const cols = keys.map(([c]) => c).join(', ')
    const values = (row: string) => keys.map(([, e]) => e(row)).join(', ')
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
  await sql`CREATE VIRTUAL TABLE catalog_search USING fts5(title, body, tokenize = 'trigram')`.execute(db)
  const searchTriggers: [table: string, tag: number, body: string][] = [
    ['systems', 1, `NEW.builder || ' ' || NEW.operator`],
    ['resources', 2, `''`],
    ['data_items', 3, `''`],
  ]
  for (const [table, tag, body] of searchTriggers) {
    await sql.raw(`CREATE TRIGGER ${table}_search_insert AFTER INSERT ON ${table} BEGIN
      INSERT INTO catalog_search (rowid, title, body) VALUES (NEW.id * 4 + ${tag}, NEW.name, ${body});
    END`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_search_update AFTER UPDATE ON ${table} BEGIN
      DELETE FROM catalog_search WHERE rowid = OLD.id * 4 + ${tag};
      INSERT INTO catalog_search (rowid, title, body) VALUES (NEW.id * 4 + ${tag}, NEW.name, ${body});
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
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db)
  }
}
