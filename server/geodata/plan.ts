/**
 * The preview of a geodata import, and the plan an import writes: the file read and checked in a
 * worker thread (check-file.ts), the result summarised for the user, and a hash of everything the
 * plan depends on so that an import writes exactly what was previewed.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../db/connect.js'
import type { FeatureKind } from '../domain/enums.js'
import type { GeodataPreview } from '../domain/geodata.js'
import { runWorkerTask, siblingModule, WorkerLimitError } from '../http/worker-task.js'
import type { CheckedFile, GeodataOptions, UploadedFile } from './check-file.js'
import { GEODATA_LIMITS, GeodataFileError } from './limits.js'
import { featureVersion, mostCommonKind } from './queries.js'

export type { GeodataOptions, GeodataPreview, UploadedFile }

const WORKER = siblingModule(import.meta.url, 'read-worker')

/** The hash of everything a plan depends on: the file, the options and the resource's features as they stand. */
export function planHashOf(file: UploadedFile, o: GeodataOptions, version: string): string {
  const mapping = Object.fromEntries(Object.entries(o.mapping).sort(([a], [b]) => a.localeCompare(b)))
  return createHash('sha256').update(file.bytes).update('\u0000')
    .update(JSON.stringify({ crs: o.crs, encoding: o.encoding, mapping, version })).digest('hex')
}

/** The words for a file that needed more than a worker's limits allow. */
export function tooComplex(err: WorkerLimitError, parseMs: number = GEODATA_LIMITS.parseTimeoutMs): GeodataFileError {
  return new GeodataFileError('too_complex', err.kind === 'memory'
    ? `文件过于复杂：读取所需内存超过上限 ${err.limits.heapMb} MB；请减少要素、顶点或属性列，或拆分后分别导入`
    : `文件过于复杂：读取超过 ${Math.round(parseMs / 1000)} 秒仍未完成；请减少要素或顶点，或拆分后分别导入`)
}

/** Reads and checks a file in a worker thread of the parsers' pool (the event loop only waits). */
export async function checkInWorker(file: UploadedFile, o: GeodataOptions, commonKind: FeatureKind | null, withFeatures: boolean): Promise<CheckedFile> {
  try {
    const answer = await runWorkerTask<CheckedFile>(WORKER, { name: file.name, bytes: new Uint8Array(file.bytes), options: o, commonKind, withFeatures },
      { heapMb: GEODATA_LIMITS.parserHeapMb, timeoutMs: GEODATA_LIMITS.parseTimeoutMs })
    if (!answer.ok) throw new GeodataFileError(answer.code, answer.message, answer.status === 413 ? 413 : 400)
    return answer.value
  } catch (err) {
    throw err instanceof WorkerLimitError ? tooComplex(err) : err
  }
}

/** The preview of a checked file against the resource's features as they stand (count and signature). */
export function previewOf(resourceId: number, checked: Omit<CheckedFile, 'features'>, file: UploadedFile, o: GeodataOptions,
  version: { count: number; signature: string }): GeodataPreview {
  return { resourceId, ...checked, existingFeatures: version.count, planHash: planHashOf(file, o, version.signature) }
}

/** Reads and checks a file for a resource: the preview to show (the import itself: import.ts). */
export async function previewGeodata(db: Db, resourceId: number, file: UploadedFile, o: GeodataOptions): Promise<GeodataPreview> {
  const version = await featureVersion(db.kysely, resourceId)
  const { features: _none, ...checked } = await checkInWorker(file, o, await mostCommonKind(db, resourceId), false)
  return previewOf(resourceId, checked, file, o, version)
}
