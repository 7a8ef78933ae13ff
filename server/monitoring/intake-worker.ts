/**
 * Sensor readings stored by a worker thread with a connection of its own (intake.ts sends them here on
 * SQLite, so that the server's thread goes on answering while a batch is written). The connection is
 * kept for the next batch.
 */
import { openWorkerDatabase, type Db } from '../db/connect.js'
import { AppError } from '../http/errors.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { takeReadings, takeReadingsText, type IntakeReport } from './intake.js'

let kept: { url: string; db: Db } | null = null

export async function answer(input: { databaseUrl: string; text?: string; readings?: unknown[]; systemId: number; now: string; rawDays: number }): Promise<WorkerAnswer<IntakeReport>> {
  if (kept?.url !== input.databaseUrl) kept = { url: input.databaseUrl, db: openWorkerDatabase(input.databaseUrl) }
  const o = { systemId: input.systemId, now: new Date(input.now), rawDays: input.rawDays }
  try {
    const value = input.text !== undefined ? await takeReadingsText(kept.db, input.text, o) : await takeReadings(kept.db, input.readings ?? [], o)
    return { ok: true, value }
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code, message: err.message, status: err.status }
    throw err
  }
}
