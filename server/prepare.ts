import type { Db } from './db/connect.js'
import { migrateToLatest } from './db/migrate.js'
import { seedTaxonomy } from './selection/taxonomy.js'
import { seedRegions, type District } from './geo/regions.js'
import { seedDefaultRules } from './monitoring/queries.js'
import { seedDefaultRiskModel } from './grading/queries.js'

/** Migrates the schema and makes sure the reference data (annex-1 taxonomy, boundaries, grid, default alarm rules and risk model) is present. */
export async function prepareDatabase(db: Db, district?: District, now = new Date()): Promise<void> {
  await migrateToLatest(db)
  await seedTaxonomy(db)
  await seedRegions(db, district)
  await seedDefaultRules(db, now)
  await seedDefaultRiskModel(db, now)
}
