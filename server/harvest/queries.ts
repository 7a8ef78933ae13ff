import { sql, type Selectable } from 'kysely'
import type { Db } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import type { HarvestJobsTable, HarvestSourcesTable } from '../db/schema.js'
import {
  sourceIsStale, type HarvestJobInfo, type HarvestKind, type HarvestReport, type HarvestSourceInfo, type HarvestStatus,
} from '../domain/federation.js'

/** SQL of the city's harvest sources and jobs (the records harvested are written by apply.ts). */

/** A source as the harvester reads it: its settings with its token and the state its last job left. */
export interface SourceRow extends Omit<HarvestSourceInfo, 'tokenPrefix' | 'stale' | 'lastJob'> {
  token: string
  state: Record<string, unknown>
}

function sourceRow(r: Selectable<HarvestSourcesTable>): SourceRow {
  let state: Record<string, unknown> = {}
  try {
    state = JSON.parse(r.state) as Record<string, unknown>
  } catch {
    state = {}
  }
  return {
    id: r.id, kind: r.kind, name: r.name, url: r.url, token: r.token, districtCode: r.district_code, districtName: r.district_name, defaultSubcategory: r.default_subcategory,
    scheduleMinutes: r.schedule_minutes, deleteThreshold: r.delete_threshold, enabled: r.enabled === 1, state, createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at, lastSuccessAt: r.last_success_at,
  }
}

export async function sourceById(db: Db, id: number): Promise<SourceRow | null> {
  const r = await db.kysely.selectFrom('harvest_sources').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? sourceRow(r) : null
}

export async function allSources(db: Db): Promise<SourceRow[]> {
  return (await db.kysely.selectFrom('harvest_sources').selectAll().orderBy('id').execute()).map(sourceRow)
}

export interface SourceFields {
  kind: HarvestKind
  name: string
  url: string
  token: string
  defaultSubcategory: string | null
  scheduleMinutes: number
  deleteThreshold: number
  enabled: boolean
}

export async function insertSource(db: Db, f: SourceFields, createdBy: number | null, now: Date): Promise<number> {
  const row = await db.kysely.insertInto('harvest_sources').values({
    kind: f.kind, name: f.name, url: f.url, token: f.token, default_subcategory: f.defaultSubcategory, schedule_minutes: f.scheduleMinutes, delete_threshold: f.deleteThreshold,
    enabled: f.enabled ? 1 : 0, created_by: createdBy, created_at: now.toISOString(),
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** Changes a source's settings; its token only when a new one is given. */
export async function updateSource(db: Db, id: number, f: Omit<SourceFields, 'kind' | 'token'> & { token: string | null }): Promise<void> {
  await db.kysely.updateTable('harvest_sources').set({
    name: f.name, url: f.url, default_subcategory: f.defaultSubcategory, schedule_minutes: f.scheduleMinutes, delete_threshold: f.deleteThreshold, enabled: f.enabled ? 1 : 0,
    ...(f.token !== null ? { token: f.token } : {}),
  }).where('id', '=', id).execute()
}

export async function sourceNameTaken(db: Db, name: string, except: number | null): Promise<boolean> {
  const r = await db.kysely.selectFrom('harvest_sources').select('id').where('name', '=', name).$if(except !== null, (q) => q.where('id', '<>', except!)).executeTakeFirst()
  return Boolean(r)
}

/** Deletes a source and, by cascade from its departments, everything harvested from it. */
export async function deleteSource(db: Db, id: number): Promise<void> {
  await inWriteTransaction(db, async (trx) => {
    await trx.deleteFrom('departments').where('source_id', '=', id).execute()
    await trx.deleteFrom('harvest_sources').where('id', '=', id).execute()
  })
}

export async function setSourceDistrict(db: Db, id: number, district: { code: string; name: string }): Promise<void> {
  await db.kysely.updateTable('harvest_sources').set({ district_code: district.code, district_name: district.name }).where('id', '=', id).execute()
}

export async function finishSource(db: Db, id: number, at: string, success: boolean, state: Record<string, unknown> | null): Promise<void> {
  await db.kysely.updateTable('harvest_sources').set({
    last_attempt_at: at, ...(success ? { last_success_at: at } : {}), ...(state ? { state: JSON.stringify(state) } : {}),
  }).where('id', '=', id).execute()
}

/** Starts a job unless one of the source's is running (in any process): the new job's id, or null. */
export async function claimJob(db: Db, sourceId: number, cause: HarvestJobInfo['cause'], startedBy: number | null, now: Date): Promise<number | null> {
  const running = await db.kysely.selectFrom('harvest_jobs').select('id').where('source_id', '=', sourceId).where('status', '=', 'running').executeTakeFirst()
  if (running) return null
  try {
    const row = await db.kysely.insertInto('harvest_jobs')
      .values({ source_id: sourceId, cause, status: 'running', started_by: startedBy, started_at: now.toISOString() })
      .returning('id').executeTakeFirstOrThrow()
    return row.id
  } catch {
    // The unique index on running jobs: another process started one at the same moment.
    return null
  }
}

export async function finishJob(db: Db, id: number, j: { status: HarvestStatus; report: HarvestReport | null; error: string | null; finishedAt: Date; durationMs: number }): Promise<void> {
  await db.kysely.updateTable('harvest_jobs').set({
    status: j.status, report: JSON.stringify(j.report ?? {}), error: j.error, finished_at: j.finishedAt.toISOString(), duration_ms: Math.round(j.durationMs),
  }).where('id', '=', id).execute()
}

export async function setJobStatus(db: Db, id: number, status: HarvestStatus): Promise<void> {
  await db.kysely.updateTable('harvest_jobs').set({ status }).where('id', '=', id).execute()
}

/** A running job's time so far: its heartbeat. */
export async function heartbeat(db: Db, id: number, elapsedMs: number): Promise<void> {
  await db.kysely.updateTable('harvest_jobs').set({ duration_ms: Math.round(elapsedMs) }).where('id', '=', id).where('status', '=', 'running').execute()
}

/** Running jobs whose heartbeat stopped more than `silentMs` ago were left by a process that stopped: they end as failed. */
export async function failInterruptedJobs(db: Db, now: Date, silentMs: number): Promise<number> {
  const running = await db.kysely.selectFrom('harvest_jobs').select(['id', 'started_at', 'duration_ms']).where('status', '=', 'running').execute()
  const dead = running.filter((j) => Date.parse(j.started_at) + (j.duration_ms ?? 0) < now.getTime() - silentMs).map((j) => j.id)
  if (!dead.length) return 0
  await db.kysely.updateTable('harvest_jobs')
    .set({ status: 'failed', error: '任务在完成前被中断（服务器进程已停止），下一次任务会从上次成功处继续', finished_at: now.toISOString() })
    .where('id', 'in', dead).where('status', '=', 'running').execute()
  return dead.length
}

type JobRow = Selectable<HarvestJobsTable> & { source_name: string; username: string | null }

function jobInfo(r: JobRow, withReport: boolean): HarvestJobInfo {
  let report: HarvestReport | null = null
  if (withReport) {
    try {
      const parsed = JSON.parse(r.report) as HarvestReport
      report = parsed && typeof parsed === 'object' && 'tallies' in parsed ? parsed : null
    } catch {
      report = null
    }
  }
  return {
    id: r.id, sourceId: r.source_id, sourceName: r.source_name, cause: r.cause, status: r.status as HarvestStatus, startedBy: r.username,
    startedAt: r.started_at, finishedAt: r.finished_at, durationMs: r.duration_ms, error: r.error, report,
  }
}

function jobsQuery(db: Db) {
  return db.kysely.selectFrom('harvest_jobs as j').innerJoin('harvest_sources as s', 's.id', 'j.source_id').leftJoin('users as u', 'u.id', 'j.started_by')
    .selectAll('j').select(['s.name as source_name', 'u.username'])
}

export async function jobById(db: Db, id: number): Promise<HarvestJobInfo | null> {
  const r = await jobsQuery(db).where('j.id', '=', id).executeTakeFirst()
  return r ? jobInfo(r as JobRow, true) : null
}

/** The latest jobs, newest first, of one source or all; reports included. */
export async function listJobs(db: Db, sourceId: number | null, limit: number): Promise<HarvestJobInfo[]> {
  const rows = await jobsQuery(db).$if(sourceId !== null, (q) => q.where('j.source_id', '=', sourceId!)).orderBy('j.id', 'desc').limit(limit).execute()
  return rows.map((r) => jobInfo(r as JobRow, true))
}

/** Each source's latest job. */
async function latestJobs(db: Db): Promise<Map<number, HarvestJobInfo>> {
  const rows = await jobsQuery(db)
    .where('j.id', 'in', (eb) => eb.selectFrom('harvest_jobs').select(sql<number>`max(id)`.as('id')).groupBy('source_id'))
    .execute()
  return new Map(rows.map((r) => [r.source_id, jobInfo(r as JobRow, true)]))
}

export async function sourceInfos(db: Db, now: Date): Promise<HarvestSourceInfo[]> {
  const [sources, latest] = await Promise.all([allSources(db), latestJobs(db)])
  return sources.map((s) => ({
    id: s.id, kind: s.kind, name: s.name, url: s.url, tokenPrefix: s.token.slice(0, 14), districtCode: s.districtCode, districtName: s.districtName,
    defaultSubcategory: s.defaultSubcategory, scheduleMinutes: s.scheduleMinutes, deleteThreshold: s.deleteThreshold, enabled: s.enabled, createdAt: s.createdAt,
    lastAttemptAt: s.lastAttemptAt, lastSuccessAt: s.lastSuccessAt, stale: s.enabled && sourceIsStale(s, now), lastJob: latest.get(s.id) ?? null,
  }))
}
