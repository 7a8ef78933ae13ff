/**
 * An import, start to end: read the uploaded file, check every row, compare with the catalog, and
 * either show the plan (preview) or write it (confirm) in one transaction. Any problem writes nothing.
 * The file is read in a worker thread; a confirmed import is planned again and written in one write
 * transaction, in a worker thread with its own connection when the database allows one (import-worker.ts).
 */
import type { Kysely } from 'kysely'
import type { Db } from '../db/connect.js'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { dbInTransaction, inWriteTransaction } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { runWorkerTask, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import { FORM_LIMITS, FormFileError } from './file-guard.js'
import { gridOf, type SheetData } from './grid.js'
import { latestRound } from '../survey/queries.js'
import type { FormContext } from './context.js'
import type { FormKind, FormProblem, ImportDeletions, ImportMode, ImportPreview, PreviewChange } from '../domain/forms.js'
import { planHash, planResources, planSystems, type ResourceChange, type SystemChange } from './plan.js'
import { applyResourcesPlan, applySystemsPlan, categoryNames, existingResources, existingSystems, loadFormContext, markReported } from './queries.js'
import { parseResourcesGrids } from './resources-form.js'
import { parseSystemsWorkbook } from './systems-form.js'
import { readUploadSheets } from './read-upload.js'
import type { UploadedFile } from './upload-sheets.js'

const MAX_PROBLEMS = 500

function dedupe(problems: FormProblem[]): FormProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const k = `${p.sheet}|${p.row}|${p.column}|${p.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function describeSystemChange(c: SystemChange, ctx: FormContext): PreviewChange {
  return {
    action: c.action, entity: 'system', departmentName: ctx.departmentById(c.departmentId)?.name ?? '',
    systemName: c.name, resourceName: null, fields: c.fields.map(({ label, from, to }) => ({ label, from, to })),
    itemsAdded: [], itemsChanged: [], itemsRemoved: [],
    note: c.action === 'remove' && c.resourceCount > 0
      ? `将一并删除其 ${c.resourceCount} 项数据资源${c.itemCount ? `（${c.itemCount} 个数据项）` : ''}${c.featureCount ? `和 ${c.featureCount} 个空间要素` : ''}`
      : null,
  }
}

function describeResourceChange(c: ResourceChange, ctx: FormContext): PreviewChange {
  return {
    action: c.action, entity: 'resource', departmentName: ctx.departmentById(c.departmentId)?.name ?? '',
    systemName: c.systemName, resourceName: c.name, fields: c.fields.map(({ label, from, to }) => ({ label, from, to })),
    itemsAdded: c.items.added.map((i) => i.name),
    itemsChanged: c.items.changed.map((i) => i.draft.name),
    itemsRemoved: c.items.removed.map((i) => i.name),
    note: c.action === 'remove' && c.featureCount > 0 ? `将一并删除其 ${c.featureCount} 个空间要素` : null,
  }
}

interface Planned {
  preview: ImportPreview
  /** Writes the plan inside the caller's write transaction. */
  apply: (trx: Kysely<Database>) => Promise<void>
}

/** What a plan's removals delete in all. */
function systemDeletions(changes: readonly SystemChange[]): ImportDeletions {
  const removed = changes.filter((c) => c.action === 'remove')
  const sum = (f: (c: SystemChange) => number) => removed.reduce((n, c) => n + f(c), 0)
  return { systems: removed.length, resources: sum((c) => c.resourceCount), items: sum((c) => c.itemCount), features: sum((c) => c.featureCount) }
}
function resourceDeletions(changes: readonly ResourceChange[]): ImportDeletions {
  const removed = changes.filter((c) => c.action === 'remove')
  const sum = (f: (c: ResourceChange) => number) => removed.reduce((n, c) => n + f(c), 0)
  return { systems: 0, resources: removed.length, items: sum((c) => c.items.removed.length), features: sum((c) => c.featureCount) }
}

/**
 * Plans an uploaded form. In `replace` mode the form is the departments' whole answer: what they have
 * and the form leaves out is removed; in `merge` mode nothing is removed.
 */
async function planImport(db: Db, form: FormKind, sheets: SheetData[], fileName: string, departmentId: number | null, mode: ImportMode, now: Date): Promise<Planned> {
  const removeMissing = mode === 'replace'
  const grids = sheets.map(gridOf)
  const ctx = await loadFormContext(db)
  const names = await categoryNames(db)
  const round = await latestRound(db)
  const departments = (ids: readonly number[]) => ids.map((id) => ({ id, name: ctx.departmentById(id)?.name ?? '' }))
  const summaryOf = (changes: readonly { action: string }[], unchanged: number, deleted: ImportDeletions, items = { a: 0, c: 0, r: 0 }) => ({
    added: changes.filter((c) => c.action === 'add').length,
    changed: changes.filter((c) => c.action === 'change').length,
    removed: changes.filter((c) => c.action === 'remove').length,
    unchanged,
    itemsAdded: items.a, itemsChanged: items.c, itemsRemoved: items.r,
    deleted,
  })
  if (form === 'systems') {
    const parsed = parseSystemsWorkbook(grids, ctx, departmentId)
    const problems = dedupe(parsed.problems)
    const plan = planSystems(parsed.drafts, await existingSystems(db, parsed.departmentIds), parsed.departmentIds, removeMissing)
    const valid = problems.length === 0
    return {
      preview: {
        form, mode, fileName, departments: departments(parsed.departmentIds), problems: problems.slice(0, MAX_PROBLEMS),
        summary: summaryOf(plan.changes, plan.unchanged, systemDeletions(plan.changes)), changes: valid ? plan.changes.map((c) => describeSystemChange(c, ctx)) : [],
        planHash: planHash(plan, mode), canImport: valid,
      },
      apply: async (trx) => {
        await applySystemsPlan(trx, plan, now)
        if (round) await markReported(trx, round.id, parsed.departmentIds, 'systems', now)
      },
    }
  }
  const parsed = parseResourcesGrids(grids, ctx, departmentId)
  const problems = dedupe(parsed.problems)
  const plan = planResources(parsed.drafts, await existingResources(db, { departmentIds: parsed.departmentIds }), names, removeMissing)
  const valid = problems.length === 0
  const items = plan.changes.reduce((s, c) => ({ a: s.a + c.items.added.length, c: s.c + c.items.changed.length, r: s.r + c.items.removed.length }), { a: 0, c: 0, r: 0 })
  return {
    preview: {
      form, mode, fileName, departments: departments(parsed.departmentIds), problems: problems.slice(0, MAX_PROBLEMS),
      summary: summaryOf(plan.changes, plan.unchanged, resourceDeletions(plan.changes), items), changes: valid ? plan.changes.map((c) => describeResourceChange(c, ctx)) : [],
      planHash: planHash(plan, mode), canImport: valid,
    },
    apply: async (trx) => {
      await applyResourcesPlan(trx, plan, now, 'import')
      if (round) await markReported(trx, round.id, parsed.departmentIds, 'resources', now)
    },
  }
}

/** Reads and checks a form and says what importing it would change; writes nothing. */
export async function previewImport(db: Db, form: FormKind, file: UploadedFile, departmentId: number | null, mode: ImportMode, now: Date): Promise<ImportPreview> {
  return (await planImport(db, form, await readUploadSheets(file, form), file.name, departmentId, mode, now)).preview
}

export type ConfirmOutcome =
  | { outcome: 'imported'; preview: ImportPreview }
  | { outcome: 'invalid'; preview: ImportPreview }
  | { outcome: 'stale'; preview: ImportPreview }

export interface ConfirmRequest { form: FormKind; sheets: SheetData[]; fileName: string; departmentId: number | null; mode: ImportMode; expectedHash: string; now: Date }

/**
 * Plans a read form again and writes it, in one write transaction: refused when it has problems, or
 * when the catalog changed since the preview (the plan differs from the one confirmed). Nothing else
 * can write between the plan and the write.
 */
export function confirmSheets(db: Db, r: ConfirmRequest): Promise<ConfirmOutcome> {
  return inWriteTransaction(db, async (trx): Promise<ConfirmOutcome> => {
    const planned = await planImport(dbInTransaction(db, trx), r.form, r.sheets, r.fileName, r.departmentId, r.mode, r.now)
    if (!planned.preview.canImport) return { outcome: 'invalid', preview: planned.preview }
    if (planned.preview.planHash !== r.expectedHash) return { outcome: 'stale', preview: planned.preview }
    await planned.apply(trx)
    return { outcome: 'imported', preview: planned.preview }
  })
}

const WORKER = siblingModule(import.meta.url, 'import-worker')
/** The worker holds the read sheets, the catalog of the departments concerned and the plan. */
export const IMPORT_WORKER_LIMITS = { heapMb: FORM_LIMITS.parserHeapMb + 128, timeoutMs: 120_000 }

/** Imports a form whose preview the user confirmed (see confirmSheets), off the event loop when the database allows it. */
export async function confirmImport(deps: AppDeps, form: FormKind, file: UploadedFile, departmentId: number | null, mode: ImportMode, expectedHash: string, now: Date): Promise<ConfirmOutcome> {
  const request: ConfirmRequest = { form, sheets: await readUploadSheets(file, form), fileName: file.name, departmentId, mode, expectedHash, now }
  const url = ownConnectionUrl(deps)
  let outcome: ConfirmOutcome
  if (!url) {
    outcome = await confirmSheets(deps.db, request)
  } else {
    const answer = await deps.db.writeGate.hold(() => runWorkerTask<ConfirmOutcome>(WORKER, { ...request, now: now.toISOString(), databaseUrl: url }, IMPORT_WORKER_LIMITS))
      .catch((err: unknown) => {
        // Nothing was written: the transaction of a worker that is ended is rolled back with its connection.
        if (err instanceof WorkerLimitError) {
          throw new FormFileError('too_complex', err.kind === 'memory' ? `导入所需内存超过上限 ${err.limits.heapMb} MB，请按部门拆分后分别上传` : `导入超过 ${err.limits.timeoutMs / 1000} 秒仍未完成，请按部门拆分后分别上传`)
        }
        throw err
      })
    if (!answer.ok) throw new FormFileError(answer.code, answer.message)
    outcome = answer.value
  }
  if (outcome.outcome === 'imported') await deps.db.versions.refresh()
  return outcome
}
