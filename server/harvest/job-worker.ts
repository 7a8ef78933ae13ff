import { openWorkerDatabase } from '../db/connect.js'
import type { HarvestRecordKind, HarvestReport } from '../domain/federation.js'
import { ReportBuilder } from './apply.js'
import { harvestAtlas, type JobResult } from './atlas.js'
import { SourceError } from './client.js'
import { harvestDcat } from './dcat.js'
import { sourceById } from './queries.js'

/**
 * One harvest job in a worker thread (server/harvest/runner.ts starts it): its own database connection
 * (SQLite in WAL mode lets the server's thread read meanwhile; PostgreSQL takes both), so parsing the
 * source's pages and writing them never holds up the server's event loop. Answers the job's outcome and
 * report; a source's failure is an answer too, with its message.
 */
export interface JobAnswer {
  result: JobResult | null
  report: HarvestReport
  /** Why the job failed: a sentence about the source, or an unexpected error. */
  error: { source: boolean; message: string } | null
}

export async function answer(input: { databaseUrl: string; sourceId: number; confirmed: Partial<Record<HarvestRecordKind, number>> | null; now: string }) {
  const db = openWorkerDatabase(input.databaseUrl)
  const report = new ReportBuilder()
  try {
    const source = await sourceById(db, input.sourceId)
    if (!source) return { ok: true as const, value: { result: null, report: report.report, error: { source: true, message: '来源已被删除' } } satisfies JobAnswer }
    const subcategories = new Set((await db.kysely.selectFrom('subcategories').select('code').execute()).map((s) => s.code))
    const job = { db, source, confirmed: input.confirmed, report, now: () => new Date(input.now), subcategories }
    const result = source.kind === 'dcat' ? await harvestDcat(job) : await harvestAtlas(job)
    return { ok: true as const, value: { result, report: report.report, error: null } satisfies JobAnswer }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { ok: true as const, value: { result: null, report: report.report, error: { source: err instanceof SourceError, message } } satisfies JobAnswer }
  } finally {
    await db.close()
  }
}
