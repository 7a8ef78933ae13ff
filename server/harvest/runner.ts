import type { AppDeps } from '../db/deps.js'
import { insertAudit } from '../auth/queries.js'
import { labelOf } from '../domain/enums.js'
import { HARVEST_RECORD_KINDS, HARVEST_STATUSES, type HarvestJobInfo, type HarvestRecordKind, type HarvestStatus } from '../domain/federation.js'
import { ReportBuilder } from './apply.js'
import { harvestAtlas } from './atlas.js'
import { SourceError } from './client.js'
import { harvestDcat } from './dcat.js'
import type { JobAnswer } from './job-worker.js'
import { runDedicatedWorker, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import {
  allSources, claimJob, failInterruptedJobs, finishJob, finishSource, heartbeat, jobById, listJobs, setSourceDistrict, sourceById,
} from './queries.js'

/**
 * Runs harvest jobs: on demand (an administrator), on each source's schedule, and after a confirmation
 * of deletions the guard stopped. Jobs run one at a time per process, in the background of the event
 * loop (each page a short query or transaction); a source never has two jobs running, whichever
 * process started them. Every job's end is written to the audit trail.
 */
export class Harvester {
  private queue: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private readonly running = new Set<number>()

  constructor(private readonly deps: AppDeps) {}

  /** Starts a job for a source now (queued behind this process's running job); the job's id, or null when one is running. */
  async start(sourceId: number, cause: HarvestJobInfo['cause'], startedBy: { id: number; username: string; role: string } | null,
    confirmed: Partial<Record<HarvestRecordKind, number>> | null = null): Promise<{ jobId: number; done: Promise<void> } | null> {
    const jobId = await claimJob(this.deps.db, sourceId, cause, startedBy?.id ?? null, this.deps.now())
    if (jobId === null) return null
    this.running.add(sourceId)
    const done = this.queue.then(() => this.run(jobId, sourceId, confirmed, startedBy)).finally(() => this.running.delete(sourceId))
    this.queue = done.catch(() => undefined)
    return { jobId, done }
  }

  private async run(jobId: number, sourceId: number, confirmed: Partial<Record<HarvestRecordKind, number>> | null,
    startedBy: { id: number; username: string; role: string } | null): Promise<void> {
    const { db } = this.deps
    const started = performance.now()
    const source = await sourceById(db, sourceId)
    let status: HarvestStatus = 'failed'
    let error: string | null = null
    if (!source) return
    // A heartbeat: a job whose time stops growing was left by a process that stopped (see failInterruptedJobs).
    const beat = setInterval(() => {
      heartbeat(db, jobId, performance.now() - started).catch(() => undefined)
    }, HEARTBEAT_MS)
    beat.unref()
    const outcome = await this.execute(sourceId, confirmed)
    const report = outcome.report
    const reportErrors = report.errors.length + report.moreErrors
    try {
      const result = outcome.result
      if (outcome.error || !result) {
        error = outcome.error?.source ? outcome.error.message : `任务出错：${outcome.error?.message ?? '没有结果'}`
        if (!outcome.error?.source) console.error(`harvest job ${jobId}:`, outcome.error?.message)
        status = 'failed'
        await finishSource(db, sourceId, this.deps.now().toISOString(), false, null)
      } else if (result.outcome === 'guarded') {
        status = 'awaiting-confirmation'
        report.guard = result.planned.map((p) => ({ ...p, share: p.of ? p.deleting / p.of : 1 }))
        error = `本次任务将删除 ${result.planned.map((p) => `${p.deleting} 条${kindLabel(p.kind)}（现有 ${p.of} 条）`).join('、')}，超过设定的 ${Math.round(source.deleteThreshold * 100)}%，已暂停，等待管理员确认`
        await finishSource(db, sourceId, this.deps.now().toISOString(), false, null)
      } else {
        status = reportErrors ? 'errors' : 'succeeded'
        if (result.district && !source.districtCode) await setSourceDistrict(db, sourceId, result.district)
        await finishSource(db, sourceId, this.deps.now().toISOString(), true, result.state)
      }
    } finally {
      clearInterval(beat)
    }
    await finishJob(db, jobId, { status, report, error, finishedAt: this.deps.now(), durationMs: performance.now() - started })
    await this.deps.db.versions.refresh()
    const t = report.tallies
    const summary = (['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const)
      .filter((k) => t[k]).map((k) => `${kindLabel(k)} +${t[k]!.added} ~${t[k]!.updated} -${t[k]!.deleted}`).join('，')
    await insertAudit(db, {
      userId: startedBy?.id ?? null, username: startedBy?.username ?? '定时任务', role: startedBy?.role ?? '', address: '',
      action: 'harvest-job', target: `${source.name} 任务 ${jobId}`, result: status === 'failed' ? 'failure' : 'success',
      detail: [statusLabel(status), summary, error ?? '', reportErrors ? `${reportErrors} 条错误` : ''].filter(Boolean).join('；'),
    }, this.deps.now())
  }

  /**
   * The job itself: in a worker thread with its own connection when the database is a file or a server
   * (the server's event loop goes on answering meanwhile), in this thread over an in-memory database.
   */
  private async execute(sourceId: number, confirmed: Partial<Record<HarvestRecordKind, number>> | null): Promise<JobAnswer> {
    const url = this.deps.databaseUrl
    const input = { sourceId, confirmed, now: this.deps.now().toISOString() }
    if (url && url !== ':memory:') {
      try {
        const answered = await runDedicatedWorker<JobAnswer>(siblingModule(import.meta.url, 'job-worker'), { ...input, databaseUrl: url }, JOB_LIMITS)
        if (answered.ok) return answered.value
        return { result: null, report: new ReportBuilder().report, error: { source: false, message: answered.message } }
      } catch (err) {
        const message = err instanceof WorkerLimitError
          ? (err.kind === 'memory' ? `任务超出内存上限 ${JOB_LIMITS.heapMb} MB，已中止` : `任务超过 ${JOB_LIMITS.timeoutMs / 60_000} 分钟，已中止`)
          : err instanceof Error ? err.message : String(err)
        return { result: null, report: new ReportBuilder().report, error: { source: err instanceof WorkerLimitError, message } }
      }
    }
    const report = new ReportBuilder()
    const source = await sourceById(this.deps.db, sourceId)
    if (!source) return { result: null, report: report.report, error: { source: true, message: '来源已被删除' } }
    try {
      const subcategories = new Set((await this.deps.db.kysely.selectFrom('subcategories').select('code').execute()).map((s) => s.code))
      const job = { db: this.deps.db, source, confirmed, report, now: this.deps.now, subcategories }
      const result = source.kind === 'dcat' ? await harvestDcat(job) : await harvestAtlas(job)
      return { result, report: report.report, error: null }
    } catch (err) {
      return { result: null, report: report.report, error: { source: err instanceof SourceError, message: err instanceof Error ? err.message : String(err) } }
    }
  }

  /** Starts the jobs that are due: enabled sources whose schedule has come, unless their last job waits for a confirmation. */
  async tick(): Promise<void> {
    const now = this.deps.now()
    await failInterruptedJobs(this.deps.db, now, 4 * HEARTBEAT_MS)
    for (const s of await allSources(this.deps.db)) {
      if (!s.enabled || this.running.has(s.id)) continue
      const due = !s.lastAttemptAt || now.getTime() - Date.parse(s.lastAttemptAt) >= s.scheduleMinutes * 60_000
      if (!due) continue
      const [last] = await listJobs(this.deps.db, s.id, 1)
      if (last && (last.status === 'awaiting-confirmation' || last.status === 'declined' || last.status === 'running')) continue
      await this.start(s.id, 'schedule', null)
    }
  }

  /** Checks for due jobs every `everyMs` (and ends as failed the jobs a stopped process left running). */
  startSchedule(everyMs = 30_000): void {
    const loop = () => {
      this.tick().catch((err: unknown) => console.error('harvest schedule:', err))
    }
    this.timer = setInterval(loop, everyMs)
    this.timer.unref()
    loop()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Waits for this process's queued jobs (tests and shutdown). */
  async idle(): Promise<void> {
    await this.queue
  }

  job(id: number) {
    return jobById(this.deps.db, id)
  }
}

const HEARTBEAT_MS = 15_000
/** A job's worker: enough heap for a page of a million-feature district and its comparison, and time for its first harvest. */
const JOB_LIMITS = { heapMb: 1024, timeoutMs: 60 * 60_000 }

const kindLabel = (k: HarvestRecordKind) => labelOf(HARVEST_RECORD_KINDS, k)
const statusLabel = (s: HarvestStatus) => labelOf(HARVEST_STATUSES, s)

const harvesters = new WeakMap<AppDeps['db'], Harvester>()
/** The harvester of a database (one per process and database). */
export function harvesterFor(deps: AppDeps): Harvester {
  let h = harvesters.get(deps.db)
  if (!h) harvesters.set(deps.db, (h = new Harvester(deps)))
  return h
}
