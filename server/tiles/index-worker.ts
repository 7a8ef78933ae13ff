import { openDatabase } from '../db/connect.js'
import { FeatureIndex } from './feature-index.js'
import { indexColumns, shapeGeometries, storeIndex, storedIndex } from './queries.js'

/**
 * Builds the tile feature index of a features version in a worker thread (tile-service.ts starts it)
 * with its own database connection, and stores it where the server reads it back: the server's event
 * loop never spends the seconds a million features take to read and sort.
 */
export async function answer(input: { databaseUrl: string; key: string }) {
  const db = openDatabase(input.databaseUrl, { poolSize: 2 })
  try {
    if (!(await storedIndex(db, input.key))) {
      const index = await FeatureIndex.build(await indexColumns(db), shapeGeometries(db))
      await storeIndex(db, input.key, index.serialize())
    }
    return { ok: true as const, value: true }
  } finally {
    await db.close()
  }
}
