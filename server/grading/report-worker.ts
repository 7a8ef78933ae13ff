/**
 * The long reads of risk supervision — every assessed point's due status, the never-assessed points, the
 * highest risks per category — in a worker thread with its own connection (routes.ts sends them here on
 * SQLite, whose statements hold the thread that runs them: a few hundred milliseconds at a million features).
 */
import { openWorkerDatabase } from '../db/connect.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { neverAssessed, reassessmentStatus, topRisks, type DueCuts } from './queries.js'

export type ReportRequest =
  | { what: 'reassessment'; resourceIds: number[] | null; risk: string[] | undefined; cuts: DueCuts; limit: number }
  | { what: 'top'; resourceIds: number[] | null; risk: string[] | undefined; graded: [string, number][]; per: number }

export async function answer(input: { databaseUrl: string; request: ReportRequest }): Promise<WorkerAnswer<unknown>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    const r = input.request
    if (r.what === 'reassessment') {
      const [status, never] = await Promise.all([
        reassessmentStatus(db.kysely, db.engine, r.resourceIds, r.risk, r.cuts),
        neverAssessed(db.kysely, db.engine, r.resourceIds, r.risk, r.limit),
      ])
      return { ok: true, value: { ...status, never } }
    }
    return { ok: true, value: await topRisks(db.kysely, db.engine, r.resourceIds, r.risk, new Map(r.graded), r.per) }
  } finally {
    await db.close()
  }
}
