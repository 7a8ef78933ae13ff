/** Records a checked batch of assessments in a worker thread with its own connection (batch.ts sends large ones here on SQLite). */
import { openWorkerDatabase } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { insertAssessments, type NewAssessment } from './queries.js'

export async function answer(input: { databaseUrl: string; ready: NewAssessment[] }): Promise<WorkerAnswer<number>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, input.ready))
    return { ok: true, value: input.ready.length }
  } finally {
    await db.close()
  }
}
