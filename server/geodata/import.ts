/**
 * The import of a previewed file, start to end, wherever it runs: read and check the file, refuse it
 * when it has problems or its plan is not the one previewed, and replace the resource's features in one
 * write transaction that first checks that they are still those the plan was made against. With a
 * database a worker can open (a file, a PostgreSQL server), all of it runs in a worker thread with its
 * own connection (import-worker.ts), so the server answers other requests while a large file is
 * written; with an in-memory database it runs here.
 */
import type { Db } from '../db/connect.js'
import { ownConnectionUrl, type AppDeps } from '../db/deps.js'
import { inWriteTransaction } from '../db/dialect.js'
import type { FeatureKind } from '../domain/enums.js'
import type { RegionLocator } from '../geo/regions.js'
import { runWorkerTask, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import type { CheckedFile, GeodataOptions, UploadedFile } from './check-file.js'
import { GEODATA_LIMITS, GeodataFileError } from './limits.js'
import { checkInWorker, previewOf, tooComplex, type GeodataPreview } from './plan.js'
import { featureVersion, mostCommonKind, replaceResourceFeatures, type ReplacedFeatures } from './queries.js'

export interface GeodataImportRequest {
  resourceId: number
  file: UploadedFile
  options: GeodataOptions
  /** The plan hash of the preview the user confirmed. */
  planHash: string
  updatedAt: string
}

export type GeodataImportOutcome =
  | { outcome: 'imported'; result: ReplacedFeatures; preview: GeodataPreview }
  /** The file has problems: nothing was written. */
  | { outcome: 'invalid'; preview: GeodataPreview }
  /** The file, options or the resource's features changed since the preview: nothing was written. */
  | { outcome: 'stale'; preview: GeodataPreview }

export type FileChecker = (file: UploadedFile, o: GeodataOptions, commonKind: FeatureKind | null, withFeatures: boolean) => Promise<CheckedFile> | CheckedFile

/** Checks, compares with the preview and writes (see the module's comment); `check` reads the file. */
export async function importGeodata(db: Db, locator: RegionLocator, req: GeodataImportRequest, check: FileChecker): Promise<GeodataImportOutcome> {
  const { resourceId, file, options } = req
  const version = await featureVersion(db.kysely, resourceId)
  const { features, ...checked } = await check(file, options, await mostCommonKind(db, resourceId), true)
  const preview = previewOf(resourceId, checked, file, options, version)
  if (preview.problemCount > 0) return { outcome: 'invalid', preview }
  if (preview.planHash !== req.planHash) return { outcome: 'stale', preview }
  const note = `空间数据导入：${preview.format}，${features.length} 个要素，替换原有 ${preview.existingFeatures} 个`
  return inWriteTransaction(db, async (trx) => {
    // Another import or an edit may have landed while the file was read: then this is not the plan confirmed.
    const now = await featureVersion(trx, resourceId)
    if (now.signature !== version.signature) return { outcome: 'stale', preview: previewOf(resourceId, checked, file, options, now) }
    const result = await replaceResourceFeatures(trx, locator, { resourceId, updatedAt: req.updatedAt, note }, features)
    return { outcome: 'imported', result, preview }
  })
}

const WORKER = siblingModule(import.meta.url, 'import-worker')
/** The worker reads the file (as the preview's does) and holds the rows it writes. */
export const IMPORT_WORKER_LIMITS = { heapMb: GEODATA_LIMITS.parserHeapMb + 256, timeoutMs: GEODATA_LIMITS.parseTimeoutMs + 120_000 }

/** Runs an import off the event loop when the database allows it (see the module's comment). */
export async function runGeodataImport(deps: AppDeps, locator: () => Promise<RegionLocator>, req: GeodataImportRequest): Promise<GeodataImportOutcome> {
  const url = ownConnectionUrl(deps)
  let outcome: GeodataImportOutcome
  if (!url) {
    outcome = await importGeodata(deps.db, await locator(), req, checkInWorker)
  } else {
    const answer = await deps.db.writeGate.hold(() => runWorkerTask<GeodataImportOutcome>(WORKER, {
      databaseUrl: url, resourceId: req.resourceId, name: req.file.name, bytes: new Uint8Array(req.file.bytes), options: req.options,
      planHash: req.planHash, updatedAt: req.updatedAt,
    }, IMPORT_WORKER_LIMITS)).catch((err: unknown) => {
      // Nothing was written: the transaction of a worker that is ended is rolled back with its connection.
      throw err instanceof WorkerLimitError ? tooComplex(err, IMPORT_WORKER_LIMITS.timeoutMs) : err
    })
    if (!answer.ok) throw new GeodataFileError(answer.code, answer.message, answer.status === 413 ? 413 : 400)
    outcome = answer.value
  }
  // This process's caches follow the write at once (PostgreSQL's counters would otherwise wait for the notification).
  if (outcome.outcome === 'imported') await deps.db.versions.refresh()
  return outcome
}
