import { openDatabase, type Db } from '../db/connect.js'
import { FeatureIndex } from './feature-index.js'
import { indexColumns, shapeGeometries, storeIndex, storedIndex } from './queries.js'

/**
 * Builds the tile feature index of a features version in a worker thread (tile-service.ts starts it)
 * with its own database connection: the server's event loop never spends the seconds a million
 * features take to read and sort. Answers the serialised index, then (afterAnswer) stores it where the
 * next start reads it back, so tiles need not wait for the write.
 */
let pending: { db: Db; key: string; data: Buffer | null } | null = null

export async function answer(input: { databaseUrl: string; key: string }) {
  const db = openDatabase(input.databaseUrl, { poolSize: 2 })
  pending = { db, key: input.key, data: null }
  const stored = await storedIndex(db, input.key)
  if (stored) return { ok: true as const, value: stored }
  const data = (await FeatureIndex.build(await indexColumns(db), shapeGeometries(db))).serialize()
  pending.data = data
  return { ok: true as const, value: data }
}

export async function afterAnswer() {
  const p = pending
  pending = null
  if (!p) return
  try {
    if (p.data && !(await storedIndex(p.db, p.key))) await storeIndex(p.db, p.key, p.data)
  } finally {
    await p.db.close()
  }
}
