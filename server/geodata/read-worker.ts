/**
 * The worker module that reads and checks one uploaded spatial file (see plan.ts): it gets the bytes
 * and the options, and answers with the checked file or the refusal.
 */
import type { FeatureKind } from '../domain/enums.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { checkFile, type CheckedFile, type GeodataOptions } from './check-file.js'
import { fileErrorOf } from './limits.js'

export function answer(input: { name: string; bytes: Uint8Array; options: GeodataOptions; commonKind: FeatureKind | null; withFeatures: boolean }): WorkerAnswer<CheckedFile> {
  try {
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)
    return { ok: true, value: checkFile({ name: input.name, bytes }, input.options, input.commonKind, input.withFeatures) }
  } catch (err) {
    const e = fileErrorOf(err)
    return { ok: false, code: e.code, message: e.message, status: e.status }
  }
}
