import { Migrator, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './connect.js'
import * as m0001 from './migrations/0001-catalog.js'
import * as m0003 from './migrations/0003-supervision.js'
import * as m0004 from './migrations/0004-tiles.js'
import * as m0005 from './migrations/0005-access.js'
import * as m0006 from './migrations/0006-access-tokens.js'
import * as m0007 from './migrations/0007-catalog-version.js'
import * as m0008 from './migrations/0008-ids-never-reused.js'
import * as m0009 from './migrations/0009-two-factor.js'
import * as m0010 from './migrations/0010-shared-rate-limits.js'
import * as m0011 from './migrations/0011-federation.js'
import * as m0012 from './migrations/0012-monitoring.js'
import * as m0013 from './migrations/0013-risk-grading.js'
import * as m0014 from './migrations/0014-reassessment.js'

// Listed explicitly (not read from disk) so migrations work the same from source and from a bundle.
const MIGRATIONS: Record<string, Migration> = {
  '0001-catalog': m0001,
  '0003-supervision': m0003,
  '0004-tiles': m0004,
  '0005-access': m0005,
  '0006-access-tokens': m0006,
  '0007-catalog-version': m0007,
  '0008-ids-never-reused': m0008,
  '0009-two-factor': m0009,
  '0010-shared-rate-limits': m0010,
  '0011-federation': m0011,
  '0012-monitoring': m0012,
  '0013-risk-grading': m0013,
  '0014-reassessment': m0014,
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS
  }
}

function migrator(db: Db): Migrator {
  // 0008 was numbered before 0009 but came later: a database that already ran 0009 runs 0008 next
  // (neither depends on the other) instead of refusing to start.
  return new Migrator({ db: db.kysely, provider: new StaticProvider(), allowUnorderedMigrations: true })
}

/** The migrations this code knows that the database has not run (none: the schema is current). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  return (await migrator(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name)
}

/** Brings the schema up to date; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
