import { sql, SqliteAdapter, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code.

/**
 * Ids are never given twice. SQLite gives a new row the highest id in its table plus one, so deleting
 * the newest department, resource or kiosk link handed its id to the next one made, and whatever still
 * named the old id (a kiosk link's or token's filter, a bookmark, an OGC client's cache, an audit
 * entry's target) silently named the new one. AUTOINCREMENT keeps the highest id ever given in
 * `sqlite_sequence` and never goes below it. (Ids deleted before this migration ran cannot be known;
 * from here on none is given again.)
 *
 * The tables are those whose ids people, links and clients refer to; reference data that is never
 * deleted (districts, grid cells, the taxonomy's items) keeps plain rowids.
 *
 * SQLite cannot add AUTOINCREMENT to an existing table, so each is rebuilt with the ids it has,
 * following https://sqlite.org/lang_altertable.html#otheralter:
 * - foreign keys are switched off around the transaction (the pragma does nothing inside one, and with
 *   them on, dropping a parent table would first delete its children by ON DELETE CASCADE) and
 *   `PRAGMA foreign_key_check` must find exactly what it found before, or the whole rebuild is rolled back;
 * - every trigger is kept and recreated as it was, in its order (triggers on other tables name the
 *   rebuilt ones: the update history sets resources' last update time, the tallies and versions);
 * - each table is created under a temporary name from its own CREATE statement with only AUTOINCREMENT
 *   added, filled, the old one dropped, the new one renamed (the children's REFERENCES name the table,
 *   so they point at the new one) and its indexes recreated;
 * - nothing else moves: the search index's rowids (id × 4 + kind), the R*Trees (feature ids), the
 *   tallies (resource ids) and every foreign key hold the same ids as before.
 * Measured on the demo city: 0.4 s at scale 5 (100,855 features), 4.2 s at scale 50 with catalog scale 49
 * (1,008,550 features, 492,581 data items). The file grows by the copied tables until SQLite reuses the
 * freed pages (or a VACUUM).
 *
 * PostgreSQL, the planned scale-out engine, needs no change: its identity (and serial) columns draw
 * from sequences, which never give a value twice, even when the newest row is deleted. The dialect gate
 * is the first line of `rebuild`: on any adapter but SQLite's the migration does nothing. A PostgreSQL
 * schema created by the same chain declares ids `generated always as identity` from the start.
 */
const TABLES = [
  'departments', 'survey_rounds', 'systems', 'resources', 'data_items', 'resource_updates', 'features', 'api_keys',
  'users', 'kiosk_links', 'access_tokens', 'audit_log',
] as const

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, true)
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, false)
}

interface SchemaRow { type: string; name: string; tbl_name: string; sql: string | null }

/** The CREATE TABLE statement of `table` under `as`, with AUTOINCREMENT on its leading `id` column added or removed. */
function createStatement(statement: string, table: string, as: string, autoincrement: boolean): string {
  const head = /^CREATE TABLE\s+("?)(\w+)\1\s*\(/i
  const id = /^(\(\s*"?id"?\s+integer\s+primary\s+key)(\s+autoincrement)?(?=\s*,)/i
  const named = head.exec(statement)
  if (!named || named[2] !== table) throw new Error(`0008: unexpected CREATE statement of ${table}`)
  const columns = statement.slice(named[0].length - 1)
  if (!id.test(columns)) throw new Error(`0008: ${table} does not begin with an integer id primary key`)
  return `CREATE TABLE "${as}" ${columns.replace(id, (_, key: string) => (autoincrement ? `${key} AUTOINCREMENT` : key))}`
}

async function rebuild(db: Kysely<any>, autoincrement: boolean): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return
  const foreignKeysOn = (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows[0]?.foreign_keys === 1
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  try {
    await db.transaction().execute(async (trx) => {
      const violations = async () => (await sql<Record<string, unknown>>`PRAGMA foreign_key_check`.execute(trx)).rows.map((r) => JSON.stringify(r)).sort()
      const before = await violations()
      const schema = (await sql<SchemaRow>`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid`.execute(trx)).rows
      const triggers = schema.filter((r) => r.type === 'trigger')
      for (const t of triggers) await sql.raw(`DROP TRIGGER "${t.name}"`).execute(trx)
      const rebuilt: string[] = []
      for (const table of TABLES) {
        const own = schema.find((r) => r.type === 'table' && r.name === table)
        if (!own) throw new Error(`0008: table ${table} is missing`)
        if (/\bautoincrement\b/i.test(own.sql!) === autoincrement) continue
        const temporary = `${table}__0008`
        await sql.raw(createStatement(own.sql!, table, temporary, autoincrement)).execute(trx)
        await sql.raw(`INSERT INTO "${temporary}" SELECT * FROM "${table}"`).execute(trx)
        await sql.raw(`DROP TABLE "${table}"`).execute(trx)
        await sql.raw(`ALTER TABLE "${temporary}" RENAME TO "${table}"`).execute(trx)
        for (const index of schema.filter((r) => r.type === 'index' && r.tbl_name === table)) await sql.raw(index.sql!).execute(trx)
        rebuilt.push(table)
      }
      for (const t of triggers) await sql.raw(t.sql!).execute(trx)
      const after = await violations()
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        throw new Error(`0008: the rebuild would break foreign keys: ${after.filter((v) => !before.includes(v)).slice(0, 5).join('; ')}`)
      }
      // Dropping a table drops its planner statistics: gather them again where the database keeps them.
      const analysed = (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(trx)).rows[0]!.n > 0
      if (analysed) for (const table of rebuilt) await sql.raw(`ANALYZE "${table}"`).execute(trx)
    })
  } finally {
    if (foreignKeysOn) await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
}
