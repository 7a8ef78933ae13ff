import { openWorkerDatabase, type Db } from '../db/connect.js'
import { FeatureIndex, type IndexPart } from './feature-index.js'
import { indexColumns, storeIndex } from './queries.js'

/**
 * Builds one part of the tile feature index of a features version (its points, or its lines and
 * polygons) in a worker thread with its own database connection; tile-service.ts starts one worker per
 * part, so the two are read and sorted at once and the server's event loop spends none of the seconds a
 * million features take. Answers the serialised part, then (afterAnswer) stores it where the next
 * start reads it back, so tiles need not wait for the write.
 */
let pending: { db: Db; part: IndexPart; key: string; data: Buffer | null } | null = null

export async function answer(input: { databaseUrl: string; key: string; part: IndexPart }) {
  // The server starts a worker only when no index of this version is stored (tile-service.ts).
  const db = openWorkerDatabase(input.databaseUrl)
  pending = { db, part: input.part, key: input.key, data: null }
  let built
  if (input.part === 'points') {
    built = FeatureIndex.buildPoints(await indexColumns(db, 'points'))
  } else {
    // The lines' and polygons' columns and geometries in one pass; each geometry parsed as it is used.
    const texts: [number, string][] = []
    const columns = await indexColumns(db, 'shapes', texts)
    built = await FeatureIndex.buildShapes(columns, (function* () {
      for (let i = 0; i < texts.length; i++) {
        const [id, text] = texts[i]!
        texts[i] = [id, '']
        yield [id, JSON.parse(text)] as [number, { type: string; coordinates: unknown }]
      }
    })())
  }
  const data = FeatureIndex.serializePart(input.part, built)
  pending.data = data
  return { ok: true as const, value: data }
}

export async function afterAnswer() {
  const p = pending
  pending = null
  if (!p) return
  try {
    // Another process may have stored the same version meanwhile: storing it again replaces equal bytes.
    if (p.data) await storeIndex(p.db, p.part, p.key, p.data)
  } finally {
    await p.db.close()
  }
}
