import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Db } from './connect.js'
import { inTransaction, insertMany } from './dialect.js'
import { migrateToLatest, pendingMigrations } from './migrate.js'
import type { Database } from './schema.js'

/**
 * Copies a whole database between engines (SQLite ⇄ PostgreSQL): the catalog, features, update
 * history, users, sessions and the audit log, keeping every id. The target is migrated first and must
 * be empty; the copy is one transaction (all or nothing). Tables kept by triggers (tallies, search
 * index, spatial indexes, item counts) are not copied but rebuilt by the target's own triggers as the
 * rows arrive, and then compared like the rest. Afterwards every table's row count and content
 * checksum are compared on both sides.
 */

/** Tables copied, parents before children. */
export const COPIED_TABLES = [
  'meta', 'domains', 'subcategories', 'subcategory_items', 'departments', 'survey_rounds', 'survey_round_departments',
  'systems', 'resources', 'data_items', 'resource_updates', 'regions', 'features', 'api_keys',
  'users', 'user_clearances', 'kiosk_links', 'sessions', 'settings', 'audit_log',
  'user_two_factor', 'recovery_codes', 'sign_in_challenges', 'rate_limits', 'access_tokens',
] as const satisfies readonly (keyof Database)[]

/** Tables the target's triggers fill, compared after the copy (content where both engines keep the same values). */
export const DERIVED_TABLES = ['feature_summary', 'feature_tally', 'catalog_search', 'resource_item_counts', 'features_rtree', 'nearby_rtree'] as const

/** SQLite's R*Tree keeps its box coordinates as 32-bit floats, PostgreSQL full doubles: those are compared by count and ids. */
const BOXES_ONLY = new Set<string>(['features_rtree', 'nearby_rtree'])

/** Tables whose ids come from a sequence that must continue past the copied ids (and past ids deleted at the source). */
const SEQUENCED = ['departments', 'survey_rounds', 'systems', 'resources', 'data_items', 'resource_updates', 'features', 'api_keys',
  'users', 'kiosk_links', 'access_tokens', 'audit_log', 'recovery_codes', 'regions', 'subcategory_items'] as const

const BATCH = 5000

export interface TableReport { table: string; source: number; target: number; sourceSum: string; targetSum: string; same: boolean; derived: boolean }
export interface CopyReport { tables: TableReport[]; same: boolean; ms: number }

type K = Kysely<any>

async function count(k: K, table: string): Promise<number> {
  const row = await k.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Reads a table in batches (by id where it has one), handing each batch to `each`. */
async function readAll(k: K, table: string, each: (rows: Record<string, unknown>[]) => Promise<void>, columns?: string[]): Promise<void> {
  const select = (q: any) => (columns ? q.select(columns) : q.selectAll())
  if (!(await columnsOf(k, table)).includes('id')) {
    await each(await select(k.selectFrom(table)).execute())
    return
  }
  let after = -Infinity
  for (;;) {
    const rows: Record<string, unknown>[] = await select(k.selectFrom(table)).where('id', '>', after === -Infinity ? Number.MIN_SAFE_INTEGER : after)
      .orderBy('id').limit(BATCH).execute()
    if (!rows.length) return
    await each(rows)
    after = Number(rows.at(-1)!.id)
  }
}

/** A value as both engines give it back: numbers as numbers, bytes as hex, absent as null. */
function canonical(v: unknown): unknown {
  if (v === undefined || v === null) return null
  if (typeof v === 'bigint') return Number(v)
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('hex')
  return v
}

/**
 * An order-independent checksum of a table's content (engines may sort text keys differently): the sum
 * modulo 2^64 of each row's SHA-256 prefix, the row written as its columns in name order.
 */
async function checksum(k: K, table: string, columns: string[]): Promise<string> {
  let sum = 0n
  const names = [...columns].sort()
  await readAll(k, table, async (rows) => {
    for (const row of rows) {
      const h = createHash('sha256').update(JSON.stringify(names.map((c) => canonical(row[c])))).digest()
      sum = (sum + h.readBigUInt64BE(0)) & 0xffffffffffffffffn
    }
  }, names)
  return sum.toString(16).padStart(16, '0')
}

async function columnsOf(k: K, table: string): Promise<string[]> {
  // Views (features_rtree on PostgreSQL) and virtual tables are listed with their columns too.
  const found = (await k.introspection.getTables()).find((x) => x.name === table)
  if (!found) throw new Error(`table ${table} is missing`)
  return found.columns.map((c) => c.name)
}

/** The next id each sequenced table would give (SQLite's sqlite_sequence, PostgreSQL's identity sequences). */
async function sequencePositions(db: Db): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (db.engine === 'sqlite') {
    const rows = await sql<{ name: string; seq: number }>`SELECT name, seq FROM sqlite_sequence`.execute(db.kysely)
    for (const r of rows.rows) out.set(r.name, Number(r.seq))
    return out
  }
  for (const table of SEQUENCED) {
    const { rows } = await sql<{ v: number | null }>`SELECT pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass) AS v`.execute(db.kysely)
    if (rows[0]?.v != null) out.set(table, Number(rows[0].v))
  }
  return out
}

/** Moves each sequence past the copied ids and past the highest id the source ever gave. */
async function continueSequences(trx: K, target: Db, given: Map<string, number>): Promise<void> {
  for (const table of SEQUENCED) {
    const max = Number((await trx.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0)
    const next = Math.max(max, given.get(table) ?? 0)
    if (next === 0) continue
    if (target.engine === 'postgres') {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), ${next})`.execute(trx)
    } else {
      const updated = await sql`UPDATE sqlite_sequence SET seq = max(seq, ${next}) WHERE name = ${table}`.execute(trx)
      if (!Number(updated.numAffectedRows ?? 0)) await sql`INSERT INTO sqlite_sequence (name, seq) VALUES (${table}, ${next})`.execute(trx)
    }
  }
}

/** Copies `source` into the empty `target` and compares them; `log` hears of each table as it goes. */
export async function copyDatabase(source: Db, target: Db, log: (line: string) => void = () => {}): Promise<CopyReport> {
  const started = performance.now()
  const pending = await pendingMigrations(source)
  if (pending.length) throw new Error(`the source database is not up to date (migrations ${pending.join(', ')} have not run): start the product on it once first`)
  await migrateToLatest(target)
  for (const table of COPIED_TABLES) {
    if (await count(target.kysely, table)) throw new Error(`the target database is not empty (table ${table} has rows): copy into a new, empty database`)
  }
  const sequences = await sequencePositions(source)
  await inTransaction(target, async (trx) => {
    for (const table of COPIED_TABLES) {
      let n = 0
      await readAll(source.kysely, table, async (rows) => {
        await insertMany(trx as K as Kysely<Database>, table, rows as any)
        n += rows.length
      })
      log(`copied ${table}: ${n} rows`)
    }
    await continueSequences(trx, target, sequences)
  })
  await target.versions.refresh()

  const tables: TableReport[] = []
  for (const table of [...COPIED_TABLES, ...DERIVED_TABLES]) {
    const derived = (DERIVED_TABLES as readonly string[]).includes(table)
    const columns = BOXES_ONLY.has(table) ? ['id'] : await columnsOf(source.kysely, table)
    const [sourceRows, targetRows] = [await count(source.kysely, table), await count(target.kysely, table)]
    const [sourceSum, targetSum] = [await checksum(source.kysely, table, columns), await checksum(target.kysely, table, columns)]
    tables.push({ table, source: sourceRows, target: targetRows, sourceSum, targetSum, same: sourceRows === targetRows && sourceSum === targetSum, derived })
  }
  return { tables, same: tables.every((t) => t.same), ms: performance.now() - started }
}
