/**
 * The worker thread that reads one uploaded form file (see read-upload.ts): it gets the bytes, answers
 * with the sheets or with the refusal, and exits. Whatever the file makes the parser do happens here,
 * inside the worker's own heap limit, while the server's event loop goes on answering.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { FormKind } from '../domain/forms.js'
import { FormFileError } from './file-guard.js'
import { sheetsOfUpload } from './upload-sheets.js'

export interface ReadRequest { name: string; bytes: Uint8Array; form: FormKind }
export type ReadAnswer =
  | { ok: true; sheets: Awaited<ReturnType<typeof sheetsOfUpload>> }
  | { ok: false; code: string; message: string }

const request = workerData as ReadRequest
let answer: ReadAnswer
try {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength)
  answer = { ok: true, sheets: await sheetsOfUpload({ name: request.name, bytes }, request.form) }
} catch (err) {
  answer = err instanceof FormFileError
    ? { ok: false, code: err.code, message: err.message }
    : { ok: false, code: 'not_readable', message: '文件无法读取，可能已损坏；请使用下载的模板填写后上传' }
}
parentPort!.postMessage(answer)
