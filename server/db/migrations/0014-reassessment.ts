import { sql, type Kysely } from 'kysely'

// Frozen in time: this file must never import application code.

/**
 * Re-assessment supervision (SPEC §11) reads, for every assessed point, its last assessment by people
 * or systems and the first alarm raise after it: this index answers both from the index alone, in
 * feature order, without reading the assessments' inputs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX risk_assessments_due ON risk_assessments (feature_id, cause, assessed_at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX risk_assessments_due`.execute(db)
}
