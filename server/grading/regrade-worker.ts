/** Re-grading in a worker thread with its own connection (regrade.ts sends it here on SQLite). */
import { openWorkerDatabase } from '../db/connect.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { modelById } from './queries.js'
import { regrade, type RegradeResult } from './regrade.js'

export async function answer(input: { databaseUrl: string; modelId: number; by: { id: number | null; name: string }; at: string }): Promise<WorkerAnswer<RegradeResult>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    const model = await modelById(db.kysely, input.modelId)
    if (!model) return { ok: false, code: 'not_found', message: `model ${input.modelId} not found` }
    return { ok: true, value: await regrade(db, model, input.by, input.at) }
  } finally {
    await db.close()
  }
}
