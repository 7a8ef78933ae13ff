/**
 * The worker module that imports one previewed file (import.ts starts it): it reads and checks the
 * file and writes the features with a database connection of its own, so neither the reading nor the
 * writing of a large file holds up the server's event loop. Answers the outcome, or the file's refusal.
 */
import { openWorkerDatabase } from '../db/connect.js'
import { RegionLocator } from '../geo/regions.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { checkFile, type GeodataOptions } from './check-file.js'
import { importGeodata, type FileChecker, type GeodataImportOutcome } from './import.js'
import { fileErrorOf, GeodataFileError } from './limits.js'


const check: FileChecker = (file, o, commonKind, withFeatures) => {
  try {
    return checkFile(file, o, commonKind, withFeatures)
  } catch (err) {
    throw fileErrorOf(err)
  }
}

export async function answer(input: { databaseUrl: string; resourceId: number; name: string; bytes: Uint8Array; options: GeodataOptions; planHash: string; updatedAt: string }): Promise<WorkerAnswer<GeodataImportOutcome>> {
  const db = openWorkerDatabase(input.databaseUrl)
  try {
    const file = { name: input.name, bytes: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength) }
    const outcome = await importGeodata(db, await RegionLocator.kept(input.databaseUrl, db), { resourceId: input.resourceId, file, options: input.options, planHash: input.planHash, updatedAt: input.updatedAt }, check)
    return { ok: true, value: outcome }
  } catch (err) {
    if (err instanceof GeodataFileError) return { ok: false, code: err.code, message: err.message, status: err.status }
    throw err
  } finally {
    await db.close()
  }
}
