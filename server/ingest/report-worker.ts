/**
 * The worker module that records one large report (routes.ts starts it): the body parsed, checked and
 * written with a database connection of its own, off the server's event loop. A refused report is an
 * answer too, with the status, code, message and details the request answers with.
 */
import { openWorkerDatabase } from '../db/connect.js'
import { RegionLocator } from '../geo/regions.js'
import { AppError } from '../http/errors.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { recordReport, type IngestReport, type RecordedReport } from './report.js'

export type ReportAnswer = { recorded: RecordedReport } | { error: { status: AppError['status']; code: string; message: string; details?: unknown } }


export async function answer(input: { databaseUrl: string; report: IngestReport }): Promise<WorkerAnswer<ReportAnswer>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    return { ok: true, value: { recorded: await recordReport(db, await RegionLocator.kept(input.databaseUrl, db), input.report) } }
  } catch (err) {
    if (err instanceof AppError) return { ok: true, value: { error: { status: err.status, code: err.code, message: err.message, details: err.details } } }
    throw err
  } finally {
    await db.close()
  }
}
