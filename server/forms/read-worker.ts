/**
 * The worker that reads one uploaded form file (see read-upload.ts): it gets the bytes, answers with
 * the sheets or with the refusal, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { FormKind } from '../domain/forms.js'
import type { WorkerAnswer } from '../http/worker-task.js'
import { FormFileError } from './file-guard.js'
import type { SheetData } from './grid.js'
import { sheetsOfUpload } from './upload-sheets.js'

const request = workerData as { name: string; bytes: Uint8Array; form: FormKind }
let answer: WorkerAnswer<SheetData[]>
try {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength)
  answer = { ok: true, value: await sheetsOfUpload({ name: request.name, bytes }, request.form) }
} catch (err) {
  answer = err instanceof FormFileError
    ? { ok: false, code: err.code, message: err.message }
    : { ok: false, code: 'not_readable', message: '文件无法读取，可能已损坏；请使用下载的模板填写后上传' }
}
parentPort!.postMessage(answer)
