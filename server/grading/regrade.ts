import type { Db } from '../db/connect.js'
import { inWriteTransaction } from '../db/dialect.js'
import { grade, isProblem, type RiskModel } from '../domain/risk-grading.js'
import { runDedicatedWorker, siblingModule, type WorkerAnswer } from '../http/worker-task.js'
import { currentModels, insertAssessments, latestAssessments, modelById, type NewAssessment } from './queries.js'

/**
 * Re-grading after a model change: every point graded with the scope's model is graded again with the
 * new version, from the inputs of its latest assessment (inputs for another kind of model need a new
 * assessment, and are counted). Overrides stay. On SQLite the work runs in a worker thread with its
 * own connection, so the server keeps answering while a hundred thousand points are graded.
 */
export interface RegradeResult { regraded: number; changed: number; needReassessment: number }

export async function regrade(db: Db, model: RiskModel, by: { id: number | null; name: string }, at: string): Promise<RegradeResult> {
  const own = (await currentModels(db.kysely)).filter((m) => m.scope !== '').map((m) => m.scope)
  const latest = await latestAssessments(db.kysely, db.engine, model.scope === '' ? { except: own } : { subcategory: model.scope })
  const out: NewAssessment[] = []
  let changed = 0
  let needReassessment = 0
  for (const a of latest) {
    if (a.inputs.kind !== model.kind) {
      needReassessment++
      continue
    }
    const g = grade(model.config, a.inputs)
    if (isProblem(g)) {
      needReassessment++
      continue
    }
    if ((a.override?.level ?? g.level) !== a.level) changed++
    out.push({ featureId: a.featureId, model, inputs: a.inputs, grade: g, override: a.override, cause: 'regrade', alarmId: a.alarmId, by: by.id, assessor: by.name, at })
  }
  await inWriteTransaction(db, (trx) => insertAssessments(trx, db.engine, out))
  return { regraded: out.length, changed, needReassessment }
}

const WORKER = siblingModule(import.meta.url, 'regrade-worker')
const LIMITS = { heapMb: 1024, timeoutMs: 600_000 }

/** Re-grades where it costs the server's thread least (a worker thread on a SQLite file; here otherwise). */
export async function regradeOffThread(db: Db, databaseUrl: string | null, modelId: number, by: { id: number | null; name: string }, at: string): Promise<RegradeResult> {
  if (!databaseUrl || db.engine !== 'sqlite') {
    const result = await regrade(db, (await modelById(db.kysely, modelId))!, by, at)
    await db.versions.refresh()
    return result
  }
  const answer = await db.writeGate.hold(() => runDedicatedWorker<RegradeResult>(WORKER, { databaseUrl, modelId, by, at }, LIMITS)) as WorkerAnswer<RegradeResult>
  if (!answer.ok) throw new Error(`re-grading failed: ${answer.message}`)
  await db.versions.refresh()
  return answer.value
}
