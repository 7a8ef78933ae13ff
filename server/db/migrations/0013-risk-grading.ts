import { sql, type Kysely } from 'kysely'
import { isPostgres, portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Computed risk grading (SPEC §11).
 * - `risk_models`: the assessment model of a scope — the default ('') or one sub-category — in
 *   versions: a change adds a version, the old ones stay (an assessment names the version it used).
 *   `config` is the model as JSON (matrix, LEC or indicators).
 * - `risk_assessments`: each assessment of a risk point or hazard source: the inputs, the computed
 *   level and figures, an optional override with its written reason, the effective level, why it was
 *   made (by hand, imported, a re-grading after a model change, an alarm), who and when. A feature's
 *   level on the map is its latest assessment's (written to features.risk_level, so the tiles,
 *   statistics and exports follow through the data versions).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const auto = isPostgres(db) ? '' : ' AUTOINCREMENT'
  await portableDdl(db, `CREATE TABLE risk_models (
    id INTEGER PRIMARY KEY${auto},
    scope TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    config TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at TEXT NOT NULL
  )`).execute(db)
  await sql`CREATE UNIQUE INDEX risk_models_version ON risk_models (scope, version)`.execute(db)
  await portableDdl(db, `CREATE TABLE risk_assessments (
    id INTEGER PRIMARY KEY${auto},
    feature_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL REFERENCES risk_models (id),
    inputs TEXT NOT NULL,
    computed_level TEXT NOT NULL,
    score REAL NOT NULL,
    likelihood INTEGER,
    consequence INTEGER,
    override_level TEXT,
    override_reason TEXT,
    level TEXT NOT NULL,
    cause TEXT NOT NULL,
    alarm_id INTEGER,
    assessed_by INTEGER,
    assessor TEXT NOT NULL DEFAULT '',
    assessed_at TEXT NOT NULL
  )`).execute(db)
  await sql`CREATE INDEX risk_assessments_feature ON risk_assessments (feature_id, id)`.execute(db)
  await sql`CREATE INDEX risk_assessments_model ON risk_assessments (model_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE risk_assessments`.execute(db)
  await sql`DROP TABLE risk_models`.execute(db)
}
