import type { AppDeps } from '../db/deps.js'
import { insertAudit } from '../auth/queries.js'
import { labelOf } from '../domain/enums.js'
import { HARVEST_RECORD_KINDS, HARVEST_STATUSES, type HarvestJobInfo, type HarvestRecordKind, type HarvestStatus } from '../domain/federation.js'
import { ReportBuilder } from './apply.js'
import { harvestAtlas } from './atlas.js'
import { SourceError } from './client.js'
import { harvestDcat } from './dcat.js'
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
    const report = new ReportBuilder()
    const source = await sourceById(db, sourceId)
    let status: HarvestStatus = 'failed'
    let error: string | null = null
    if (!source) return
    // A heartbeat: a job whose time stops growing was left by a process that stopped (see failInterruptedJobs).
    const beat = setInterval(() => {
      heartbeat(db, jobId, performance.now() - started).catch(() => undefined)
    }, HEARTBEAT_MS)
    beat.unref()
    try {
      const subcategories = new Set((await db.kysely.selectFrom('subcategories').select('code').execute()).map((s) => s.code))
      const input = { db, source, confirmed, report, now: this.deps.now, subcategories }
      const result = source.kind === 'dcat' ? await harvestDcat(input) : await harvestAtlas(input)
      if (result.outcome === 'guarded') {
        status = 'awaiting-confirmation'
        report.report.guard = result.planned.map((p) => ({ ...p, share: p.of ? p.deleting / p.of : 1 }))
        error = `本次任务将删除 ${result.planned.map((p) => `${p.deleting} 条${kindLabel(p.kind)}（现有 ${p.of} 条）`).join('、')}，超过设定的 ${Math.round(source.deleteThreshold * 100)}%，已暂停，等待管理员确认`
        await finishSource(db, sourceId, this.deps.now().toISOString(), false, null)
      } else {
        status = report.errorCount ? 'errors' : 'succeeded'
        if (result.district && !source.districtCode) await setSourceDistrict(db, sourceId, result.district)
        await finishSource(db, sourceId, this.deps.now().toISOString(), true, result.state)
      }
    } catch (err) {
      error = err instanceof SourceError ? err.message : `任务出错：${err instanceof Error ? err.message : String(err)}`
      if (!(err instanceof SourceError)) console.error(err)
      status = 'failed'
      await finishSource(db, sourceId, this.deps.now().toISOString(), false, null)
    }
    clearInterval(beat)
    await finishJob(db, jobId, { status, report: report.report, error, finishedAt: this.deps.now(), durationMs: performance.now() - started })
    await this.deps.db.versions.refresh()
    const t = report.report.tallies
    const summary = (['departments', 'systems', 'resources', 'items', 'updates', 'features'] as const)
      .filter((k) => t[k]).map((k) => `${kindLabel(k)} +${t[k]!.added} ~${t[k]!.updated} -${t[k]!.deleted}`).join('，')
    await insertAudit(db, {
      userId: startedBy?.id ?? null, username: startedBy?.username ?? '定时任务', role: startedBy?.role ?? '', address: '',
      action: 'harvest-job', target: `${source.name} 任务 ${jobId}`, result: status === 'failed' ? 'failure' : 'success',
      detail: [statusLabel(status), summary, error ?? '', report.errorCount ? `${report.errorCount} 条错误` : ''].filter(Boolean).join('；'),
    }, this.deps.now())
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

const kindLabel = (k: HarvestRecordKind) => labelOf(HARVEST_RECORD_KINDS, k)
const statusLabel = (s: HarvestStatus) => labelOf(HARVEST_STATUSES, s)

const harvesters = new WeakMap<AppDeps['db'], Harvester>()
/** The harvester of a database (one per process and database). */
export function harvesterFor(deps: AppDeps): Harvester {
  let h = harvesters.get(deps.db)
  if (!h) harvesters.set(deps.db, (h = new Harvester(deps)))
  return h
}
